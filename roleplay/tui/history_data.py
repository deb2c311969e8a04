"""What the history screen shows, worked out without Textual: the data load (run in a worker) and the
chart specifications (points thinned to what a terminal chart can show, threshold lines, axis ticks).

The unit of a chart point is chosen per person: one point per session while the person has at most
:data:`MAX_POINTS` sessions (so two rehearsals on one day are two points, and a new user sees a trend),
otherwise one point per day, or per period of days (:func:`roleplay.session.progress.person_progress`).

Everything comes from :mod:`roleplay.session.progress`; this module only shapes it for the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from roleplay.session.progress import (
    HistoryFilter,
    PersonProgress,
    Point,
    Series,
    Source,
    list_sessions,
    person_progress,
)
from roleplay.storage.gate import PracticeStore
from roleplay.storage.rows import SessionSummary

#: At most this many points per chart line: a terminal chart is about this many columns wide, and
#: drawing costs grow with the points (thousands of days would take a noticeable time to draw).
MAX_POINTS = 40

SOURCE_NAMES = {Source.people: "people", Source.observer: "observer"}

#: Threshold line colours and the words written on the lines (the chart never relies on colour alone).
THRESHOLD_STYLE = (("orange", "fair"), ("green", "good"))


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
    hlines: tuple[tuple[float, str, str], ...] = ()
    """Threshold lines: (value, colour name, the word written on the line)."""
    yticks: tuple[tuple[float, ...], tuple[str, ...]] = ((), ())
    """Y ticks at meaningful values (0, fair, good, top; or the scale's levels), so that a threshold line
    and its tick fall on the same row (plotext's own ticks are at arbitrary fractions)."""


@dataclass(frozen=True, slots=True)
class HistoryData:
    """One load of the history screen."""

    people: list[str]
    sessions: list[SessionSummary]
    progress: PersonProgress | None
    rubric_ids: list[str] = field(default_factory=list)
    """Rubrics the person has criterion series for (chart choices), in series order."""
    per_session: bool = False
    """Each chart point is one session (few sessions), else one day or period of days."""
    tried: list[str] = field(default_factory=list)
    """Scenario ids the person has listened in (library order; those no longer in the library only if in
    the listed sessions): the scenario filter's choices."""

    def unit(self) -> str:
        """What one chart point is: ``session``, ``day`` or ``N days`` (for "One point per ...")."""
        if self.per_session:
            return "session"
        days = self.progress.days_per_point if self.progress is not None else 1
        return "day" if days == 1 else f"{days} days"


def load_history(store: PracticeStore, person: str | None, flt: HistoryFilter, available: Sequence[str]) -> HistoryData:
    """Everything the screen needs for one filter (blocking: run it in a worker).

    One point per session when the person has at most :data:`MAX_POINTS` of them under the filter, else
    one per day grouped into at most :data:`MAX_POINTS` periods.
    """
    people = store.people()
    if person is None:
        return HistoryData(people, list_sessions(store, flt), None)
    per_session = store.charted_rounds(person, flt, MAX_POINTS) <= MAX_POINTS
    progress = person_progress(store, person, flt, available, by_day=not per_session, max_points=MAX_POINTS)
    rubrics = list(dict.fromkeys(s.rubric_id for s in progress.criteria if s.rubric_id))
    # Tried scenarios without another query: the library's less the untried, then any no longer in it.
    untried = set(progress.untried)
    gone = {s.scenario_id for s in progress.sessions}.difference(available)
    tried = [sid for sid in available if sid not in untried] + sorted(gone)
    return HistoryData(people, progress.sessions, progress, rubrics, per_session, tried)


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


def _tick(value: float) -> str:
    """A y tick label: ``2``, ``2.5``, ``3.14`` (at most two decimals, no trailing zeros)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _yticks(low: float, high: float, marks: Sequence[float]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Ticks at ``low``, ``marks`` and ``high`` (those inside the limits, once each, in order)."""
    values = sorted({v for v in (low, *marks, high) if low <= v <= high})
    return tuple(values), tuple(_tick(v) for v in values)


def chart(key: str, title: str, series: Sequence[Series], ylim: tuple[float, float] | None = None,
          order: dict[str, int] | None = None) -> ChartSpec | None:
    """A chart of one or more series sharing an axis (None when none has a point).

    ``order`` (point key -> position) puts points at evenly spaced positions, one per session, with the
    first and last labelled ``#n date``; without it x is days since the chart's first point.
    """
    present = [s for s in series if s.points]
    if not present:
        return None
    first_point = min((s.points[0] for s in present), key=lambda p: p.at)
    last_point = max((s.points[-1] for s in present), key=lambda p: p.at)
    first, last = first_point.at, last_point.at
    lines = []
    for s in present:
        pts = thin(s.points)
        if order is not None:
            xs = tuple(float(order.get(p.key, 0)) for p in pts)
        else:
            xs = tuple((p.at - first) / 86400 for p in pts)
        lines.append(Line(SOURCE_NAMES[s.source], xs, tuple(p.value for p in pts)))
    if order is not None:
        ends = [(order.get(first_point.key, 0), first), (order.get(last_point.key, 0), last)]
        ends = list(dict.fromkeys(ends))
        ticks = tuple(float(x) for x, _ in ends)
        labels = tuple(f"#{x + 1} {_day(at)}" for x, at in ends)
    else:
        span = (last - first) / 86400
        ticks = (0.0, span) if span > 0 else (0.0,)
        labels = tuple(_day(first + t * 86400) for t in ticks)
    scale = present[0].scale
    if ylim is None:
        ylim = (float(scale[0]), float(scale[1])) if scale else (0.0, max(max(line.ys) for line in lines))
    hlines: tuple[tuple[float, str, str], ...] = ()
    thresholds = present[0].thresholds
    if thresholds is not None:
        hlines = tuple((value, colour, word) for value, (colour, word)
                       in zip((thresholds.fair, thresholds.good), THRESHOLD_STYLE, strict=True))
        top = max(max(line.ys) for line in lines)
        ylim = (ylim[0], max(ylim[1], thresholds.good * 1.25, top))
        yticks = _yticks(*ylim, (thresholds.fair, thresholds.good))
    elif scale and scale[1] - scale[0] <= 10:
        yticks = _yticks(*ylim, range(int(scale[0]), int(scale[1]) + 1))
    else:
        yticks = _yticks(*ylim, ())
    return ChartSpec(key, title, tuple(lines), ylim, (ticks, labels), hlines, yticks)


def metric_title(series: Series) -> str:
    """``Reflection-to-question ratio (fair 1:1, good 2:1)``."""
    t = series.thresholds
    if t is None:
        return series.name
    unit = "%" if series.key == "pct_cr" else ":1"
    return f"{series.name} (fair {t.fair:g}{unit}, good {t.good:g}{unit})"


def charts_for(progress: PersonProgress, rubric_id: str | None, *, per_session: bool = False) -> list[ChartSpec]:
    """The screen's charts: R:Q and %CR, then the rubric's overall score and each of its criteria.

    ``per_session``: the points are sessions (built with ``by_day=False``), spaced evenly in time order.
    """
    order = {key: i for i, key in enumerate(progress.charted)} if per_session else None
    specs: list[ChartSpec | None] = []
    for key in ("r_to_q", "pct_cr"):
        both = [s for s in progress.metrics if s.key == key]
        if both:
            limits = (0.0, 100.0) if key == "pct_cr" else (0.0, 2.5)
            specs.append(chart(key, metric_title(both[0]), both, limits, order))
    if rubric_id is not None:
        overall = [s for s in progress.overall if s.rubric_id == rubric_id]
        specs.append(chart(f"overall-{rubric_id}", "Overall (weighted)", overall, order=order))
        seen: list[str] = []
        for s in progress.criteria:
            if s.rubric_id == rubric_id and s.key not in seen:
                seen.append(s.key)
        for cid in seen:
            group = [s for s in progress.criteria if s.rubric_id == rubric_id and s.key == cid]
            specs.append(chart(f"criterion-{cid}", group[0].name, group, order=order))
    return [s for s in specs if s is not None]


#: Characters of a session id shown in the list: a unique start is enough for ``roleplay report``.
ID_CHARS = 8


def session_line(summary: object, width: int = 120) -> str:
    """One session as a list row of at most ``width`` characters where possible: the start of its id,
    date and time, kind, scenario (cut to fit), people, and the status unless finished."""
    s = summary
    when = datetime.fromtimestamp(s.created_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
    names = ", ".join(s.names)  # type: ignore[attr-defined]
    status = "" if s.status == "finished" else f" · {s.status}"  # type: ignore[attr-defined]
    head = f"{s.id[:ID_CHARS]} {when} {s.kind:<5} "  # type: ignore[attr-defined]
    room = max(12, width - len(head) - len(names) - len(status) - 3)
    return f"{head}{_cut(s.scenario_title, room)} · {names}{status}"  # type: ignore[attr-defined]


def fit(labels: list[str], budget: int) -> list[str]:
    """The labels, the longest cut first (to no less than 6 characters), so that together they take at
    most ``budget`` characters where possible."""
    if sum(map(len, labels)) <= budget:
        return labels
    limit = max(map(len, labels))
    while limit > 6 and sum(min(len(label), limit) for label in labels) > budget:
        limit -= 1
    return [_cut(label, limit) for label in labels]


def _cut(text: str, limit: int) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(0, limit - 1)] + "…"


def _value(series: Series, point: Point | None) -> str:
    if point is None:
        return "–"
    if series.key == "pct_cr":
        return f"{point.value:.0f}%"
    if series.key == "r_to_q":
        return f"{point.value:.1f}:1"
    return f"{point.value:.2f}"


def _short(point: Point | None) -> str:
    """A point's day as ISO ``YYYY-MM-DD`` (its key when grouped by day, else its time)."""
    if point is None:
        return ""
    return point.key if len(point.key) == 10 and point.key[4] == "-" else _day(point.at)


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


def export_stored(store: PracticeStore, session_id: str, fmt: str, anonymize: bool, path: Path) -> Path:
    """Render a stored session in ``fmt`` as ``roleplay report`` does and write it to ``path``; returns the
    path (blocking: run it in a worker)."""
    # Imported here: the report renderers are only needed once someone exports.
    from roleplay.reports.record import load_record
    from roleplay.reports.render import write_report

    return write_report([load_record(store, session_id)], fmt, path, anonymize=anonymize)
