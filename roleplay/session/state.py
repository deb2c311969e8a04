"""Plain state objects of a practice session: its configuration, rounds, turns, ratings and timer.

These are what the engine builds by applying events and what screens read. Screens must treat them as
read-only: every change goes through a :class:`roleplay.session.engine.PracticeSession` action, so it is
saved before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import ListenerMove, Scenario
from roleplay.session.plan import RoundPlay
from roleplay.session.roles import RoundRoles


class ListenerMode(StrEnum):
    """How the listener responds."""

    spoken = "spoken"
    """The listener talks; an observer may jot down what was said."""
    typed = "typed"
    """The listener types each response."""


class SessionKind(StrEnum):
    """Group practice (2-4 people) or solo rehearsal with the app as speaker."""

    group = "group"
    solo = "solo"


class Phase(StrEnum):
    """Where a session is, so a screen (or a resume) knows what to show."""

    agreement = "agreement"
    """The comfort agreement has not been acknowledged yet."""
    ready = "ready"
    """Ready to start the next round (before the first, or after a round's debrief)."""
    playing = "playing"
    """A round is in play (its ``current_turn`` is None once the script is over: per-round ratings)."""
    done = "done"
    """Every round has ended; the summary is due and :meth:`finish` not yet called."""
    finished = "finished"
    """The session is closed."""


class SessionError(ValueError):
    """An action that does not fit the session's state; the message explains why in plain words."""


@dataclass(frozen=True, slots=True)
class SessionConfig:
    """Everything chosen at set-up. The scenario and rubric are snapshotted into the session's record."""

    names: tuple[str, ...]
    """The people, in rotation order (1 name for solo, 2-4 for a group)."""
    scenario: Scenario
    """The scenario chosen at set-up: round 1's, and every round's when ``plays`` is empty."""
    rubric: Rubric
    """The rubric the raters use."""
    agreement_id: str = "default"
    """The id of the comfort agreement shown before play."""
    mode: ListenerMode = ListenerMode.spoken
    """Spoken or typed listener responses."""
    minutes: int = 10
    """Minutes per round, for the timer (the timer warns, it never ends a turn)."""
    kind: SessionKind = SessionKind.group
    """Group practice or solo rehearsal."""
    plays: tuple[RoundPlay, ...] = ()
    """What each round plays, by round number (see :mod:`roleplay.session.plan`); empty: ``scenario``
    whole in every round (solo rehearsal, and sessions saved before rounds could differ)."""


@dataclass(slots=True)
class RatingEntry:
    """One rater's rating of one criterion (for one turn, or for the round)."""

    rater: str
    criterion_id: str
    value: int
    """A value of the rubric's scale."""
    note: str | None
    """An optional short note, stored exactly as typed."""
    at: float


@dataclass(frozen=True, slots=True)
class ObservedRecord:
    """What the automatic observer concluded about a turn's response, stored with the response when it
    was first shown (``observation_recorded``), so a debrief or report shows that view even after the
    observer's rules change. Records saved before observations were stored in full have only the first
    four fields (``observer`` is None); their remaining parts are worked out again when needed.
    """

    label: str
    """The observer's label (``reflection``, ``question_open``, ...)."""
    subtype: str | None
    """``simple`` or ``complex`` for a reflection."""
    confidence: float
    behaviours: tuple[str, ...]
    """The MITI-style behaviour codes found (``question_open``, ``reflection_complex``...), sorted."""
    signals: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    """Everything it noticed: (signal name, the response's words that showed it, detail)."""
    ratings: tuple[tuple[str, int, str], ...] = ()
    """Its rating of each criterion it can rate, per-turn and per-round: (criterion id, value, reason)."""
    tallies: tuple[tuple[str, int], ...] = ()
    """The rubric's automatic tallies it counted (non-zero only): (tally id, count)."""
    move: str | None = None
    """The listener move it detected (decides a branch)."""
    move_reason: str = ""
    """Why, in plain words (``advice ('have you tried')``)."""
    branched: bool = False
    """True when the turn had a branch for the move."""
    measures: tuple[tuple[str, float], ...] = ()
    """The observation's counts and ratios (key points and feelings found, overlap, length, words)."""
    observer: str | None = None
    """The observer's version (:func:`roleplay.observer.version.observer_version`); None for a record
    saved before observations were stored in full."""

    @property
    def complete(self) -> bool:
        """True when the whole observation was stored (not only label, subtype, confidence, codes)."""
        return self.observer is not None

    def payload(self) -> dict[str, Any]:
        """The JSON-ready event payload members (``observation_recorded``)."""
        out: dict[str, Any] = {"label": self.label, "subtype": self.subtype, "confidence": self.confidence,
                               "behaviours": list(self.behaviours)}
        if self.complete:
            out.update(
                signals=[[name, list(evidence), detail] for name, evidence, detail in self.signals],
                ratings=[[cid, value, reason] for cid, value, reason in self.ratings],
                tallies=dict(self.tallies), move=self.move, move_reason=self.move_reason,
                branched=self.branched, measures=dict(self.measures), observer=self.observer,
            )
        return out

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> ObservedRecord:
        """The record in a stored ``observation_recorded`` payload (older, shorter payloads included)."""
        return cls(
            d["label"], d["subtype"], float(d["confidence"]), tuple(d["behaviours"]),
            signals=tuple((str(n), tuple(e), str(detail)) for n, e, detail in d.get("signals", ())),
            ratings=tuple((str(c), int(v), str(r)) for c, v, r in d.get("ratings", ())),
            tallies=tuple((str(k), int(v)) for k, v in d.get("tallies", {}).items()),
            move=d.get("move"), move_reason=str(d.get("move_reason", "")), branched=bool(d.get("branched")),
            measures=tuple((str(k), float(v)) for k, v in d.get("measures", {}).items()),
            observer=d.get("observer"),
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """An earlier attempt at a turn, kept when the listener chose "try again" (solo rehearsal)."""

    number: int
    """1-based attempt number on this turn."""
    response: str | None
    move: ListenerMove | None
    ratings: dict[tuple[str, str], RatingEntry]
    """The attempt's per-turn ratings keyed by (rater, criterion id); they no longer count in scores."""
    tallies: dict[tuple[str, str], int]
    observed: ObservedRecord | None
    retried_at: float
    """When "try again" set this attempt aside."""


@dataclass(slots=True)
class TurnState:
    """One speaker line said in a round, and what happened around it."""

    index: int
    """0-based position in the round (a turn id may recur if branches loop back)."""
    turn_id: str
    started_at: float
    response: str | None = None
    """The listener's response as typed, or as jotted by an observer in spoken mode."""
    move: ListenerMove | None = None
    """What the listener did, as marked (decides branches)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Observer notes on this turn by rater name."""
    ratings: dict[tuple[str, str], RatingEntry] = field(default_factory=dict)
    """Per-turn ratings keyed by (rater, criterion id)."""
    tallies: dict[tuple[str, str], int] = field(default_factory=dict)
    """Behaviour counts keyed by (rater, tally id); never below zero."""
    confirmed_at: float | None = None
    observed: ObservedRecord | None = None
    """The automatic observer's saved conclusion on the current response (solo, or typed groups)."""
    attempts: list[Attempt] = field(default_factory=list)
    """Earlier attempts set aside by "try again", oldest first; the fields above are the latest attempt,
    which is the one that counts in scores."""


@dataclass(slots=True)
class RoundState:
    """One round: who plays what, its turns and its timing."""

    number: int
    """1-based round number."""
    roles: RoundRoles
    started_at: float | None = None
    ended_at: float | None = None
    ended_early: bool = False
    """True when the round was stopped before the script was over."""
    card_revealed: bool = False
    """Whether the speaker has revealed their persona card this round."""
    paused_seconds: float = 0.0
    """Time spent paused while this round was in play (excluded from the timer)."""
    turns: list[TurnState] = field(default_factory=list)
    ratings: dict[tuple[str, str], RatingEntry] = field(default_factory=dict)
    """Per-round ratings keyed by (rater, criterion id)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Raters' notes on the whole round by rater name (a turn's notes are on the turn)."""
    script_done: bool = False
    """True once the last turn of the script has been confirmed."""

    @property
    def started(self) -> bool:
        """Whether the round has begun."""
        return self.started_at is not None

    @property
    def ended(self) -> bool:
        """Whether the round is over."""
        return self.ended_at is not None

    @property
    def playing(self) -> bool:
        """Whether the round is in play now."""
        return self.started and not self.ended

    @property
    def current_turn(self) -> TurnState | None:
        """The unconfirmed turn being played, or None."""
        if self.turns and self.turns[-1].confirmed_at is None and not self.ended:
            return self.turns[-1]
        return None


@dataclass(frozen=True, slots=True)
class TimerState:
    """The round timer at one moment; computed, never stored."""

    total: float
    """Seconds allotted to the round."""
    elapsed: float
    """Seconds in play so far, pauses excluded."""
    remaining: float
    """Seconds left; negative once over time (the round goes on until someone ends it)."""
    paused: bool
    near_end: bool
    """True when at most a minute, or 20% of the round if that is less, remains; stays True over time."""

    @property
    def overtime(self) -> bool:
        """Whether the allotted time has run out."""
        return self.remaining <= 0

    def clock_text(self) -> str:
        """Remaining time as ``m:ss`` (``+m:ss`` once over time)."""
        seconds = int(abs(self.remaining))
        sign = "+" if self.remaining < 0 else ""
        return f"{sign}{seconds // 60}:{seconds % 60:02d}"
