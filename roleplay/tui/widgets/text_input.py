"""An Input that follows the app's cursor-blink setting (off in tests, for deterministic screenshots)."""

from __future__ import annotations

from textual.widgets import Input


class TextInput(Input):
    """A compact Input; user text in it is never markup (Input never parses markup)."""

    def on_mount(self) -> None:
        """Take the cursor blink setting from the app."""
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
