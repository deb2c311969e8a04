"""Applying one stored event to a session's state: the single code path for live actions and replay.

Functions here trust the event (the engine validated the action before saving it), so a stored log always
replays to the same state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import ListenerMove, Scenario
from roleplay.session.plan import RoundPlay
from roleplay.session.roles import RoundRoles
from roleplay.session.state import (
    Attempt,
    ListenerMode,
    ObservedRecord,
    RatingEntry,
    RoundState,
    SessionConfig,
    SessionKind,
    TurnState,
)
from roleplay.storage.events import Event, EventType

if TYPE_CHECKING:
    from roleplay.session.engine import PracticeSession


def _rounds(data: list[dict]) -> list[RoundState]:
    return [
        RoundState(number=i + 1, roles=RoundRoles(r["speaker"], r["listener"], tuple(r["observers"])))
        for i, r in enumerate(data)
    ]


def _turn(session: PracticeSession, data: dict) -> tuple[RoundState, TurnState]:
    current = session.rounds[data["round"] - 1]
    return current, current.turns[data["turn_index"]]


def config_from_data(d: dict) -> SessionConfig:
    """The set-up saved in a ``session_created`` event's data (snapshots validated as models)."""
    return SessionConfig(
        names=tuple(d["names"]),
        scenario=Scenario.model_validate(d["scenario"]),
        rubric=Rubric.model_validate(d["rubric"]),
        agreement_id=d["agreement_id"],
        mode=ListenerMode(d["mode"]),
        minutes=int(d["minutes"]),
        kind=SessionKind(d["kind"]),
        plays=tuple(RoundPlay.from_data(item) for item in d.get("round_scenarios") or ()),
    )


def apply_event(session: PracticeSession, event: Event) -> None:
    """Change ``session`` for one event (one ``match`` over :class:`EventType`; an unknown type is ignored)."""
    d, kind = event.data, EventType.of(event)
    match kind:
        case EventType.session_created:
            session.config = config_from_data(d)
            session.order = tuple(d["names"])
            session.rounds = _rounds(d["rounds"])
            session.created_at = event.at
        case EventType.rotation_set:
            session.order = tuple(d["order"])
            session.rounds = _rounds(d["rounds"])
        case EventType.agreement_acknowledged:
            session.agreement_acknowledged = True
        case EventType.round_started:
            current = session.rounds[d["round"] - 1]
            current.started_at = event.at
            current.turns.append(TurnState(index=0, turn_id=d["turn_id"], started_at=event.at))
            if session.paused_since is not None:
                # A pause that began between rounds only counts against this round from its start.
                session.paused_since = event.at
        case EventType.card_revealed:
            session.rounds[d["round"] - 1].card_revealed = True
        case EventType.response_recorded:
            _turn(session, d)[1].response = d["text"]
        case EventType.note_recorded:
            _set_note(_turn(session, d)[1].notes, d)
        case EventType.round_note_recorded:
            _set_note(session.rounds[d["round"] - 1].notes, d)
        case EventType.rating_recorded:
            _apply_rating(session, event)
        case EventType.tally_changed:
            turn = _turn(session, d)[1]
            turn.tallies[(d["rater"], d["tally_id"])] = int(d["count"])
        case EventType.move_marked:
            _turn(session, d)[1].move = None if d["move"] is None else ListenerMove(d["move"])
        case EventType.turn_confirmed:
            current, turn = _turn(session, d)
            turn.confirmed_at = event.at
            if d["next_turn_id"] is None:
                current.script_done = True
            else:
                following = TurnState(index=turn.index + 1, turn_id=d["next_turn_id"], started_at=event.at)
                current.turns.append(following)
        case EventType.paused:
            session.paused_since = event.at
        case EventType.unpaused:
            if d["round"] is not None:
                session.rounds[d["round"] - 1].paused_seconds += float(d["paused_seconds"])
            session.paused_since = None
        case EventType.reopened:
            session.rounds[d["round"] - 1].paused_seconds += float(d["paused_seconds"])
        case EventType.round_ended:
            current = session.rounds[d["round"] - 1]
            current.ended_at = event.at
            current.ended_early = bool(d["early"])
            current.paused_seconds += float(d.get("paused_seconds", 0.0))
            if session.paused_since is not None:
                session.paused_since = event.at  # the pause goes on, but no longer against this round
        case EventType.session_finished:
            session.finished_at = event.at
            session.paused_since = None
        case EventType.observation_recorded:
            _turn(session, d)[1].observed = ObservedRecord.from_payload(d)
        case EventType.turn_retried:
            _retry(_turn(session, d)[1], event.at)
        case _:  # a newer app's event: ignore rather than refuse to open the record
            return


def _set_note(notes: dict[str, str], d: dict) -> None:
    """A rater's note replaces their earlier one; an empty note clears it."""
    if d["text"]:
        notes[d["rater"]] = d["text"]
    else:
        notes.pop(d["rater"], None)


def _apply_rating(session: PracticeSession, event: Event) -> None:
    d = event.data
    current = session.rounds[d["round"] - 1]
    bucket = current.ratings if d["turn_index"] is None else current.turns[d["turn_index"]].ratings
    key = (d["rater"], d["criterion_id"])
    if d["value"] is None:
        bucket.pop(key, None)
    else:
        bucket[key] = RatingEntry(d["rater"], d["criterion_id"], int(d["value"]), d["note"], event.at)


def _retry(turn: TurnState, at: float) -> None:
    """Set the turn's current attempt aside (kept in ``attempts``) and start a fresh one."""
    turn.attempts.append(
        Attempt(len(turn.attempts) + 1, turn.response, turn.move, dict(turn.ratings), dict(turn.tallies),
                turn.observed, at)
    )
    turn.response, turn.move, turn.observed = None, None, None
    turn.ratings = {}
    turn.tallies = {}
