"""The automatic observer beside a human observer in a typed triad: anchoring rule, storage, agreement.

Round 1 (Ana speaks, Ben listens, Cleo observes) on the sample scenario with observer-wired criteria.
The observer's values are pinned first (preconditions), then the agreement is checked against figures
computed by hand:

=========  ==============  =====  ========  ====
turn       criterion       Cleo   observer  diff
=========  ==============  =====  ========  ====
opening    paraphrase      4      4         0
opening    feeling         2      4         2
lunch      paraphrase      1      1         0
lunch      open-question   4      2         2
closing    open-question   4      4         0
(round)    speaker-led     3      4         1
=========  ==============  =====  ========  ====

6 items: exact 3/6 = 50%, within one level 4/6 = 66.7%, mean difference 5/6 = 0.833.
(The observer rates feeling 4 on the opening: "lonely" is in the family of the speaker's "out of place".)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.content.scenario import ListenerMove
from roleplay.session.compare import (
    auto_view_for,
    confirm_turn_with_observer,
    observe_confirmed,
    observe_missing,
    observe_round_end,
    round_comparison,
)
from roleplay.session.engine import PracticeSession
from roleplay.session.roles import AUTO_RATER
from roleplay.session.scoring import score_round
from roleplay.session.state import ListenerMode, SessionConfig, SessionError
from roleplay.storage import open_store
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

PLAN = [
    ("A month in and you still feel you don't belong there. That sounds lonely.", {"paraphrase": 4, "feeling": 2},
     {"paraphrase": 4, "feeling": 4}),
    ("Do you ever sit with anyone?", {"paraphrase": 1, "open-question": 4},
     {"paraphrase": 1, "feeling": 1, "open-question": 2}),
    ("What would a proper chat with someone there look like for you?", {"open-question": 4},
     {"paraphrase": 1, "feeling": 1, "open-question": 4}),
]


def play(session: PracticeSession) -> None:
    session.acknowledge_agreement()
    session.start_round()
    for number, (response, cleo, observer) in enumerate(PLAN):
        turn = session.current_turn
        assert turn is not None
        session.record_response(response)
        for cid, value in cleo.items():
            session.rate("Cleo", cid, value)
        assert auto_view_for(session, turn) is None  # never before the human has confirmed
        if number == 0:
            session.mark_move(ListenerMove.reflection)
        confirm_turn_with_observer(session)
        view = auto_view_for(session, turn)
        assert view is not None
        assert {c.criterion_id: c.auto for c in view.criteria} == observer  # precondition: observer pinned
        assert all(c.reason for c in view.criteria if c.auto is not None)
        assert {c.criterion_id: c.people.get("Cleo") for c in view.criteria if c.people} == cleo
    # One below the observer's round rating (3: turn 2's closed question steers, so its 4, 2, 4 average
    # to 3), so the round has one disagreement by one level on speaker-led.
    session.rate("Cleo", "speaker-led", 2)
    observe_round_end(session)
    session.end_round()


def new_triad(sink: object) -> PracticeSession:
    config = SessionConfig(("Ana", "Ben", "Cleo"), example_scenario(), auto_rubric(), mode=ListenerMode.typed)
    return PracticeSession.create(config, sink, clock=fake_clock(), session_id="triad")  # type: ignore[arg-type]


def test_agreement_per_criterion_and_for_the_round(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        session = new_triad(store)
        play(session)
        round_state = session.rounds[0]
        assert round_state.ratings[(AUTO_RATER, "speaker-led")].value == 3  # precondition
        comparison = round_comparison(session, 1)
        overall = comparison.overall
        assert overall.items == 6
        assert overall.exact_percent == pytest.approx(50.0)
        assert overall.within_one_percent == pytest.approx(400 / 6)
        assert overall.mean_abs_diff == pytest.approx(5 / 6)
        assert [a.rater_a for a in comparison.per_rater] == ["Cleo"]
        by_criterion = {c.criterion_id: c.result for c in comparison.per_criterion}
        assert (by_criterion["paraphrase"].items, by_criterion["paraphrase"].exact_percent) == (2, 100.0)
        assert (by_criterion["feeling"].exact_percent, by_criterion["feeling"].within_one_percent) == (0.0, 0.0)
        oq = by_criterion["open-question"]
        assert (oq.items, oq.exact_percent, oq.within_one_percent, oq.mean_abs_diff) == (2, 50.0, 50.0, 1.0)
        assert (by_criterion["speaker-led"].items, by_criterion["speaker-led"].mean_abs_diff) == (1, 1.0)
        # The people's scores leave the observer out, in the session and in the stored progress totals.
        scores = score_round(session.rubric, round_state)
        assert scores.raters == ("Cleo",)
        assert scores.criterion("paraphrase").mean == pytest.approx(2.5)
        assert scores.criterion("feeling").mean == pytest.approx(2.0)
        progress = {r.criterion_id: (r.mean, r.n) for r in store.listener_progress("Ben")}
        assert progress["paraphrase"] == (pytest.approx(2.5), 2)
        # Branches follow the human's mark only: the observer never marks a move.
        assert [t.move for t in round_state.turns] == [ListenerMove.reflection, None, None]
        # Saved and resumable: the same comparison after a resume.
        again = PracticeSession.resume(store, "triad")
        assert round_comparison(again, 1) == comparison


def test_observer_view_only_after_confirming_and_filled_in_after_a_crash() -> None:
    from roleplay.storage import MemorySink

    sink = MemorySink()
    session = new_triad(sink)
    session.acknowledge_agreement()
    session.start_round()
    session.record_response(PLAN[0][0])
    with pytest.raises(SessionError, match="after the turn is confirmed"):
        observe_confirmed(session, 0)
    session.confirm_turn()  # the app died before the observer's view was saved
    assert session.rounds[0].turns[0].observed is None
    again = PracticeSession.from_events(sink.load_events("triad"), sink)
    assert observe_missing(again) == 1
    assert observe_missing(again) == 0  # idempotent
    turn = again.rounds[0].turns[0]
    assert turn.observed is not None and turn.observed.label == "reflection"
    assert (AUTO_RATER, "paraphrase") in turn.ratings and turn.ratings[(AUTO_RATER, "paraphrase")].note is None
