"""Pilot test: group set-up, a search typed key by key, then a scenario chosen: what each round plays
follows the chosen scenario (a new user saw three advanced scenarios after choosing an intro one)."""

from __future__ import annotations

from pathlib import Path

from textual import events

from roleplay.tui.app import create_app
from tests.functional.test_tui_round_scenarios import shown_in, to_setup

SIZE = (120, 40)


def burst(app, text: str) -> None:
    """Queue one key event per character at once, with no pause between them (Pilot's press waits for
    the app to be idle after each key, which hides races between a key's effects and the next key)."""
    for char in text:
        key = events.Key(char, char)
        key.set_sender(app)
        app._driver.send_message(key)


async def test_rounds_follow_the_intro_scenario_found_by_typing_a_search(tmp_path: Path) -> None:
    app = create_app(data_dir=tmp_path / "data", cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot, ["Ana", "Ben", "Cy"])
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
