"""``roleplay db``: look after a practice database: ``upgrade`` applies pending schema migrations and
``copy`` moves every record between two databases (SQLite <-> PostgreSQL)."""

from __future__ import annotations

import sys

import click

from roleplay.cli import EXIT_INVALID
from roleplay.storage.errors import StorageError
from roleplay.storage.target import Target, TargetError, choose, upgrade_pg, upgrade_sqlite


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
        found, steps = (upgrade_pg if target.kind == "postgres" else upgrade_sqlite)(target, dry_run)
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
            total = src.session_count()
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
