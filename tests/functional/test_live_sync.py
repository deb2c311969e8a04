"""Live sync on both backends: one process writes, another follows; every event arrives once and in order,
through a dropped connection too (PostgreSQL: ``pg_terminate_backend`` of every roleplay connection), and a
follower restarted from its last seen sequence numbers catches up without a gap."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage.follow import Change, Follower
from tests.pg_fixtures import OpenDb

REPO = Path(__file__).resolve().parents[2]


def make_class(store: object, count: int, prefix: str = "group") -> list[str]:
    """``count`` fresh group sessions (session_created written), for writers to rate in."""
    ids = []
    for k in range(count):
        config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric(), mode=ListenerMode.typed,
                               minutes=5)
        ids.append(PracticeSession.create(config, store, session_id=f"{prefix}-{k}").id)  # type: ignore[arg-type]
    return ids


def start_writer(database: str, worker: str, sessions: list[str], seconds: float, pace: float,
                 state: Path) -> subprocess.Popen[str]:
    """A ``rating_writer`` process (see tests/functional/rating_writer.py)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.functional.rating_writer", database, worker, ",".join(sessions),
         str(seconds), str(pace), str(state)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def terminate_roleplay_connections(pg_server: object) -> None:
    """Cut every roleplay connection to the server, as a restart or a network drop would."""
    pg_server.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"  # type: ignore[attr-defined]
                    " WHERE application_name = 'roleplay' AND pid <> pg_backend_pid()")


def wait_until(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.slow
def test_a_follower_gets_every_event_in_order_through_a_dropped_connection(
        open_db: OpenDb, backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    store = open_db()
    sessions = make_class(store, 2)
    created = {sid: len(store.load_events(sid)) for sid in sessions}
    got: list[Change] = []
    lock = threading.Lock()

    def keep(change: Change) -> None:
        with lock:
            got.append(change)

    follower = Follower(store.database).start(keep)
    try:
        writer = start_writer(store.database, "w1", sessions, 4.0, 0.02, tmp_path)
        wait_until(lambda: len(got) >= 20)
        if backend == "postgres":  # the writer's, the follower's and this store's connections all drop
            terminate_roleplay_connections(request.getfixturevalue("pg_server"))
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
        stored = {sid: store.load_events(sid)[created[sid]:] for sid in sessions}
        total = sum(len(events) for events in stored.values())
        assert total > 60  # not vacuous: the writer kept writing after the drop
        wait_until(lambda: len(got) >= total)
    finally:
        follower.close()
    for sid in sessions:
        mine = [c.event for c in got if c.session_id == sid]
        assert [e.seq for e in mine] == [e.seq for e in stored[sid]]  # every one, once, in order
        assert [e.id for e in mine] == [e.id for e in stored[sid]]
        assert mine == stored[sid]
    assert len(got) == total


def test_a_restarted_follower_catches_up_from_its_last_seen_sequence(open_db: OpenDb, tmp_path: Path) -> None:
    store = open_db()
    (sid,) = make_class(store, 1)
    with Follower(store.database, session_id=sid) as first:
        writer = start_writer(store.database, "w1", [sid], 0.5, 0.01, tmp_path)
        assert writer.wait(timeout=60) == 0
        seen = first.changes(timeout=5.0)
        assert seen and [c.event.seq for c in seen] == list(range(2, seen[-1].event.seq + 1))
        last = dict(first.last)
    # Written while nobody followed:
    writer = start_writer(store.database, "w2", [sid], 0.5, 0.01, tmp_path)
    assert writer.wait(timeout=60) == 0
    with Follower(store.database, session_id=sid, since=last) as again:
        missed = again.changes(timeout=5.0)
    stored = store.load_events(sid)
    assert [c.event for c in missed] == stored[last[sid]:]
    assert len(missed) > 3
    store.close()


def test_a_follower_of_a_class_gets_its_own_log_and_its_sessions(open_db: OpenDb) -> None:
    from roleplay.storage.classes import append_class_event, create_class
    from roleplay.storage.events import Event

    writer = open_db()
    create_class(writer, "c1", "ABCD", "hash", 1.0, Event(1, "class_created", 1.0, {"code": "ABCD"}))
    with Follower(writer.database, class_id="c1") as follower:
        for seq in range(2, 6):
            append_class_event(writer, "c1", Event(seq, "joined", float(seq), {"name": f"P{seq}"}))
        (sid,) = make_class(writer, 1)
        got: list[Change] = []
        deadline = time.monotonic() + 10
        while (len([c for c in got if c.class_id]) < 4 or not any(c.session_id == sid for c in got)) \
                and time.monotonic() < deadline:
            got += follower.changes(timeout=1.0)
    assert [c.event.seq for c in got if c.class_id == "c1"] == [2, 3, 4, 5]
    assert [c.event.data["name"] for c in got if c.class_id] == ["P2", "P3", "P4", "P5"]
    assert [c.event.seq for c in got if c.session_id == sid] == list(range(1, len(writer.load_events(sid)) + 1))
    writer.close()


def test_the_change_watch_notices_another_connections_writes(open_db: OpenDb) -> None:
    from roleplay.storage.classes import ChangeWatch

    reader, writer = open_db(), open_db()  # one database, two connections
    watch = ChangeWatch(reader)
    assert not watch.changed()
    make_class(writer, 1)
    wait_until(watch.changed, timeout=5.0)
    time.sleep(0.2)
    assert not watch.changed()  # once per change
    reader.close()
    writer.close()


def test_carried_events_are_handed_over_once_and_a_gap_is_read_from_the_log(pg_url: str) -> None:
    """PostgreSQL announcements carry the events; one after a gap (or not one of ours) makes the follower
    read the log instead, and one already handed over is not handed over again."""
    from roleplay.storage import open_store
    from roleplay.storage.events import Event
    from roleplay.storage.pg.wrap import announcement

    with open_store(database=pg_url) as store:
        (sid,) = make_class(store, 1, prefix="s")
        assert sid == "s-0"
        with Follower(store.database) as follower:
            events = [Event(seq, "paused", float(seq), {"n": seq}) for seq in range(2, 6)]
            for event in events:
                store.append_event(sid, event)
            got = follower.changes(timeout=5.0)
            assert [c.event for c in got] == events and [c.event.id for c in got] == [e.id for e in events]
            payloads = [announcement(sid, [f'[{e.seq},{e.at},"{e.type}","{e.id}",{{"n":{e.seq}}}]'])
                        for e in events]
            follower.last[sid] = 2  # as if the announcements of 3 and 4 had not come
            again = follower._announced([payloads[3], payloads[1], "not json {", '{"s": 1}'])
            assert [c.event.seq for c in again] == [3, 4, 5]  # the gap read from the log; 3 not twice
            assert [c.event for c in again] == events[1:]
            assert payloads[0].startswith('{"s":"s-0","e":[[2,')  # the events ride in the payload
