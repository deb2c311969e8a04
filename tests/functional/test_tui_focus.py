"""The observer's jot box shows the focus mark only while it has focus, and entering it never selects the jot.

Before, the jot box kept Textual's tall bar when the rating panel had focus (so it looked like the place
typing would go, and the first letters went to the panel), and tabbing into a box with text selected it
all, so the next key replaced the jot.
"""

from __future__ import annotations

from pathlib import Path

from tests.functional.test_tui_flow import SIZE, make_app, screen_name, set_up


def frame(widget) -> str:
    """The style of the widget's left border (heavy is the app's focus mark)."""
    return widget.styles.border_left[0]


async def to_spoken_play(pilot) -> None:
    await pilot.pause()
    await set_up(pilot, ["Ana", "Ben", "Cy"])
    await pilot.press("enter")
    await pilot.pause()
    assert screen_name(pilot.app) == "PlayScreen"


async def test_focus_mark_only_where_focus_is(tmp_path: Path) -> None:
    """Panel focused: the jot box has a quiet frame; in the box: the box has the mark, the panel not."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_spoken_play(pilot)
        response, panel = app.screen.query_one("#response"), app.screen.query_one("#panel")
        assert app.focused is panel
        assert frame(panel) == "heavy" and frame(response) != "heavy"
        assert frame(response) != "tall"  # Textual's bar, which read as focus
        response.focus()
        await pilot.pause()
        assert frame(response) == "heavy" and frame(panel) != "heavy"


async def test_tab_into_a_box_with_text_puts_the_cursor_at_the_end(tmp_path: Path) -> None:
    """A jot typed, focus moved away and back by Tab: nothing selected, typing adds to the jot."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_spoken_play(pilot)
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
