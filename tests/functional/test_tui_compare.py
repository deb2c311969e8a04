"""Pilot tests of the automatic observer as a second opinion in a typed triad.

The observer's view of a turn must stay hidden until the human observer has confirmed the turn, then
appear beside theirs; the debrief's agreement figure must be the core's (:func:`round_comparison`).
The screen is compared with the core's output for the same session, not with hard-coded labels. The
shipped library is used: its rubrics let the observer suggest ratings (the core's sample rubric does not).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.session.compare import auto_view_for, round_comparison
from roleplay.session.roles import AUTO_RATER
from roleplay.tui.app import RoleplayApp
from roleplay.tui.text import shorten
from roleplay.tui.widgets.auto_view import NAME_WIDTH, AutoViewPanel
from roleplay.tui.widgets.feedback_card import label_text
from tests.apps import AppFactory, shipped
from tests.functional.tui_steps import to_play, to_typed_play

SIZE = (120, 40)
RESPONSES = (
    "It sounds like you feel out of place there, and it's wearing you down.",
    "What would you like to be different?",
    "You should just talk to your manager about it.",
)


#: The app of these tests (a fixed clock): see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)


def panel_text(app: RoleplayApp) -> str:
    return str(app.screen.query_one(AutoViewPanel).render())


async def test_auto_view_only_after_confirm_and_debrief_agreement(make_app: AppFactory, tmp_path: Path) -> None:
    """Hidden before the confirm, shown after; the debrief's figure equals round_comparison's."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_typed_play(pilot)
        session = app.session
        panel = app.screen.query_one(AutoViewPanel)
        assert session.rubric.id == "active-listening"
        levels = [(3, 2, 4, 1, 3, 4), (2, 2, 2, 2, 2, 2), (4, 1, 3, 3, 3, 3)]
        for index, response in enumerate(RESPONSES):
            await pilot.press(*response, "enter")
            await pilot.pause()
            await pilot.press(*(str(v) for v in levels[index]))
            await pilot.pause()
            turn = session.current_round.turns[index]
            # Rated but not confirmed: nothing from the automatic observer, on screen or saved.
            assert auto_view_for(session, turn) is None
            assert not any(rater == AUTO_RATER for rater, _ in turn.ratings)
            if index == 0:
                assert not panel.display
            else:
                assert f"turn {index}:" in panel_text(app)  # still the previous, confirmed turn
            await pilot.press("enter")  # confirm
            await pilot.pause()
            view = auto_view_for(session, turn)
            assert view is not None
            assert panel.display
            shown = panel_text(app)
            assert f"turn {index + 1}: {label_text(view.label, view.subtype)}" in shown
            assert any(c.auto is not None for c in view.criteria)
            for c in view.criteria:
                people = ", ".join(f"{who} {v}" for who, v in c.people.items())
                name = shorten(c.name, NAME_WIDTH)
                assert f"{name}: {people} · auto {'–' if c.auto is None else c.auto}" in shown
        # Stop early; the round's ratings by the observer are saved as the round ends.
        await pilot.press("ctrl+x", "y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DebriefScreen"
        comparison = round_comparison(session, 1)
        shown = str(app.screen.query_one("#debrief-compare").render())
        assert comparison.overall.items > 0
        assert f"Agreement this round: {comparison.overall.exact_percent:.0f}%" in shown
        assert f"{comparison.overall.items} items" in shown
        for c in comparison.per_criterion:
            assert f"{c.name} ({c.rater})" in shown
            assert f"mean difference {c.result.mean_abs_diff:.2f}" in shown


async def test_spoken_mode_has_no_auto_view(make_app: AppFactory, tmp_path: Path) -> None:
    """Spoken practice: no second opinion panel, no debrief section, nothing saved by the observer."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        assert not app.screen.query(AutoViewPanel)
        await pilot.press("3", "2", "4", "enter")
        await pilot.pause()
        turn = app.session.current_round.turns[0]
        assert not any(rater == AUTO_RATER for rater, _ in turn.ratings)
