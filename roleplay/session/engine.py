"""The practice-session engine: every user action is validated, saved as an event, then applied.

The event log is the source of truth. :meth:`PracticeSession.resume` replays a stored log through the
same ``_apply`` code the live session uses, so a resumed session is exactly the session that was saved.
Each action writes its event to the sink (its own transaction) before changing any state: if the write
fails, nothing changes; once the action returns, the change survives ``kill -9``.

The actions that record on a turn (ratings, notes, tallies, moves, observations) are in
:mod:`roleplay.session.rater_actions`; those that move the session along are here.

Time comes from an injectable clock (``Callable[[], float]``, seconds), so tests are deterministic.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from roleplay.session import flow
from roleplay.session.rater_actions import RaterActions, check_text
from roleplay.session.replay import apply_event
from roleplay.session.roles import RoundRoles, check_names, rotation, shuffled
from roleplay.session.state import (
    Phase,
    RoundState,
    SessionConfig,
    SessionError,
    SessionKind,
    TurnState,
)
from roleplay.storage.events import Event, EventSink, EventType

Clock = Callable[[], float]


class EventStore(EventSink, Protocol):
    """A sink that can also give a session's events back (the SQLite store, or ``MemorySink``)."""

    def load_events(self, session_id: str) -> list[Event]:
        """The session's events in order."""
        ...


def _roles_data(rounds: Sequence[RoundRoles]) -> list[dict[str, Any]]:
    return [{"speaker": r.speaker, "listener": r.listener, "observers": list(r.observers)} for r in rounds]


class PracticeSession(RaterActions):
    """A group practice or solo rehearsal in progress, saved action by action.

    Build one with :meth:`create` (new) or :meth:`resume` (from storage). Read state through the
    properties; change it only through the action methods, which raise :class:`SessionError` when an
    action does not fit the current state.
    """

    def __init__(self, session_id: str, sink: EventSink, clock: Clock) -> None:
        """Internal: use :meth:`create`, :meth:`resume` or :meth:`from_events`."""
        self.id = session_id
        self._sink = sink
        self._clock = clock
        self._events: list[Event] = []
        self.config: SessionConfig
        self.order: tuple[str, ...] = ()
        self.rounds: list[RoundState] = []
        self.created_at = 0.0
        self.agreement_acknowledged = False
        self.finished_at: float | None = None
        self.paused_since: float | None = None

    # ----------------------------------------------------------------- construction
    @classmethod
    def create(
        cls,
        config: SessionConfig,
        sink: EventSink,
        *,
        clock: Clock = time.time,
        session_id: str | None = None,
    ) -> PracticeSession:
        """Start a new session from ``config`` and save its ``session_created`` event (with snapshots)."""
        solo = config.kind == SessionKind.solo
        try:
            names = check_names(config.names, solo=solo)
        except ValueError as error:
            raise SessionError(str(error)) from error
        if config.minutes < 1:
            raise SessionError("A round needs at least one minute.")
        roles = rotation(names)
        if config.plays and len(config.plays) != len(roles):
            raise SessionError(f"Choose what each of the {len(roles)} rounds plays "
                               f"({len(config.plays)} chosen).")
        session = cls(session_id or uuid.uuid4().hex[:16], sink, clock)
        extra = {"round_scenarios": [play.to_data() for play in config.plays]} if config.plays else {}
        session._emit(
            EventType.session_created,
            {
                "session_id": session.id,
                "names": list(names),
                "kind": str(config.kind),
                "mode": str(config.mode),
                "minutes": config.minutes,
                "agreement_id": config.agreement_id,
                "scenario": config.scenario.model_dump(mode="json"),
                "rubric": config.rubric.model_dump(mode="json"),
                "rounds": _roles_data(roles),
                **extra,
            },
        )
        return session

    @classmethod
    def from_events(
        cls, events: Sequence[Event], sink: EventSink, *, clock: Clock = time.time
    ) -> PracticeSession:
        """Rebuild a session by replaying its events (the first must be ``session_created``)."""
        if not events or events[0].type != EventType.session_created:
            raise SessionError("This saved session has no beginning and cannot be resumed.")
        session = cls(str(events[0].data["session_id"]), sink, clock)
        for event in events:
            session._apply(event)
            session._events.append(event)
        return session

    @classmethod
    def resume(
        cls, store: EventStore, session_id: str, *, clock: Clock = time.time, reopen: bool = False
    ) -> PracticeSession:
        """Load a stored session and carry on where it stopped; new actions are saved to ``store``.

        With ``reopen`` (the app coming back to a session to play on) the time since the last saved event
        is recorded as paused (see :meth:`reopen`); without it, loading writes nothing.
        """
        session = cls.from_events(store.load_events(session_id), store, clock=clock)
        if reopen:
            session.reopen()
        return session

    def catch_up(self, events: Sequence[Event]) -> None:
        """Apply events another process saved after this copy's last one (a session shared by devices).

        Each must be the next in the log; the same ``_apply`` runs as for live actions and replay.
        """
        for event in events:
            if event.seq != len(self._events) + 1:
                raise SessionError("This session changed elsewhere in a way that cannot be followed; reopen it.")
            self._apply(event)
            self._events.append(event)

    # ----------------------------------------------------------------- reading state
    @property
    def events(self) -> tuple[Event, ...]:
        """Every event so far, in order."""
        return tuple(self._events)

    # ----------------------------------------------------------------- actions
    def set_order(self, names: Sequence[str]) -> list[RoundRoles]:
        """Set the rotation order by hand (a reordering of the same people), before the first round."""
        self._require_not_started()
        if sorted(names) != sorted(self.order):
            raise SessionError("The new order must list the same people, each once.")
        roles = rotation(list(names))
        self._emit(EventType.rotation_set, {"order": list(names), "rounds": _roles_data(roles)})
        return roles

    def reshuffle(self, seed: int | None = None) -> list[RoundRoles]:
        """Reshuffle the rotation order at random (repeatable with ``seed``), before the first round."""
        self._require_not_started()
        return self.set_order(shuffled(self.order, seed))

    def acknowledge_agreement(self) -> None:
        """Record that the group has read and accepted the comfort agreement."""
        if self.finished:
            raise SessionError("This session is finished.")
        if not self.agreement_acknowledged:
            self._emit(EventType.agreement_acknowledged, {})

    def start_round(self) -> RoundState:
        """Start the next round: its first linear turn becomes the current turn."""
        phase = self.phase
        if phase == Phase.agreement:
            raise SessionError("Please read and accept the comfort agreement first.")
        if phase != Phase.ready:
            raise SessionError("A round is already in play, or every round has been played.")
        upcoming = self.next_round
        assert upcoming is not None  # phase ready guarantees one
        first = flow.first_turn(self.scenario_for(upcoming.number))
        self._emit(
            EventType.round_started,
            {"round": upcoming.number, "turn_index": 0, "turn_id": first.id,
             "listener": upcoming.roles.listener},
        )
        return upcoming

    def reveal_card(self) -> None:
        """Record that the speaker revealed their persona card for this round."""
        current = self._playing_round()
        if not current.card_revealed:
            self._emit(EventType.card_revealed, {"round": current.number})

    def record_response(self, text: str, turn_index: int | None = None) -> None:
        """Save the listener's response (typed mode) or what an observer jotted of it (spoken mode)."""
        current, turn = self._target_turn(turn_index)
        self._emit(
            EventType.response_recorded,
            {"round": current.number, "turn_index": turn.index, "text": check_text(text),
             "listener": current.roles.listener},
        )

    def retry_turn(self) -> TurnState:
        """"Try again": set the current turn's attempt aside (kept) and start a fresh one on the same line."""
        current = self._playing_round()
        turn = current.current_turn
        if turn is None or turn.response is None:
            raise SessionError("There is no answered turn to try again.")
        self._emit(EventType.turn_retried, {"round": current.number, "turn_index": turn.index,
                                            "listener": current.roles.listener})
        return turn

    def confirm_turn(self) -> TurnState | None:
        """Confirm the current turn and move on (following branches); returns the next turn or None."""
        current = self._playing_round()
        turn = current.current_turn
        if turn is None:
            raise SessionError("There is no turn waiting to be confirmed.")
        following = flow.next_turn(self.scenario_for(current.number), turn.turn_id, turn.move)
        if following is not None and any(t.turn_id == following.id for t in current.turns):
            # A line already said this round: the script loops. Validation refuses such scenarios, but a
            # session saved with an older snapshot may hold one; the script ends here instead of looping.
            following = None
        self._emit(
            EventType.turn_confirmed,
            {"round": current.number, "turn_index": turn.index,
             "next_turn_id": following.id if following else None, "listener": current.roles.listener},
        )
        return current.current_turn

    def pause(self) -> None:
        """Pause (the timer stops). Anyone may pause at any moment."""
        if not self.paused:
            current = self.current_round
            self._emit(EventType.paused, {"round": current.number if current and current.playing else None})

    def unpause(self) -> None:
        """Carry on after a pause."""
        if self.paused_since is not None:
            current = self.current_round
            at = float(self._clock())
            data: dict[str, Any]
            if current is not None and current.playing:
                data = {"round": current.number, "paused_seconds": max(0.0, at - self.paused_since)}
            else:
                data = {"round": None, "paused_seconds": 0.0}
            self._emit(EventType.unpaused, data, at=at)

    def reopen(self) -> float:
        """Record that the app came back to this session after being closed; returns the seconds excused.

        The app was not running between the last saved event and now, so that gap must not count against
        the round in play: it is saved as paused time (a ``reopened`` event, so a replay gives the same
        timer). Nothing is written when no round is in play, the session is paused (the pause goes on and
        is charged when it ends) or there is no gap. Time spent in the app after the last event, before it
        closed, cannot be known and is excused too: the timer leans towards the trainee.
        """
        current = self.current_round
        if self.finished or current is None or not current.playing or self.paused or not self._events:
            return 0.0
        at = float(self._clock())
        gap = at - self._events[-1].at
        if gap <= 0:
            return 0.0
        self._emit(EventType.reopened, {"round": current.number, "paused_seconds": gap}, at=at)
        return gap

    def end_round(self) -> RoundState:
        """End the round in play; it counts as ended early when the script was not over."""
        current = self._playing_round()
        at = float(self._clock())
        # A pause still running when the round ends is charged to the round up to now.
        paused = max(0.0, at - self.paused_since) if self.paused_since is not None else 0.0
        self._emit(
            EventType.round_ended,
            {"round": current.number, "early": not current.script_done, "paused_seconds": paused}, at=at,
        )
        return current

    def finish(self) -> None:
        """Close the session (ending a round still in play); it no longer shows as resumable."""
        if self.finished:
            return
        current = self.current_round
        if current is not None and current.playing:
            self.end_round()
        self._emit(EventType.session_finished, {})

    # ----------------------------------------------------------------- internals
    def _require_not_started(self) -> None:
        if any(r.started for r in self.rounds) or self.finished:
            raise SessionError("The order can only change before the first round starts.")

    def _playing_round(self) -> RoundState:
        current = self.current_round
        if self.finished or current is None or not current.playing:
            raise SessionError("No round is in play.")
        return current

    def _emit(self, kind: EventType, data: dict[str, Any], at: float | None = None) -> Event:
        stamp = float(self._clock()) if at is None else at
        event = Event(seq=len(self._events) + 1, type=str(kind), at=stamp, data=data)
        self._sink.append_event(self.id, event)  # durable first: if this raises, state is unchanged
        self._apply(event)
        self._events.append(event)
        return event

    def _apply(self, event: Event) -> None:
        """Change state for one event. Shared by live actions and replay, so resume is exact."""
        apply_event(self, event)
