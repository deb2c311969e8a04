"""Solo rehearsal: one person, the app as the speaker, the automatic observer giving feedback.

:class:`SoloRehearsal` is a thin facade over :class:`PracticeSession` (kind ``solo``, typed mode), so solo
rehearsals are saved, resumed and listed exactly like group sessions. The flow a screen drives:

1. :meth:`SoloRehearsal.create` (after showing the scenario's content notes), then :meth:`start`.
2. Show :attr:`line` (the speaker's line and cue); the user types; :meth:`respond` returns the
   :class:`Feedback` card. Optionally :meth:`self_rate` and :meth:`differences`.
3. :meth:`try_again` (same line, a new attempt) or :meth:`next` (the branch follows the detected move).
4. When :meth:`next` returns None (or the user stops), :meth:`end_round`, then :meth:`summary`.

What is saved for each response (each its own event, written before anything is shown): the response;
the observer's whole view, worked out once (label, signals, every rating with its reason, tallies, move
and the observer's version: :func:`roleplay.session.feedback.observe_response`); its per-turn ratings as
ratings by :data:`AUTO_RATER`, each with its reason as the note; the rubric's automatic tallies; and the
detected move. If the app dies between those writes, :meth:`resume` completes the missing ones.

Attempts: :meth:`try_again` sets the current attempt aside (response, move, ratings, tallies and
observation are kept in the event log and in ``TurnState.attempts``) and clears the turn. **Only the
latest attempt of a turn counts** in scores, metrics and history; earlier ones are shown, never counted.

Cards are built from the stored observation (:func:`roleplay.session.feedback_card.card_for`), never by running
the observer again: a resumed rehearsal, a debrief or a report shows the cards as they were first shown,
even after the observer's rules change. Each card is built once per attempt and kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Scenario, Turn
from roleplay.session import flow
from roleplay.session.engine import Clock, EventStore, PracticeSession
from roleplay.session.feedback import round_suggestions, save_observer_view, stored_or_observed
from roleplay.session.feedback_card import Feedback, card_for
from roleplay.session.roles import AUTO_RATER
from roleplay.session.solo_summary import SoloSummary, build_summary
from roleplay.session.state import (
    ListenerMode,
    Phase,
    RoundState,
    SessionConfig,
    SessionError,
    SessionKind,
    TurnState,
)
from roleplay.storage.events import EventSink
from roleplay.storage.gate import PracticeStore


@dataclass(frozen=True, slots=True)
class Difference:
    """The user's own rating of a criterion beside the observer's, on one turn (or the round)."""

    criterion_id: str
    name: str
    self_value: int | None
    auto_value: int | None
    auto_reason: str | None
    """The observer's reason for its rating."""

    @property
    def gap(self) -> int | None:
        """``self_value - auto_value`` (positive: you rated yourself higher); None unless both rated."""
        if self.self_value is None or self.auto_value is None:
            return None
        return self.self_value - self.auto_value

    @property
    def differs(self) -> bool:
        """True when both rated and the values are not equal."""
        return bool(self.gap)


class SoloRehearsal:
    """One person's solo rehearsal of a scenario; every action is saved as it happens."""

    def __init__(self, session: PracticeSession, store: PracticeStore | None = None) -> None:
        """Wrap an existing solo session (use :meth:`create` or :meth:`resume`).

        ``store`` (the practice database the session writes to, if any) lets :meth:`summary` compare with
        earlier attempts.
        """
        if session.config.kind != SessionKind.solo:
            raise SessionError("This session is not a solo rehearsal.")
        self.session = session
        self.store = store
        self._cards: dict[tuple[int, int], Feedback] = {}  # (turn index, attempt): built once, kept

    # ----------------------------------------------------------------- construction
    @classmethod
    def create(
        cls, name: str, scenario: Scenario, rubric: Rubric, sink: EventSink, *, minutes: int = 10,
        agreement_id: str = "default", clock: Clock = time.time, session_id: str | None = None,
    ) -> SoloRehearsal:
        """Start a new solo rehearsal for ``name`` (typed mode, one round, the app as speaker)."""
        config = SessionConfig((name,), scenario, rubric, agreement_id=agreement_id, mode=ListenerMode.typed,
                               minutes=minutes, kind=SessionKind.solo)
        session = PracticeSession.create(config, sink, clock=clock, session_id=session_id)
        return cls(session, sink if isinstance(sink, PracticeStore) else None)

    @classmethod
    def resume(cls, store: EventStore, session_id: str, *, clock: Clock = time.time,
               reopen: bool = False) -> SoloRehearsal:
        """Load a stored solo rehearsal; completes a response whose feedback was not fully saved.

        ``reopen``: the app is coming back to play on, so the time it was away counts as paused
        (:meth:`PracticeSession.reopen`, recorded before anything else is written).
        """
        solo = cls(PracticeSession.resume(store, session_id, clock=clock, reopen=reopen),
                   store if isinstance(store, PracticeStore) else None)
        turn = solo.current_turn
        if turn is not None and turn.response is not None and not solo.session.finished:
            solo._save_observer(turn)
        return solo

    # ----------------------------------------------------------------- reading
    @property
    def id(self) -> str:
        """The session id."""
        return self.session.id

    @property
    def name(self) -> str:
        """The person rehearsing."""
        return self.session.config.names[0]

    @property
    def scenario(self) -> Scenario:
        """The scenario snapshot."""
        return self.session.scenario

    @property
    def rubric(self) -> Rubric:
        """The rubric snapshot."""
        return self.session.rubric

    @property
    def phase(self) -> Phase:
        """``agreement`` before :meth:`start`, then ``playing``, ``done`` and ``finished``."""
        return self.session.phase

    @property
    def round(self) -> RoundState:
        """The rehearsal's single round."""
        return self.session.rounds[0]

    @property
    def current_turn(self) -> TurnState | None:
        """The turn waiting for a response (or for :meth:`next`), or None."""
        return self.session.current_turn

    @property
    def line(self) -> Turn | None:
        """The scenario turn being played: its ``line`` and ``cue`` are what the screen shows."""
        turn = self.current_turn
        return None if turn is None else flow.turn_by_id(self.scenario, turn.turn_id)

    @property
    def answered(self) -> bool:
        """True when the current turn has a response (feedback is due; then try again or next)."""
        turn = self.current_turn
        return turn is not None and turn.response is not None

    @property
    def feedback(self) -> Feedback | None:
        """The card for the current turn's latest attempt, or None before a response."""
        turn = self.current_turn
        if turn is None or turn.response is None:
            return None
        return self.feedback_for(turn.index)

    def feedback_for(self, turn_index: int, attempt: int | None = None) -> Feedback:
        """The card for one attempt (1-based; default the latest) at a turn, from its stored observation."""
        turn = self._turn(turn_index)
        responses = [a.response for a in turn.attempts] + [turn.response]
        number = len(responses) if attempt is None else attempt
        if not 1 <= number <= len(responses) or responses[number - 1] is None:
            raise SessionError("That attempt has no response.")
        kept = self._cards.get((turn.index, number))
        if kept is not None:
            return kept
        text = responses[number - 1]
        assert text is not None
        stored = turn.attempts[number - 1].observed if number < len(responses) else turn.observed
        line = flow.turn_by_id(self.scenario, turn.turn_id)
        card = card_for(stored_or_observed(stored, text, line, self.rubric), text, line, turn.index, self.rubric,
                        number)
        self._cards[(turn.index, number)] = card
        return card

    def attempts(self, turn_index: int | None = None) -> list[Feedback]:
        """Every answered attempt at a turn (default: the current or last turn), oldest first."""
        turn = self._turn(turn_index)
        total = len(turn.attempts) + 1
        return [self.feedback_for(turn.index, n) for n in range(1, total + 1)
                if (turn.attempts[n - 1].response if n < total else turn.response) is not None]

    def transcript(self) -> list[tuple[Turn, TurnState]]:
        """Each turn played so far with its scenario turn (line, examples), in order."""
        return [(flow.turn_by_id(self.scenario, t.turn_id), t) for t in self.round.turns]

    def differences(self, turn_index: int | None = None) -> list[Difference]:
        """Per criterion on a turn (default current or last): the user's rating beside the observer's.

        Lists every per-turn criterion that either of them rated, in rubric order.
        """
        turn = self._turn(turn_index)
        return self._differences(turn.ratings, Scope.per_turn)

    def round_differences(self) -> list[Difference]:
        """The same for per-round criteria (rated at the end of the round)."""
        return self._differences(self.round.ratings, Scope.per_round)

    def summary(self) -> SoloSummary:
        """The end-of-round summary (see :mod:`roleplay.session.solo_summary`); usable at any time, meant
        for after :meth:`end_round`. Compared with earlier attempts when the rehearsal is stored."""
        return build_summary(self.id, self.name, self.rubric, self.scenario.id, self.round,
                             self.session.created_at, self.store)

    # ----------------------------------------------------------------- actions
    def start(self) -> Turn:
        """Begin: the user has seen the content notes (recorded as the agreement step); returns the first line."""
        self.session.acknowledge_agreement()
        self.session.start_round()
        line = self.line
        assert line is not None
        return line

    def respond(self, text: str) -> Feedback:
        """Save the user's response and the observer's view of it (the observer runs once, here); returns
        the feedback card, which is kept: :attr:`feedback` and :meth:`attempts` give this same card."""
        turn = self.current_turn
        if turn is None:
            raise SessionError("There is no line waiting for a response.")
        if turn.response is not None:
            raise SessionError("This line already has a response: choose try again or next.")
        if not text.strip():
            raise SessionError("Please type a response first.")
        self.session.record_response(text)
        return self._save_observer(turn)

    def self_rate(self, criterion_id: str, value: int | None, note: str | None = None,
                  turn_index: int | None = None) -> None:
        """Save the user's own rating (rater: their name); per-round criteria rate the round."""
        self.session.rate(self.name, criterion_id, value, note, turn_index)

    def try_again(self) -> None:
        """Set the current attempt aside (kept and shown, no longer counted) and answer the line again."""
        self.session.retry_turn()

    def next(self) -> Turn | None:
        """Confirm the answered turn; the branch follows the detected move. Returns the next line or None."""
        if not self.answered:
            raise SessionError("Please respond to this line first.")
        self.session.confirm_turn()
        return self.line

    def pause(self) -> None:
        """Pause (the timer stops); anyone may pause at any moment."""
        self.session.pause()

    def unpause(self) -> None:
        """Carry on after a pause."""
        self.session.unpause()

    def end_round(self) -> None:
        """End the round (early when the script is not over: that is "stop"), saving the observer's
        per-round ratings first. Ending twice is harmless."""
        if not self.round.playing:
            return
        self._rate_round()
        self.session.end_round()

    def finish(self) -> None:
        """Close the rehearsal (ending the round if still in play)."""
        if self.round.playing:
            self.end_round()
        self.session.finish()

    # ----------------------------------------------------------------- internals
    def _turn(self, turn_index: int | None) -> TurnState:
        turns = self.round.turns
        if turn_index is None:
            turn = self.current_turn or (turns[-1] if turns else None)
        else:
            turn = turns[turn_index] if 0 <= turn_index < len(turns) else None
        if turn is None:
            raise SessionError("There is no such turn in this rehearsal.")
        return turn

    def _save_observer(self, turn: TurnState) -> Feedback:
        """Write whatever of the observer's view of ``turn`` is not saved yet (idempotent); the observer
        runs only when no full observation is stored for the response."""
        assert turn.response is not None
        line = flow.turn_by_id(self.scenario, turn.turn_id)
        earlier = [t.response for t in self.round.turns if t.index < turn.index and t.response]
        record = stored_or_observed(turn.observed, turn.response, line, self.rubric, earlier)
        save_observer_view(self.session, turn, record, notes=True, mark_move=True)
        number = len(turn.attempts) + 1
        card = card_for(record, turn.response, line, turn.index, self.rubric, number)
        self._cards[(turn.index, number)] = card
        return card

    def _rate_round(self) -> None:
        """Save the observer's per-round ratings (see :func:`round_suggestions`) not saved yet."""
        for suggestion in round_suggestions(self.rubric, self.scenario, self.round):
            if (AUTO_RATER, suggestion.criterion_id) not in self.round.ratings:
                self.session.rate(AUTO_RATER, suggestion.criterion_id, suggestion.value, suggestion.reason)

    def _differences(self, ratings: dict, scope: Scope) -> list[Difference]:
        out = []
        for criterion in self.rubric.criteria:
            if criterion.scope != scope:
                continue
            mine = ratings.get((self.name, criterion.id))
            auto = ratings.get((AUTO_RATER, criterion.id))
            if mine is None and auto is None:
                continue
            out.append(Difference(criterion.id, criterion.name, mine.value if mine else None,
                                  auto.value if auto else None, auto.note if auto else None))
        return out

