"""Issue 5, information strategy: naming resources, and which sentences are not information
(empathic judgments of the situation, a bare frequency adverb). Sentences written for these tests."""

from __future__ import annotations

import pytest

from roleplay.observer import Observation, observe

SPEAKER = "My dad was diagnosed last month and I'm the one looking after him. Is it normal to feel this tired?"


def _obs(response: str, speaker: str = SPEAKER) -> Observation:
    return observe(response, speaker)


def _names(response: str, speaker: str = SPEAKER) -> set[str]:
    return {s.name for s in _obs(response, speaker).signals}


# --- naming a resource that exists is information -----------------------------------------------

@pytest.mark.parametrize("response", [
    "There are support groups for carers in most towns.",
    "There's a helpline for carers that is open every evening.",
    "There are charities that can help you with respite care.",  # "help you": still a resource named
    "I'm not sure, but there are local organisations that offer a few free sessions.",
])
def test_naming_a_resource_is_information(response: str) -> None:
    obs = _obs(response)
    assert obs.label == "information"
    assert "resource" in {s.name for s in obs.signals}
    assert "giving_information" in obs.behaviours


def test_the_resource_signal_shows_the_words_that_name_it() -> None:
    sig = next(s for s in _obs("There are support groups for carers.").signals if s.name == "resource")
    assert sig.evidence == ("There are support groups",)


def test_a_resource_beside_a_suggestion_question_is_still_the_suggestion() -> None:
    # Hard case: "have you tried...?" puts the step on the table; the resource only backs it up.
    assert _obs("Have you tried calling the carers' line? There are people there who can help.").label == "advice"


def test_telling_the_person_to_use_a_resource_is_advice() -> None:
    # Hard case: the same resource as a directive is a suggestion, not information.
    obs = _obs("Go to a support group for carers this week.")
    assert obs.label == "advice"
    assert "resource" not in {s.name for s in obs.signals}


def test_there_is_hope_is_not_a_resource() -> None:
    assert "resource" not in _names("There is always hope.")


# --- the speaker's question answered: the kind of answer decides ----------------------------------

def test_a_general_answer_to_the_speakers_question_is_information() -> None:
    assert _obs("Lots of people feel that way after a diagnosis in the family.").label == "information"


def test_an_option_in_answer_to_what_should_i_do_is_advice() -> None:
    assert _obs("You could call her tonight.", "What should I do?").label == "advice"


def test_a_reflection_in_answer_to_a_question_stays_a_reflection() -> None:
    assert _obs("You're wondering whether feeling this worn out is normal.").label == "reflection"


# --- judging the situation hard is sympathy, not a fact about the world -------------------------

@pytest.mark.parametrize("response", [
    "That is a hard position to be in.",
    "That's a really tough thing to deal with.",
    "What a difficult time for your family.",
])
def test_calling_the_situation_hard_with_a_noun_is_sympathy(response: str) -> None:
    obs = _obs(response)
    assert obs.label == "affirmation"
    assert "sympathy" in {s.name for s in obs.signals}
    assert "information" not in {s.name for s in obs.signals}


def test_an_understandable_fear_is_normalising() -> None:
    obs = _obs("That's an understandable fear.", "I'm scared I won't cope if he gets worse.")
    assert obs.label == "affirmation"
    assert "reassurance" in {s.name for s in obs.signals}


def test_a_common_problem_is_still_information() -> None:
    # Hard case next to the normalising one: "common" states how things are in general.
    assert _obs("Tiredness is a common sign of caring for someone full time.").label == "information"


# --- a frequency adverb alone does not make a sentence information --------------------------------

def test_sometimes_in_the_listeners_own_story_is_self_disclosure() -> None:
    obs = _obs("I sometimes felt like that when I looked after my mum.")
    assert obs.label == "self_disclosure"
    assert "information" not in {s.name for s in obs.signals}


def test_sometimes_in_a_suggestion_is_advice() -> None:
    assert _obs("Sometimes you need to ask your brother to take a turn.").label == "advice"
