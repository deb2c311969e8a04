"""Snapshot tests of the tutor preview (``roleplay preview``) at 80x24 and 120x40.

Content is the fixed scenario and rubric from ``tests/functional/test_preview.py``, written to a file with a
fixed name, so nothing on screen depends on the machine. Update with
``pytest tests/snapshots/test_preview_snapshots.py --snapshot-update`` after checking the report by eye.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from roleplay.tui.preview_app import PreviewApp, create_preview_app
from tests.apps import AppFactory
from tests.functional.test_preview import RUBRIC, SCENARIO, loaded

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
#: A rubric with the issue-18 extras: level examples answering one line, and round thresholds.
LEVELS_RUBRIC = """\
kind: rubric
id: mini-levels
title: Mini empathy levels
description: Three levels with an example each, and a round rating with fair and good thresholds.
scale:
  - {value: 1, label: Subtracts}
  - {value: 2, label: Interchangeable}
  - {value: 3, label: Adds}
criteria:
  - id: level
    name: Empathy level
    description: How far the response matches what the speaker said and felt.
    auto: empathy
    descriptors: {1: Misses or replaces it., 2: Gives it back in fresh words., 3: Adds what was implied.}
    example_speaker: I rang about the flat. Two years, they said.
    examples:
      1: "Two years isn't long."
      2: "Two years to wait, and you sound flat."
      3: "It took a lot to ring, and two years knocked you back?"
  - id: warmth
    name: Warmth
    description: The listener's warmth across the round.
    scope: per_round
    observer_only: true
    thresholds: {fair: 2, good: 2.5}
    descriptors: {1: Distant., 2: Friendly., 3: Warm throughout.}
"""
BROKEN = SCENARIO.replace("goto: not-the-boxes", "goto: not-the-box").replace("minutes: 8", "minutes: lots")


def preview_app(tmp_path: Path, name: str, text: str) -> PreviewApp:
    """The preview of ``text`` saved as ``name``; polling is slow so nothing reloads mid-snapshot."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return create_preview_app(path, poll_interval=30, cursor_blink=False)


async def top(pilot) -> None:
    await loaded(pilot)


async def tree(pilot) -> None:
    await loaded(pilot)
    await pilot.press("t")
    await pilot.pause()


async def errors(pilot) -> None:
    """Load the good version, save a broken one, reload: errors above the last good version."""
    screen = await loaded(pilot)
    screen.path.write_text(BROKEN, encoding="utf-8")
    await pilot.press("r")
    screen.watch_file()  # restart the slow poll so the reload happens now
    await loaded(pilot, 2)


CASES: dict[str, tuple[str, str, Callable[..., Awaitable[None]]]] = {
    "scenario_top": ("boxes.yaml", SCENARIO, top),
    "scenario_tree": ("boxes.yaml", SCENARIO, tree),
    "scenario_errors": ("boxes.yaml", SCENARIO, errors),
    "rubric": ("mini-rubric.yaml", RUBRIC, top),
    "rubric_levels": ("mini-levels.yaml", LEVELS_RUBRIC, top),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_preview(snap_compare, tmp_path: Path, case: str, size: tuple[int, int]) -> None:
    """The preview looks right at the minimum and a comfortable size."""
    name, text, run_before = CASES[case]
    assert snap_compare(preview_app(tmp_path, name, text), terminal_size=size, run_before=run_before)


async def export_dialog(pilot) -> None:
    """A finished sample triad on the summary screen, with the export dialog open."""
    from roleplay.reports.sample import play_group
    from roleplay.tui.screens.summary import SummaryScreen

    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.session = play_group(app.store, ("Ana", "Ben", "Cleo"), session_id="snap-0001")
    app.goto(SummaryScreen())
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    """The summary screen's export dialog: four formats, anonymise, folder."""
    app = make_app()
    assert snap_compare(app, terminal_size=size, run_before=export_dialog)
