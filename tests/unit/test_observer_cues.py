"""The helping-skills cues added for issue 5 (information vs advice, affirming effort, normalising,
empathic acknowledgement, suggestions phrased as questions), on sentences written for these tests."""

from __future__ import annotations

import pytest

from roleplay.observer import observe

SPEAKER = "Since the move I hardly sleep, and my sister says I should just get over it."


def _label(response: str, speaker: str = SPEAKER) -> str:
    return observe(response, speaker).label


def _names(response: str, speaker: str = SPEAKER) -> set[str]:
    return {s.name for s in observe(response, speaker).signals}


# --- information: general claims about the world, not what the listener or the person should do ----

@pytest.mark.parametrize("response", [
    "Poor sleep is a common sign of stress after a big change.",
    "Regular daylight is known to steady the body clock.",
    "Caffeine late in the day can worsen broken sleep.",
    "A recent survey put it at one in three adults in a new town.",
    "Walking in the morning helps with falling asleep at night.",
])
def test_general_claims_about_the_world_are_information(response: str) -> None:
    assert _label(response) == "information"
    assert "information" in _names(response)


@pytest.mark.parametrize("response", [
    "How can I help you tonight?",  # "help you" is an offer, not a claim about what helps
    "I can help you think it through if you like.",
])
def test_help_offers_are_not_information(response: str) -> None:
    assert "information" not in _names(response)


def test_a_claim_followed_by_a_direct_suggestion_is_advice() -> None:
    # Hard case: the general claim supports the suggestion, which is the move that matters.
    assert _label("You should keep the phone out of the bedroom. Screens can worsen sleep.") == "advice"


# --- advice: what the listener would do, suggestions phrased as questions ------------------------

@pytest.mark.parametrize("response", [
    "I would start with a short note to your sister.",
    "If I were in your shoes, I'd talk to the landlord first.",
    "Put the kettle on an hour before bed and see if that helps.",
])
def test_what_the_listener_would_do_is_advice(response: str) -> None:
    assert _label(response) == "advice"


@pytest.mark.parametrize("response", [
    "Do you have someone nearby you could talk to?",
    "Are there any groups for newcomers in your area?",
    "Is there something you can do in the evenings to wind down?",
    "Maybe a walk after dinner?",
    "Instead of waiting for her call, why don't you ring her yourself?",
])
def test_suggestions_phrased_as_questions_are_advice(response: str) -> None:
    assert _label(response) == "advice"
    assert "question_as_advice" in _names(response)


def test_may_i_suggest_is_advice_with_permission() -> None:
    names = _names("May I suggest writing your worries down before bed?")
    assert _label("May I suggest writing your worries down before bed?") == "advice"
    assert "asks_permission" in names and "advice_without_permission" not in names


def test_a_suggestion_question_without_a_question_mark_is_still_advice() -> None:
    # Chat often drops the question mark, even on a long question.
    response = "Have you thought about asking your doctor for a short course of help with the sleep problems"
    assert _label(response) == "advice"


def test_a_plain_closed_question_about_facts_stays_a_question() -> None:
    # Hard case: starts like the resource questions but asks for a fact.
    assert _label("Do you have a sister who lives near you?") == "question_closed"


@pytest.mark.parametrize("response", [
    "You could leave the party early if it gets too much.",
    "You might ring her on Sunday when things are calmer.",
])
def test_a_second_person_modal_statement_offers_an_option(response: str) -> None:
    assert _label(response) == "advice"


def test_a_second_person_statement_without_a_modal_is_not_advice() -> None:
    # Hard case: same shape, no modal verb: a restatement, not an option offered.
    assert _label("Your sister keeps telling you to get over the move.") == "reflection"


# --- affirmation: effort, good choices and strengths (MITI affirm) --------------------------------

@pytest.mark.parametrize("response", [
    "You're really trying hard with all of this.",
    "You did the right thing by telling her.",
    "You have so much patience with your family.",
    "Asking for help shows you care about getting better.",
    "You have a lot going for you.",
])
def test_effort_choices_and_strengths_are_affirmations(response: str) -> None:
    assert _label(response) == "affirmation"
    assert "affirmation" in _names(response)


def test_you_should_be_proud_is_an_affirmation_not_advice() -> None:
    # Hard case: the phrase starts like advice ("you should") but is read whole.
    assert "affirmation" in _names("You should be proud of how far you have come.")


# --- reassurance: normalising and offering presence ------------------------------------------------

@pytest.mark.parametrize("response", [
    "Anyone would feel unsettled after a move like that.",
    "That's perfectly okay.",
    "I'm here for you whenever you need to talk.",
    "Things will turn around once you settle in.",
])
def test_normalising_and_presence_are_reassurance(response: str) -> None:
    assert _label(response) == "affirmation"
    assert "reassurance" in _names(response)


def test_try_not_to_worry_is_flagged_as_minimisation() -> None:
    assert "minimisation" in _names("Try not to worry about what your sister says.")


# --- empathic acknowledgement (Hill: approval and reassurance) vs reflection of feeling ------------

def test_saying_the_situation_is_hard_is_sympathy_not_a_reflection() -> None:
    obs = observe("That is really tough.", SPEAKER)
    assert obs.label == "affirmation"
    assert "sympathy" in {s.name for s in obs.signals}


def test_naming_the_persons_feeling_is_still_a_reflection() -> None:
    # Hard case: the feeling is the speaker's own, so it is a reflection of feeling.
    assert _label("You sound worn out and a bit hurt by your sister.") == "reflection"
    assert _label("That must be exhausting for you.") == "reflection"


# --- goodbyes that open like questions ------------------------------------------------------------

@pytest.mark.parametrize("response", ["Have a lovely evening", "Have a good night and take care"])
def test_a_goodbye_without_punctuation_is_not_a_question(response: str) -> None:
    assert _label(response) == "other"


def test_not_a_problem_is_social() -> None:
    assert _label("Not a problem at all!") == "other"
