"""A seat's group screens: the comfort agreement and content notes that each person confirms on their
own device, and the roles for the next round with this person's part first.

Both build on the one-device screens (:class:`AgreementScreen`, :class:`RolesScreen`); what differs is
that every member confirms for themself, and the round starts when anyone in the group presses Enter.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from roleplay.tui.base import Follows
from roleplay.tui.core import pick_agreement
from roleplay.tui.screens.agreement import AgreementScreen, agreement_content, pick_agreement_fallback
from roleplay.tui.screens.roles import RolesScreen
from roleplay.tui.text import bullets, heading, lines, plain, styled


class SeatAgreementScreen(Follows, AgreementScreen):
    """The agreement and the scenario's content notes; this person confirms, then waits for the rest."""

    def compose_body(self) -> ComposeResult:
        """The agreement, then the content notes and who has confirmed."""
        yield from super().compose_body()
        yield Static(id="seat-confirmed")

    def on_mount(self) -> None:
        """Add the content notes under the agreement, and who has confirmed."""
        super().on_mount()
        app: Any = self.app
        scenario = app.session.scenario
        agreement = pick_agreement(app.library, app.session.config.agreement_id) if app.library \
            else pick_agreement_fallback()
        self.query_one("#agreement-text", Static).update(lines([
            agreement_content(agreement),  # type: ignore[list-item]
            "", heading(f"Before you start: {scenario.title}"), plain("This scenario touches on:"),
            bullets(scenario.content_notes),
            plain("If any of this is too close to home, tell your tutor: no reason needed. Anyone can pause "
                  "(ctrl+p) or stop (ctrl+x) a round at any time, on their own device."),
        ]))
        self.drawn_now()

    def redraw(self) -> None:
        """Show who has confirmed; once everyone has, the agreement is recorded for the group."""
        app: Any = self.app
        group = app.room.state.group_of(app.me)
        if group is None:
            return
        waiting = [n for n in group.names if n not in group.confirmed]
        mine = app.me in group.confirmed
        text = (f"You have agreed. Waiting for {', '.join(waiting)}." if mine and waiting
                else "Everyone has agreed." if not waiting
                else "Press a when you have read it and agree.")
        self.query_one("#seat-confirmed", Static).update(styled(text, "bold"))
        if not waiting and app.session is not None and not app.session.agreement_acknowledged:
            app.act(app.session.acknowledge_agreement)

    def action_accept(self) -> None:
        """This person agrees."""
        app: Any = self.app
        group = app.room.state.group_of(app.me)
        if group is not None:
            app.act(app.room.confirm_agreement, group.id, app.me)
        self.follow()
        app.follow()

    def action_back(self) -> None:
        """There is nowhere to go back to: the tutor chose the scenario."""
        self.notify("If this scenario is not right for you, tell your tutor: they can change it.", markup=False)


class SeatRolesScreen(Follows, RolesScreen):
    """The next round's roles, with this person's own part first; anyone starts the round. The tutor
    formed the group and its order, so a seat has no Reshuffle or Set order (nor a home to go back to)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only starting the round: regrouping is the tutor's."""
        return False if action in ("shuffle", "order") else super().check_action(action, parameters)

    def show_roles(self) -> None:
        """The one-device view, with "you are ..." on top."""
        super().show_roles()
        app: Any = self.app
        upcoming = app.session.next_round if app.session is not None else None
        if upcoming is None:
            return
        role = upcoming.roles.role_of(app.me)
        what = {"speaker": "the speaker: your card and lines will be on this device only",
                "listener": "the listener: listen, and respond as yourself",
                "observer": "an observer: you rate the listener on this device"}
        mine = what.get(str(role), "sitting this round out") if role else "sitting this round out"
        for button in ("#shuffle", "#order"):
            self.query_one(button).display = False
        hint = self.query_one("#roles-hint", Static)
        hint.update(lines([heading(f"This round you are {mine}."),
                           styled("Anyone in the group can start the round (enter).", "dim")]))

    def on_mount(self) -> None:
        """Draw, then follow other devices."""
        super().on_mount()
        self.drawn_now(redraw=False)  # RolesScreen.on_mount has drawn the roles

    def redraw(self) -> None:
        """Another device may have reshuffled the order."""
        self.show_roles()
