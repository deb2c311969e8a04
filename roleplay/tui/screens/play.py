"""Play: the hidden speaker card, the transcript, turn k of n, the timer and the observer's rubric panel.

Every action goes straight to the session (saved as it happens); the screen then redraws from the
session's state, so what is shown is always what is saved. The timer only warns: it never ends a turn.

Keys: the screen's own commands all use ctrl (pause, stop, card, listener move, note, other observer,
ratings/counts), with priority, so they work from the response box too and never clash with the
panels' keys (level digits on the ratings panel, one letter per behaviour on the counts panel).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from roleplay.content.rubric import Scope
from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.state import ListenerMode
from roleplay.tui import keymap
from roleplay.tui.drafts import DraftKeeper
from roleplay.tui.screens.dialogs import MoveDialog, NoteDialog
from roleplay.tui.screens.pause_stop import Pausable, PauseStopMixin
from roleplay.tui.screens.play_state import rater_position
from roleplay.tui.screens.play_view import PlayView
from roleplay.tui.widgets.auto_view import AutoViewPanel
from roleplay.tui.widgets.round_timer import RoundTimer
from roleplay.tui.widgets.scoring_panel import ScoringPanel
from roleplay.tui.widgets.speaker_card import SpeakerCard
from roleplay.tui.widgets.tally_panel import TallyPanel
from roleplay.tui.widgets.text_input import TextInput
from roleplay.tui.widgets.transcript import Transcript

#: The keys that reveal (and hide again) the speaker's card; every other key hides it.
REVEAL_KEYS = tuple(next(k.keys for k in keymap.keys_of("group_play") if k.action == "reveal").split(","))


class PlayScreen(PlayView, PauseStopMixin):
    """One round in play (the view first, so its ``tick`` is the one the pause mixin calls)."""

    CSS_PATH = "play.tcss"

    STOP_QUESTION = "Stop this round now? Everything so far is kept and you go to the debrief."

    KEYMAP = "group_play"
    BINDINGS = keymap.bindings(KEYMAP)

    def compose_body(self) -> ComposeResult:
        """Status line and two columns: card and transcript; response and rubric panel."""
        session = self.rp.session
        assert session is not None
        rubric = session.rubric
        with Horizontal(id="play-status"):
            yield Static(id="play-where")
            yield RoundTimer(id="timer")
        with Horizontal(id="play"):
            with Vertical(id="play-left"):
                yield SpeakerCard(id="card")
                yield Transcript(id="transcript")
            with Vertical(id="play-right"):
                typed = session.config.mode == ListenerMode.typed
                yield Label("Listener's response (enter saves)" if typed
                            else "Observer's jot (optional)",
                            id="response-label")
                yield TextInput(id="response", max_length=20000, placeholder="Type the response…" if typed
                                else "Listener's words; enter saves…")
                yield Static(id="move")
                yield ScoringPanel([c for c in rubric.criteria if c.scope == Scope.per_turn],
                                   rubric.scale, id="panel")
                if rubric.tallies:
                    yield TallyPanel(rubric.tallies, id="tallies")
                if typed:  # the automatic observer's second opinion, shown only after a turn is confirmed
                    yield AutoViewPanel(id="auto-view")

    def on_mount(self) -> None:
        """Draw from the session and start the timer display."""
        session = self.rp.session
        assert session is not None
        # After a resume, carry on with the observer who was rating (worked out from what is saved).
        self.rater_index, self.done_raters = rater_position(session)
        self.card_shown = False  # hidden on every (re)opening: only ctrl+r shows it, any other key hides it
        self.keeper = DraftKeeper(self)
        self.warned = False
        rubric = session.rubric
        # Counts first when the rubric has tallies and nothing to rate per turn (behaviour counts).
        self.counting = bool(rubric.tallies) and not any(c.scope == Scope.per_turn for c in rubric.criteria)
        self.redraw(new_turn=True)
        self.set_interval(1.0, self.tick)
        self.focus_for_turn()

    def focus_for_turn(self) -> None:
        """Typed mode starts a turn in the response box; otherwise the rubric panel has the keys."""
        session = self.rp.session
        typed = session is not None and session.config.mode == ListenerMode.typed
        if typed and self.round.current_turn is not None:
            self.query_one("#response", TextInput).focus()
        else:
            self.active_panel().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show "other observer" only with two raters, "ratings/counts" only with tallies."""
        session = self.rp.session
        if session is None or session.current_round is None:
            return True
        if action == "switch_rater":
            return len(self.round.roles.raters) > 1
        if action == "toggle_counts":
            return bool(session.rubric.tallies)
        return True

    # ------------------------------------------------------------------ response, card, move
    @property
    def mid_round(self) -> bool:
        """Whether a round is in play here (ctrl+q asks first)."""
        session = self.rp.session
        return session is not None and session.current_round is not None and self.round.playing

    @on(TextInput.Changed, "#response")
    def response_typed(self, event: TextInput.Changed) -> None:
        """Keep what is typed as a draft until it is entered (written after a pause, in a worker)."""
        session = self.rp.session
        turn = self.round.current_turn if session is not None else None
        if session is not None and turn is not None:
            saved = turn.response or ""
            self.keeper.typed(session.id, self.draft_slot, "" if event.value == saved else event.value)

    def save_draft(self) -> None:
        """The app is ending: write the waiting draft now."""
        self.keeper.flush()

    @on(TextInput.Submitted, "#response")
    def save_response(self, event: TextInput.Submitted) -> None:
        """Save the response (or the jot) and move to the rubric panel."""
        event.stop()
        session = self.rp.session
        assert session is not None
        if self.round.current_turn is not None:
            self.rp.act(session.record_response, event.value)
            if self.round.current_turn.response == event.value:  # saved: the draft is done with
                self.keeper.entered(session.id, self.draft_slot)
        self.redraw()
        self.active_panel().focus()

    def action_reveal(self) -> None:
        """The speaker reveals (or hides again) their card; the first reveal of a round is recorded."""
        session = self.rp.session
        assert session is not None
        if not self.card_shown and not self.round.card_revealed:
            self.rp.act(session.reveal_card)
        self.show_card(not self.card_shown)

    def before_key(self, event: events.Key) -> None:
        """Every key but the reveal key hides the card first, so it never stays up while others act.

        Called by the app for each key before it is routed (priority bindings such as ctrl+l never
        reach the screen's own handlers), so confirming a turn, Enter in a box, marking a move,
        typing or rating all hide it, and the card shows only just after the speaker revealed it.
        """
        if self.card_shown and event.key not in REVEAL_KEYS and self.is_current:
            self.show_card(False)

    def action_mark_move(self) -> None:
        """Mark what the listener did on this turn."""
        session = self.rp.session
        assert session is not None
        turn = self.round.current_turn
        if turn is None:
            return

        def mark(move: object) -> None:
            if move is not None:
                self.rp.act(session.mark_move, move)
                self.redraw()

        self.app.push_screen(MoveDialog(turn.move), mark)

    def action_focus_panel(self) -> None:
        """Leave the response box for the panel on show."""
        self.active_panel().focus()

    def action_toggle_counts(self) -> None:
        """Switch the observer's panel between ratings and behaviour counts."""
        if not self.rp.session or not self.rp.session.rubric.tallies:
            return
        if self.round.current_turn is None:
            self.notify("Counts belong to turns; the script is over, so only the round ratings are left.")
            return
        self.counting = not self.counting
        self.draw_panel(self.round.current_turn)
        self.active_panel().focus()

    def action_note(self) -> None:
        """Ctrl+n: the rater's note on this turn (or the whole round), from anywhere on the screen."""
        self.note_wanted()

    @on(TallyPanel.Changed)
    def tally_changed(self, event: TallyPanel.Changed) -> None:
        """Save a count change on the current turn, then show it."""
        session = self.rp.session
        assert session is not None
        if self.round.current_turn is None:
            return
        self.rp.act(session.change_tally, self.rater, event.tally_id, event.delta)
        self.draw_panel(self.round.current_turn)

    # ------------------------------------------------------------------ rating
    @on(ScoringPanel.Rated)
    def rated(self, event: ScoringPanel.Rated) -> None:
        """Save a rating, then show it."""
        session = self.rp.session
        assert session is not None
        self.rp.act(session.rate, self.rater, event.criterion_id, event.value)
        self.draw_panel(self.round.current_turn)

    @on(ScoringPanel.NoteWanted)
    def note_wanted(self) -> None:
        """Ask for the rater's note on this turn, or on the whole round once the script is over."""
        session = self.rp.session
        assert session is not None
        turn = self.round.current_turn
        rater = self.rater

        def save(text: object) -> None:
            if isinstance(text, str):
                if turn is None:
                    self.rp.act(session.record_round_note, rater, text)
                else:
                    self.rp.act(session.record_note, rater, text)
                self.draw_panel(self.round.current_turn)

        if turn is None:
            self.app.push_screen(NoteDialog(rater, self.round.notes.get(rater), "the whole round"), save)
        else:
            self.app.push_screen(NoteDialog(rater, turn.notes.get(rater)), save)

    def action_switch_rater(self) -> None:
        """With two observers, switch who is rating."""
        if len(self.round.roles.raters) > 1:
            self.rater_index += 1
            self.query_one("#panel", ScoringPanel).cursor = 0
            self.draw_panel(self.round.current_turn)
            self.notify(f"Now {self.rater} is rating.")

    @on(ScoringPanel.Confirmed)
    @on(TallyPanel.Confirmed)
    def confirmed(self) -> None:
        """Done rating: hand over to the next observer, confirm the turn, or end the round."""
        session = self.rp.session
        assert session is not None
        turn = self.round.current_turn
        raters = self.round.roles.raters
        self.done_raters.add(self.rater)
        waiting = [r for r in raters if r not in self.done_raters]
        if waiting:
            self.rater_index = raters.index(waiting[0])
            self.query_one("#panel", ScoringPanel).cursor = 0  # the next rater starts at the top
            self.draw_panel(turn)
            self.notify(f"Now {waiting[0]} rates this turn.")
            return
        self.done_raters.clear()
        self.rater_index = 0
        if turn is None:
            self.end_round()
            return
        pending = self.query_one("#response", TextInput).value
        if pending and pending != (turn.response or ""):
            self.rp.act(session.record_response, pending)  # typed but not yet saved with enter
        self.keeper.entered(session.id, self.draft_slot)  # whatever was typed is in the record now
        typed = session.config.mode == ListenerMode.typed
        confirm = (lambda: confirm_turn_with_observer(session)) if typed else session.confirm_turn
        if self.rp.act(confirm) is None and self.round.current_turn is turn:
            return
        if self.round.current_turn is None and not any(
                c.scope == Scope.per_round for c in session.rubric.criteria):
            self.end_round()
            return
        self.redraw(new_turn=True)
        self.focus_for_turn()

    # ------------------------------------------------------------------ pause, stop
    def pausable(self) -> Pausable:
        """What pause and stop act on."""
        target = self.rp.session
        assert target is not None
        return target

    def end_round(self) -> None:
        """End the round and show its debrief."""
        session = self.rp.session
        assert session is not None
        turn = self.round.current_turn
        pending = self.query_one("#response", TextInput).value
        if turn is not None and self.round.playing and pending and pending != (turn.response or ""):
            self.rp.act(session.record_response, pending)  # stopped mid-turn: what was typed is kept
        if self.round.playing and session.config.mode == ListenerMode.typed:
            self.rp.act(observe_round_end, session)
        if self.round.playing and self.rp.act(session.end_round) is None:
            return
        self.rp.route()
