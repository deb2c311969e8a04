"""What a new user saw the observer and the solo screens get wrong (issue 17, second round), one test each."""

from __future__ import annotations

import pytest

from roleplay.observer import observe
from roleplay.session.scoring import MetricResult
from roleplay.session.solo import SoloRehearsal
from roleplay.storage import MemorySink
from roleplay.tui.widgets.feedback_card import card_content
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

SPEAKER = "I try to get out but mostly I just stay in."


@pytest.mark.parametrize("reply", ["It sounds like you manage it at least some of the time.",
                                   "So you've been out at least once this week."])
def test_at_least_as_a_measure_is_not_minimising(reply: str) -> None:
    obs = observe(reply, SPEAKER)
    assert not obs.has("minimisation")
    assert obs.label == "reflection"


@pytest.mark.parametrize("reply", ["At least you get out sometimes.", "At least the flat is warm."])
def test_at_least_looking_on_the_bright_side_still_is(reply: str) -> None:
    assert observe(reply, SPEAKER).has("minimisation")


@pytest.mark.parametrize("reply", ["Carry on, I am listening.", "Go on, I'm with you, I'm listening."])
def test_an_encourager_is_not_self_disclosure(reply: str) -> None:
    obs = observe(reply, SPEAKER)
    assert obs.label == "other"
    assert obs.label != "self_disclosure"


def test_a_long_sentence_with_i_am_listening_in_it_is_not_only_an_encourager() -> None:
    obs = observe("I am listening, and it sounds like staying in has become the easier thing to do.", SPEAKER)
    assert obs.label == "reflection"


def _card(reply: str) -> tuple[object, str]:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    card = solo.respond(reply)
    return card, card_content(card, auto_rubric()).plain


def test_a_feeling_named_that_is_not_the_turns_is_said_to_be_so() -> None:
    card, text = _card("You must be furious with them.")
    assert card.feelings_matched == 0 and [s.text for s in card.feelings_named] == ["furious"]  # type: ignore[attr-defined]
    assert "The speaker's feelings met: 0 of 2" in text
    assert "You named: “furious” (not one of the speaker's feelings here)" in text
    assert "Feelings named: 0 of 2" not in text


def test_a_feeling_that_meets_the_turns_is_counted_and_not_marked_other() -> None:
    card, text = _card("That sounds lonely.")
    assert card.feelings_matched == 1  # type: ignore[attr-defined]
    assert "The speaker's feelings met: 1 of 2" in text
    assert "not one of the speaker's feelings" not in text


def test_a_ratio_with_nothing_below_the_line_is_said_plainly() -> None:
    seven = MetricResult("r_to_q", "Reflection-to-question ratio", "ratio", 7, 0, None, None)
    assert seven.plain == "7 reflections and no questions, so no ratio yet"
    assert "n/a" not in seven.plain
    one = MetricResult("r_to_q", "Reflection-to-question ratio", "ratio", 1, 0, None, None)
    assert one.plain == "1 reflection and no questions, so no ratio yet"
    none = MetricResult("percent_complex", "Percent complex reflections", "percent", 0, 0, None, None)
    assert none.plain == "nothing counted yet (no reflections)"
    value = MetricResult("r_to_q", "Reflection-to-question ratio", "ratio", 4, 2, 2.0, None)
    assert value.plain == "2.0:1"


# --- judgment and reassurance are labels (MITI-style definitions in roleplay/observer/acts.py) --------

@pytest.mark.parametrize("reply", ["At least you still have a job.", "Don't worry, it's nothing.",
                                   "Lots of people would be glad of a quiet weekend, honestly."])
def test_playing_the_problem_down_is_labelled_reassurance(reply: str) -> None:
    obs = observe(reply, SPEAKER)
    assert obs.label == "reassurance"
    assert obs.has("minimisation")


@pytest.mark.parametrize("reply", ["You're overreacting, it's not a big deal.",
                                   "Well, shouting at staff was never going to help your case."])
def test_a_verdict_on_the_speaker_is_labelled_judgment(reply: str) -> None:
    assert observe(reply, SPEAKER).label == "judgment"


def test_comfort_about_the_future_and_praise_stay_affirmation() -> None:
    assert observe("I'm sure things will get better for you soon.", SPEAKER).label == "affirmation"
    assert observe("You did really well to keep going.", SPEAKER).label == "affirmation"


def test_a_reassurance_or_judgment_label_takes_its_branch() -> None:
    from roleplay.content.scenario import Turn
    from roleplay.session.moves import decide_move

    turn = Turn.model_validate({"id": "t", "line": SPEAKER, "branches": [
        {"when": "reassurance", "goto": "pushback"}, {"when": "judgment", "goto": "hurt"}]})
    calm = decide_move(observe("At least you still have a job.", SPEAKER), turn, "At least you still have a job.")
    assert (calm.move.value, calm.branched) == ("reassurance", True)
    verdict = "You're overreacting, it's not a big deal."
    judged = decide_move(observe(verdict, SPEAKER), turn, verdict)
    assert (judged.move.value, judged.branched) == ("judgment", True)
