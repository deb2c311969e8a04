"""Writing each event's effect into the normalised tables (called inside the event's transaction).

Event payloads carry everything needed (listener, turn index, resulting count), so this code keeps no
state; it reads back only a replaced rating's old value, to keep the running totals right.
"""

from __future__ import annotations

import json
import sqlite3

from roleplay.storage.events import Event

#: The automatic observer's rater name (the same as ``roleplay.session.roles.AUTO_RATER``).
AUTO_RATER = "auto-observer"

_TURN = "session_id = ? AND round_no = ? AND turn_index = ?"
_ROUND = "session_id = ? AND round_no = ?"


def _rounds(db: sqlite3.Connection, session_id: str, rounds: list[dict]) -> None:
    db.execute("DELETE FROM rounds WHERE session_id = ?", (session_id,))
    db.executemany(
        "INSERT INTO rounds (session_id, round_no, speaker, listener, observers) VALUES (?, ?, ?, ?, ?)",
        [
            (session_id, i + 1, r["speaker"], r["listener"], json.dumps(r["observers"]))
            for i, r in enumerate(rounds)
        ],
    )


def _participants(db: sqlite3.Connection, session_id: str, names: list[str]) -> None:
    db.execute("DELETE FROM participants WHERE session_id = ?", (session_id,))
    db.executemany(
        "INSERT INTO participants (session_id, name, position) VALUES (?, ?, ?)",
        [(session_id, name, i) for i, name in enumerate(names)],
    )


def _totals(db: sqlite3.Connection, d: dict, at: float, old_value: int, old_n: int) -> None:
    """Keep ``criterion_totals`` (people) or ``auto_totals`` (the automatic observer) equal to the sum and
    count of the round's ratings."""
    new_value, new_n = (0, 0) if d["value"] is None else (int(d["value"]), 1)
    table = "auto_totals" if d["rater"] == AUTO_RATER else "criterion_totals"
    db.execute(
        f"INSERT INTO {table} VALUES (?,?,?,?,?,?,?) ON CONFLICT (session_id, round_no, criterion_id)"
        " DO UPDATE SET total = total + excluded.total, n = n + excluded.n, at = excluded.at",
        (d["session_id"], d["round"], d["criterion_id"], d["listener"], new_value - old_value,
         new_n - old_n, at),
    )


def _retry(db: sqlite3.Connection, key: tuple, at: float) -> None:
    """"Try again": the turn's ratings, counts and observation stop counting (the events keep them)."""
    for table, rater_test in (("criterion_totals", "rater != ?"), ("auto_totals", "rater = ?")):
        db.execute(
            f"INSERT INTO {table} SELECT session_id, round_no, criterion_id, listener, -sum(value), -count(*), ?"
            f" FROM ratings WHERE {_TURN} AND {rater_test} GROUP BY criterion_id"
            " ON CONFLICT (session_id, round_no, criterion_id)"
            " DO UPDATE SET total = total + excluded.total, n = n + excluded.n, at = excluded.at",
            (at, *key, AUTO_RATER),
        )
    for table in ("ratings", "tallies", "observations"):
        db.execute(f"DELETE FROM {table} WHERE {_TURN}", key)
    db.execute("UPDATE turns SET response = NULL, move = NULL, attempts = attempts + 1 WHERE " + _TURN, key)


def project(db: sqlite3.Connection, session_id: str, event: Event) -> None:
    """Update the normalised tables for one event."""
    d, kind, at = event.data, event.type, event.at
    if kind == "session_created":
        scenario, rubric = d["scenario"], d["rubric"]
        db.execute(
            "INSERT INTO sessions (id, created_at, updated_at, kind, mode, minutes, agreement_id,"
            " scenario_id, scenario_title, rubric_id, scenario_json, rubric_json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, at, at, d["kind"], d["mode"], d["minutes"], d["agreement_id"], scenario["id"],
             scenario["title"], rubric["id"], json.dumps(scenario), json.dumps(rubric)),
        )
        _participants(db, session_id, d["names"])
        _rounds(db, session_id, d["rounds"])
        return
    db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (at, session_id))
    key = (session_id, d.get("round"), d.get("turn_index"))
    if kind == "rotation_set":
        _participants(db, session_id, d["order"])
        _rounds(db, session_id, d["rounds"])
    elif kind == "agreement_acknowledged":
        db.execute("UPDATE sessions SET agreement_ack_at = ? WHERE id = ?", (at, session_id))
    elif kind == "round_started":
        db.execute("UPDATE rounds SET started_at = ? WHERE " + _ROUND,
                   (at, session_id, d["round"]))
        db.execute(
            "INSERT INTO turns (session_id, round_no, turn_index, turn_id, listener, started_at)"
            " VALUES (?,?,?,?,?,?)", (*key, d["turn_id"], d["listener"], at),
        )
    elif kind == "card_revealed":
        db.execute("UPDATE rounds SET card_revealed_at = ? WHERE " + _ROUND,
                   (at, session_id, d["round"]))
    elif kind == "response_recorded":
        db.execute("UPDATE turns SET response = ? WHERE " + _TURN,
                   (d["text"], *key))
    elif kind == "move_marked":
        db.execute("UPDATE turns SET move = ? WHERE " + _TURN,
                   (d["move"], *key))
    elif kind == "note_recorded":
        db.execute("DELETE FROM notes WHERE session_id = ? AND round_no = ? AND turn_index = ? AND rater = ?",
                   (*key, d["rater"]))
        if d["text"]:
            db.execute("INSERT INTO notes VALUES (?,?,?,?,?,?)", (*key, d["rater"], d["text"], at))
    elif kind == "rating_recorded":
        index = -1 if d["turn_index"] is None else d["turn_index"]
        where = (session_id, d["round"], index, d["rater"], d["criterion_id"])
        sql = " FROM ratings WHERE " + _TURN + " AND rater = ? AND criterion_id = ?"
        old = db.execute("SELECT value" + sql, where).fetchone()
        db.execute("DELETE" + sql, where)
        if d["value"] is not None:
            db.execute("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?)",
                       (*where, d["listener"], d["value"], d["note"], at))
        _totals(db, {**d, "session_id": session_id}, at, *((old[0], 1) if old else (0, 0)))
    elif kind == "tally_changed":
        db.execute("INSERT OR REPLACE INTO tallies VALUES (?,?,?,?,?,?,?,?)",
                   (*key, d["rater"], d["tally_id"], d["listener"], d["count"], at))
    elif kind == "turn_confirmed":
        db.execute("UPDATE turns SET confirmed_at = ? WHERE " + _TURN,
                   (at, *key))
        if d["next_turn_id"] is not None:
            db.execute(
                "INSERT INTO turns (session_id, round_no, turn_index, turn_id, listener, started_at)"
                " VALUES (?,?,?,?,?,?)",
                (session_id, d["round"], d["turn_index"] + 1, d["next_turn_id"], d["listener"], at),
            )
    elif kind in ("unpaused", "round_ended") and d.get("round") is not None:
        db.execute("UPDATE rounds SET paused_seconds = paused_seconds + ? WHERE " + _ROUND,
                   (d.get("paused_seconds", 0.0), session_id, d["round"]))
        if kind == "round_ended":
            db.execute("UPDATE rounds SET ended_at = ?, ended_early = ? WHERE " + _ROUND,
                       (at, int(d["early"]), session_id, d["round"]))
    elif kind == "observation_recorded":
        codes = set(d["behaviours"])
        db.execute(
            "INSERT OR REPLACE INTO observations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (*key, d["listener"], d["label"], d["subtype"], d["confidence"], json.dumps(d["behaviours"]),
             int("question_open" in codes), int("question_closed" in codes),
             int("reflection_simple" in codes), int("reflection_complex" in codes), at),
        )
    elif kind == "turn_retried":
        _retry(db, key, at)
    elif kind == "session_finished":
        db.execute("UPDATE sessions SET status = 'finished', finished_at = ? WHERE id = ?", (at, session_id))
