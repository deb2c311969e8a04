"""The transcript of the round so far: speaker lines and listener responses, always shown as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.tui.text import lines, plain, styled


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One line of the transcript: who spoke and what they said."""

    who: str
    text: str
    speaker: bool
    """True for the scenario's speaker, False for the listener."""


class Transcript(VerticalScroll, can_focus=False):
    """A scrolling transcript; :meth:`show` replaces its content and scrolls to the latest line."""

    def compose(self) -> ComposeResult:
        """The widget's body."""
        yield Static("Nothing said yet.", id="transcript-body")

    def show(self, entries: Sequence[TranscriptLine]) -> None:
        """Display the entries in order (names and text are plain text, never markup)."""
        body = self.query_one("#transcript-body", Static)
        if not entries:
            body.update("Nothing said yet.")
            return
        parts = []
        for entry in entries:
            style = "bold $accent" if entry.speaker else "bold $success"
            parts.append(styled(f"{entry.who}:", style))
            parts.append(plain(entry.text))
        body.update(lines(parts))
        # After the refresh: the new lines' height is known only once the body is laid out again, and
        # scrolling now would stop at the old end (the newest line left below the fold).
        self.call_after_refresh(self.scroll_end, animate=False)
