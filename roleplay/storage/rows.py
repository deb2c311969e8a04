"""The plain row shapes the store returns (dataclasses and named tuples, no database types), and the one
query that lists sessions.

Whatever backend serves them, callers get ids as ``str``, times as seconds since the epoch (``float``) and
plain Python values, so nothing outside ``roleplay.storage`` depends on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

#: Runs one read-only query: (sql, parameters) -> rows as plain tuples (the SQLite store's ``_read``).
Reader = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One stored session as a list row (for home's "resume" and the history screen)."""

    id: str
    created_at: float
    updated_at: float
    status: str
    """``active``, ``finished`` or ``abandoned``."""
    kind: str
    mode: str
    scenario_id: str
    scenario_title: str
    rubric_id: str
    names: tuple[str, ...]
    """The people, in rotation order."""
    rounds_total: int
    rounds_ended: int
    round_scenarios: tuple[str, ...] = ()
    """The scenario id each round plays, in round order (the same id throughout when rounds do not differ)."""


class RatingRow(NamedTuple):
    """One rating a person received as listener (``turn_index`` -1: a per-round rating)."""

    session_id: str
    round_no: int
    turn_index: int
    rater: str
    criterion_id: str
    value: int
    at: float
    scenario_id: str


class ProgressRow(NamedTuple):
    """The mean rating a person received on one criterion in one round (people only)."""

    session_id: str
    round_no: int
    created_at: float
    scenario_id: str
    criterion_id: str
    mean: float
    n: int


@dataclass(frozen=True, slots=True)
class TallyRow:
    """One behaviour count recorded for a person as listener (a dataclass: ``count`` is a tuple method)."""

    session_id: str
    round_no: int
    turn_index: int
    rater: str
    tally_id: str
    count: int
    at: float


def summaries(read: Reader, where: str, params: tuple[Any, ...], limit: int | None) -> list[SessionSummary]:
    """The sessions matching ``where`` (over ``sessions s``), newest activity first, at most ``limit``.

    The newest ``limit`` ids are picked first (walking the ``sessions_updated`` index), then only those
    rows are read with their names and round counts.
    """
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    sql = (
        "SELECT s.id, s.created_at, s.updated_at, s.status, s.kind, s.mode, s.scenario_id,"
        " s.scenario_title, s.rubric_id,"
        " (SELECT json_group_array(name) FROM (SELECT name FROM participants p"
        "   WHERE p.session_id = s.id ORDER BY position)),"
        " (SELECT count(*) FROM rounds r WHERE r.session_id = s.id),"
        " (SELECT count(*) FROM rounds r WHERE r.session_id = s.id AND r.ended_at IS NOT NULL),"
        " (SELECT json_group_array(scenario_id) FROM (SELECT scenario_id FROM rounds r"
        "   WHERE r.session_id = s.id ORDER BY round_no))"
        f" FROM (SELECT s.id FROM sessions s WHERE {where} ORDER BY s.updated_at DESC{cut}) AS pick"
        " JOIN sessions s ON s.id = pick.id ORDER BY s.updated_at DESC"
    )
    return [
        SessionSummary(id=r[0], created_at=r[1], updated_at=r[2], status=r[3], kind=r[4], mode=r[5],
                       scenario_id=r[6], scenario_title=r[7], rubric_id=r[8], names=tuple(json.loads(r[9])),
                       rounds_total=r[10], rounds_ended=r[11], round_scenarios=tuple(json.loads(r[12] or "[]")))
        for r in read(sql, params)
    ]
