"""A plain, complete record of one stored session, built by replaying its events: what every report renders.

The record is frozen dataclasses of strings, numbers and tuples only, so it can be anonymised by a generic
walk (:mod:`roleplay.reports.anonymize`) and turned into JSON with :func:`dataclasses.asdict`. Scores and
debrief texts come from the session core (:func:`roleplay.session.debrief.build_debrief`), so a report
always agrees with what the app showed after each round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from roleplay.content.names import tally_name
from roleplay.content.scenario import Scenario
from roleplay.session.debrief import build_debrief
from roleplay.session.engine import PracticeSession
from roleplay.session.plan import join_titles
from roleplay.session.scoring import AgreementResult, CriterionScore
from roleplay.session.solo_summary import build_summary
from roleplay.session.state import RatingEntry, RoundState
from roleplay.storage.events import Event, MemorySink
from roleplay.storage.gate import PracticeStore


@dataclass(frozen=True, slots=True)
class LevelInfo:
    """One point of the rubric's scale."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    """One rubric criterion as it was when the session was played."""

    id: str
    name: str
    description: str
    scope: str
    """``per_turn`` or ``per_round``."""
    weight: float


@dataclass(frozen=True, slots=True)
class RubricInfo:
    """The parts of the rubric snapshot a report needs."""

    id: str
    title: str
    scale: tuple[LevelInfo, ...]
    criteria: tuple[CriterionInfo, ...]

    def label(self, value: int) -> str:
        """The scale label for ``value`` (empty when the value is not on the scale)."""
        return next((lv.label for lv in self.scale if lv.value == value), "")

    @property
    def scale_max(self) -> int:
        """The top value of the scale."""
        return max(lv.value for lv in self.scale)

    @property
    def scale_min(self) -> int:
        """The bottom value of the scale."""
        return min(lv.value for lv in self.scale)


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """The parts of the scenario snapshot a report shows (never the trainer notes)."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    difficulty: str
    persona: str
    """The name of the character the speaker plays (a scripted person, not a trainee)."""


@dataclass(frozen=True, slots=True)
class RatingRecord:
    """One rating one rater gave (the unit of the CSV report)."""

    round: int
    turn_index: int | None
    """0-based turn index, None for a per-round rating."""
    turn_id: str | None
    rater: str
    listener: str
    criterion_id: str
    criterion_name: str
    value: int
    level_label: str
    note: str | None
    """Exactly as typed."""
    at: float


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A free note a rater wrote on a turn, or on the whole round."""

    rater: str
    text: str


@dataclass(frozen=True, slots=True)
class TallyRecord:
    """One rater's count of one behaviour on a turn."""

    rater: str
    tally_id: str
    name: str
    """The tally's name as the counts panel shows it."""
    count: int


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One speaker line in a round and what happened around it."""

    index: int
    turn_id: str
    line: str
    response: str | None
    move: str | None
    ratings: tuple[RatingRecord, ...]
    notes: tuple[NoteRecord, ...]
    tallies: tuple[TallyRecord, ...]
    started_at: float
    confirmed_at: float | None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """A criterion's score for the round's listener (mean over the round's human raters)."""

    criterion_id: str
    name: str
    mean: float | None
    count: int
    band: str | None = None
    """``good``, ``fair`` or ``below`` when the rubric gives the criterion thresholds."""


@dataclass(frozen=True, slots=True)
class MetricRecord:
    """A tally metric for the round (e.g. reflection-to-question ratio)."""

    metric_id: str
    name: str
    text: str
    """As people read it: ``2.0:1``, ``50%`` or ``n/a``."""
    value: float | None
    band: str | None
    numerator: int
    denominator: int


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """One round: roles, transcript, ratings, scores and debrief text."""

    number: int
    scenario: ScenarioInfo
    """The scenario this round played from (as a whole, even when the round played one part)."""
    part: int | None
    """The 1-based part of the scenario played, or None for the whole scenario."""
    scenario_label: str
    """What the round played as people see it: the title, with the part (``Title, part 2 of 3: ...``)."""
    speaker: str
    listener: str
    observers: tuple[str, ...]
    raters: tuple[str, ...]
    played: bool
    started_at: float | None
    ended_at: float | None
    ended_early: bool
    paused_seconds: float
    turns: tuple[TurnRecord, ...]
    round_ratings: tuple[RatingRecord, ...]
    """Per-round ratings (e.g. "speaker leads")."""
    round_notes: tuple[NoteRecord, ...]
    """Raters' notes on the whole round (a turn's notes are on its :class:`TurnRecord`)."""
    criteria: tuple[CriterionResult, ...]
    overall: float | None
    metrics: tuple[MetricRecord, ...]
    strengths: tuple[str, ...]
    growth: tuple[str, ...]
    agreement: AgreementResult | None
    """How closely the two observers agreed (groups of four), as the debrief showed it."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """Everything a report shows about one session."""

    id: str
    status: str
    """``active``, ``finished`` or ``abandoned``."""
    kind: str
    mode: str
    minutes: int
    agreement_id: str
    agreement_acknowledged: bool
    created_at: float
    finished_at: float | None
    people: tuple[str, ...]
    """In rotation order."""
    scenario: ScenarioInfo
    """The scenario chosen at set-up (round 1's); each round's own is in ``rounds``."""
    rubric: RubricInfo
    rounds: tuple[RoundRecord, ...]

    @property
    def varied(self) -> bool:
        """Whether the rounds played different scenarios or parts."""
        return len({(r.scenario.id, r.part) for r in self.rounds}) > 1

    @property
    def title(self) -> str:
        """The session's title: its scenario's, or every scenario its rounds played (``A, B and C``)."""
        return join_titles([r.scenario.title for r in self.rounds] or [self.scenario.title])

    def ratings(self) -> list[RatingRecord]:
        """Every rating in the session, round by round, per-turn ratings before per-round ones."""
        found: list[RatingRecord] = []
        for r in self.rounds:
            for turn in r.turns:
                found.extend(turn.ratings)
            found.extend(r.round_ratings)
        return found

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data (tuples become lists)."""
        return dataclasses.asdict(self)


def _rating(entry: RatingEntry, round_state: RoundState, turn_index: int | None, turn_id: str | None,
            rubric: RubricInfo) -> RatingRecord:
    names = {c.id: c.name for c in rubric.criteria}
    return RatingRecord(
        round=round_state.number, turn_index=turn_index, turn_id=turn_id, rater=entry.rater,
        listener=round_state.roles.listener, criterion_id=entry.criterion_id,
        criterion_name=names.get(entry.criterion_id, entry.criterion_id), value=entry.value,
        level_label=rubric.label(entry.value), note=entry.note, at=entry.at,
    )


def _notes(notes: dict[str, str]) -> tuple[NoteRecord, ...]:
    return tuple(NoteRecord(rater, text) for rater, text in sorted(notes.items()))


def _criterion_result(score: CriterionScore) -> CriterionResult:
    return CriterionResult(score.criterion_id, score.name, score.mean, score.count,
                           None if score.band is None else str(score.band))


def _sorted_ratings(entries: Sequence[RatingEntry], criteria_order: dict[str, int]) -> list[RatingEntry]:
    # Stable, readable order: by rater, then rubric order, whatever order they were typed in.
    return sorted(entries, key=lambda e: (e.rater, criteria_order.get(e.criterion_id, 999), e.criterion_id))


def _round_record(session: PracticeSession, round_state: RoundState, rubric: RubricInfo) -> RoundRecord:
    roles = round_state.roles
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    scenario = session.scenario_for(round_state.number)
    play = session.play_for(round_state.number)
    lines = {t.id: t.line for t in scenario.turns}
    turns = tuple(
        TurnRecord(
            index=turn.index, turn_id=turn.turn_id, line=lines.get(turn.turn_id, ""), response=turn.response,
            move=None if turn.move is None else str(turn.move),
            ratings=tuple(_rating(e, round_state, turn.index, turn.turn_id, rubric)
                          for e in _sorted_ratings(list(turn.ratings.values()), order)),
            notes=_notes(turn.notes),
            tallies=tuple(TallyRecord(rater, tally_id, tally_name(session.rubric, tally_id), count)
                          for (rater, tally_id), count in sorted(turn.tallies.items()) if count),
            started_at=turn.started_at, confirmed_at=turn.confirmed_at,
        )
        for turn in round_state.turns
    )
    round_ratings = tuple(_rating(e, round_state, None, None, rubric)
                          for e in _sorted_ratings(list(round_state.ratings.values()), order))
    criteria: tuple[CriterionResult, ...] = ()
    metrics: tuple[MetricRecord, ...] = ()
    strengths: tuple[str, ...] = ()
    growth: tuple[str, ...] = ()
    overall = None
    agreement = None
    if round_state.started and str(session.config.kind) == "solo":
        # Solo: the automatic observer is the observer, as in the app's own summary (which these are):
        # the person's self-ratings alone would leave every observer-rated criterion without a score.
        summary = build_summary(session.id, roles.listener, session.rubric, scenario.id, round_state,
                                session.created_at)
        criteria = tuple(_criterion_result(c) for c in summary.scores.criteria)
        metrics = tuple(
            MetricRecord(m.metric_id, m.name, m.text, m.value, None if m.band is None else str(m.band),
                         m.numerator, m.denominator)
            for m in summary.metrics
        )
        strengths = tuple(p.text for p in summary.strengths)
        growth = tuple(p.text for p in summary.growth)
        overall = summary.scores.overall
    elif round_state.started:
        debrief = build_debrief(session.rubric, scenario, round_state)
        criteria = tuple(_criterion_result(c) for c in debrief.criteria)
        metrics = tuple(
            MetricRecord(m.metric_id, m.name, m.text, m.value, None if m.band is None else str(m.band),
                         m.numerator, m.denominator)
            for m in debrief.scores.metrics
        )
        strengths = tuple(p.text for p in debrief.strengths)
        growth = tuple(p.text for p in debrief.growth)
        overall = debrief.scores.overall
        agreement = debrief.agreement
    return RoundRecord(
        number=round_state.number, scenario=_scenario_info(play.scenario),
        part=None if play.part is None else play.part + 1, scenario_label=play.label, speaker=roles.speaker,
        listener=roles.listener, observers=roles.observers, raters=roles.raters, played=round_state.started,
        started_at=round_state.started_at, ended_at=round_state.ended_at, ended_early=round_state.ended_early,
        paused_seconds=round_state.paused_seconds, turns=turns, round_ratings=round_ratings,
        round_notes=_notes(round_state.notes), criteria=criteria,
        overall=overall, metrics=metrics, strengths=strengths, growth=growth, agreement=agreement,
    )


def _scenario_info(scenario: Scenario) -> ScenarioInfo:
    return ScenarioInfo(scenario.id, scenario.title, scenario.summary, tuple(scenario.tags),
                        str(scenario.difficulty), scenario.persona.name)


def record_from_session(session: PracticeSession, status: str | None = None) -> SessionRecord:
    """The record of a (replayed or live) session; ``status`` overrides finished/active (e.g. abandoned)."""
    rubric = session.rubric
    info = RubricInfo(
        id=rubric.id, title=rubric.title,
        scale=tuple(LevelInfo(lv.value, lv.label) for lv in sorted(rubric.scale, key=lambda lv: lv.value)),
        criteria=tuple(CriterionInfo(c.id, c.name, c.description, str(c.scope), c.weight)
                       for c in rubric.criteria),
    )
    return SessionRecord(
        id=session.id,
        status=status or ("finished" if session.finished else "active"),
        kind=str(session.config.kind), mode=str(session.config.mode), minutes=session.config.minutes,
        agreement_id=session.config.agreement_id, agreement_acknowledged=session.agreement_acknowledged,
        created_at=session.created_at, finished_at=session.finished_at, people=tuple(session.order),
        scenario=_scenario_info(session.config.scenario),
        rubric=info,
        rounds=tuple(_round_record(session, r, info) for r in session.rounds),
    )


def record_from_events(events: Sequence[Event], status: str | None = None) -> SessionRecord:
    """Replay ``events`` (into a throw-away sink, so nothing is written) and build the record."""
    return record_from_session(PracticeSession.from_events(events, MemorySink()), status)


def load_record(store: PracticeStore, session_id: str) -> SessionRecord:
    """The record of a stored session; raises ``SessionNotFoundError`` for an unknown id."""
    summary = store.session_summary(session_id)
    return record_from_events(store.load_events(session_id), summary.status)
