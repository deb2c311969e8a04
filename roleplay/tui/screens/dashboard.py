"""The tutor's dashboard: the lobby, every group live, and the tutor's controls.

One row per group: where it is (round, turn, time left), who plays what, the ratings given so far this
round and flags worth walking over for (advice again and again, a stalled group, a long pause, a seat
that is gone). The tutor forms groups (automatically or by hand), starts them, pauses or ends one group
or all, sends a short note, consents to a group carrying on without someone, and exports the class
report. Names and notes are shown as plain text, never markup.
"""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from roleplay.tui.base import Follows, RoleplayScreen
from roleplay.tui.screens.dialogs import ConfirmDialog, NoteDialog
from roleplay.tui.text import lines, plain, styled
from roleplay.tui.widgets.groups_table import GroupsTable
from roleplay.tui.widgets.text_input import TextInput


class PromptDialog(NoteDialog):
    """A one-line text prompt (the note dialog with the tutor's own question)."""

    def __init__(self, prompt: str) -> None:
        """Ask ``prompt``."""
        super().__init__("", None)
        self.prompt = prompt

    def compose_body(self) -> ComposeResult:
        """The prompt and the input."""
        with Vertical(classes="dialog"):
            yield Label(plain(f"{self.prompt} (enter to send, esc to cancel)"))
            yield TextInput(id="note-input", max_length=500)


COLUMNS = ("Group", "People", "Status", "Round", "Turn", "Time left", "Roles", "Ratings", "Flags")

#: The columns on a narrow terminal: who plays what takes the people's place once roles are dealt (the
#: same names), so the ratings fit in 80 columns; flags go under a row when they do not fit beside it.
NARROW_COLUMNS = ("Group", "People", "Status", "Round", "Turn", "Left", "Ratings", "Flags")

#: Below this width the dashboard uses :data:`NARROW_COLUMNS`.
NARROW_BELOW = 110


class DashboardScreen(Follows, RoleplayScreen):
    """Every group of the class, live."""

    CSS_PATH = "seat.tcss"

    BINDINGS = [
        Binding("g", "form", "Form groups"),
        Binding("h", "by_hand", "Groups by hand"),
        Binding("c", "content", "What it plays"),
        Binding("C", "content_all", "What all play"),
        Binding("s", "start", "Start groups"),
        Binding("p", "pause", "Pause/carry on"),
        Binding("P", "pause_all", "Pause all"),
        Binding("e", "end", "End group"),
        Binding("E", "end_all", "End all"),
        Binding("n", "note", "Note"),
        Binding("N", "note_all", "Note to all"),
        Binding("r", "redeal", "Carry on without"),
        Binding("x", "export", "Class report"),
    ]

    def compose_body(self) -> ComposeResult:
        """Lobby line, the groups table, a hint line."""
        yield Static(id="dash-lobby")
        yield GroupsTable(COLUMNS, id="dash-groups")
        yield Static(styled("g form groups · c/C what one/all play · s start · p pause · e end · n note · r carry on "
                            "without someone · x report", "dim"), id="dash-help")

    def __init__(self) -> None:
        """Nothing drawn yet."""
        super().__init__()
        self.lobby_lines: list[str] = []
        """What the lobby lines show now (redrawn only when they change: each redraw lays out the screen)."""

    def on_mount(self) -> None:
        """Draw, with the table focused."""
        self.query_one(GroupsTable).focus()
        self.drawn_now()

    @property
    def dash(self) -> Any:
        """The dashboard app."""
        return self.app

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Redraw from the class and the groups' sessions."""
        from roleplay.classroom.codes import show_code

        app = self.dash
        if app.room is None or not self.query("#dash-lobby"):  # no class yet, or the screen is closing
            return
        state = app.room.state
        waiting = state.lobby()
        away = app.room.away()
        lobby = [f"Class {show_code(state.code)}" + (" (ended)" if state.ended else "")
                 + f" · {len(state.members)} joined · {len(state.groups)} groups",
                 "Lobby: " + (", ".join(waiting) if waiting else "nobody waiting")]
        if lobby != self.lobby_lines:
            self.lobby_lines = lobby
            self.query_one("#dash-lobby", Static).update(lines([plain(text) for text in lobby]))
        table = self.query_one(GroupsTable)
        if self.app.size.width < NARROW_BELOW:
            table.set_columns(NARROW_COLUMNS)
            table.show({row.group_id: (row.group_id, row.roles or ", ".join(row.names), row.status, row.round_text,
                                       row.turn_text, row.time_left, row.ratings, "; ".join(row.flags))
                        for row in app.rows(away)})
            return
        table.set_columns(COLUMNS)
        table.show({
            row.group_id: (row.group_id, ", ".join(row.names), row.status, row.round_text, row.turn_text,
                           row.time_left, row.roles, row.ratings, "; ".join(row.flags))
            for row in app.rows(away)})

    def on_resize(self) -> None:
        """The columns depend on the width."""
        self.follow()

    def tick(self) -> None:
        """Time left changes every second."""
        if not getattr(self, "drawn", False):
            return
        self.follow()

    def selected(self) -> str | None:
        """The group under the cursor."""
        chosen = self.query_one(GroupsTable).selected
        if chosen is None:
            self.notify("There are no groups yet: press g to form them.")
        return chosen

    # ------------------------------------------------------------------ actions
    def action_form(self) -> None:
        """Automatic groups from the lobby."""
        self.dash.act(self.dash.room.form_groups)
        self.dash.follow()

    def action_by_hand(self) -> None:
        """Groups typed by the tutor: ``Ana, Ben, Cy / Dee, Eve``."""
        from roleplay.classroom.grouping import parse_groups

        def formed(text: object) -> None:
            if not isinstance(text, str) or not text.strip():
                return
            try:
                groups = parse_groups(text, self.dash.room.state.lobby())
            except ValueError as error:
                self.notify(str(error), title="Groups", severity="warning", markup=False)
                return
            self.dash.act(self.dash.room.form_groups, groups)
            self.dash.follow()

        self.app.push_screen(PromptDialog("Groups by hand, e.g. Ana, Ben, Cy / Dee, Eve, Fay"), formed)

    def action_content(self) -> None:
        """Pick what the selected group plays: scenario, rubric, mode, minutes (before it starts)."""
        group_id = self.selected()
        if group_id is None:
            return
        if self.dash.room.state.groups[group_id].session_id:
            self.notify(f"Group {group_id} has started; what it plays is settled. Press C to choose for the "
                        "groups still to start.", markup=False)
            return
        self._pick(group_id)

    def action_content_all(self) -> None:
        """Pick what every group not started yet (and every group formed later) plays."""
        self._pick(None)

    def _pick(self, group_id: str | None) -> None:
        from roleplay.tui.screens.content_picker import ContentDialog

        if self.dash.library is None:
            self.notify("The content library is still loading; try again in a moment.")
            return

        def chosen(content: object) -> None:
            if content is not None:
                self.dash.choose_content(group_id, content)

        target = f"group {group_id}" if group_id else "every group still to start"
        self.app.push_screen(ContentDialog(self.dash.library, self.dash.content_of(group_id), target), chosen)

    def action_start(self) -> None:
        """Start every formed group that has not started."""
        self.dash.start_groups()

    def action_pause(self) -> None:
        """Pause the selected group, or let it carry on."""
        group_id = self.selected()
        if group_id is not None:
            self.dash.toggle_pause([group_id])

    def action_pause_all(self) -> None:
        """Pause every group in play."""
        self.dash.toggle_pause(list(self.dash.shared), pause_only=True)

    def action_end(self) -> None:
        """End the selected group's session (after a check)."""
        group_id = self.selected()
        if group_id is not None:
            self._confirm(f"End group {group_id}'s session now? Everything so far is kept.",
                          lambda: self.dash.end_groups([group_id]))

    def action_end_all(self) -> None:
        """End every group's session and the class (after a check)."""
        self._confirm("End every group and the class now? Everything so far is kept.",
                      lambda: self.dash.end_groups(list(self.dash.shared), end_class=True))

    def _confirm(self, question: str, then: Any) -> None:
        def answer(yes: object) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(question), answer)

    def action_note(self) -> None:
        """A short note to the selected group."""
        group_id = self.selected()
        if group_id is not None:
            self._note(group_id)

    def action_note_all(self) -> None:
        """A short note to everyone."""
        self._note(None)

    def _note(self, group_id: str | None) -> None:
        def send(text: object) -> None:
            if isinstance(text, str) and text.strip():
                self.dash.act(self.dash.room.send_note, group_id, text)
                self.notify("Note sent.")

        self.app.push_screen(PromptDialog(f"A short note to {'group ' + group_id if group_id else 'everyone'}"), send)

    def action_redeal(self) -> None:
        """With the tutor's consent, the selected group carries on without whoever left."""
        group_id = self.selected()
        if group_id is not None:
            self._confirm(f"Group {group_id} carries on without the people whose seats are gone, roles dealt "
                          "again?", lambda: self.dash.redeal(group_id))

    def action_export(self) -> None:
        """Write the class report (Markdown) to the data folder; in a browser, download it too."""
        self.export_report()

    def export_report(self) -> None:
        """Build and save the class report from the live store."""
        text = self.dash.class_report_markdown()
        if text is None:
            return
        from roleplay.storage import resolve_data_dir

        folder = resolve_data_dir(self.dash.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M")
        path = folder / f"class-{self.dash.room.state.code}-{stamp}.md"
        path.write_text(text, encoding="utf-8")
        if self.app.is_web:
            self.app.deliver_text(StringIO(text), save_filename=path.name)
        self.notify(f"Class report saved to {path}", title="Class report", markup=False)
