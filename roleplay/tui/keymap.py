"""The app's one keymap: every key of the play and set-up screens and the global keys, with what each does.

Screens take their ``BINDINGS`` from here (:func:`bindings`), the ``?`` help screen lists them from here,
and the README's key table is generated from here (:func:`readme_table`; a test checks the README holds
exactly that table), so the footer, the help and the documentation cannot drift apart. A key means the
same thing wherever it appears: pause, stop, note and the card are the same keys in group and solo play.

Ctrl keys act from anywhere on a screen (with priority, so they work from a text box too); plain keys
(number keys, letters) belong to the focused panel, so typing in a box never triggers them. Run
``python -m roleplay.tui.keymap`` to print the README table.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Key:
    """One key binding as the keymap holds it."""

    keys: str
    """Textual key names, comma-separated (``ctrl+p``, ``enter,c``)."""
    action: str
    """The action it runs (``pause``, ``app.back_home``)."""
    description: str
    """What it does, as the footer and the help screen say it."""
    show: bool = True
    """Whether the footer lists it (the help screen lists every key)."""
    priority: bool = False
    """Whether it acts even while a text box has focus."""

    def binding(self) -> Binding:
        """The Textual binding."""
        return Binding(self.keys, self.action, self.description, show=self.show, priority=self.priority)

    @property
    def label(self) -> str:
        """The keys as people read them: ``ctrl+p``, ``enter / c``."""
        return " / ".join(DISPLAY.get(k, k) for k in self.keys.split(","))


#: How key names are written for people.
DISPLAY = {"question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "escape": "esc", "f1": "F1"}

#: The app's own keys, on every screen.
GLOBAL = (
    Key("ctrl+q", "quit", "Quit", priority=True),
    Key("question_mark", "app.help", "Keys", show=False),
    Key("f1", "app.help", "Keys (from a text box too)", show=False, priority=True),
)

_PAUSE = Key("ctrl+p", "pause", "Pause", priority=True)
_NOTE_PANEL = Key("n", "note", "Note", show=False)  # the screens show ctrl+n, which works everywhere

#: Each screen's keys: (title on the help screen and in the README, keys).
SCREENS: dict[str, tuple[str, tuple[Key, ...]]] = {
    "group_setup": ("Group set-up", (
        Key("ctrl+n", "continue", "Continue"),
        Key("escape", "app.back_home", "Home"),
    )),
    "solo_setup": ("Solo set-up", (
        Key("ctrl+n", "continue", "Continue", priority=True),
        Key("escape", "app.back_home", "Home"),
    )),
    "group_play": ("Group play", (
        _PAUSE,
        Key("ctrl+x", "stop", "Stop round", priority=True),
        Key("ctrl+r", "reveal", "Card", priority=True),
        Key("ctrl+l", "mark_move", "Listener move", priority=True),
        Key("ctrl+n", "note", "Note", priority=True),
        Key("ctrl+t", "toggle_counts", "Ratings/counts", priority=True),
        Key("ctrl+o", "switch_rater", "Other observer", priority=True),
        Key("escape", "focus_panel", "To panel", show=False),
    )),
    "solo_play": ("Solo rehearsal", (
        _PAUSE,
        Key("ctrl+x", "stop", "Stop", priority=True),
        Key("ctrl+t", "try_again", "Try again", priority=True),
        Key("ctrl+n", "next_line", "Next line", priority=True),
        # PgDn is in the footer; PgUp is named by the card's own cue once there is something above.
        Key("pagedown", "card_page(1)", "Scroll card", priority=True),
        Key("pageup", "card_page(-1)", "Card up", priority=True, show=False),
        Key("escape", "focus_panel", "To ratings", show=False),
    )),
}

#: The rating panel's keys (its own bindings; listed on the help screen of both play screens).
PANEL = (
    Key("up,k", "move(-1)", "Previous criterion", show=False),
    Key("down,j", "move(1)", "Next criterion", show=False),
    _NOTE_PANEL,
    Key("enter", "confirm", "Confirm turn"),
)


def keys_of(screen: str) -> tuple[Key, ...]:
    """The keys of ``screen`` (a key of :data:`SCREENS`)."""
    return SCREENS[screen][1]


def bindings(screen: str) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The Textual bindings of ``screen``, for its ``BINDINGS``."""
    return [key.binding() for key in keys_of(screen)]


def panel_bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The rating panel's bindings (number keys for levels are added by the panel)."""
    return [key.binding() for key in PANEL]


def _rows(keys: tuple[Key, ...]) -> list[str]:
    return [f"| `{key.label}` | {key.description} |" for key in keys]


def readme_table() -> str:
    """The README's key table (Markdown), one section per screen, then the panel's and global keys."""
    lines = ["| Key | What it does |", "| --- | --- |"]
    for title, keys in SCREENS.values():
        lines += [f"| **{title}** | |", *_rows(keys)]
    lines += ["| **Rating panel** (group and solo play) | |", *_rows(PANEL),
              "| `1`-`9` | Give the highlighted criterion that level |",
              "| **Everywhere** | |", *_rows(GLOBAL)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
