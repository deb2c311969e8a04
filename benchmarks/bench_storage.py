"""Benchmark storage: saving one rating (target under 5 ms), resuming a session, and a history query.

Run ``python -m benchmarks.bench_storage`` from the project root. Everything happens in a fresh temp
folder on disk (``ROLEPLAY_BENCH_DIR`` chooses where; default: the system temp folder), in WAL mode,
exactly as the app saves: one transaction per action, through ``PracticeSession.rate``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import SessionConfig
from roleplay.storage import open_store

SAVES = 1_000
HISTORY_TURNS = 100_000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_rating_saves(folder: Path) -> dict[str, float]:
    """Median and p95 milliseconds to save one rating (validate, write event + projection, apply)."""
    with open_store(folder) as store:
        config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric())
        session = PracticeSession.create(config, store)
        session.acknowledge_agreement()
        session.start_round()
        timings = []
        for i in range(SAVES):
            started = time.perf_counter()
            session.rate("Cleo", "paraphrase", 1 + i % 4, note=f"note {i}")
            timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        PracticeSession.resume(store, session.id)
        resume_ms = (time.perf_counter() - started) * 1000
        journal = store._db.execute("PRAGMA journal_mode").fetchone()[0]
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
        "max_ms": max(timings),
        "resume_ms_1003_events": resume_ms,
        "wal": float(journal == "wal"),
    }


def bench_history(folder: Path) -> dict[str, float]:
    """Milliseconds for ``listener_progress`` with 100,000 stored turns (4 ratings each) for one person.

    The turns' ratings are bulk-inserted (10 turns a session) rather than played through the engine, so
    set-up takes seconds, not minutes.
    """
    with open_store(folder) as store:
        config = SessionConfig(("Ana", "Ben"), sample_scenario(), sample_rubric())
        session = PracticeSession.create(config, store, session_id="seed")
        db = store._db
        sessions = HISTORY_TURNS // 10  # 10 turns per stored session
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO sessions (id, created_at, updated_at, kind, mode, minutes, agreement_id, scenario_id,"
            " scenario_title, rubric_id, scenario_sha, rubric_sha) SELECT ?, ?, ?, kind, mode, minutes,"
            " agreement_id, scenario_id, scenario_title, rubric_id, scenario_sha, rubric_sha"
            " FROM sessions WHERE id = 'seed'",
            [(f"h{i}", 1e9 + i, 1e9 + i) for i in range(sessions)],
        )
        criteria = [c.id for c in session.rubric.criteria]
        rows = (
            (f"h{t // 10}", 1, t % 10, "Ana", cid, "Ben", 1 + (t + k) % 4, None, 1e9 + t)
            for t in range(HISTORY_TURNS)
            for k, cid in enumerate(criteria)
        )
        db.executemany("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?)", rows)
        # The running totals the app keeps as it saves, built here in one go for speed of set-up.
        db.execute(
            "INSERT INTO criterion_totals (session_id, round_no, criterion_id, listener, total, n, at)"
            " SELECT session_id, round_no, criterion_id, listener, sum(value),"
            " count(*), max(at) FROM ratings WHERE session_id != 'seed'"
            " GROUP BY session_id, round_no, criterion_id"
        )
        db.execute("COMMIT")
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            points = store.listener_progress("Ben")
            timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(timings), "points": float(len(points))}


def main() -> None:
    """Print the figures."""
    base = os.environ.get("ROLEPLAY_BENCH_DIR")
    with tempfile.TemporaryDirectory(dir=base) as folder:
        saves = bench_rating_saves(Path(folder) / "saves")
        print(f"save one rating ({SAVES} saves, WAL={bool(saves['wal'])}, folder {folder}):")
        print(f"  median {saves['median_ms']:.3f} ms, p95 {saves['p95_ms']:.3f} ms, max {saves['max_ms']:.3f} ms"
              f"  (target < 5 ms: {'ok' if saves['p95_ms'] < 5 else 'MISSED'})")
        print(f"  resume a session of {SAVES + 3} events: {saves['resume_ms_1003_events']:.1f} ms")
        history = bench_history(Path(folder) / "history")
        print(f"history query, {HISTORY_TURNS:,} turns x 4 ratings for one person: "
              f"median {history['median_ms']:.1f} ms ({int(history['points'])} chart points)")


if __name__ == "__main__":
    main()
