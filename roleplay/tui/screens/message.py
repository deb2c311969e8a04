"""A plain message screen for errors and notices (storage problems, a broken library): never a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.widgets import Button, Static

from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import heading, lines, plain


class MessageScreen(RoleplayScreen):
    """Shows a titled message; enter or escape closes it (or quits when ``fatal``)."""

    BINDINGS = [Binding("escape,enter", "close", "OK"), Binding("q", "app.quit", "Quit")]

    def __init__(self, title: str, message: str, *, fatal: bool = False) -> None:
        """Show ``message`` under ``title``; a fatal message offers only to quit."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.fatal = fatal

    def compose_body(self) -> ComposeResult:
        """The message and an OK button."""
        with VerticalScroll(id="message-box"):
            yield Static(lines([heading(self.title_text), "", plain(self.message)]), id="message-text")
            with Center():
                yield Button("Quit" if self.fatal else "OK", id="message-ok", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The OK button closes the message."""
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        """Close the message, or quit when nothing can go on."""
        if self.fatal:
            self.app.exit()
        else:
            self.dismiss()
