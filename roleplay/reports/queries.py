"""Store access the reports need beyond the store's public queries: id lookup, bulk event writes, and
the class report's read-only queries.

These use the store's private ``_read`` and ``_transaction`` helpers on purpose: they keep the store's
lock, its single connection and its user-facing error translation, without widening the store's API.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from roleplay.storage.errors import SessionNotFoundError, StorageError
from roleplay.storage.events import Event
from roleplay.storage.projection import project
from roleplay.storage.snapshots import split
from roleplay.storage.store import Store


class SessionLookupError(StorageError):
    """A session id (or prefix) given on the command line matches no stored session, or several."""


def resolve_session_id(store: Store, given: str) -> str:
    """The stored session id equal to ``given``, or the only one starting with it.

    Raises :class:`SessionLookupError` with a message that lists candidates when the prefix is ambiguous.
    """
    if store._read("SELECT 1 FROM sessions WHERE id = ?", (given,)):
        return given
    escaped = given.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = store._read("SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
                       (escaped + "%",))
    if len(rows) == 1:
        return str(rows[0][0])
    if not rows:
        raise SessionLookupError(
            f"No saved practice session has an id starting with {given!r}. Check the id: the app's "
            "history screen, earlier reports and export file names show it."
        )
    shown = ", ".join(str(r[0]) for r in rows[:5])
    raise SessionLookupError(f"{given!r} matches several sessions ({shown}{', ...' if len(rows) > 5 else ''}); "
                             "give more of the id.")


def stored_events(store: Store, session_id: str) -> list[Event]:
    """A session's events in order, or an empty list when the session is not stored."""
    try:
        return store.load_events(session_id)
    except SessionNotFoundError:
        return []


def write_events(store: Store, session_id: str, events: Sequence[Event], *, expect_stored: int,
                 mark_abandoned: bool) -> None:
    """Append ``events`` with their projections in ONE transaction (all or nothing).

    ``expect_stored`` is how many events the caller saw stored; if another program changed the session
    meanwhile the transaction is refused. With ``mark_abandoned`` an unfinished session is marked
    abandoned so it is never offered for "resume" on this computer.
    """
    with store._transaction() as db:
        count = db.execute("SELECT count(*) FROM events WHERE session_id = ?", (session_id,)).fetchone()[0]
        if count != expect_stored:
            raise StorageError("The session changed while it was being imported; nothing was imported. "
                               "Please try again.")
        for event in events:
            _insert(db, session_id, event)
        if mark_abandoned:
            db.execute("UPDATE sessions SET status = 'abandoned' WHERE id = ? AND status = 'active'", (session_id,))


def _insert(db: sqlite3.Connection, session_id: str, event: Event) -> None:
    # As roleplay.storage.projection.write_event (the store's write path): snapshots stored once and
    # referenced; the sessions row must exist before its first event (foreign key).
    data = event.data
    if event.type == "session_created":
        data, _ = split(db, event.data)
        project(db, session_id, event)
    db.execute("INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
               (session_id, event.seq, event.at, event.type, json.dumps(data, ensure_ascii=False)))
    if event.type != "session_created":
        project(db, session_id, event)


def _filters(since: float | None, tag: str | None) -> tuple[str, tuple[Any, ...]]:
    clauses, params = ["1"], []
    if since is not None:
        clauses.append("s.created_at >= ?")
        params.append(since)
    if tag is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each((SELECT json FROM snapshots WHERE sha = s.scenario_sha),"
                       " '$.tags') WHERE value = ?)")
        params.append(tag)
    return " AND ".join(clauses), tuple(params)


def class_data(store: Store, since: float | None, tag: str | None, auto_rater: str) -> dict[str, list[Any]]:
    """The rows the class report needs, for sessions created at/after ``since`` with scenario tag ``tag``.

    Keys: ``sessions`` (id, created_at), ``rubrics`` (rubric_id, rubric_json of the newest session using it),
    ``ratings`` (session_id, round_no, listener, rubric_id, criterion_id, value, round start),
    ``rounds`` (session_id, round_no, speaker, listener, observers JSON, started_at; started rounds only),
    ``people`` (session_id, name).
    """
    where, params = _filters(since, tag)
    sessions = store._read(f"SELECT s.id, s.created_at FROM sessions s WHERE {where} ORDER BY s.created_at",
                           params)
    rubrics = store._read(
        f"SELECT s.rubric_id, (SELECT json FROM snapshots WHERE sha = s.rubric_sha), max(s.created_at)"
        f" FROM sessions s WHERE {where} GROUP BY s.rubric_id",
        params)
    ratings = store._read(
        "SELECT r.session_id, r.round_no, r.listener, s.rubric_id, r.criterion_id, r.value,"
        " coalesce(rd.started_at, r.at) FROM ratings r JOIN sessions s ON s.id = r.session_id"
        " LEFT JOIN rounds rd ON rd.session_id = r.session_id AND rd.round_no = r.round_no"
        f" WHERE {where} AND r.rater != ?", (*params, auto_rater))
    rounds = store._read(
        "SELECT rd.session_id, rd.round_no, rd.speaker, rd.listener, rd.observers, rd.started_at"
        f" FROM rounds rd JOIN sessions s ON s.id = rd.session_id WHERE {where} AND rd.started_at IS NOT NULL",
        params)
    people = store._read(
        f"SELECT p.session_id, p.name FROM participants p JOIN sessions s ON s.id = p.session_id WHERE {where}"
        " ORDER BY s.created_at, p.position", params)
    return {"sessions": sessions, "rubrics": rubrics, "ratings": ratings, "rounds": rounds, "people": people}
