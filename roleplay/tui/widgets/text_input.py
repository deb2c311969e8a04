"""An Input that follows the app's cursor-blink setting and never selects its text on focus.

Textual's Input selects all its text when it gains focus, so tabbing into the observer's jot box and
typing replaced the jot; here entering a box puts the cursor at the end of what is there.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class TextInput(Input):
    """A compact Input; user text in it is never markup (Input never parses markup)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As :class:`textual.widgets.Input`, without select-all on focus."""
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        """Take the cursor blink setting from the app."""
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))

    def on_focus(self, event: events.Focus) -> None:
        """Entering the box puts the cursor after the text already there (to add to it, not replace it)."""
        self.cursor_position = len(self.value)
