"""A simple list of past sessions, newest first (fuller history and progress come with later features)."""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.tui.base import RoleplayScreen
from roleplay.tui.core import describe_summary, session_history
from roleplay.tui.text import plain


class HistoryScreen(RoleplayScreen):
    """Past sessions; the list is read in a worker."""

    BINDINGS = [Binding("escape", "app.back_home", "Home")]

    def compose_body(self) -> ComposeResult:
        """A heading and the list."""
        yield Static("Past sessions, newest first", id="history-title")
        yield OptionList(id="history-list")

    def on_mount(self) -> None:
        """Load the list."""
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        """Read the sessions from the store without blocking the screen."""
        sessions = await asyncio.to_thread(session_history, self.rp.store)
        options = self.query_one("#history-list", OptionList)
        if not sessions:
            options.add_option(Option("No sessions yet.", disabled=True))
        options.add_options(Option(plain(describe_summary(s)), id=s.id) for s in sessions)
        options.focus()
