"""``roleplay sessions``: the saved sessions with their ids, for ``roleplay report`` and ``export``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from roleplay.cli.report import open_cli_store

#: How a stored status reads in the list.
STATUS_WORDS = {"active": "unfinished", "finished": "finished", "abandoned": "abandoned"}


def scenario_text(title: str, round_scenarios: tuple[str, ...]) -> str:
    """The session's scenario title, and how many more scenarios its rounds played, if any."""
    others = len(dict.fromkeys(round_scenarios)) - 1
    return title if others <= 0 else f"{title} (+{others} more: one per round)"


@click.command("sessions")
@click.option("--person", default=None, metavar="NAME", help="Only sessions this person took part in.")
@click.option("--unfinished", is_flag=True, help="Only sessions not finished yet (those the app can resume).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def command(ctx: click.Context, person: str | None, unfinished: bool, limit: int, fmt: str) -> None:
    """List saved practice sessions, newest first: id, date, kind and listener mode, people, scenario, and
    whether the session was finished. Give an id (or its first characters) to `roleplay report` or
    `roleplay export`.

    \b
    Examples:
      roleplay sessions
      roleplay sessions --person Ana --limit 10
      roleplay sessions --unfinished
      roleplay sessions --format json
    """
    with open_cli_store(ctx) as store:
        rows = store.unfinished_sessions()[:limit] if unfinished else store.list_sessions(person, limit)
        if unfinished and person is not None:
            rows = [r for r in rows if person in r.names]
    listed: list[dict[str, Any]] = [
        {"id": r.id, "date": datetime.fromtimestamp(r.created_at).strftime("%Y-%m-%d %H:%M"),
         "kind": r.kind, "mode": r.mode, "people": list(r.names),
         "scenario": scenario_text(r.scenario_title, r.round_scenarios), "scenario_id": r.scenario_id,
         "round_scenarios": list(r.round_scenarios), "rounds_ended": r.rounds_ended,
         "rounds_total": r.rounds_total, "status": STATUS_WORDS.get(r.status, r.status)}
        for r in rows
    ]
    if fmt == "json":
        click.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not listed:
        click.echo("No saved sessions" + (f" with {person}" if person else "") + ".", err=True)
        return
    click.echo(f"{'ID':<16}  {'DATE':<16}  {'KIND':<12}  {'STATUS':<10}  {'ROUNDS':>6}  PEOPLE · SCENARIO")
    for s in listed:
        kind = s["kind"] if s["kind"] == "solo" else f"{s['kind']} {s['mode']}"
        click.echo(f"{s['id']:<16}  {s['date']:<16}  {kind:<12}  {s['status']:<10}  "
                   f"{s['rounds_ended']:>2}/{s['rounds_total']:<3}  {', '.join(s['people'])} · {s['scenario']}")
    click.echo("\nuse an id (or its first characters) with `roleplay report ID` or `roleplay export ID`", err=True)
