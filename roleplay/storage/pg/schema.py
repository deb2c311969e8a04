"""The PostgreSQL schema, versioned with the same numbers as SQLite's (``roleplay.storage.schema``).

A PostgreSQL database starts at :data:`BASE_VERSION`, the schema SQLite reaches through its first
migrations: the tables and indexes are made from SQLite's own DDL at that version (read from a scratch
in-memory database, types translated), so the two cannot drift apart; the per-day totals triggers are
PL/pgSQL functions made from the same table of keys and aggregates (``roleplay.storage.day_totals``).
Every later version is one migration in each backend's list, with the same number.

The version is kept in the one-row table ``schema_version``. Migrations run in one transaction under
an advisory lock, so two processes opening a fresh database at once cannot both create it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

from roleplay.storage import schema as sqlite_schema
from roleplay.storage.day_totals import _DAYS

#: The first version a PostgreSQL database can have: SQLite's schema after this many migrations.
BASE_VERSION = 4

#: Advisory lock key space (the two-number form) of the per-day rows' locks.
DAY_LOCK_SPACE = 8

#: Advisory lock key serialising migrations (any fixed number; "rp" in ASCII).
_MIGRATE_LOCK = 0x7270


def _sqlite_ddl(version: int) -> list[str]:
    """SQLite's CREATE TABLE and CREATE INDEX statements at ``version``, in creation order."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in sqlite_schema.MIGRATIONS[:version]:
            step(db)
        return [row[0] for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL ORDER BY rowid")]
    finally:
        db.close()


def translate_ddl(statement: str) -> str:
    """One SQLite DDL statement in PostgreSQL's dialect (REAL is double precision; no WITHOUT ROWID)."""
    statement = re.sub(r"\)\s*WITHOUT ROWID\s*$", ")", statement.strip())
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)


def _day_trigger(table: str) -> list[str]:
    """The PL/pgSQL function and trigger keeping ``table``'s per-day table in step (as SQLite's triggers)."""
    days, keys, aggregates, keep = _DAYS[table]
    keep = "TRUE" if keep.strip() == "1" else keep
    columns = ", ".join(keys)

    def refresh(row: str) -> str:
        match = " AND ".join(f"{k} = {row}.{k}" for k in keys)
        lock_key = ", ".join(f"{row}.{k}::text" for k in keys)
        # Two sessions on one person's day would each recompute the day row from what they see: take the
        # day's lock first, so each recomputation sees the other's committed rows.
        return (f"PERFORM pg_advisory_xact_lock({DAY_LOCK_SPACE}, hashtext(concat_ws('|', '{days}', {lock_key})));\n"
                f"    DELETE FROM {days} WHERE {match};\n"
                f"    INSERT INTO {days} SELECT {columns}, {aggregates} FROM {table}"
                f" WHERE {match} AND {keep} GROUP BY {columns};")

    moved = " OR ".join(f"OLD.{k} IS DISTINCT FROM NEW.{k}" for k in keys)
    function = (
        f"CREATE FUNCTION {table}_days() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF TG_OP <> 'DELETE' THEN\n    {refresh('NEW')}\n  END IF;\n"
        f"  IF TG_OP = 'DELETE' OR ({moved}) THEN\n    {refresh('OLD')}\n  END IF;\n"
        "  RETURN NULL;\nEND $$"
    )
    trigger = (f"CREATE TRIGGER {table}_days AFTER INSERT OR UPDATE OR DELETE ON {table}"
               f" FOR EACH ROW EXECUTE FUNCTION {table}_days()")
    return [function, trigger]


#: The local calendar day (days since 1970-01-01) of a time in seconds since the epoch, in the
#: connection's time zone (set to the client's own on connecting; see ``roleplay.storage.pg.connect``).
_LOCAL_DAY = (
    "CREATE FUNCTION local_day(t DOUBLE PRECISION) RETURNS INTEGER LANGUAGE sql STABLE AS $$"
    " SELECT (to_timestamp(t) AT TIME ZONE current_setting('TimeZone'))::date - DATE '1970-01-01' $$"
)


def base_statements() -> list[str]:
    """Every statement creating the schema at :data:`BASE_VERSION` on an empty PostgreSQL database."""
    statements = [translate_ddl(s) for s in _sqlite_ddl(BASE_VERSION)]
    for table in _DAYS:
        statements.extend(_day_trigger(table))
    statements.append(_LOCAL_DAY)
    statements.append("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    return statements


def _base(cur: Any) -> None:
    """Versions 1 to 4 at once: sessions, events and their projections, snapshots, per-day totals."""
    for statement in base_statements():
        cur.execute(statement)
    cur.execute("INSERT INTO schema_version VALUES (0)")


def _to_v5(cur: Any) -> None:
    """Version 5: the class tables (``roleplay serve``)."""
    from roleplay.storage.class_schema import _V5

    for statement in _V5.split(";\n"):
        if statement.strip():
            cur.execute(translate_ddl(statement))


def _to_v6(cur: Any) -> None:
    """Version 6: a stable id on every event (session and class logs), unique, for idempotent writes."""
    from roleplay.storage.event_ids import to_v6

    to_v6(cur)


def _to_v7(cur: Any) -> None:
    """Version 7: class seat keys stored hashed (salted PBKDF2), no longer as typed."""
    from roleplay.storage.seat_keys import to_v7

    to_v7(cur)


#: ``MIGRATIONS[v]`` takes a PostgreSQL database from version ``v`` to ``v + 1`` for ``v >= BASE_VERSION``
#: (entries below it are None: the base creates them all). Same numbering as SQLite's list.
MIGRATIONS: list[Callable[[Any], None] | None] = [*([None] * BASE_VERSION), _to_v5, _to_v6, _to_v7]

#: The schema version this code writes (the same on both backends).
SCHEMA_VERSION = len(MIGRATIONS)


def describe(version: int) -> str:
    """What migration to ``version`` does, in a few words (the first line of its docstring)."""
    step = MIGRATIONS[version - 1] if version > BASE_VERSION else _base
    return ((step.__doc__ or "").strip().splitlines() or ["(no description)"])[0]


def current_version(cur: Any) -> int:
    """The schema version of the database (0: empty, nothing of roleplay's in it)."""
    cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
    if not cur.fetchone()[0]:
        return 0
    cur.execute("SELECT version FROM schema_version")
    row = cur.fetchone()
    return int(row[0]) if row else 0


def pending(found: int) -> list[int]:
    """The versions a database at ``found`` still has to go through, in order."""
    if found >= SCHEMA_VERSION:
        return []
    first = BASE_VERSION if found < BASE_VERSION else found + 1
    return list(range(first, SCHEMA_VERSION + 1))


def migrate(conn: Any, *, upto: int | None = None) -> tuple[int, list[int]]:
    """Bring the database to :data:`SCHEMA_VERSION` (or ``upto``) in one transaction; returns the version
    found and the versions applied. Raises :class:`roleplay.storage.schema.NewerSchemaError`."""
    target = SCHEMA_VERSION if upto is None else upto
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        found = current_version(cur)
        if found > SCHEMA_VERSION:
            raise sqlite_schema.NewerSchemaError(found)
        applied = [v for v in pending(found) if v <= target]
        for version in applied:
            if version == BASE_VERSION:
                _base(cur)
            else:
                step = MIGRATIONS[version - 1]
                assert step is not None
                step(cur)
        if applied:
            cur.execute("UPDATE schema_version SET version = %s", (applied[-1],))
    return found, applied


def newer_message(shown: str, found: int) -> str:
    """The refusal for a database written by a newer roleplay."""
    return (f"The database {shown} was saved by a newer version of roleplay (schema {found}; this one "
            f"knows up to {SCHEMA_VERSION}). Please update roleplay on this computer.")


def prepare(conn: Any, shown: str) -> None:
    """On opening: set up an empty database; refuse one that is newer than this code, or older (it needs
    ``roleplay db upgrade``, run once by whoever looks after the class database, not by every client)."""
    from roleplay.storage.errors import StorageError

    with conn.cursor() as cur:
        found = current_version(cur)
    if found == SCHEMA_VERSION:
        return
    if found > SCHEMA_VERSION:
        raise StorageError(newer_message(shown, found))
    if found == 0:
        try:
            migrate(conn)
        except sqlite_schema.NewerSchemaError as error:  # another process made it meanwhile, newer
            raise StorageError(newer_message(shown, error.args[0])) from None
        return
    raise StorageError(
        f"The database {shown} has schema version {found}; this roleplay needs {SCHEMA_VERSION}. Upgrade it "
        f"once with `roleplay --database URL db upgrade` (see what changes first with --dry-run).")
