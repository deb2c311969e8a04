"""History queries on a small stored history, checked against hand-computed figures.

Ben's history (one day apart):

- A, day 0, triad (Ana speaks, Ben listens, Cleo observes), scenario ``sample-new-job``. Cleo rates
  paraphrase 3, 4, 2 (mean 3.0), feeling 2 (mean 2.0), speaker-led 3 for the round; overall =
  (2*3 + 1*2 + 1*3) / 4 = 2.75. Cleo's tallies: simple reflection 1, complex 2, open question 1, closed 1:
  R:Q = 3 / 2 = 1.5, %CR = 2 / 3 = 66.7%.
- B, day 1, solo, ``sample-new-job``: advice, complex reflection, open question. Ben rates his own
  paraphrase 2 on the first turn (people's paraphrase point 2.0). Observer: R:Q 1 / 1, %CR 100%.
- C, day 2, solo, ``other-scenario``: complex reflection, closed question, open question.
  Observer: R:Q 1 / 2 = 0.5, %CR 100%.
- D, day 3, solo by Dev (not Ben's).
"""

from __future__ import annotations

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, Source, list_sessions, person_progress, session_figures
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import SessionConfig
from roleplay.storage import Store
from tests.pg_fixtures import OpenDb
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

DAY = 86_400.0
T0 = 1_700_000_000.0


def triad(store: Store) -> None:
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric())
    session = PracticeSession.create(config, store, clock=fake_clock(T0), session_id="A")
    session.acknowledge_agreement()
    session.start_round()
    plan = [({"paraphrase": 3, "feeling": 2}, {"reflection_simple": 1, "question_open": 1}),
            ({"paraphrase": 4}, {"reflection_complex": 2}),
            ({"paraphrase": 2}, {"question_closed": 1})]
    for ratings, tallies in plan:
        for cid, value in ratings.items():
            session.rate("Cleo", cid, value)
        for tid, count in tallies.items():
            session.change_tally("Cleo", tid, count)
        session.confirm_turn()
    session.rate("Cleo", "speaker-led", 3)
    session.finish()


def solo(store: Store, name: str, sid: str, day: int, scenario_id: str, responses: list[str],
         self_paraphrase: int | None = None) -> SoloRehearsal:
    rehearsal = SoloRehearsal.create(name, example_scenario(scenario_id), auto_rubric(), store,
                                     clock=fake_clock(T0 + day * DAY), session_id=sid)
    rehearsal.start()
    for number, text in enumerate(responses):
        rehearsal.respond(text)
        if number == 0 and self_paraphrase is not None:
            rehearsal.self_rate("paraphrase", self_paraphrase)
        rehearsal.next()
    rehearsal.finish()
    return rehearsal


@pytest.fixture
def history(open_db: OpenDb) -> Store:
    store = open_db()
    triad(store)
    b = solo(store, "Ben", "B", 1, "sample-new-job",
             ["Have you tried talking to your manager about it?",
              "You're tired of hearing easy answers when it feels hard.",
              "What would a proper chat with someone there look like for you?"], self_paraphrase=2)
    c = solo(store, "Ben", "C", 2, "other-scenario",
             ["A month in and you still feel you don't belong there. That sounds lonely.",
              "Do you ever sit with anyone?",
              "What would a proper chat with someone there look like for you?"])
    solo(store, "Dev", "D", 3, "sample-new-job", ["What has this month been like?"])
    store.summaries = {"B": b.summary(), "C": c.summary()}  # type: ignore[attr-defined]
    yield store
    store.close()


def test_session_lists_filter_by_person_scenario_kind_and_dates(history: Store) -> None:
    ids = lambda flt: [s.id for s in list_sessions(history, flt)]  # noqa: E731
    assert ids(HistoryFilter(person="Ben")) == ["C", "B", "A"]
    assert ids(HistoryFilter(person="Ben", kind="solo")) == ["C", "B"]
    assert ids(HistoryFilter(scenario_id="sample-new-job")) == ["D", "B", "A"]
    assert ids(HistoryFilter(since=T0 + DAY, until=T0 + 3 * DAY)) == ["C", "B"]
    assert ids(HistoryFilter(person="Ana")) == ["A"]  # took part as speaker
    assert ids(HistoryFilter(limit=1)) == ["D"]


def test_criterion_and_overall_series_from_people_and_observer(history: Store) -> None:
    progress = person_progress(history, "Ben", available=["sample-new-job", "other-scenario", "third"],
                               by_day=False)
    assert [s.id for s in progress.sessions] == ["C", "B", "A"]
    para = progress.series("paraphrase", Source.people, "sample-listening")
    assert para is not None and [(p.key, p.value, p.n) for p in para.points] == [("A", 3.0, 3), ("B", 2.0, 1)]
    assert para.best.key == "A" and para.latest.key == "B"  # type: ignore[union-attr]
    assert para.scale == (1, 4)
    overall = progress.series("overall", Source.people)
    assert overall is not None and overall.points[0].value == pytest.approx(2.75)
    assert overall.points[1].value == pytest.approx(2.0)  # B: only paraphrase self-rated
    # The observer's series match the solo summaries computed from the sessions themselves.
    auto_overall = progress.series("overall", Source.observer)
    assert auto_overall is not None and [p.key for p in auto_overall.points] == ["B", "C"]
    for point in auto_overall.points:
        summary = history.summaries[point.key]  # type: ignore[attr-defined]
        assert point.value == pytest.approx(summary.scores.overall)
    auto_para = progress.series("paraphrase", Source.observer)
    assert auto_para is not None
    assert auto_para.points[0].value == pytest.approx(history.summaries["B"].scores.criterion("paraphrase").mean)  # type: ignore[attr-defined]
    assert progress.untried == ["third"]


def test_metric_series_by_hand(history: Store) -> None:
    progress = person_progress(history, "Ben", by_day=False)
    rq = progress.series("r_to_q", Source.people)
    cr = progress.series("pct_cr", Source.people)
    assert rq is not None and [(p.key, p.value) for p in rq.points] == [("A", 1.5)]
    assert cr is not None and cr.points[0].value == pytest.approx(200 / 3)
    assert rq.thresholds is not None and (rq.thresholds.fair, rq.thresholds.good) == (1.0, 2.0)
    auto_rq = progress.series("r_to_q", Source.observer)
    auto_cr = progress.series("pct_cr", Source.observer)
    assert auto_rq is not None and [(p.key, p.value) for p in auto_rq.points] == [("B", 1.0), ("C", 0.5)]
    assert auto_cr is not None and [p.value for p in auto_cr.points] == [100.0, 100.0]


def test_filters_and_figures(history: Store) -> None:
    progress = person_progress(history, "Ben", HistoryFilter(kind="solo", scenario_id="sample-new-job"),
                               by_day=False)
    assert [s.id for s in progress.sessions] == ["B"]
    figures = session_figures(progress, Source.observer)
    assert [(f.session_id, f.r_to_q, f.pct_cr) for f in figures] == [("B", 1.0, 100.0)]
    assert person_progress(history, "Nobody").criteria == []


def test_try_again_leaves_only_the_latest_attempt_in_the_history(open_db: OpenDb) -> None:
    with open_db() as store:
        rehearsal = SoloRehearsal.create("Ben", example_scenario(), auto_rubric(), store, clock=fake_clock())
        rehearsal.start()
        rehearsal.respond("A month in and you still feel you don't belong there. That sounds lonely.")
        rehearsal.self_rate("paraphrase", 4)
        rehearsal.try_again()
        rehearsal.respond("Do you ever talk to anyone at work?")
        rehearsal.self_rate("paraphrase", 1)
        progress = person_progress(store, "Ben")
        para = progress.series("paraphrase", Source.people)
        assert para is not None and [(p.value, p.n) for p in para.points] == [(1.0, 1)]
        rq = progress.series("r_to_q", Source.observer)
        assert rq is not None and [p.value for p in rq.points] == [0.0]  # the reflection was set aside
        row = store._read("SELECT attempts, response FROM turns WHERE session_id = ?", (rehearsal.id,))[0]
        assert (row[0], row[1]) == (2, "Do you ever talk to anyone at work?")


def test_points_by_day_add_up_that_days_sessions(open_db: OpenDb) -> None:
    """Two rehearsals an hour apart: one point. Observer counts: R 1 + 1 (both complex), Q 1 + 2."""
    with open_db() as store:
        for number, responses in enumerate([
            ["A month in and you still feel you don't belong there. That sounds lonely.",
             "Do you ever sit with anyone?"],
            ["You're tired of hearing easy answers when it feels hard.", "Do you ever sit with anyone?",
             "What would a proper chat with someone there look like for you?"],
        ]):
            rehearsal = SoloRehearsal.create("Ben", example_scenario(), auto_rubric(), store,
                                             clock=fake_clock(T0 + number * 3600, 1.0), session_id=f"S{number}")
            rehearsal.start()
            for text in responses:
                rehearsal.respond(text)
                rehearsal.next()
            rehearsal.finish()
        daily = person_progress(store, "Ben")
        rq = daily.series("r_to_q", Source.observer)
        assert rq is not None and len(rq.points) == 1
        point = rq.points[0]
        assert (point.value, point.n, point.sessions) == (pytest.approx(2 / 3), 3, 2)
        assert len(point.key) == 10 and point.key[4] == "-"  # YYYY-MM-DD
        per_session = person_progress(store, "Ben", by_day=False).series("r_to_q", Source.observer)
        assert per_session is not None and [p.value for p in per_session.points] == [1.0, 0.5]
