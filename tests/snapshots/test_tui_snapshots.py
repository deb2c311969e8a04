"""Snapshot tests of every screen of the app at 80x24 and 120x40 (fixed content, clock and no blink).

Update with ``pytest tests/snapshots --snapshot-update`` after checking the report by eye.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from roleplay.tui.screens.message import MessageScreen
from tests.apps import AppFactory, settle
from tests.functional.tui_steps import agreement_to_notes, setup_to_agreement, to_group_setup, to_play, to_roles

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def to_agreement(pilot) -> None:
    await to_group_setup(pilot)
    await setup_to_agreement(pilot)


async def to_notes(pilot) -> None:
    await to_agreement(pilot)
    await agreement_to_notes(pilot)


async def to_play_revealed(pilot) -> None:
    await to_play(pilot)
    # The card shows only just after ctrl+r (any other key hides it), so it is revealed last.
    await pilot.press("3", "2", "4", "enter", "3", "ctrl+r")
    await pilot.pause()


async def to_help(pilot) -> None:
    """The ``?`` help screen over group play (the rating panel has focus)."""
    await to_play(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def to_move_dialog(pilot) -> None:
    await to_play(pilot)
    await pilot.press("ctrl+l")
    await pilot.pause()


async def to_pause(pilot) -> None:
    await to_play(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()


async def to_debrief(pilot) -> None:
    await to_play(pilot)
    await pilot.press("3", "2", "4", "enter", "3", "3", "3", "enter", "4", "2", "2", "enter", "3", "enter")
    await pilot.pause()


async def to_derole(pilot) -> None:
    await to_debrief(pilot)
    await pilot.press("enter")
    await pilot.pause()


async def to_summary(pilot) -> None:
    await to_derole(pilot)
    for _ in range(2):
        await pilot.press("enter", "enter", "3", "3", "3", "enter", "ctrl+x", "y")
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()


async def to_library(pilot) -> None:
    await settle(pilot)
    await pilot.press("l")
    await pilot.pause()


async def to_history(pilot) -> None:
    await to_summary(pilot)
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("h")
    await settle(pilot)


async def to_message(pilot) -> None:
    await settle(pilot)
    pilot.app.push_screen(MessageScreen("Your practice records cannot be saved",
                                        "The practice database is in use by another program. Close it and "
                                        "try again."))
    await pilot.pause()


SCREENS: dict[str, Callable[..., Awaitable[None]]] = {
    "home": settle,
    "setup": to_group_setup,
    "agreement": to_agreement,
    "content_notes": to_notes,
    "roles": to_roles,
    "play_hidden": to_play,
    "play_revealed": to_play_revealed,
    "move_dialog": to_move_dialog,
    "help": to_help,
    "pause": to_pause,
    "debrief": to_debrief,
    "derole": to_derole,
    "summary": to_summary,
    "library": to_library,
    "history": to_history,
    "message": to_message,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, make_app: AppFactory, screen: str, size: tuple[int, int]) -> None:
    """Each screen looks right at the minimum and a comfortable size."""
    assert snap_compare(make_app(), terminal_size=size, run_before=SCREENS[screen])


def test_too_small(snap_compare, make_app: AppFactory) -> None:
    """Below 80x24: the enlarge message instead of a broken layout."""
    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=settle)
