"""The class tables' reads and writes (schema version 5), and the polling that lets one process see
what another wrote.

Every function takes an open :class:`~roleplay.storage.store.Store`. Class events are appended with
an optimistic check: the caller says which sequence number it expects to write, and the insert is
refused (:class:`StaleError`) when another process got there first, so each process's copy of the class
state is always a prefix of the stored log. (A practice session's log needs no extra check: the store's
``append_event`` already refuses a sequence number that is taken, ``SessionOpenElsewhereError``.)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roleplay.storage.errors import StaleError, StorageError
from roleplay.storage.events import Event

if TYPE_CHECKING:
    from roleplay.storage.store import Store


class ClassNotFoundError(StorageError):
    """No class has this id or code."""


@dataclass(frozen=True, slots=True)
class ClassRow:
    """One class as stored in ``classes``."""

    id: str
    code: str
    token_hash: str
    created_at: float
    status: str


@contextmanager
def _tx(store: Store) -> Iterator[sqlite3.Connection]:
    """One write transaction on the store's connection."""
    with store._transaction() as db:  # BEGIN IMMEDIATE: SQLite's write lock for the whole check-and-write
        yield db


def _rows(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return store._read(sql, params)


# ---------------------------------------------------------------------------- classes
def create_class(store: Store, class_id: str, code: str, token_hash: str, at: float, first: Event) -> None:
    """Save a new class and its first event (``class_created``) in one transaction."""
    with _tx(store) as db:
        try:
            db.execute("INSERT INTO classes (id, code, token_hash, created_at) VALUES (?, ?, ?, ?)",
                       (class_id, code, token_hash, at))
        except sqlite3.IntegrityError as error:
            raise StaleError("The class code") from error
        _insert_class_event(db, class_id, first)


def find_class(store: Store, *, class_id: str | None = None, code: str | None = None) -> ClassRow | None:
    """The class with this id or code (codes are compared normalised), or None."""
    if class_id is not None:
        rows = _rows(store, "SELECT id, code, token_hash, created_at, status FROM classes WHERE id = ?",
                     (class_id,))
    else:
        rows = _rows(store, "SELECT id, code, token_hash, created_at, status FROM classes WHERE code = ?",
                     (code,))
    return ClassRow(*rows[0]) if rows else None


def latest_open_class(store: Store) -> ClassRow | None:
    """The most recently created class that has not ended."""
    rows = _rows(store, "SELECT id, code, token_hash, created_at, status FROM classes WHERE status = 'open'"
                        " ORDER BY created_at DESC LIMIT 1")
    return ClassRow(*rows[0]) if rows else None


def set_token_hash(store: Store, class_id: str, token_hash: str) -> None:
    """Replace the tutor token's hash (a restarted server issues a new token; old links stop working)."""
    with _tx(store) as db:
        db.execute("UPDATE classes SET token_hash = ? WHERE id = ?", (token_hash, class_id))


def set_class_status(store: Store, class_id: str, status: str) -> None:
    """Mark a class open or ended."""
    with _tx(store) as db:
        db.execute("UPDATE classes SET status = ? WHERE id = ?", (status, class_id))


def _insert_class_event(db: sqlite3.Connection, class_id: str, event: Event) -> None:
    db.execute("INSERT INTO class_events (class_id, seq, at, type, data, id) VALUES (?, ?, ?, ?, ?, ?)",
               (class_id, event.seq, event.at, event.type, json.dumps(event.data), event.id))


def append_class_event(store: Store, class_id: str, event: Event) -> None:
    """Append one class event; :class:`StaleError` when ``event.seq`` is not the next number."""
    with _tx(store) as db:
        last = db.execute("SELECT coalesce(max(seq), 0) FROM class_events WHERE class_id = ?",
                          (class_id,)).fetchone()[0]
        if last != event.seq - 1:
            raise StaleError("The class")
        _insert_class_event(db, class_id, event)


def class_events_after(store: Store, class_id: str, after: int = 0) -> list[Event]:
    """The class's events with ``seq > after``, in order."""
    rows = _rows(store, "SELECT seq, type, at, data, id FROM class_events WHERE class_id = ? AND seq > ?"
                        " ORDER BY seq", (class_id, after))
    return [Event(seq=r[0], type=r[1], at=r[2], data=json.loads(r[3]), id=r[4]) for r in rows]


# ---------------------------------------------------------------------------- presence and joins
def mark_seen(store: Store, class_id: str, name: str, device_hash: str, at: float) -> None:
    """Record that ``name``'s seat is open on this device now (a heartbeat)."""
    with _tx(store) as db:
        db.execute(
            "INSERT INTO class_presence (class_id, name, device_hash, seen_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (class_id, name) DO UPDATE SET device_hash = excluded.device_hash,"
            " seen_at = excluded.seen_at",
            (class_id, name, device_hash, at))


def mark_gone(store: Store, class_id: str, name: str, device_hash: str) -> None:
    """Record that the seat was closed on this device (only if this device still holds it)."""
    with _tx(store) as db:
        db.execute("UPDATE class_presence SET seen_at = 0 WHERE class_id = ? AND name = ? AND device_hash = ?",
                   (class_id, name, device_hash))


def presence(store: Store, class_id: str) -> dict[str, tuple[str, float]]:
    """Each seat's device hash and when it was last seen."""
    rows = _rows(store, "SELECT name, device_hash, seen_at FROM class_presence WHERE class_id = ?", (class_id,))
    return {r[0]: (r[1], r[2]) for r in rows}


def record_join_attempt(store: Store, class_id: str | None, device_hash: str, at: float, ok: bool) -> None:
    """Remember a join attempt (kept one hour) for the rate limit."""
    with _tx(store) as db:
        db.execute("DELETE FROM class_join_attempts WHERE at < ?", (at - 3600,))
        db.execute("INSERT INTO class_join_attempts (class_id, device_hash, at, ok) VALUES (?, ?, ?, ?)",
                   (class_id, device_hash, at, int(ok)))


def failed_joins_since(store: Store, device_hash: str, since: float) -> list[float]:
    """When this device's failed join attempts happened since ``since``, oldest first."""
    rows = _rows(store, "SELECT at FROM class_join_attempts WHERE device_hash = ? AND at >= ? AND ok = 0"
                        " ORDER BY at", (device_hash, since))
    return [r[0] for r in rows]


# ---------------------------------------------------------------------------- change polling
class ChangeWatch:
    """Tells whether another process has written to the database since the last look (cheap enough to ask
    ten times a second from every seat).

    SQLite's ``PRAGMA data_version`` changes on this connection whenever another connection commits, and
    costs no disk read, so a seat can look several times a second. On a PostgreSQL store the same check
    drains the store's LISTEN/NOTIFY notifications (``roleplay.storage.follow.Notices``).
    """

    def __init__(self, store: Store) -> None:
        """Start from the database as it is now."""
        self.store = store
        self._notices: Any = None
        if store.kind == "postgres":  # no data_version on a server: its write notifications instead
            from roleplay.storage.follow import Notices

            self._notices = Notices(store.database)
        else:
            self._seen = self._version()

    def _version(self) -> int:
        return int(_rows(self.store, "PRAGMA data_version")[0][0])

    def changed(self) -> bool:
        """True once after each commit by another connection (on PostgreSQL: after any write of events,
        this process's own included)."""
        if self._notices is not None:
            return bool(self._notices.arrived())
        now = self._version()
        if now != self._seen:
            self._seen = now
            return True
        return False


# ---------------------------------------------------------------------------- as store methods
class ClassLog:
    """The class tables' reads and writes as store methods (mixed into the store; declared on the gate,
    :class:`~roleplay.storage.gate.PracticeStore`, so the classroom code never reaches a backend)."""

    def create_class(self, class_id: str, code: str, token_hash: str, at: float, first: Event) -> None:
        """See :func:`create_class`."""
        create_class(self, class_id, code, token_hash, at, first)  # type: ignore[arg-type]

    def find_class(self, *, class_id: str | None = None, code: str | None = None) -> ClassRow | None:
        """See :func:`find_class`."""
        return find_class(self, class_id=class_id, code=code)  # type: ignore[arg-type]

    def latest_open_class(self) -> ClassRow | None:
        """See :func:`latest_open_class`."""
        return latest_open_class(self)  # type: ignore[arg-type]

    def set_token_hash(self, class_id: str, token_hash: str) -> None:
        """See :func:`set_token_hash`."""
        set_token_hash(self, class_id, token_hash)  # type: ignore[arg-type]

    def set_class_status(self, class_id: str, status: str) -> None:
        """See :func:`set_class_status`."""
        set_class_status(self, class_id, status)  # type: ignore[arg-type]

    def append_class_event(self, class_id: str, event: Event) -> None:
        """See :func:`append_class_event`."""
        append_class_event(self, class_id, event)  # type: ignore[arg-type]

    def class_events_after(self, class_id: str, after: int = 0) -> list[Event]:
        """See :func:`class_events_after`."""
        return class_events_after(self, class_id, after)  # type: ignore[arg-type]

    def mark_seen(self, class_id: str, name: str, device_hash: str, at: float) -> None:
        """See :func:`mark_seen`."""
        mark_seen(self, class_id, name, device_hash, at)  # type: ignore[arg-type]

    def mark_gone(self, class_id: str, name: str, device_hash: str) -> None:
        """See :func:`mark_gone`."""
        mark_gone(self, class_id, name, device_hash)  # type: ignore[arg-type]

    def presence(self, class_id: str) -> dict[str, tuple[str, float]]:
        """See :func:`presence`."""
        return presence(self, class_id)  # type: ignore[arg-type]

    def record_join_attempt(self, class_id: str | None, device_hash: str, at: float, ok: bool) -> None:
        """See :func:`record_join_attempt`."""
        record_join_attempt(self, class_id, device_hash, at, ok)  # type: ignore[arg-type]

    def failed_joins_since(self, device_hash: str, since: float) -> list[float]:
        """See :func:`failed_joins_since`."""
        return failed_joins_since(self, device_hash, since)  # type: ignore[arg-type]
