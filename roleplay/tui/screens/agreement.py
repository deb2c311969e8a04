"""The comfort agreement (acknowledged by the group), then the scenario's content notes before play.

For a new session both come before anything is saved: "pick another scenario" simply goes back to the
set-up. The session is created when the group starts after reading the notes. A resumed session that
stopped before the agreement was acknowledged shows the agreement only.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.visual import VisualType
from textual.widgets import Button, Static

from roleplay.content.agreement import Agreement
from roleplay.session.plan import join_titles
from roleplay.session.state import SessionConfig
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.core import pick_agreement
from roleplay.tui.text import bullets, heading, lines, plain, styled


def agreement_content(agreement: Agreement) -> VisualType:
    """The agreement as text: intro, each item with its heading, closing line."""
    parts: list[object] = [heading(agreement.title), plain(agreement.intro), ""]
    for item in agreement.items:
        parts += [heading(item.heading), plain(item.text), ""]
    if agreement.closing:
        parts.append(styled(agreement.closing, "italic"))
    return lines(parts)  # type: ignore[arg-type]


class AgreementScreen(RoleplayScreen):
    """Shows the comfort agreement; the group accepts it together."""

    CSS_PATH = "flow.tcss"

    BINDINGS = [
        Binding("a", "accept", "We agree"),
        Binding("escape", "back", "Back"),
        # The agreement is longer than a small terminal: say how to read the rest.
        Binding("pagedown", "read_on", "Read on", priority=True),
    ]

    def __init__(self, config: SessionConfig | None = None) -> None:
        """``config`` for a new session; None to acknowledge the agreement of the resumed session."""
        super().__init__()
        self.config = config

    def compose_body(self) -> ComposeResult:
        """The agreement text and the two buttons."""
        library = self.rp.library
        agreement_id = self.config.agreement_id if self.config else self.rp.session.config.agreement_id  # type: ignore[union-attr]
        agreement = pick_agreement(library, agreement_id) if library else pick_agreement_fallback()
        with VerticalScroll(id="agreement"):
            yield Static(agreement_content(agreement), id="agreement-text")
        with Horizontal(classes="button-row"):
            yield Button("We agree (a)", id="accept", variant="primary")
            yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        """Focus the text so it can be scrolled with the keyboard."""
        self.query_one("#agreement").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the key bindings."""
        event.stop()
        (self.action_accept if event.button.id == "accept" else self.action_back)()

    def action_read_on(self) -> None:
        """Scroll the agreement down a page."""
        self.query_one("#agreement", VerticalScroll).scroll_page_down()

    def action_accept(self) -> None:
        """Go on to the content notes (new session) or record the acknowledgement (resumed session)."""
        if self.config is not None:
            self.app.push_screen(ContentNotesScreen(self.config))
            return
        session = self.rp.session
        if session is not None:
            self.rp.act(session.acknowledge_agreement)
            self.rp.route()

    def action_back(self) -> None:
        """Back to the set-up (new session) or home (resumed)."""
        if self.config is not None:
            self.dismiss()
        else:
            self.rp.back_home()


def pick_agreement_fallback() -> Agreement:
    """The built-in agreement when the library has not loaded."""
    from roleplay.tui.core import fallback_agreement

    return fallback_agreement()


class ContentNotesScreen(RoleplayScreen):
    """What the scenario touches on, with a way to choose another before anything starts."""

    CSS_PATH = "flow.tcss"

    BINDINGS = [Binding("s", "start", "Start"), Binding("escape,p", "another", "Pick another scenario")]

    def __init__(self, config: SessionConfig) -> None:
        """Show the notes of ``config``'s scenario."""
        super().__init__()
        self.config = config

    def compose_body(self) -> ComposeResult:
        """The notes and the two choices."""
        scenario = self.config.scenario
        # Every scenario the rounds play, once each (parts of one scenario share its notes).
        played = list({p.scenario.id: p.scenario for p in self.config.plays}.values()) or [scenario]
        if len(played) == 1:
            about: list[object] = [heading(f"Before you start: {played[0].title}"),
                                   plain("This scenario touches on:"), bullets(played[0].content_notes)]
        else:
            about = [heading(f"Before you start: {len(played)} scenarios, one per round")]
            for each in played:
                numbers = [str(i + 1) for i, p in enumerate(self.config.plays) if p.scenario.id == each.id]
                which = ("round " if len(numbers) == 1 else "rounds ") + join_titles(numbers)
                about += ["", plain(f"{each.title} ({which}) touches on:"), bullets(each.content_notes)]
        text = lines([
            *about,  # type: ignore[list-item]
            "",
            plain("If any of this is too close to home for anyone, pick another scenario: no reason needed. "
                  "Anyone can pause (ctrl+p) or stop (ctrl+x) a round at any time."),
        ])
        with VerticalScroll(id="notes"):
            yield Static(text, id="notes-text")
        with Horizontal(classes="button-row"):
            yield Button("Start the session (s)", id="start", variant="primary")
            yield Button("Pick another scenario (esc)", id="another")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the key bindings."""
        event.stop()
        (self.action_start if event.button.id == "start" else self.action_another)()

    def action_start(self) -> None:
        """Create and save the session with the agreement acknowledged, then show the roles."""
        if not self.rp.start_session(self.config):
            return
        session = self.rp.session
        assert session is not None
        if self.rp.act(session.acknowledge_agreement) is None and not session.agreement_acknowledged:
            return
        self.rp.route()

    def action_another(self) -> None:
        """Back to the set-up, with everything entered kept."""
        self.app.pop_screen()
        self.app.pop_screen()
