"""The queries behind command-line look-ups and the class report, as store methods.

:class:`ClassReads` is mixed into the SQLite store (it provides ``_read``). Rows are plain tuples; JSON
columns (a rubric snapshot, a round's observers) come back as JSON text, as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from roleplay.storage.events import AUTO_RATER


def _filters(since: float | None, tag: str | None,
             session_ids: Sequence[str] | None = None) -> tuple[str, tuple[Any, ...]]:
    clauses, params = ["1 = 1"], list[Any]()  # a true condition PostgreSQL accepts too (not a bare 1)
    if session_ids is not None:
        ids = sorted(set(session_ids))
        clauses.append(f"s.id IN ({', '.join('?' * len(ids))})" if ids else "1 = 0")
        params.extend(ids)
    if since is not None:
        clauses.append("s.created_at >= ?")
        params.append(since)
    if tag is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each((SELECT json FROM snapshots WHERE sha = s.scenario_sha),"
                       " '$.tags') WHERE value = ?)")
        params.append(tag)
    return " AND ".join(clauses), tuple(params)


class ClassReads:
    """Session id look-up and the class report's rows (the class using this provides ``_read``)."""

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def session_count(self) -> int:
        """How many sessions are stored."""
        return int(self._read("SELECT count(*) FROM sessions")[0][0])

    def has_session(self, session_id: str) -> bool:
        """True when a session with exactly this id is stored."""
        return bool(self._read("SELECT 1 FROM sessions WHERE id = ?", (session_id,)))

    def session_ids_starting(self, prefix: str, limit: int = 6) -> list[str]:
        """Up to ``limit`` stored session ids starting with ``prefix`` (taken literally), in id order."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._read(f"SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT {int(limit)}",
                          (escaped + "%",))
        return [str(r[0]) for r in rows]

    def _newest_rubrics(self, where: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """(rubric_id, rubric JSON, created_at) of the newest matching session using each rubric."""
        newest: dict[str, tuple[str, float]] = {}
        for rubric_id, sha, created_at in self._read(
                f"SELECT s.rubric_id, s.rubric_sha, s.created_at FROM sessions s WHERE {where}"
                " ORDER BY s.created_at, s.id", params):
            newest[rubric_id] = (sha, created_at)  # later rows win: the newest session's snapshot
        out = []
        for rubric_id, (sha, created_at) in newest.items():
            found = self._read("SELECT json FROM snapshots WHERE sha = ?", (sha,))
            out.append((rubric_id, found[0][0] if found else None, created_at))
        return out

    def class_data(self, since: float | None, tag: str | None,
                   session_ids: Sequence[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """The rows the class report needs, for sessions created at/after ``since`` with scenario tag ``tag``
        (and, given ``session_ids``, only those sessions: one served class's groups).

        Keys: ``sessions`` (id, created_at), ``rubrics`` (rubric_id, rubric JSON of the newest session using
        it, its created_at), ``ratings`` (session_id, round_no, listener, rubric_id, criterion_id, value,
        round start, rater kind: ``observer`` for a person rating someone else, ``self`` for the listener
        rating themselves, ``auto`` for the automatic observer), ``rounds`` (session_id, round_no, speaker,
        listener, observers JSON, started_at; started rounds only), ``people`` (session_id, name).
        """
        where, params = _filters(since, tag, session_ids)
        sessions = self._read(f"SELECT s.id, s.created_at FROM sessions s WHERE {where} ORDER BY s.created_at",
                              params)
        rubrics = self._newest_rubrics(where, params)
        ratings = self._read(
            "SELECT r.session_id, r.round_no, r.listener, s.rubric_id, r.criterion_id, r.value,"
            " coalesce(rd.started_at, r.at),"
            " CASE WHEN r.rater = ? THEN 'auto' WHEN r.rater = r.listener THEN 'self' ELSE 'observer' END"
            " FROM ratings r JOIN sessions s ON s.id = r.session_id"
            " LEFT JOIN rounds rd ON rd.session_id = r.session_id AND rd.round_no = r.round_no"
            f" WHERE {where}", (AUTO_RATER, *params))
        rounds = self._read(
            "SELECT rd.session_id, rd.round_no, rd.speaker, rd.listener, rd.observers, rd.started_at"
            f" FROM rounds rd JOIN sessions s ON s.id = rd.session_id WHERE {where} AND rd.started_at IS NOT NULL",
            params)
        people = self._read(
            f"SELECT p.session_id, p.name FROM participants p JOIN sessions s ON s.id = p.session_id WHERE {where}"
            " ORDER BY s.created_at, p.position", params)
        return {"sessions": sessions, "rubrics": rubrics, "ratings": ratings, "rounds": rounds, "people": people}
