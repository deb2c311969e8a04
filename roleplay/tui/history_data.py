"""What the history screen shows, worked out without Textual: the data load (run in a worker) and the
chart specifications (points thinned to what a terminal chart can show, threshold lines, axis labels).

Everything comes from :mod:`roleplay.session.progress`; this module only shapes it for the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from roleplay.session.progress import (
    HistoryFilter,
    PersonProgress,
    Point,
    Series,
    Source,
    list_sessions,
    person_progress,
)
from roleplay.storage.store import SessionSummary, Store

#: At most this many points per chart line: a terminal chart is about this many columns wide, and
#: drawing costs grow with the points (thousands of days would take a noticeable time to draw).
MAX_POINTS = 40

SOURCE_NAMES = {Source.people: "people", Source.observer: "observer"}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a chart: x in days since the chart's first point, y the values."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart, ready to draw."""

    key: str
    title: str
    lines: tuple[Line, ...]
    ylim: tuple[float, float]
    xticks: tuple[tuple[float, ...], tuple[str, ...]]
    hlines: tuple[tuple[float, str], ...] = ()
    """Threshold lines: (value, colour name)."""


@dataclass(frozen=True, slots=True)
class HistoryData:
    """One load of the history screen."""

    people: list[str]
    sessions: list[SessionSummary]
    progress: PersonProgress | None
    rubric_ids: list[str] = field(default_factory=list)
    """Rubrics the person has criterion series for (chart choices), in series order."""


def load_history(store: Store, person: str | None, flt: HistoryFilter, available: Sequence[str]) -> HistoryData:
    """Everything the screen needs for one filter (blocking: run it in a worker)."""
    people = store.people()
    if person is None:
        return HistoryData(people, list_sessions(store, flt), None)
    progress = person_progress(store, person, flt, available, max_points=MAX_POINTS)
    rubrics = list(dict.fromkeys(s.rubric_id for s in progress.criteria if s.rubric_id))
    return HistoryData(people, progress.sessions, progress, rubrics)


def thin(points: Sequence[Point], limit: int = MAX_POINTS) -> list[Point]:
    """At most ``limit`` points, by merging neighbours in time order (weighted by their ``n``)."""
    if len(points) <= limit:
        return list(points)
    size = -(-len(points) // limit)
    out = []
    for start in range(0, len(points), size):
        group = points[start : start + size]
        weight = sum(max(p.n, 1) for p in group)
        value = sum(p.value * max(p.n, 1) for p in group) / weight
        out.append(Point(group[-1].key, group[-1].at, value, sum(p.n for p in group),
                         sum(p.sessions for p in group)))
    return out


def _day(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d")


def chart(key: str, title: str, series: Sequence[Series], ylim: tuple[float, float] | None = None) -> ChartSpec | None:
    """A chart of one or more series sharing an axis (None when none has a point)."""
    present = [s for s in series if s.points]
    if not present:
        return None
    first = min(s.points[0].at for s in present)
    last = max(s.points[-1].at for s in present)
    lines = []
    for s in present:
        pts = thin(s.points)
        lines.append(Line(SOURCE_NAMES[s.source], tuple((p.at - first) / 86400 for p in pts),
                          tuple(p.value for p in pts)))
    span = (last - first) / 86400
    ticks = (0.0, span) if span > 0 else (0.0,)
    labels = tuple(_day(first + t * 86400) for t in ticks)
    if ylim is None:
        scale = present[0].scale
        ylim = (float(scale[0]), float(scale[1])) if scale else (0.0, max(max(line.ys) for line in lines))
    hlines: tuple[tuple[float, str], ...] = ()
    thresholds = present[0].thresholds
    if thresholds is not None:
        hlines = ((thresholds.fair, "orange"), (thresholds.good, "green"))
        top = max(max(line.ys) for line in lines)
        ylim = (ylim[0], max(ylim[1], thresholds.good * 1.25, top))
    return ChartSpec(key, title, tuple(lines), ylim, (ticks, labels), hlines)


def metric_title(series: Series) -> str:
    """``Reflection-to-question ratio (fair 1:1, good 2:1)``."""
    t = series.thresholds
    if t is None:
        return series.name
    unit = "%" if series.key == "pct_cr" else ":1"
    return f"{series.name} (fair {t.fair:g}{unit} orange, good {t.good:g}{unit} green)"


def charts_for(progress: PersonProgress, rubric_id: str | None) -> list[ChartSpec]:
    """The screen's charts: R:Q and %CR, then the rubric's overall score and each of its criteria."""
    specs: list[ChartSpec | None] = []
    for key in ("r_to_q", "pct_cr"):
        both = [s for s in progress.metrics if s.key == key]
        if both:
            limits = (0.0, 100.0) if key == "pct_cr" else (0.0, 2.5)
            specs.append(chart(key, metric_title(both[0]), both, limits))
    if rubric_id is not None:
        overall = [s for s in progress.overall if s.rubric_id == rubric_id]
        specs.append(chart(f"overall-{rubric_id}", "Overall (weighted)", overall))
        seen: list[str] = []
        for s in progress.criteria:
            if s.rubric_id == rubric_id and s.key not in seen:
                seen.append(s.key)
        for cid in seen:
            group = [s for s in progress.criteria if s.rubric_id == rubric_id and s.key == cid]
            specs.append(chart(f"criterion-{cid}", group[0].name, group))
    return [s for s in specs if s is not None]


def _value(series: Series, point: Point | None) -> str:
    if point is None:
        return "–"
    if series.key == "pct_cr":
        return f"{point.value:.0f}%"
    if series.key == "r_to_q":
        return f"{point.value:.1f}:1"
    return f"{point.value:.2f}"


def _short(point: Point | None) -> str:
    """A point's day as ``YY-MM-DD`` (its key when grouped by day, else its time)."""
    if point is None:
        return ""
    key = point.key if len(point.key) == 10 and point.key[4] == "-" else _day(point.at)
    return key[2:]


def best_and_latest(progress: PersonProgress, rubric_id: str | None) -> list[tuple[str, str, str, str]]:
    """Rows of (series, source, best with its day, latest with its day) for the figures table."""
    rows = []
    chosen = [s for s in (*progress.metrics, *progress.overall, *progress.criteria)
              if s.points and (s.rubric_id is None or s.rubric_id == rubric_id)]
    for s in chosen:
        best, latest = s.best, s.latest
        rows.append((s.name, SOURCE_NAMES[s.source],
                     f"{_value(s, best)} {_short(best)}", f"{_value(s, latest)} {_short(latest)}"))
    return rows
