"""Headless practice-session core: roles and rotation, scenario flow, the session engine, scoring, debriefs.

Nothing in this package imports Textual. The Textual screens drive a :class:`PracticeSession` and render
the plain dataclasses it and :mod:`roleplay.session.debrief` return.

Public entry points:

- :mod:`roleplay.session.roles`: :class:`Role`, :class:`RoundRoles`, :func:`rotation`, :func:`shuffled`.
- :mod:`roleplay.session.flow`: :func:`first_turn`, :func:`next_turn`, :func:`linear_turns`.
- :mod:`roleplay.session.engine`: :class:`SessionConfig`, :class:`PracticeSession` and its state classes.
- :mod:`roleplay.session.scoring`: :func:`score_round`, :func:`compute_metrics`, :func:`observer_agreement`.
- :mod:`roleplay.session.debrief`: :func:`build_debrief`, :func:`listener_results` (reports render them:
  :mod:`roleplay.reports`).
- :mod:`roleplay.session.solo`: :class:`SoloRehearsal` (feedback cards in ``feedback``, the summary in
  ``solo_summary``, branch moves from the observer in ``moves``).
- :mod:`roleplay.session.compare`: the automatic observer beside a human observer (typed groups).
- :mod:`roleplay.session.progress`: history queries for the history screen.
"""

from roleplay.session.engine import Clock, EventStore, PracticeSession
from roleplay.session.roles import APP_SPEAKER, AUTO_RATER, Role, RosterError, RoundRoles, rotation, shuffled
from roleplay.session.state import (
    ListenerMode,
    Phase,
    RatingEntry,
    RoundState,
    SessionConfig,
    SessionError,
    SessionKind,
    TimerState,
    TurnState,
)
from roleplay.storage.events import EventType

__all__ = [
    "APP_SPEAKER",
    "AUTO_RATER",
    "Clock",
    "EventStore",
    "EventType",
    "ListenerMode",
    "Phase",
    "PracticeSession",
    "RatingEntry",
    "Role",
    "RosterError",
    "RoundRoles",
    "RoundState",
    "SessionConfig",
    "SessionError",
    "SessionKind",
    "TimerState",
    "TurnState",
    "rotation",
    "shuffled",
]
