"""The base screen every roleplay screen builds on: header, body, footer and the too-small notice.

Subclasses write :meth:`RoleplayScreen.compose_body`; the base adds the frame, so every screen has a
Footer with its key bindings and a clear message when the terminal is too small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen

from roleplay.tui.widgets.header import RoleplayHeader
from roleplay.tui.widgets.key_footer import KeyFooter
from roleplay.tui.widgets.too_small import TooSmallNotice

if TYPE_CHECKING:
    from roleplay.tui.app import RoleplayApp


class _Framed:
    """What screens and dialogs share: the body subclasses write, framed by the footer and the too-small
    notice, and the app typed. A plain mixin, not a Screen: Textual takes default CSS along the first
    DOMNode base only, and a dialog must keep ModalScreen's."""

    app: Any  # the Screen's own attribute; :attr:`rp` types it

    def compose(self) -> ComposeResult:
        """Frame the body; subclasses override :meth:`compose_body` instead."""
        yield from self.compose_top()
        yield from self.compose_body()
        yield KeyFooter()
        yield TooSmallNotice()

    def compose_top(self) -> ComposeResult:
        """What stands above the body (nothing for a dialog: the screen below keeps its Header)."""
        yield from ()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    @property
    def rp(self) -> RoleplayApp:
        """The app, typed."""
        return cast("RoleplayApp", self.app)


class Follows:
    """A screen that redraws from state other devices share (the class, a group's session). The app calls
    :meth:`follow` whenever it has caught up, and may do so before the screen's ``on_mount`` has drawn it:
    until :meth:`drawn_now` marks it drawn, :meth:`follow` does nothing, and the app waits before changing
    screens (a screen removed half-made would fail). A plain mixin, like :class:`_Framed`."""

    drawn: bool = False
    """Whether ``on_mount`` has drawn the screen, so its widgets exist."""

    def drawn_now(self, *, redraw: bool = True) -> None:
        """The end of ``on_mount``: the widgets exist; draw the shared state (unless already drawn)."""
        self.drawn = True
        if redraw:
            self.follow()

    def follow(self) -> None:
        """Redraw from the shared state, once the screen is drawn."""
        if self.drawn:
            self.redraw()

    def redraw(self) -> None:
        """Draw from the shared state (subclasses)."""


class RoleplayScreen(_Framed, Screen[None]):
    """A full screen with Header (no clock), the screen's body, Footer and the too-small notice."""

    def compose_top(self) -> ComposeResult:
        """The Header."""
        yield RoleplayHeader(icon="◆")


#: What a dialog dismisses with.
ResultT = TypeVar("ResultT")


class RoleplayModal(_Framed, ModalScreen[ResultT]):
    """A modal dialog with the too-small notice (the screen below keeps its Header and Footer); ``ResultT``
    is what it dismisses with, so a callback's argument is typed."""

