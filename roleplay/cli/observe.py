"""``roleplay observe``: run the automatic observer over JSON lines of listener responses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

if TYPE_CHECKING:
    from roleplay.content.rubric import Rubric


def _load_rubric(ctx: click.Context, ref: str) -> Rubric:
    """A rubric by library id, or from a YAML file when ``ref`` is a path (read by the one safe loader)."""
    from roleplay.content.rubric import Rubric

    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        from roleplay.cli import EXIT_INVALID
        from roleplay.content.validate import load_content_file

        loaded = load_content_file(path)
        for problem in loaded.errors:
            click.echo(problem.format(), err=True)
        if not loaded.errors and not isinstance(loaded.model, Rubric):
            click.echo(f"{path}:1:1: error: this is a {loaded.kind or 'file'}, not a rubric", err=True)
        if not isinstance(loaded.model, Rubric):
            click.echo(f"roleplay observe: cannot use {path} as the rubric; "
                       f"`roleplay validate {path}` checks it", err=True)
            ctx.exit(EXIT_INVALID)
        return loaded.model
    from roleplay.cli import library_paths
    from roleplay.content.library import load_library

    library = load_library(library_paths(ctx))
    entry = library.rubrics.get(ref)
    if entry is None:
        known = ", ".join(sorted(library.rubrics)) or "none"
        raise click.BadParameter(f"no rubric '{ref}' in the library (known: {known})", param_hint="--rubric")
    return entry.model


def _print_checks() -> None:
    from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
    from roleplay.observer.model import SIGNALS

    for title, table in (("Criterion checks (a criterion's 'auto' field)", CRITERION_CHECKS),
                         ("Tally checks (a tally's 'auto' field)", TALLY_CHECKS),
                         ("Signals reported for every response", SIGNALS)):
        click.echo(f"{title}:")
        width = max(len(k) for k in table)
        for name, text in table.items():
            click.echo(f"  {name:<{width}}  {text}")
        click.echo()


@click.command("observe")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="Add suggested ratings and tallies for this rubric (a library id or a YAML file).")
@click.option("--checks", is_flag=True, help="List the observer's checks and signals, then exit.")
@click.pass_context
def command(ctx: click.Context, file: IO[bytes], rubric_ref: str | None, checks: bool) -> None:
    """Label listener responses and explain why, one JSON line in, one JSON line out.

    Each input line (from FILE, or standard input when FILE is absent or -) is a JSON object with
    "speaker" (the speaker's line) and "response" (what the listener said), and optionally
    "key_points", "feelings" and "pitfalls" (lists of strings from the scenario turn) and an "id"
    that is copied to the output. Each output line holds "line" (the input line number), "label",
    "subtype", "confidence", "signals" (each with the exact words that triggered it) and, with
    --rubric, "ratings" and "tallies". Output is in input order.

    A line that cannot be read gives {"line": N, "error": "..."} and the run goes on; the exit
    status is then 1. That includes a line that is not UTF-8 (each line is decoded on its own), a
    line over 1 MB (the rest of it is skipped), NaN or Infinity (output is always strict JSON) and a
    lone surrogate escape. A UTF-8 byte-order mark is allowed. Blank lines are skipped. Exit 0 when
    every line was read, 2 on a usage error.

    \b
    Examples:
      echo '{"speaker": "I feel stuck", "response": "So you feel trapped?"}' | roleplay observe
      roleplay observe responses.jsonl --rubric active-listening
      roleplay observe --rubric my-rubric.yaml < responses.jsonl > observed.jsonl
      roleplay observe --checks
    """
    if checks:
        _print_checks()
        return
    rubric = _load_rubric(ctx, rubric_ref) if rubric_ref else None
    from roleplay.observer.stream import observe_stream, prepare_batch

    prepare_batch()  # a batch process: load the lexicon and freeze it out of the GC's walks
    out = sys.stdout  # plain writes: click.echo per line would cost more than the observing
    if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")  # the output is UTF-8 JSON whatever the terminal's locale
    failed = 0
    for line, ok in observe_stream(file, rubric):
        out.write(line + "\n")
        failed += not ok
    out.flush()
    if failed:
        source = "standard input" if file.name in ("<stdin>", "-") else file.name
        click.echo(f"roleplay observe: {source}: {failed} line(s) could not be read", err=True)
        ctx.exit(1)
