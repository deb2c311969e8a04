"""The speaker's card shows only just after the speaker revealed it (ctrl+r); every other action hides it.

Before, the card's shown state was the round's saved "revealed once" flag, so after ctrl+r twice the
next confirmed turn showed it again to the whole group, as did Enter in a box and ctrl+l, and the
round-ratings step showed the whole persona. Each path is driven here with Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import AppFactory
from tests.functional.test_tui_flow import SIZE, screen_name, text_of
from tests.functional.tui_steps import to_play

HIDDEN = "Speaker card hidden"


def card(app) -> str:
    return text_of(app, "#card-body")


async def reveal(pilot) -> None:
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert HIDDEN not in card(pilot.app)
    assert pilot.app.session.current_turn is None or "Say this now" in card(pilot.app)


async def test_reveal_hide_then_confirm_keeps_it_hidden_on_later_turns(make_app: AppFactory, tmp_path: Path) -> None:
    """ctrl+r twice, then confirming turns: the card stays hidden on every later turn."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await reveal(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert HIDDEN in card(app)
        for _ in range(2):
            await pilot.press("3", "3", "3", "enter")
            await pilot.pause()
            assert HIDDEN in card(app)
        assert app.session.current_round.card_revealed  # the reveal itself is still on record


async def test_confirming_a_turn_hides_a_revealed_card(make_app: AppFactory, tmp_path: Path) -> None:
    """Revealed, then the turn is confirmed: the next turn starts with the card hidden."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await reveal(pilot)
        await pilot.press("3", "3", "3", "enter")
        await pilot.pause()
        assert app.session.current_turn.index == 1
        assert HIDDEN in card(app)
        await reveal(pilot)  # and it can be revealed again for the new line
        assert app.session.scenario.turns[1].line in card(app)


@pytest.mark.parametrize("typed", [False, True], ids=["observer-jot", "typed-listener"])
async def test_enter_in_the_response_box_hides_the_card(make_app: AppFactory, tmp_path: Path, typed: bool) -> None:
    """Enter in the observer's jot box (spoken) or the listener's box (typed) hides a revealed card."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot, typed=typed)
        app.screen.query_one("#response").focus()
        await pilot.pause()
        await reveal(pilot)
        await pilot.press(*"you feel out of place", "enter")
        await pilot.pause()
        assert app.session.current_turn.response == "you feel out of place"
        assert HIDDEN in card(app)


async def test_typing_in_the_box_hides_the_card(make_app: AppFactory, tmp_path: Path) -> None:
    """The first letter typed hides the card (whoever types is not the speaker reading)."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot, typed=True)
        await reveal(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert HIDDEN in card(app)
        assert app.screen.query_one("#response").value == "y"


async def test_marking_a_move_hides_the_card(make_app: AppFactory, tmp_path: Path) -> None:
    """ctrl+l (mark the listener's move) hides the card, and it stays hidden after the mark."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await reveal(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen_name(app) == "MoveDialog"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.current_turn.move is not None
        assert HIDDEN in card(app)


@pytest.mark.parametrize("keys", [("3",), ("down",), ("ctrl+n",), ("ctrl+p",)],
                         ids=["rating", "arrow", "note", "pause"])
async def test_any_other_key_hides_the_card(make_app: AppFactory, tmp_path: Path, keys: tuple[str, ...]) -> None:
    """A rating, an arrow, ctrl+n (note) or ctrl+p (pause) hides the card too."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await reveal(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        while screen_name(app) != "PlayScreen":
            await pilot.press("escape")
            await pilot.pause()
        assert HIDDEN in card(app)


async def test_round_ratings_step_never_shows_the_persona(make_app: AppFactory, tmp_path: Path) -> None:
    """At the round-ratings step the card is hidden, and ctrl+r shows no persona details."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await reveal(pilot)
        for _ in range(3):
            await pilot.press("3", "3", "3", "enter")
            await pilot.pause()
        assert app.session.current_turn is None
        assert HIDDEN in card(app)
        await reveal(pilot)
        persona = app.session.scenario.persona
        shown = card(app)
        assert "The script is over" in shown
        for secret in (persona.background, persona.wants, *persona.how_to_play):
            assert secret not in shown
