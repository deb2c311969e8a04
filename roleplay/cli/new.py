"""``roleplay new``: start a scenario or rubric file from a commented template that validates."""

from __future__ import annotations

import re
from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID
from roleplay.content.template_check import TEMPLATES


def slugify(name: str) -> str:
    """Turn a free-form name into a file-and-id slug, e.g. 'Lonely after move' -> 'lonely-after-move'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:64].strip("-")


def render_template(kind: str, name: str, target: Path) -> str:
    """The template text for ``kind`` filled in for ``name``, pointing editors at the shipped schema."""
    from roleplay.content.schema import schema_path

    slug = slugify(name)
    title = name.strip().replace('"', "'") or slug
    if title == slug:
        title = slug.replace("-", " ").capitalize()
    return (TEMPLATES / f"{kind}.yaml").read_text("utf-8").format(
        id=slug, title=title, filename=target.name, schema=schema_path(kind).as_uri())


@click.command("new")
@click.argument("kind", type=click.Choice(["scenario", "rubric"]))
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder to write the file in.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def command(kind: str, name: str, folder: Path, force: bool) -> None:
    """Write a commented template for a new scenario or rubric, ready to edit.

    \b
    Examples:
      roleplay new scenario "Lonely after a move"
      roleplay new rubric my-rubric --dir ~/class-rubrics
    """
    slug = slugify(name)
    if not slug:
        raise click.BadParameter("use letters or digits in the name", param_hint="NAME")
    target = folder / f"{slug}.yaml"
    if target.exists() and not force:
        click.echo(f"{target}: already exists; choose another name or use --force", err=True)
        raise SystemExit(EXIT_INVALID)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(render_template(kind, name, target), encoding="utf-8")
    except OSError as exc:
        click.echo(f"{target}: cannot write: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"wrote {target}\nnext: edit it, then run `roleplay validate --strict {target}`")
