"""Pilot test: the group summary shows every listener's column, however long the names typed.

A triad with a 40-character name (the most a name box takes) pushed the third listener's scores off the
right edge of a 120-column screen, with no way to see them but a horizontal scroll nobody knew about.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from roleplay.reports.sample import play_group
from roleplay.tui.screens.summary import SummaryScreen
from tests.apps import AppFactory

LONG = "Ann🌻" + "y" * 35  # 40 characters, one of them wide


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_listener_column_fits_the_screen(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.session = play_group(app.store, ("Bob [/x]", "[red]Zed[/red] 🙂", LONG), session_id="cols-1")
        app.goto(SummaryScreen())
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        assert table.virtual_size.width <= table.size.width, "a listener's column is cut off"
        text = "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))
        assert "Bob [/x]" in text and "[red]Zed" in text  # literal, not read as markup
        assert "Ann🌻yyyyyyyy…" in text  # a long name ends in an ellipsis
        assert "(round 3)" in text
