"""Progress over time: the queries behind the history screen and solo "compared with last time".

Everything is read from the store's projection tables (never by replaying events), so one person's
history loads in milliseconds even with 100,000 stored turns (``benchmarks/bench_history.py``).

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from roleplay.content.rubric import Thresholds
from roleplay.storage.store import SessionSummary, Store

_AUTO = "auto-observer"  # roleplay.session.roles.AUTO_RATER (kept literal for the SQL)

#: The behaviour codes the two standard metrics are built from.
QUESTIONS = ("question_open", "question_closed")
REFLECTIONS = ("reflection_simple", "reflection_complex")
_CODES = (*QUESTIONS, *REFLECTIONS)

#: MITI thresholds (expert opinion, not norms), used where a rubric defines none.
RQ_THRESHOLDS = Thresholds(fair=1.0, good=2.0)
CR_THRESHOLDS = Thresholds(fair=40.0, good=50.0)


class Source(StrEnum):
    """Who gave the scores in a series."""

    people = "people"
    observer = "observer"


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which sessions to list or chart; every field is optional."""

    person: str | None = None
    """Only sessions in which this person listened (lists: took part in any role)."""
    scenario_id: str | None = None
    kind: str | None = None
    """``solo`` or ``group``."""
    since: float | None = None
    """Created at or after this time (seconds since the epoch)."""
    until: float | None = None
    """Created before this time."""
    limit: int | None = 200
    """At most this many sessions, newest first (None: all)."""


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

    @property
    def best(self) -> Point | None:
        """The highest point (the latest of equal ones), or None."""
        return _best(self.points)

    @property
    def latest(self) -> Point | None:
        """The newest point, or None."""
        return self.points[-1] if self.points else None


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
    """Every session the charts cover: session id -> (created at, rubric id), oldest first."""

    def series(self, key: str, source: Source = Source.people, rubric_id: str | None = None) -> Series | None:
        """Find one series by key, source and (for criteria and overall) rubric."""
        for s in (*self.criteria, *self.overall, *self.metrics):
            if s.key == key and s.source == source and (rubric_id is None or s.rubric_id == rubric_id):
                return s
        return None


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


def _criterion_series(source: Source, rows: list, info: dict[str, dict[str, Any]], by_day: bool,
                      criteria: list[Series], overall: list[Series], charted: dict[str, tuple[float, str]]) -> None:
    """Append one source's criterion and overall series, built from the grouped totals ``rows``."""
    lines: dict[tuple[str, str], list[Point]] = defaultdict(list)
    days: dict[tuple[str, str], dict[str, Any]] = {}  # (rubric, key) -> at, sessions, criterion means
    for rubric_id, cid, k, at, total, n, sessions, _ in rows:
        k = _day(k) if by_day else k
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
    by_day: bool = True,
) -> PersonProgress:
    """One person's progress (see the module notes).

    With ``by_day`` (the history screen) each chart point is one local calendar day (the date a session
    was created on, in the time zone it was stored in): the mean of every rating of that day's sessions
    (R:Q and %CR: the day's counts added up); otherwise one point per
    session. ``flt.person`` is ignored; ``flt.limit`` caps only the session list, never the charts.
    Grouping happens in SQL over covering indexes, so the work in Python is per point, not per rating.
    """
    flt = flt or HistoryFilter()
    where, params = _where(flt, "t")
    # ``day`` is stored with each row (the local date the session was created on), and the covering
    # indexes are in (rubric, criterion, day) order, so grouping by day needs no sort.
    key = "t.day" if by_day else "t.session_id"
    # Every table read here carries the session's created_at, kind, scenario and rubric, and has a
    # covering index led by the person: no join, no sessions row read.
    cond = f"t.listener = ? AND {where}"
    args = (person, *params)
    criteria: list[Series] = []
    overall: list[Series] = []
    charted: dict[str, tuple[float, str]] = {}
    rubrics: dict[str, str] = {}
    fetched = {}
    for source, table in ((Source.people, "criterion_totals"), (Source.observer, "auto_totals")):
        fetched[source] = store.read(
            # count(*): one totals row per round and criterion, and a person listens once per session.
            f"SELECT t.rubric_id, t.criterion_id, {key} AS k, min(t.created_at), sum(t.total), sum(t.n),"
            f" count(*), max(t.session_id) FROM {table} t WHERE {cond}"
            " GROUP BY t.rubric_id, t.criterion_id, k HAVING sum(t.n) > 0 ORDER BY 4", args)
        for row in fetched[source]:
            rubrics.setdefault(row[0], row[7])
    info = _rubric_info(store, rubrics)
    for source, rows in fetched.items():
        _criterion_series(source, rows, info, by_day, criteria, overall, charted)
    people: dict[str, list] = {}
    for rubric_id, k, at, sessions, tally_id, count in store.read(
        f"SELECT t.rubric_id, {key} AS k, min(t.created_at), count(DISTINCT t.session_id), t.tally_id,"
        f" sum(t.total) FROM tally_totals t WHERE {cond} AND t.rows > 0 GROUP BY t.rubric_id, k, t.tally_id"
        " ORDER BY 3", args
    ):
        k = _day(k) if by_day else k
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
    for k, at, sessions, rubric_id, *counts in store.read(
        f"SELECT {key} AS k, min(t.created_at), count(*), max(t.rubric_id), sum(t.q_open), sum(t.q_closed),"
        f" sum(t.r_simple), sum(t.r_complex) FROM observation_totals t WHERE {cond} AND t.turns > 0"
        " GROUP BY k ORDER BY 2", args,
    ):
        k = _day(k) if by_day else k
        observer[k] = [at, sessions, *counts]
        charted.setdefault(k, (at, rubric_id))
    tried = {r[0] for r in store.read(
        "SELECT DISTINCT scenario_id FROM rounds WHERE listener = ? AND started_at IS NOT NULL", (person,))}
    listed = HistoryFilter(person, flt.scenario_id, flt.kind, flt.since, flt.until, flt.limit)
    return PersonProgress(
        person,
        list_sessions(store, listed, listener=True),
        criteria,
        overall,
        _metric_series(people, Source.people) + _metric_series(observer, Source.observer),
        [sid for sid in dict.fromkeys(available) if sid not in tried],
        dict(sorted(charted.items(), key=lambda item: item[1][0])),
    )


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
