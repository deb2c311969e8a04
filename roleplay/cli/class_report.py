"""``roleplay class-report``: results across every stored session, per trainee and per criterion."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from roleplay.cli.report import open_cli_store, write_text


@click.command("class-report")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Only sessions started on or after this day (YYYY-MM-DD, local time).")
@click.option("--tag", default=None, metavar="TAG", help="Only sessions whose scenario has this tag.")
@click.option("--raters", default="observer,self,auto", show_default=True, metavar="KINDS",
              help="Whose ratings to show, kept apart: observer (people rating the listener), self (a "
                   "trainee's own solo ratings), auto (the automatic observer); comma-separated.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv"]), default="md", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def command(ctx: click.Context, since: datetime | None, tag: str | None, raters: str, fmt: str,
            out: Path | None) -> None:
    """Summarise the whole class from the sessions saved (or imported) on this computer: each trainee's
    and each criterion's average and trend (first half of the rounds against the second half), who has not
    yet played which role, and which criteria the class finds hardest (by observers' ratings). Ratings by
    observers, trainees' own and the automatic observer's are always shown apart, never mixed.

    \b
    Examples:
      roleplay class-report
      roleplay class-report --since 2025-01-13 --tag work
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
        report = build_class_report(store, since.date() if since else None, tag, kinds)
    text = CLASS_FORMATS[fmt](report)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(ctx, out, text)
        click.echo(f"wrote {out}", err=True)
    if report.sessions == 0:
        click.echo("note: no saved sessions match; import handed-in files with `roleplay import`", err=True)
