"""The tutor's content picker on the dashboard: what one group, or every group, plays.

Scenario and rubric from the library, the listener's mode (spoken or typed) and the minutes per round.
The dialog only collects the choice and checks the minutes; the dashboard app writes it to the class
(for one group, or for every group not started yet and the groups formed later).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.classroom.state import Content
from roleplay.tui.base import RoleplayModal
from roleplay.tui.text import plain, styled
from roleplay.tui.widgets.text_input import TextInput

#: The minutes a round may be set to (as ``roleplay serve --minutes``).
MINUTES = range(1, 121)


def _options(items: dict[str, Any]) -> list[Option]:
    """The library's scenarios or rubrics as options: title (id), sorted by title."""
    return [Option(plain(f"{item.model.title} ({item_id})"), id=item_id)
            for item_id, item in sorted(items.items(), key=lambda kv: (kv[1].model.title.casefold(), kv[0]))]


class ContentDialog(RoleplayModal[Content | None]):
    """Choose scenario, rubric, mode and minutes; ctrl+s (or the button) applies, escape cancels."""

    CSS_PATH = "content_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Apply"),
                Binding("ctrl+t", "toggle_typed", "Typed/spoken")]

    def __init__(self, library: Any, current: Content | None, target: str) -> None:
        """Offer ``library``'s content, starting from ``current``; ``target`` says for whom (shown)."""
        super().__init__()
        self.library = library
        self.current = current
        self.target = target

    def compose_body(self) -> ComposeResult:
        """Two lists, the mode box, the minutes and the buttons."""
        with VerticalScroll(classes="dialog", id="content-dialog"):
            yield Label(plain(f"What {self.target} plays (ctrl+s to apply, esc to cancel)"), id="content-title")
            yield Label("Scenario")
            yield OptionList(*_options(self.library.scenarios), id="content-scenarios")
            yield Label("Rubric")
            yield OptionList(*_options(self.library.rubrics), id="content-rubrics")
            yield Checkbox("Typed: the listener types replies (ctrl+t)",
                           value=bool(self.current and self.current.mode == "typed"), id="content-typed")
            with Horizontal(id="content-minutes-row"):
                yield Label("Minutes per round ")
                yield TextInput(str(self.current.minutes if self.current else 10), id="content-minutes",
                                type="integer", max_length=3)
            yield Static("", id="content-error")
            with Horizontal(classes="button-row"):
                yield Button("Apply", id="content-apply", variant="primary")
                yield Button("Cancel", id="content-cancel")

    def on_mount(self) -> None:
        """Highlight what is chosen now; start in the scenario list."""
        for list_id, chosen in (("#content-scenarios", self.current and self.current.scenario_id),
                                ("#content-rubrics", self.current and self.current.rubric_id)):
            options = self.query_one(list_id, OptionList)
            index = next((i for i in range(options.option_count) if options.get_option_at_index(i).id == chosen), 0)
            options.highlighted = index if options.option_count else None
        self.query_one("#content-scenarios", OptionList).focus()

    def choice(self) -> Content | None:
        """The choice as it stands, or None (with the reason shown) when the minutes are not right."""
        error = self.query_one("#content-error", Static)
        typed = self.query_one("#content-minutes", TextInput).value.strip()
        if not typed.isdigit() or int(typed) not in MINUTES:
            error.update(styled(f"Minutes per round: a whole number from {MINUTES[0]} to {MINUTES[-1]}.",
                                "bold $error"))
            return None
        picked = []
        for list_id in ("#content-scenarios", "#content-rubrics"):
            options = self.query_one(list_id, OptionList)
            if options.highlighted is None:
                error.update(styled("The library has no scenario or rubric to choose.", "bold $error"))
                return None
            picked.append(str(options.get_option_at_index(options.highlighted).id))
        mode = "typed" if self.query_one("#content-typed", Checkbox).value else "spoken"
        return Content(picked[0], picked[1], mode, int(typed))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a list moves on to the next part of the form."""
        event.stop()
        self.focus_next()

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        """Enter in the minutes box applies."""
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        if event.button.id == "content-apply":
            self.action_apply()
        else:
            self.dismiss(None)

    def action_apply(self) -> None:
        """Close with the choice, when it is complete."""
        chosen = self.choice()
        if chosen is not None:
            self.dismiss(chosen)

    def action_toggle_typed(self) -> None:
        """Flip spoken/typed from anywhere in the dialog."""
        box = self.query_one("#content-typed", Checkbox)
        box.value = not box.value

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
