"""The history queries: a person's sessions, ratings, counts and observations over time, read from the
projection tables (never by replaying events).

These are methods of the store (:class:`HistoryReads` is mixed into the SQLite store); the session layer
(:mod:`roleplay.session.progress`) turns the rows into chart series. An unfiltered history by day reads
the per-day tables (:mod:`roleplay.storage.day_totals`), a filtered one the per-round tables; long
histories are grouped into periods in SQL (:mod:`roleplay.storage.history_days`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from roleplay.storage import history_days
from roleplay.storage.errors import SessionNotFoundError
from roleplay.storage.rows import ProgressRow, RatingRow, SessionSummary, TallyRow, summaries

#: The two sources of scores and the per-round table each is read from.
SOURCES = (("people", "criterion_totals"), ("observer", "auto_totals"))

#: Best and latest single day of each series: (source, kind, rubric id, series key) -> (best, latest),
#: each (day number, created at, value, n, sessions) or None. ``kind`` is ``criterion`` (criteria and
#: ``overall``) or ``metric`` (``r_to_q``, ``pct_cr``; rubric id None).
DayExtremes = dict[tuple[str, str, str | None, str], tuple[Any, Any]]


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

    @property
    def filtered(self) -> bool:
        """True when a scenario, kind or date range narrows the charts (``person`` and ``limit`` do not)."""
        return any(v is not None for v in (self.scenario_id, self.kind, self.since, self.until))


@dataclass(frozen=True, slots=True)
class HistoryRows:
    """One person's grouped history rows. Point keys ``k`` are unit numbers: with ``by_day`` a day is
    ``origin + k * width`` (days since 1970-01-01, local), else ``k`` is the session id."""

    origin: int
    width: int
    """Days per point (1 unless a long history by day was grouped into periods)."""
    criteria: dict[str, list[tuple[Any, ...]]]
    """Source (``people``, ``observer``) -> rows (rubric_id, criterion_id, k, at, total, n, rounds,
    session_id), oldest first."""
    tallies: list[tuple[Any, ...]]
    """People's counts: (rubric_id, k, at, sessions, tally_id, count), oldest first."""
    observations: list[tuple[Any, ...]]
    """The observer's behaviour codes: (k, at, sessions, rubric_id, q_open, q_closed, r_simple, r_complex)."""
    tried: frozenset[str]
    """Scenario ids the person has listened in (in a started round), whatever the filter."""


def _where(flt: HistoryFilter, alias: str = "s") -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []  # a true condition PostgreSQL accepts too (not a bare 1)
    for column, value, op in (("scenario_id", flt.scenario_id, "="), ("kind", flt.kind, "="),
                              ("created_at", flt.since, ">="), ("created_at", flt.until, "<")):
        if value is not None:
            clauses.append(f"{alias}.{column} {op} ?")
            params.append(value)
    return " AND ".join(clauses), params


class HistoryReads:
    """The history queries as store methods (the class using this provides ``_read``)."""

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def people(self) -> list[str]:
        """Everyone who has taken part in a stored session, alphabetically."""
        return [r[0] for r in self._read("SELECT DISTINCT name FROM participants ORDER BY name")]

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Sessions that were neither finished nor abandoned, newest activity first (for "resume")."""
        return summaries(self._read, "s.status = 'active'", (), None)

    def list_sessions(self, person: str | None = None, limit: int | None = None) -> list[SessionSummary]:
        """Stored sessions, newest activity first, optionally only those ``person`` took part in."""
        return self.history_sessions(HistoryFilter(person, limit=limit))

    def session_summary(self, session_id: str) -> SessionSummary:
        """One session's list row; raises :class:`SessionNotFoundError`."""
        found = summaries(self._read, "s.id = ?", (session_id,), 1)
        if not found:
            raise SessionNotFoundError(session_id)
        return found[0]

    def history_sessions(self, flt: HistoryFilter, *, listener: bool = False) -> list[SessionSummary]:
        """Stored sessions matching the filter, newest activity first.

        ``flt.person``: sessions they took part in (any role), or with ``listener`` only those in which
        they listened in a started round.
        """
        where, params = _where(flt)
        if flt.person is not None and listener:
            # Walk sessions newest first and probe each one's rounds by primary key ('+' keeps SQLite off
            # the listener index): the newest ``limit`` are found after a few hundred probes, with no sort.
            where += (" AND EXISTS (SELECT 1 FROM rounds r WHERE r.session_id = s.id AND +r.listener = ?"
                      " AND +r.started_at IS NOT NULL)")
            params.append(flt.person)
        elif flt.person is not None:
            where += " AND s.id IN (SELECT session_id FROM participants WHERE name = ?)"
            params.append(flt.person)
        return summaries(self._read, where, tuple(params), flt.limit)

    def rubric_snapshot(self, session_id: str) -> dict[str, Any] | None:
        """The rubric as a session used it (its stored snapshot), or None."""
        # By primary key, then the snapshot stored once for every session that used it.
        row = self._read("SELECT json FROM snapshots WHERE sha = (SELECT rubric_sha FROM sessions WHERE id = ?)",
                         (session_id,))
        return json.loads(row[0][0]) if row else None

    def session_with_rubric(self, rubric_id: str) -> str | None:
        """The id of one stored session that used rubric ``rubric_id``, or None."""
        row = self._read("SELECT id FROM sessions WHERE rubric_id = ? LIMIT 1", (rubric_id,))
        return str(row[0][0]) if row else None

    def _units(self, person: str, flt: HistoryFilter, by_day: bool) -> history_days.Units:
        where, params = _where(flt, "t")
        # Every per-round table read here carries the session's created_at, kind, scenario and rubric, and
        # has a covering index led by the person: no join, no sessions row read. An unfiltered history by
        # day reads the per-day tables instead (one row per day, kept by triggers).
        return history_days.Units(person, f"t.listener = ? AND {where}", (person, *params), by_day=by_day,
                                  filtered=flt.filtered)

    def person_history(self, person: str, flt: HistoryFilter, *, by_day: bool = True,
                       max_points: int | None = None) -> HistoryRows:
        """One person's ratings, counts and observations grouped per point (see :class:`HistoryRows`):
        per day (or period of days, to fit ``max_points``) with ``by_day``, else per session."""
        units = self._units(person, flt, by_day)
        origin, width = (0, 1)
        if by_day and max_points:
            origin, width = history_days.period(self._read, units, max_points)
        key = f"(unit - {origin}) / {width}" if width > 1 else "unit"
        criteria = {}
        for source, table in SOURCES:
            sql, args = units.criteria(table)
            criteria[source] = self._read(
                f"SELECT rubric_id, criterion_id, {key} AS k, min(created_at), sum(total), sum(n), sum(rounds),"
                f" max(session_id) FROM ({sql}) GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 4", args)
        sql, args = units.tallies()
        tallies = self._read(
            f"SELECT rubric_id, {key} AS k, min(created_at), sum(sessions), tally_id, sum(total) FROM ({sql})"
            " GROUP BY 1, 2, 5 ORDER BY 3", args)
        sql, args = units.observations()
        observations = self._read(
            f"SELECT {key} AS k, min(created_at), sum(sessions), max(rubric_id), sum(q_open), sum(q_closed),"
            f" sum(r_simple), sum(r_complex) FROM ({sql}) GROUP BY 1 ORDER BY 2", args)
        tried = frozenset(r[0] for r in self._read(
            "SELECT DISTINCT scenario_id FROM rounds WHERE listener = ? AND started_at IS NOT NULL", (person,)))
        return HistoryRows(origin, width, criteria, tallies, observations, tried)

    def day_extremes(self, person: str, flt: HistoryFilter, weights: dict[str, dict[str, float]],
                     behaviours: dict[str, dict[str, str]]) -> DayExtremes:
        """Each by-day series' best and latest single day (see :data:`DayExtremes`). ``weights``: rubric
        id -> criterion id -> weight; ``behaviours``: rubric id -> tally id -> behaviour code."""
        units = self._units(person, flt, True)
        found: DayExtremes = {}
        for source, table in SOURCES:
            for (_, rubric_id, key), pair in history_days.criterion_extremes(self._read, units, table,
                                                                             weights).items():
                found[(source, "criterion", rubric_id, key)] = pair
        for source, extremes in (("people", history_days.people_metric_extremes(self._read, units, behaviours)),
                                 ("observer", history_days.observer_metric_extremes(self._read, units))):
            for (_, rubric_id, key), pair in extremes.items():
                found[(source, "metric", rubric_id, key)] = pair
        return found

    def charted_rounds(self, person: str, flt: HistoryFilter, limit: int) -> int:
        """How many started rounds ``person`` listened in under ``flt``, counted up to ``limit + 1``.

        Cheap: a range of the ``rounds_listener`` (or ``rounds_tried``) index, cut at ``limit + 1`` rows;
        only a kind or date filter probes ``sessions``.
        """
        clauses, params = ["listener = ?", "started_at IS NOT NULL"], list[Any]([person])
        if flt.scenario_id is not None:
            clauses.append("scenario_id = ?")
            params.append(flt.scenario_id)
        session_clauses = []
        for column, value, op in (("kind", flt.kind, "="), ("created_at", flt.since, ">="),
                                  ("created_at", flt.until, "<")):
            if value is not None:
                session_clauses.append(f"s.{column} {op} ?")
                params.append(value)
        if session_clauses:
            clauses.append(f"EXISTS (SELECT 1 FROM sessions s WHERE s.id = rounds.session_id AND "
                           f"{' AND '.join(session_clauses)})")
        sql = f"SELECT count(*) FROM (SELECT 1 FROM rounds WHERE {' AND '.join(clauses)} LIMIT {int(limit) + 1})"
        return int(self._read(sql, tuple(params))[0][0])

    def solo_run(self, session_id: str) -> tuple[bool, int]:
        """Whether a stored solo rehearsal stopped early, and how many lines it answered."""
        rows = self._read(
            "SELECT r.ended_early, (SELECT count(*) FROM turns t WHERE t.session_id = r.session_id"
            " AND t.round_no = r.round_no AND t.response IS NOT NULL) FROM rounds r"
            " WHERE r.session_id = ? AND r.round_no = 1", (session_id,))
        return (bool(rows[0][0]), int(rows[0][1])) if rows else (False, 0)

    def last_solo_name(self) -> str | None:
        """The name on the most recently started solo rehearsal, or None."""
        rows = self._read(
            "SELECT p.name FROM sessions s JOIN participants p ON p.session_id = s.id"
            " WHERE s.kind = 'solo' ORDER BY s.created_at DESC LIMIT 1"
        )
        return str(rows[0][0]) if rows else None

    def listener_ratings(self, person: str) -> list[RatingRow]:
        """Every rating ``person`` received as listener, oldest first (served by ``ratings_listener``)."""
        return [RatingRow(*r) for r in self._read(
            "SELECT r.session_id, r.round_no, r.turn_index, r.rater, r.criterion_id, r.value, r.at,"
            " s.scenario_id FROM ratings r JOIN sessions s ON s.id = r.session_id"
            " WHERE r.listener = ? ORDER BY r.at",
            (person,),
        )]

    def listener_progress(self, person: str) -> list[ProgressRow]:
        """Per round and criterion, the mean rating ``person`` received as listener, oldest first.

        One point per round on each criterion's progress chart. Read from the running totals, so it stays
        fast with 100,000 stored turns; the automatic observer's suggestions are left out.
        """
        return [ProgressRow(*r) for r in self._read(
            "SELECT session_id, round_no, created_at, scenario_id, criterion_id,"
            " CAST(total AS REAL) / n AS mean, n FROM criterion_totals WHERE listener = ? AND n > 0"
            " ORDER BY at, criterion_id",
            (person,),
        )]

    def listener_tallies(self, person: str) -> list[TallyRow]:
        """Every behaviour count recorded for ``person`` as listener, oldest first (for R:Q, %CR)."""
        return [TallyRow(*r) for r in self._read(
            "SELECT session_id, round_no, turn_index, rater, tally_id, count, at FROM tallies"
            " WHERE listener = ? ORDER BY at",
            (person,),
        )]


__all__ = ["SOURCES", "DayExtremes", "HistoryFilter", "HistoryReads", "HistoryRows"]
