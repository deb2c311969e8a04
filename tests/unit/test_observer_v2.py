"""Observer v2 (issue 17): meaning, feelings, advice as MITI defines it, honest confidence, and the
findings of a new user in solo rehearsal, each as a test."""

from __future__ import annotations

import pytest

from roleplay.observer import observe
from roleplay.observer.lexicon import canon_word
from roleplay.observer.rate import CRITERION_FUNCS, minimises, rating_confidence

KNEE = ("Knee's fine, before you ask. Well, it's not fine, but it works. I can walk the dog. Just can't play. "
        "That's kind of why I'm here, I guess. Ellie made me. No offence.")
KNEE_POINTS = ("His knee works for daily life but he can't play any more.", "That loss is the reason he's come.",
               "His partner pushed him to come.")


def captured(obs: object) -> set[str]:
    return {s.detail for s in obs.signals if s.name == "key_point_captured"}  # type: ignore[attr-defined]


# --- seen by a new user ---------------------------------------------------------------------------

@pytest.mark.parametrize("reply", ["Mm. Go on.", "Go on.", "I see, go on.", "Go on, say it."])
def test_an_encourager_is_not_advice(reply: str) -> None:
    obs = observe(reply, "I don't really know where to start with it.")
    assert obs.label != "advice"
    assert not obs.has("advice_without_permission")


def test_go_on_with_a_step_is_still_advice() -> None:
    assert observe("Go on holiday, it will help.", "I'm so tired.").has("advice_without_permission")


def test_a_summary_is_not_advice() -> None:
    obs = observe("So what you're saying is the rent went up, the washing machine broke, and a first step you "
                  "could take feels a long way off.", "Rent went up in April. The washing machine went in July.")
    assert obs.label == "reflection"
    assert not obs.has("advice_without_permission")


def test_the_word_without_alone_does_not_carry_a_point() -> None:
    obs = observe("I can't imagine doing that without some support.", "The lads' group chat's still going.",
                  ["The team carries on without him in the group chat."])
    assert not captured(obs)


def test_a_name_from_the_speakers_line_stands_for_the_relation() -> None:
    obs = observe("So Ellie pushed you into coming.", KNEE, KNEE_POINTS)
    assert "His partner pushed him to come." in captured(obs)
    ev = next(s.evidence for s in obs.signals if s.name == "key_point_captured" and s.detail == KNEE_POINTS[2])
    assert "Ellie" in ev


def test_a_place_is_not_a_name() -> None:
    obs = observe("Which part of Poland are you from?", "When I came here from Poland, I was thirty-six. "
                  "My mother said the same.", ["He left Poland at thirty-six and his mother said it was good for him."])
    assert not captured(obs)


def test_numbers_in_words_meet_numbers_in_digits() -> None:
    assert canon_word("under-twelves") == canon_word("under-12s")
    obs = observe("You'd be coaching the under-twelves on Sundays.", "Asked if I'd help with the kids.",
                  ["He's been offered a coaching role with the under-12s."])
    assert captured(obs)


def test_parroting_is_not_a_reflection_and_does_not_raise_rq() -> None:
    speaker = "Saturdays are the worst. Three o'clock comes and I'm just stood in the kitchen."
    obs = observe("Saturdays are the worst. Three o'clock comes and you're just stood in the kitchen.", speaker)
    assert obs.has("parroting")
    assert not {"reflection_simple", "reflection_complex"} & obs.behaviours
    assert obs.subtype is None


@pytest.mark.parametrize("reply", ["Lots of people would be glad of that.", "Many people would love a quiet weekend.",
                                   "You're lucky to have a job at all."])
def test_minimising_by_comparison_is_caught(reply: str) -> None:
    obs = observe(reply, "I didn't say one word out loud all weekend.")
    assert obs.has("minimisation")
    assert minimises(obs)


def test_a_minimising_reply_gets_no_top_score_on_non_judgmental_or_empathy() -> None:
    obs = observe("I'm sure things will get better soon.", "I didn't say one word out loud all weekend.")
    assert minimises(obs)
    non_judgmental = CRITERION_FUNCS["non_judgmental"](obs)
    empathy = CRITERION_FUNCS["empathy"](obs)
    assert non_judgmental is not None and non_judgmental[0] <= 0.5
    assert empathy is not None and empathy[0] < 0.5  # below interchangeable


def test_a_closed_question_that_steers_away_does_not_let_the_speaker_lead() -> None:
    speaker = "My dad came to every home game. Now he rings and we do two minutes on the weather."
    obs = observe("Do you like your job at the merchant's?", speaker,
                  ["His dad came to every home game.", "Now their conversations have dried up."])
    assert obs.label == "question_closed"
    led = CRITERION_FUNCS["speaker_led"](obs)
    assert led is not None and led[0] < 1.0 and "steers away" in led[1]
    on_topic = CRITERION_FUNCS["speaker_led"](observe("Do you miss going over the match with your dad?", speaker,
                                                      ["His dad came to every home game."]))
    # Following the speaker's thread is the rubric's "interchangeable" (0.8); the top level needs the
    # lead handed back on purpose (issue 17, F12).
    assert on_topic is not None and on_topic[0] == 0.8 and "steers" not in on_topic[1]


# --- feelings by meaning ------------------------------------------------------------------------------

@pytest.mark.parametrize(("reply", "feeling"), [
    ("You must be gutted.", "disappointed"),
    ("You sound on edge about it.", "anxious"),
    ("That sounds exhausting.", "exhausted"),
    ("Sorry, that felt patronising.", "patronised"),
])
def test_a_feeling_in_other_words_is_conveyed(reply: str, feeling: str) -> None:
    obs = observe(reply, "It's been a lot.", feelings=[feeling])
    assert obs.feelings_matched == 1


def test_a_diagnosis_is_a_label_not_empathy() -> None:
    obs = observe("Sounds like classic depression to me.", "I don't know who I'm meant to be.",
                  feelings=["lost", "empty", "sad"])
    assert obs.has("judgmental_label")
    assert obs.feelings_matched == 0
    assert not obs.has("feeling_named")


def test_a_feeling_guessed_for_someone_else_is_not_the_speakers() -> None:
    obs = observe("He's probably finding it awkward too, not knowing what to say to you.",
                  "Now he rings and we do two minutes on the weather.", feelings=["sad", "awkward"])
    assert obs.feelings_matched == 0
    assert obs.has("feeling_other_person")


def test_the_observation_lists_every_expected_feeling() -> None:
    obs = observe("You sound torn.", "Part of me's like, yeah.", feelings=["torn", "tempted", "afraid"])
    expected = [(s.detail, bool(s.evidence)) for s in obs.signals if s.name == "feeling_expected"]
    assert expected == [("torn", True), ("tempted", False), ("afraid", False)]


def test_dont_be_daft_names_no_feeling() -> None:
    obs = observe("Don't be daft, you look fine!", "I'm heavier than I was.", feelings=["self-conscious"])
    assert obs.feelings_matched == 0


# --- key points by meaning, and honest confidence -------------------------------------------------------

def test_a_paraphrase_in_other_words_carries_the_point() -> None:
    obs = observe("So the coaching offer is sitting there and you haven't got back to him yet.",
                  "The gaffer rang. Asked if I'd help with the under-twelves. I haven't rung back.",
                  ["He's been offered a coaching role with the under-12s.", "He hasn't replied."])
    assert captured(obs) == {"He's been offered a coaching role with the under-12s.", "He hasn't replied."}


def test_a_question_about_something_new_carries_no_point_by_meaning() -> None:
    obs = observe("Does your mum get any help at home?", "My mum's knees are bad now.",
                  ["The test matters because of her mum, who lives in the next town."])
    assert not captured(obs)


def test_weak_evidence_is_reported_as_not_sure_and_not_counted() -> None:
    # "everyone" is near the point, the rest of the reply is not: weak evidence.
    obs = observe("It was all a lot, with everyone there.",
                  "I thought everyone would be looking at me.", ["He expected people to stare."])
    unsure = [s for s in obs.signals if s.name == "key_point_unsure"]
    assert unsure and unsure[0].detail == "He expected people to stare."
    assert obs.key_points_captured == 0
    assert rating_confidence(obs, "paraphrase") < obs.confidence


def test_advice_asked_for_is_marked_as_such() -> None:
    obs = observe("You could cut the shifts down until the resit.", "What would you do? Honestly.")
    assert obs.has("advice_asked_for")
    assert not obs.has("advice_without_permission")
    permitted = observe("Can I suggest something? You could cut the shifts down.", "I'm so tired.")
    assert permitted.has("asks_permission") and not permitted.has("advice_without_permission")
