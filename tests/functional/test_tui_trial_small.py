"""Pilot tests of the small findings of the new-user trial (docs/new-user-trial-2026-12-02.md): each
reproduces the trial's steps and checks what the trainee sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import AppFactory, shipped, text_of
from tests.functional.tui_steps import from_home, to_group_setup

#: The app of these tests: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)


async def test_solo_setup_counts_lines_as_play_does(make_app: AppFactory, tmp_path: Path) -> None:
    """F2: "Nights and days" has 9 turns in its file, 2 of them only reached on a branch; set-up said
    "9 turns" and play "Line 1 of 7". Both now count the lines a rehearsal plays, in the same word."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await from_home(pilot, "s", "SoloSetupScreen")
        app.screen.query_one("#solo-name").value = "Sam"
        app.screen.query_one("#solo-search").value = "nights"
        await pilot.pause()
        preview = text_of(app, "#solo-preview #preview-body")
        assert "Nights and days" in preview
        assert "7 lines" in preview and "turns" not in preview, preview
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "Line 1 of 7" in text_of(app, "#solo-where")


async def test_group_setup_counts_turns_as_play_does(make_app: AppFactory, tmp_path: Path) -> None:
    """F2 in group set-up: the preview counts the turns a round plays (the play header's "Turn 1/7")."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_group_setup(pilot)
        app.screen.query_one("#search").value = "nights"
        await pilot.pause()
        preview = text_of(app, "#preview #preview-body")
        assert "Nights and days" in preview
        assert "7 turns" in preview and "9 turns" not in preview, preview
