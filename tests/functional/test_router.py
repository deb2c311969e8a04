"""One screen router for group and solo: the same step for a session's phase whether the app moves forward
or resumes, and one resume path that completes what a crash left half-saved before any screen shows."""

from __future__ import annotations

from pathlib import Path

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import MemorySink, open_store
from roleplay.tui.router import Step, step_for
from tests.apps import AppFactory
from tests.functional.tui_steps import resume

SIZE = (120, 40)


def clock() -> float:
    return 1_700_000_000.0


def triad(sink: object, mode: ListenerMode = ListenerMode.spoken) -> PracticeSession:
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric(), mode=mode)
    return PracticeSession.create(config, sink, clock=clock, session_id="triad")  # type: ignore[arg-type]


def test_each_phase_has_one_step() -> None:
    session = triad(MemorySink())
    assert step_for(session) == Step.agreement
    session.acknowledge_agreement()
    assert step_for(session) == Step.roles
    session.start_round()
    assert step_for(session) == Step.play
    session.end_round()
    assert step_for(session) == Step.debrief
    assert step_for(session, debriefed=True) == Step.roles
    for _ in range(2):
        session.start_round()
        session.end_round()
    assert step_for(session) == Step.debrief  # the last round is debriefed before the summary
    assert step_for(session, debriefed=True) == Step.summary
    session.finish()
    assert step_for(session) == Step.summary


async def test_group_crash_recovery_is_part_of_resume(make_app: AppFactory, tmp_path: Path) -> None:
    """A typed round whose confirmed turn lost its observation (the app died in between): resuming saves
    it before the play screen shows, through the same path solo rehearsals resume by."""
    data = tmp_path / "data"
    with open_store(data) as store:
        session = triad(store, ListenerMode.typed)
        session.acknowledge_agreement()
        session.start_round()
        session.record_response("It sounds like the new place still feels strange.")
        session.confirm_turn()  # ... and the observer's view was never saved
        assert session.rounds[0].turns[0].observed is None
    app = make_app(data, clock)
    async with app.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert type(app.screen).__name__ == "PlayScreen"
        assert app.session.rounds[0].turns[0].observed is not None
        assert app.solo is None


async def test_solo_resume_goes_through_the_same_router(make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        solo = SoloRehearsal.create("Ana", sample_scenario(), sample_rubric(), store, clock=clock, session_id="solo1")
        solo.start()
        solo.session.record_response("That sounds lonely.")  # the app died before the observer's view
    app = make_app(data, clock)
    async with app.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert type(app.screen).__name__ == "SoloPlayScreen"
        assert app.solo is not None and app.solo.session is app.session
        assert app.session.rounds[0].turns[0].observed is not None
        app.screen.end_round()  # moving forward uses the router too
        await pilot.pause()
        assert type(app.screen).__name__ == "SoloSummaryScreen"
