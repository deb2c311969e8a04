"""Keeping a screen's half-typed text as a draft: saved 0.5 s after the last key, in a worker.

A screen calls :meth:`DraftKeeper.typed` on every change of its box and :meth:`DraftKeeper.entered`
once the text is saved to the record; :meth:`DraftKeeper.restore` gives back a kept draft when the
same turn is shown again. Writing happens in a thread (never on the UI thread while typing); on quit or
a lost terminal the app asks each screen to :meth:`DraftKeeper.flush` what is still waiting.
"""

from __future__ import annotations

import asyncio
from typing import Any

from roleplay.storage.drafts import Drafts

#: Seconds after the last key before a draft is written.
DEBOUNCE = 0.5


class DraftKeeper:
    """The drafts of one screen's text box (``screen``'s app provides the drafts file)."""

    def __init__(self, screen: Any, delay: float = DEBOUNCE) -> None:
        """Keep drafts for ``screen``, written ``delay`` seconds after the last change."""
        self.screen = screen
        self.delay = delay
        self._pending: tuple[str, str, str] | None = None
        self._timer: Any = None

    @property
    def drafts(self) -> Drafts | None:
        """The app's drafts file (None when the app keeps no practice records, as in the preview)."""
        return getattr(self.screen.app, "drafts", None)

    def typed(self, session_id: str, where: str, text: str) -> None:
        """The box now holds ``text``: save it as the draft once typing pauses."""
        self._pending = (session_id, where, text)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(self.delay, self._write_later)

    def entered(self, session_id: str, where: str) -> None:
        """The text was saved to the record: its draft is no longer needed."""
        self._pending = (session_id, where, "")
        self._write_later()

    def restore(self, session_id: str, where: str) -> str | None:
        """The draft kept for this slot, if any (a small file read: cheap enough for a redraw)."""
        drafts = self.drafts
        return drafts.get(session_id, where) if drafts is not None else None

    def _write_later(self) -> None:
        pending, self._pending = self._pending, None
        drafts = self.drafts
        if pending is not None and drafts is not None:
            self.screen.run_worker(asyncio.to_thread(drafts.put, *pending), group="drafts")

    def flush(self) -> None:
        """Write what is waiting now, on this thread (the app is about to end)."""
        if self._timer is not None:
            self._timer.stop()
        pending, self._pending = self._pending, None
        drafts = self.drafts
        if pending is not None and drafts is not None:
            drafts.put(*pending)
