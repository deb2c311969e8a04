"""Chart periods and each series' best and latest *day*, worked out in SQL for the history screen.

A person who practised on hundreds of days has thousands of day points per chart, but a terminal chart
is about forty columns wide. So the history queries (:mod:`roleplay.storage.history`) can group days into
periods of equal length (:func:`period`), which keeps the Python work per chart point small however long
the history is. The best and latest figures must still be those of single days, so
:func:`criterion_extremes` and the metric ones find them by grouping the per-day rows, in SQLite, returning one
or two rows per series instead of one per day.

Definitions match :mod:`roleplay.session.progress` (which builds the charts from these rows): a
criterion's day value is the mean of that day's ratings; the overall day value is the weight-averaged
mean of the day's criterion means; R:Q and %CR are worked out from the day's added-up behaviour counts.
"""

from __future__ import annotations

from typing import Any

from roleplay.storage.rows import Reader

#: Extreme rows: (kind, source table, rubric id, series key) -> (best, latest), each as
#: (day number, created at, value, n, sessions).
Extremes = dict[tuple[str, str | None, str], tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]]


def _extremes(x: str) -> tuple[str, str]:
    """For per-day rows ``x`` (columns r, c, k, at, v, n, s; one row per r, c and k): the CTEs and the
    select giving each series' latest day and best day (the latest of equal ones), flagged (best, latest).

    Plain grouping and joins back on the picked day (written so that PostgreSQL runs it too: no bare
    columns beside ``max``): read straight from a per-day table's primary key, nothing is sorted (window
    functions sorted on every open).
    """
    ctes = (f", top_{x} AS (SELECT r, c, max(v) AS v, max(k) AS k FROM {x} GROUP BY r, c),\n"
            f"    best_{x} AS (SELECT x.r, x.c, max(x.k) AS k FROM {x} x JOIN top_{x} t"
            f" ON t.r = x.r AND t.c = x.c AND t.v = x.v GROUP BY 1, 2)")
    select = (f"SELECT x.r, x.c, x.k, x.at, x.v, x.n, x.s, 0, 1 FROM {x} x JOIN top_{x} t"
              f" ON t.r = x.r AND t.c = x.c AND t.k = x.k\n"
              f"UNION ALL SELECT x.r, x.c, x.k, x.at, x.v, x.n, x.s, 1, 0 FROM {x} x JOIN best_{x} b"
              f" ON b.r = x.r AND b.c = x.c AND b.k = x.k")
    return ctes, select


class Units:
    """Where one person's per-unit rows come from: a unit is a day or a session (``by_day``).

    Each method returns a subquery and its parameters, with the same columns whether it reads the
    per-day tables (an unfiltered history by day: one row per day) or groups the per-round tables (a
    filter is set, or units are sessions). ``cond``/``args`` select the person's per-round rows (alias
    ``t``).
    """

    def __init__(self, person: str, cond: str, args: tuple[Any, ...], *, by_day: bool, filtered: bool) -> None:
        """Read the per-day tables when ``by_day`` and not ``filtered``."""
        self.person, self.cond, self.args = person, cond, args
        self.unit = "t.day" if by_day else "t.session_id"
        self.daily = by_day and not filtered
        # Per-day rows read by primary key are in series order and cheap to read again: inlining them
        # lets SQLite group without sorting. Rows grouped from per-round tables are worth keeping once.
        self.hint = "NOT MATERIALIZED" if self.daily else "MATERIALIZED"

    def criteria(self, table: str) -> tuple[str, tuple[Any, ...]]:
        """Columns: rubric_id, criterion_id, unit, created_at, total, n, rounds, session_id."""
        if self.daily:
            days = "criterion_days" if table == "criterion_totals" else "auto_days"
            return (f"SELECT rubric_id, criterion_id, day AS unit, created_at, total, n, rounds, session_id"
                    f" FROM {days} WHERE listener = ?", (self.person,))
        return (f"SELECT t.rubric_id, t.criterion_id, {self.unit} AS unit, min(t.created_at) AS created_at,"
                f" sum(t.total) AS total, sum(t.n) AS n, count(*) AS rounds, max(t.session_id) AS session_id"
                f" FROM {table} t WHERE {self.cond} GROUP BY 1, 2, 3", self.args)

    def observations(self) -> tuple[str, tuple[Any, ...]]:
        """Columns: unit, created_at, sessions, rubric_id, q_open, q_closed, r_simple, r_complex."""
        if self.daily:
            return ("SELECT day AS unit, created_at, sessions, rubric_id, q_open, q_closed, r_simple, r_complex"
                    " FROM observation_days WHERE listener = ?", (self.person,))
        return (f"SELECT {self.unit} AS unit, min(t.created_at) AS created_at, count(*) AS sessions,"
                f" max(t.rubric_id) AS rubric_id, sum(t.q_open) AS q_open, sum(t.q_closed) AS q_closed,"
                f" sum(t.r_simple) AS r_simple, sum(t.r_complex) AS r_complex FROM observation_totals t"
                f" WHERE {self.cond} AND t.turns > 0 GROUP BY 1", self.args)

    def tallies(self) -> tuple[str, tuple[Any, ...]]:
        """Columns: rubric_id, unit, tally_id, created_at, sessions, total."""
        if self.daily:
            return ("SELECT rubric_id, day AS unit, tally_id, created_at, sessions, total FROM tally_days"
                    " WHERE listener = ?", (self.person,))
        return (f"SELECT t.rubric_id, {self.unit} AS unit, t.tally_id, min(t.created_at) AS created_at,"
                f" count(DISTINCT t.session_id) AS sessions, sum(t.total) AS total FROM tally_totals t"
                f" WHERE {self.cond} AND t.rows > 0 GROUP BY 1, 2, 3", self.args)


def period(read: Reader, units: Units, max_points: int) -> tuple[int, int]:
    """The first day and the period length in days, so the person's days fit in ``max_points`` periods."""
    parts = [units.criteria("criterion_totals"), units.criteria("auto_totals"), units.observations(),
             units.tallies()]
    union = " UNION ALL ".join(f"SELECT min(unit) AS lo, max(unit) AS hi FROM ({sql})" for sql, _ in parts)
    lo, hi = read(f"SELECT min(lo), max(hi) FROM ({union})", tuple(a for _, args in parts for a in args))[0]
    if lo is None:
        return 0, 1
    days = hi - lo + 1
    return int(lo), max(1, -(-days // max(1, max_points)))


def _values(rows: list[tuple[Any, ...]], columns: int) -> tuple[str, list[Any]]:
    """A table expression of literal rows (``WHERE 0`` when there are none), with its parameters."""
    if not rows:
        return "SELECT " + ", ".join(["NULL"] * columns) + " WHERE 0", []
    one = "SELECT " + ", ".join(["?"] * columns)
    return " UNION ALL ".join([one] * len(rows)), [value for row in rows for value in row]


def _collect(rows: list[tuple[Any, ...]], kind: str, out: Extremes) -> None:
    for rubric_id, key, day, at, value, n, sessions, best, latest in rows:
        rubric_id = rubric_id or None  # '' stands for "no rubric" (the metrics): '' joins, NULL would not
        point = (day, at, value, n, sessions)
        old_best, old_latest = out.get((kind, rubric_id, key), (None, None))
        out[(kind, rubric_id, key)] = (point if best == 1 else old_best, point if latest == 1 else old_latest)


def criterion_extremes(read: Reader, units: Units, table: str, weights: dict[str, dict[str, float]]) -> Extremes:
    """Best and latest day of each criterion (key: criterion id) and of the overall score (key ``overall``)
    from one totals table. ``weights``: rubric id -> criterion id -> weight."""
    values, params = _values([(r, c, w) for r, ws in weights.items() for c, w in ws.items()], 3)
    days, args = units.criteria(table)
    d_ctes, d_select = _extremes("d")
    o_ctes, o_select = _extremes("o")
    sql = f"""WITH d AS {units.hint} (SELECT rubric_id AS r, criterion_id AS c, unit AS k, created_at AS at,
        total * 1.0 / n AS v, n, rounds AS s FROM ({days}) WHERE n > 0),
    w(r, c, w) AS ({values}),
    o AS MATERIALIZED (SELECT d.r, '' AS c, d.k, min(d.at) AS at, sum(w.w * d.v) / sum(w.w) AS v, count(*) AS n,
        max(d.s) AS s FROM d JOIN w ON w.r = d.r AND w.c = d.c GROUP BY d.r, d.k){d_ctes}{o_ctes}
    {d_select}
    UNION ALL {o_select}"""
    out: Extremes = {}
    rows = read(sql, (*args, *params))
    _collect([(r, c or "overall", *rest) for r, c, *rest in rows], "criterion", out)
    return out


_METRICS = """, m AS (SELECT q, rs, rc, k, at, s FROM d),
    a AS MATERIALIZED (SELECT '' AS r, 'r_to_q' AS c, k, at, (rs + rc) * 1.0 / q AS v, q AS n, s FROM m WHERE q > 0
        UNION ALL SELECT '', 'pct_cr', k, at, 100.0 * rc / (rs + rc), rs + rc, s FROM m WHERE rs + rc > 0)"""


_A_CTES, _A_SELECT = _extremes("a")


def observer_metric_extremes(read: Reader, units: Units) -> Extremes:
    """Best and latest day of the automatic observer's R:Q and %CR (keys ``r_to_q``, ``pct_cr``)."""
    days, args = units.observations()
    sql = f"""WITH d AS (SELECT unit AS k, created_at AS at, sessions AS s, q_open + q_closed AS q,
        r_simple AS rs, r_complex AS rc FROM ({days})){_METRICS}{_A_CTES}
    {_A_SELECT}"""
    out: Extremes = {}
    _collect(read(sql, args), "metric", out)
    return out


def people_metric_extremes(read: Reader, units: Units, behaviours: dict[str, dict[str, str]]) -> Extremes:
    """Best and latest day of the human raters' R:Q and %CR, from their tallies. ``behaviours``:
    rubric id -> tally id -> behaviour code (a tally not listed counts as the code of its own id)."""
    values, params = _values([(r, t, code) for r, codes in behaviours.items() for t, code in codes.items()], 3)
    days, args = units.tallies()
    sql = f"""WITH b(r, tally, code) AS ({values}),
    x AS (SELECT u.unit AS k, u.created_at AS at, u.sessions AS sessions, u.total AS total,
        coalesce(b.code, u.tally_id) AS code FROM ({days}) u LEFT JOIN b ON b.r = u.rubric_id AND b.tally = u.tally_id),
    d AS (SELECT k, min(at) AS at, max(sessions) AS s,
        sum(CASE WHEN code IN ('question_open', 'question_closed') THEN total ELSE 0 END) AS q,
        sum(CASE WHEN code = 'reflection_simple' THEN total ELSE 0 END) AS rs,
        sum(CASE WHEN code = 'reflection_complex' THEN total ELSE 0 END) AS rc FROM x GROUP BY k)
    {_METRICS}{_A_CTES}
    {_A_SELECT}"""
    out: Extremes = {}
    _collect(read(sql, (*params, *args)), "metric", out)
    return out
