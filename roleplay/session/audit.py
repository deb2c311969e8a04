"""Checking a stored or handed-in event log against the rules the app plays by.

A log that replays is not yet a log the app could have written: an edited export (its checksum
recomputed) may rate 99 on a 1-4 scale, or name a rater who is not in the session, and replaying would
accept it. :func:`check_events` therefore plays the log again *as actions*: each event becomes the
engine call that writes it (``rating_recorded`` -> :meth:`PracticeSession.rate`, ...), made on a fresh
session with a clock that reads the event's time, and the event the engine writes must be exactly the
stored one. Every check the app makes (scale levels, who may rate, the turn in play, text length, the
phase of the session) is thus made by the app's own code, and so is every field the engine derives.

It takes plain events and touches no storage, so it can stand in front of any write path (import now,
another backend later).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from roleplay.content.scenario import ListenerMove
from roleplay.session.engine import PracticeSession
from roleplay.session.replay import config_from_data
from roleplay.session.state import ObservedRecord, SessionError
from roleplay.storage.events import Event, EventType

#: The snapshots in ``session_created`` are checked by validating them as models, not by comparing dumps
#: (an older app may have written a field or default differently).
_SNAPSHOT_KEYS = ("scenario", "rubric", "round_scenarios")


class EventRejected(Exception):
    """An event the app could not have written; ``str(error)`` names it and says why."""

    def __init__(self, event: Event, reason: str) -> None:
        """Name the event (its number and type) and the reason."""
        super().__init__(f"event {event.seq} ({event.type}): {reason}")
        self.event = event
        self.reason = reason


class _Capture:
    """A sink that keeps only what the last action wrote (a log of 100,000 events stays linear)."""

    def __init__(self) -> None:
        self.written: list[Event] = []

    def append_event(self, session_id: str, event: Event) -> None:
        self.written.append(event)


@dataclass
class _Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def _index(d: dict[str, Any]) -> int | None:
    value = d.get("turn_index")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise SessionError("the turn number is not a whole number")
    return value


def _int(d: dict[str, Any], key: str) -> Any:
    value = d[key]
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise SessionError(f"'{key}' is not a whole number")
    return value


def _text(d: dict[str, Any], key: str) -> Any:
    value = d[key]
    if value is not None and not isinstance(value, str):
        raise SessionError(f"'{key}' is not text")
    return value


#: Each event type as the engine action that writes it.
_ACTIONS: dict[str, Callable[[PracticeSession, dict[str, Any]], Any]] = {
    EventType.rotation_set: lambda s, d: s.set_order(list(d["order"])),
    EventType.agreement_acknowledged: lambda s, d: s.acknowledge_agreement(),
    EventType.round_started: lambda s, d: s.start_round(),
    EventType.card_revealed: lambda s, d: s.reveal_card(),
    EventType.response_recorded: lambda s, d: s.record_response(_text(d, "text"), _index(d)),
    EventType.note_recorded: lambda s, d: s.record_note(_text(d, "rater"), _text(d, "text"), _index(d)),
    EventType.round_note_recorded: lambda s, d: s.record_round_note(_text(d, "rater"), _text(d, "text")),
    EventType.rating_recorded: lambda s, d: s.rate(_text(d, "rater"), _text(d, "criterion_id"), _int(d, "value"),
                                                   _text(d, "note"), _index(d)),
    EventType.tally_changed: lambda s, d: s.change_tally(_text(d, "rater"), _text(d, "tally_id"), _int(d, "delta"),
                                                         _index(d)),
    EventType.move_marked: lambda s, d: s.mark_move(None if d["move"] is None else ListenerMove(d["move"]),
                                                    _index(d)),
    EventType.turn_confirmed: lambda s, d: s.confirm_turn(),
    EventType.paused: lambda s, d: s.pause(),
    EventType.unpaused: lambda s, d: s.unpause(),
    EventType.reopened: lambda s, d: s.reopen(),
    EventType.round_ended: lambda s, d: s.end_round(),
    EventType.session_finished: lambda s, d: s.finish(),
    EventType.observation_recorded: lambda s, d: s.record_observation(ObservedRecord.from_payload(d), _index(d)),
    EventType.turn_retried: lambda s, d: s.retry_turn(),
}


def check_events(events: Sequence[Event]) -> PracticeSession:
    """Replay ``events`` as the app's own actions; the session they build, or :class:`EventRejected` for
    the first event the app could not have written."""
    if not events:
        raise SessionError("the log has no events")
    sink, clock = _Capture(), _Clock()
    session: PracticeSession | None = None
    for event in events:
        clock.now = event.at
        sink.written.clear()
        try:
            if session is None:
                session = _create(event, sink, clock)
            else:
                action = _ACTIONS.get(event.type)
                if action is None:
                    raise SessionError("not an event this version of roleplay writes")
                action(session, event.data)
        except EventRejected:
            raise
        except SessionError as error:
            raise EventRejected(event, str(error).rstrip(".")) from error
        except (KeyError, TypeError, ValueError, IndexError, ValidationError) as error:
            first = str(error).splitlines()[0] if str(error) else ""
            detail = f"'{error.args[0]}' is missing" if isinstance(error, KeyError) else f"{type(error).__name__}: "
            detail += "" if isinstance(error, KeyError) else first
            raise EventRejected(event, f"its data is malformed ({detail})") from error
        _same(event, sink.written)
    assert session is not None
    return session


def first_bad_event(events: Sequence[Event]) -> EventRejected | None:
    """The first event of ``events`` the app could not have written (see :func:`check_events`), or None."""
    try:
        check_events(events)
    except EventRejected as bad:
        return bad
    except SessionError as error:
        return EventRejected(Event(0, "none", 0.0), str(error))
    return None


def _session_id(events: Sequence[Event]) -> str:
    return str(events[0].data.get("session_id"))


def _create(event: Event, sink: _Capture, clock: _Clock) -> PracticeSession:
    if event.type != EventType.session_created:
        raise SessionError("the first event must create the session")
    config = config_from_data(event.data)
    return PracticeSession.create(config, sink, clock=clock, session_id=_session_id([event]))


def _same(stored: Event, written: list[Event]) -> None:
    """The engine must have written exactly the stored event: same type, time and data."""
    if not written:
        raise EventRejected(stored, "the app would record nothing here (it changes nothing)")
    if len(written) > 1 or written[0].type != stored.type:
        raise EventRejected(stored, f"the app would record {', '.join(e.type for e in written)} here")
    mine, theirs = written[0].data, stored.data
    if stored.type == EventType.session_created:
        mine = {k: v for k, v in mine.items() if k not in _SNAPSHOT_KEYS}
        theirs = {k: v for k, v in theirs.items() if k not in _SNAPSHOT_KEYS}
    if mine != theirs:
        keys = sorted(k for k in set(mine) | set(theirs) if mine.get(k, ...) != theirs.get(k, ...))
        raise EventRejected(stored, f"does not match what the app records for it ({', '.join(map(str, keys))})")
