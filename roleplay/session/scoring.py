"""Scores for one round: per-criterion means, a weighted overall score, tally metrics, rater agreement.

Definitions (the tests check them against hand-computed values):

- A ``per_turn`` criterion's score is the mean of every rating given for it in the round, over all the
  listener's turns and all the chosen raters. A ``per_round`` criterion's score is the mean of the raters'
  single ratings. Unrated criteria score None and are left out of the overall score. A criterion with
  thresholds gets a band (``good`` at or above its good level, ``fair`` at or above fair, else ``below``).
- The overall score is the weight-averaged mean of the criterion scores: sum(w * score) / sum(w).
- A metric is sum(numerator tallies) / sum(denominator tallies) over the round (and raters), times 100
  for a ``percent`` metric; None when the denominator is 0. Its band is ``good`` at or above the good
  threshold, ``fair`` at or above fair, else ``below``.
- Agreement between two raters covers the items both rated (a criterion on a turn, or a per-round
  criterion): percent exact agreement, percent within one level, and the mean absolute difference.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from roleplay.content.rubric import Metric, Rubric, Scope, Thresholds
from roleplay.session.roles import AUTO_RATER
from roleplay.session.state import RatingEntry, RoundState


class Band(StrEnum):
    """Where a metric sits against its thresholds."""

    good = "good"
    fair = "fair"
    below = "below"


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """One criterion's score in a round."""

    criterion_id: str
    name: str
    scope: Scope
    weight: float
    mean: float | None
    """The mean rating on the rubric's scale, or None when nobody rated it."""
    count: int
    """How many ratings the mean is over."""
    thresholds: Thresholds | None = None
    """The criterion's fair and good levels, when the rubric gives them."""

    @property
    def band(self) -> Band | None:
        """``good``, ``fair`` or ``below`` against the criterion's thresholds (None without both)."""
        return band(self.mean, self.thresholds)

    @property
    def band_text(self) -> str:
        """Where the score sits, as people read it: ``fair (fair from 3, good from 4)``, or empty."""
        if self.thresholds is None:
            return ""
        limits = f"fair from {self.thresholds.fair:g}, good from {self.thresholds.good:g}"
        word = {Band.good: "good", Band.fair: "fair", Band.below: "below fair"}.get(self.band) if self.band else None
        return f"{word} ({limits})" if word else f"({limits})"


@dataclass(frozen=True, slots=True)
class MetricResult:
    """A tally metric for a round."""

    metric_id: str
    name: str
    kind: str
    """``ratio`` or ``percent``."""
    numerator: int
    denominator: int
    value: float | None
    """In the metric's units (a percent as 50.0); None when the denominator is 0."""
    band: Band | None
    """None when the metric has no thresholds or no value."""
    thresholds: Thresholds | None = None

    @property
    def text(self) -> str:
        """The value as people read it: ``2.0:1``, ``50%`` or ``n/a``."""
        if self.value is None:
            return "n/a"
        return f"{self.value:.0f}%" if self.kind == "percent" else f"{self.value:.1f}:1"

    @property
    def plain(self) -> str:
        """The value, or when there is none (nothing below the line) what was counted, in plain words:
        "7 reflections and no questions, so no ratio yet" rather than "n/a [7/0]"."""
        if self.value is not None:
            return self.text
        top, bottom = _METRIC_WORDS.get(self.metric_id, ("counted", "to compare with"))
        if self.numerator == 0:
            return f"nothing counted yet (no {bottom})"
        what = "ratio" if self.kind == "ratio" else "percentage"
        return f"{count_words(self.numerator, top)} and no {bottom}, so no {what} yet"


# What the two sides of the standard metrics count, for :attr:`MetricResult.plain`.
_METRIC_WORDS = {"r_to_q": ("reflection", "questions"), "pct_cr": ("complex reflection", "reflections"),
                 "percent_complex": ("complex reflection", "reflections")}


def count_words(n: int, noun: str) -> str:
    """"1 reflection", "7 reflections"; a noun that is not a count ("counted") stays as it is."""
    if noun == "counted":
        return f"{n} counted"
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass(frozen=True, slots=True)
class AgreementResult:
    """How closely two raters agreed over the items both rated."""

    rater_a: str
    rater_b: str
    items: int
    exact_percent: float | None
    within_one_percent: float | None
    mean_abs_diff: float | None


@dataclass(frozen=True, slots=True)
class RoundScores:
    """Everything scored for one round."""

    round_number: int
    listener: str
    raters: tuple[str, ...]
    criteria: list[CriterionScore]
    overall: float | None
    """Weighted mean of the rated criteria, on the rubric's scale."""
    metrics: list[MetricResult]
    tallies: dict[str, int] = field(default_factory=dict)
    """Each tally's total over the round and raters."""
    agreement: AgreementResult | None = None
    """Between the two observers, when there are two."""

    def criterion(self, criterion_id: str) -> CriterionScore:
        """The score for one criterion id."""
        return next(c for c in self.criteria if c.criterion_id == criterion_id)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def iter_ratings(round_state: RoundState) -> Iterator[tuple[int | None, RatingEntry]]:
    """Every rating in the round as ``(turn index or None for per-round, entry)``."""
    for turn in round_state.turns:
        for entry in turn.ratings.values():
            yield turn.index, entry
    for entry in round_state.ratings.values():
        yield None, entry


def criterion_scores(
    rubric: Rubric, round_state: RoundState, raters: Collection[str] | None = None
) -> list[CriterionScore]:
    """Each criterion's mean rating in the round (see the module notes), in rubric order."""
    chosen = set(round_state.roles.raters if raters is None else raters)
    values: dict[str, list[int]] = {c.id: [] for c in rubric.criteria}
    scopes = {c.id: c.scope for c in rubric.criteria}
    for turn_index, entry in iter_ratings(round_state):
        scope_ok = (turn_index is None) == (scopes.get(entry.criterion_id) == Scope.per_round)
        if entry.rater in chosen and entry.criterion_id in values and scope_ok:
            values[entry.criterion_id].append(entry.value)
    return [
        CriterionScore(c.id, c.name, c.scope, c.weight, _mean(values[c.id]), len(values[c.id]), c.thresholds)
        for c in rubric.criteria
    ]


def overall_score(scores: list[CriterionScore]) -> float | None:
    """The weighted mean of the rated criteria, or None when none was rated."""
    rated = [s for s in scores if s.mean is not None]
    if not rated:
        return None
    return sum(s.weight * s.mean for s in rated if s.mean is not None) / sum(s.weight for s in rated)


def tally_totals(
    rubric: Rubric, round_state: RoundState, raters: Collection[str] | None = None
) -> dict[str, int]:
    """Each tally's total over the round's turns and the chosen raters (every rubric tally listed)."""
    chosen = set(round_state.roles.raters if raters is None else raters)
    totals = {t.id: 0 for t in rubric.tallies}
    for turn in round_state.turns:
        for (rater, tally_id), count in turn.tallies.items():
            if rater in chosen and tally_id in totals:
                totals[tally_id] += count
    return totals


def band(value: float | None, thresholds: Thresholds | None) -> Band | None:
    """``good``, ``fair`` or ``below`` against the thresholds; None without a value or thresholds."""
    if value is None or thresholds is None:
        return None
    if value >= thresholds.good:
        return Band.good
    return Band.fair if value >= thresholds.fair else Band.below


def metric_result(metric: Metric, totals: dict[str, int]) -> MetricResult:
    """One metric from tally totals."""
    top = sum(totals.get(t, 0) for t in metric.numerator)
    bottom = sum(totals.get(t, 0) for t in metric.denominator)
    value = None if bottom == 0 else top / bottom * (100.0 if metric.kind == "percent" else 1.0)
    return MetricResult(
        metric.id, metric.name, metric.kind, top, bottom, value, band(value, metric.thresholds),
        metric.thresholds,
    )


def compute_metrics(rubric: Rubric, totals: dict[str, int]) -> list[MetricResult]:
    """Every rubric metric from tally totals, in rubric order."""
    return [metric_result(m, totals) for m in rubric.metrics]


def observer_agreement(round_state: RoundState, rater_a: str, rater_b: str) -> AgreementResult:
    """Agreement between two raters over the items (criterion on a turn, or per-round) both rated."""
    given: dict[str, dict[tuple[int | None, str], int]] = {rater_a: {}, rater_b: {}}
    for turn_index, entry in iter_ratings(round_state):
        if entry.rater in given:
            given[entry.rater][(turn_index, entry.criterion_id)] = entry.value
    common = given[rater_a].keys() & given[rater_b].keys()
    diffs = [abs(given[rater_a][k] - given[rater_b][k]) for k in common]
    if not diffs:
        return AgreementResult(rater_a, rater_b, 0, None, None, None)
    n = len(diffs)
    return AgreementResult(
        rater_a, rater_b, n,
        100.0 * sum(d == 0 for d in diffs) / n,
        100.0 * sum(d <= 1 for d in diffs) / n,
        sum(diffs) / n,
    )


def score_round(
    rubric: Rubric, round_state: RoundState, raters: Collection[str] | None = None
) -> RoundScores:
    """Score a round from the chosen raters (default: the round's raters; never the automatic observer)."""
    chosen = tuple(r for r in (round_state.roles.raters if raters is None else raters))
    people = tuple(r for r in chosen if r != AUTO_RATER) if raters is None else chosen
    criteria = criterion_scores(rubric, round_state, people)
    totals = tally_totals(rubric, round_state, people)
    observers = round_state.roles.observers
    agreement = observer_agreement(round_state, *observers[:2]) if len(observers) >= 2 else None
    return RoundScores(
        round_state.number, round_state.roles.listener, people, criteria, overall_score(criteria),
        compute_metrics(rubric, totals), totals, agreement,
    )
