"""``roleplay export`` and ``roleplay import``: move a session between computers as one checked JSON file."""

from __future__ import annotations

from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID
from roleplay.cli.report import open_cli_store, write_text


@click.command("export")
@click.argument("session", metavar="SESSION")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write, or '-' for standard output (default: SESSION-ID.roleplay.json here).")
@click.pass_context
def export_command(ctx: click.Context, session: str, out: Path | None) -> None:
    """Save one session as a single JSON file to hand in or copy to another computer. The file holds the
    whole record, the scenario and rubric as played, and a checksum so changes are detected on import.
    SESSION is a session id or any unique start of one.

    \b
    Examples:
      roleplay export 3f2a                        writes 3f2a....roleplay.json here
      roleplay export 3f2a --out ~/Desktop/week3.json
    """
    from roleplay.reports.queries import resolve_session_id
    from roleplay.reports.transfer import export_text

    with open_cli_store(ctx) as store:
        session_id = resolve_session_id(store, session)
        text = export_text(store, session_id)
    if out is not None and str(out) == "-":
        click.echo(text, nl=False)
        return
    target = out or Path(f"{session_id}.roleplay.json")
    if target.is_dir():
        target = target / f"{session_id}.roleplay.json"
    write_text(ctx, target, text)
    click.echo(f"exported session {session_id} to {target}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Add sessions exported with `roleplay export` to this computer's records. Importing the same file
    again changes nothing. Each file is checked in full first (format, version, checksum, every event); a
    malformed, changed or conflicting file is refused with the reason and nothing stored is touched.
    Exit 0 when every file was imported or already present, 1 when any was refused.

    \b
    Examples:
      roleplay import week3.json
      roleplay import handed-in/*.json
    """
    from roleplay.reports.transfer import ImportRefused, import_file

    refused = 0
    with open_cli_store(ctx) as store:
        for path in files:
            try:
                result = import_file(store, path)
            except ImportRefused as error:
                refused += 1
                click.echo(f"{path}: refused: {error}", err=True)
                continue
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
                # A file no check foresaw must still be refused in words, never with a traceback.
                refused += 1
                click.echo(f"{path}: refused: the file could not be checked ({type(error).__name__})", err=True)
                continue
            click.echo(f"{path}: session {result.session_id}: {result.detail}")
    if refused:
        click.echo(f"{refused} of {len(files)} file{'s' * (len(files) != 1)} refused; nothing from "
                   f"{'them' if refused > 1 else 'it'} was stored", err=True)
        ctx.exit(EXIT_INVALID)


