"""``roleplay db``: look after a practice database: ``upgrade`` applies pending schema migrations and
``copy`` moves every record between two databases (SQLite <-> PostgreSQL)."""

from __future__ import annotations

import sqlite3
import sys

import click

from roleplay.cli import EXIT_INVALID
from roleplay.storage.errors import StorageError
from roleplay.storage.target import Target, TargetError, choose


def _fail(ctx: click.Context, message: str) -> None:
    click.echo(f"error: {message}", err=True)
    ctx.exit(EXIT_INVALID)


def chosen_target(ctx: click.Context) -> Target:
    """The database named by ``--database`` / ``$ROLEPLAY_DATABASE`` / ``--data-dir`` (errors exit 1)."""
    obj = ctx.find_root().obj or {}
    try:
        return choose(obj.get("database"), obj.get("data_dir"))
    except TargetError as error:
        _fail(ctx, str(error))
        raise AssertionError("unreachable") from error


@click.group("db")
def command() -> None:
    """Look after the practice database: upgrade its schema, copy it to another database.

    \b
    Examples:
      roleplay db upgrade                                   the SQLite file in the data folder
      roleplay --database postgresql://tutor@db.local/class db upgrade --dry-run
      roleplay db copy --from ~/old/roleplay.db --to postgresql://tutor@db.local/class
    """


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


def _upgrade_sqlite(target: Target, dry_run: bool) -> tuple[int, list[int]]:
    from roleplay.storage import schema

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


def _upgrade_pg(target: Target, dry_run: bool) -> tuple[int, list[int]]:
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


def _describe(kind: str, version: int) -> str:
    from roleplay.storage import schema
    from roleplay.storage.pg import schema as pg_schema

    if kind == "postgres":
        return pg_schema.describe(version)
    doc = schema.MIGRATIONS[version - 1].__doc__ or ""
    return " ".join(doc.split()).split(": ", 1)[-1]


@command.command("upgrade")
@click.option("--dry-run", is_flag=True, help="Only say which migrations are pending; change nothing.")
@click.pass_context
def upgrade(ctx: click.Context, dry_run: bool) -> None:
    """Apply the schema migrations the database is missing, in one transaction, and say what was done.
    A database saved by a newer roleplay is refused (update roleplay instead).

    \b
    Examples:
      roleplay db upgrade
      roleplay --database postgresql://tutor@db.local/class db upgrade --dry-run
    """
    target = chosen_target(ctx)
    try:
        found, steps = (_upgrade_pg if target.kind == "postgres" else _upgrade_sqlite)(target, dry_run)
    except StorageError as error:
        _fail(ctx, error.message)
        return
    if not steps:
        click.echo(f"{target.shown}: schema version {found}, up to date; nothing to do.")
        return
    verb = "would apply" if dry_run else "applied"
    start = "empty" if found == 0 else f"version {found}"
    click.echo(f"{target.shown}: {verb} {len(steps)} migration{'s' * (len(steps) != 1)} ({start} -> "
               f"version {steps[-1]}):")
    for version in steps:
        click.echo(f"  {version}: {_describe(target.kind, version)}")


@command.command("copy")
@click.option("--from", "source", required=True, metavar="URL",
              help="The database to copy from: postgresql://... or an SQLite file path.")
@click.option("--to", "target", required=True, metavar="URL",
              help="The database to copy into (created and set up when empty).")
@click.pass_context
def copy(ctx: click.Context, source: str, target: str) -> None:
    """Copy every practice record from one database to another: an SQLite file to a PostgreSQL class
    database or back. Safe to run again: only what the target is missing is copied, and a second run
    adds nothing. Ends with a count check of every table. Exit 1 if anything could not be copied.

    \b
    Examples:
      roleplay db copy --from ~/.local/share/roleplay/roleplay.db --to postgresql://tutor@db.local/class
      roleplay db copy --from postgresql://tutor@db.local/class --to class-backup.db
    """
    from roleplay.storage.copy import copy_all
    from roleplay.storage.store import open_store
    from roleplay.storage.target import parse

    try:
        shown = (parse(source).shown, parse(target).shown)
        if parse(source) == parse(target):
            raise TargetError("--from and --to name the same database.")
    except TargetError as error:
        _fail(ctx, str(error))
        return
    try:
        with open_store(database=source) as src, open_store(database=target) as dst:
            total = int(src._read("SELECT count(*) FROM sessions")[0][0])
            with click.progressbar(length=total, label=f"copying {total} sessions", file=sys.stderr,
                                   show_pos=True) as bar:
                result = copy_all(src, dst, progress=lambda _: bar.update(1))
    except StorageError as error:
        _fail(ctx, error.message)
        return
    click.echo(f"{shown[0]} -> {shown[1]}: {result.sessions} sessions, {result.copied_events} events copied"
               f"{' (nothing was missing)' if not result.copied_events else ''}.")
    for table, (have, now) in result.counts.items():
        mark = "ok" if now >= have else "MISSING"
        click.echo(f"  {table:<13} source {have:>8}  target {now:>8}  {mark}")
    for session_id in result.conflicts:
        click.echo(f"error: session {session_id} differs in the target (another session under the same id); "
                   "it was not copied.", err=True)
    if not result.complete:
        ctx.exit(EXIT_INVALID)
