"""The rubric file format: a rating scale, criteria with behavioural descriptors, and behaviour tallies.

Criteria are rated on the scale, either for every listener turn or once per round; a criterion may carry
fair/good thresholds for its round score (MITI-style global ratings) and an example response per level
(Carkhuff-style empathy levels). Tallies count behaviours (MITI-style), and metrics turn tallies into
ratios or percentages with fair/good thresholds.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from roleplay.content.base import FileModel, Slug, Text


class Scope(StrEnum):
    """When a criterion is rated."""

    per_turn = "per_turn"
    per_round = "per_round"


class Level(FileModel):
    """One point on the rating scale."""

    value: int = Field(ge=0, le=9)
    """The number an observer presses to give this level (0-9)."""
    label: Text
    """A short name for the level, e.g. ``Interchangeable``."""
    meaning: Text | None = None
    """What the level means in general, across criteria."""


class Thresholds(FileModel):
    """Fair and good levels for a metric or a criterion's round score (expert opinion, not norms)."""

    fair: float = Field(ge=0)
    """The value at or above which the metric (or criterion score) counts as fair."""
    good: float = Field(ge=0)
    """The value at or above which the metric (or criterion score) counts as good."""


class Criterion(FileModel):
    """Something an observer rates, with a behavioural descriptor for each level."""

    id: Slug
    """A short unique name within the rubric, e.g. ``paraphrase``."""
    name: Text
    """The name shown on the scoring panel."""
    description: Text
    """What this criterion is about, in a sentence or two."""
    descriptors: dict[int, Text] = Field(default_factory=dict)
    """For each scale value, what the listener does at that level (observable behaviour)."""
    weight: float = Field(default=1.0, gt=0, le=10)
    """How much this criterion counts in the weighted overall score."""
    scope: Scope = Scope.per_turn
    """``per_turn`` (rated for every listener response) or ``per_round`` (once, at the end)."""
    observer_only: bool = False
    """True when only a person watching can judge it (eye contact, posture); never auto-rated."""
    hint: Text | None = None
    """A short reminder for the observer of what to look or listen for."""
    auto: str | None = None
    """The automatic observer check that suggests a rating, e.g. ``paraphrase`` (see ``roleplay observe --checks``)."""
    thresholds: Thresholds | None = None
    """Fair and good levels for the criterion's score in a round, on the rubric's scale, e.g. ``{fair: 3, good: 4}``.

    The debrief and reports say whether the round's score is good, fair or below fair.
    """
    example_speaker: Text | None = None
    """The speaker's line that the level ``examples`` answer, so each example reads in context."""
    examples: dict[int, Text] = Field(default_factory=dict)
    """For each scale value, one example listener response at that level (answering ``example_speaker``)."""


class Tally(FileModel):
    """A behaviour the observer counts (e.g. open questions), MITI style."""

    id: Slug
    """A short unique name within the rubric, e.g. ``complex_reflection``."""
    name: Text
    """The name shown on the tally panel."""
    description: Text
    """What counts as one of these, with an example."""
    key: str | None = Field(default=None, min_length=1, max_length=1)
    """A single key the observer presses to add one (optional)."""
    auto: str | None = None
    """The automatic observer check that counts this behaviour, e.g. ``question_open``."""


class Metric(FileModel):
    """A summary figure computed from tallies: sum(numerator) / sum(denominator)."""

    id: Slug
    """A short unique name within the rubric, e.g. ``r_to_q``."""
    name: Text
    """The name shown in debriefs, e.g. ``Reflection-to-question ratio``."""
    kind: Literal["ratio", "percent"] = "ratio"
    """``ratio`` shows 2.0 as ``2.0:1``; ``percent`` shows 0.5 as ``50%``."""
    numerator: list[Slug] = Field(min_length=1)
    """Tally ids added up on top."""
    denominator: list[Slug] = Field(min_length=1)
    """Tally ids added up underneath."""
    thresholds: Thresholds | None = None
    """Fair and good levels, in the metric's own units (a percent as 40, not 0.4)."""
    description: Text | None = None
    """What the figure says about the listening."""


class Rubric(FileModel):
    """A rating scale, the criteria rated on it, and optional behaviour tallies and metrics."""

    kind: Literal["rubric"] = "rubric"
    """Marks this file as a rubric (optional inside a ``rubrics`` folder)."""
    id: Slug
    """A short unique name, e.g. ``active-listening``."""
    title: Text
    """The title shown in lists."""
    description: Text
    """What the rubric is for and where its ideas come from."""
    scale: list[Level] = Field(min_length=2, max_length=10)
    """The rating levels, lowest first."""
    criteria: list[Criterion] = Field(default_factory=list)
    """What the observer rates."""
    tallies: list[Tally] = Field(default_factory=list)
    """Behaviours the observer counts."""
    metrics: list[Metric] = Field(default_factory=list)
    """Figures computed from the tallies."""
