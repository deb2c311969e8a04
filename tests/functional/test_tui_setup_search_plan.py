"""Pilot test: group set-up, a search typed key by key, then a scenario chosen: what each round plays
follows the chosen scenario (a new user saw three advanced scenarios after choosing an intro one)."""

from __future__ import annotations

import pytest
from textual import events

from tests.apps import AppFactory, shipped
from tests.functional.test_tui_round_scenarios import shown_in
from tests.functional.tui_steps import to_group_setup

#: The app of this test (the shipped library): see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)

SIZE = (120, 40)


def burst(app, text: str) -> None:
    """Queue one key event per character at once, with no pause between them (Pilot's press waits for
    the app to be idle after each key, which hides races between a key's effects and the next key)."""
    for char in text:
        key = events.Key(char, char)
        key.set_sender(app)
        app._driver.send_message(key)


async def test_rounds_follow_the_intro_scenario_found_by_typing_a_search(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_group_setup(pilot, ["Ana", "Ben", "Cy"])
        app.screen.query_one("#search").focus()
        await pilot.pause()
        burst(app, "driving")  # as a terminal delivers typing: several keys before the screen catches up
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter", "enter")  # to the list, then choose the highlighted scenario
        await pilot.pause()
        screen = app.screen
        assert screen.selected_scenario().id == "third-go"
        library = app.library
        plan = screen.plan
        assert plan[0].key == "third-go"
        assert all(library.scenarios[p.scenario.id].model.difficulty.value == "intro" for p in plan)
        for i, play in enumerate(plan):  # what the screen shows is what will be played
            assert shown_in(app, f"#round-{i}") == play.label
        # and the group can still change a round by hand; that change is kept
        other = next(s.id for s in (e.model for e in library.scenarios.values())
                     if s.difficulty.value == "advanced")
        screen.query_one("#round-2").value = other
        await pilot.pause()
        assert screen.plan[2].key == other
        assert screen.plan[0].key == "third-go"
