"""``roleplay report``: one or more stored sessions as Markdown, HTML, CSV or JSON (optionally anonymised).

Also holds the small helpers the other report commands share: opening the store named by ``--data-dir``
and writing output, both with user-facing errors instead of tracebacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID
from roleplay.storage.errors import StorageError
from roleplay.storage.gate import PracticeStore


@contextmanager
def open_cli_store(ctx: click.Context) -> Iterator[PracticeStore]:
    """The store chosen by ``--database`` / ``$ROLEPLAY_DATABASE``, else the SQLite file in the data folder
    chosen by ``--data-dir`` (or the default); errors exit with code 1."""
    from roleplay.storage import open_store

    obj = ctx.find_root().obj or {}
    try:
        store = open_store(obj.get("data_dir"), database=obj.get("database"))
    except StorageError as error:
        click.echo(f"error: {error.message}", err=True)
        ctx.exit(EXIT_INVALID)
    if store.notice:
        click.echo(f"note: {store.notice}", err=True)
    try:
        yield store
    except StorageError as error:
        click.echo(f"error: {error.message}", err=True)
        ctx.exit(EXIT_INVALID)
    finally:
        store.close()


def write_text(ctx: click.Context, path: Path, text: str) -> None:
    """Write ``text`` to ``path`` exactly (line ends as given); a failure exits with code 1."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        click.echo(f"error: cannot write {path}: {error.strerror or error}", err=True)
        ctx.exit(EXIT_INVALID)


@click.command("report")
@click.argument("sessions", nargs=-1, required=True, metavar="SESSION...")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv", "json"]), default="md", show_default=True,
              help="md: readable record; html: one self-contained file that prints well; csv: one row per "
                   "rating; json: the full record.")
@click.option("--out", type=click.Path(), default=None,
              help="File to write (default: standard output). An existing folder, or a path ending in '/', "
                   "gets one file per session, named SESSION-ID.EXT.")
@click.option("--anonymize", "--anonymise", "anonymize", is_flag=True,
              help="Replace every trainee's name, also inside notes and responses, with Trainee A, B, ... "
                   "(in order of first appearance; the same person keeps one label across all the sessions).")
@click.pass_context
def command(ctx: click.Context, sessions: tuple[str, ...], fmt: str, out: str | None, anonymize: bool) -> None:
    """Report on saved practice sessions: scenario, roles per round, transcript with ratings, debrief text
    and metrics. SESSION is a session id or any unique start of one. Several sessions make one combined
    document, unless --out names a folder.

    \b
    Examples:
      roleplay report 3f2a                            Markdown on screen
      roleplay report 3f2a --format html --out s.html  a file to print or e-mail
      roleplay report 3f2a 9bc1 --format csv --out ratings.csv
      roleplay report 3f2a 9bc1 --format json --out reports/ --anonymize
    """
    from roleplay.reports.queries import resolve_session_id
    from roleplay.reports.record import load_record
    from roleplay.reports.render import render, render_each

    with open_cli_store(ctx) as store:
        ids: list[str] = []
        for given in sessions:
            found = resolve_session_id(store, given)
            if found not in ids:
                ids.append(found)
        records = [load_record(store, sid) for sid in ids]
    # The raw text is checked for a trailing slash: Path() would drop it.
    if out is not None and (Path(out).is_dir() or out.endswith(("/", "\\"))):
        for name, text in render_each(records, fmt, anonymize=anonymize).items():
            write_text(ctx, Path(out) / name, text)
        click.echo(f"wrote {len(records)} file{'s' * (len(records) != 1)} to {out}", err=True)
        return
    text = render(records, fmt, anonymize=anonymize)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(ctx, Path(out), text)
        click.echo(f"wrote {out}", err=True)
