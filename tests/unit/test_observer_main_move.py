"""How the observer reads a sentence's form and picks the main move: the rules added to raise the
agreement on multi-sentence turns (issue 5), pinned on sentences written for these tests."""

from __future__ import annotations

import pytest

from roleplay.observer import observe
from roleplay.observer.lexicon import word_set
from roleplay.observer.weights import NEGATIONS, OPTION_MODALS, STATE_VERBS

SPEAKER = "My manager moved my shifts again and I had to cancel my sister's birthday."


def _label(response: str, speaker: str = SPEAKER) -> str:
    return observe(response, speaker).label


def _names(response: str, speaker: str = SPEAKER) -> set[str]:
    return {s.name for s in observe(response, speaker).signals}


# --- the longest reading of overlapping phrases wins ----------------------------------------------

@pytest.mark.parametrize("response", [
    "You must be feeling worn down by all of this.",
    "You must be so disappointed about missing her birthday.",
])
def test_you_must_be_feeling_is_a_reflection_not_advice(response: str) -> None:
    assert _label(response) == "reflection"
    assert "advice" not in _names(response)


def test_you_must_followed_by_an_action_is_still_advice() -> None:
    assert _label("You must tell your manager that this cannot keep happening.") == "advice"


# --- "just" is a lead-in word, not an instruction -------------------------------------------------

def test_just_before_a_reflection_does_not_make_it_advice() -> None:
    assert _label("Just from what you've said, it sounds like the job leaves no room for your family.") == "reflection"


def test_just_before_an_imperative_is_still_advice() -> None:
    assert _label("Just ask your manager for the rota a month ahead.") == "advice"


# --- a question joined to an acknowledgement by a comma -------------------------------------------

@pytest.mark.parametrize("response", [
    "Hi there, how are you doing today?",
    "Changing shifts every week is rough, what happened with the rota?",
    "Okay, and what did your sister say?",
])
def test_a_question_after_a_comma_clause_is_read_from_its_own_clause(response: str) -> None:
    assert observe(response, SPEAKER).label == "question_open"


def test_a_closed_question_after_a_comma_clause_is_closed() -> None:
    assert _label("Missing a birthday is hard, did you get to call her?") == "question_closed"


def test_a_suggestion_question_after_a_comma_clause_is_advice() -> None:
    # The hard case of a question that is really advice, behind a lead-in clause.
    assert _label("Thanks for telling me, have you tried asking for fixed days off?") == "advice"


@pytest.mark.parametrize("response", [
    "So you feel the job comes before your family, is that it?",
    "It sounds like a rough week, what happened with the rota?",
])
def test_a_sentence_opening_as_a_reflection_stays_a_reflection(response: str) -> None:
    # A reflection phrased as a question: the clause after the comma does not make it a question.
    assert _label(response) == "reflection"


@pytest.mark.parametrize("response", ["What's on your mind tonight?", "Hows the new rota working out?"])
def test_contracted_question_words_open_an_open_question(response: str) -> None:
    assert _label(response) == "question_open"


def test_or_opens_a_follow_up_question() -> None:
    assert _label("Or have you talked to anyone at work about it?") == "advice"
    assert _label("Or are you still working the late shifts?") == "question_closed"


# --- a modal that guesses at a feeling -----------------------------------------------------------

@pytest.mark.parametrize("response", [
    "You might feel let down by the people you work for.",
    "You may be scared of what happens if you say no to extra shifts.",
])
def test_a_modal_guessing_at_a_feeling_is_a_reflection(response: str) -> None:
    assert _label(response) == "reflection"


@pytest.mark.parametrize("response", [
    "You could leave the party early if it gets too much.",
    "You might ring her on Sunday when things are calmer.",  # a feeling word, but not guessed with "be"/"feel"
])
def test_a_modal_offering_an_option_is_still_advice(response: str) -> None:
    assert _label(response) == "advice"


# --- the listener's own experience ---------------------------------------------------------------

def test_a_disclosure_beside_an_acknowledgement_is_the_main_move() -> None:
    response = "I understand. I've had a manager who changed my shifts every week too."
    assert _label(response) == "self_disclosure"


def test_a_paraphrase_that_only_repeats_is_a_reflection_and_flagged() -> None:
    # The hard case of a paraphrase that only repeats the speaker's words: still a reflection.
    response = "So your manager moved your shifts again and you had to cancel your sister's birthday."
    obs = observe(response, SPEAKER)
    assert obs.label == "reflection"
    assert "parroting" in {s.name for s in obs.signals}


# --- the word lists live in data/words.yaml ------------------------------------------------------

def test_word_lists_come_from_the_data_file() -> None:
    assert word_set("option_modals") == OPTION_MODALS
    assert {"could", "should", "might"} <= OPTION_MODALS
    assert STATE_VERBS == word_set("state_verbs") == {"feel", "be"}
    assert "not" in NEGATIONS


@pytest.mark.parametrize(("response", "label"), [
    ("So the job itself is fine, but the rest of life up here feels a bit empty?", "reflection"),
    ("So you had a go and it went badly?", "reflection"),
    ("So what happened after that?", "question_open"),  # a question word: a real question
    ("So did you tell her?", "question_closed"),  # inverted word order: a real question
])
def test_so_with_statement_order_and_a_rising_end_is_a_reflection(response: str, label: str) -> None:
    """MITI: a reflection said with a questioning inflection is coded as a reflection."""
    assert _label(response) == label
