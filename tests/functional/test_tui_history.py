"""Pilot tests of the history screen: sessions by person, the filters, charts and untried scenarios.

The records are made with the core (solo rehearsals and a typed triad, on fixed days) in a temporary data
folder; the screen is compared with what :mod:`roleplay.session.progress` returns for the same filter.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, person_progress
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import open_store
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.history_data import charts_for
from roleplay.tui.widgets.progress_chart import ProgressChart
from tests.functional.test_tui_solo import ANSWERS, shipped

DAY = 86400.0
START = 1_700_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def solo_round(store, clock: Clock, name: str, scenario_id: str, answers: tuple[str, ...]) -> None:
    library = shipped()
    scenario = library.scenarios[scenario_id].model
    rubric = library.rubrics["active-listening"].model
    solo = SoloRehearsal.create(name, scenario, rubric, store, clock=clock)
    solo.start()
    for text in answers:
        if solo.line is None:
            break
        solo.respond(text)
        solo.self_rate("paraphrase", 3)
        solo.next()
    solo.finish()


def group_round(store, clock: Clock) -> None:
    library = shipped()
    config = SessionConfig(("Ben", "Ana", "Cy"), library.scenarios["first-meeting"].model,
                           library.rubrics["active-listening"].model, mode=ListenerMode.typed)
    session = PracticeSession.create(config, store, clock=clock)
    session.acknowledge_agreement()
    current = session.start_round()
    observer = current.roles.observers[0]
    for text in ANSWERS[:2]:
        session.record_response(text)
        session.rate(observer, "paraphrase", 2)
        confirm_turn_with_observer(session)
    observe_round_end(session)
    session.end_round()


def make_records(data: Path) -> None:
    with open_store(data) as store:
        solo_round(store, Clock(START), "Ana", "what-should-i-do", ANSWERS)
        solo_round(store, Clock(START + 2 * DAY), "Ana", "what-should-i-do", ANSWERS[1:])
        group_round(store, Clock(START + 3 * DAY))
        solo_round(store, Clock(START + 4 * DAY), "Ben", "rent-day", ANSWERS[:2])


def make_app(data: Path) -> RoleplayApp:
    return create_app(data_dir=data, loader=shipped, clock=lambda: START + 10 * DAY, cursor_blink=False)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def text_of(app: RoleplayApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def listed(app: RoleplayApp) -> list[str]:
    options = app.screen.query_one("#history-list")
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_history_person_filters_charts_untried(tmp_path: Path) -> None:
    """Choose Ana; charts as the core computes them; filters by kind and scenario; untried scenarios."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "HistoryScreen"
        assert screen.shown_at is not None
        while screen.person != "Ana":
            await pilot.press("p")
            await settle(pilot)
        assert "p: Ana" in text_of(app, "#history-filters")
        available = list(app.library.scenarios)
        with open_store(data) as store:
            progress = person_progress(store, "Ana", HistoryFilter(), available)
            solo_only = person_progress(store, "Ana", HistoryFilter(kind="solo"), available)
        specs = charts_for(progress, screen.rubric_id)
        assert [s.key for s in screen.specs] == [s.key for s in specs]
        assert {"r_to_q", "pct_cr", "overall-active-listening", "criterion-paraphrase"} <= {s.key for s in specs}
        charts = list(screen.query(ProgressChart))
        assert len(charts) == 1  # one chart at a time, chosen with n / N or the chart line
        assert charts[0].spec == specs[0] and charts[0].drawn_at is not None
        rq = next(s for s in specs if s.key == "r_to_q")
        assert [value for value, _ in rq.hlines] == [1.0, 2.0]  # fair and good
        await pilot.press("n")
        await pilot.pause()
        assert charts[0].spec == specs[1]
        await pilot.press("N", "N")
        await pilot.pause()
        assert charts[0].spec == specs[-1]
        figures = text_of(app, "#history-figures")
        titles = {sid: e.model.title for sid, e in app.library.scenarios.items()}
        assert progress.untried and "what-should-i-do" not in progress.untried
        assert "first-meeting" not in progress.untried  # Ana listened in the triad
        for sid in progress.untried:
            assert titles[sid] in figures
        assert "Best and latest" in figures
        assert listed(app) == [s.id for s in progress.sessions]
        assert len(listed(app)) == 3

        await pilot.press("k")  # solo only
        await settle(pilot)
        assert "solo only" in text_of(app, "#history-filters")
        assert listed(app) == [s.id for s in solo_only.sessions]
        assert len(listed(app)) == 2

        await pilot.press("k", "c")  # solo and group again; the first scenario in the library
        await settle(pilot)
        first = next(iter(app.library.scenarios))
        with open_store(data) as store:
            by_scenario = person_progress(store, "Ana", HistoryFilter(scenario_id=first), available)
        assert listed(app) == [s.id for s in by_scenario.sessions] or (
            not by_scenario.sessions and "No sessions match." in str(app.screen.query_one("#history-list")
                                                                     .get_option_at_index(0).prompt))

        await pilot.press("t")  # the session list
        await pilot.pause()
        assert app.screen.query_one("#history-views").current == "history-sessions"


async def test_history_without_records(tmp_path: Path) -> None:
    """No practice saved yet: a friendly message, no chart."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert "No practice saved yet" in text_of(app, "#history-heading")
        assert not app.screen.query_one(ProgressChart).display
