"""Copying every record from one practice database to another (SQLite <-> PostgreSQL, either way).

Sessions go through the target's one write path (``import_events``), event by event with their stable
ids, so the target's projections, per-day totals and snapshots are built exactly as if the sessions had
been played there. Copying is idempotent: a session the target already has gets only the events it is
missing, and copying again adds nothing. A session whose stored log differs from the source's (another
session under the same id) is left alone and reported. The class tables (classes, their event logs,
presence) are copied too; the join-attempt log (a short-lived rate-limit record) is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: The tables whose row counts are compared after a copy (the event logs and what they project).
CHECKED = ("sessions", "events", "rounds", "turns", "ratings", "tallies", "notes", "observations", "snapshots",
           "classes", "class_events")


@dataclass
class CopyResult:
    """What a copy did."""

    sessions: int = 0
    """Sessions looked at."""
    copied_events: int = 0
    """Events written to the target (0 on a second copy)."""
    conflicts: list[str] = field(default_factory=list)
    """Session ids whose target log differs from the source's (left alone)."""
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per checked table: (rows in the source, rows in the target) after the copy."""

    @property
    def complete(self) -> bool:
        """True when the target holds at least every source row of every checked table, no conflicts."""
        return not self.conflicts and all(target >= source for source, target in self.counts.values())


def _session_ids(store: Any) -> list[str]:
    return [str(r[0]) for r in store._read("SELECT id FROM sessions ORDER BY created_at, id")]


def copy_session(source: Any, target: Any, session_id: str) -> int | None:
    """Copy the events of ``session_id`` the target lacks; returns how many (None: the logs conflict)."""
    events = source.load_events(session_id)
    have = target.events_after(session_id, 0)
    if [e.id for e in have] != [e.id for e in events[:len(have)]]:
        return None
    missing = events[len(have):]
    status = source._read("SELECT status FROM sessions WHERE id = ?", (session_id,))[0][0]
    if missing:
        target.import_events(session_id, missing, expect_stored=len(have), mark_abandoned=status == "abandoned")
    elif status == "abandoned":
        target.abandon_session(session_id)
    return len(missing)


def _copy_classes(source: Any, target: Any) -> None:
    """Classes, their event logs (the events the target lacks) and seat presence."""
    classes = source._read("SELECT id, code, token_hash, created_at, status FROM classes")
    with target._transaction() as db:
        for row in classes:
            db.execute("INSERT OR IGNORE INTO classes (id, code, token_hash, created_at, status) VALUES (?,?,?,?,?)",
                       tuple(row))
            top = db.execute("SELECT coalesce(max(seq), 0) FROM class_events WHERE class_id = ?",
                             (row[0],)).fetchone()[0]
            for event in source._read("SELECT class_id, seq, at, type, data, id FROM class_events"
                                      " WHERE class_id = ? AND seq > ? ORDER BY seq", (row[0], top)):
                db.execute("INSERT INTO class_events (class_id, seq, at, type, data, id) VALUES (?,?,?,?,?,?)",
                           tuple(event))
        for row in source._read("SELECT class_id, name, device_hash, seen_at FROM class_presence"):
            db.execute("INSERT OR IGNORE INTO class_presence (class_id, name, device_hash, seen_at)"
                       " VALUES (?,?,?,?)", tuple(row))


def counts(store: Any) -> dict[str, int]:
    """Rows per checked table."""
    return {table: int(store._read(f"SELECT count(*) FROM {table}")[0][0]) for table in CHECKED}


def copy_all(source: Any, target: Any, progress: Callable[[str], None] | None = None) -> CopyResult:
    """Copy every record from ``source`` to ``target`` (see the module docstring); ``progress`` is
    called with each session id as it is done."""
    result = CopyResult()
    for session_id in _session_ids(source):
        done = copy_session(source, target, session_id)
        result.sessions += 1
        if done is None:
            result.conflicts.append(session_id)
        else:
            result.copied_events += done
        if progress is not None:
            progress(session_id)
    _copy_classes(source, target)
    before, after = counts(source), counts(target)
    result.counts = {table: (before[table], after[table]) for table in CHECKED}
    return result
