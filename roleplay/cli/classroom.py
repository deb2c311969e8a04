"""``roleplay serve``, ``dashboard``, ``join`` and ``seat``: a whole class, each person on their own device."""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path

import click

from roleplay.cli import EXIT_INVALID, library_paths
from roleplay.cli.report import open_cli_store
from roleplay.storage.store import Store

_SERVE_HELP = """Serve the app to web browsers for a whole class: each trainee opens the join address on
their own laptop, tablet or phone, types the class code and their name, and waits in the lobby; you
open the tutor address (it holds a secret token: keep it to yourself) to form groups and watch them.

Binds 127.0.0.1 (this computer only) unless --host is given. Stop it with ctrl+c; starting it again
carries on with the same class (everyone's seat is kept; a new tutor address is printed).

\b
Example for one laptop (trying it out, or everyone at this computer):
  roleplay serve
  roleplay serve --scenario quiet-flat --rubric active-listening
\b
Examples for a room (trainees on their own devices, same Wi-Fi):
  roleplay serve --host 0.0.0.0 --port 8000
  roleplay --data-dir ~/class-2026 serve --host 0.0.0.0 --minutes 8 --mode typed
\b
Example: a new class instead of carrying on with the last one:
  roleplay serve --new-class
"""


def _data_dir(ctx: click.Context) -> Path | None:
    return (ctx.find_root().obj or {}).get("data_dir")


def _database(ctx: click.Context) -> str | None:
    return (ctx.find_root().obj or {}).get("database")


def _base_command(ctx: click.Context) -> list[str]:
    """How a child process runs roleplay with the same data folder, database and library (the database
    goes in the environment, ROLEPLAY_DATABASE, so a password in its URL is never on a command line)."""
    if _database(ctx):
        os.environ["ROLEPLAY_DATABASE"] = str(_database(ctx))
    parts = [sys.executable, "-m", "roleplay"]
    data_dir = _data_dir(ctx)
    if data_dir is not None:
        parts += ["--data-dir", str(Path(data_dir).resolve())]
    for folder in library_paths(ctx):
        parts += ["--library", str(Path(folder).resolve())]
    return parts


def _addresses(host: str, port: int) -> list[str]:
    """The addresses trainees can type: this machine's own names for the bound host (no network traffic)."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"http://{host}:{port}/"]
    found = {"127.0.0.1"}
    with contextlib.suppress(OSError):
        found |= {a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")}
    return [f"http://{a}:{port}/" for a in sorted(found, key=lambda a: a.startswith("127."))]


@click.command("serve", help=_SERVE_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices in the room connect.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--scenario", "scenario_id", default=None, help="Scenario id for every group (default: the first).")
@click.option("--rubric", "rubric_id", default=None, help="Rubric id for every group (default: the first).")
@click.option("--mode", type=click.Choice(["spoken", "typed"]), default="spoken", show_default=True,
              help="Listener mode: spoken (listen in the room) or typed (reply on the device).")
@click.option("--minutes", default=10, show_default=True, type=click.IntRange(1, 120), help="Minutes per round.")
@click.option("--new-class", is_flag=True, help="Start a new class even if the last one has not ended.")
@click.option("--max-seats", default=200, show_default=True, type=click.IntRange(1, 2000),
              help="Most browser screens open at once.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, scenario_id: str | None, rubric_id: str | None,
                  mode: str, minutes: int, new_class: bool, max_seats: int) -> None:
    """See the help text above."""
    from roleplay.classroom.codes import show_code
    from roleplay.classroom.room import ClassRoom
    from roleplay.classroom.state import Content
    from roleplay.content.library import load_library
    from roleplay.tui.web.server import ClassServer

    library = load_library(library_paths(ctx))
    scenario_id = scenario_id or next(iter(sorted(library.scenarios)), None)
    rubric_id = rubric_id or next(iter(sorted(library.rubrics)), None)
    for kind, wanted, known in (("scenario", scenario_id, library.scenarios), ("rubric", rubric_id, library.rubrics)):
        if wanted not in known:
            click.echo(f"error: there is no {kind} {wanted!r}; `roleplay list` shows them.", err=True)
            ctx.exit(EXIT_INVALID)
    with open_cli_store(ctx) as store:
        room = None if new_class else ClassRoom.latest_open(_sql_store(store))
        if room is None:
            room, token = ClassRoom.create(store, defaults=Content(scenario_id, rubric_id, mode, minutes))  # type: ignore[arg-type]
        else:
            token = room.new_token()
        class_id, code = room.class_id, room.state.code

        def check_token(given: str) -> bool:
            return room.check_token(given)

        base = _base_command(ctx)
        seat = shlex.join([*base, "seat", "--class", class_id])
        tutor = shlex.join([*base, "dashboard", "--class", class_id])
        server = ClassServer(seat_command=seat, tutor_command=tutor, check_token=check_token, host=host,
                             port=port, title="roleplay", max_seats=max_seats)

        def ready() -> None:
            joins = _addresses(host, port)
            click.echo(f"Class code: {show_code(code)}")
            click.echo("Trainees open: " + "  or  ".join(joins))
            click.echo(f"Tutor (keep this secret): {joins[0]}tutor/{token}")
            if host == "127.0.0.1":
                click.echo("Only this computer can connect; use --host 0.0.0.0 for devices in the room.")
            click.echo("Press ctrl+c to stop; starting again carries on with this class.")

        server.on_ready = ready
        try:
            server.serve()
        except OSError as error:
            click.echo(f"error: could not listen on {host}:{port} ({error.strerror or error}); try --port.", err=True)
            ctx.exit(EXIT_INVALID)


def _class_id(ctx: click.Context, given: str | None) -> str:
    from roleplay.classroom.room import ClassRoom

    if given:
        return given
    with open_cli_store(ctx) as store:
        room = ClassRoom.latest_open(_sql_store(store))
    if room is None:
        click.echo("error: no class is open in this data folder; start one with `roleplay serve`.", err=True)
        ctx.exit(EXIT_INVALID)
    return room.class_id  # type: ignore[union-attr]


@click.command("dashboard")
@click.option("--class", "class_id", default=None, help="Class id (default: the latest open class).")
@click.pass_context
def dashboard_command(ctx: click.Context, class_id: str | None) -> None:
    """The tutor's dashboard in this terminal, for the class in this data folder (or database).

    \b
    Examples:
      roleplay dashboard
      roleplay --data-dir ~/class-2026 dashboard
    """
    from roleplay.tui.dashboard_app import create_dashboard_app

    chosen = _class_id(ctx, class_id)
    create_dashboard_app(class_id=chosen, data_dir=_data_dir(ctx), library_paths=library_paths(ctx),
                         database=_database(ctx)).run()


@click.command("join")
@click.argument("address", required=False)
@click.option("--class", "class_id", default=None, help="Class id (default: you type the class code).")
@click.option("--new-seat", is_flag=True,
              help="With ADDRESS: forget the seat this computer holds in that class (join as someone new).")
@click.pass_context
def join_command(ctx: click.Context, address: str | None, class_id: str | None, new_seat: bool) -> None:
    """Take a seat in a class from this terminal. With ADDRESS (the join address on the board) over the
    network, from any computer; without it, on the computer (or the data folder, or the database) the class
    is served from. Type the class code and your name. Running the same command again puts you back in
    your seat; to move to another device, type your seat key there too.

    \b
    Examples:
      roleplay join http://192.168.1.20:8000/      a class served in the room
      roleplay join 192.168.1.20:8000
      roleplay join                                on the serving computer
      roleplay --database postgresql://tutor@classserver/roleplay join
    """
    if address is not None:
        from roleplay.paths import resolve_data_dir
        from roleplay.tui.web.client import JoinError, join_remote

        try:
            status = join_remote(address, resolve_data_dir(_data_dir(ctx)), new_seat=new_seat)
        except JoinError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_INVALID)
        ctx.exit(status)
    from roleplay.tui.class_app import create_seat_app

    create_seat_app(device_id="terminal-" + secrets.token_urlsafe(24), class_id=class_id,
                    data_dir=_data_dir(ctx), library_paths=library_paths(ctx), database=_database(ctx)).run()


@click.command("seat", hidden=True)
@click.option("--class", "class_id", required=True)
@click.pass_context
def seat_command(ctx: click.Context, class_id: str) -> None:
    """One browser's seat, started by `roleplay serve` for each tab (the device id comes in ROLEPLAY_DEVICE);
    people use `roleplay join` instead.

    \b
    Example (what `roleplay serve` runs for a browser):
      ROLEPLAY_DEVICE=... roleplay --data-dir DIR seat --class CLASS_ID
    """
    from roleplay.tui.class_app import create_seat_app

    device = os.environ.get("ROLEPLAY_DEVICE", "")
    if not device:
        click.echo("error: `roleplay seat` is started by `roleplay serve`; use `roleplay join` instead.", err=True)
        ctx.exit(EXIT_INVALID)
    create_seat_app(device_id=device, class_id=class_id, data_dir=_data_dir(ctx), library_paths=library_paths(ctx),
                    database=_database(ctx), peer=os.environ.get("ROLEPLAY_PEER", "")).run()


def _sql_store(store: object) -> Store:
    """A class runs on the store's own tables (SQLite, or PostgreSQL through the same class)."""
    assert isinstance(store, Store), "classes need the SQL store"
    return store
