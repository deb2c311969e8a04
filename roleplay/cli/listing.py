"""``roleplay list``: the scenarios and rubrics in the library, as a table or JSON."""

from __future__ import annotations

import json

import click

from roleplay.cli import EXIT_INVALID, library_paths


@click.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def command(ctx: click.Context, fmt: str) -> None:
    """List scenarios and rubrics from every library folder.

    \b
    Examples:
      roleplay list
      roleplay list --format json
      roleplay --library ~/class-scenarios list
    """
    from roleplay.content.library import load_library

    library = load_library(library_paths(ctx))
    scenarios = [
        {"id": sid, "title": e.model.title, "path": str(e.path), "source": e.source,
         "difficulty": e.model.difficulty.value, "tags": list(e.model.tags),
         "turns": sum(not t.only_via_branch for t in e.model.turns), "minutes": e.model.minutes}
        for sid, e in sorted(library.scenarios.items())
    ]
    rubrics = [
        {"id": rid, "title": e.model.title, "path": str(e.path), "source": e.source,
         "criteria": len(e.model.criteria), "tallies": len(e.model.tallies)}
        for rid, e in sorted(library.rubrics.items())
    ]
    if fmt == "json":
        click.echo(json.dumps({"scenarios": scenarios, "rubrics": rubrics}, indent=2, ensure_ascii=False))
    else:
        click.echo(f"{'SCENARIO':<24} {'DIFFICULTY':<13} {'TURNS':>5} {'MIN':>4}  TITLE")
        for s in scenarios:
            click.echo(f"{s['id']:<24} {s['difficulty']:<13} {s['turns']:>5} {s['minutes']:>4}  {s['title']}")
        click.echo(f"\n{'RUBRIC':<24} {'CRITERIA':>8} {'TALLIES':>8}  TITLE")
        for r in rubrics:
            click.echo(f"{r['id']:<24} {r['criteria']:>8} {r['tallies']:>8}  {r['title']}")
    for notice in library.notices:
        click.echo(f"note: {notice}", err=True)
    if library.problems:
        first: dict[str, str] = {}  # each skipped file once, with its first problem
        for problem in library.problems:
            first.setdefault(str(problem.path), problem.format().splitlines()[0])
        count = len(first)
        click.echo(f"skipped {count} library file{'s' * (count != 1)} with problems "
                   f"({len(library.problems)} in all; `roleplay validate FILE` lists every one):", err=True)
        for line in first.values():
            click.echo(f"  {line}", err=True)
        ctx.exit(EXIT_INVALID)
