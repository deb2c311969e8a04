"""The ``roleplay`` command line. Subcommands load lazily so ``--version`` and ``validate`` stay fast
and never import Textual; only running the app (no subcommand) does."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from roleplay import __version__

#: command name -> "module" holding a click command called ``command``, or "module:attribute"
COMMANDS: dict[str, str] = {
    "validate": "roleplay.cli.validate",
    "list": "roleplay.cli.listing",
    "schema": "roleplay.cli.schema",
    "new": "roleplay.cli.new",
    "observe": "roleplay.cli.observe",
    "report": "roleplay.cli.report",
    "export": "roleplay.cli.transfer:export_command",
    "import": "roleplay.cli.transfer:import_command",
    "class-report": "roleplay.cli.class_report",
    "sessions": "roleplay.cli.sessions",
    "preview": "roleplay.cli.preview",
    "db": "roleplay.cli.db",
    "serve": "roleplay.cli.classroom:serve_command",
    "dashboard": "roleplay.cli.classroom:dashboard_command",
    "join": "roleplay.cli.classroom:join_command",
    "seat": "roleplay.cli.classroom:seat_command",
}

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


#: Options of the top-level command that people also type after the subcommand (``roleplay list
#: --library X``); they are moved in front of it, where click reads them.
GLOBAL_OPTIONS = ("--data-dir", "--database", "--library")


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with :data:`GLOBAL_OPTIONS` given after the subcommand moved before it (up to ``--``).

    ``roleplay list --library X`` becomes ``roleplay --library X list``; an option's value goes with it
    (``--library X`` or ``--library=X``). Anything after ``--`` is left alone.
    """
    before: list[str] = []
    after: list[str] = []
    moved: list[str] = []
    i, seen_command = 0, False
    while i < len(args):
        arg = args[i]
        if arg == "--":
            after += args[i:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            takes = 1 if "=" in arg else 2
            (moved if seen_command else before).extend(args[i:i + takes])
            i += takes
            continue
        if not seen_command and not arg.startswith("-"):
            seen_command = True
            after.append(arg)
        else:
            (after if seen_command else before).append(arg)
        i += 1
    return before + moved + after


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (or listed in --help)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept the global options after the subcommand too (see :func:`hoist_global_options`)."""
        return super().parse_args(ctx, hoist_global_options(list(args)))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attribute or "command")
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="roleplay", message="%(prog)s %(version)s")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="ROLEPLAY_DATA_DIR",
              help="Folder for practice records (default: your OS data folder; env ROLEPLAY_DATA_DIR).")
@click.option("--database", metavar="URL", default=None,
              help="Database for practice records: postgresql://user@host/name for a class server, or an SQLite "
                   "file path (default: roleplay.db in the data folder; env ROLEPLAY_DATABASE).")
@click.option("--library", "libraries", multiple=True, type=click.Path(path_type=Path),
              help="Extra folder of scenarios and rubrics; repeatable; later ones override (env ROLEPLAY_LIBRARY).")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, database: str | None, libraries: tuple[Path, ...]) -> None:
    """Practise listening skills by role-play: triads, pairs, and solo rehearsal.

    Run with no command to open the app. Examples:

    \b
      roleplay                          open the app
      roleplay validate --strict        check the whole library, warnings too
      roleplay list --format json       scenarios and rubrics as JSON
      roleplay new scenario my-scene    start a new scenario file from a template
    """
    ctx.obj = {"data_dir": data_dir, "database": database, "libraries": libraries}
    if ctx.invoked_subcommand is None:
        from roleplay.tui.app import create_app  # Textual is imported only here

        app = create_app(data_dir=data_dir, library_paths=libraries, database=database)
        app.run()
        if app.return_code:  # a crash (1) or a lost terminal (129) is not a clean exit: say so
            ctx.exit(app.return_code)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="roleplay")


def library_paths(ctx: click.Context) -> tuple[Path, ...]:
    """The ``--library`` folders given to the top-level command."""
    root = ctx.find_root()
    return tuple((root.obj or {}).get("libraries", ()))


if __name__ == "__main__":  # pragma: no cover
    main()
