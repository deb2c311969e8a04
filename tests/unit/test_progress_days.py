"""Per-day history tables (schema 4) and chart points grouped into periods.

A seeded random history for Ben over about five months (solo rehearsals with self-ratings and "try
again", triads where Cleo rates, counts tallies and changes her mind) is checked three ways:

- the per-day tables, kept by triggers, always equal the per-round tables added up by day (also after a
  whole session is deleted);
- an unfiltered history read from the per-day tables equals the same history read from the per-round
  tables (a filter that keeps everything forces that path);
- with ``max_points`` every series fits, each grouped point adds up its days, and best and latest are
  still those of single days.
"""

from __future__ import annotations

import random

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, PersonProgress, Series, person_progress
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import SessionConfig
from roleplay.storage import Store
from roleplay.storage.day_totals import _DAYS
from tests.pg_fixtures import OpenDb
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

DAY = 86_400.0
T0 = 1_700_000_000.0
RESPONSES = [
    "So it's been a lonely month and you're not sure you fit in?",
    "Have you tried talking to your manager about it?",
    "What would make next week feel a little easier?",
    "You're tired of hearing easy answers when it feels hard.",
    "Do you ever sit with anyone at lunch?",
    "I had the same at my last job and it passed.",
]


def solo(store: Store, rng: random.Random, day: float, number: int) -> None:
    rehearsal = SoloRehearsal.create("Ben", example_scenario(rng.choice(["sample-new-job", "other"])), auto_rubric(),
                                     store, clock=fake_clock(T0 + day * DAY), session_id=f"solo{number}")
    rehearsal.start()
    for index in range(rng.randint(1, 3)):
        rehearsal.respond(rng.choice(RESPONSES))
        if rng.random() < 0.3:
            rehearsal.try_again()
            rehearsal.respond(rng.choice(RESPONSES))
        if index == 0:
            rehearsal.self_rate("paraphrase", rng.randint(1, 4))
        if rehearsal.next() is None:
            break
    rehearsal.finish()


def triad(store: Store, rng: random.Random, day: float, number: int) -> None:
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric())
    session = PracticeSession.create(config, store, clock=fake_clock(T0 + day * DAY), session_id=f"triad{number}")
    session.acknowledge_agreement()
    session.start_round()
    for _ in range(rng.randint(1, 3)):
        session.rate("Cleo", "paraphrase", rng.randint(1, 4))
        if rng.random() < 0.3:
            session.rate("Cleo", "paraphrase", rng.choice([None, rng.randint(1, 4)]))  # changes her mind
        session.rate("Cleo", "feeling", rng.randint(1, 4))
        for tally in rng.sample(["reflection_simple", "reflection_complex", "question_open", "question_closed"], 2):
            session.change_tally("Cleo", tally, rng.randint(1, 2))
        if rng.random() < 0.2:
            session.change_tally("Cleo", "question_open", -1)
        session.confirm_turn()
    session.finish()


@pytest.fixture
def history(open_db: OpenDb) -> Store:
    rng = random.Random(11)
    store = open_db()
    day = 0.0
    for number in range(70):
        day += rng.choice([0.0, 0.1, 1.0, 2.0, 3.5])  # several sessions on some days, gaps on others
        (solo if rng.random() < 0.6 else triad)(store, rng, day, number)
    yield store
    store.close()


def recomputed(store: Store) -> dict[str, list[tuple]]:
    """Each per-day table as the per-round tables add up today."""
    out = {}
    for table, (days, keys, aggregates, keep) in _DAYS.items():
        columns = ", ".join(keys)
        rows = store._read(f"SELECT {columns}, {aggregates} FROM {table} WHERE {keep} GROUP BY {columns}")
        out[days] = sorted(tuple(r) for r in rows)
    return out


def stored(store: Store) -> dict[str, list[tuple]]:
    return {days: sorted(tuple(r) for r in store._read(f"SELECT * FROM {days}")) for days, *_ in _DAYS.values()}


def test_day_tables_always_equal_the_per_round_tables_added_up(history: Store) -> None:
    expected = recomputed(history)
    assert all(expected.values()), "the history should fill every per-day table"
    assert stored(history) == expected
    with history._transaction() as db:  # a deleted session leaves its days through the cascade
        db.execute("DELETE FROM sessions WHERE id IN ('triad3', 'solo1', 'solo2')")
    after = recomputed(history)
    assert after != expected and stored(history) == after


def all_series(progress: PersonProgress) -> dict[tuple, Series]:
    return {(s.key, s.source, s.rubric_id): s for s in (*progress.criteria, *progress.overall, *progress.metrics)}


def test_per_day_tables_and_per_round_tables_give_the_same_history(history: Store) -> None:
    from_days = person_progress(history, "Ben")
    from_rounds = person_progress(history, "Ben", HistoryFilter(since=0.0))  # a filter: per-round tables
    assert len(from_days.charted) > 40
    assert all_series(from_days) == all_series(from_rounds)
    assert from_days.charted == from_rounds.charted


@pytest.mark.parametrize("flt", [HistoryFilter(), HistoryFilter(kind="solo")], ids=["all", "solo"])
def test_grouped_points_fit_and_best_and_latest_stay_single_days(history: Store, flt: HistoryFilter) -> None:
    daily = all_series(person_progress(history, "Ben", flt))
    grouped_progress = person_progress(history, "Ben", flt, max_points=10)
    grouped = all_series(grouped_progress)
    width = grouped_progress.days_per_point
    assert width > 1 and daily.keys() == grouped.keys()
    for key, day_series in daily.items():
        series = grouped[key]
        assert len(series.points) <= 10
        if not day_series.points:
            assert series.best is None and series.latest is None
            continue
        for which in ("best", "latest"):
            want, got = getattr(day_series, which), getattr(series, which)
            assert (got.key, got.n) == (want.key, want.n) and got.value == pytest.approx(want.value), (key, which)
        if key[0] in ("r_to_q", "pct_cr", "overall"):
            continue
        # A criterion's grouped point: every rating of its days, so the days' means weighted by their n.
        first = series.points[0]
        days = [p for p in day_series.points if p.key < series.points[1].key] if len(series.points) > 1 \
            else list(day_series.points)
        assert first.key <= days[0].key and first.n == sum(p.n for p in days)
        assert first.value == pytest.approx(sum(p.value * p.n for p in days) / first.n)


def test_a_short_history_keeps_one_point_per_day(history: Store) -> None:
    progress = person_progress(history, "Ben", max_points=1000)
    assert progress.days_per_point == 1
    assert all_series(progress) == all_series(person_progress(history, "Ben"))


def test_best_and_latest_give_iso_days(history: Store) -> None:
    """The figures table names days as YYYY-MM-DD, never a two-digit year such as 26-12-01."""
    import re

    from roleplay.tui.history_data import best_and_latest

    rows = best_and_latest(person_progress(history, "Ben"), sample_rubric().id)
    assert rows
    for _name, _source, best, latest in rows:
        for cell in (best, latest):
            assert re.search(r" \d{4}-\d{2}-\d{2}$", cell), cell
