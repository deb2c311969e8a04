"""Writing each event's effect into the normalised tables (called inside the event's transaction).

Event payloads carry everything needed (listener, turn index, resulting count), so this code keeps no
state; it reads back only a replaced rating's, count's or observation's old value, to keep the running
totals right, and a session's fixed facts (created_at, kind, scenario, rubric), which the per-person
history rows carry so that the history screen never joins them to ``sessions``.
"""

from __future__ import annotations

import json
import sqlite3

from roleplay.storage.events import AUTO_RATER, Event, EventType
from roleplay.storage.snapshots import save_snapshot, split

_TURN = "session_id = ? AND round_no = ? AND turn_index = ?"
_ROUND = "session_id = ? AND round_no = ?"


#: The session facts copied into per-person history rows (read from sessions by primary key); ``day`` is
#: the local calendar day the session was created on (days since 1970-01-01), fixed when written.
_FACT_COLUMNS = "created_at, kind, scenario_id, rubric_id, day"
_FACTS = ("created_at, kind, scenario_id, rubric_id,"
          " CAST(julianday(created_at, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER)")
#: The same facts for a row of one round: its own scenario (rounds may play different ones; see
#: ``roleplay.session.plan``), read from ``rounds`` by the extra ``?`` (the round number).
_ROUND_FACTS = _FACTS.replace(
    "scenario_id,", "coalesce((SELECT rd.scenario_id FROM rounds rd WHERE rd.session_id = sessions.id"
    " AND rd.round_no = ?), scenario_id),", 1)


def _rounds(db: sqlite3.Connection, session_id: str, rounds: list[dict],
            scenario_ids: list[str] | None = None) -> None:
    """(Re)write a session's rounds; ``scenario_ids`` by round (default: kept from the rows there)."""
    if scenario_ids is None:  # a new order changes who plays what, never what each round plays
        scenario_ids = [row[0] for row in db.execute(
            "SELECT scenario_id FROM rounds WHERE session_id = ? ORDER BY round_no", (session_id,))]
    db.execute("DELETE FROM rounds WHERE session_id = ?", (session_id,))
    db.executemany(
        "INSERT INTO rounds (session_id, round_no, speaker, listener, observers, scenario_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (session_id, i + 1, r["speaker"], r["listener"], json.dumps(r["observers"]), scenario_ids[i])
            for i, r in enumerate(rounds)
        ],
    )


def _round_scenario_ids(d: dict) -> list[str]:
    """Each round's scenario id from ``session_created`` data (the chosen one when rounds do not differ)."""
    plays = d.get("round_scenarios") or []
    ids = [item["scenario"]["id"] for item in plays if isinstance(item.get("scenario"), dict)
           and "id" in item["scenario"]]
    if len(ids) == len(d["rounds"]):
        return ids
    return [d["scenario"]["id"]] * len(d["rounds"])


def _participants(db: sqlite3.Connection, session_id: str, names: list[str]) -> None:
    db.execute("DELETE FROM participants WHERE session_id = ?", (session_id,))
    db.executemany(
        "INSERT INTO participants (session_id, name, position) VALUES (?, ?, ?)",
        [(session_id, name, i) for i, name in enumerate(names)],
    )


#: The rating an event replaces (session, round, turn, rater, criterion): read inside the statements that
#: need it, so that writing a rating sends statements without waiting for a reply (one round trip on a
#: server; see ``roleplay.storage.pg.store``).
_OLD_RATING = ("FROM ratings WHERE session_id = ? AND round_no = ? AND turn_index = ? AND rater = ?"
               " AND criterion_id = ?")
_OLD_TALLY = "FROM tallies WHERE " + _TURN + " AND rater = ? AND tally_id = ?"


def _totals(db: sqlite3.Connection, d: dict, at: float, where: tuple) -> None:
    """Keep ``criterion_totals`` (people) or ``auto_totals`` (the automatic observer) equal to the sum and
    count of the round's ratings; run before the rating ``where`` (its key) is replaced, whose old value
    the statement subtracts."""
    new_value, new_n = (0, 0) if d["value"] is None else (int(d["value"]), 1)
    table = "auto_totals" if d["rater"] == AUTO_RATER else "criterion_totals"
    db.execute(
        f"INSERT INTO {table} (session_id, round_no, criterion_id, listener, total, n, at, {_FACT_COLUMNS})"
        f" SELECT ?,?,?,?, ? - coalesce((SELECT value {_OLD_RATING}), 0), ? - (SELECT count(*) {_OLD_RATING}),"
        f" ?, {_ROUND_FACTS} FROM sessions WHERE id = ?"
        " ON CONFLICT (session_id, round_no, criterion_id)"
        " DO UPDATE SET total = total + excluded.total, n = n + excluded.n, at = excluded.at",
        (d["session_id"], d["round"], d["criterion_id"], d["listener"], new_value, *where, new_n, *where,
         at, d["round"], d["session_id"]),
    )


def _tally(db: sqlite3.Connection, key: tuple, d: dict, at: float) -> None:
    """Store a behaviour count, keeping people's per-round ``tally_totals`` in step (the old count is
    read inside the statement, as for ratings)."""
    if d["rater"] != AUTO_RATER:
        old = (*key, d["rater"], d["tally_id"])
        db.execute(
            f"INSERT INTO tally_totals (session_id, round_no, tally_id, listener, {_FACT_COLUMNS}, total, rows)"
            f" SELECT ?, ?, ?, ?, {_ROUND_FACTS}, ? - coalesce((SELECT count {_OLD_TALLY}), 0),"
            f" 1 - (SELECT count(*) {_OLD_TALLY}) FROM sessions WHERE id = ?"
            " ON CONFLICT (session_id, round_no, tally_id)"
            " DO UPDATE SET total = total + excluded.total, rows = rows + excluded.rows",
            (key[0], key[1], d["tally_id"], d["listener"], key[1], d["count"], *old, *old, key[0]),
        )
    db.execute("INSERT OR REPLACE INTO tallies VALUES (?,?,?,?,?,?,?,?)",
               (*key, d["rater"], d["tally_id"], d["listener"], d["count"], at))


_COUNTS = ("question_open", "question_closed", "reflection_simple", "reflection_complex")


def _observation(db: sqlite3.Connection, key: tuple, d: dict, at: float) -> None:
    """Store the observer's view of a turn, keeping the per-session ``observation_totals`` in step."""
    codes = set(d["behaviours"])
    counts = [int(code in codes) for code in _COUNTS]
    old = db.execute("SELECT q_open, q_closed, r_simple, r_complex FROM observations WHERE " + _TURN,
                     key).fetchone()
    delta = [c - (o if old else 0) for c, o in zip(counts, old or (0, 0, 0, 0), strict=True)]
    _observation_totals(db, key[0], d["listener"], 0 if old else 1, delta)
    db.execute(
        "INSERT OR REPLACE INTO observations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*key, d["listener"], d["label"], d["subtype"], d["confidence"], json.dumps(d["behaviours"]),
         *counts, at),
    )


def _observation_totals(db: sqlite3.Connection, session_id: str, listener: str, turns: int,
                        delta: list[int]) -> None:
    db.execute(
        f"INSERT INTO observation_totals (session_id, listener, {_FACT_COLUMNS}, turns, q_open, q_closed,"
        f" r_simple, r_complex) SELECT ?, ?, {_FACTS}, ?, ?, ?, ?, ? FROM sessions WHERE id = ?"
        " ON CONFLICT (session_id, listener) DO UPDATE SET turns = turns + excluded.turns,"
        " q_open = q_open + excluded.q_open, q_closed = q_closed + excluded.q_closed,"
        " r_simple = r_simple + excluded.r_simple, r_complex = r_complex + excluded.r_complex",
        (session_id, listener, turns, *delta, session_id),
    )


def _retry(db: sqlite3.Connection, key: tuple, at: float) -> None:
    """"Try again": the turn's ratings, counts and observation stop counting (the events keep them)."""
    for table, rater_test in (("criterion_totals", "rater != ?"), ("auto_totals", "rater = ?")):
        db.execute(
            f"INSERT INTO {table} (session_id, round_no, criterion_id, listener, total, n, at, {_FACT_COLUMNS})"
            f" SELECT r.session_id, r.round_no, r.criterion_id, r.listener, -sum(r.value), -count(*), ?,"
            f" {_FACTS.replace('created_at', 's.created_at')} FROM ratings r JOIN sessions s"
            f" ON s.id = r.session_id WHERE r.{_TURN.replace(' AND ', ' AND r.')} AND r.{rater_test}"
            # Every selected column grouped (one turn: one listener; PostgreSQL wants them all named).
            " GROUP BY r.session_id, r.round_no, r.criterion_id, r.listener, s.created_at, s.kind,"
            " s.scenario_id, s.rubric_id ON CONFLICT (session_id, round_no, criterion_id)"
            " DO UPDATE SET total = total + excluded.total, n = n + excluded.n, at = excluded.at",
            (at, *key, AUTO_RATER),
        )
    for tally_id, total, rows in db.execute(
        f"SELECT tally_id, sum(count), count(*) FROM tallies WHERE {_TURN} AND rater != ? GROUP BY tally_id",
        (*key, AUTO_RATER),
    ).fetchall():
        db.execute("UPDATE tally_totals SET total = total - ?, rows = rows - ?"
                   " WHERE session_id = ? AND round_no = ? AND tally_id = ?", (total, rows, key[0], key[1], tally_id))
    old = db.execute("SELECT listener, q_open, q_closed, r_simple, r_complex FROM observations WHERE " + _TURN,
                     key).fetchone()
    if old is not None:
        _observation_totals(db, key[0], old[0], -1, [-v for v in old[1:]])
    for table in ("ratings", "tallies", "observations"):
        db.execute(f"DELETE FROM {table} WHERE {_TURN}", key)
    db.execute("UPDATE turns SET response = NULL, move = NULL, attempts = attempts + 1 WHERE " + _TURN, key)


def project(db: sqlite3.Connection, session_id: str, event: Event, shas: dict[str, str] | None = None) -> None:
    """Update the normalised tables for one event (``shas``: the snapshot digests, when already saved)."""
    d, kind, at = event.data, EventType.of(event), event.at
    if kind == EventType.session_created:
        scenario, rubric = d["scenario"], d["rubric"]
        if shas is None:
            shas = {"scenario": save_snapshot(db, "scenario", scenario), "rubric": save_snapshot(db, "rubric", rubric)}
        db.execute(
            "INSERT INTO sessions (id, created_at, updated_at, kind, mode, minutes, agreement_id,"
            " scenario_id, scenario_title, rubric_id, scenario_sha, rubric_sha)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, at, at, d["kind"], d["mode"], d["minutes"], d["agreement_id"], scenario["id"],
             scenario["title"], rubric["id"], shas["scenario"], shas["rubric"]),
        )
        _participants(db, session_id, d["names"])
        _rounds(db, session_id, d["rounds"], _round_scenario_ids(d))
        return
    db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (at, session_id))
    key = (session_id, d.get("round"), d.get("turn_index"))
    match kind:
        case EventType.rotation_set:
            _participants(db, session_id, d["order"])
            _rounds(db, session_id, d["rounds"])
        case EventType.agreement_acknowledged:
            db.execute("UPDATE sessions SET agreement_ack_at = ? WHERE id = ?", (at, session_id))
        case EventType.round_started:
            db.execute("UPDATE rounds SET started_at = ? WHERE " + _ROUND,
                       (at, session_id, d["round"]))
            db.execute(
                "INSERT INTO turns (session_id, round_no, turn_index, turn_id, listener, started_at)"
                " VALUES (?,?,?,?,?,?)", (*key, d["turn_id"], d["listener"], at),
            )
        case EventType.card_revealed:
            db.execute("UPDATE rounds SET card_revealed_at = ? WHERE " + _ROUND,
                       (at, session_id, d["round"]))
        case EventType.response_recorded:
            db.execute("UPDATE turns SET response = ? WHERE " + _TURN,
                       (d["text"], *key))
        case EventType.move_marked:
            db.execute("UPDATE turns SET move = ? WHERE " + _TURN,
                       (d["move"], *key))
        case EventType.note_recorded | EventType.round_note_recorded:
            # A note on the whole round is stored with turn_index -1, as a per-round rating is.
            spot = key if kind == EventType.note_recorded else (session_id, d["round"], -1)
            db.execute(f"DELETE FROM notes WHERE {_TURN} AND rater = ?", (*spot, d["rater"]))
            if d["text"]:
                db.execute("INSERT INTO notes VALUES (?,?,?,?,?,?)", (*spot, d["rater"], d["text"], at))
        case EventType.rating_recorded:
            index = -1 if d["turn_index"] is None else d["turn_index"]
            where = (session_id, d["round"], index, d["rater"], d["criterion_id"])
            _totals(db, {**d, "session_id": session_id}, at, where)  # first: it reads the rating replaced
            db.execute(f"DELETE {_OLD_RATING}", where)
            if d["value"] is not None:
                db.execute("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?)",
                           (*where, d["listener"], d["value"], d["note"], at))
        case EventType.tally_changed:
            _tally(db, key, d, at)
        case EventType.turn_confirmed:
            db.execute("UPDATE turns SET confirmed_at = ? WHERE " + _TURN,
                       (at, *key))
            if d["next_turn_id"] is not None:
                db.execute(
                    "INSERT INTO turns (session_id, round_no, turn_index, turn_id, listener, started_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (session_id, d["round"], d["turn_index"] + 1, d["next_turn_id"], d["listener"], at),
                )
        case EventType.unpaused | EventType.round_ended | EventType.reopened if d.get("round") is not None:
            db.execute("UPDATE rounds SET paused_seconds = paused_seconds + ? WHERE " + _ROUND,
                       (d.get("paused_seconds", 0.0), session_id, d["round"]))
            if kind == EventType.round_ended:
                db.execute("UPDATE rounds SET ended_at = ?, ended_early = ? WHERE " + _ROUND,
                           (at, int(d["early"]), session_id, d["round"]))
        case EventType.observation_recorded:
            _observation(db, key, d, at)
        case EventType.turn_retried:
            _retry(db, key, at)
        case EventType.session_finished:
            db.execute("UPDATE sessions SET status = 'finished', finished_at = ? WHERE id = ?", (at, session_id))
        case _:  # paused, and a newer app's events: nothing to project
            pass


def write_event(db: sqlite3.Connection, session_id: str, event: Event) -> None:
    """Insert one event and its projections inside the caller's transaction (the app's, an import's or a
    batch's): the one write path, so every copy of the data is shaped the same way. A ``session_created``
    payload is stored with its snapshots replaced by references (``roleplay.storage.snapshots``)."""
    if event.type == EventType.session_created:
        stored, shas = split(db, event.data)
        # The sessions row must exist before its first event row (foreign key).
        project(db, session_id, event, shas)
        payload = json.dumps(stored, ensure_ascii=False)
    else:
        payload = json.dumps(event.data, ensure_ascii=False)
    db.execute("INSERT INTO events (session_id, seq, at, type, data, id) VALUES (?, ?, ?, ?, ?, ?)",
               (session_id, event.seq, event.at, event.type, payload, event.id))
    if event.type != EventType.session_created:
        project(db, session_id, event)
