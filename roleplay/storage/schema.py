"""The database schema and its migrations, versioned with ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``. Later releases append functions;
never edit one that has shipped. :func:`migrate` runs the missing ones in a single transaction.

Tables: ``events`` is the append-only source of truth; the others are projections for fast queries.
A per-round rating, and a note on the whole round, is stored with ``turn_index = -1`` so the primary key
can cover it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from roleplay.storage.class_schema import to_v5
from roleplay.storage.day_totals import to_v4
from roleplay.storage.event_ids import to_v6
from roleplay.storage.seat_keys import to_v7
from roleplay.storage.snapshots import migrate_snapshots


# criterion_totals (version 1: people's ratings) and auto_totals (version 2: the automatic observer's) are
# one shape of table, so one text makes both. Shipped: never edit it.
def _totals_table(name: str) -> str:
    """A per-round, per-criterion running sum of ratings, and its index by person."""
    return f"""CREATE TABLE {name} (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    criterion_id TEXT NOT NULL,
    listener TEXT NOT NULL,
    total INTEGER NOT NULL,
    n INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, round_no, criterion_id)
) WITHOUT ROWID;
CREATE INDEX {name}_listener ON {name} (listener, at);
"""


def _run(db: sqlite3.Connection, script: str) -> None:
    """Run a migration's statements (one per ``;`` line end) in order."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


_V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',      -- active | finished | abandoned
    finished_at REAL,
    agreement_id TEXT NOT NULL,
    agreement_ack_at REAL,
    scenario_id TEXT NOT NULL,
    scenario_title TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    scenario_json TEXT NOT NULL,                -- snapshot of the scenario as played
    rubric_json TEXT NOT NULL                   -- snapshot of the rubric as used
);
CREATE INDEX sessions_status ON sessions (status, updated_at);
CREATE INDEX sessions_time ON sessions (created_at);

CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE participants (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (session_id, name)
) WITHOUT ROWID;
CREATE INDEX participants_name ON participants (name, session_id);

CREATE TABLE rounds (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    listener TEXT NOT NULL,
    observers TEXT NOT NULL,                    -- JSON list of names
    started_at REAL,
    ended_at REAL,
    ended_early INTEGER NOT NULL DEFAULT 0,
    card_revealed_at REAL,
    paused_seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, round_no)
) WITHOUT ROWID;
CREATE INDEX rounds_listener ON rounds (listener, started_at);

CREATE TABLE turns (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    turn_index INTEGER NOT NULL,
    turn_id TEXT NOT NULL,
    listener TEXT NOT NULL,
    started_at REAL NOT NULL,
    confirmed_at REAL,
    response TEXT,
    move TEXT,
    PRIMARY KEY (session_id, round_no, turn_index)
);
CREATE INDEX turns_listener ON turns (listener, started_at);

CREATE TABLE notes (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    turn_index INTEGER NOT NULL,
    rater TEXT NOT NULL,
    text TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, round_no, turn_index, rater)
) WITHOUT ROWID;

CREATE TABLE ratings (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    turn_index INTEGER NOT NULL,                -- -1 for a per-round rating
    rater TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    listener TEXT NOT NULL,
    value INTEGER NOT NULL,
    note TEXT,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, round_no, turn_index, rater, criterion_id)
);
CREATE INDEX ratings_listener ON ratings (listener, criterion_id, at);

-- Running sums of people's ratings per round and criterion (the automatic observer left out), kept
-- up to date as ratings change, so progress charts never scan every rating.
""" + _totals_table("criterion_totals") + """
CREATE INDEX ratings_rater ON ratings (rater, at);

CREATE TABLE tallies (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    turn_index INTEGER NOT NULL,
    rater TEXT NOT NULL,
    tally_id TEXT NOT NULL,
    listener TEXT NOT NULL,
    count INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, round_no, turn_index, rater, tally_id)
);
CREATE INDEX tallies_listener ON tallies (listener, tally_id, at);
"""


def _to_v1(db: sqlite3.Connection) -> None:
    """Version 1: the first schema (sessions, events and their projections)."""
    _run(db, _V1)


_V2 = """
-- Running sums of the automatic observer's ratings per round and criterion (criterion_totals keeps
-- people's), so the history screen can chart the observer's view without scanning every rating.
""" + _totals_table("auto_totals") + """
-- The automatic observer's conclusion on each turn's current response, with the behaviour counts
-- that R:Q and percent complex reflections are computed from whatever the rubric.
CREATE TABLE observations (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    turn_index INTEGER NOT NULL,
    listener TEXT NOT NULL,
    label TEXT NOT NULL,
    subtype TEXT,
    confidence REAL NOT NULL,
    behaviours TEXT NOT NULL,                   -- JSON list of behaviour codes
    q_open INTEGER NOT NULL,
    q_closed INTEGER NOT NULL,
    r_simple INTEGER NOT NULL,
    r_complex INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, round_no, turn_index)
) WITHOUT ROWID;
CREATE INDEX observations_person ON observations (listener, session_id, q_open, q_closed, r_simple, r_complex);

-- The history list orders by latest activity, and sessions rows are wide (snapshots): never sort a scan.
CREATE INDEX sessions_updated ON sessions (updated_at);
CREATE INDEX sessions_brief ON sessions (id, updated_at, created_at, kind, scenario_id, rubric_id);

-- Covering indexes for one person's history, grouped by session in index order.
CREATE INDEX criterion_totals_person ON criterion_totals (listener, session_id, criterion_id, total, n);
CREATE INDEX auto_totals_person ON auto_totals (listener, session_id, criterion_id, total, n);
CREATE INDEX tallies_person ON tallies (listener, session_id, rater, tally_id, count);

-- How many attempts a turn has had ("try again" in solo rehearsal keeps the earlier ones in the events).
ALTER TABLE turns ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;

INSERT INTO auto_totals
    SELECT session_id, round_no, criterion_id, listener, sum(value), count(*), max(at) FROM ratings
    WHERE rater = 'auto-observer' GROUP BY session_id, round_no, criterion_id
"""


def _to_v2(db: sqlite3.Connection) -> None:
    """Version 2: automatic-observer totals and observations, and attempts per turn (solo rehearsal)."""
    _run(db, _V2)


_V3_SNAPSHOTS = """
-- Each distinct scenario or rubric snapshot once, keyed by the SHA-256 of its canonical JSON; sessions
-- and the session_created events refer to them (see roleplay.storage.snapshots).
CREATE TABLE snapshots (
    sha TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                         -- scenario | rubric
    json TEXT NOT NULL                          -- the snapshot as first stored
);
ALTER TABLE sessions ADD COLUMN scenario_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN rubric_sha TEXT NOT NULL DEFAULT ''
"""

# The history screen reads one person's rows without touching sessions: every per-person table carries
# the session's fixed facts (created_at, kind, scenario, rubric, and its local calendar day, fixed when
# written), and covering indexes lead by person and are in the screen's grouping order (no sorting).
def _session_facts(name: str) -> str:
    """Copy the session's fixed facts into a totals table (see :func:`_totals_table`), with the history
    screen's covering index."""
    return f"""ALTER TABLE {name} ADD COLUMN created_at REAL NOT NULL DEFAULT 0;
ALTER TABLE {name} ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE {name} ADD COLUMN scenario_id TEXT NOT NULL DEFAULT '';
ALTER TABLE {name} ADD COLUMN rubric_id TEXT NOT NULL DEFAULT '';
ALTER TABLE {name} ADD COLUMN day INTEGER NOT NULL DEFAULT 0;
UPDATE {name} AS t SET created_at = s.created_at, kind = s.kind, scenario_id = s.scenario_id,
    rubric_id = s.rubric_id,
    day = CAST(julianday(s.created_at, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER)
    FROM sessions s WHERE s.id = t.session_id;
CREATE INDEX {name}_history ON {name}
    (listener, rubric_id, criterion_id, day, created_at, total, n, kind, scenario_id, session_id);
"""


_V3_HISTORY = """
ALTER TABLE sessions DROP COLUMN scenario_json;
ALTER TABLE sessions DROP COLUMN rubric_json;
-- Sessions rows are narrow now, and the history reads below never join them: fewer indexes to update.
DROP INDEX sessions_brief;
DROP INDEX criterion_totals_listener;
DROP INDEX auto_totals_listener;
DROP INDEX criterion_totals_person;
DROP INDEX auto_totals_person;
DROP INDEX observations_person;
DROP INDEX tallies_person;
""" + _session_facts("criterion_totals") + _session_facts("auto_totals") + """
ALTER TABLE rounds ADD COLUMN scenario_id TEXT NOT NULL DEFAULT '';
UPDATE rounds AS r SET scenario_id = s.scenario_id FROM sessions s WHERE s.id = r.session_id;

-- The automatic observer's behaviour counts per person and session (observations keeps them per turn).
CREATE TABLE observation_totals (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    listener TEXT NOT NULL,
    created_at REAL NOT NULL,
    kind TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    day INTEGER NOT NULL,                       -- local calendar day of created_at, days since 1970-01-01
    turns INTEGER NOT NULL,                     -- observations counted (0: none left after "try again")
    q_open INTEGER NOT NULL,
    q_closed INTEGER NOT NULL,
    r_simple INTEGER NOT NULL,
    r_complex INTEGER NOT NULL,
    PRIMARY KEY (session_id, listener)
) WITHOUT ROWID;
INSERT INTO observation_totals
    SELECT o.session_id, o.listener, s.created_at, s.kind, s.scenario_id, s.rubric_id,
    CAST(julianday(s.created_at, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER), count(*), sum(q_open),
    sum(q_closed), sum(r_simple), sum(r_complex) FROM observations o JOIN sessions s ON s.id = o.session_id
    GROUP BY o.session_id, o.listener;

-- People's behaviour counts (the automatic observer left out) per round and tally, over every rater.
CREATE TABLE tally_totals (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL,
    tally_id TEXT NOT NULL,
    listener TEXT NOT NULL,
    created_at REAL NOT NULL,
    kind TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    total INTEGER NOT NULL,
    rows INTEGER NOT NULL,                      -- tallies rows summed (a count of 0 still marks a session)
    PRIMARY KEY (session_id, round_no, tally_id)
) WITHOUT ROWID;
INSERT INTO tally_totals
    SELECT t.session_id, t.round_no, t.tally_id, max(t.listener), s.created_at, s.kind, s.scenario_id,
    s.rubric_id,
    CAST(julianday(s.created_at, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER), sum(t.count), count(*)
    FROM tallies t JOIN sessions s ON s.id = t.session_id
    WHERE t.rater != 'auto-observer' GROUP BY t.session_id, t.round_no, t.tally_id;

CREATE INDEX observation_totals_history ON observation_totals
    (listener, day, created_at, turns, q_open, q_closed, r_simple, r_complex, rubric_id, kind, scenario_id);
CREATE INDEX tally_totals_history ON tally_totals
    (listener, rubric_id, day, tally_id, created_at, total, rows, kind, scenario_id, session_id);
CREATE INDEX rounds_tried ON rounds (listener, scenario_id) WHERE started_at IS NOT NULL
"""


def _to_v3(db: sqlite3.Connection) -> None:
    """Version 3: snapshots stored once (content-addressed), and per-person history rows that need no
    join (session facts copied in, observer and tally counts added up per session)."""
    _run(db, _V3_SNAPSHOTS)
    migrate_snapshots(db)
    _run(db, _V3_HISTORY)


#: Ordered migrations: index ``i`` upgrades version ``i`` to ``i + 1``. Append new ones at the end.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_to_v1, _to_v2, _to_v3, to_v4, to_v5, to_v6,
                                                           to_v7]

#: The schema version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The database was written by a newer roleplay than this one."""


def migrate(db: sqlite3.Connection) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION` in one transaction; returns the version found.

    The connection must be in autocommit mode (``isolation_level=None``): the transaction is explicit so
    that a failed migration leaves the file exactly as it was.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise NewerSchemaError(found)
        for version in range(found, SCHEMA_VERSION):
            MIGRATIONS[version](db)
        if found != SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found
