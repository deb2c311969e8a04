"""The event record: one user action, as stored in the append-only ``events`` table.

Events are the source of truth for a session. The engine writes one per action and rebuilds a session by
replaying them; the normalised tables (sessions, rounds, turns, ratings, ...) are projections of them,
written in the same transaction, for fast queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

#: The automatic observer's rater id: how its ratings, counts and notes are told apart from people's.
AUTO_RATER = "auto-observer"


class EventType(StrEnum):
    """The kinds of event a session writes (``Event.type``); replay and the projections switch on it."""

    session_created = "session_created"
    rotation_set = "rotation_set"
    agreement_acknowledged = "agreement_acknowledged"
    round_started = "round_started"
    card_revealed = "card_revealed"
    response_recorded = "response_recorded"
    note_recorded = "note_recorded"
    round_note_recorded = "round_note_recorded"
    """A rater's free note on the whole round (``round``, ``rater``, ``text``; empty text clears it)."""
    rating_recorded = "rating_recorded"
    tally_changed = "tally_changed"
    move_marked = "move_marked"
    turn_confirmed = "turn_confirmed"
    paused = "paused"
    unpaused = "unpaused"
    round_ended = "round_ended"
    session_finished = "session_finished"
    observation_recorded = "observation_recorded"
    turn_retried = "turn_retried"
    reopened = "reopened"
    """The app came back to a session in play: ``paused_seconds`` it was away count as paused."""

    @classmethod
    def of(cls, event: Event) -> EventType | None:
        """The event's type, or None for a type this version does not know (a newer app's event)."""
        try:
            return cls(event.type)
        except ValueError:
            return None


def new_event_id() -> str:
    """A fresh, globally unique event id (32 hex digits)."""
    return uuid.uuid4().hex


def legacy_event_id(session_id: str, seq: int) -> str:
    """The stable id of an event stored before events had ids (or imported from a file without them):
    the same on every copy of the data, so copying or importing twice adds nothing."""
    return f"{session_id}:{seq}"


@dataclass(frozen=True, slots=True)
class Event:
    """One action in a session."""

    seq: int
    """Position in the session's event log, from 1 with no gaps."""
    type: str
    """What happened, e.g. ``rating_recorded`` (an :class:`EventType` value)."""
    at: float
    """When it happened, in seconds since the epoch, from the session's clock."""
    data: dict[str, Any] = field(default_factory=dict)
    """The details, JSON-serialisable."""
    id: str = field(default_factory=new_event_id, compare=False)
    """Stable and unique across databases: writing an event whose id is stored already changes nothing,
    so a writer that lost its connection mid-write can simply send it again. Not compared: two events
    with the same content are equal whatever their ids."""


class EventSink(Protocol):
    """Where a session writes its events; the write must be durable when the call returns."""

    def append_event(self, session_id: str, event: Event) -> None:
        """Store ``event`` durably (its own transaction); raise to refuse it, leaving no trace."""
        ...


class MemorySink:
    """An in-memory event sink for tests and previews: keeps events per session in lists."""

    def __init__(self) -> None:
        """Start with no sessions."""
        self.events: dict[str, list[Event]] = {}

    def append_event(self, session_id: str, event: Event) -> None:
        """Keep the event in memory."""
        self.events.setdefault(session_id, []).append(event)

    def load_events(self, session_id: str) -> list[Event]:
        """The session's events in order (a copy)."""
        return list(self.events.get(session_id, []))
