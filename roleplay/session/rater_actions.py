"""What the people rating a round record on it: ratings, notes, behaviour counts, the listener's move and
the automatic observer's observation of a response.

:class:`RaterActions` is the part of :class:`~roleplay.session.engine.PracticeSession` that records on a
turn (or the whole round) rather than moving the round along; the engine's ``_emit`` saves and applies each
event, so these follow the same rule: validated, saved, then applied.
"""

from __future__ import annotations

from typing import Any

from roleplay.content.rubric import Scope
from roleplay.content.scenario import ListenerMove
from roleplay.session.roles import AUTO_RATER
from roleplay.session.state import ObservedRecord, RoundState, SessionError, TurnState
from roleplay.session.view import SessionView
from roleplay.storage.events import Event, EventType

#: Longest text accepted for one response or note (a generous guard against runaway pastes).
MAX_TEXT = 100_000


def check_text(text: str) -> str:
    """``text`` as it will be stored (exactly as typed), or a :class:`SessionError` when it cannot be."""
    if not isinstance(text, str):
        raise SessionError("Text must be a string.")
    if len(text) > MAX_TEXT:
        raise SessionError(f"That text is too long to save (more than {MAX_TEXT:,} characters).")
    return text  # stored exactly as typed: no stripping, no markup processing


class RaterActions(SessionView):
    """Ratings, notes, tallies, moves and observations on the latest started round's turns."""

    def _emit(self, kind: EventType, data: dict[str, Any], at: float | None = None) -> Event:
        """Save the event, then apply it (:class:`~roleplay.session.engine.PracticeSession` does)."""
        raise NotImplementedError

    def record_note(self, rater: str, text: str, turn_index: int | None = None) -> None:
        """Save an observer's free note on a turn (replaces their earlier note; empty text clears it)."""
        current, turn = self._target_turn(turn_index)
        self._check_rater(current, rater)
        self._emit(
            EventType.note_recorded,
            {"round": current.number, "turn_index": turn.index, "rater": rater, "text": check_text(text)},
        )

    def record_round_note(self, rater: str, text: str) -> None:
        """Save a rater's free note on the whole round (until the next round starts; empty text clears it)."""
        current = self._ratable_round()
        self._check_rater(current, rater)
        self._emit(EventType.round_note_recorded, {"round": current.number, "rater": rater, "text": check_text(text)})

    def rate(
        self, rater: str, criterion_id: str, value: int | None, note: str | None = None,
        turn_index: int | None = None,
    ) -> None:
        """Rate a criterion: per-turn criteria rate the current (or given) turn, per-round ones the round.

        Rating again replaces the earlier rating; ``value=None`` clears it.
        """
        criterion = next((c for c in self.rubric.criteria if c.id == criterion_id), None)
        if criterion is None:
            raise SessionError(f"The rubric has no criterion {criterion_id!r}.")
        if value is not None and value not in {level.value for level in self.rubric.scale}:
            raise SessionError(f"{value} is not a level on this rubric's scale.")
        if criterion.scope == Scope.per_round:
            current, index = self._ratable_round(), None
        else:
            current, turn = self._target_turn(turn_index)
            index = turn.index
        self._check_rater(current, rater)
        self._emit(
            EventType.rating_recorded,
            {"round": current.number, "turn_index": index, "rater": rater, "criterion_id": criterion_id,
             "value": value, "note": None if note is None else check_text(note),
             "listener": current.roles.listener},
        )

    def change_tally(self, rater: str, tally_id: str, delta: int = 1, turn_index: int | None = None) -> int:
        """Add ``delta`` (usually +1 or -1) to a behaviour count on a turn; returns the new count (>= 0)."""
        if tally_id not in {t.id for t in self.rubric.tallies}:
            raise SessionError(f"The rubric has no tally {tally_id!r}.")
        current, turn = self._target_turn(turn_index)
        self._check_rater(current, rater)
        old = turn.tallies.get((rater, tally_id), 0)
        new = max(0, old + delta)
        if new != old:
            self._emit(
                EventType.tally_changed,
                {"round": current.number, "turn_index": turn.index, "rater": rater, "tally_id": tally_id,
                 "delta": new - old, "count": new, "listener": current.roles.listener},
            )
        return new

    def mark_move(self, move: ListenerMove | None, turn_index: int | None = None) -> None:
        """Mark what the listener did on a turn (decides which branch follows); None clears the mark."""
        current, turn = self._target_turn(turn_index)
        self._emit(
            EventType.move_marked,
            {"round": current.number, "turn_index": turn.index, "move": None if move is None else str(move)},
        )

    def record_observation(self, observed: ObservedRecord, turn_index: int | None = None) -> None:
        """Save the automatic observer's conclusion on a turn's response (see :mod:`roleplay.session.solo`)."""
        current, turn = self._target_turn(turn_index)
        self._emit(
            EventType.observation_recorded,
            {"round": current.number, "turn_index": turn.index, **observed.payload(),
             "listener": current.roles.listener},
        )

    def _ratable_round(self) -> RoundState:
        """The latest started round: ratings may be added or fixed until the next round starts."""
        current = self.current_round
        if self.finished or current is None:
            raise SessionError("No round has been played yet.")
        return current

    def _target_turn(self, turn_index: int | None) -> tuple[RoundState, TurnState]:
        """The given turn of the latest started round, or its current (else last) turn."""
        current = self._ratable_round()
        if turn_index is None:
            turn = current.current_turn or (current.turns[-1] if current.turns else None)
        else:
            turn = current.turns[turn_index] if 0 <= turn_index < len(current.turns) else None
        if turn is None:
            raise SessionError("There is no such turn in this round.")
        return current, turn

    def _check_rater(self, current: RoundState, rater: str) -> None:
        """Refuse a rater who does not rate this round (the automatic observer rates every round)."""
        if rater != AUTO_RATER and rater not in current.roles.raters:
            raise SessionError(f"{rater} is not rating in round {current.number}.")
