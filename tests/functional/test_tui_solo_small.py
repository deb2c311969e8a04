"""Pilot tests of solo rehearsal on a small terminal (80x24), where the self-rating panel has room for only
a few of the rubric's criteria: the highlighted one must stay on screen, so a number never rates a
criterion the user cannot see. The group observer's panel gets the same check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region

from roleplay.tui.widgets.scoring_panel import ScoringPanel, criteria_window
from tests.apps import AppFactory, shipped
from tests.functional.test_tui_solo import ANSWERS
from tests.functional.tui_steps import solo_respond, to_solo_play, to_typed_play

#: The app of these tests: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)

SMALL = (80, 24)


def visible_rows(panel: ScoringPanel) -> list[str]:
    """The panel's lines that fit inside it (what the user sees; the rest would be cut off)."""
    assert panel.region.height > 0 and panel.screen.region.contains_region(panel.region)
    strips = panel.render_lines(Region(0, 0, *panel.outer_size))
    # Drop the frame's side characters and padding so each row starts with its marker.
    return [strip.text[2:].rstrip("│┃ ").rstrip() for strip in strips[1:-1]]


def shown_criteria(panel: ScoringPanel) -> list[str]:
    """Names (as drawn, maybe shortened) of the criteria whose rows are visible, highlighted one marked."""
    rows = visible_rows(panel)
    return [row for row in rows if row.startswith(("▶ ", "  ")) and not row.startswith(("  ▲", "  ▼"))
            and not row.startswith("    ")]


async def check_highlight_stays_visible(pilot, panel: ScoringPanel) -> None:
    """Down through every criterion and back up: the ▶ row is always among the visible lines."""
    assert len(panel.criteria) > panel.content_size.height - 3, "the panel is not short enough to test"
    for step in [*(["down"] * (len(panel.criteria) + 1)), *(["up"] * 3)]:
        await pilot.press(step)
        await pilot.pause()
        rows = visible_rows(panel)
        marked = [row for row in rows if row.startswith("▶ ")]
        assert len(marked) == 1, rows
        name = panel.criteria[panel.cursor].name
        assert marked[0][2:].startswith(name[: min(len(name), 5)]), (name, rows)


async def test_solo_panel_keeps_the_highlight_on_screen_at_80x24(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SMALL) as pilot:
        await to_solo_play(pilot)
        await solo_respond(pilot, ANSWERS[0])
        panel = app.screen.query_one("#solo-panel", ScoringPanel)
        assert app.focused is panel
        for _ in range(4):
            await pilot.press("down")
        await pilot.pause()
        assert panel.cursor == 4
        fifth = panel.criteria[4]
        rows = visible_rows(panel)
        assert any(row.startswith("▶ " + fifth.name[:5]) for row in rows), rows
        assert any("more above" in row for row in rows), rows  # the hidden rows are announced
        # A number now rates the criterion the user can see highlighted.
        await pilot.press("3")
        await pilot.pause()
        turn = app.screen.solo.current_turn
        assert turn.ratings[("Ana", fifth.id)].value == 3
        await check_highlight_stays_visible(pilot, panel)


async def test_group_panel_keeps_the_highlight_on_screen_at_80x24(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SMALL) as pilot:
        await to_typed_play(pilot)
        # After the first turn the automatic observer's card takes room from the panel: 4 of 6 rows fit.
        app.screen.query_one("#response").value = ANSWERS[0]
        await pilot.press("enter", "3", "2", "4", "1", "3", "4", "enter")
        await pilot.pause()
        panel = app.screen.query_one("#panel", ScoringPanel)
        assert len(shown_criteria(panel)) < len(panel.criteria)
        assert any("more below" in row for row in visible_rows(panel))
        panel.focus()
        await pilot.pause()
        await check_highlight_stays_visible(pilot, panel)


def test_window_holds_the_cursor_and_moves_only_when_it_must() -> None:
    top = 0
    for cursor in [0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0]:
        first, last = criteria_window(6, cursor, 4, top)
        assert first <= cursor < last
        # Rows plus one cue line for each hidden side fit in the lines given.
        assert (last - first) + (first > 0) + (last < 6) <= 4
        if top <= cursor < top + 2:
            assert first == top  # already visible, with cues either side: the rows do not jump
        top = first
    assert criteria_window(3, 2, 4) == (0, 3)  # everything fits: no window
