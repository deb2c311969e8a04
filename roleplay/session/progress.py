"""Progress over time: the queries behind the history screen and solo "compared with last time".

Everything is read from the store's projection tables (never by replaying events): an unfiltered
history by day from the per-day tables (:mod:`roleplay.storage.day_totals`), a filtered one from the
per-round tables, and for the screen the days are grouped so a chart gets at most ``max_points`` points
(:mod:`roleplay.session.progress_days`), so one person's history loads in tens of milliseconds with
100,000 stored turns (``benchmarks/bench_history.py``). The shapes returned are in
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

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from roleplay.content.rubric import Thresholds
from roleplay.session import progress_days
from roleplay.session.progress_model import HistoryFilter, PersonProgress, Point, Series, Source
from roleplay.storage.store import SessionSummary, Store

_AUTO = "auto-observer"  # roleplay.session.roles.AUTO_RATER (kept literal for the SQL)

#: The behaviour codes the two standard metrics are built from.
QUESTIONS = ("question_open", "question_closed")
REFLECTIONS = ("reflection_simple", "reflection_complex")
_CODES = (*QUESTIONS, *REFLECTIONS)

#: MITI thresholds (expert opinion, not norms), used where a rubric defines none.
RQ_THRESHOLDS = Thresholds(fair=1.0, good=2.0)
CR_THRESHOLDS = Thresholds(fair=40.0, good=50.0)


def _where(flt: HistoryFilter, alias: str = "s") -> tuple[str, list[Any]]:
    clauses, params = ["1"], []
    for column, value, op in (("scenario_id", flt.scenario_id, "="), ("kind", flt.kind, "="),
                              ("created_at", flt.since, ">="), ("created_at", flt.until, "<")):
        if value is not None:
            clauses.append(f"{alias}.{column} {op} ?")
            params.append(value)
    return " AND ".join(clauses), params


def list_sessions(store: Store, flt: HistoryFilter | None = None, *, listener: bool = False) -> list[SessionSummary]:
    """Stored sessions matching the filter, newest activity first.

    ``flt.person``: sessions they took part in (any role), or with ``listener`` only those in which they
    listened in a started round. The newest ``limit`` ids are picked first (walking the
    ``sessions_updated`` index), then only those rows are read with their names and round counts.
    """
    flt = flt or HistoryFilter()
    where, params = _where(flt)
    if flt.person is not None and listener:
        # Walk sessions newest first and probe each one's rounds by primary key ('+' keeps SQLite off the
        # listener index): the newest ``limit`` are found after a few hundred probes, with no sort.
        where += (" AND EXISTS (SELECT 1 FROM rounds r WHERE r.session_id = s.id AND +r.listener = ?"
                  " AND +r.started_at IS NOT NULL)")
        params.append(flt.person)
    elif flt.person is not None:
        where += " AND s.id IN (SELECT session_id FROM participants WHERE name = ?)"
        params.append(flt.person)
    limit = "" if flt.limit is None else f" LIMIT {int(flt.limit)}"
    sql = (
        "SELECT s.id, s.created_at, s.updated_at, s.status, s.kind, s.mode, s.scenario_id,"
        " s.scenario_title, s.rubric_id,"
        " (SELECT json_group_array(name) FROM (SELECT name FROM participants p"
        "   WHERE p.session_id = s.id ORDER BY position)),"
        " (SELECT count(*) FROM rounds r WHERE r.session_id = s.id),"
        " (SELECT count(*) FROM rounds r WHERE r.session_id = s.id AND r.ended_at IS NOT NULL)"
        f" FROM (SELECT s.id FROM sessions s WHERE {where} ORDER BY s.updated_at DESC{limit}) AS pick"
        " JOIN sessions s ON s.id = pick.id ORDER BY s.updated_at DESC"
    )
    return [
        SessionSummary(*r[:9], names=tuple(json.loads(r[9])), rounds_total=r[10], rounds_ended=r[11])
        for r in store.read(sql, tuple(params))
    ]


def _rubric_info(store: Store, newest: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each rubric's snapshot (rubric id -> a session using it): criteria (name, weight) in rubric order,
    scale, and tally id -> behaviour code."""
    info = {}
    for rubric_id, sid in newest.items():
        # By primary key, then the snapshot stored once for every session that used it.
        row = store.read("SELECT json FROM snapshots WHERE sha = (SELECT rubric_sha FROM sessions WHERE id = ?)",
                         (sid,))
        data = json.loads(row[0][0]) if row else {}
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
    store: Store, person: str, flt: HistoryFilter | None = None, available: Iterable[str] = (), *,
    by_day: bool = True, max_points: int | None = None,
) -> PersonProgress:
    """One person's progress (see the module notes).

    With ``by_day`` (the history screen) each chart point is one local calendar day (the date a session
    was created on, in the time zone it was stored in): the mean of every rating of that day's sessions
    (R:Q and %CR: the day's counts added up); otherwise one point per session. With ``max_points`` as
    well, days are grouped into periods of equal length so that no series has more points than that
    (a point's key is its period's first day), while each series' ``best`` and ``latest`` stay those of
    single days (:mod:`roleplay.session.progress_days`). ``flt.person`` is ignored; ``flt.limit`` caps
    only the session list, never the charts. Grouping happens in SQL over covering indexes, so the work
    in Python is per point, not per rating.
    """
    flt = flt or HistoryFilter()
    where, params = _where(flt, "t")
    # Every per-round table read here carries the session's created_at, kind, scenario and rubric, and
    # has a covering index led by the person: no join, no sessions row read. An unfiltered history by day
    # reads the per-day tables instead (one row per day, kept by triggers).
    filtered = any(v is not None for v in (flt.scenario_id, flt.kind, flt.since, flt.until))
    units = progress_days.Units(person, f"t.listener = ? AND {where}", (person, *params), by_day=by_day,
                                filtered=filtered)
    origin, width = (0, 1)
    if by_day and max_points:
        origin, width = progress_days.period(store, units, max_points)
    key = f"(unit - {origin}) / {width}" if width > 1 else "unit"

    def label(k: Any) -> str:
        return _day(origin + k * width if width > 1 else k) if by_day else k

    criteria: list[Series] = []
    overall: list[Series] = []
    charted: dict[str, tuple[float, str]] = {}
    rubrics: dict[str, str] = {}
    fetched = {}
    for source, table in _SOURCES:
        sql, args = units.criteria(table)
        fetched[source] = store.read(
            f"SELECT rubric_id, criterion_id, {key} AS k, min(created_at), sum(total), sum(n), sum(rounds),"
            f" max(session_id) FROM ({sql}) GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 4", args)
        for row in fetched[source]:
            rubrics.setdefault(row[0], row[7])
    info = _rubric_info(store, rubrics)
    for source, rows in fetched.items():
        _criterion_series(source, rows, info, label, criteria, overall, charted)
    people: dict[str, list] = {}
    sql, args = units.tallies()
    for rubric_id, k, at, sessions, tally_id, count in store.read(
        f"SELECT rubric_id, {key} AS k, min(created_at), sum(sessions), tally_id, sum(total) FROM ({sql})"
        " GROUP BY 1, 2, 5 ORDER BY 3", args
    ):
        k = label(k)
        if rubric_id not in info:
            info.update(_rubric_info(store, {rubric_id: store.read(
                "SELECT id FROM sessions WHERE rubric_id = ? LIMIT 1", (rubric_id,))[0][0]}))
        code = info[rubric_id]["behaviour"].get(tally_id, tally_id)
        entry = people.setdefault(k, [at, sessions, 0, 0, 0, 0])
        entry[0], entry[1] = min(entry[0], at), max(entry[1], sessions)
        if code in _CODES:
            entry[2 + _CODES.index(code)] += count
        charted.setdefault(k, (at, rubric_id))
    observer: dict[str, list] = {}
    sql, args = units.observations()
    for k, at, sessions, rubric_id, *counts in store.read(
        f"SELECT {key} AS k, min(created_at), sum(sessions), max(rubric_id), sum(q_open), sum(q_closed),"
        f" sum(r_simple), sum(r_complex) FROM ({sql}) GROUP BY 1 ORDER BY 2", args,
    ):
        k = label(k)
        observer[k] = [at, sessions, *counts]
        charted.setdefault(k, (at, rubric_id))
    metrics = _metric_series(people, Source.people) + _metric_series(observer, Source.observer)
    if width > 1:
        criteria, overall, metrics = _with_days(store, units, info, criteria, overall, metrics)
    tried = {r[0] for r in store.read(
        "SELECT DISTINCT scenario_id FROM rounds WHERE listener = ? AND started_at IS NOT NULL", (person,))}
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


_SOURCES = ((Source.people, "criterion_totals"), (Source.observer, "auto_totals"))


def _with_days(store: Store, units: progress_days.Units, info: dict[str, dict[str, Any]],
               criteria: list[Series], overall: list[Series], metrics: list[Series],
               ) -> tuple[list[Series], list[Series], list[Series]]:
    """The series with their best and latest single days (when each point covers several days)."""
    weights = {r: {c: w for c, (_, w) in rubric["criteria"].items()} for r, rubric in info.items()}
    found: dict[tuple[Source, str, str | None, str], tuple[Any, ...]] = {}
    for source, table in _SOURCES:
        for (_, rubric_id, key), pair in progress_days.criterion_extremes(store, units, table, weights).items():
            found[(source, "criterion", rubric_id, key)] = pair
    behaviours = {r: rubric["behaviour"] for r, rubric in info.items()}
    for source, extremes in ((Source.people, progress_days.people_metric_extremes(store, units, behaviours)),
                             (Source.observer, progress_days.observer_metric_extremes(store, units))):
        for (_, rubric_id, key), pair in extremes.items():
            found[(source, "metric", rubric_id, key)] = pair

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
