"""Reopening a session after the app was closed: the time it was away never counts against the round.

The gap between the last saved event and the reopening is saved as paused time (a ``reopened`` event), so
the timer shows the same time left as when the app went away, and a replay of the log gives the same
timer. Group practice and solo rehearsal share the engine, so both are checked.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import SessionConfig
from roleplay.storage import MemorySink, open_store
from roleplay.storage.events import EventType
from tests.unit.test_session_engine import FakeClock

REFLECT = "A month in and you still feel you don't belong there. That sounds lonely."


def group_in_play(sink: MemorySink, clock: FakeClock) -> PracticeSession:
    """A triad 100 s into round 1 of 10 minutes, with a response saved at that moment."""
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric(), minutes=10)
    session = PracticeSession.create(config, sink, clock=clock, session_id="g1")
    session.acknowledge_agreement()
    session.start_round()
    clock.advance(100)
    session.record_response("It sounds like the new place still feels strange.")
    return session


def test_group_time_away_is_not_counted() -> None:
    sink, clock = MemorySink(), FakeClock()
    group_in_play(sink, clock)
    left_when_closed = 600 - 100
    clock.advance(8 * 3600)  # the app was closed overnight
    again = PracticeSession.resume(sink, "g1", clock=clock, reopen=True)
    assert again.timer().remaining == left_when_closed
    assert again.events[-1].type == EventType.reopened
    assert again.events[-1].data == {"round": 1, "paused_seconds": 8 * 3600}
    clock.advance(30)  # and from now on the clock runs as usual
    assert again.timer().remaining == left_when_closed - 30
    # Event-sourced: replaying the saved log gives the same timer at the same moment.
    replay = PracticeSession.from_events(sink.load_events("g1"), MemorySink(), clock=clock)
    assert replay.timer() == again.timer()
    assert replay.rounds == again.rounds


def test_loading_without_reopen_writes_nothing() -> None:
    sink, clock = MemorySink(), FakeClock()
    session = group_in_play(sink, clock)
    clock.advance(50)
    again = PracticeSession.resume(sink, "g1", clock=clock)
    assert again.events == session.events


def test_nothing_is_recorded_when_no_round_is_in_play_or_while_paused() -> None:
    sink, clock = MemorySink(), FakeClock()
    config = SessionConfig(("Ana", "Ben"), sample_scenario(), sample_rubric(), minutes=10)
    session = PracticeSession.create(config, sink, clock=clock, session_id="p1")
    session.acknowledge_agreement()
    clock.advance(500)
    assert PracticeSession.resume(sink, "p1", clock=clock, reopen=True).events == session.events  # not started
    session = PracticeSession.resume(sink, "p1", clock=clock)
    session.start_round()
    clock.advance(60)
    session.pause()
    clock.advance(1000)  # closed while paused: the pause itself goes on
    again = PracticeSession.resume(sink, "p1", clock=clock, reopen=True)
    assert again.events == session.events
    assert again.timer().remaining == 600 - 60
    again.unpause()
    assert again.timer().remaining == 600 - 60


def test_solo_time_away_is_not_counted_and_is_recorded_first(tmp_path: Path) -> None:
    """Reopened before the missing observer events are completed, so those writes do not hide the gap."""
    clock = FakeClock()
    with open_store(tmp_path) as store:
        solo = SoloRehearsal.create("Ana", sample_scenario(), sample_rubric(), store, minutes=10, clock=clock,
                                    session_id="solo1")
        solo.start()
        clock.advance(45)
        solo.session.record_response(REFLECT)  # the app died before the observer's view was saved
        left_when_closed = solo.session.timer().remaining
        assert left_when_closed == 600 - 45
    clock.advance(8)
    with open_store(tmp_path) as store:
        again = SoloRehearsal.resume(store, "solo1", clock=clock, reopen=True)
        assert again.session.timer().remaining == left_when_closed
        types = [e.type for e in again.session.events]
        assert types.index(EventType.reopened) < types.index(EventType.observation_recorded)
        # The stored round agrees with the replay (the projection adds the excused time too).
        paused = store._read("SELECT paused_seconds FROM rounds WHERE session_id = 'solo1'")[0][0]
        assert paused == again.round.paused_seconds == 8
