"""``roleplay validate``: check scenario, rubric and agreement files, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID, library_paths
from roleplay.content.problems import Severity


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Also report warnings: thin turns, missing descriptors, unused branches.")
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], strict: bool) -> None:
    """Check files or folders (default: the whole library) and report every problem as
    file:line:column. Exit 0 when valid, 1 when any error (or, with --strict, any warning) is found.

    \b
    Examples:
      roleplay validate                         the whole library
      roleplay validate --strict scenarios/     one folder, warnings too
      roleplay validate my-scene.yaml           one file
    """
    from roleplay.content.library import library_layers
    from roleplay.content.validate import iter_content_files, validate_paths

    if not paths:
        paths = tuple(folder for _, folder in library_layers(library_paths(ctx)) if folder.exists())
    problems = validate_paths(paths, strict=strict)
    files = sum(1 for _ in iter_content_files(p for p in paths if p.exists()))
    for problem in problems:
        click.echo(problem.format())
    errors = sum(p.severity is Severity.error for p in problems)
    warnings = len(problems) - errors
    summary = f"checked {files} file{'s' * (files != 1)}: {errors} error{'s' * (errors != 1)}"
    if strict:
        summary += f", {warnings} warning{'s' * (warnings != 1)}"
    named = list(dict.fromkeys(str(p.path) for p in problems))
    if named:  # the summary goes to standard error: name the files there too
        summary += " in " + ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    click.echo(summary, err=bool(problems))
    if problems:
        ctx.exit(EXIT_INVALID)
