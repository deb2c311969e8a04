"""Live sync: see, as it happens, what other processes write to the practice database.

A :class:`Follower` follows one session, or every session in the database (a whole class on its class
store), and hands over each new event once, in sequence order within its session. Use it as an iterator
or with a callback::

    from roleplay.storage.follow import Follower

    with Follower(store.database, session_id="3f2a...") as follower:   # or session_id=None: everything
        for change in follower:          # blocks; change.session_id, change.event (an Event)
            ...

    follower = Follower(url)             # a callback on a background thread instead
    follower.start(lambda change: ...)   # (post a Textual message from it: it is another thread)
    ...
    follower.close()

``since`` (session id -> last sequence number seen) resumes a follower where an earlier one stopped; by
default it starts from what is stored now (only new events come). :attr:`Follower.last` always holds the
last sequence number handed over per session, so a process that restarts can pass it back in.
``class_id`` adds a class's own log (``class_events``: joins, groups, seats), from ``class_since``; those
changes have ``class_id`` set (and :attr:`Follower.class_last` is their last sequence number).
In a Textual app, run the follower with :meth:`Follower.start` and post a message from the callback
(``app.post_message`` is thread-safe); never iterate it on the event loop.

How changes are noticed, the same interface on both backends:

- PostgreSQL: every write transaction that adds events ends with ``NOTIFY roleplay_events`` (see
  ``roleplay.storage.pg.wrap.announcement``), whose payload carries the new events themselves when they
  fit (``{"s": session, "e": [...]}``), else names the session (``'class:<class id>'`` for a class's own
  log); the follower ``LISTEN``s on its one connection and hands carried events over without a query when
  they follow the last one it saw, and reads the log (one indexed range read after the last seen sequence
  number) for anything else: a gap, a session's creation, a class's log. If that connection drops (server
  restart, ``pg_terminate_backend``) it reconnects and catches up from :attr:`last` over every session, so
  nothing is skipped even though notifications sent while it was away are gone.
- SQLite: ``PRAGMA data_version`` on the follower's own connection changes whenever another connection
  commits; it is read every ``poll`` seconds (default 0.05), costs no disk read, and a change triggers
  the catch-up.

Catching up is always "events after the last seen sequence number" (``Store.events_after``), so a
notification that is lost, doubled or early cannot skip or repeat an event.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from roleplay.storage.errors import StorageError
from roleplay.storage.events import Event


@dataclass(frozen=True, slots=True)
class Change:
    """One event another process (or this one) stored: a session's, or (``class_id`` set) a class's."""

    session_id: str
    """The session whose log grew ("" for a class event)."""
    event: Event
    class_id: str | None = None
    """For an event of a class's own log (``class_events``: joins, groups, seats), the class; else None."""


class Follower:
    """Follows ``session_id`` (None: every session) in the database ``database`` (a URL or SQLite file)."""

    def __init__(self, database: str, session_id: str | None = None, *, since: dict[str, int] | None = None,
                 class_id: str | None = None, class_since: int | None = None, poll: float = 0.05) -> None:
        """Open the follower's own connection; start from ``since`` or from what is stored now. With
        ``class_id`` the class's own log is followed too (from ``class_since``, else from now)."""
        from roleplay.storage.store import open_store

        self.session_id = session_id
        self.class_id = class_id
        self.poll = poll
        self._store: Any = open_store(database=database)
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self._listen: Any = None
        self._pending: list[Change] = []
        self._behind = False
        self.last: dict[str, int] = dict(since) if since is not None else self._stored_now()
        """Session id -> the last sequence number handed over (or stored when the follower started)."""
        self.class_last = 0
        """The last class-log sequence number handed over (``class_id`` given)."""
        if class_id is not None:
            self.class_last = class_since if class_since is not None else self._class_top()
        if self._store.kind == "postgres":
            self._listen = self._listen_connection()
        else:
            self._version = self._data_version()

    # ------------------------------------------------------------------ public
    def __iter__(self) -> Iterator[Change]:
        """Every new event, as it is stored, until :meth:`close`."""
        while not self._closed.is_set():
            if not self._pending:
                self._pending = self._wait_and_read()
            while self._pending:
                yield self._pending.pop(0)

    def changes(self, timeout: float) -> list[Change]:
        """The new events stored within ``timeout`` seconds (returns as soon as there are some)."""
        deadline = time.monotonic() + timeout
        found = self._catch_up() if not self._pending else []
        while not found and not self._closed.is_set() and time.monotonic() < deadline:
            found = self._wait_and_read(min(0.5, max(0.0, deadline - time.monotonic())))
        out, self._pending = [*self._pending, *found], []
        return out

    def start(self, callback: Callable[[Change], None]) -> Follower:
        """Call ``callback(change)`` for every new event, on a background thread, until :meth:`close`."""
        def run() -> None:
            for change in self:
                callback(change)

        self._thread = threading.Thread(target=run, name="roleplay-follower", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop following and close the connections."""
        self._closed.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        for conn in (self._listen, self._store):
            if conn is not None:
                with contextlib.suppress(Exception):  # closing a broken connection
                    conn.close()

    def __enter__(self) -> Follower:
        """Use as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving."""
        self.close()

    # ------------------------------------------------------------------ reading
    def _sessions(self) -> list[tuple[str, int]]:
        """(session id, last stored seq) of the followed sessions."""
        if self.session_id is not None:
            rows = self._store._read("SELECT max(seq) FROM events WHERE session_id = ?", (self.session_id,))
            return [(self.session_id, int(rows[0][0] or 0))]
        return [(str(r[0]), int(r[1] or 0)) for r in self._store._read(
            "SELECT s.id, (SELECT max(e.seq) FROM events e WHERE e.session_id = s.id) FROM sessions s")]

    def _stored_now(self) -> dict[str, int]:
        return dict(self._sessions())

    def _read_after(self, session_ids: list[str] | None = None) -> list[Change]:
        """New events of ``session_ids`` (None: every followed session whose log grew)."""
        if session_ids is None:
            session_ids = [sid for sid, top in self._sessions() if top > self.last.get(sid, 0)]
        elif self.session_id is not None:
            session_ids = [sid for sid in session_ids if sid == self.session_id]
        out: list[Change] = []
        for sid in session_ids:
            for event in self._store.events_after(sid, self.last.get(sid, 0)):
                out.append(Change(sid, event))
                self.last[sid] = event.seq
        return out

    def _class_top(self) -> int:
        rows = self._store._read("SELECT max(seq) FROM class_events WHERE class_id = ?", (self.class_id,))
        return int(rows[0][0] or 0)

    def _read_class(self) -> list[Change]:
        """The followed class's new log events."""
        if self.class_id is None:
            return []
        from roleplay.storage.classes import class_events_after

        out = [Change("", event, self.class_id) for event in class_events_after(self._store, self.class_id,
                                                                                 self.class_last)]
        if out:
            self.class_last = out[-1].event.seq
        return out

    def _catch_up(self) -> list[Change]:
        return self._read_class() + self._read_after(None)

    # ------------------------------------------------------------------ waiting
    def _wait_and_read(self, timeout: float = 0.5) -> list[Change]:
        """Wait up to ``timeout`` seconds for a change, then read what is new."""
        if self._listen is not None:
            return self._wait_postgres(timeout)
        deadline = time.monotonic() + timeout
        while not self._closed.is_set():
            now = self._data_version()
            if now != self._version:
                self._version = now
                return self._catch_up()
            if time.monotonic() >= deadline:
                return []
            time.sleep(self.poll)
        return []

    def _data_version(self) -> int:
        return int(self._store._read("PRAGMA data_version")[0][0])

    def _listen_connection(self) -> Any:
        from roleplay.storage.pg.connect import connect
        from roleplay.storage.pg.wrap import CHANNEL

        conn = connect(self._store.url)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _wait_postgres(self, timeout: float) -> list[Change]:
        import psycopg

        if self._behind:  # an earlier read failed: what it would have handed over is read first
            try:
                found = self._catch_up()
            except StorageError:
                return []
            self._behind = False
            if found:
                return found
        notes: list[str] = []
        try:
            for note in self._listen.notifies(timeout=timeout, stop_after=1):
                notes.append(note.payload)
            # A burst of writes: take every notification already waiting, without blocking.
            for note in self._listen.notifies(timeout=0.0):
                notes.append(note.payload)
        except psycopg.Error:
            if self._closed.is_set():
                return []
            self._relisten()
            self._behind = True  # notifications sent while away are lost: read everything after last
            return self._wait_postgres(0.0)
        return self._announced(notes)

    def _announced(self, notes: list[str]) -> list[Change]:
        """The changes ``notes`` (notification payloads, in commit order) announce: events carried in a
        payload are handed over as they are when they follow the last one seen; anything else (a gap, a
        session id alone, a class's log) is read from the database after the last seen sequence number."""
        from roleplay.storage.pg.wrap import CLASS_PREFIX

        out: list[Change] = []
        try:
            for note in notes:
                if note.startswith(CLASS_PREFIX):
                    if note == f"{CLASS_PREFIX}{self.class_id}":
                        out += self._read_class()
                    continue
                sid, events = _carried(note)
                if self.session_id is not None and sid != self.session_id:
                    continue
                for event in events if events is not None else ():
                    last = self.last.get(sid, 0)
                    if event.seq == last + 1:
                        out.append(Change(sid, event))
                        self.last[sid] = event.seq
                    elif event.seq > last + 1:  # something in between was not carried: read from the log
                        out += self._read_after([sid])
                if events is None:
                    out += self._read_after([sid])
        except StorageError:
            self._behind = True  # the store reconnects on the next read; the next wait catches up
        return out

    def _relisten(self) -> None:
        """Reconnect the LISTEN connection (backing off), then carry on."""
        delay = 0.1
        while not self._closed.is_set():
            with contextlib.suppress(Exception):  # already broken
                self._listen.close()
            try:
                self._listen = self._listen_connection()
                return
            except StorageError:
                time.sleep(delay)
                delay = min(delay * 2, 2.0)


def _carried(payload: str) -> tuple[str, list[Event] | None]:
    """The session a notification names and the events it carries (None: only the session id; see
    ``roleplay.storage.pg.wrap.announcement``)."""
    if not payload.startswith("{"):
        return payload, None
    try:
        doc = json.loads(payload)
        return str(doc["s"]), [Event(seq=int(e[0]), type=e[2], at=e[1], data=e[4], id=e[3]) for e in doc["e"]]
    except (ValueError, KeyError, IndexError, TypeError):  # not one of ours: read the log instead
        return str(payload), None


class Notices:
    """A cheap "has anything been written?" check for polling code on a PostgreSQL store (what
    ``PRAGMA data_version`` is on SQLite): a LISTEN connection whose waiting notifications are drained
    without blocking. :meth:`arrived` is True once after any write that added events (this process's
    own included), and after the connection had to be remade (notifications may have been missed)."""

    def __init__(self, url: str) -> None:
        """LISTEN on ``url``'s event channel."""
        self.url = url
        self._conn: Any = self._listen()

    def _listen(self) -> Any:
        from roleplay.storage.pg.connect import connect
        from roleplay.storage.pg.wrap import CHANNEL

        conn = connect(self.url)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def arrived(self) -> bool:
        """True when a notification came since the last call (never blocks; reconnects when needed)."""
        import psycopg

        try:
            return any(True for _ in self._conn.notifies(timeout=0.0))
        except psycopg.Error:
            with contextlib.suppress(Exception):
                self._conn.close()
            try:
                self._conn = self._listen()
            except StorageError:
                return False  # still away: try again at the next poll
            return True

    def close(self) -> None:
        """Close the LISTEN connection."""
        with contextlib.suppress(Exception):
            self._conn.close()
