"""Debriefs: a round's scores turned into words from the rubric's descriptors, strengths first.

A :class:`Debrief` is plain data; a screen or a report (:mod:`roleplay.reports`) renders it.

- Strengths: the best one to three rated criteria (relative to the scale, ties to the heavier weight,
  then rubric order) that reached above the scale's lowest level, each worded from the descriptor of
  the level reached (the highest scale level at or below the mean).
- Growth areas: one (two when four or more criteria were rated) of the lowest-scoring other criteria
  not already at the top level, each worded from the descriptor of the next level up, as something to
  try next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from roleplay.content.rubric import Criterion, Level, Rubric
from roleplay.content.scenario import Scenario
from roleplay.session.scoring import AgreementResult, CriterionScore, RoundScores, score_round
from roleplay.session.state import RoundState

if TYPE_CHECKING:
    from roleplay.session.engine import PracticeSession


@dataclass(frozen=True, slots=True)
class Point:
    """A strength or a growth area, tied to one criterion and one level's descriptor."""

    criterion_id: str
    name: str
    score: float
    """The criterion's mean rating this round."""
    level: int
    """Strength: the level reached. Growth area: the next level up, the one to aim for."""
    level_label: str
    descriptor: str
    """The rubric's descriptor of ``level`` (or the level's general meaning when there is none)."""
    text: str
    """One ready-to-show sentence."""


@dataclass(frozen=True, slots=True)
class ObserverNote:
    """A note a rater wrote: on a turn, on the whole round, or with a rating."""

    rater: str
    turn_index: int | None
    """0-based turn index, None for a note on the whole round or on a per-round rating."""
    criterion_id: str | None
    """The criterion when the note came with a rating."""
    text: str
    """Exactly as typed."""


@dataclass(frozen=True, slots=True)
class TurnDetail:
    """What happened on one turn of the round."""

    index: int
    turn_id: str
    line: str
    """The speaker's line."""
    response: str | None
    """The listener's response (typed, or jotted by an observer)."""
    move: str | None
    ratings: dict[str, dict[str, int]]
    """rater -> criterion id -> value."""
    tallies: dict[str, int]
    """Tally id -> total over the raters."""
    notes: list[ObserverNote]


@dataclass(frozen=True, slots=True)
class Debrief:
    """A round's debrief, ready to render."""

    round_number: int
    speaker: str
    listener: str
    raters: tuple[str, ...]
    ended_early: bool
    scores: RoundScores
    strengths: list[Point]
    """Best first; may be empty when nothing rated rose above the lowest level."""
    growth: list[Point]
    turns: list[TurnDetail]
    notes: list[ObserverNote]
    agreement: AgreementResult | None
    """Agreement between the two observers (groups of four)."""
    scenario_title: str = ""
    """What the round played: the scenario's title, with the part when it played one part."""

    @property
    def criteria(self) -> list[CriterionScore]:
        """Per-criterion scores, in rubric order."""
        return self.scores.criteria


def reached_level(scale: list[Level], mean: float) -> Level:
    """The highest scale level at or below ``mean`` (the lowest level if the mean is below all)."""
    levels = sorted(scale, key=lambda lv: lv.value)
    reached = levels[0]
    for level in levels:
        if level.value <= mean + 1e-9:
            reached = level
    return reached


def next_level(scale: list[Level], level: Level) -> Level | None:
    """The next level up the scale, or None at the top."""
    higher = sorted((lv for lv in scale if lv.value > level.value), key=lambda lv: lv.value)
    return higher[0] if higher else None


def _descriptor(criterion: Criterion, level: Level) -> str:
    return criterion.descriptors.get(level.value) or level.meaning or level.label


def _point(criterion: Criterion, score: float, level: Level, growth: bool) -> Point:
    descriptor = _descriptor(criterion, level)
    if growth:
        # "Would the speaker feel heard?, try for" reads badly: after a question or a full stop, a new sentence.
        joiner = " Try" if criterion.name.rstrip().endswith(("?", "!", ".")) else ", try"
        text = f"{criterion.name}{joiner} for {level.label}: {descriptor}"
    else:
        text = f"{criterion.name} ({level.label}): {descriptor}"
    return Point(criterion.id, criterion.name, score, level.value, level.label, descriptor, text)


def choose_points(rubric: Rubric, scores: list[CriterionScore]) -> tuple[list[Point], list[Point]]:
    """Pick and word the strengths and growth areas (see the module notes)."""
    by_id = {c.id: c for c in rubric.criteria}
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    values = [lv.value for lv in rubric.scale]
    low, high = min(values), max(values)
    rated = [s for s in scores if s.mean is not None and s.criterion_id in by_id]
    reached = {s.criterion_id: reached_level(rubric.scale, s.mean or 0.0) for s in rated}
    # Keep back one slot (two when four or more were rated) for growth, if anything is below the top.
    below_top = [s for s in rated if reached[s.criterion_id].value < high]
    growth_count = min(len(below_top), 0 if len(rated) <= 1 else 1 if len(rated) <= 3 else 2)
    best = sorted(rated, key=lambda s: (-(s.mean or 0.0), -s.weight, order[s.criterion_id]))
    # A strength is a level in the upper half of the scale: lower levels ("Partly there") describe what
    # to do next time, so they are growth areas, never "what went well".
    levels = sorted(values)
    upper = levels[len(levels) // 2] if len(levels) > 1 else high
    strength_scores = [s for s in best if reached[s.criterion_id].value >= max(upper, low + 1)]
    strength_scores = strength_scores[: max(1, min(3, len(rated) - growth_count))]
    taken = {s.criterion_id for s in strength_scores}
    candidates = sorted(
        (s for s in rated if s.criterion_id not in taken and reached[s.criterion_id].value < high),
        key=lambda s: (s.mean or 0.0, -s.weight, order[s.criterion_id]),
    )
    strengths = [
        _point(by_id[s.criterion_id], s.mean or 0.0, reached[s.criterion_id], growth=False)
        for s in strength_scores
    ]
    growth = []
    for s in candidates[:growth_count]:
        target = next_level(rubric.scale, reached[s.criterion_id])
        if target is not None:
            growth.append(_point(by_id[s.criterion_id], s.mean or 0.0, target, growth=True))
    return strengths, growth


def _notes_for(round_state: RoundState) -> list[ObserverNote]:
    notes: list[ObserverNote] = []
    for turn in round_state.turns:
        notes.extend(ObserverNote(rater, turn.index, None, text) for rater, text in turn.notes.items())
        notes.extend(
            ObserverNote(e.rater, turn.index, e.criterion_id, e.note) for e in turn.ratings.values() if e.note
        )
    notes.extend(
        ObserverNote(e.rater, None, e.criterion_id, e.note) for e in round_state.ratings.values() if e.note
    )
    notes.extend(ObserverNote(rater, None, None, text) for rater, text in round_state.notes.items())
    return notes


def _turn_details(scenario: Scenario, round_state: RoundState, raters: tuple[str, ...]) -> list[TurnDetail]:
    lines = {t.id: t.line for t in scenario.turns}
    details = []
    for turn in round_state.turns:
        ratings: dict[str, dict[str, int]] = {}
        for (rater, criterion_id), entry in turn.ratings.items():
            ratings.setdefault(rater, {})[criterion_id] = entry.value
        tallies: dict[str, int] = {}
        for (rater, tally_id), count in turn.tallies.items():
            if rater in raters:
                tallies[tally_id] = tallies.get(tally_id, 0) + count
        notes = [n for n in _notes_for(round_state) if n.turn_index == turn.index]
        details.append(
            TurnDetail(turn.index, turn.turn_id, lines.get(turn.turn_id, ""), turn.response,
                       None if turn.move is None else str(turn.move), ratings, tallies, notes)
        )
    return details


def build_debrief(rubric: Rubric, scenario: Scenario, round_state: RoundState) -> Debrief:
    """The debrief for one round, from its raters' ratings (the automatic observer never counts)."""
    scores = score_round(rubric, round_state)
    strengths, growth = choose_points(rubric, scores.criteria)
    return Debrief(
        round_number=round_state.number,
        speaker=round_state.roles.speaker,
        listener=round_state.roles.listener,
        raters=scores.raters,
        ended_early=round_state.ended_early,
        scores=scores,
        strengths=strengths,
        growth=growth,
        turns=_turn_details(scenario, round_state, scores.raters),
        notes=_notes_for(round_state),
        agreement=scores.agreement,
        scenario_title=scenario.title,
    )


def round_debrief(session: PracticeSession, round_number: int) -> Debrief:
    """Convenience: the debrief of round ``round_number`` (1-based) of a session."""
    return build_debrief(session.rubric, session.scenario_for(round_number), session.rounds[round_number - 1])


@dataclass(frozen=True, slots=True)
class ListenerResult:
    """One person's results from the round in which they were the listener."""

    name: str
    round_number: int
    played: bool
    """False when the round was never started."""
    scores: RoundScores | None


def listener_results(session: PracticeSession) -> list[ListenerResult]:
    """Each round's listener with their scores, in round order (for the side-by-side summary)."""
    results = []
    for round_state in session.rounds:
        played = round_state.started
        scenario = session.scenario_for(round_state.number)
        scores = build_debrief(session.rubric, scenario, round_state).scores if played else None
        results.append(ListenerResult(round_state.roles.listener, round_state.number, played, scores))
    return results
