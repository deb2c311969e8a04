"""The ``?`` help screen: the keys of the screen below it and the global keys, from the one keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from roleplay.tui import keymap
from roleplay.tui.base import RoleplayModal
from roleplay.tui.text import heading, lines, plain


def _section(title: str, keys: tuple[keymap.Key, ...]) -> list[Content | str]:
    width = max((len(k.label) for k in keys), default=0)
    return [heading(title), *(plain(f"  {k.label.ljust(width)}  {k.description}") for k in keys), ""]


def help_content(screen: Screen[object]) -> Content:
    """The keys of ``screen``: its keymap section (or its own bindings), the panel's on play screens, then
    the global keys."""
    name = getattr(screen, "KEYMAP", None)
    parts: list[Content | str] = []
    if name is not None:
        title, keys = keymap.SCREENS[name]
        parts += _section(f"{title}: keys", keys)
        if name.endswith("_play"):
            levels = keymap.Key("1-9", "", "Give the highlighted criterion that level")
            parts += _section("On the rating panel", (*keymap.PANEL, levels))
    else:
        own = tuple(keymap.Key(b.key, str(b.action), b.description or str(b.action), b.show, b.priority)
                    for b in screen.BINDINGS if isinstance(b, Binding))
        if own:
            parts += _section("This screen's keys", own)
    parts += _section("Everywhere", keymap.GLOBAL)
    return lines(parts)


class HelpScreen(RoleplayModal[None]):
    """Lists the keys; any of escape, ``?`` or q closes it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, below: Screen[object]) -> None:
        """Show the keys of ``below`` (the screen the help was asked for on)."""
        super().__init__()
        self.below = below

    def compose_body(self) -> ComposeResult:
        """The key list in a scrolling box."""
        with Vertical(classes="dialog", id="help-box"):
            yield Static(heading("Keys (esc closes)"))
            with VerticalScroll(id="help-keys"):
                yield Static(help_content(self.below), id="help-text")

    def action_close(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)
