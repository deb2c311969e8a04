"""Pilot tests of what a new user found hard in solo rehearsal and on the home screen.

Focus is visible on every control of the set-up (and nothing invisible takes a Tab stop); the search
keeps the chosen scenario; a self-rating stays on its criterion; the feedback card scrolls with PgDn from
anywhere and says when there is more; the name is remembered; home says where a session stopped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import OptionList, Select

from roleplay.tui.widgets.key_footer import shown_keys
from tests.apps import AppFactory
from tests.functional.test_tui_solo import ADVICE, ANSWERS, SIZE, settle, shipped, text_of
from tests.functional.tui_steps import solo_respond, to_solo_play

#: The app of these tests: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)


def focus_look(widget) -> tuple:
    """What the eye can tell apart without colour: border and rule shapes, text style."""
    styles = widget.styles
    edges = tuple(edge[0] for edge in (styles.border_top, styles.border_right, styles.border_bottom,
                                       styles.border_left))
    return edges, str(styles.text_style)


async def to_setup(pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "SoloSetupScreen"


def scenario_index(app, title: str) -> int:
    options = app.screen.query_one("#solo-scenarios", OptionList)
    return next(i for i in range(options.option_count)
                if str(options.get_option_at_index(i).prompt).startswith(title))


async def test_every_tab_stop_shows_focus_by_shape(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot)
        chain = app.screen.focus_chain
        # The scrolling left column was an invisible Tab stop: no plain scroll container takes one now,
        # except the scenario preview, which marks its focus (checked below).
        assert [w.id for w in chain] == ["solo-name", "solo-search", "solo-difficulty", "solo-scenarios",
                                         "solo-preview", "solo-rubric", "solo-continue"]
        assert not any(type(w) is ScrollableContainer or w.id == "solo-setup-left" for w in chain)
        for widget in chain:
            app.screen.set_focus(None)
            await pilot.pause()
            blurred = focus_look(widget)
            widget.focus()
            await pilot.pause()
            assert app.focused is widget
            assert focus_look(widget) != blurred, f"{widget.id} looks the same with and without focus"


async def test_open_rubric_list_has_a_frame(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot)
        rubric = app.screen.query_one("#solo-rubric", Select)
        rubric.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert rubric.expanded
        overlay = rubric.query_one("SelectOverlay")
        assert all(edge[0] not in ("", "none", "hidden") for edge in (
            overlay.styles.border_top, overlay.styles.border_bottom, overlay.styles.border_left))


async def test_search_keeps_the_chosen_scenario_while_it_matches(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot)
        screen = app.screen
        options = screen.query_one("#solo-scenarios", OptionList)
        options.focus()
        # "My turn to speak" matches "quiet" only in its other text, so it ranks below "The quiet flat".
        options.highlighted = scenario_index(app, "My turn to speak")
        await pilot.pause()
        search = screen.query_one("#solo-search")
        search.focus()
        for key in "quiet":
            await pilot.press(key)
        await pilot.pause()
        assert options.option_count > 1
        assert str(options.get_option_at_index(0).prompt) == "The quiet flat  (intro)"  # ranked first
        assert screen.selected_scenario().title == "My turn to speak"  # the user's pick is kept
        assert "Chosen: My turn to speak" in text_of(app, "#solo-chosen")
        # A search that hides it moves the choice, and says so; widening the search brings it back.
        search.value = "football"
        await pilot.pause()
        assert screen.selected_scenario().title != "My turn to speak"
        assert "the search hides “My turn to speak”" in text_of(app, "#solo-chosen")
        search.value = ""
        await pilot.pause()
        assert screen.selected_scenario().title == "My turn to speak"
        # Continue starts the scenario that is shown as chosen.
        screen.query_one("#solo-name").value = "Ana"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.scenario.title == "My turn to speak"


async def test_search_ranks_title_matches_first_and_chooses_the_best(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot)
        screen = app.screen
        screen.query_one("#solo-name").value = "Ana"
        search = screen.query_one("#solo-search")
        search.focus()
        for key in "quiet":
            await pilot.press(key)
        await pilot.pause()
        options = screen.query_one("#solo-scenarios", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0] == "The quiet flat  (intro)" and "My turn to speak" in " ".join(prompts[1:])
        assert screen.selected_scenario().title == "The quiet flat"
        assert "hides" not in text_of(app, "#solo-chosen")  # nothing the user picked was hidden
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.scenario.title == "The quiet flat"


def test_search_rank_orders_title_then_id_then_other_text() -> None:
    from roleplay.tui.screens.solo_setup import search_rank

    library = shipped()
    flat = library.scenarios["quiet-flat"].model
    turn = library.scenarios["my-turn-to-speak"].model
    assert search_rank(flat, "quiet") < search_rank(turn, "quiet")
    assert search_rank(flat, "quiet flat") < search_rank(flat, "flat quiet") < search_rank(turn, "flat quiet")
    assert search_rank(turn, "my turn") == (0, -2)  # title starts with the words
    assert search_rank(turn, "speak turn")[0] == 1  # every word in the title, not at its start
    assert search_rank(flat, "")[0] == 0


async def test_self_rating_stays_on_its_criterion(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        await solo_respond(pilot, ANSWERS[0])
        solo = app.screen.solo
        panel = app.screen.query_one("#solo-panel")
        assert app.focused is panel
        first, second = [c.id for c in panel.criteria[:2]]
        await pilot.press("3")
        await pilot.pause()
        assert panel.cursor == 0  # no jump: the next key still means this criterion
        await pilot.press("2")  # a correction lands on the same criterion
        await pilot.press("down", "4")
        await pilot.pause()
        mine = {c: e.value for (who, c), e in solo.current_turn.ratings.items() if who == "Ana"}
        assert mine == {first: 2, second: 4}
        assert "▶ stays after a number" in panel.title


async def test_card_scrolls_with_page_keys_and_says_there_is_more(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        await solo_respond(pilot, ADVICE)
        await pilot.press("3", "down", "2")  # "You and the observer" joins the card
        await pilot.pause()
        card = app.screen.query_one("#solo-card")
        panel = app.screen.query_one("#solo-panel")
        assert card.max_scroll_y > 0  # the card is longer than the screen at 120x40
        assert card.scroll_y == 0 and "more below" in str(card.border_subtitle)
        assert ("pagedown", "Scroll card") in [(k, d) for k, d, _, _ in shown_keys(app.screen)]
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y > 0 and app.focused is panel  # scrolled without moving focus
        while card.scroll_y < card.max_scroll_y:
            await pilot.press("pagedown")
            await pilot.pause()
        assert "more below" not in str(card.border_subtitle) and "PgUp" in str(card.border_subtitle)
        await pilot.press("pageup")
        await pilot.pause()
        assert card.scroll_y < card.max_scroll_y


async def test_name_is_remembered_and_home_says_where_it_stopped(make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot, name="Alex")
        await solo_respond(pilot, ANSWERS[0])
        await pilot.press("ctrl+n")
        await pilot.pause()
        total = app.screen.solo.session.turn_progress()[1]
        # The app goes away with the rehearsal in play, on its second line.

    again = make_app(data)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        detail = text_of(again, "#home-resume-detail")
        assert f"Alex · solo rehearsal, line 2 of {total}" in detail
        assert "0/1" not in detail and "Just tell me what to do" in str(again.screen.query_one("#resume").label)
        quits = [d for _, d, _, _ in shown_keys(again.screen) if d == "Quit"]
        assert quits == ["Quit"]  # one Quit in the footer, not q and ctrl+q
        await pilot.press("s")
        await settle(pilot)
        name = again.screen.query_one("#solo-name")
        assert name.value == "Alex"
        await pilot.press("B", "o")  # the prefilled name is selected: typing replaces it
        assert name.value == "Bo"


async def test_enter_in_the_list_goes_to_the_rubric_then_continue(make_app: AppFactory, tmp_path: Path) -> None:
    from textual.widgets import Button

    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_setup(pilot)
        screen = app.screen
        assert len(app.library.rubrics) > 1  # the shipped library has a choice of rubric
        screen.query_one("#solo-name").value = "Ana"
        options = screen.query_one("#solo-scenarios", OptionList)
        options.focus()
        options.highlighted = scenario_index(app, "The quiet flat")
        await pilot.press("enter")
        await pilot.pause()
        rubric = screen.query_one("#solo-rubric", Select)
        assert type(app.screen).__name__ == "SoloSetupScreen" and app.focused is rubric
        assert "Enter to change" in text_of(app, "#solo-rubric-label")
        # Enter opens the list; ↓ and Enter pick the second rubric; focus moves on to Continue.
        await pilot.press("enter")
        await pilot.pause()
        assert rubric.expanded
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        second = list(app.library.rubrics)[1]
        assert rubric.value == second and not rubric.expanded
        assert app.focused is screen.query_one("#solo-continue", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SoloNotesScreen"
        assert app.screen.scenario.title == "The quiet flat"
        assert app.screen.rubric.id == second
