"""Class report over 300 sessions (target < 1 s): generate them in a temp store, then time the report.

Sessions are played through the real engine into memory (triads and groups of four from a class of 24,
over ten weeks, two scenario tags), then written one transaction per session, as an import would.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from roleplay.reports.class_report import build_class_report
from roleplay.reports.class_report_out import CLASS_FORMATS
from roleplay.reports.sample import play_group
from roleplay.session.samples import sample_scenario
from roleplay.storage import open_store
from roleplay.storage.events import MemorySink

SESSIONS = 300
TARGET = 1.0


def _fill(store: object, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    people = [f"Trainee{i:02d}" for i in range(24)]
    family = sample_scenario().model_copy(update={"tags": ["family"]})
    events = 0
    for i in range(count):
        sink = MemorySink()
        names = tuple(rng.sample(people, rng.choice((3, 3, 4))))
        sid = f"bench{i:04d}"
        play_group(sink, names, session_id=sid, start=1_700_000_000.0 + i * 2_016.0 * 10,
                   level=rng.randint(1, 4), scenario=family if i % 3 == 0 else None)
        store.import_events(sid, sink.events[sid], expect_stored=0, mark_abandoned=False)
        events += len(sink.events[sid])
    return events


def main(runs: int = 7) -> None:
    """Print the generation time, then the median class-report time (build + Markdown, HTML and CSV)."""
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder)) as store:
        started = time.perf_counter()
        events = _fill(store, SESSIONS)
        print(f"generated {SESSIONS} sessions ({events} events) in {time.perf_counter() - started:.1f} s")
        build_times, total_times = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            report = build_class_report(store)
            t1 = time.perf_counter()
            for writer in CLASS_FORMATS.values():
                writer(report)
            build_times.append(t1 - t0)
            total_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        build_class_report(store, tag="family")
        filtered = time.perf_counter() - t0
        total = statistics.median(total_times)
        ratings = sum(c.ratings for c in report.criteria)
        verdict = "ok" if total < TARGET else "SLOW"
        print(f"class report over {report.sessions} sessions, {ratings} ratings, {len(report.trainees)} trainees: "
              f"build {statistics.median(build_times) * 1000:.0f} ms, build + md/html/csv {total * 1000:.0f} ms "
              f"(median of {runs}; target < {TARGET:.0f} s) {verdict}; --tag filter {filtered * 1000:.0f} ms")


if __name__ == "__main__":
    main()
