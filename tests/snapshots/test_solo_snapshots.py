"""Snapshot tests of the solo rehearsal, history and second-opinion screens at 80x24 and 120x40.

Content is a fixed part of the shipped library (two scenarios, one rubric), the clock is fixed, the cursor
does not blink and the time zone is UTC (the history's days). The observer is still being tuned, so the
feedback and summary snapshots change when its labels do: check the report by eye, then update with
``pytest tests/snapshots/test_solo_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from roleplay.content.library import Library
from tests.apps import START, AppFactory, shipped
from tests.apps import settle as settle_rounds
from tests.functional.test_tui_history import make_records
from tests.functional.test_tui_solo import ADVICE, ANSWERS
from tests.functional.tui_steps import agreement_to_notes, notes_to_roles, setup_to_agreement, to_group_setup

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Days on the history screen are local days: make local time UTC for the test."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fixed_library() -> Library:
    """Two shipped scenarios and one rubric, so new content does not change these pictures."""
    full = shipped()
    return Library(
        scenarios={k: full.scenarios[k] for k in ("what-should-i-do", "first-meeting")},
        rubrics={"active-listening": full.rubrics["active-listening"]},
        agreements=dict(full.agreements),
    )


#: The app of these tests, thirty days after the start: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=fixed_library, start=START + 30 * 86400)


async def settle(pilot) -> None:
    await settle_rounds(pilot, 2)


async def to_solo_setup(pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await pilot.pause()
    pilot.app.screen.query_one("#solo-name").value = "Ana"
    pilot.app.screen.query_one("#solo-search").value = "tell me"
    await pilot.pause()


async def to_solo_notes(pilot) -> None:
    await to_solo_setup(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()


async def to_solo_play(pilot) -> None:
    await to_solo_notes(pilot)
    await pilot.press("s")
    await pilot.pause()


async def to_solo_feedback(pilot) -> None:
    await to_solo_play(pilot)
    pilot.app.screen.query_one("#solo-response").value = ADVICE
    await pilot.press("enter", "3", "down", "2")
    await pilot.pause()


async def to_solo_branch(pilot) -> None:
    await to_solo_feedback(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()


async def to_solo_summary(pilot) -> None:
    await to_solo_branch(pilot)
    pilot.app.screen.query_one("#solo-response").value = ANSWERS[0]
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+x", "y")
    await settle(pilot)


async def to_history(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    while pilot.app.screen.person != "Ana":
        await pilot.press("p")
        await settle(pilot)


async def to_history_sessions(pilot) -> None:
    await to_history(pilot)
    await pilot.press("t")
    await pilot.pause()


async def to_triad_auto_view(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    await to_group_setup(pilot)
    app.screen.query_one("#mode-typed").value = True
    await setup_to_agreement(pilot)
    await agreement_to_notes(pilot)
    await notes_to_roles(pilot)
    await pilot.press("enter")
    await pilot.pause()
    app.screen.query_one("#response").value = ANSWERS[0]
    await pilot.press("enter", "3", "2", "4", "1", "3", "4", "enter")
    await pilot.pause()


SCREENS: dict[str, Callable[..., Awaitable[None]]] = {
    "solo_setup": to_solo_setup,
    "solo_notes": to_solo_notes,
    "solo_play": to_solo_play,
    "solo_feedback": to_solo_feedback,
    "solo_branch": to_solo_branch,
    "solo_summary": to_solo_summary,
    "history_charts": to_history,
    "history_sessions": to_history_sessions,
    "triad_auto_view": to_triad_auto_view,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, make_app: AppFactory, tmp_path: Path, screen: str, size: tuple[int, int]) -> None:
    """Each new screen looks right at the minimum and a comfortable size."""
    data = tmp_path / "data"
    if screen.startswith("history"):
        make_records(data)
    assert snap_compare(make_app(data), terminal_size=size, run_before=SCREENS[screen])
