"""The footer every screen shows: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever a screen's bindings *may* have changed: when the
screen mounts, again once focus settles, and on the screen underneath when a new one is pushed over it.
Each rebuild mounts and styles a widget per key, which made opening a screen noticeably slower (the
history screen's 200 ms budget lost tens of milliseconds to it). This footer compares what it would show
with what it shows and skips the rebuild when nothing differs, and leaves a screen that is not on top
alone (it is brought up to date when that screen comes back, which signals again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, bool], ...]


def shown_keys(screen: Screen) -> Shown:
    """What a footer shows for ``screen``: (key, description, action, enabled) of each shown binding."""
    return tuple((key, active.binding.description, active.binding.action, active.enabled)
                 for key, active in screen.active_bindings.items() if active.binding.show)


class KeyFooter(Footer):
    """A Footer that rebuilds only when the shown keys change (see the module notes)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """As :class:`textual.widgets.Footer`."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild when this footer's screen is on top and its shown keys differ from the last build."""
        if screen is not self.screen or not screen.is_current:
            return
        shown = shown_keys(screen)
        if shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus:  # without focus Footer waits for the next signal, so must we
            self._shown = shown
