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
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv"]), default="md", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def command(ctx: click.Context, since: datetime | None, tag: str | None, fmt: str, out: Path | None) -> None:
    """Summarise the whole class from the sessions saved (or imported) on this computer: each trainee's
    and each criterion's average and trend (first half of the rounds against the second half), who has not
    yet played which role, and which criteria the class finds hardest.

    \b
    Examples:
      roleplay class-report
      roleplay class-report --since 2025-01-13 --tag work
      roleplay class-report --format html --out class.html
      roleplay class-report --format csv --out class.csv
    """
    from roleplay.reports.class_report import build_class_report
    from roleplay.reports.class_report_out import CLASS_FORMATS

    with open_cli_store(ctx) as store:
        report = build_class_report(store, since.date() if since else None, tag)
    text = CLASS_FORMATS[fmt](report)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(ctx, out, text)
        click.echo(f"wrote {out}", err=True)
    if report.sessions == 0:
        click.echo("note: no saved sessions match; import handed-in files with `roleplay import`", err=True)
