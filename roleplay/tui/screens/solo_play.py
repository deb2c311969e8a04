"""Solo play: the speaker's line with its cue, your typed response, the feedback card and self-rating.

The screen drives :class:`SoloRehearsal`; every action is saved as it happens, and the screen redraws
from the rehearsal's state, so after a resume it shows exactly where things stopped (the card is
recomputed from the stored response).

Keys: enter saves the response; then the number keys rate yourself on the highlighted criterion
(up/down between criteria; the highlight stays where it is after a rating, so a correction lands on the
same criterion), ``enter`` on the ratings goes to the next line. ctrl+t tries the line again (both
attempts are kept), ctrl+n next line, ctrl+p pause, ctrl+x stop, PgUp/PgDn scroll the feedback card.
The screen's commands use ctrl (or PgUp/PgDn) with priority so they work from the response box too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Scenario
from roleplay.session.solo import SoloRehearsal
from roleplay.storage.drafts import slot
from roleplay.tui import keymap
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.drafts import DraftKeeper
from roleplay.tui.screens.dialogs import NoteDialog
from roleplay.tui.screens.pause_stop import Pausable, PauseStopMixin
from roleplay.tui.text import lines, plain, styled
from roleplay.tui.widgets.feedback_card import FeedbackCard
from roleplay.tui.widgets.round_timer import RoundTimer
from roleplay.tui.widgets.scoring_panel import ScoringPanel
from roleplay.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from roleplay.tui.app import RoleplayApp


class SelfRatingPanel(ScoringPanel):
    """The self-rating panel: a number rates the highlighted criterion and the highlight stays on it.

    The group observer's panel moves on after each rating (3, 4, 2... in one go); rating yourself is
    slower and people press ↓ themselves, which after an automatic move skipped a criterion. Here only
    the arrow keys move.
    """

    def _rate(self, index: int, value: int) -> None:
        self.post_message(self.Rated(self.criteria[index].id, value))


#: The self-rating panel's title, which says how its keys behave.
RATE_TITLE = "Rate yourself (▶ stays after a number)"


def start_solo(app: RoleplayApp, name: str, scenario: Scenario, rubric: Rubric) -> None:
    """Create, save and start a rehearsal (after the content notes), then show the play screen."""
    from roleplay.tui.core import pick_agreement
    from roleplay.tui.screens.message import MessageScreen

    if app.store is None:
        app.push_screen(MessageScreen(
            "Your practice records cannot be saved",
            app.store_error or "The practice database is still opening; try again in a moment."))
        return
    agreement = pick_agreement(app.library).id if app.library is not None else "default"
    solo = app.act(SoloRehearsal.create, name, scenario, rubric, app.store, minutes=scenario.minutes,
                   agreement_id=agreement, clock=app.clock)
    if solo is None or app.act(solo.start) is None:
        return
    app.session, app.solo = solo.session, solo
    app.route()


class SoloPlayScreen(PauseStopMixin, RoleplayScreen):
    """One solo rehearsal in play."""

    CSS_PATH = "solo.tcss"

    STOP_QUESTION = "Stop the rehearsal now? Everything so far is kept and you see the summary."

    KEYMAP = "solo_play"
    BINDINGS = keymap.bindings(KEYMAP)

    def __init__(self, solo: SoloRehearsal) -> None:
        """Play ``solo`` (already started)."""
        super().__init__()
        self.solo = solo
        self.branch_note: str | None = None
        self.keeper = DraftKeeper(self)

    def compose_body(self) -> ComposeResult:
        """Status line; left: the line, your response; right: the card and your own ratings."""
        rubric = self.solo.rubric
        with Horizontal(id="solo-status"):
            yield Static(id="solo-where")
            yield RoundTimer(id="solo-timer")
        with Horizontal(id="solo-play"):
            with Vertical(id="solo-left"):
                yield Static(id="solo-line")
                yield Label("Your response (enter saves)", id="solo-response-label")
                yield TextInput(id="solo-response", max_length=4000, placeholder="Type what you would say…")
                yield SelfRatingPanel([c for c in rubric.criteria if c.scope == Scope.per_turn], rubric.scale,
                                      title=RATE_TITLE, confirm_label="next line", id="solo-panel")
            with Vertical(id="solo-right"):
                yield FeedbackCard(id="solo-card")

    def on_mount(self) -> None:
        """Draw from the rehearsal and start the timer display."""
        self.redraw(new_turn=True)
        self.set_interval(1.0, self.tick)
        self.focus_for_turn()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Try again and next are offered once the line has a response."""
        if action in ("try_again", "next_line"):
            return True if self.solo.answered else None
        return True

    # ------------------------------------------------------------------ drawing
    def focus_for_turn(self) -> None:
        """The response box until the line is answered, then the self-rating panel."""
        if self.solo.answered:
            self.query_one("#solo-panel", ScoringPanel).focus()
        else:
            self.query_one("#solo-response", TextInput).focus()

    def redraw(self, *, new_turn: bool = False) -> None:
        """Refresh everything from the saved rehearsal."""
        solo = self.solo
        turn = solo.current_turn
        line = solo.line
        k, n = solo.session.turn_progress()
        attempt = (len(turn.attempts) + 1) if turn is not None else 0
        where = f"{solo.name} rehearsing “{solo.scenario.title}” · Line {k} of {n}"
        if attempt > 1:
            where += f" · attempt {attempt}"
        self.query_one("#solo-where", Static).update(plain(where))
        persona = solo.scenario.persona.name
        parts = []
        if self.branch_note:
            parts.append(styled(self.branch_note, "bold $warning"))
        if line is not None:
            parts += [styled(f"{persona}:", "bold $accent"), plain(line.line)]
            if line.cue:
                parts.append(styled(f"({line.cue})", "italic dim"))
        else:
            parts.append(plain("The script is over."))
        self.query_one("#solo-line", Static).update(lines(parts))
        response = self.query_one("#solo-response", TextInput)
        answered = solo.answered
        response.disabled = turn is None or answered
        if new_turn or answered:
            response.value = (turn.response or "") if turn is not None else ""
        if new_turn and turn is not None and not answered:
            draft = self.keeper.restore(solo.session.id, self.draft_slot)
            if draft is not None:
                response.value = draft
        self.query_one("#solo-response-label", Label).update(
            "Your response (saved; ctrl+t try again, ctrl+n next)" if answered else "Your response (enter saves)")
        self.draw_card()
        self.draw_panel(new_turn=new_turn)
        self.refresh_bindings()
        self.tick()

    def draw_card(self, *, home: bool = True) -> None:
        """The feedback for the latest attempt, earlier attempts below it (``home``: scroll to its top)."""
        solo = self.solo
        turn = solo.current_turn
        card = self.query_one("#solo-card", FeedbackCard)
        if turn is None:
            card.show(None, solo.rubric)
            return
        attempts = solo.attempts(turn.index) if (turn.attempts or turn.response) else []
        if solo.answered:
            card.show(attempts[-1], solo.rubric, solo.differences(turn.index), attempts[:-1][::-1])
        else:
            hint = (f"Attempt {len(turn.attempts) + 1}: type a new response; your earlier ones are kept below."
                    if attempts else None)
            card.show(None, solo.rubric, earlier=attempts[::-1], waiting=hint)
        if home:
            card.scroll_home(animate=False)

    def draw_panel(self, *, new_turn: bool = False) -> None:
        """Your own saved ratings for this line."""
        panel = self.query_one("#solo-panel", ScoringPanel)
        turn = self.solo.current_turn
        if new_turn:
            panel.cursor = 0
        saved = turn.ratings if turn is not None else {}
        values = {cid: e.value for (who, cid), e in saved.items() if who == self.solo.name}
        note = turn.notes.get(self.solo.name) if turn is not None else None
        title = RATE_TITLE if self.solo.answered else "Rate yourself after responding"
        panel.show_values(values, note, title)

    def tick(self) -> None:
        """Update the timer (it only informs; nothing ends by itself)."""
        self.query_one("#solo-timer", RoundTimer).show(self.solo.session.timer())

    # ------------------------------------------------------------------ drafts
    @property
    def draft_slot(self) -> str:
        """Where the reply box's draft for this line (and attempt) is kept."""
        turn = self.solo.current_turn
        index, attempt = (turn.index, len(turn.attempts)) if turn is not None else (-1, 0)
        return slot(1, index, f"reply{attempt}")

    @property
    def mid_round(self) -> bool:
        """Whether the rehearsal is in play (ctrl+q asks first)."""
        return self.solo.current_turn is not None

    @on(TextInput.Changed, "#solo-response")
    def reply_typed(self, event: TextInput.Changed) -> None:
        """Keep what is typed as a draft until it is entered (written after a pause, in a worker)."""
        if self.solo.current_turn is not None and not self.solo.answered:
            self.keeper.typed(self.solo.session.id, self.draft_slot, event.value)

    def save_draft(self) -> None:
        """The app is ending: write the waiting draft now."""
        self.keeper.flush()

    # ------------------------------------------------------------------ actions
    @on(TextInput.Submitted, "#solo-response")
    def respond(self, event: TextInput.Submitted) -> None:
        """Save the response; the card shows the observer's feedback."""
        event.stop()
        if self.solo.answered or self.solo.current_turn is None:
            return
        where = self.draft_slot
        if self.rp.act(self.solo.respond, event.value) is None:
            return
        self.keeper.entered(self.solo.session.id, where)
        self.redraw()
        self.focus_for_turn()

    @on(ScoringPanel.Rated)
    def rated(self, event: ScoringPanel.Rated) -> None:
        """Save your own rating of the line."""
        if not self.solo.answered:
            self.notify("Respond first, then rate yourself.")
            return
        self.rp.act(self.solo.self_rate, event.criterion_id, event.value)
        self.draw_card(home=False)  # someone reading further down the card keeps their place
        self.draw_panel()

    @on(ScoringPanel.NoteWanted)
    def note_wanted(self) -> None:
        """A note to yourself on this line."""
        turn = self.solo.current_turn
        if turn is None:
            return
        name = self.solo.name

        def save(text: object) -> None:
            if isinstance(text, str):
                self.rp.act(self.solo.session.record_note, name, text)
                self.draw_panel()

        self.app.push_screen(NoteDialog(name, turn.notes.get(name)), save)

    @on(ScoringPanel.Confirmed)
    def action_next_line(self) -> None:
        """Go on: the speaker's next line follows from what the observer detected."""
        solo = self.solo
        if not solo.answered:
            self.notify("Type a response first (enter saves it).")
            return
        card = solo.feedback
        if self.rp.act(solo.next) is None and solo.line is not None:
            return
        persona = solo.scenario.persona.name
        self.branch_note = (f"Branch taken: {persona} reacts to what the observer heard "
                            f"({card.move_reason})." if card is not None and card.branched else None)
        if solo.line is None:
            self.end_round()
            return
        self.redraw(new_turn=True)
        self.focus_for_turn()

    def action_try_again(self) -> None:
        """Answer the same line again; the earlier attempt is kept and shown."""
        if not self.solo.answered:
            return
        self.rp.act(self.solo.try_again)
        self.redraw(new_turn=True)
        self.query_one("#solo-response", TextInput).value = ""
        self.focus_for_turn()

    def action_card_page(self, direction: int) -> None:
        """PgDn/PgUp: scroll the feedback card a page, wherever focus is."""
        card = self.query_one("#solo-card", FeedbackCard)
        if direction > 0:
            card.scroll_page_down(animate=False)
        else:
            card.scroll_page_up(animate=False)

    def action_focus_panel(self) -> None:
        """Leave the response box for the ratings."""
        self.query_one("#solo-panel", ScoringPanel).focus()

    def pausable(self) -> Pausable:
        """What pause and stop act on."""
        target = self.solo
        assert target is not None
        return target

    def end_round(self) -> None:
        """End the round (the observer's round ratings are saved) and show the summary."""
        if self.rp.act(self.solo.end_round) is None and self.solo.round.playing:
            return
        self.rp.route()
