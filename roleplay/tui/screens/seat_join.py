"""A seat's first screens: join the class (code, name, and a seat key to move devices), then the lobby.

A device that already holds a seat (a reloaded tab, a phone that slept) goes straight back to it. Every
refusal (a wrong code, a name taken, too many tries) is shown on the screen in plain words.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from roleplay.tui.base import Follows, RoleplayScreen
from roleplay.tui.text import heading, lines, plain, styled
from roleplay.tui.widgets.text_input import TextInput


class JoinScreen(RoleplayScreen):
    """Class code and name; a seat key only when moving to another device."""

    CSS_PATH = "seat.tcss"

    # Enter is handled as the key arrives (a priority binding), not when the box's Submitted message is
    # read later: keys typed or pasted right after it (a fast typist, a busy server) then land in the next box.
    BINDINGS = [Binding("enter", "enter", "Next / join", show=False, priority=True)]

    def compose_body(self) -> ComposeResult:
        """Three boxes, the join button and a line for what went wrong."""
        with VerticalScroll(id="join"):
            yield Static(lines([heading("Join your class"),
                                plain("Type the class code the tutor shows, and your name.")]), id="join-intro")
            yield Label("Class code")
            yield TextInput(id="code", max_length=32, placeholder="e.g. ACD-3FH")
            yield Label("Your name")
            yield TextInput(id="name", max_length=60, placeholder="a first name is enough")
            yield Label("Seat key (only if you are moving from another device)")
            yield TextInput(id="key", max_length=16, placeholder="leave empty the first time")
            with Horizontal(classes="button-row"):
                yield Button("Join (enter)", id="join-button", variant="primary")
            yield Static("", id="join-error")

    def on_mount(self) -> None:
        """Start in the code box."""
        self.query_one("#code", TextInput).focus()

    def store_ready(self) -> None:
        """A device that already holds a seat in the served class gets it back at once."""
        from roleplay.classroom.room import ClassRoom

        app: Any = self.app
        if app.store is None or not app.class_id:
            return
        room = app.act(ClassRoom, app.store, app.class_id, clock=app.clock)
        member = room.seat_for(app.device_id) if room is not None else None
        if member is not None and not member.released:
            seat = app.act(room.join, member.name, app.device_id)
            if seat is not None:
                app.seated(room, seat[0].name, seat[1])
                return
        if getattr(self, "join_waiting", False):
            # Enter came before the class had opened (a slow start): join now, as the person asked.
            self.join_waiting = False
            self.join()

    def action_enter(self) -> None:
        """Enter in the code box moves to the name box; anywhere else it joins."""
        focused = self.focused
        if isinstance(focused, TextInput) and focused.id == "code":
            self.set_focus(self.query_one("#name", TextInput))
        else:
            self.join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The button joins."""
        event.stop()
        self.join()

    def join(self) -> None:
        """Try to take a seat; say plainly why not."""
        from roleplay.classroom.room import ClassError, join_class

        app: Any = self.app
        error = self.query_one("#join-error", Static)
        if app.store is None:
            # Keep the request: the join happens by itself once the class is open (store_ready).
            self.join_waiting = True
            error.update(plain("The class is still opening; you will join in a moment."))
            return
        code = self.query_one("#code", TextInput).value
        name = self.query_one("#name", TextInput).value
        key = self.query_one("#key", TextInput).value
        try:
            room, member, seat_key = join_class(app.store, code, name, app.device_id, key, clock=app.clock,
                                                 peer=app.peer)
        except ClassError as refused:
            error.update(styled(str(refused), "bold $error"))
            return
        if app.class_id and room.class_id != app.class_id:
            error.update(styled("That code belongs to another class.", "bold $error"))
            return
        error.update("")
        app.seated(room, member.name, seat_key)


class LobbyScreen(Follows, RoleplayScreen):
    """Waiting for the tutor to form the groups; the seat key to take this seat on another device."""

    CSS_PATH = "seat.tcss"

    BINDINGS = [Binding("ctrl+q", "app.quit", "Leave")]

    def compose_body(self) -> ComposeResult:
        """Who I am, who else is here, the seat key."""
        with Vertical(id="lobby"):
            yield Static(id="lobby-text")
            yield Static(id="lobby-people")

    def on_mount(self) -> None:
        """Draw."""
        self.drawn_now()

    def redraw(self) -> None:
        """Redraw from the class state."""
        from roleplay.classroom.codes import show_code

        app: Any = self.app
        state = app.room.state
        group = state.group_of(app.me)
        if group is None:
            status = plain("Please wait: the tutor is forming the groups.")
        else:
            others = [n for n in group.names if n != app.me]
            status = plain(f"You are in group {group.id} with {', '.join(others)}. "
                           "Please wait: the tutor is choosing your scenario.")
        self.query_one("#lobby-text", Static).update(lines([
            heading(f"Welcome, {app.me}"), plain(f"Class {show_code(state.code)}"), "", status, "",
            styled(f"Your seat key: {show_code(app.seat_key)} (to carry on from another device; keep it to "
                   "yourself)", "dim"),
        ]))
        waiting = state.lobby()
        self.query_one("#lobby-people", Static).update(
            plain(f"In the lobby: {', '.join(waiting)}") if waiting else plain(""))
