"""Solo rehearsal end to end through :class:`SoloRehearsal`: feedback, branches, attempts, summary.

The round on the sample scenario (opening -> pushback via the advice branch -> closing):

- opening, attempt 1: a reflection; "try again"; attempt 2: "Have you tried ...?" (advice without
  permission). The latest attempt counts, so the speaker pushes back (the ``advice`` branch).
- pushback: a complex reflection.  closing: an open question.

Behaviour codes counted over the latest attempts: reflection_complex 1, question_open 1 (the first
attempt's reflection does not count). With the sample rubric's metrics: R:Q = 1 / 1 = 1.0 (fair: at least
1, below 2); %CR = 1 / 1 = 100% (good: at least 50).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.content.scenario import ListenerMove
from roleplay.observer import suggest_ratings
from roleplay.session.feedback_card import FlagKind
from roleplay.session.roles import AUTO_RATER
from roleplay.session.scoring import Band
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import Phase, SessionError
from roleplay.storage import MemorySink, open_store
from tests.unit.test_solo_support import STRONG, auto_rubric, example_scenario, fake_clock

REFLECT = "A month in and you still feel you don't belong there. That sounds lonely."
ADVICE = "Have you tried talking to your manager about it?"
PUSHBACK = "You're tired of hearing easy answers when it feels hard."
CLOSING = "What would a proper chat with someone there look like for you?"


def play_round(solo: SoloRehearsal) -> dict[str, object]:
    """Drive the round described in the module notes; returns the feedback cards by step."""
    cards: dict[str, object] = {}
    first = solo.start()
    assert first.id == "opening" and solo.phase == Phase.playing
    cards["reflect"] = solo.respond(REFLECT)
    solo.try_again()
    cards["advice"] = solo.respond(ADVICE)
    assert solo.next().id == "pushback"  # type: ignore[union-attr]
    cards["pushback"] = solo.respond(PUSHBACK)
    assert solo.next().id == "closing"  # type: ignore[union-attr]
    cards["closing"] = solo.respond(CLOSING)
    assert solo.next() is None
    solo.end_round()
    return cards


def test_feedback_card_shows_evidence_in_the_users_words() -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    card = solo.respond(REFLECT)
    assert (card.label, card.subtype) == ("reflection", "complex")
    assert [k.point for k in card.captured] == ["a month in the new job", "does not feel they fit in"]
    for point in card.key_points:  # evidence spans point into the user's own text
        assert all(REFLECT[s.start : s.end] == s.text for s in point.evidence)
    # One word alone ("month") is shown with the run of words it stands in.
    assert [s.text for s in card.captured[0].evidence] == ["A month in"]
    assert [s.text for s in card.feelings_named] == ["lonely"]
    assert card.flags == ()
    assert [e.text for e in card.examples] == [e["text"] for e in STRONG]
    assert {s.criterion_id for s in card.suggestions} == {"paraphrase", "feeling"}  # no question: not rated
    assert all(s.reason for s in card.suggestions)
    assert card.move == ListenerMove.reflection and not card.branched
    # Saved as it happened: the observer's ratings (with reasons), its conclusion, the move.
    turn = solo.current_turn
    assert turn is not None and turn.response == REFLECT and turn.move == ListenerMove.reflection
    assert turn.observed is not None and turn.observed.behaviours == ("reflection_complex",)
    assert {cid: e.value for (r, cid), e in turn.ratings.items() if r == AUTO_RATER} == {
        s.criterion_id: s.value for s in card.suggestions}
    assert turn.ratings[(AUTO_RATER, "paraphrase")].note == card.suggestion("paraphrase").reason  # type: ignore[union-attr]
    assert solo.feedback == card


def test_advice_is_flagged_and_takes_the_branch() -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    card = solo.respond(ADVICE)
    assert card.label == "advice" and card.move == ListenerMove.advice and card.branched
    flag = next(f for f in card.flags if f.kind == FlagKind.advice_without_permission)
    assert [s.text for s in flag.evidence] == ["Have you tried"] or flag.evidence[0].start == 0
    assert [k.point for k in card.missed] == ["a month in the new job", "does not feel they fit in"]
    with pytest.raises(SessionError, match="already has a response"):
        solo.respond("again without try again")
    assert solo.next().id == "pushback"  # type: ignore[union-attr]


def test_try_again_keeps_both_attempts_and_the_latest_counts() -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    first = solo.respond(REFLECT)
    solo.self_rate("paraphrase", 4)
    solo.try_again()
    turn = solo.current_turn
    assert turn is not None and turn.response is None and turn.ratings == {} and turn.move is None
    assert len(turn.attempts) == 1 and turn.attempts[0].response == REFLECT
    assert turn.attempts[0].ratings[("Ana", "paraphrase")].value == 4  # kept with its attempt
    second = solo.respond(ADVICE)
    shown = solo.attempts()
    assert [c.response for c in shown] == [REFLECT, ADVICE] and [c.attempt for c in shown] == [1, 2]
    assert shown[0] == first  # recomputed from the stored response, identical to the card shown then
    assert shown[1] == second
    # Only the latest attempt counts: the observer's paraphrase rating is the advice's, not the reflection's.
    assert turn.ratings[(AUTO_RATER, "paraphrase")].value == second.suggestion("paraphrase").value  # type: ignore[union-attr]
    assert ("Ana", "paraphrase") not in turn.ratings
    assert turn.move == ListenerMove.advice


def test_self_rating_and_differences() -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    card = solo.respond(ADVICE)
    auto = {s.criterion_id: s.value for s in card.suggestions}
    solo.self_rate("paraphrase", 3)
    solo.self_rate("feeling", auto["feeling"])
    diffs = {d.criterion_id: d for d in solo.differences()}
    assert diffs["paraphrase"].self_value == 3 and diffs["paraphrase"].auto_value == auto["paraphrase"]
    assert diffs["paraphrase"].gap == 3 - auto["paraphrase"] and diffs["paraphrase"].differs
    assert diffs["feeling"].gap == 0 and not diffs["feeling"].differs
    assert diffs["open-question"].self_value is None and diffs["open-question"].gap is None
    assert diffs["paraphrase"].auto_reason


def test_full_round_summary_against_hand_computed_figures() -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    cards = play_round(solo)
    assert [t.turn_id for t in solo.round.turns] == ["opening", "pushback", "closing"]
    assert [t.move for t in solo.round.turns] == [ListenerMove.advice, ListenerMove.reflection,
                                                  ListenerMove.question_open]
    summary = solo.summary()
    assert summary.behaviour_counts == {"advice_without_permission": 1, "reflection_complex": 1,
                                        "question_open": 1}
    assert (summary.turns_answered, summary.attempts) == (3, 4)
    assert summary.metrics_source == "rubric"
    rq, cr = summary.metric("r_to_q"), summary.metric("pct_cr")
    assert rq is not None and (rq.numerator, rq.denominator, rq.value, rq.band) == (1, 1, 1.0, Band.fair)
    assert cr is not None and (cr.numerator, cr.denominator, cr.value, cr.band) == (1, 1, 100.0, Band.good)
    # Per-criterion means by hand from the cards of the latest attempts (weights 2, 1, 1, 1).
    latest = [cards["advice"], cards["pushback"], cards["closing"]]

    def values(cid: str) -> list[int]:
        return [s.value for c in latest for s in c.suggestions if s.criterion_id == cid]  # type: ignore[attr-defined]

    means = {cid: sum(values(cid)) / len(values(cid)) for cid in ("paraphrase", "feeling", "open-question")}
    assert len(values("open-question")) == 2  # the reflection asked nothing
    led = [s.value for c in latest for s in suggest_ratings(c.observation, solo.rubric)  # type: ignore[attr-defined]
           if s.criterion_id == "speaker-led"]
    led_mean = sum(led) / 3
    means["speaker-led"] = min((1, 2, 3, 4), key=lambda v: (abs(v - led_mean), v))
    for cid, mean in means.items():
        assert summary.scores.criterion(cid).mean == pytest.approx(mean)
    expected = (2 * means["paraphrase"] + means["feeling"] + means["open-question"] + means["speaker-led"]) / 5
    assert summary.scores.overall == pytest.approx(expected)
    assert summary.strengths and summary.strengths[0].score == max(
        s.mean for s in summary.scores.criteria if s.mean is not None)
    assert summary.self_scores is None and summary.earlier is None and not summary.ended_early


def test_stop_early_and_no_tallies_rubric_uses_standard_metrics() -> None:
    data = auto_rubric().model_dump(mode="json")
    data["tallies"], data["metrics"] = [], []
    rubric = auto_rubric().model_validate(data)
    solo = SoloRehearsal.create("Ana", example_scenario(), rubric, MemorySink(), clock=fake_clock())
    solo.start()
    solo.respond(REFLECT)
    solo.pause()
    solo.unpause()
    solo.end_round()  # stop early
    summary = solo.summary()
    assert summary.ended_early and summary.metrics_source == "standard"
    rq, cr = summary.metric("r_to_q"), summary.metric("pct_cr")
    assert rq is not None and rq.value is None and rq.text == "n/a"  # no questions
    assert cr is not None and cr.value == 100.0 and cr.thresholds is not None and cr.thresholds.good == 50


def test_comparison_with_earlier_attempts(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        clock = fake_clock()
        first = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), store, clock=clock)
        first.start()
        first.respond(ADVICE)  # weak: advice, branch to pushback
        first.next()
        first.respond("Do you ever talk to anyone at work?")
        first.finish()
        before = first.summary()
        second = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), store, clock=clock)
        play_round(second)
        now = second.summary()
    assert now.earlier is not None and now.earlier.count == 1
    previous = now.earlier.previous
    assert previous.session_id == first.id
    assert previous.overall == pytest.approx(before.scores.overall)
    changes = {c.name: c for c in now.earlier.changes}
    overall = changes["Overall"]
    assert (overall.before, overall.now) == (pytest.approx(before.scores.overall), pytest.approx(now.scores.overall))
    assert overall.direction == ("better" if now.scores.overall > before.scores.overall else "worse")  # type: ignore[operator]
    # First time: one closed question, no reflection -> R:Q 0.0; now 1.0: better.
    assert (changes["Reflection-to-question ratio"].before, changes["Reflection-to-question ratio"].now) == (0.0, 1.0)
    assert changes["Reflection-to-question ratio"].direction == "better"
    assert changes["Percent complex reflections"].before is None  # no reflections the first time
