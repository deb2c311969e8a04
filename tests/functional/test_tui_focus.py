"""The observer's jot box shows the focus mark only while it has focus, and entering it never selects the jot.

Before, the jot box kept Textual's tall bar when the rating panel had focus (so it looked like the place
typing would go, and the first letters went to the panel), and tabbing into a box with text selected it
all, so the next key replaced the jot.
"""

from __future__ import annotations

from pathlib import Path

from tests.apps import AppFactory, shipped
from tests.functional.test_tui_flow import SIZE, screen_name
from tests.functional.tui_steps import to_play, to_roles


def frame(widget) -> str:
    """The style of the widget's left border (heavy is the app's focus mark)."""
    return widget.styles.border_left[0]


async def test_focus_mark_only_where_focus_is(make_app: AppFactory, tmp_path: Path) -> None:
    """Panel focused: the jot box has a quiet frame; in the box: the box has the mark, the panel not."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        response, panel = app.screen.query_one("#response"), app.screen.query_one("#panel")
        assert app.focused is panel
        assert frame(panel) == "heavy" and frame(response) != "heavy"
        assert frame(response) != "tall"  # Textual's bar, which read as focus
        response.focus()
        await pilot.pause()
        assert frame(response) == "heavy" and frame(panel) != "heavy"


async def test_tab_into_a_box_with_text_puts_the_cursor_at_the_end(make_app: AppFactory, tmp_path: Path) -> None:
    """A jot typed, focus moved away and back by Tab: nothing selected, typing adds to the jot."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        response = app.screen.query_one("#response")
        response.focus()
        await pilot.press(*"she is tired")
        await pilot.press("escape")  # back to the panel
        await pilot.pause()
        assert app.focused is app.screen.query_one("#panel")
        for _ in range(6):
            if app.focused is response:
                break
            await pilot.press("shift+tab")
            await pilot.pause()
        assert app.focused is response
        assert response.selection.is_empty
        assert response.cursor_position == len("she is tired")
        await pilot.press(*" and sad")
        await pilot.pause()
        assert response.value == "she is tired and sad"


async def test_group_search_ranks_title_matches_first(make_app: AppFactory, tmp_path: Path) -> None:
    """Group set-up: searching "quiet" lists the scenario titled with it before one that only mentions it."""

    app = make_app(tmp_path / "data", loader_now=shipped)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#search").value = "quiet"
        await pilot.pause()
        options = app.screen.query_one("#scenarios")
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(titles) > 1
        assert "quiet" in titles[0].casefold()
        firsts = [i for i, t in enumerate(titles) if "quiet" in t.split("(")[0].casefold()]
        assert firsts == list(range(len(firsts)))  # every title match comes before the other matches


async def test_roles_footer_and_button_say_the_same(make_app: AppFactory, tmp_path: Path) -> None:
    """The roles screen's footer names the button's key and words: space, Start the round."""
    from tests.functional.test_tui_markup_literal import screen_text

    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        shown = {b.binding.description: b.binding.key for b in app.screen.active_bindings.values()
                 if b.binding.show}
        assert shown.get("Start the round") == "space"
        assert "Start the round (space)" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"


async def test_set_order_dialog_text_fits_at_80x24(make_app: AppFactory, tmp_path: Path) -> None:
    """The "Set order" dialog's help wraps inside the dialog at 80x24 instead of running off its edge."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        await pilot.press("o")
        await pilot.pause()
        assert screen_name(app) == "OrderDialog"
        help_text = app.screen.query_one("#order-help")
        dialog = app.screen.query_one(".dialog")
        assert help_text.region.right <= dialog.region.right
        assert help_text.region.height >= 2  # wrapped, all of it shown
        assert "then press enter." in str(help_text.render())


def focus_stops_without_a_mark(screen) -> list[str]:
    """Widgets Tab can land on that are only scroll containers of other fields: they show no focus."""
    from textual.containers import ScrollableContainer, VerticalScroll

    return [w.id or type(w).__name__ for w in screen.focus_chain
            if type(w) in (ScrollableContainer, VerticalScroll) and any(child.focusable for child in w.query("*"))]


async def test_shift_tab_from_the_rubric_lands_on_a_field_that_shows_focus(make_app) -> None:
    """Set-up at 80x24: from the rubric, shift+tab goes to the scenario preview (visible, its focus mark
    drawn), not to the column holding the rubric, which showed nothing and swallowed a key press."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert screen_name(app) == "SetupScreen"
        assert focus_stops_without_a_mark(app.screen) == []
        rubric = app.screen.query_one("#rubric")
        rubric.focus()
        await pilot.pause()
        await pilot.press("shift+tab")
        await pilot.pause()
        focused = app.focused
        assert focused is app.screen.query_one("#preview")
        assert app.screen.region.contains_region(focused.region) and focused.region.area > 0
        assert focused.styles.border_top[0] == "heavy"  # the focus mark (hkey when not focused)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is rubric and rubric.styles.border_left[0] == "thick"


async def test_the_roles_screen_has_no_invisible_focus_stop(make_app) -> None:
    """Roles: shift+tab from Start goes round the buttons only (the column was a stop showing nothing)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        assert focus_stops_without_a_mark(app.screen) == []
        seen = set()
        for _ in range(4):
            await pilot.press("shift+tab")
            await pilot.pause()
            seen.add(app.focused.id)
        assert seen == {"start", "shuffle", "order"}
