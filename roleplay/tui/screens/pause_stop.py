"""Pause and stop-early behaviour shared by group play and solo rehearsal.

Content can be triggering, so anyone may pause at any moment: the timer stops, a calm overlay covers the
screen, and from there the round can go on or stop. Stopping early asks first and keeps everything.
"""

from __future__ import annotations

from typing import Any, Protocol

from roleplay.tui.screens.dialogs import ConfirmDialog, PauseOverlay


class Pausable(Protocol):
    """What the mixin pauses: a practice session or a solo rehearsal."""

    def pause(self) -> None: ...
    def unpause(self) -> None: ...


class PauseStopMixin:
    """``action_pause`` and ``action_stop`` for a play screen; the screen supplies what differs."""

    #: The question asked before stopping early.
    STOP_QUESTION = "Stop now? Everything so far is kept."

    rp: Any
    app: Any

    def pausable(self) -> Pausable:
        """The session or rehearsal to pause (the screen overrides this)."""
        raise NotImplementedError

    def tick(self) -> None:
        """Refresh the timer and status (the screen overrides this)."""

    def end_round(self) -> None:
        """End the round and move on to the debrief or summary (the screen overrides this)."""
        raise NotImplementedError

    def action_pause(self) -> None:
        """Pause at once; the overlay decides what next (carry on, or stop the round)."""
        target = self.pausable()
        self.rp.act(target.pause)
        self.tick()

        def after(choice: object) -> None:
            self.rp.act(target.unpause)
            if choice == "stop":
                self.end_round()
            else:
                self.tick()

        self.app.push_screen(PauseOverlay(), after)

    def action_stop(self) -> None:
        """Stop early, after a check."""

        def answer(yes: object) -> None:
            if yes:
                self.end_round()

        self.app.push_screen(ConfirmDialog(self.STOP_QUESTION), answer)
