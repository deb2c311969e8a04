"""The one keymap: screens take their keys from it, the README's table is it, and ``?`` lists it."""

from __future__ import annotations

import re

from roleplay.tui import keymap
from tests.apps import screen_name, text_of
from tests.conftest import REPO
from tests.functional.tui_steps import to_roles


def test_the_readme_table_is_the_keymap() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- keymap[^>]*-->\n(.*?)\n<!-- /keymap -->", readme, re.S)
    assert found, "README.md has no keymap table between <!-- keymap --> markers"
    assert found.group(1) == keymap.readme_table(), "README key table differs: python -m roleplay.tui.keymap"


def test_screens_take_their_bindings_from_the_keymap() -> None:
    from roleplay.tui.app import RoleplayApp
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.setup import SetupScreen
    from roleplay.tui.screens.solo_play import SoloPlayScreen
    from roleplay.tui.screens.solo_setup import SoloSetupScreen
    from roleplay.tui.widgets.scoring_panel import ScoringPanel

    for screen in (PlayScreen, SoloPlayScreen, SetupScreen, SoloSetupScreen):
        assert keymap.bindings(screen.KEYMAP) == screen.BINDINGS
    assert [k.binding() for k in keymap.GLOBAL] == RoleplayApp.BINDINGS
    assert ScoringPanel.BINDINGS[:len(keymap.PANEL)] == keymap.panel_bindings()
    # Keys shared by both play screens mean the same in each.
    group = {k.keys: k.action for k in keymap.keys_of("group_play")}
    solo = {k.keys: k.action for k in keymap.keys_of("solo_play")}
    for key in ("ctrl+p", "ctrl+x", "escape"):
        assert group[key] == solo[key]


async def test_question_mark_shows_the_screens_keys_and_the_global_ones(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        await pilot.press("question_mark")  # the rating panel has focus: ? is not typed anywhere
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        shown = text_of(app, "#help-text")
        for key in (*keymap.keys_of("group_play"), *keymap.PANEL, *keymap.GLOBAL):
            assert f"{key.label}" in shown and key.description in shown
        assert "Group play: keys" in shown and "Everywhere" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        app.screen.query_one("#response").focus()
        await pilot.press("question_mark")  # typed in the jot box, not a help request
        await pilot.pause()
        assert screen_name(app) == "PlayScreen" and app.screen.query_one("#response").value == "?"
        await pilot.press("f1")  # F1 opens it from a text box
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
