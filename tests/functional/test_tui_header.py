"""The header's title update is safe while a screen is torn down (a seat closed from outside)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from roleplay.tui.widgets.header import RoleplayHeader


class TitleApp(App[None]):
    """One header of the given kind."""

    def __init__(self, header: type[Header]) -> None:
        super().__init__()
        self.header_type = header

    def compose(self) -> ComposeResult:
        yield self.header_type(icon="◆")


async def retitle_without_title_child(app: TitleApp) -> None:
    async with app.run_test() as pilot:
        await app.query_one(HeaderTitle).remove()  # as when the screen is being torn down
        app.title = "changed while closing"
        await pilot.pause()


async def test_textuals_header_fails_when_its_title_child_is_gone() -> None:
    """The race the seats hit (kept as a check that the test reproduces it)."""
    with pytest.raises(Exception, match="HeaderTitle"):
        await retitle_without_title_child(TitleApp(Header))


async def test_roleplay_header_skips_the_update_instead() -> None:
    await retitle_without_title_child(TitleApp(RoleplayHeader))


async def test_roleplay_header_still_shows_title_changes() -> None:
    app = TitleApp(RoleplayHeader)
    async with app.run_test() as pilot:
        app.title = "Class seat"
        app.sub_title = "Ana"
        await pilot.pause()
        shown = str(app.query_one(HeaderTitle).render())
        assert "Class seat" in shown and "Ana" in shown
