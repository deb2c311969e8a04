"""The SQLite store: opening (with clear errors), writing events, and the queries screens need.

The database lives in the data folder as ``roleplay.db``. It runs in WAL mode with
``synchronous=NORMAL``: every committed transaction survives the app being killed (``kill -9``); only a
power cut could lose the last moments. All access goes through one connection guarded by a lock, so
Textual workers may call the store from other threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from roleplay.paths import resolve_data_dir  # noqa: F401  # re-exported: roleplay.storage.resolve_data_dir
from roleplay.storage.class_data import ClassReads
from roleplay.storage.classes import ClassLog
from roleplay.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DataDirError,
    SessionNotFoundError,
    SessionOpenElsewhereError,
    StorageError,
)
from roleplay.storage.events import Event, EventType
from roleplay.storage.history import HistoryReads
from roleplay.storage.projection import write_event
from roleplay.storage.schema import NewerSchemaError, migrate
from roleplay.storage.snapshots import attach

#: The database file's name inside the data folder.
DB_NAME = "roleplay.db"

#: Environment variable that chooses the data folder (the ``--data-dir`` option wins over it).
DATA_DIR_ENV = "ROLEPLAY_DATA_DIR"


def _is_damaged(error: sqlite3.Error) -> bool:
    """True for "not a database" (SQLITE_NOTADB) and "disk image is malformed" (SQLITE_CORRUPT)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)
    text = str(error)
    return "not a database" in text or "malformed" in text


def _is_locked(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error)
    )


class Store(HistoryReads, ClassReads, ClassLog):
    """An open SQLite practice database: the SQLite implementation of
    :class:`roleplay.storage.gate.PracticeStore`. Use :func:`open_store` to get one; close it (or use ``with``).

    The queries come from :class:`~roleplay.storage.history.HistoryReads` and
    :class:`~roleplay.storage.class_data.ClassReads`, over :meth:`_read`.
    """

    #: Which backend: ``sqlite`` here, ``postgres`` for :class:`~roleplay.storage.pg.store.PgStore`.
    kind = "sqlite"

    @property
    def database(self) -> str:
        """What ``--database`` takes to open this store again: the SQLite file's path (a URL for PostgreSQL)."""
        return str(self.path)

    def __init__(self, path: Path, db: sqlite3.Connection, lock_timeout: float, notice: str | None) -> None:
        """Internal: see :func:`open_store`."""
        self.path = path
        self.data_dir = path.parent
        self.notice = notice
        """A message for the user about something that happened on opening (a damaged file moved aside)."""
        self._db = db
        self._lock = threading.RLock()  # re-entrant: a batch's thread may read while holding it
        self._lock_timeout = lock_timeout
        self._batch_owner: int | None = None

    # ----------------------------------------------------------------- plumbing
    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        """Use the store as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the ``with`` block."""
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; lock waits and damage become user-facing errors. Inside
        :meth:`batch` it joins the batch's transaction instead (same thread only: the lock is held)."""
        if self._batch_owner == threading.get_ident():
            yield self._db
            return
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self._translate(error) from error
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise self._translate(error) from error
                raise

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """Many writes as ONE transaction: every :meth:`append_event` (and ``_transaction``) made by this
        thread inside the ``with`` block joins it, and it commits at the end (or rolls back on error).

        For bulk writers only (the history benchmark's generator, imports): the app itself commits each
        event on its own so that nothing is lost if it is killed. Other threads wait for the batch.
        The statements are exactly those of single writes, so the tables come out identical.
        """
        with self._transaction() as _:
            outer, self._batch_owner = self._batch_owner, threading.get_ident()
            try:
                yield self
            finally:
                self._batch_owner = outer

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one read-only query under the lock; rows are plain tuples (for the query mixins)."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise self._translate(error) from error

    def _translate(self, error: sqlite3.Error) -> StorageError:
        if _is_locked(error):
            return DatabaseLockedError(self.path, self._lock_timeout)
        if _is_damaged(error):
            return StorageError(
                f"The practice database {self.path} is damaged ({error}). Quit roleplay, move the file "
                "aside (or choose another folder with --data-dir) and start again."
            )
        return StorageError(f"The practice database {self.path} could not be used: {error}.")

    # ----------------------------------------------------------------- writing
    def append_event(self, session_id: str, event: Event) -> None:
        """Save one event and its projections in a single transaction (durable when this returns).

        Idempotent: an event whose id is stored already changes nothing. Ordered: a sequence number
        another writer has taken is refused with ``SessionOpenElsewhereError`` (catch up with the log, retry)."""
        with self._session_transaction(session_id) as db:
            # One query for the three checks (a round trip each on a server).
            stored, exists, last = db.execute(
                "SELECT (SELECT seq FROM events WHERE id = ?), (SELECT count(*) FROM sessions WHERE id = ?),"
                " (SELECT max(seq) FROM events WHERE session_id = ?)", (event.id, session_id, session_id)).fetchone()
            if stored is not None:
                return  # sent again (a retry after a lost reply, a second import): it is stored once
            # The events table references sessions; a clear error beats a foreign-key failure.
            if event.type != EventType.session_created and not exists:
                raise SessionNotFoundError(session_id)
            # Two processes on one session (both resumed it) would each write the next number; the second
            # must hear that plainly, not as "UNIQUE constraint failed" (BEGIN IMMEDIATE serialises this).
            if last is not None and last >= event.seq:
                raise SessionOpenElsewhereError(session_id)
            write_event(db, session_id, event)

    def _session_transaction(self, session_id: str) -> AbstractContextManager[Any]:
        """The write transaction for one session's events (SQLite: the one write lock, as every write)."""
        return self._transaction()

    def abandon_session(self, session_id: str) -> None:
        """Mark an unfinished session as abandoned so it is no longer offered for resume (kept on record)."""
        with self._transaction() as db:
            _abandon(db, session_id)

    def import_events(self, session_id: str, events: Sequence[Event], *, expect_stored: int,
                      mark_abandoned: bool) -> None:
        """Append ``events`` with their projections in ONE transaction (all or nothing), through the same
        write path as :meth:`append_event`.

        ``expect_stored`` is how many events the caller saw stored; if another program changed the session
        meanwhile the transaction is refused. With ``mark_abandoned`` an unfinished session is marked
        abandoned so it is never offered for "resume" on this computer.
        """
        with self._session_transaction(session_id) as db:
            count = db.execute("SELECT count(*) FROM events WHERE session_id = ?", (session_id,)).fetchone()[0]
            if count != expect_stored:
                raise StorageError("The session changed while it was being imported; nothing was imported. "
                                   "Please try again.")
            for event in events:
                write_event(db, session_id, event)
            if mark_abandoned:
                _abandon(db, session_id)

    # ----------------------------------------------------------------- reading
    def load_events(self, session_id: str) -> list[Event]:
        """A session's events in order; raises :class:`SessionNotFoundError` when there are none."""
        events = self.events_after(session_id, 0)
        if not events:
            raise SessionNotFoundError(session_id)
        return events

    def events_after(self, session_id: str, seq: int) -> list[Event]:
        """The session's events with a sequence number above ``seq``, in order (empty when none): how a
        follower catches up from the last event it saw (the live-sync hook)."""
        with self._lock:
            try:
                rows = self._db.execute("SELECT seq, type, at, data, id FROM events WHERE session_id = ? AND seq > ?"
                                        " ORDER BY seq", (session_id, seq)).fetchall()
                events = [Event(seq=r[0], type=r[1], at=r[2], data=json.loads(r[3]), id=r[4]) for r in rows]
                if events and events[0].type == EventType.session_created:  # its snapshots are stored apart
                    attach(self._db, events[0].data)
            except sqlite3.Error as error:
                raise self._translate(error) from error
        return events


def _abandon(db: sqlite3.Connection, session_id: str) -> None:
    db.execute("UPDATE sessions SET status = 'abandoned' WHERE id = ? AND status = 'active'", (session_id,))


def _prepare_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = f"the folder is missing and cannot be created ({error.strerror or error})"
        raise DataDirError(path, reason) from error
    if not path.is_dir():
        raise DataDirError(path, "it is not a folder")
    probe = path / f".roleplay-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise DataDirError(path, f"the folder is read-only ({error.strerror or error})") from error


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():  # two damaged files in one second: keep both
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as error:
        raise CorruptDatabaseError(path, error.strerror or str(error)) from error
    return target


def _connect(path: Path, lock_timeout: float) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per action.
    db = sqlite3.connect(path, timeout=lock_timeout, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(lock_timeout * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def open_store(data_dir: Path | str | None = None, *, database: str | None = None,
               lock_timeout: float = 5.0) -> Store:
    """Open (creating and migrating as needed) the practice database in the data folder.

    Database choice: ``database`` (a ``postgresql://`` URL or an SQLite file) > ``$ROLEPLAY_DATABASE`` >
    ``roleplay.db`` in the data folder: ``data_dir`` > ``$ROLEPLAY_DATA_DIR`` >
    ``platformdirs.user_data_dir("roleplay")``. A URL opens a :class:`~roleplay.storage.pg.store.PgStore`.
    Raises :class:`DataDirError` (folder missing and not creatable, or read-only),
    :class:`DatabaseLockedError` (busy for ``lock_timeout`` seconds) or :class:`StorageError`. A damaged
    database file is moved aside as ``roleplay.db.corrupt-YYYYmmdd-HHMMSS`` and a fresh one started; the
    returned store's ``notice`` then says so.
    """
    from roleplay.storage.target import TargetError, choose

    try:
        target = choose(database, Path(data_dir) if data_dir is not None else None)
    except TargetError as error:
        raise StorageError(str(error)) from None
    if target.kind == "postgres":
        from roleplay.storage.pg.store import PgStore

        return PgStore(target, lock_timeout)
    assert target.path is not None
    folder = target.path.parent
    _prepare_dir(folder)
    path = target.path
    notice = None
    started = time.monotonic()
    for attempt in range(2):
        try:
            return Store(path, _connect(path, lock_timeout), lock_timeout, notice)
        except NewerSchemaError as error:
            raise StorageError(
                f"The practice database {path} was saved by a newer version of roleplay (schema "
                f"{error.args[0]}). Please update roleplay, or choose another data folder with --data-dir."
            ) from error
        except sqlite3.Error as error:
            if _is_locked(error):
                raise DatabaseLockedError(path, round(time.monotonic() - started, 1)) from error
            if attempt or not _is_damaged(error) or not path.exists():
                raise StorageError(f"The practice database {path} could not be opened: {error}.") from error
            moved = _move_aside(path)
            notice = (
                f"The practice database was damaged, so it was moved aside to {moved.name} in {folder} "
                "and a new, empty one was started. Earlier sessions are in the moved file."
            )
    raise AssertionError("unreachable")  # the loop always returns or raises
