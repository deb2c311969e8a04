"""The class store: SQLite vs PostgreSQL on this machine, measured in the same run.

1. Saving one rating (``PracticeSession.rate``: one durable transaction with its projections), median and
   p95 on each backend. SQLite runs as the app runs it (WAL, ``synchronous=NORMAL``); PostgreSQL is a
   throwaway local server with its durable defaults (fsync on, ``synchronous_commit=on``), over TCP on
   127.0.0.1.
2. Live-sync latency: 30 writer processes (three per group session, as observers' devices; each group
   has its own listener) each save a rating every 0.3 s, ten times a classroom's pace of one every 3 s;
   a follower in this process (``roleplay.storage.follow``) measures write -> callback, p50 and p95
   (target p95 < 300 ms), split into the write itself (until ``append_event`` returned) and the delivery
   (commit -> callback), with the load average, since on a shared machine that is what moves them.
3. The class report over 300 sessions read from PostgreSQL (target < 1 s), next to SQLite's.

Run ``python -m benchmarks.bench_postgres`` (``make bench`` runs it with the others). Without the server
binaries or psycopg it prints one line saying so and measures nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import SessionConfig
from roleplay.storage import open_store

SAVES = 300
WRITERS, GROUPS, PACE, SECONDS = 30, 10, 0.3, 12.0
SYNC_TARGET_MS = 300.0
REPORT_TARGET_S = 1.0
REPO = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def save_timings(database: str) -> list[float]:
    """Milliseconds for each of ``SAVES`` ratings saved through the engine into ``database``."""
    with open_store(database=database) as store:
        session = PracticeSession.create(SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric()),
                                         store)
        session.acknowledge_agreement()
        session.start_round()
        timings = []
        for i in range(SAVES):
            started = time.perf_counter()
            session.rate("Cleo", "paraphrase", 1 + i % 4)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def sync_latencies(database: str, state: Path) -> tuple[dict[str, list[float]], int]:
    """Milliseconds with ``WRITERS`` writer processes, per event: ``total`` from the write (the writer
    calling ``append_event``) to the follower's callback, split into ``write`` (until ``append_event``
    returned: committed) and ``delivery`` (from then to the callback); and how many events were written."""
    from roleplay.storage.follow import Change, Follower
    from tests.functional.test_live_sync import make_class

    with open_store(database=database) as store:
        sessions = make_class(store, GROUPS, prefix="sync")
    received: dict[tuple[str, int], float] = {}

    def seen(change: Change) -> None:
        received[(change.session_id, change.event.seq)] = time.time()

    follower = Follower(database).start(seen)
    logs = [state / f"w{k}.out" for k in range(WRITERS)]
    writers = [subprocess.Popen(
        [sys.executable, "-m", "tests.functional.rating_writer", database, f"w{k}", sessions[k % GROUPS],
         str(SECONDS), str(PACE), str(state)], cwd=REPO, stdout=logs[k].open("w"), stderr=subprocess.DEVNULL)
        for k in range(WRITERS)]
    for writer in writers:
        writer.wait(timeout=SECONDS + 120)
    sent: dict[tuple[str, int], tuple[float, float]] = {}  # "ack SESSION SEQ SENT STORED" lines
    for log in logs:
        for line in log.read_text().splitlines():
            _, sid, seq, at, stored = line.split()
            sent[(sid, int(seq))] = (float(at), float(stored))
    deadline = time.monotonic() + 10
    while not set(sent) <= set(received) and time.monotonic() < deadline:
        time.sleep(0.05)
    follower.close()
    got = [(received[key], at, stored) for key, (at, stored) in sent.items() if key in received]
    return {"total": [(r - at) * 1000 for r, at, _ in got], "write": [(s - at) * 1000 for _, at, s in got],
            "delivery": [(r - s) * 1000 for r, _, s in got]}, len(sent)


def report_seconds(database: str, runs: int = 5) -> tuple[float, int]:
    """Median seconds of the class report (build + Markdown, HTML, CSV) over ``database``; sessions."""
    from roleplay.reports.class_report import build_class_report
    from roleplay.reports.class_report_out import CLASS_FORMATS

    with open_store(database=database) as store:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            report = build_class_report(store)
            for writer in CLASS_FORMATS.values():
                writer(report)
            times.append(time.perf_counter() - started)
    return statistics.median(times), report.sessions


def main() -> None:
    """Start a durable throwaway PostgreSQL server, measure both backends, print the figures."""
    from tests.pgserver import INSTALL_HINT, PgServer, find_bin_dir

    bin_dir = find_bin_dir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        bin_dir = None
    if bin_dir is None:
        print(f"postgres: skipped. {INSTALL_HINT} (and pip install 'roleplay[postgres]')")
        return
    with tempfile.TemporaryDirectory() as folder, PgServer(bin_dir, durable=True) as server:
        sqlite = str(Path(folder) / "roleplay.db")
        saves = {"SQLite": save_timings(sqlite), "PostgreSQL": save_timings(server.new_database("save"))}
        for name, timings in saves.items():
            print(f"postgres: saving one rating, {name}: median {statistics.median(timings):.2f} ms, "
                  f"p95 {_percentile(timings, 0.95):.2f} ms ({SAVES} saves)")
        ratio = statistics.median(saves["PostgreSQL"]) / statistics.median(saves["SQLite"])
        print(f"postgres: PostgreSQL / SQLite median save time: {ratio:.1f}x")
        for name, database in (("SQLite", str(Path(folder) / "sync.db")), ("PostgreSQL", server.new_database("sync"))):
            state = Path(folder) / f"state-{name}"
            state.mkdir()
            before = os.getloadavg()[0]
            parts, written = sync_latencies(database, state)
            latencies = parts["total"]
            p95 = _percentile(latencies, 0.95) if latencies else float("inf")
            verdict = "ok" if p95 < SYNC_TARGET_MS else "SLOW"
            verdict += "" if len(latencies) == written else ", EVENTS LOST"
            print(f"postgres: live sync, {name}, {WRITERS} writers at 10x classroom pace ({written} events in "
                  f"{SECONDS:.0f} s): write -> follower p50 {_percentile(latencies, 0.5):.0f} ms, p95 {p95:.0f} ms, "
                  f"{len(latencies)}/{written} received (target p95 < {SYNC_TARGET_MS:.0f} ms) {verdict}")
            if latencies:
                write, delivery = parts["write"], parts["delivery"]
                print(f"postgres:   of which the write (append_event) p50 {_percentile(write, 0.5):.0f} ms, "
                      f"p95 {_percentile(write, 0.95):.0f} ms; commit -> callback p50 "
                      f"{_percentile(delivery, 0.5):.0f} ms, p95 {_percentile(delivery, 0.95):.0f} ms "
                      f"(load average {before:.1f} before, {os.getloadavg()[0]:.1f} after)")
        from benchmarks.bench_class_report import SESSIONS, _fill

        report_db = server.new_database("report")
        with open_store(database=report_db) as store:
            _fill(store, SESSIONS)
        report_file = str(Path(folder) / "report.db")
        with open_store(database=report_file) as store:
            _fill(store, SESSIONS)
        for name, database in (("SQLite", report_file), ("PostgreSQL", report_db)):
            seconds, sessions = report_seconds(database)
            verdict = "ok" if seconds < REPORT_TARGET_S else "SLOW"
            print(f"postgres: class report over {sessions} sessions from {name}: {seconds * 1000:.0f} ms "
                  f"(median of 5; target < {REPORT_TARGET_S:.0f} s) {verdict}")


if __name__ == "__main__":
    main()
