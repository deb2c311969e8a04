"""The round timer display: time left, a calm warning near the end, "over time" without stopping play."""

from __future__ import annotations

from textual.widgets import Static

from roleplay.session.state import TimerState


def timer_text(state: TimerState) -> str:
    """What the timer says: time left, a calm warning near the end, over time, paused."""
    if state.overtime:
        text = f"Time is up ({state.clock_text()}): finish this turn, no rush"
    elif state.near_end:
        text = f"{state.clock_text()} left: start drawing to a close"
    else:
        text = f"{state.clock_text()} left"
    return text + " (paused)" if state.paused else text


class RoundTimer(Static):
    """Renders a :class:`TimerState`; the screen feeds it from the session every second."""

    _shown: str | None = None
    """The text drawn now."""

    def show(self, state: TimerState) -> None:
        """Display the timer and set the ``-warning`` / ``-overtime`` classes the stylesheet colours."""
        text = timer_text(state)
        self.set_class(state.near_end and not state.overtime, "-warning")
        self.set_class(state.overtime, "-overtime")
        shown = self._shown
        if text != shown:  # called every second on every device: redraw only a change, lay out only a new width
            self._shown = text
            self.update(text, layout=shown is None or len(text) != len(shown))
