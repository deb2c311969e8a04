"""The storage gate on a PostgreSQL server: :class:`PgStore`, the same :class:`~roleplay.storage.store.Store`
(same queries, same one write path, same projections) over a psycopg connection.

:class:`PgConnection` makes a psycopg connection look like the sqlite3 one the storage code is written
against: each statement goes through :func:`roleplay.storage.pg.dialect.to_postgres`, rows can be read by
position or by column name, and psycopg's errors are raised as sqlite3's classes (the original kept as
``original``), so the storage code has one set of ``except`` clauses for both backends.

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
error is raised.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from roleplay.storage.errors import StorageError
from roleplay.storage.events import Event
from roleplay.storage.pg import dialect
from roleplay.storage.pg.connect import ConnectionLostError, connect, translate
from roleplay.storage.pg.schema import prepare
from roleplay.storage.projection import write_event
from roleplay.storage.store import Store
from roleplay.storage.target import Target

#: Advisory lock key held by every write transaction (any fixed number; "rpw").
WRITE_LOCK = 0x727077

#: Advisory lock key space (the two-number form) of the per-session write locks.
SESSION_LOCK_SPACE = 7

#: The LISTEN/NOTIFY channel that announces new events (payload: the session id, or "class:" + class id).
CHANNEL = "roleplay_events"

#: The notification payload's prefix for a class's own log.
CLASS_PREFIX = "class:"

#: The longest notification payload sent with the events in it (the server's limit is 8000 bytes).
PAYLOAD_LIMIT = 7900


def announcement(sid: str, carried: list[str] | None) -> str:
    """The ``NOTIFY`` payload for ``sid``'s new events: ``{"s": SESSION, "e": [[seq, at, type, id, data],
    ...]}``, so that a follower hands them over without a query of its own (one wake-up fewer per event,
    which is what counts when the machine is busy); just the session id (or ``class:`` + class id) when
    they are too long to carry or not carried (a session's creation), and the follower reads them."""
    if carried is None:
        return sid
    text = '{"s":' + json.dumps(sid) + ',"e":[' + ",".join(carried) + "]}"
    return text if len(text.encode("utf-8")) <= PAYLOAD_LIMIT else sid


class WriteConflictError(StorageError):
    """The server ended this transaction to break a deadlock with another writer: run it again."""


class ConstraintError(StorageError):
    """A unique or foreign-key constraint refused a write (an event stored already, a sequence number
    taken, a session missing): :meth:`PgStore.append_event` then runs the checked write, which says which."""


class PgError(sqlite3.OperationalError):
    """A psycopg error raised as sqlite3's class (``original`` is psycopg's)."""

    def __init__(self, original: Exception) -> None:
        """Keep psycopg's error."""
        super().__init__(str(original).splitlines()[0] if str(original) else type(original).__name__)
        self.original = original


class PgIntegrityError(sqlite3.IntegrityError):
    """A unique or foreign-key violation, raised as sqlite3's class (``original`` is psycopg's)."""

    def __init__(self, original: Exception) -> None:
        """Keep psycopg's error."""
        super().__init__(str(original).splitlines()[0])
        self.original = original


class Row(tuple):  # type: ignore[type-arg]
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        """A row of ``values`` with column ``names`` (name -> position)."""
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        """By position (or slice) or by column name."""
        return super().__getitem__(self._names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def _settle(db: PgConnection) -> None:
    """After a failed transaction, leave none behind: an error the server met in a pipeline (found only at
    the sync, after COMMIT was queued) leaves the explicit transaction aborted, and it must be rolled back
    before the connection is used again."""
    from psycopg.pq import TransactionStatus

    with contextlib.suppress(Exception):  # a broken connection: the retry reconnects
        if db.conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            db.conn.rollback()


def _raise(error: Exception) -> None:
    import psycopg

    if isinstance(error, psycopg.errors.IntegrityError):
        raise PgIntegrityError(error) from error
    raise PgError(error) from error


class Cursor:
    """The part of ``sqlite3.Cursor`` the storage code uses."""

    def __init__(self, cursor: Any) -> None:
        """Wrap a psycopg cursor that has run a statement."""
        self._cursor = cursor

    def _fetch(self, how: str) -> Any:
        import psycopg

        try:
            return getattr(self._cursor, how)()  # in pipeline mode this waits for the statement's result
        except psycopg.ProgrammingError as error:
            if "didn't produce" in str(error) or "no result" in str(error):
                return None  # a statement without rows (INSERT, UPDATE, ...)
            _raise(error)
        except psycopg.Error as error:
            _raise(error)

    def fetchone(self) -> Row | None:
        """The next row, or None."""
        return self._fetch("fetchone")  # type: ignore[no-any-return]

    def fetchall(self) -> list[Row]:
        """The remaining rows."""
        return self._fetch("fetchall") or []

    def __iter__(self) -> Iterator[Row]:
        """The remaining rows, one by one."""
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        """Rows the statement changed."""
        return int(self._cursor.rowcount)


class PgConnection:
    """A psycopg connection with the sqlite3 methods the storage code calls (see the module docstring)."""

    def __init__(self, conn: Any) -> None:
        """Wrap an open autocommit psycopg connection to a migrated database."""
        self.conn = conn
        self.keys = dialect.read_keys(conn)
        self.notify: dict[str, list[str] | None] = {}
        """Sessions given new events in the current transaction, with the events as JSON for the
        announcement (None: too much to carry, followers read them); announced at commit."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement (SQLite's dialect) with ``?`` parameters."""
        import psycopg

        head = sql.lstrip()[:24].upper()
        if head.startswith("INSERT INTO EVENTS"):
            self._announce(params)
        elif head.startswith("INSERT INTO CLASS_EVENTS"):
            self.notify[CLASS_PREFIX + str(params[0])] = None
        cursor = self.conn.cursor(row_factory=_row_factory)
        try:
            cursor.execute(dialect.to_postgres(sql, self.keys), tuple(params))
        except psycopg.Error as error:
            if os.environ.get("ROLEPLAY_DEBUG_SQL"):  # for developers: which translated statement failed
                print(f"{error}\n{dialect.to_postgres(sql, self.keys)}", file=sys.stderr)
            _raise(error)
        return Cursor(cursor)

    def _announce(self, params: Sequence[Any]) -> None:
        """Keep an inserted event (``write_event``'s parameters: session, seq, at, type, data, id) for the
        commit's announcement; a session's creation (its snapshots are stored apart) is not carried."""
        sid, seq, at, kind, data, event_id = params
        carried = self.notify.get(str(sid), [])
        if carried is None or kind == "session_created":
            self.notify[str(sid)] = None
            return
        carried.append(f"[{int(seq)},{json.dumps(at)},{json.dumps(kind)},{json.dumps(event_id)},{data}]")
        self.notify[str(sid)] = carried

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""
        import psycopg

        rows = [tuple(r) for r in rows]
        if not rows:
            return
        try:
            with self.conn.cursor() as cursor:
                cursor.executemany(dialect.to_postgres(sql, self.keys), rows)
        except psycopg.Error as error:
            _raise(error)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


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
        """Close the connection."""
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
                old, self._db = self._db, self._connect()
                with contextlib.suppress(Exception):  # already broken
                    old.close()
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
                _settle(db)
                if isinstance(error, StorageError):
                    raise
                if isinstance(error, sqlite3.Error | _psycopg_error()):
                    raise self._translate(error) from None
                raise

    def _session_transaction(self, session_id: str) -> AbstractContextManager[Any]:
        """The write transaction for one session's events: that session's lock (see :meth:`_transaction`)."""
        return self._transaction(session_id)

    def _retrying(self, action: Callable[[], Any]) -> Any:
        """Run ``action`` (it must be idempotent): after a lost connection reconnect and run it again;
        after a deadlock between two writers (the server ends one of them) run it again."""
        for attempt in range(5):
            try:
                return action()
            except (StorageError, sqlite3.Error) as error:
                if isinstance(error, WriteConflictError) and attempt < 4:
                    time.sleep(0.01 * (attempt + 1))
                    continue
                if not self._lost(error):
                    raise
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
        def write() -> None:
            if self._batch_owner == threading.get_ident():  # a refused statement would end the whole batch
                Store.append_event(self, session_id, event)
                return
            try:
                with self._session_transaction(session_id) as db:
                    write_event(db, session_id, event)
            except ConstraintError:
                Store.append_event(self, session_id, event)

        self._retrying(write)

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
