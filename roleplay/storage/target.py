"""Which database to use: an SQLite file (the default, in the data folder) or a PostgreSQL server.

The choice comes from ``--database`` (a URL or a file path), else ``$ROLEPLAY_DATABASE``, else the SQLite
file ``roleplay.db`` in the data folder. ``postgresql://`` (or ``postgres://``) URLs name a server;
``sqlite:///path/to/file.db`` or a plain path names an SQLite file. A URL's password is never printed:
every message shows :func:`mask` of it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from roleplay.storage import schema
from roleplay.storage.errors import StorageError

#: Environment variable naming the database (the ``--database`` option wins over it).
DATABASE_ENV = "ROLEPLAY_DATABASE"

_PG_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True, slots=True)
class Target:
    """A database to open: ``kind`` is ``sqlite`` (``path`` set) or ``postgres`` (``url`` set)."""

    kind: str
    """``sqlite`` or ``postgres``."""
    path: Path | None = None
    """The SQLite file (sqlite only)."""
    url: str | None = None
    """The PostgreSQL connection URL, password included (postgres only): never print it, print :attr:`shown`."""

    @property
    def shown(self) -> str:
        """How to name this database in a message: the file path, or the URL with its password masked."""
        return str(self.path) if self.kind == "sqlite" else mask(self.url or "")


class TargetError(ValueError):
    """A ``--database`` value that names no database we can open; the message says what is accepted."""


def mask(url: str) -> str:
    """``url`` with any password replaced by ``***`` (in the authority and in a ``password=`` query)."""
    url = re.sub(r"^([a-z][a-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url, flags=re.IGNORECASE)
    return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", url)


def parse(value: str) -> Target:
    """The database a ``--database`` value names (a URL or an SQLite file path)."""
    text = value.strip()
    if not text:
        raise TargetError("--database is empty: give a postgresql:// URL or the path of an SQLite file.")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in _PG_SCHEMES:
        parts = urlsplit(text)
        if not parts.path.strip("/") and "dbname=" not in parts.query:
            raise TargetError(f"{mask(text)} names no database: add one, e.g. postgresql://user@host/roleplay.")
        return Target("postgres", url=text)
    if scheme == "sqlite":
        path = unquote(urlsplit(text).path)
        if not path:
            raise TargetError(f"{text} names no file: write sqlite:///full/path/to/roleplay.db.")
        return Target("sqlite", path=Path(path))
    if scheme:
        raise TargetError(f"{mask(text)}: roleplay stores to PostgreSQL (postgresql://...) or SQLite "
                          f"(sqlite:///path or a file path), not to '{scheme}'.")
    return Target("sqlite", path=Path(text).expanduser())


def choose(database: str | None, data_dir: Path | None) -> Target:
    """The database to use: ``database`` (from ``--database``) > ``$ROLEPLAY_DATABASE`` > the SQLite file
    in the data folder (``data_dir``, resolved as :func:`roleplay.storage.store.resolve_data_dir` does)."""
    given = database if database else os.environ.get(DATABASE_ENV) or None
    if given:
        return parse(given)
    from roleplay.storage.store import DB_NAME, resolve_data_dir

    return Target("sqlite", path=resolve_data_dir(data_dir) / DB_NAME)


# ---------------------------------------------------------------- upgrading a SQLite file (roleplay db)
def _sqlite_version(target: Target) -> int:
    """The SQLite file's schema version without changing it (0: missing or empty)."""
    assert target.path is not None
    if not target.path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{target.path}?mode=ro", uri=True) as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return 0  # damaged: opening moves it aside and says so


def upgrade_sqlite(target: Target, dry_run: bool) -> tuple[int, list[int]]:
    """``roleplay db upgrade`` on a SQLite file: (version found, migrations applied or pending with
    ``dry_run``); a file newer than the code is refused with :class:`StorageError`."""
    assert target.path is not None
    found = _sqlite_version(target)
    if found > schema.SCHEMA_VERSION:
        from roleplay.storage.pg.schema import newer_message

        raise StorageError(newer_message(target.shown, found))
    steps = list(range(found + 1, schema.SCHEMA_VERSION + 1))
    if dry_run or not steps:
        return found, steps
    try:
        target.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(target.path, isolation_level=None, timeout=5.0)
        try:
            schema.migrate(db)
        finally:
            db.close()
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"The practice database {target.path} could not be upgraded: {error}.") from None
    return found, steps


def upgrade_pg(target: Target, dry_run: bool) -> tuple[int, list[int]]:
    """``roleplay db upgrade`` on a PostgreSQL database: as :func:`upgrade_sqlite`."""
    from roleplay.storage.pg import schema as pg_schema
    from roleplay.storage.pg.connect import connect, translate

    assert target.url is not None
    conn = connect(target.url)
    try:
        with conn.cursor() as cur:
            found = pg_schema.current_version(cur)
        if found > pg_schema.SCHEMA_VERSION:
            raise StorageError(pg_schema.newer_message(target.shown, found))
        if dry_run:
            return found, pg_schema.pending(found)
        return pg_schema.migrate(conn)
    except StorageError:
        raise
    except Exception as error:
        import psycopg

        if isinstance(error, psycopg.Error):
            raise translate(error, target.url) from None
        raise
    finally:
        conn.close()
