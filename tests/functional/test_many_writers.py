"""Many writers on both backends: 8 processes write ratings to one class for 20 seconds, two to each of
four sessions (so they race for sequence numbers); every few seconds one of them is killed with SIGKILL
and started again. Afterwards every acknowledged event is stored exactly once, each session's log is
1..n with no gap, and the projections agree with the log."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.functional.test_live_sync import make_class, start_writer
from tests.pg_fixtures import OpenDb

WRITERS, SESSIONS, SECONDS, PACE, KILL_EVERY = 8, 4, 20.0, 0.01, 2.5


@pytest.mark.slow
def test_eight_writers_one_killed_every_few_seconds_lose_and_double_nothing(open_db: OpenDb,
                                                                             tmp_path: Path) -> None:
    store = open_db()
    sessions = make_class(store, SESSIONS, prefix="class")
    created = sum(len(store.load_events(sid)) for sid in sessions)
    rng = random.Random(15)
    share = {f"w{k}": [sessions[k % SESSIONS]] for k in range(WRITERS)}  # two writers per session
    started = time.monotonic()
    procs: dict[str, subprocess.Popen[str]] = {
        w: start_writer(store.database, w, s, SECONDS, PACE, tmp_path) for w, s in share.items()}
    kills = 0
    while time.monotonic() - started < SECONDS - KILL_EVERY:
        time.sleep(KILL_EVERY)
        victim = rng.choice(sorted(procs))
        procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait(timeout=30)
        kills += 1
        left = max(1.0, SECONDS - (time.monotonic() - started))
        procs[victim] = start_writer(store.database, victim, share[victim], left, PACE, tmp_path)
    for name, proc in procs.items():
        assert proc.wait(timeout=120) == 0, f"{name}: {proc.stderr.read() if proc.stderr else ''}"
    assert kills >= 5

    acked = [line.split()[0] for w in share for line in (tmp_path / f"{w}.acks").read_text().splitlines()]
    assert len(acked) > 400  # not vacuous: the writers wrote a lot
    assert len(set(acked)) == len(acked)  # a resent event is acknowledged once
    ids = [r[0] for r in store._read("SELECT id FROM events WHERE type = 'rating_recorded'")]
    assert len(ids) == len(set(ids))  # no event stored twice
    assert set(acked) <= set(ids)  # every acknowledged event is there
    # At most one unacknowledged event per kill: stored, but killed before the acknowledgement was written.
    assert len(set(ids) - set(acked)) <= kills
    for sid in sessions:
        seqs = [r[0] for r in store._read("SELECT seq FROM events WHERE session_id = ? ORDER BY seq", (sid,))]
        assert seqs == list(range(1, len(seqs) + 1))  # ordered, no gap, no duplicate
    total = store._read("SELECT count(*) FROM events")[0][0]
    assert total == created + len(ids)
    # The projections followed the log: one ratings row per rating event, and the running totals agree.
    assert store._read("SELECT count(*) FROM ratings WHERE rater LIKE 'writer-%'")[0][0] == len(ids)
    sums = store._read("SELECT sum(value), count(*) FROM ratings WHERE rater LIKE 'writer-%'")[0]
    totals = store._read("SELECT sum(total), sum(n) FROM criterion_totals")[0]
    assert (int(totals[0]), int(totals[1])) == (int(sums[0]), int(sums[1]))
    store.close()
