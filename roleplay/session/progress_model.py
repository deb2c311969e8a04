"""The shapes of a person's progress (filters, points, series), shared by the history queries
(:mod:`roleplay.session.progress`) and what shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from roleplay.content.rubric import Thresholds
from roleplay.storage.history import HistoryFilter as HistoryFilter  # re-exported: the store's query filter
from roleplay.storage.rows import SessionSummary


class Source(StrEnum):
    """Who gave the scores in a series."""

    people = "people"
    observer = "observer"


@dataclass(frozen=True, slots=True)
class Point:
    """One point on a chart: one session, or one day's sessions (see :func:`person_progress`)."""

    key: str
    """The session id, or the local date ``YYYY-MM-DD`` when grouped by day."""
    at: float
    """When the (first) session of the point was created."""
    value: float
    n: int
    """How many ratings the mean is over (criteria), or the metric's denominator."""
    sessions: int = 1
    """How many sessions the point covers."""


def _best(points: tuple[Point, ...]) -> Point | None:
    return max(points, key=lambda p: (p.value, p.at)) if points else None


@dataclass(frozen=True, slots=True)
class Series:
    """A chart line: a criterion, the overall score or a metric, from one source, oldest point first."""

    key: str
    """The criterion id, ``overall``, ``r_to_q`` or ``pct_cr``."""
    name: str
    rubric_id: str | None
    """The rubric of a criterion or overall series; None for the metrics (comparable across rubrics)."""
    source: Source
    points: tuple[Point, ...]
    scale: tuple[int, int] | None = None
    """Lowest and highest scale value, for criterion and overall series."""
    thresholds: Thresholds | None = None
    """Fair and good, for the metrics."""
    best_day: Point | None = None
    """The best single day, when each point covers several days (see :func:`person_progress`)."""
    latest_day: Point | None = None
    """The latest single day, when each point covers several days."""

    @property
    def best(self) -> Point | None:
        """The highest point, or day (the latest of equal ones), or None."""
        return self.best_day or _best(self.points)

    @property
    def latest(self) -> Point | None:
        """The newest point, or day, or None."""
        return self.latest_day or (self.points[-1] if self.points else None)


@dataclass(frozen=True, slots=True)
class PersonProgress:
    """Everything the history screen charts for one person."""

    person: str
    sessions: list[SessionSummary]
    """Sessions in which they listened (filtered), newest activity first, at most ``limit`` of them."""
    criteria: list[Series]
    """Per rubric and criterion, ``people`` series first, then ``observer``; rubric order within."""
    overall: list[Series]
    """Per rubric and source, the weighted overall score."""
    metrics: list[Series]
    """R:Q and %CR, per source."""
    untried: list[str] = field(default_factory=list)
    """Scenario ids from ``available`` the person has not listened in yet, in the given order."""
    charted: dict[str, tuple[float, str]] = field(default_factory=dict)
    """Every point the charts cover: its key -> (created at, rubric id), oldest first."""
    days_per_point: int = 1
    """How many calendar days each chart point covers (1 unless ``max_points`` grouped them)."""

    def series(self, key: str, source: Source = Source.people, rubric_id: str | None = None) -> Series | None:
        """Find one series by key, source and (for criteria and overall) rubric."""
        for s in (*self.criteria, *self.overall, *self.metrics):
            if s.key == key and s.source == source and (rubric_id is None or s.rubric_id == rubric_id):
                return s
        return None
