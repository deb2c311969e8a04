"""What the group play screen shows, drawn from the saved session: status line, card, transcript, panels.

:class:`PlayView` is the play screen's drawing half (the screen in :mod:`roleplay.tui.screens.play` adds
the actions). Everything here reads the session and redraws; nothing here saves. Redrawing from the saved
state after every action means what is shown is always what is saved.
"""

from __future__ import annotations

from textual.widgets import Static

from roleplay.content.rubric import Scope
from roleplay.session.flow import turn_by_id
from roleplay.session.scoring import compute_metrics, tally_totals
from roleplay.session.state import RoundState, TurnState
from roleplay.storage.drafts import slot
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.drafts import DraftKeeper
from roleplay.tui.screens.dialogs import MOVE_LABELS
from roleplay.tui.text import plain
from roleplay.tui.widgets.auto_view import AutoViewPanel
from roleplay.tui.widgets.round_timer import RoundTimer
from roleplay.tui.widgets.scoring_panel import ScoringPanel
from roleplay.tui.widgets.speaker_card import SpeakerCard
from roleplay.tui.widgets.tally_panel import TallyPanel
from roleplay.tui.widgets.text_input import TextInput
from roleplay.tui.widgets.transcript import Transcript, TranscriptLine


class PlayView(RoleplayScreen):
    """The drawing half of the play screen: its view state and every redraw."""

    rater_index: int
    """Who rates on the panel now (an index into the round's raters, taken modulo their number)."""
    done_raters: set[str]
    """The raters who are done with the current turn (or the round's ratings)."""
    card_shown: bool
    """Whether the speaker's card is up (only just after the speaker revealed it)."""
    counting: bool
    """Whether the counts panel is on show instead of the ratings panel (turns only)."""
    keeper: DraftKeeper
    warned: bool
    """Whether the near-the-end warning has been given this round."""

    @property
    def round(self) -> RoundState:
        """The round in play."""
        session = self.rp.session
        assert session is not None and session.current_round is not None
        return session.current_round

    @property
    def rater(self) -> str:
        """Who is rating on the panel now."""
        raters = self.round.roles.raters
        return raters[self.rater_index % len(raters)]

    @property
    def draft_slot(self) -> str:
        """Where the response box's draft for this turn is kept."""
        turn = self.round.current_turn
        return slot(self.round.number, turn.index if turn is not None else -1, "response")

    def active_panel(self) -> ScoringPanel | TallyPanel:
        """The panel on show: counts while counting on a turn, otherwise ratings."""
        if self.counting and self.round.current_turn is not None:
            return self.query_one("#tallies", TallyPanel)
        return self.query_one("#panel", ScoringPanel)

    def redraw(self, *, new_turn: bool = False) -> None:
        """Refresh every part of the screen from the saved session."""
        session = self.rp.session
        assert session is not None
        current = self.round
        turn = current.current_turn
        roles = current.roles
        k, n = session.turn_progress()
        observers = ", ".join(roles.observers) or "none (speaker rates)"
        watch = "Observers" if len(roles.observers) > 1 else "Observer"
        # Short enough for 80 columns beside the timer; longer names wrap onto a second line.
        where = (f"Round {current.number}/{len(session.rounds)} · "
                 + (f"Turn {k}/{n}" if turn else "Script finished: round ratings")
                 + f" · Speaker {roles.speaker} · Listener {roles.listener} · {watch} {observers}")
        self.query_one("#play-where", Static).update(plain(where))
        self.show_card(self.card_shown)
        self.query_one("#transcript", Transcript).show(self.transcript_lines())
        response = self.query_one("#response", TextInput)
        response.disabled = turn is None
        if new_turn:
            draft = self.keeper.restore(session.id, self.draft_slot) if turn is not None else None
            response.value = draft if draft is not None else (turn.response or "") if turn else ""
        move = turn.move if turn else None
        self.query_one("#move", Static).update(
            plain(f"Listener move: {MOVE_LABELS[move]} (ctrl+l to change)" if move
                  else "Listener move: not marked (ctrl+l; it steers the script)"))
        self.draw_panel(turn, new_turn=new_turn)
        for auto_view in self.query(AutoViewPanel):
            auto_view.show_for(session)
        self.tick()

    def show_card(self, shown: bool) -> None:
        """Show or hide the card (a view change only: what is saved is that it was revealed once)."""
        session = self.rp.session
        assert session is not None
        self.card_shown = shown
        turn = self.round.current_turn
        self.query_one("#card", SpeakerCard).show(
            session.scenario.persona, turn_by_id(session.scenario, turn.turn_id) if turn else None,
            self.round.roles.speaker, revealed=shown)

    def draw_panel(self, turn: TurnState | None, *, new_turn: bool = False) -> None:
        """Show the current rater's saved ratings on the panel (per-turn, or per-round at the end)."""
        session = self.rp.session
        assert session is not None
        panel = self.query_one("#panel", ScoringPanel)
        raters = self.round.roles.raters
        if turn is None:
            per_round = [c for c in session.rubric.criteria if c.scope == Scope.per_round]
            if new_turn:
                panel.set_criteria(per_round)
            saved = self.round.ratings
            note = self.round.notes.get(self.rater)
            panel.confirm_label = "end the round"
        else:
            if new_turn:
                panel.set_criteria([c for c in session.rubric.criteria if c.scope == Scope.per_turn])
                # A rubric rated only once per round (global ratings) has nothing per turn: say so.
                panel.empty_text = ("Rated once, at the end of the round: nothing to rate on this turn."
                                    if any(c.scope == Scope.per_round for c in session.rubric.criteria)
                                    else "Nothing to rate here.")
            saved = turn.ratings
            note = turn.notes.get(self.rater)
            panel.confirm_label = "confirm the turn" if len(raters) == 1 else "done rating"
        values = {crit: entry.value for (who, crit), entry in saved.items() if who == self.rater}
        if len(self.round.roles.observers) == 0:
            who = f"{self.rater} (speaker): how heard did you feel?"
        elif len(raters) > 1:
            who = f"as {self.rater} (observer {self.rater_index % len(raters) + 1} of {len(raters)}; ^o switches)"
        else:
            who = f"as {self.rater} (observer)"
        panel.show_values(values, note, who if who.endswith("?") else f"Rating {who}")
        self.draw_tallies(turn, who)

    def draw_tallies(self, turn: TurnState | None, who: str) -> None:
        """Show the rater's counts on this turn and in the round, with the live metrics."""
        session = self.rp.session
        assert session is not None
        if not session.rubric.tallies:
            return
        tallies = self.query_one("#tallies", TallyPanel)
        counting = self.counting and turn is not None
        tallies.display = counting
        self.query_one("#panel", ScoringPanel).display = not counting
        this_turn = {tid: n for (rater, tid), n in turn.tallies.items() if rater == self.rater} if turn else {}
        totals = tally_totals(session.rubric, self.round, [self.rater])
        metrics = compute_metrics(session.rubric, totals)
        tallies.show_counts(this_turn, totals, metrics, f"Counting {who.removesuffix('?')} · ^t ratings",
                            active=turn is not None)

    def transcript_lines(self) -> list[TranscriptLine]:
        """What has been said: each confirmed turn's line and the response saved for it."""
        session = self.rp.session
        assert session is not None
        roles = self.round.roles
        entries: list[TranscriptLine] = []
        for turn in self.round.turns:
            if turn.confirmed_at is None:
                continue
            line = turn_by_id(session.scenario, turn.turn_id).line
            entries.append(TranscriptLine(session.scenario.persona.name, line, speaker=True))
            said = turn.response if turn.response else "(spoken, not jotted)"
            entries.append(TranscriptLine(roles.listener, said, speaker=False))
        return entries

    def tick(self) -> None:
        """Update the timer; warn once near the end (it never cuts anyone off)."""
        session = self.rp.session
        if session is None or session.current_round is None:
            return
        state = session.timer()
        self.query_one("#timer", RoundTimer).show(state)
        if state.near_end and not self.warned and self.round.playing:
            self.warned = True
            self.notify("Time is nearly up: finish the current turn, then wind down.", title="Timer")
