"""``roleplay preview FILE``: open a scenario or rubric in the app as a tutor sees it, reloading on save."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("preview")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--interval", type=click.FloatRange(0.1, 10), default=0.5, show_default=True,
              help="Seconds between checks for a saved change.")
def command(file: Path, interval: float) -> None:
    """Preview FILE (a scenario, rubric or agreement) in the app as a tutor sees it.

    A scenario shows its summary, content notes, persona card, listener brief, observer focus, trainer
    notes (tutor view only), every turn with its key points, feelings, pitfalls and examples, and the
    branches drawn as a tree. A rubric shows its scale, each criterion with the descriptor for every
    level as the observer will see it, tallies with their keys, and metrics with their thresholds.

    Keep it open while you edit: each save reloads the preview. If the saved file has errors they are
    shown at the top, as file:line:column with a hint, and the last version that loaded stays on screen.
    Keys: r reload now, t jump to the branch tree, q quit.

    \b
    Examples:
      roleplay preview scenarios/my-scene.yaml
      roleplay preview rubrics/my-rubric.yaml
    """
    from roleplay.tui.preview_app import create_preview_app  # Textual is imported only when the app opens

    create_preview_app(file, poll_interval=interval).run()
