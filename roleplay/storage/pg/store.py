"""The storage gate on a PostgreSQL server: :class:`PgStore`, the same :class:`~roleplay.storage.store.Store`
(same queries, same one write path, same projections) over a psycopg connection.

:class:`~roleplay.storage.pg.wrap.PgConnection` makes a psycopg connection look like the sqlite3 one the
storage code is written against: each statement goes through :func:`roleplay.storage.pg.dialect.to_postgres`,
rows can be read by position or by column name, and psycopg's errors are raised as sqlite3's classes
(the original kept as ``original``), so the storage code has one set of ``except`` clauses for both backends.

Many writers: a transaction writing one session's events holds that session's advisory lock (so its
read-then-write projections and sequence check see a still log, as under SQLite's ``BEGIN IMMEDIATE``)
and the store-wide write lock *shared*, so writers of different sessions run at once and their commits'
disk flushes are shared; any other write (class tables, a batch) holds the write lock alone. Per-day rows
that two sessions share take their own lock (``roleplay.storage.pg.schema``); a deadlock the server breaks
is run again. Reads never wait (MVCC). After each write that adds events the transaction sends
``NOTIFY roleplay_events`` with the session id (see ``roleplay.storage.follow``).

A dropped connection (server restart, network, an administrator's ``pg_terminate_backend``) is met by
reconnecting and running the whole transaction again: writes are idempotent (stable event ids), so a
write that may or may not have committed is safely sent twice. ``on_status`` hears "reconnecting" and
"reconnected" (the app shows them); after :attr:`PgStore.reconnect_for` seconds without a server the
error is raised. The app turns on :meth:`PgStore.keep_while_away` instead: a write that finds the
connection lost is kept on this computer and saved in the background (``roleplay.storage.pg.outbox``),
so the screen never waits for the server.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from roleplay.storage.errors import StorageError
from roleplay.storage.events import Event
from roleplay.storage.pg.connect import ConnectionLostError, connect, translate
from roleplay.storage.pg.schema import prepare
from roleplay.storage.pg.wrap import CHANNEL, PgConnection, announcement, psycopg_error, settle
from roleplay.storage.projection import write_event
from roleplay.storage.store import Store
from roleplay.storage.target import Target

#: Advisory lock key held by every write transaction (any fixed number; "rpw").
WRITE_LOCK = 0x727077

#: Advisory lock key space (the two-number form) of the per-session write locks.
SESSION_LOCK_SPACE = 7

#: Seconds :meth:`PgStore.close` waits for kept actions to be saved before leaving them in the spool.
CLOSE_WAIT = 2.0


class WriteConflictError(StorageError):
    """The server ended this transaction to break a deadlock with another writer: run it again."""


class ConstraintError(StorageError):
    """A unique or foreign-key constraint refused a write (an event stored already, a sequence number
    taken, a session missing): :meth:`PgStore.append_event` then runs the checked write, which says which."""


class PgStore(Store):
    """The practice database on a PostgreSQL server. Open it with ``open_store(database=URL)``."""

    #: Seconds to keep trying to reconnect before a lost connection is reported as an error.
    reconnect_for = 30.0

    def __init__(self, target: Target, lock_timeout: float = 5.0) -> None:
        """Connect to ``target`` (a ``postgres`` target), set up an empty database, refuse a wrong version."""
        assert target.url is not None
        self.target = target
        self.url = target.url
        self.on_status: Callable[[str | None], None] | None = None
        """Told "reconnecting ..." while the connection is down, and None once it is back."""
        self.on_refused: Callable[[str], None] | None = None
        """Told why an action kept while the server was away could not be saved when it came back."""
        self._outbox: Any = None
        self._reconnecting = threading.Lock()
        conn = self._connect()
        super().__init__(Path(target.shown), conn, lock_timeout, None)  # type: ignore[arg-type]
        self.data_dir = None  # type: ignore[assignment]  # no folder: the records live on the server
        self._lock = threading.RLock()

    def _connect(self) -> PgConnection:
        conn = connect(self.url)
        try:
            prepare(conn, self.target.shown)
            return PgConnection(conn)
        except BaseException:
            conn.close()
            raise

    kind = "postgres"
    _db: PgConnection  # type: ignore[assignment]  # the sqlite3-shaped wrapper over psycopg

    @property
    def database(self) -> str:
        """The connection URL (with its password: never print it, print ``target.shown``)."""
        return self.url

    def close(self) -> None:
        """Close the connection (after a moment for actions kept while the server was away to be saved;
        any still kept stay in the spool file and are sent when the database is next opened here)."""
        if self._outbox is not None:
            self._outbox.wait_until_sent(CLOSE_WAIT)
            self._outbox.close()
        with self._lock:
            self._db.close()

    def _translate(self, error: Exception) -> StorageError:  # type: ignore[override]
        if isinstance(error, StorageError):
            return error
        original = getattr(error, "original", error)
        code = getattr(original, "sqlstate", None)
        if code in ("40P01", "40001"):
            return WriteConflictError("Two writers to the class database got in each other's way; retrying.")
        if code in ("23505", "23503"):
            return ConstraintError(translate(original, self.url).message)
        return translate(original, self.url)

    def _lost(self, error: BaseException) -> bool:
        return isinstance(self._translate(error) if isinstance(error, sqlite3.Error) else error,
                          ConnectionLostError)

    def _reconnect(self, error: BaseException) -> None:
        """Reconnect after ``error`` (a lost connection), telling ``on_status``; give up after a while."""
        deadline = time.monotonic() + self.reconnect_for
        delay = 0.1
        if self.on_status:
            self.on_status(f"Connection to the class database lost; reconnecting to {self.target.shown} ...")
        while True:
            try:
                self._reconnect_once()
                if self.on_status:
                    self.on_status(None)
                return
            except StorageError as failure:
                if time.monotonic() + delay > deadline:
                    raise ConnectionLostError(
                        f"{failure.message} (the class database stayed unreachable for "
                        f"{self.reconnect_for:g} seconds; nothing saved before was lost)") from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def _reconnect_once(self) -> None:
        """One attempt to connect again (raises ``StorageError``); the new connection replaces the old."""
        with self._reconnecting:  # one thread at a time (the outbox's and a reading worker's)
            fresh = self._connect()
            with self._lock:
                old, self._db = self._db, fresh
            with contextlib.suppress(Exception):  # already broken
                old.close()

    def keep_while_away(self, folder: Path) -> str | None:
        """From now on a write that finds the connection lost is kept (in ``folder``'s spool file) and
        saved in the background, and the call returns at once (``roleplay.storage.pg.outbox``); first,
        what an earlier run kept there is sent. Returns a notice when some of that could not be saved."""
        from roleplay.storage.pg.outbox import Outbox

        outbox = Outbox(folder, self.target.shown, write=self._write_now, reconnect=self._reconnect_once,
                        status=lambda text: self.on_status(text) if self.on_status else None,
                        refused=lambda text: self.on_refused(text) if self.on_refused else None)
        notice = outbox.send_left_over()
        self._outbox = outbox
        return notice

    @contextmanager
    def _transaction(self, session_id: str | None = None) -> Iterator[PgConnection]:  # type: ignore[override]
        """One write transaction; announces new events when it commits.

        Locks: a write to one session's events (``session_id``) holds that session's lock and the write
        lock shared, so different sessions are written at once (their commits' flushes share one disk
        sync); any other write (class tables, a batch) holds the write lock alone, as SQLite's one writer.
        """
        if self._batch_owner == threading.get_ident():
            yield self._db
            return
        with self._lock:
            db = self._db
            db.notify.clear()
            # A session's write runs in pipeline mode: statements whose results nobody reads are sent without
            # waiting for the server. BEGIN and COMMIT are plain statements in that pipeline (psycopg's
            # transaction() fences its block with a sync at each end: three more round trips), so a write
            # whose statements read nothing back is sent at once and waits for the server once.
            pipeline = db.conn.pipeline() if session_id is not None else contextlib.nullcontext()
            try:
                with pipeline:
                    db.conn.execute("BEGIN")
                    try:
                        if session_id is None:
                            db.conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                        else:
                            db.conn.execute("SELECT pg_advisory_xact_lock_shared(%s),"
                                            " pg_advisory_xact_lock(%s, hashtext(%s))",
                                            (WRITE_LOCK, SESSION_LOCK_SPACE, session_id))
                        yield db
                        for sid, carried in db.notify.items():
                            db.conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, announcement(sid, carried)))
                    except BaseException:
                        with contextlib.suppress(Exception):  # skipped when the server met an error first
                            db.conn.execute("ROLLBACK")
                        raise
                    db.conn.execute("COMMIT")
            except BaseException as error:
                settle(db)
                if isinstance(error, StorageError):
                    raise
                if isinstance(error, sqlite3.Error | psycopg_error()):
                    raise self._translate(error) from None
                raise

    def _session_transaction(self, session_id: str) -> AbstractContextManager[Any]:
        """The write transaction for one session's events: that session's lock (see :meth:`_transaction`)."""
        return self._transaction(session_id)

    def _retrying(self, action: Callable[[], Any], *, reconnect: bool = True) -> Any:
        """Run ``action`` (it must be idempotent): after a lost connection reconnect and run it again
        (``reconnect=False``: raise ``ConnectionLostError``); after a deadlock between two writers (the
        server ends one of them) run it again."""
        for attempt in range(5):
            try:
                return action()
            except (StorageError, sqlite3.Error) as error:
                if isinstance(error, WriteConflictError) and attempt < 4:
                    time.sleep(0.01 * (attempt + 1))
                    continue
                if not self._lost(error):
                    raise
                if not reconnect:
                    raise (self._translate(error) if isinstance(error, sqlite3.Error) else error) from None
                self._reconnect(error)
        return action()

    def append_event(self, session_id: str, event: Event) -> None:
        """Save one event (as :meth:`Store.append_event`), through a dropped connection too.

        The usual write takes ONE round trip to the server: every statement of the transaction, commit
        included, is sent in one pipeline without waiting for a reply (the projections of the frequent
        events read nothing back; ``roleplay.storage.projection``), and the checks SQLite runs first are
        left to the constraints: an event stored already, a sequence number another writer took or a
        missing session makes the server refuse it, and then the checked write runs and says which (or
        finds the event stored and does nothing). Under load, when every wait for a reply is a wait to be
        scheduled, this is what keeps a write, and so the live sync, fast."""
        outbox = self._outbox
        if outbox is None:
            self._retrying(lambda: self._write(session_id, event))
        elif not outbox.queue_behind(session_id, event):  # others kept while away: this one waits its turn
            try:
                self._write_now(session_id, event)
            except ConnectionLostError:
                outbox.keep(session_id, event)  # durable on this computer; saved when the server is back

    def _write(self, session_id: str, event: Event) -> None:
        """One attempt at the write :meth:`append_event` describes."""
        if self._batch_owner == threading.get_ident():  # a refused statement would end the whole batch
            Store.append_event(self, session_id, event)
            return
        try:
            with self._session_transaction(session_id) as db:
                write_event(db, session_id, event)
        except ConstraintError:
            Store.append_event(self, session_id, event)

    def _write_now(self, session_id: str, event: Event) -> None:
        """:meth:`_write`, run again after a deadlock; raises ``ConnectionLostError`` at once when the
        connection is lost (the outbox keeps the event and reconnects in the background)."""
        self._retrying(lambda: self._write(session_id, event), reconnect=False)

    def import_events(self, session_id: str, events: Sequence[Event], *, expect_stored: int,
                      mark_abandoned: bool) -> None:
        """As :meth:`Store.import_events`, run again after a deadlock (not after a lost connection: the
        first attempt may have committed, and then the count check refuses the second)."""
        for attempt in range(5):
            try:
                Store.import_events(self, session_id, events, expect_stored=expect_stored,
                                    mark_abandoned=mark_abandoned)
                return
            except WriteConflictError:
                if attempt == 4:
                    raise
                time.sleep(0.01 * (attempt + 1))

    def events_after(self, session_id: str, seq: int) -> list[Event]:
        """As :meth:`Store.events_after`, through a dropped connection too."""
        return self._retrying(lambda: Store.events_after(self, session_id, seq))  # type: ignore[no-any-return]

    def abandon_session(self, session_id: str) -> None:
        """As :meth:`Store.abandon_session`, through a dropped connection too (it is idempotent)."""
        self._retrying(lambda: Store.abandon_session(self, session_id))

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        def run() -> list[Any]:
            with self._lock:
                try:
                    return self._db.execute(sql, params).fetchall()
                except sqlite3.Error as error:
                    raise self._translate(error) from None
        return self._retrying(run)  # type: ignore[no-any-return]
