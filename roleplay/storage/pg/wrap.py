"""The sqlite3-shaped face of a psycopg connection (:class:`PgConnection`, :class:`Cursor`, :class:`Row`),
psycopg's errors as sqlite3's classes, and the announcement each write transaction sends on commit
(``NOTIFY``; read by ``roleplay.storage.follow``). Used by :class:`roleplay.storage.pg.store.PgStore`."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from roleplay.storage.pg import dialect

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


def psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def settle(db: PgConnection) -> None:
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
