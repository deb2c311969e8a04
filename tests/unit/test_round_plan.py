"""A different scenario (or part) each round: the default plan, the engine, storage and resume, records."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.content.scenario import Difficulty, ListenerMove, Scenario
from roleplay.reports.record import load_record, record_from_session
from roleplay.reports.render import render
from roleplay.session.engine import PracticeSession
from roleplay.session.plan import RoundPlay, choices, default_plan, join_titles
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import SessionConfig, SessionError
from roleplay.storage import open_store
from roleplay.storage.events import MemorySink


def variant(sid: str, title: str, *, difficulty: str = "intro", tags: tuple[str, ...] = ("work",),
            persona: str = "Robin") -> Scenario:
    """The sample scenario under another id, title, level, tags and persona name."""
    base = sample_scenario().model_dump(mode="json")
    base.update(id=sid, title=title, difficulty=difficulty, tags=list(tags))
    base["persona"]["name"] = persona
    return Scenario.model_validate(base)


def with_parts() -> Scenario:
    """The sample scenario split in two parts: opening (with its branch) and closing, then lunch."""
    base = sample_scenario().model_dump(mode="json")
    base["parts"] = [{"title": "The first month", "turns": ["opening", "pushback", "closing"]},
                     {"title": "Lunchtime", "turns": ["lunch"]}]
    return Scenario.model_validate(base)


LIBRARY = [
    variant("a-first", "First", tags=("work",)),
    variant("b-other-level", "Other level", difficulty="advanced", tags=("work",)),
    variant("c-other-theme", "Other theme", tags=("family",)),
    variant("d-same", "Same level and theme", tags=("work", "change")),
    variant("e-same-too", "Also same", tags=("work",)),
]


def test_default_plan_prefers_the_chosen_level_and_theme_then_the_level_then_any() -> None:
    plan = default_plan(LIBRARY[0], LIBRARY, 3)
    assert [p.scenario.id for p in plan] == ["a-first", "d-same", "e-same-too"]
    four = default_plan(LIBRARY[0], LIBRARY, 5)
    assert [p.scenario.id for p in four] == ["a-first", "d-same", "e-same-too", "c-other-theme", "b-other-level"]
    # the set-up's filters name the level and theme: a family filter puts the family scenario first
    assert default_plan(LIBRARY[0], LIBRARY, 2, tag="family")[1].scenario.id == "c-other-theme"
    assert all(p.part is None for p in plan)


def test_default_plan_repeats_only_when_the_library_runs_out() -> None:
    only = [LIBRARY[0]]
    assert [p.scenario.id for p in default_plan(LIBRARY[0], only, 3)] == ["a-first"] * 3
    two = default_plan(LIBRARY[0], LIBRARY[:2], 3)
    assert [p.scenario.id for p in two] == ["a-first", "b-other-level", "a-first"]


def test_a_scenario_with_parts_plays_them_in_order() -> None:
    parted = with_parts()
    plan = default_plan(parted, [parted, *LIBRARY], 3)
    assert [(p.scenario.id, p.part) for p in plan] == [("sample-new-job", 0), ("sample-new-job", 1),
                                                      ("a-first", None)]
    assert plan[0].label == "Sample: first weeks in a new job, part 1 of 2: The first month"
    assert [t.id for t in plan[0].played.turns] == ["opening", "pushback", "closing"]
    assert [t.id for t in plan[1].played.turns] == ["lunch"]
    assert len(choices([parted, LIBRARY[0]])) == 4  # whole + 2 parts, and a-first whole
    with pytest.raises(ValueError, match="no part 3"):
        RoundPlay(parted, 2)


def test_join_titles() -> None:
    assert join_titles(["A", "A"]) == "A"
    assert join_titles(["A", "B", "A", "C"]) == "A, B and C"


def _triad(sink: object, plays: tuple[RoundPlay, ...]) -> PracticeSession:
    ticks = iter(range(100_000))
    config = SessionConfig(("Ana", "Ben", "Cleo"), plays[0].scenario, sample_rubric(), plays=plays)
    session = PracticeSession.create(config, sink, clock=lambda: 1_700_000_000.0 + next(ticks),  # type: ignore[arg-type]
                                     session_id="varied01")
    session.acknowledge_agreement()
    return session


def _play_round(session: PracticeSession) -> list[str]:
    current = session.start_round()
    said = []
    while session.current_turn is not None:
        turn = session.current_turn
        said.append(turn.turn_id)
        session.record_response(f"You said {turn.turn_id}.")
        session.rate(current.roles.observers[0], "paraphrase", 3)
        session.confirm_turn()
    session.end_round()
    return said


def test_each_round_plays_its_own_scenario_and_resume_keeps_it(tmp_path: Path) -> None:
    parted = with_parts()
    plays = (RoundPlay(parted, 0), RoundPlay(parted, 1), RoundPlay(LIBRARY[2]))
    with open_store(tmp_path / "data") as store:
        session = _triad(store, plays)
        assert session.varied and session.scenario_for(2).title.endswith("part 2 of 2: Lunchtime")
        assert _play_round(session) == ["opening", "closing"]
        assert session.scenario.persona.name == "Robin"
        # the app is closed here; a fresh process resumes round 2 from the store
        resumed = PracticeSession.resume(store, "varied01")
        assert resumed.plays == plays and resumed.varied
        assert _play_round(resumed) == ["lunch"]
        resumed.start_round()
        assert resumed.scenario.id == "c-other-theme" and resumed.current_turn is not None
        resumed.mark_move(ListenerMove.advice)
        resumed.rate("Ben", "paraphrase", 2)
        resumed.confirm_turn()
        assert resumed.current_turn is not None and resumed.current_turn.turn_id == "pushback"
        resumed.finish()
        ids = [row[0] for row in store._db.execute(
            "SELECT scenario_id FROM rounds WHERE session_id = 'varied01' ORDER BY round_no")]
        assert ids == ["sample-new-job", "sample-new-job", "c-other-theme"]
        # one snapshot row for the parted scenario, shared by rounds 1 and 2
        shared = store._db.execute("SELECT count(*) FROM snapshots WHERE kind = 'scenario'").fetchone()[0]
        assert shared == 2
        record = load_record(store, "varied01")
    assert [(r.scenario.id, r.part) for r in record.rounds] == [("sample-new-job", 1), ("sample-new-job", 2),
                                                               ("c-other-theme", None)]
    text = render([record], "md")
    assert "# Practice session: Sample: first weeks in a new job and Other theme" in text
    assert "Scenario: Sample: first weeks in a new job, part 2 of 2: Lunchtime (`sample-new-job`)" in text
    assert "  - Round 3: Other theme (`c-other-theme`), intro; tags: family" in text
    html = render([record], "html")
    assert "Round 3 scenario" in html and "part 1 of 2: The first month" in html
    csv_text = render([record], "csv")
    assert ",c-other-theme," in csv_text and ",sample-new-job," in csv_text


def test_rotation_set_keeps_what_each_round_plays(tmp_path: Path) -> None:
    plays = (RoundPlay(LIBRARY[0]), RoundPlay(LIBRARY[3]), RoundPlay(LIBRARY[4]))
    with open_store(tmp_path / "data") as store:
        session = PracticeSession.create(
            SessionConfig(("Ana", "Ben", "Cleo"), LIBRARY[0], sample_rubric(), plays=plays), store,
            session_id="order01")
        session.set_order(["Cleo", "Ana", "Ben"])
        ids = [row[0] for row in store._db.execute(
            "SELECT scenario_id FROM rounds WHERE session_id = 'order01' ORDER BY round_no")]
    assert ids == ["a-first", "d-same", "e-same-too"]


def test_plan_must_cover_every_round() -> None:
    plays = (RoundPlay(LIBRARY[0]), RoundPlay(LIBRARY[3]))
    with pytest.raises(SessionError, match="each of the 3 rounds"):
        PracticeSession.create(SessionConfig(("Ana", "Ben", "Cleo"), LIBRARY[0], sample_rubric(), plays=plays),
                               MemorySink())


def test_in_app_markdown_says_which_scenario_each_round_played() -> None:
    plays = (RoundPlay(LIBRARY[0]), RoundPlay(LIBRARY[2]), RoundPlay(variant("z", "Zed", persona="Sam")))
    session = _triad(MemorySink(), plays)
    for _ in range(3):
        _play_round(session)
    text = render([record_from_session(session)], "md")
    assert text.startswith("# Practice session: First, Other theme and Zed")
    assert "## Round 2: Cleo listening\n\nScenario: Other theme" in text
    assert "  - Round 3: Zed (`z`)" in text
    assert session.scenario_for(3).persona.name == "Sam"


def test_old_records_without_a_plan_play_one_scenario_throughout() -> None:
    session = PracticeSession.create(SessionConfig(("Ana", "Ben"), sample_scenario(), sample_rubric()),
                                     MemorySink())
    assert not session.varied and [p.scenario.id for p in session.plays] == ["sample-new-job"] * 2
    assert "round_scenarios" not in session.events[0].data
    assert session.scenario_for(2) is session.config.scenario
    assert Difficulty.intro == session.scenario.difficulty


def test_history_totals_carry_each_rounds_own_scenario(tmp_path: Path) -> None:
    """A listener's history filtered by scenario counts the round in which they heard that scenario."""
    from roleplay.session.progress import HistoryFilter, person_progress

    plays = (RoundPlay(LIBRARY[0]), RoundPlay(LIBRARY[3]), RoundPlay(LIBRARY[4]))
    with open_store(tmp_path / "data") as store:
        session = _triad(store, plays)
        for _ in range(3):
            current_tallies = session.rubric.tallies[0].id
            current = session.start_round()
            session.rate(current.roles.observers[0], "paraphrase", 3)
            session.change_tally(current.roles.observers[0], current_tallies)
            while session.current_turn is not None:
                session.confirm_turn()
            session.end_round()
        rows = store._db.execute("SELECT round_no, scenario_id FROM criterion_totals ORDER BY round_no").fetchall()
        tallies = store._db.execute("SELECT round_no, scenario_id FROM tally_totals ORDER BY round_no").fetchall()
        cleo = person_progress(store, "Cleo", HistoryFilter(scenario_id="d-same"))  # round 2's listener
        none = person_progress(store, "Cleo", HistoryFilter(scenario_id="a-first"))
    assert rows == [(1, "a-first"), (2, "d-same"), (3, "e-same-too")]
    assert tallies == [(1, "a-first"), (2, "d-same"), (3, "e-same-too")]
    assert [p.value for s in cleo.criteria if s.key == "paraphrase" for p in s.points] == [3.0]
    assert not [p for s in none.criteria for p in s.points]
