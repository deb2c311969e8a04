"""Schema version 4: per-person, per-day totals for the history screen, kept in step by triggers.

The history screen charts a person's practice by day. Reading the per-round totals tables means
visiting every round the person ever listened in (thousands of rows for a heavy user) on every open;
these tables hold one row per person, day and criterion (or tally), so an unfiltered history reads a
few hundred rows. Filtered views (one scenario, solo or group, a date range) still read the per-round
tables, which carry the columns to filter on.

Triggers rather than Python keep them right: every write to a per-round totals table (ratings, "try
again", imports, a deleted session's cascade) recomputes the one day row it touches from the per-round
rows of that person and day, by index. A write costs one small indexed read more; nothing can forget it.
"""

from __future__ import annotations

import sqlite3

#: table -> (day table, key columns, the aggregate columns and expressions, the row filter).
_DAYS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "criterion_totals": (
        "criterion_days", ("listener", "rubric_id", "criterion_id", "day"),
        "min(created_at), sum(total), sum(n), count(*), max(session_id)", "1",
    ),
    "auto_totals": (
        "auto_days", ("listener", "rubric_id", "criterion_id", "day"),
        "min(created_at), sum(total), sum(n), count(*), max(session_id)", "1",
    ),
    "observation_totals": (
        "observation_days", ("listener", "day"),
        "min(created_at), count(*), max(rubric_id), sum(q_open), sum(q_closed), sum(r_simple), sum(r_complex)",
        "turns > 0",
    ),
    "tally_totals": (
        "tally_days", ("listener", "rubric_id", "day", "tally_id"),
        "min(created_at), count(DISTINCT session_id), sum(total)", "rows > 0",
    ),
}

_TABLES = """
-- People's (criterion_days) and the automatic observer's (auto_days) ratings per person, day, criterion.
CREATE TABLE criterion_days (
    listener TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    day INTEGER NOT NULL,                       -- local calendar day, days since 1970-01-01
    created_at REAL NOT NULL,                   -- when the day's first session was created
    total INTEGER NOT NULL,
    n INTEGER NOT NULL,
    rounds INTEGER NOT NULL,                    -- per-round rows added up (a person listens once a session)
    session_id TEXT NOT NULL,                   -- one of the day's sessions (to find the rubric snapshot)
    PRIMARY KEY (listener, rubric_id, criterion_id, day)
) WITHOUT ROWID;
CREATE TABLE auto_days (
    listener TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    created_at REAL NOT NULL,
    total INTEGER NOT NULL,
    n INTEGER NOT NULL,
    rounds INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    PRIMARY KEY (listener, rubric_id, criterion_id, day)
) WITHOUT ROWID;
-- The automatic observer's behaviour counts per person and day (sessions with at least one turn).
CREATE TABLE observation_days (
    listener TEXT NOT NULL,
    day INTEGER NOT NULL,
    created_at REAL NOT NULL,
    sessions INTEGER NOT NULL,
    rubric_id TEXT NOT NULL,                    -- the greatest rubric id of the day (a snapshot to read)
    q_open INTEGER NOT NULL,
    q_closed INTEGER NOT NULL,
    r_simple INTEGER NOT NULL,
    r_complex INTEGER NOT NULL,
    PRIMARY KEY (listener, day)
) WITHOUT ROWID;
-- People's behaviour counts per person, rubric, day and tally.
CREATE TABLE tally_days (
    listener TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    tally_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    sessions INTEGER NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (listener, rubric_id, day, tally_id)
) WITHOUT ROWID
"""


def _refresh(table: str, row: str) -> str:
    """Statements recomputing the day row of ``row`` (``NEW`` or ``OLD``) from ``table``."""
    days, keys, aggregates, keep = _DAYS[table]
    match = " AND ".join(f"{k} = {row}.{k}" for k in keys)
    columns = ", ".join(keys)
    return (f"DELETE FROM {days} WHERE {match};\n"
            f"    INSERT INTO {days} SELECT {columns}, {aggregates} FROM {table}"
            f" WHERE {match} AND {keep} GROUP BY {columns};")


def _triggers(table: str) -> list[str]:
    """Insert, update and delete triggers keeping ``table``'s day table in step."""
    _, keys, _, _ = _DAYS[table]
    moved = " OR ".join(f"OLD.{k} IS NOT NEW.{k}" for k in keys)
    return [
        f"CREATE TRIGGER {table}_days_insert AFTER INSERT ON {table} BEGIN\n    {_refresh(table, 'NEW')}\nEND",
        f"CREATE TRIGGER {table}_days_update AFTER UPDATE ON {table} BEGIN\n    {_refresh(table, 'NEW')}\nEND",
        # A row moved to another person or day (never in normal use) also leaves its old day.
        f"CREATE TRIGGER {table}_days_move AFTER UPDATE ON {table} WHEN {moved} BEGIN\n"
        f"    {_refresh(table, 'OLD')}\nEND",
        f"CREATE TRIGGER {table}_days_delete AFTER DELETE ON {table} BEGIN\n    {_refresh(table, 'OLD')}\nEND",
    ]


def to_v4(db: sqlite3.Connection) -> None:
    """Version 4: the per-day tables, filled from the per-round ones, and the triggers that keep them."""
    for statement in _TABLES.split(";\n"):
        if statement.strip():
            db.execute(statement)
    for table, (days, keys, aggregates, keep) in _DAYS.items():
        columns = ", ".join(keys)
        db.execute(f"INSERT INTO {days} SELECT {columns}, {aggregates} FROM {table} WHERE {keep} GROUP BY {columns}")
        for trigger in _triggers(table):
            db.execute(trigger)
