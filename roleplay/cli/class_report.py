"""``roleplay class-report``: results across every stored session, per trainee and per criterion."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID
from roleplay.cli.report import open_cli_store, write_text


@click.command("class-report")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Only sessions started on or after this day (YYYY-MM-DD, local time).")
@click.option("--tag", default=None, metavar="TAG", help="Only sessions whose scenario has this tag.")
@click.option("--class", "class_code", default=None, metavar="CODE",
              help="Only the sessions of the class served with this class code (`roleplay serve`).")
@click.option("--raters", default="observer,self,auto", show_default=True, metavar="KINDS",
              help="Whose ratings to show, kept apart: observer (people rating the listener), self (a "
                   "trainee's own solo ratings), auto (the automatic observer); comma-separated.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv"]), default="md", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def command(ctx: click.Context, since: datetime | None, tag: str | None, class_code: str | None, raters: str,
            fmt: str, out: Path | None) -> None:
    """Summarise the whole class from the sessions saved (or imported) on this computer: each trainee's
    and each criterion's average and trend (first half of the rounds against the second half), who has not
    yet played which role, and which criteria the class finds hardest (by observers' ratings). Ratings by
    observers, trainees' own and the automatic observer's are always shown apart, never mixed.

    \b
    Examples:
      roleplay class-report
      roleplay class-report --since 2025-01-13 --tag work
      roleplay class-report --class ACD-3FH        one served class's groups only
      roleplay class-report --format html --out class.html
      roleplay class-report --format csv --out class.csv
      roleplay class-report --raters observer      observers' ratings only
    """
    from roleplay.reports.class_report import build_class_report, parse_raters
    from roleplay.reports.class_report_out import CLASS_FORMATS

    try:
        kinds = parse_raters(raters)
    except ValueError as problem:
        raise click.BadParameter(str(problem), param_hint="--raters") from None
    with open_cli_store(ctx) as store:
        served = None if class_code is None else _served_class(ctx, store, class_code)
        report = build_class_report(store, since.date() if since else None, tag, kinds,
                                    sessions=None if served is None else served[1],
                                    served_class=None if served is None else served[0])
    text = CLASS_FORMATS[fmt](report)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(ctx, out, text)
        click.echo(f"wrote {out}", err=True)
    if report.sessions == 0:
        click.echo("note: no saved sessions match; import handed-in files with `roleplay import`", err=True)


def _served_class(ctx: click.Context, store: object, typed: str) -> tuple[str, list[str]]:
    """The served class with this code (ended or not): its code as shown and its groups' session ids."""
    from roleplay.classroom.codes import normalise_code, show_code
    from roleplay.classroom.room import ClassRoom
    from roleplay.storage import classes
    from roleplay.storage.store import Store

    row = classes.find_class(store, code=normalise_code(typed)) if isinstance(store, Store) else None
    if row is None:
        click.echo(f"error: no class with the code {typed!r} in this database; the code is the one "
                   "`roleplay serve` printed (like ACD-3FH).", err=True)
        ctx.exit(EXIT_INVALID)
    room = ClassRoom(store, row.id)  # type: ignore[union-attr, arg-type]
    return show_code(room.state.code), room.state.session_ids()
