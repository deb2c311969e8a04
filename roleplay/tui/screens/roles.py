"""Role assignment at the start of each round, with the full rotation; reshuffle or set the order by hand.

The order can only change before the first round (the engine refuses later), so the rotation stays fair:
every person plays every role.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.visual import VisualType
from textual.widgets import Button, Static

from roleplay.session.roles import RoundRoles
from roleplay.tui.base import RoleplayModal, RoleplayScreen
from roleplay.tui.text import heading, lines, plain, styled
from roleplay.tui.widgets.text_input import TextInput


def roles_content(roles: RoundRoles, number: int, total: int, scenario: str | None = None) -> VisualType:
    """The big, clear role assignment for one round (and what it plays, when rounds differ)."""
    parts: list[object] = [
        heading(f"Round {number} of {total}"),
        *([Content_line("Scenario", scenario, "what this round plays")] if scenario else []),
        "",
        Content_line("Speaker", roles.speaker, "plays the scenario from the hidden card"),
        Content_line("Listener", roles.listener, "practises listening"),
    ]
    if roles.observers:
        parts.append(Content_line("Observer" + ("s" if len(roles.observers) > 1 else ""),
                                  " and ".join(roles.observers), "rates the listener on the rubric"))
    else:
        parts.append(styled(f"No observer: {roles.speaker} (the speaker) rates how heard they felt.", "italic"))
    return lines(parts)  # type: ignore[arg-type]


def Content_line(role: str, who: str, what: str) -> object:
    """One "Role: Name (what they do)" line; the name is plain text."""
    from textual.content import Content

    return Content.assemble((f"{role}: ".ljust(12), "bold"), (who, "bold $accent"), f"  ({what})")


def rotation_table(rounds: list[RoundRoles], current: int, scenarios: list[str] | None = None) -> VisualType:
    """Every round's roles (and scenarios, when they differ), the current one marked, so the group sees
    the rotation is fair."""
    rows: list[object] = [heading("The whole rotation")]
    for index, roles in enumerate(rounds, start=1):
        observers = ", ".join(roles.observers) or "(speaker rates)"
        text = f"{'▶' if index == current else ' '} Round {index}: speaker {roles.speaker} · " \
               f"listener {roles.listener} · observing {observers}"
        if scenarios:
            text += f" · {scenarios[index - 1]}"
        rows.append(styled(text, "bold") if index == current else plain(text))
    return lines(rows)  # type: ignore[arg-type]


class RolesScreen(RoleplayScreen):
    """Who plays what this round; starts the round."""

    CSS_PATH = "flow.tcss"

    BINDINGS = [
        # The footer and the button say the same key and words. Enter works too (unlisted): the focused
        # button takes it, which hides an enter binding from the footer, so space is the one named.
        Binding("space", "start", "Start the round"),
        Binding("enter", "start", "Start the round", show=False),
        Binding("s", "shuffle", "Reshuffle"),
        Binding("o", "order", "Set order"),
        Binding("escape", "app.back_home", "Home (saved)"),
    ]

    def compose_body(self) -> ComposeResult:
        """The assignment, the rotation and the buttons."""
        with VerticalScroll(id="roles", can_focus=False):  # its buttons take focus; it is no stop
            yield Static(id="roles-now")
            yield Static(id="roles-table")
            yield Static(id="roles-hint")
        with Horizontal(classes="button-row"):
            yield Button("Start the round (space)", id="start", variant="primary")
            yield Button("Reshuffle (s)", id="shuffle")
            yield Button("Set order (o)", id="order")

    def on_mount(self) -> None:
        """Show the roles for the next round."""
        self.show_roles()
        self.query_one("#start", Button).focus()

    def show_roles(self) -> None:
        """Render the next round's roles and whether the order can still change."""
        session = self.rp.session
        assert session is not None
        upcoming = session.next_round
        if upcoming is None:
            return
        rounds = [r.roles for r in session.rounds]
        labels = [p.label for p in session.plays] if session.varied else None
        self.query_one("#roles-now", Static).update(roles_content(
            upcoming.roles, upcoming.number, len(rounds), labels[upcoming.number - 1] if labels else None))
        self.query_one("#roles-table", Static).update(rotation_table(rounds, upcoming.number, labels))
        can_change = upcoming.number == 1
        self.query_one("#shuffle", Button).display = can_change
        self.query_one("#order", Button).display = can_change
        hint = ("Swap places now if you like: the order is fixed once the first round starts."
                if can_change else "Take a breath: a new round, new roles.")
        self.query_one("#roles-hint", Static).update(styled(hint, "dim"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reshuffle and set order only before round 1, so the footer never lists keys that do nothing."""
        if action in ("shuffle", "order"):
            session = self.rp.session
            upcoming = session.next_round if session is not None else None
            return upcoming is not None and upcoming.number == 1
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the key bindings."""
        event.stop()
        {"start": self.action_start, "shuffle": self.action_shuffle,
         "order": self.action_order}[event.button.id or "start"]()

    def action_start(self) -> None:
        """Start the round and go to play."""
        session = self.rp.session
        assert session is not None
        if self.rp.act(session.start_round) is not None:
            self.rp.route()

    def action_shuffle(self) -> None:
        """Reshuffle the order at random (before round 1 only)."""
        session = self.rp.session
        assert session is not None
        if session.next_round is not None and session.next_round.number == 1:
            self.rp.act(session.reshuffle)
            self.show_roles()

    def action_order(self) -> None:
        """Ask for the order by hand (before round 1 only)."""
        session = self.rp.session
        assert session is not None
        if session.next_round is None or session.next_round.number != 1:
            return

        def apply(order: list[str] | None) -> None:
            if order:
                self.rp.act(session.set_order, order)
                self.show_roles()

        self.app.push_screen(OrderDialog(list(session.order)), apply)


class OrderDialog(RoleplayModal[list[str] | None]):
    """Type the names in the order wanted, separated by commas."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, names: list[str]) -> None:
        """Start from the current order."""
        super().__init__()
        self.names = names

    def compose_body(self) -> ComposeResult:
        """A single input with the current order."""
        with Vertical(classes="dialog"):
            yield Static("Type the names in the order you want, separated by commas, then press enter.",
                         id="order-help")
            yield TextInput(", ".join(self.names), id="order-input")
            yield Static("", id="order-error")

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        """Accept the order when it lists the same people."""
        event.stop()
        order = [n.strip() for n in event.value.split(",") if n.strip()]
        if sorted(n.casefold() for n in order) != sorted(n.casefold() for n in self.names):
            self.query_one("#order-error", Static).update(
                plain("Please list the same people, each once: " + ", ".join(self.names)))
            return
        by_fold = {n.casefold(): n for n in self.names}
        self.dismiss([by_fold[n.casefold()] for n in order])

    def action_cancel(self) -> None:
        """Keep the order as it was."""
        self.dismiss(None)
