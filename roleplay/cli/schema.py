"""``roleplay schema``: print the JSON Schema of a file format, for editor completion."""

from __future__ import annotations

import click


@click.command("schema")
@click.argument("kind", type=click.Choice(["scenario", "rubric", "agreement"]))
def command(kind: str) -> None:
    """Print the JSON Schema for scenario, rubric or agreement files.

    \b
    Examples:
      roleplay schema scenario > scenario.schema.json
      roleplay schema rubric
    """
    from roleplay.content.schema import schema_text

    click.echo(schema_text(kind), nl=False)
