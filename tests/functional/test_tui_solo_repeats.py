"""Pilot test of what a new user saw in solo rehearsal: the same reply typed to every line. The card
says it is the same reply again, and the summary neither counts the copies as reflections (R:Q says
it plainly, no "n/a") nor quotes them as a strength (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import AppFactory, settle, shipped, text_of
from tests.functional.tui_steps import answer_remaining_lines, to_solo_play

pytestmark = pytest.mark.app(loader=shipped)

SAME = "It sounds like you're carrying a lot on your own right now."


async def test_the_same_reply_to_every_line(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    cards: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await to_solo_play(pilot)
        solo = app.screen.solo
        await answer_remaining_lines(pilot, [SAME], 0, lambda a, _: cards.append(text_of(a, "#feedback-body")))
        await settle(pilot)
        assert type(app.screen).__name__ == "SoloSummaryScreen"
        shown = text_of(app, "#solo-summary-text")
        lines = len(solo.round.turns)
        assert lines >= 3
        assert all("The same reply as to an earlier line" in card for card in cards[1:])
        assert "The same reply as to an earlier line" not in cards[0]
        first = solo.round.turns[0].observed
        assert first is not None
        reflections = sum(1 for b in first.behaviours if b.startswith("reflection_"))
        assert f"Reflection-to-question ratio: {reflections} reflection" in shown
        assert "n/a" not in shown
        went_well = shown.split("What went well", 1)[1].split("Something to try", 1)[0]
        # Only the first reply answered its line: none of the criteria about taking in the speaker's
        # line is quoted as a strength on every line (non-judgmental wording may well be).
        for name in ("Letting the speaker lead", "Paraphrase of key points", "Would the speaker feel heard?"):
            assert f"{name} (Adds depth on {lines} of {lines} lines)" not in went_well
            assert f"{name} (Interchangeable or above on {lines} of {lines} lines)" not in went_well
        assert "leaves the lead with the speaker" not in shown
