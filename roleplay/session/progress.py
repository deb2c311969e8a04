"""Progress over time: the queries behind the history screen and solo "compared with last time".

Everything is read through the store's history queries (:mod:`roleplay.storage.history`, over the
projection tables, never by replaying events): an unfiltered history by day from the per-day tables, a
filtered one from the per-round tables, and for the screen the days are grouped so a chart gets at most
``max_points`` points, so one person's history loads in tens of milliseconds with 100,000 stored turns
(``benchmarks/bench_history.py``). This module turns those rows into series; the shapes returned are in
:mod:`roleplay.session.progress_model`.

Definitions:

- A person's sessions are those in which they *listened* in a started round (solo rehearsals included).
- Two sources of scores: ``people`` (the human raters: observers in a group, the person themself in solo,
  from ``criterion_totals``) and ``observer`` (the automatic observer, from ``auto_totals``).
- A criterion point is one session: the mean of every rating the source gave that criterion in the
  person's listening round(s) of that session. Series are keyed by rubric and criterion, since scales and
  criteria differ between rubrics.
- An overall point is the weight-averaged mean of the session's criterion means (as in
  :func:`roleplay.session.scoring.overall_score`), with the weights of the rubric snapshot.
- R:Q = (simple + complex reflections) / (open + closed questions); %CR = complex / (simple + complex)
  * 100. Source ``observer``: the observer's behaviour codes of each turn's latest attempt. Source
  ``people``: the human raters' tallies whose ``auto`` check (or, without one, whose id) names one of
  those four behaviours. Thresholds are the MITI ones (R:Q fair 1, good 2; %CR fair 40, good 50).
  A session with a zero denominator has no point.
- A scenario is *tried* once the person has listened in a started round of it (any filter ignored).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from roleplay.content.rubric import Thresholds
from roleplay.session.progress_model import HistoryFilter, PersonProgress, Point, Series, Source
from roleplay.storage.gate import PracticeStore
from roleplay.storage.history import DayExtremes
from roleplay.storage.rows import SessionSummary

#: The behaviour codes the two standard metrics are built from.
QUESTIONS = ("question_open", "question_closed")
REFLECTIONS = ("reflection_simple", "reflection_complex")
_CODES = (*QUESTIONS, *REFLECTIONS)

#: MITI thresholds (expert opinion, not norms), used where a rubric defines none.
RQ_THRESHOLDS = Thresholds(fair=1.0, good=2.0)
CR_THRESHOLDS = Thresholds(fair=40.0, good=50.0)


def list_sessions(store: PracticeStore, flt: HistoryFilter | None = None, *,
                  listener: bool = False) -> list[SessionSummary]:
    """Stored sessions matching the filter, newest activity first.

    ``flt.person``: sessions they took part in (any role), or with ``listener`` only those in which they
    listened in a started round.
    """
    return store.history_sessions(flt or HistoryFilter(), listener=listener)


def _rubric_info(store: PracticeStore, newest: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each rubric's snapshot (rubric id -> a session using it): criteria (name, weight) in rubric order,
    scale, and tally id -> behaviour code."""
    info = {}
    for rubric_id, sid in newest.items():
        data = store.rubric_snapshot(sid) or {}
        values = [lv["value"] for lv in data.get("scale", [])] or [0]
        info[rubric_id] = {
            "criteria": {c["id"]: (c["name"], float(c.get("weight", 1.0))) for c in data.get("criteria", [])},
            "scale": (min(values), max(values)),
            "behaviour": {t["id"]: t.get("auto") or t["id"] for t in data.get("tallies", [])},
        }
    return info


_EPOCH = date(1970, 1, 1)


@lru_cache(maxsize=4096)
def _day(number: int) -> str:
    """A day number (days since 1970-01-01, local) as ``YYYY-MM-DD``."""
    return (_EPOCH + timedelta(days=number)).isoformat()


def _metric_series(counts: dict[str, list], source: Source) -> list[Series]:
    """``counts``: point key -> [at, sessions, q_open, q_closed, r_simple, r_complex], in time order."""
    rq, cr = [], []
    for key, (at, sessions, q_open, q_closed, r_simple, r_complex) in counts.items():
        if q_open + q_closed:
            rq.append(Point(key, at, (r_simple + r_complex) / (q_open + q_closed), q_open + q_closed, sessions))
        if r_simple + r_complex:
            cr.append(Point(key, at, 100.0 * r_complex / (r_simple + r_complex), r_simple + r_complex, sessions))
    return [
        Series("r_to_q", "Reflection-to-question ratio", None, source, tuple(rq), thresholds=RQ_THRESHOLDS),
        Series("pct_cr", "Percent complex reflections", None, source, tuple(cr), thresholds=CR_THRESHOLDS),
    ]


def _criterion_series(source: Source, rows: list, info: dict[str, dict[str, Any]], label: Callable[[Any], str],
                      criteria: list[Series], overall: list[Series], charted: dict[str, tuple[float, str]]) -> None:
    """Append one source's criterion and overall series, built from the grouped totals ``rows``."""
    lines: dict[tuple[str, str], list[Point]] = defaultdict(list)
    days: dict[tuple[str, str], dict[str, Any]] = {}  # (rubric, key) -> at, sessions, criterion means
    for rubric_id, cid, k, at, total, n, sessions, _ in rows:
        k = label(k)
        lines[(rubric_id, cid)].append(Point(k, at, total / n, n, sessions))
        day = days.setdefault((rubric_id, k), {"at": at, "sessions": sessions, "means": {}})
        day["at"], day["sessions"] = min(day["at"], at), max(day["sessions"], sessions)
        day["means"][cid] = total / n
        charted.setdefault(k, (at, rubric_id))
    for rubric_id, rubric in info.items():
        for cid, (name, _) in rubric["criteria"].items():
            if (rubric_id, cid) in lines:
                criteria.append(Series(cid, name, rubric_id, source, tuple(lines[(rubric_id, cid)]),
                                       rubric["scale"]))
        weighted = []
        for (day_rubric, k), day in days.items():
            scores = [(rubric["criteria"][c][1], m) for c, m in day["means"].items() if c in rubric["criteria"]]
            if day_rubric == rubric_id and scores:
                value = sum(w * m for w, m in scores) / sum(w for w, _ in scores)
                weighted.append(Point(k, day["at"], value, len(scores), day["sessions"]))
        if weighted:
            weighted.sort(key=lambda p: p.at)
            overall.append(Series("overall", "Overall", rubric_id, source, tuple(weighted), rubric["scale"]))


def person_progress(
    store: PracticeStore, person: str, flt: HistoryFilter | None = None, available: Iterable[str] = (), *,
    by_day: bool = True, max_points: int | None = None,
) -> PersonProgress:
    """One person's progress (see the module notes).

    With ``by_day`` (the history screen) each chart point is one local calendar day (the date a session
    was created on, in the time zone it was stored in): the mean of every rating of that day's sessions
    (R:Q and %CR: the day's counts added up); otherwise one point per session. With ``max_points`` as
    well, days are grouped into periods of equal length so that no series has more points than that
    (a point's key is its period's first day), while each series' ``best`` and ``latest`` stay those of
    single days (:mod:`roleplay.storage.history_days`). ``flt.person`` is ignored; ``flt.limit`` caps
    only the session list, never the charts. Grouping happens in SQL over covering indexes, so the work
    in Python is per point, not per rating.
    """
    flt = flt or HistoryFilter()
    rows = store.person_history(person, flt, by_day=by_day, max_points=max_points)
    origin, width = rows.origin, rows.width

    def label(k: Any) -> str:
        return _day(origin + k * width if width > 1 else k) if by_day else k

    criteria: list[Series] = []
    overall: list[Series] = []
    charted: dict[str, tuple[float, str]] = {}
    rubrics: dict[str, str] = {}
    for source_rows in rows.criteria.values():
        for row in source_rows:
            rubrics.setdefault(row[0], row[7])
    info = _rubric_info(store, rubrics)
    for source, source_rows in rows.criteria.items():
        _criterion_series(Source(source), source_rows, info, label, criteria, overall, charted)
    people: dict[str, list] = {}
    for rubric_id, k, at, sessions, tally_id, count in rows.tallies:
        k = label(k)
        if rubric_id not in info:
            sid = store.session_with_rubric(rubric_id)
            info.update(_rubric_info(store, {rubric_id: sid} if sid else {}))
        code = info.get(rubric_id, {}).get("behaviour", {}).get(tally_id, tally_id)
        entry = people.setdefault(k, [at, sessions, 0, 0, 0, 0])
        entry[0], entry[1] = min(entry[0], at), max(entry[1], sessions)
        if code in _CODES:
            entry[2 + _CODES.index(code)] += count
        charted.setdefault(k, (at, rubric_id))
    observer: dict[str, list] = {}
    for k, at, sessions, rubric_id, *counts in rows.observations:
        k = label(k)
        observer[k] = [at, sessions, *counts]
        charted.setdefault(k, (at, rubric_id))
    metrics = _metric_series(people, Source.people) + _metric_series(observer, Source.observer)
    if width > 1:
        criteria, overall, metrics = _with_days(store.day_extremes(person, flt, *_day_inputs(info)),
                                                criteria, overall, metrics)
    tried = rows.tried
    listed = HistoryFilter(person, flt.scenario_id, flt.kind, flt.since, flt.until, flt.limit)
    return PersonProgress(
        person,
        list_sessions(store, listed, listener=True),
        criteria,
        overall,
        metrics,
        [sid for sid in dict.fromkeys(available) if sid not in tried],
        dict(sorted(charted.items(), key=lambda item: item[1][0])),
        width,
    )


def _day_inputs(info: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, str]]]:
    """Per rubric: criterion weights, and tally id -> behaviour code (for the best and latest days)."""
    weights = {r: {c: w for c, (_, w) in rubric["criteria"].items()} for r, rubric in info.items()}
    return weights, {r: rubric["behaviour"] for r, rubric in info.items()}


def _with_days(found: DayExtremes, criteria: list[Series], overall: list[Series], metrics: list[Series],
               ) -> tuple[list[Series], list[Series], list[Series]]:
    """The series with their best and latest single days (when each point covers several days)."""
    def point(row: tuple[Any, ...] | None) -> Point | None:
        return None if row is None else Point(_day(row[0]), row[1], row[2], row[3], row[4])

    def attach(series: list[Series], kind: str) -> list[Series]:
        out = []
        for s in series:
            best, latest = found.get((s.source, kind, s.rubric_id, s.key), (None, None))
            out.append(replace(s, best_day=point(best), latest_day=point(latest)))
        return out

    return attach(criteria, "criterion"), attach(overall, "criterion"), attach(metrics, "metric")


@dataclass(frozen=True, slots=True)
class SessionFigures:
    """One session's headline figures for one source (for "compared with last time")."""

    session_id: str
    at: float
    rubric_id: str
    overall: float | None
    r_to_q: float | None
    pct_cr: float | None


def session_figures(progress: PersonProgress, source: Source = Source.observer) -> list[SessionFigures]:
    """Each point of a :class:`PersonProgress` with its overall score and metrics, oldest first (one per
    session when it was built with ``by_day=False``)."""
    rows: dict[str, dict[str, Any]] = {
        sid: {"at": created, "rubric_id": rubric_id} for sid, (created, rubric_id) in progress.charted.items()
    }
    for series in progress.overall:
        if series.source == source:
            for p in series.points:
                rows[p.key]["overall"] = p.value
    for series in progress.metrics:
        if series.source == source:
            for p in series.points:
                rows[p.key][series.key] = p.value
    return sorted(
        (SessionFigures(sid, r["at"], r["rubric_id"], r.get("overall"), r.get("r_to_q"), r.get("pct_cr"))
         for sid, r in rows.items()),
        key=lambda f: f.at,
    )
