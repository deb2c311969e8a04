"""A notice that covers a screen when the terminal is smaller than 80x24.

Every screen mounts one; the stylesheet shows it only when the screen has the ``-narrow`` or ``-short``
breakpoint class, so nothing has to react to resize events by hand.
"""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 80
MIN_HEIGHT = 24


class TooSmallNotice(Static):
    """Asks the user to enlarge the terminal."""

    def __init__(self) -> None:
        """Create the notice with its fixed wording."""
        super().__init__(
            f"Please enlarge the terminal\n\nroleplay needs at least {MIN_WIDTH} columns and {MIN_HEIGHT} "
            "rows.\nNothing is lost: your session carries on when the window is bigger.",
            classes="too-small",
            markup=False,
        )
