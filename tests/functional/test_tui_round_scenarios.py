"""Pilot tests: in group practice each round plays a different scenario (or part), chosen on set-up.

The library here is the core's sample scenario under several ids, titles, speakers and first lines, and
one copy split into parts, so what each round plays can be told apart on screen and in the records.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.content.library import Entry, Library
from roleplay.content.scenario import Scenario
from roleplay.reports.record import load_record
from roleplay.session.engine import PracticeSession
from roleplay.tui.app import RoleplayApp
from roleplay.tui.core import sample_library
from tests.apps import AppFactory, screen_name, text_of
from tests.functional.tui_steps import to_group_setup

SIZE = (120, 40)


def _variant(sid: str, title: str, persona: str, first_line: str, *, tags: list[str], difficulty: str = "intro",
             parts: list[dict] | None = None) -> Scenario:
    base = sample_library().scenarios["sample-new-job"].model.model_dump(mode="json")
    base.update(id=sid, title=title, tags=tags, difficulty=difficulty)
    base["persona"]["name"] = persona
    base["turns"][0]["line"] = first_line
    base["content_notes"] = [f"Notes for {title}"]
    if parts is not None:
        base["parts"] = parts
    return Scenario.model_validate(base)


def round_library() -> Library:
    """Five scenarios: three intro 'work' ones, an advanced one, and an intro one in two parts."""
    library = sample_library()
    library.scenarios = {}
    for scenario in (
        _variant("alpha", "Alpha at work", "Robin", "Alpha's first line.", tags=["work"]),
        _variant("bravo", "Bravo at work", "Sam", "Bravo's first line.", tags=["work"]),
        _variant("charlie", "Charlie at work", "Kit", "Charlie's first line.", tags=["work"]),
        _variant("delta", "Delta, advanced", "Jo", "Delta's first line.", tags=["work"], difficulty="advanced"),
        _variant("echo", "Echo in parts", "Lee", "Echo's first line.", tags=["home"],
                 parts=[{"title": "Starting out", "turns": ["opening", "pushback", "closing"]},
                        {"title": "At lunch", "turns": ["lunch"]}]),
    ):
        library.scenarios[scenario.id] = Entry(scenario, Path(f"{scenario.id}.yaml"), "test")
    return library


#: The app of these tests (its clock ticks a second a read): see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=round_library, step=1.0)


def shown_in(app: RoleplayApp, select: str) -> str:
    """What a Select shows as chosen, as on screen."""
    return str(app.screen.query_one(f"{select} SelectCurrent #label").render())


async def keys(pilot, *pressed: str) -> None:
    """Press each key in turn, letting the app settle after each (screens change between them)."""
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


def plan_keys(app: RoleplayApp) -> list[str]:
    return [play.key for play in app.screen.plan]


async def play_round(pilot, expected_line: str) -> None:
    """Roles -> play the round's turns with one rating each -> debrief."""
    app = pilot.app
    assert screen_name(app) == "RolesScreen"
    await pilot.press("enter")
    await pilot.pause()
    assert screen_name(app) == "PlayScreen"
    session = app.session
    assert session is not None
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert expected_line in text_of(app, "#card-body")
    while session.current_turn is not None:
        await pilot.press("3", "enter")
        await pilot.pause()
    await pilot.press("3", "enter")  # the per-round criterion, then the round ends
    await pilot.pause()
    assert screen_name(app) == "DebriefScreen"


async def past_debrief(pilot) -> None:
    await keys(pilot, "enter", "enter")


async def test_setup_picks_a_different_scenario_per_round_and_a_triad_plays_them(make_app: AppFactory,
                                                                                 tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_group_setup(pilot, ["Ana", "Ben"])
        # a pair: two rounds, the chosen scenario then another of the same level and theme
        assert plan_keys(app) == ["alpha", "bravo"]
        assert app.screen.query_one("#round-2").display is False
        app.screen.query_one("#name-2").value = "Cy"
        await pilot.pause()
        assert plan_keys(app) == ["alpha", "bravo", "charlie"]
        assert app.screen.query_one("#round-2").display is True
        assert "Charlie at work" in shown_in(app, "#round-2")
        # the group changes round 3 to the advanced one; the change is kept while the names change
        app.screen.query_one("#round-2").value = "delta"
        await pilot.pause()
        assert plan_keys(app) == ["alpha", "bravo", "delta"]
        app.screen.query_one("#name-1").value = "Bea"
        await pilot.pause()
        assert plan_keys(app) == ["alpha", "bravo", "delta"]
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen_name(app) == "AgreementScreen"
        await pilot.press("a")
        await pilot.pause()
        notes = text_of(app, "#notes-text")
        assert "3 scenarios, one per round" in notes
        for title in ("Alpha at work (round 1)", "Bravo at work (round 2)", "Delta, advanced (round 3)"):
            assert title in notes
        assert "Notes for Delta, advanced" in notes
        await pilot.press("s")
        await pilot.pause()
        assert re.search(r"Scenario:\s+Alpha at work", text_of(app, "#roles-now"))
        assert "Delta, advanced" in text_of(app, "#roles-table")

        await play_round(pilot, "Alpha's first line.")
        assert "Scenario: Alpha at work" in text_of(app, "#debrief-text")
        await past_debrief(pilot)
        assert re.search(r"Scenario:\s+Bravo at work", text_of(app, "#roles-now"))
        await play_round(pilot, "Bravo's first line.")
        assert "Scenario: Bravo at work" in text_of(app, "#debrief-text")
        await past_debrief(pilot)
        await play_round(pilot, "Delta's first line.")
        assert "Scenario: Delta, advanced" in text_of(app, "#debrief-text")
        await past_debrief(pilot)
        assert screen_name(app) == "SummaryScreen"
        assert "Alpha at work, Bravo at work and Delta, advanced" in text_of(app, "#summary-title")
        listed = text_of(app, "#summary-scenarios")
        assert "Round 1: Alpha at work" in listed and "Round 3: Delta, advanced" in listed
        session_id = app.session.id
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = app.screen.saved_path.read_text(encoding="utf-8")
        assert "## Round 3: Ana listening\n\nScenario: Delta, advanced" in saved
    store = app.store  # the app's own store
    record = load_record(store, session_id)
    assert [r.scenario.id for r in record.rounds] == ["alpha", "bravo", "delta"]
    assert [r.scenario.persona for r in record.rounds] == ["Robin", "Sam", "Jo"]


async def test_a_scenario_with_parts_plays_one_part_per_round(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_group_setup(pilot, ["Ana", "Ben", "Cy"])
        app.screen.query_one("#search").value = "echo"
        await pilot.pause()
        assert plan_keys(app) == ["echo#1", "echo#2", "alpha"]
        assert "Echo in parts, part 2 of 2: At lunch" in shown_in(app, "#round-1")
        await keys(pilot, "ctrl+n", "a")
        notes = text_of(app, "#notes-text")
        assert "Echo in parts (rounds 1 and 2)" in notes and "Alpha at work (round 3)" in notes
        await pilot.press("s")
        await pilot.pause()
        await play_round(pilot, "Echo's first line.")
        session = app.session
        assert [t.turn_id for t in session.rounds[0].turns] == ["opening", "closing"]
        await past_debrief(pilot)
        assert "part 2 of 2: At lunch" in text_of(app, "#roles-now")
        await pilot.press("enter")
        await pilot.pause()
        assert session.current_turn.turn_id == "lunch"  # round 2 starts with part 2's line


async def test_resume_mid_round_two_plays_round_twos_scenario(make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await to_group_setup(pilot, ["Ana", "Ben", "Cy"])
        await keys(pilot, "ctrl+n", "a", "s")
        await play_round(pilot, "Alpha's first line.")
        await past_debrief(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        session_id = app.session.id
    # a new app on the same data folder resumes round 2 where it stopped
    again = make_app(data)
    async with again.run_test(size=SIZE) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert screen_name(again) == "PlayScreen"
        session: PracticeSession = again.session
        assert session.id == session_id and session.current_round.number == 2
        assert session.scenario.id == "bravo" and session.current_turn.index == 1
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Sam" in text_of(again, "#card-body")
