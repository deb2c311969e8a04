"""Connecting to PostgreSQL with psycopg 3, and turning every server or network failure into one
user-facing line (a :class:`~roleplay.storage.errors.StorageError`) that never shows a password.

psycopg is an optional extra (``pip install 'roleplay[postgres]'``); importing this module without it
is fine, connecting says how to install it.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from roleplay.storage.errors import StorageError
from roleplay.storage.target import mask

if TYPE_CHECKING:
    import psycopg

#: Seconds to wait for the server to answer a connection attempt.
CONNECT_TIMEOUT = 5


class ConnectionLostError(StorageError):
    """The connection to the server broke (network, restart, an administrator ended it): retry."""


class ReadOnlyError(StorageError):
    """The role may read the class database but not write to it."""


def _where(url: str) -> tuple[str, str, str, str]:
    """Host, port, user and database name of ``url`` for messages (no password)."""
    parts = urlsplit(url)
    return (parts.hostname or "localhost", str(parts.port or 5432), parts.username or "(your login name)",
            parts.path.strip("/") or "(default)")


def translate(error: Exception, url: str) -> StorageError:
    """The one-line message for a psycopg error met while using the database at ``url``."""
    import psycopg
    from psycopg import errors as pg_errors

    shown = mask(url)
    host, port, user, name = _where(url)
    text = str(error).replace(url, shown)
    code = getattr(error, "sqlstate", None)
    if isinstance(error, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction) or code in (
            "42501", "25006"):
        return ReadOnlyError(
            f"The class database {shown} is read-only for {user}: reports work, but saving does not. "
            "Ask the database's owner to grant this role INSERT, UPDATE and DELETE on roleplay's tables, "
            "or use a role that may write.")
    if code == "3D000" or ("does not exist" in text and "database" in text):
        return StorageError(
            f"The database {name!r} does not exist on the PostgreSQL server {host}:{port}. Create it with "
            f"`createdb -h {host} -p {port} -U {user} {name}` (or in psql: CREATE DATABASE \"{name}\";), "
            "then try again.")
    if code in ("28P01", "28000") or "password authentication failed" in text or "no password supplied" in text:
        return StorageError(
            f"The PostgreSQL server {host}:{port} refused the login of {user} (wrong or missing password, "
            f"or no such role) for {shown}. Check the user and password in the URL (or in ~/.pgpass).")
    if isinstance(error, psycopg.OperationalError) and ("Connection refused" in text or "No such file" in text
                                                        or "timeout expired" in text
                                                        or "could not translate host name" in text):
        return StorageError(
            f"Cannot reach a PostgreSQL server at {host}:{port} ({shown}): is the server running, and are "
            "the host and port right? Start it (e.g. `sudo systemctl start postgresql`) and try again.")
    if isinstance(error, psycopg.OperationalError) or code in ("57P01", "57P02", "57P03", "08006", "08003"):
        return ConnectionLostError(
            f"The connection to the class database {shown} was lost ({_first_line(text)}).")
    return StorageError(f"The class database {shown} could not be used: {_first_line(text)}.")


def _first_line(text: str) -> str:
    """The first non-empty line of a server message, without a trailing full stop."""
    for line in text.splitlines():
        if line.strip():
            return line.strip().rstrip(".")
    return "no details"


def require_psycopg() -> None:
    """Raise a :class:`StorageError` saying how to install psycopg when it is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise StorageError(
            "Using a PostgreSQL database needs the psycopg package: install it with "
            "`pip install 'roleplay[postgres]'` (in a checkout: .venv/bin/pip install -e '.[postgres]').") from error


def connect(url: str, **options: Any) -> psycopg.Connection[Any]:
    """An autocommit connection to ``url`` (transactions are explicit), numeric results loaded as float.

    Raises :class:`StorageError` with a one-line message for every failure to connect.
    """
    require_psycopg()
    import psycopg
    from psycopg.types.numeric import FloatLoader

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name="roleplay", **options)
    except psycopg.Error as error:
        raise translate(error, url) from None  # the chained error's text may hold the URL
    except Exception as error:  # a malformed URL: psycopg raises ProgrammingError or ValueError
        raise StorageError(f"The database URL {mask(url)} is not valid: {_first_line(str(error))}.") from None
    # avg() and sums of big integers come back as numeric: float keeps the numbers as SQLite gives them.
    conn.adapters.register_loader("numeric", FloatLoader)
    try:
        _set_local_time_zone(conn)
    except psycopg.Error as error:
        conn.close()
        raise translate(error, url) from None
    return conn


def local_time_zone() -> str | None:
    """This machine's IANA time zone name (``$TZ``, else the target of /etc/localtime), or None."""
    given = os.environ.get("TZ", "").lstrip(":")
    if given and "/" in given and not given.startswith("/"):
        return given
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return None
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else None


def _set_local_time_zone(conn: psycopg.Connection[Any]) -> None:
    """Local calendar days are computed in the server (``local_day``): use this machine's zone for them,
    as SQLite does with 'localtime'; without a zone name, today's UTC offset."""
    from psycopg import sql

    name = local_time_zone()
    if name:
        try:
            conn.execute(sql.SQL("SET TIME ZONE {}").format(sql.Literal(name)))
            return
        except Exception:  # a name the server does not know: fall back to the offset
            pass
    offset = int(time.localtime().tm_gmtoff)
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    conn.execute(sql.SQL("SET TIME ZONE INTERVAL {} HOUR TO MINUTE").format(
        sql.Literal(f"{sign}{hours:02d}:{minutes:02d}")))
