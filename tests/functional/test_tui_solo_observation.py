"""Pilot test: in a solo rehearsal the observer runs once per response sent, however often the screen is
redrawn (number keys rate yourself, try again, the card scrolled), and the card shown is the one kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import AppFactory, shipped
from tests.functional.test_tui_solo import ANSWERS, SIZE, text_of
from tests.functional.tui_steps import solo_respond, to_solo_play

#: The app of these tests: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)


async def test_the_observer_runs_once_per_response_sent(make_app: AppFactory, tmp_path: Path,
                                                        observer_calls: list[str]) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        solo = app.screen.solo
        await solo_respond(pilot, ANSWERS[0])
        assert observer_calls == [ANSWERS[0]]
        card = solo.feedback
        for key in ("1", "2", "3", "down", "4", "2", "pagedown", "pageup"):
            await pilot.press(key)
            await pilot.pause()
        assert observer_calls == [ANSWERS[0]]  # rating yourself redraws the card, never re-runs the observer
        assert solo.feedback is card
        assert card.response in text_of(app, "#feedback-body")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await solo_respond(pilot, ANSWERS[1])
        await pilot.press("3")
        await pilot.pause()
        assert observer_calls == [ANSWERS[0], ANSWERS[1]]  # one run per response sent, earlier attempt kept
        assert "Attempt 1 (kept, not counted)" in text_of(app, "#feedback-body")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await solo_respond(pilot, ANSWERS[2])
        assert observer_calls == list(ANSWERS[:3])
