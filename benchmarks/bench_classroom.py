"""A whole class on this machine: 10 groups of three seats plus the tutor's dashboard.

Each seat and the dashboard run as their own process, as ``roleplay serve`` runs them (one per browser
tab; here headless instead of through the web driver, so the browser's own cost is not counted), over
one SQLite database. With every group in a round, the observers rate at classroom pace (each observer
rates about every 6 seconds and confirms a turn about every 30) for the measured window, and the figures
are:

- memory per seat: resident set size (RSS) of each seat process, median and max;
- CPU at classroom pace: CPU time used by all the class's processes (and this writer) over the window,
  as a share of one core;
- an observer's rating to the dashboard showing it: from the rating being saved (what the observer's
  key press does; the key itself is measured in ``bench_tui``) to the dashboard process having redrawn
  the group's ratings cell, p50 and p95 (target p95 < 300 ms).

Run: ``.venv/bin/python -m benchmarks.bench_classroom [--groups 10] [--seconds 30]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roleplay.classroom.groups import start_group
from roleplay.classroom.room import ClassRoom, join_class
from roleplay.classroom.shared import SharedSession
from roleplay.classroom.state import Content
from roleplay.classroom.watch import group_row
from roleplay.content.rubric import Scope
from roleplay.storage import open_store
from roleplay.tui.core import sample_library

ROOT = Path(__file__).resolve().parent.parent


def _class(data: Path, groups: int) -> tuple[ClassRoom, dict[str, SharedSession]]:
    """A class whose groups are all in round 1."""
    store = open_store(data)
    library = sample_library()
    content = Content(next(iter(library.scenarios)), next(iter(library.rubrics)), "spoken", 30)
    room, _ = ClassRoom.create(store, defaults=content)
    for i in range(groups * 3):
        join_class(store, room.state.code, f"P{i:02d}", f"bench-device-{i:02d}")
    shared = {}
    for group in room.form_groups():
        session_id = start_group(room, library, group.id)
        for name in group.names:
            room.confirm_agreement(group.id, name)
        seat = SharedSession(store, session_id)
        seat.act(lambda s: s.acknowledge_agreement())
        seat.act(lambda s: s.start_round())
        shared[group.id] = seat
    return room, shared


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "benchmarks.class_probe", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _rate_once(seat: SharedSession, rng: random.Random) -> None:
    session = seat.session
    rater = session.current_round.roles.raters[0]
    criteria = [c for c in session.rubric.criteria if c.scope == Scope.per_turn]
    criterion = rng.choice(criteria)
    turn = session.current_turn
    old = turn.ratings.get((rater, criterion.id)) if turn else None
    values = [lvl.value for lvl in session.rubric.scale if old is None or lvl.value != old.value]
    seat.act(lambda s: s.rate(rater, criterion.id, rng.choice(values)))


def run(groups: int, seconds: float) -> None:
    """Measure and print the figures."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        data, log = Path(tmp) / "data", Path(tmp) / "dashboard.log"
        room, shared = _class(data, groups)
        names = [n for g in room.state.groups.values() for n in g.names]
        started = time.monotonic()
        seats = [_spawn("seat", str(data), room.class_id, f"bench-device-{i:02d}") for i in range(len(names))]
        dash = _spawn("dashboard", str(data), room.class_id, str(log))
        try:
            while not all(room.present(n) for n in names) or not log.exists():
                if time.monotonic() - started > 300:
                    raise SystemExit("the seats did not all start within 5 minutes")
                time.sleep(0.5)
            print(f"{len(seats)} seat processes and the dashboard up in {time.monotonic() - started:.0f} s")
            time.sleep(3)  # let start-up settle before measuring
            rss = sorted(_rss_kb(p.pid) for p in seats)
            dash_rss = _rss_kb(dash.pid)
            procs = [*seats, dash]
            cpu0, own0, t0 = sum(_cpu_seconds(p.pid) for p in procs), time.process_time(), time.monotonic()
            writes: list[tuple[float, str, str]] = []
            next_rate = {g: t0 + rng.uniform(0, 6) for g in shared}
            next_confirm = {g: t0 + rng.uniform(20, 40) for g in shared}
            while time.monotonic() - t0 < seconds:
                now = time.monotonic()
                for group_id, seat in shared.items():
                    if now >= next_confirm[group_id] and seat.session.current_turn is not None:
                        seat.act(lambda s: s.confirm_turn())
                        next_confirm[group_id] = now + rng.uniform(20, 40)
                    if now >= next_rate[group_id] and seat.session.current_turn is not None:
                        group = room.state.groups[group_id]
                        before = group_row(group, seat.session, []).ratings
                        _rate_once(seat, rng)
                        at = time.time()
                        after = group_row(group, seat.session, []).ratings
                        if after != before:
                            writes.append((at, group_id, after))
                        next_rate[group_id] = now + rng.uniform(4, 8)
                time.sleep(0.02)
            window = time.monotonic() - t0
            cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu0 + time.process_time() - own0
            time.sleep(1.0)
        finally:
            for proc in (*seats, dash):
                proc.terminate()
            for proc in (*seats, dash):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        seen: list[tuple[float, str, str]] = []
        for line in log.read_text(encoding="utf-8").splitlines():
            stamp, group_id, text = line.split("\t")
            seen.append((float(stamp), group_id, text))
        delays = []
        for at, group_id, text in writes:
            shown = [s for s, g, t in seen if g == group_id and t == text and s >= at - 0.001]
            if shown:
                delays.append((min(shown) - at) * 1000)
        missed = len(writes) - len(delays)
        print(f"memory per seat process (RSS): median {statistics.median(rss) / 1024:.0f} MB, "
              f"max {rss[-1] / 1024:.0f} MB; dashboard {dash_rss / 1024:.0f} MB; "
              f"whole class {(sum(rss) + dash_rss) / 1024:.0f} MB")
        print(f"CPU at classroom pace over {window:.0f} s: {100 * cpu / window:.0f}% of one core "
              f"({groups} groups, {len(writes)} ratings)")
        if delays:
            delays.sort()
            p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
            verdict = "met" if p95 < 300 else "NOT met"
            print(f"rating saved -> dashboard shows it: p50 {statistics.median(delays):.0f} ms, p95 {p95:.0f} ms, "
                  f"max {delays[-1]:.0f} ms over {len(delays)} ratings (target p95 < 300 ms: {verdict})"
                  + (f"; {missed} never seen" if missed else ""))
        else:
            print("rating saved -> dashboard shows it: no ratings were seen on the dashboard")


def main() -> None:
    """Command line: ``--groups``, ``--seconds``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    args, _ = parser.parse_known_args()
    run(args.groups, args.seconds)


if __name__ == "__main__":
    main()
