"""Pilot tests of the history screen: sessions by person, the filters, charts and untried scenarios.

The records are made with the core (solo rehearsals and a typed triad, on fixed days) in a temporary data
folder; the screen is compared with what :mod:`roleplay.session.progress` returns for the same filter.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, person_progress
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import Store, open_store
from roleplay.tui import history_data
from roleplay.tui.app import RoleplayApp
from roleplay.tui.history_data import charts_for
from roleplay.tui.widgets.progress_chart import ProgressChart
from tests.apps import AppFactory, shipped, text_of
from tests.apps import settle as settle_rounds
from tests.functional.test_tui_solo import ANSWERS

DAY = 86400.0
START = 1_700_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def solo_round(store, clock: Clock, name: str, scenario_id: str, answers: tuple[str, ...],
               session_id: str | None = None) -> None:
    library = shipped()
    scenario = library.scenarios[scenario_id].model
    rubric = library.rubrics["active-listening"].model
    solo = SoloRehearsal.create(name, scenario, rubric, store, clock=clock, session_id=session_id)
    solo.start()
    for text in answers:
        if solo.line is None:
            break
        solo.respond(text)
        solo.self_rate("paraphrase", 3)
        solo.next()
    solo.finish()


def group_round(store, clock: Clock, session_id: str | None = None) -> None:
    library = shipped()
    config = SessionConfig(("Ben", "Ana", "Cy"), library.scenarios["first-meeting"].model,
                           library.rubrics["active-listening"].model, mode=ListenerMode.typed)
    session = PracticeSession.create(config, store, clock=clock, session_id=session_id)
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
    """Four sessions on fixed days, with fixed ids (the session list shows them: snapshots stay the same)."""
    with open_store(data) as store:
        solo_round(store, Clock(START), "Ana", "what-should-i-do", ANSWERS, "3f2a9c1e0b7d4a61")
        solo_round(store, Clock(START + 2 * DAY), "Ana", "what-should-i-do", ANSWERS[1:], "9bc14e7a2d0f6c38")
        group_round(store, Clock(START + 3 * DAY), "5d7e2b9f4a1c8e03")
        solo_round(store, Clock(START + 4 * DAY), "Ben", "rent-day", ANSWERS[:2], "e41c6a8d3b5f2097")


#: The app of these tests, ten days after the first record: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped, start=START + 10 * DAY)


async def settle(pilot) -> None:
    await settle_rounds(pilot, 3)


def listed(app: RoleplayApp) -> list[str]:
    options = app.screen.query_one("#history-list")
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_history_person_filters_charts_untried(make_app: AppFactory, tmp_path: Path) -> None:
    """Choose Ana; charts as the core computes them; filters by kind and scenario; untried scenarios."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot, "Ana")
        assert type(screen).__name__ == "HistoryScreen"
        assert screen.shown_at is not None
        assert "p: Ana" in text_of(app, "#history-filters")
        available = list(app.library.scenarios)
        with open_store(data) as store:
            # Ana has three sessions: one chart point per session.
            progress = person_progress(store, "Ana", HistoryFilter(), available, by_day=False)
            solo_only = person_progress(store, "Ana", HistoryFilter(kind="solo"), available, by_day=False)
        specs = charts_for(progress, screen.rubric_id, per_session=True)
        assert [s.key for s in screen.specs] == [s.key for s in specs]
        assert {"r_to_q", "pct_cr", "overall-active-listening", "criterion-paraphrase"} <= {s.key for s in specs}
        charts = list(screen.query(ProgressChart))
        assert len(charts) == 1  # one chart at a time, chosen with n / N or the chart line
        assert charts[0].spec == specs[0] and charts[0].drawn_at is not None
        rq = next(s for s in specs if s.key == "r_to_q")
        assert [(value, word) for value, _, word in rq.hlines] == [(1.0, "fair"), (2.0, "good")]
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

        await pilot.press("k", "c")  # solo and group again; the first scenario Ana tried, in library order
        await settle(pilot)
        first = next(sid for sid in app.library.scenarios if sid in ("what-should-i-do", "first-meeting"))
        assert screen.scenario_id == first
        with open_store(data) as store:
            by_scenario = person_progress(store, "Ana", HistoryFilter(scenario_id=first), available)
        assert listed(app) == [s.id for s in by_scenario.sessions] and by_scenario.sessions

        await pilot.press("t")  # the session list
        await pilot.pause()
        assert app.screen.query_one("#history-views").current == "history-sessions"


async def test_history_without_records(make_app: AppFactory, tmp_path: Path) -> None:
    """No practice saved yet: a friendly message, no chart."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert "No practice saved yet" in text_of(app, "#history-heading")
        assert not app.screen.query_one(ProgressChart).display


async def open_history(pilot, person: str = "Ana") -> object:
    """Home, then History, then cycle to ``person``; returns the screen."""
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    while pilot.app.screen.person != person:
        await pilot.press("p")
        await settle(pilot)
    return pilot.app.screen


async def test_history_two_rehearsals_same_day_are_two_points(make_app: AppFactory, tmp_path: Path) -> None:
    """A new user who rehearses twice in one day sees two points (one per session), each dated."""
    data = tmp_path / "data"
    with open_store(data) as store:
        solo_round(store, Clock(START), "Dee", "what-should-i-do", ANSWERS)
        solo_round(store, Clock(START + 600), "Dee", "what-should-i-do", ANSWERS[1:])
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot, "Dee")
        assert screen.data.per_session
        assert "One point per session" in text_of(app, "#history-heading")
        overall = next(s for s in screen.specs if s.key.startswith("overall-"))
        assert all(len(line.xs) == 2 for line in overall.lines)  # two points, not one day's average
        assert overall.xticks[0] == (0.0, 1.0)  # evenly spaced, first and last labelled "#n date"
        assert overall.xticks[1][0].startswith("#1 ") and overall.xticks[1][1].startswith("#2 ")
        day = datetime.fromtimestamp(START).strftime("%y-%m-%d")
        figures = text_of(app, "#history-figures")
        overall_rows = [row for row in figures.splitlines() if row.startswith("Overall")]
        assert overall_rows and all(row.count(day) == 2 for row in overall_rows)  # best and latest dated


async def test_history_many_sessions_chart_by_day(make_app: AppFactory, tmp_path: Path, monkeypatch) -> None:
    """More sessions than a chart has columns: one point per day, or per period of days, said so."""
    data = tmp_path / "data"
    make_records(data)
    monkeypatch.setattr(history_data, "MAX_POINTS", 3)  # Ana listened in 3 rounds: still per session
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot)
        assert "One point per session" in text_of(app, "#history-heading")
        monkeypatch.setattr(history_data, "MAX_POINTS", 2)  # now more rounds than points: by period
        await pilot.press("r")
        await settle(pilot)
        assert not screen.data.per_session
        assert screen.data.progress.days_per_point == 2
        assert "One point per 2 days" in text_of(app, "#history-heading")
        monkeypatch.setattr(history_data, "MAX_POINTS", 1000)
        monkeypatch.setattr(Store, "charted_rounds", lambda *args: 2000)
        await pilot.press("r")
        await settle(pilot)
        assert "One point per day\n" in text_of(app, "#history-heading")


def chart_rows(app: RoleplayApp) -> list[str]:
    """The drawn chart as plain text lines."""
    return app.screen.query_one(ProgressChart).render().plain.splitlines()


async def test_history_threshold_lines_on_their_ticks_and_marks_by_source(make_app: AppFactory, tmp_path: Path) -> None:
    """Fair and good lines sit on the rows their ticks name, with their word; sources differ in shape."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        for key, ticks in (("r_to_q", ("0", "1", "2", "2.5")), ("pct_cr", ("0", "40", "50", "100"))):
            while screen.chart_key != key:
                await pilot.press("n")
                await pilot.pause()
            spec = next(s for s in screen.specs if s.key == key)
            assert spec.yticks[1] == ticks
            assert "orange" not in spec.title and "green" not in spec.title
            rows = chart_rows(app)
            for word, tick in (("good", ticks[2]), ("fair", ticks[1])):
                row = next(r for r in rows if r.rstrip(" │┤").endswith(word))
                assert row.lstrip().split("├")[0].split("┤")[0] == tick, (word, row)
        while not screen.chart_key.startswith("criterion-paraphrase"):
            await pilot.press("n")
            await pilot.pause()
        spec = next(s for s in screen.specs if s.key == screen.chart_key)
        assert {line.label for line in spec.lines} == {"people", "observer"}
        assert spec.yticks[0] == (1.0, 2.0, 3.0, 4.0)  # the scale's levels
        picture = "\n".join(chart_rows(app))
        assert "●●people" in picture.replace(" ", "") and "◆◆observer" in picture.replace(" ", "")


async def test_history_session_ids_and_export(make_app: AppFactory, tmp_path: Path) -> None:
    """The list shows session ids (the full one for the highlighted session); Enter exports a report."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("t")
        await settle(pilot)
        ids = listed(app)
        options = app.screen.query_one("#history-list")
        assert app.focused is options
        assert str(options.get_option_at_index(0).prompt).startswith(ids[0][:8])
        assert ids[0] in text_of(app, "#history-details")
        await pilot.press("down")
        await pilot.pause()
        assert ids[1] in text_of(app, "#history-details")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportDialog"
        await pilot.press("enter")  # Markdown, the default
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        path = data / "exports" / f"session-{ids[1]}.md"
        assert path.exists() and "Ana" in path.read_text(encoding="utf-8")
        assert "Exported:" in text_of(app, "#history-details")


async def test_history_scenario_filter_cycles_only_tried(make_app: AppFactory, tmp_path: Path) -> None:
    """`c` offers "any scenario" and the scenarios the person has sessions for, nothing else."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot)
        tried = [sid for sid in app.library.scenarios if sid in ("what-should-i-do", "first-meeting")]
        assert [value for value, _ in screen.choices("scenario")] == [None, *tried]
        seen = []
        for _ in range(3):
            await pilot.press("c")
            await settle(pilot)
            seen.append(screen.scenario_id)
        assert seen == [*tried, None]
        assert "any scenario" in text_of(app, "#history-filters")
        await pilot.press("p")  # Ben tried one scenario
        await settle(pilot)
        assert [value for value, _ in screen.choices("scenario")] == [None, "rent-day"]


async def test_history_scrolls_with_page_keys(make_app: AppFactory, tmp_path: Path) -> None:
    """The progress pane is focused on open and scrolls with PgDn/PgUp/Home/End (shown in the footer)."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        pane = screen.query_one("#history-progress")
        assert app.focused is pane
        assert pane.max_scroll_y > 0 and pane.scroll_y == 0
        assert "pagedown" in {key for key, active in screen.active_bindings.items() if active.binding.show}
        await pilot.press("pagedown")
        await pilot.pause(0.3)
        assert pane.scroll_y > 0
        await pilot.press("end")
        await pilot.pause(0.3)
        assert pane.scroll_y == pane.max_scroll_y
        assert "Scenarios not tried yet" in text_of(app, "#history-figures")
        await pilot.press("home")
        await pilot.pause(0.3)
        assert pane.scroll_y == 0
        await pilot.press("t", "end")  # in the session list the keys move the highlight
        await pilot.pause()
        options = screen.query_one("#history-list")
        assert options.highlighted == options.option_count - 1


async def test_history_lines_fit_80_columns(make_app: AppFactory, tmp_path: Path) -> None:
    """At 80x24 the chart line names only the chosen chart (with n/N) and the filters fit on one line."""
    data = tmp_path / "data"
    make_records(data)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        for _ in range(len(screen.specs)):
            picker = text_of(app, "#history-chart-picker")
            assert "\n" not in picker and len(picker) <= 78
            index = [s.key for s in screen.specs].index(screen.chart_key)
            assert picker.startswith(f"Chart {index + 1} of {len(screen.specs)}: ")
            assert "◀ N" in picker and "n ▶" in picker
            await pilot.press("n")
            await pilot.pause()
        filters = text_of(app, "#history-filters")
        assert len(filters) <= 78 and "Paraphrasing and active listening" in filters
