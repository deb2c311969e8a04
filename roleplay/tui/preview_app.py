"""``roleplay preview FILE``: the tutor preview app, :class:`RoleplayApp` with one screen and no store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual import events

from roleplay.tui.app import RoleplayApp


class PreviewApp(RoleplayApp):
    """``roleplay preview FILE``: the tutor preview of one content file; no library, no practice records."""

    SUB_TITLE = "tutor preview"
    # The default screen's own CSS_PATH is not loaded by Textual, so the app loads the preview styles.
    CSS_PATH = ["app.tcss", "screens/preview.tcss"]

    def __init__(self, path: Path, *, poll_interval: float = 0.5, cursor_blink: bool = True) -> None:
        """Preview ``path``, checking it for saved changes every ``poll_interval`` seconds."""
        from roleplay.content.library import Library

        super().__init__(data_dir=None, loader=Library, clock=time.time, cursor_blink=cursor_blink)
        self.preview_path = path
        self.poll_interval = poll_interval

    def get_default_screen(self) -> Any:
        """The preview screen is the only screen."""
        from roleplay.tui.screens.preview import PreviewScreen

        return PreviewScreen(self.preview_path, poll_interval=self.poll_interval)

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]  # takes the event to stop it
        """The preview reads only its own file: no library is loaded and no practice records are opened."""
        event.prevent_default()  # Textual would also run RoleplayApp.on_mount, which opens the store


def create_preview_app(path: Path, *, poll_interval: float = 0.5, cursor_blink: bool = True) -> PreviewApp:
    """Build the tutor preview app for one scenario, rubric or agreement file."""
    return PreviewApp(path, poll_interval=poll_interval, cursor_blink=cursor_blink)
