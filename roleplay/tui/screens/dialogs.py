"""Small modal dialogs used during play: the calm pause overlay, a yes/no question, a note, a move mark."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.content.names import MOVE_LABELS
from roleplay.content.scenario import ListenerMove
from roleplay.tui.base import RoleplayModal
from roleplay.tui.text import plain
from roleplay.tui.widgets.text_input import TextInput


class PauseOverlay(RoleplayModal[str]):
    """A calm full-screen pause; the timer is stopped until the group carries on."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("enter,escape,p,ctrl+p,space", "carry_on", "Carry on"),
        Binding("x,ctrl+x", "stop", "Stop the round"),
    ]

    def compose_body(self) -> ComposeResult:
        """A quiet message with the two choices."""
        with Vertical(id="pause-box"):
            yield Static("Paused", id="pause-title")
            yield Static(
                "Take your time. The timer has stopped and everything so far is saved.\n\n"
                "Step out of role if you need to: stretch, look around the room, have some water. "
                "Nobody needs to explain why they paused.",
                id="pause-text",
            )
            with Horizontal(classes="button-row"):
                yield Button("Carry on (enter)", id="carry-on", variant="primary")
                yield Button("Stop the round (x)", id="stop")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        (self.action_carry_on if event.button.id == "carry-on" else self.action_stop)()

    def action_carry_on(self) -> None:
        """Close the pause."""
        self.dismiss("resume")

    def action_stop(self) -> None:
        """Close the pause and stop the round."""
        self.dismiss("stop")


class ConfirmDialog(RoleplayModal[bool]):
    """A yes/no question."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        """Ask ``question``."""
        super().__init__()
        self.question = question

    def compose_body(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog"):
            yield Static(plain(self.question))
            with Horizontal(classes="button-row"):
                yield Button("Yes (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        """Default to the safe answer."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer by key."""
        self.dismiss(yes)


QUIT_QUESTION = ("Quit in the middle of the round? Everything so far is saved, what is being typed too; "
                 "resume it from the home screen next time.")


class QuitDialog(ConfirmDialog):
    """The ctrl+q question mid-round (ctrl+q again answers yes)."""


class NoteDialog(RoleplayModal[str | None]):
    """A short observer note; enter saves, escape cancels, an empty note clears it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, who: str, note: str | None, about: str = "this turn") -> None:
        """Edit ``who``'s note on ``about`` (``this turn``, ``the whole round``), starting from ``note``."""
        super().__init__()
        self.who = who
        self.note = note or ""
        self.about = about

    def compose_body(self) -> ComposeResult:
        """The note input."""
        with Vertical(classes="dialog"):
            yield Label(plain(f"Note from {self.who} on {self.about} (enter to save, esc to cancel)"))
            yield TextInput(self.note, id="note-input", max_length=500)

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        """Save the note."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Leave the note as it was."""
        self.dismiss(None)


class MoveDialog(RoleplayModal[ListenerMove | None]):
    """Mark what the listener did on this turn (decides which branch the speaker follows)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: ListenerMove | None) -> None:
        """Highlight the current mark, if any."""
        super().__init__()
        self.current = current

    def compose_body(self) -> ComposeResult:
        """The list of moves."""
        with Vertical(classes="dialog"):
            yield Label("What did the listener mainly do? (enter to mark, esc to cancel)")
            yield OptionList(*(Option(label, id=move.value) for move, label in MOVE_LABELS.items()),
                             id="moves")

    def on_mount(self) -> None:
        """Start on the current mark."""
        moves = self.query_one("#moves", OptionList)
        if self.current is not None:
            moves.highlighted = list(MOVE_LABELS).index(self.current)
        moves.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen move."""
        event.stop()
        self.dismiss(ListenerMove(event.option.id or ""))

    def action_cancel(self) -> None:
        """No change."""
        self.dismiss(None)
