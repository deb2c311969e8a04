"""The observer's phrase matching and its rules for mixed and ambiguous responses, on sentences
written for these tests."""

from __future__ import annotations

import pytest

from roleplay.observer import observe
from roleplay.observer.scan import ANY, TOKEN_RE, PatternError, build_trie, expand, lower_text, scan

SPEAKER = "My manager keeps piling on more work and I can't sleep properly any more."


# --- tokens and the phrase notation ---------------------------------------------------------------

def test_tokens_keep_inner_apostrophes_and_split_punctuation() -> None:
    assert TOKEN_RE.findall(lower_text("Don’t worry, you're fine?! Café.")) == [
        "don't", "worry", ",", "you're", "fine", "?", "!", "café", "."]


def test_expand_alternatives_and_optional_parts() -> None:
    assert sorted(expand("(you|u)('re| are) (so )?sad")) == sorted([
        ("you're", "sad"), ("you're", "so", "sad"), ("you", "are", "sad"), ("you", "are", "so", "sad"),
        ("u're", "sad"), ("u're", "so", "sad"), ("u", "are", "sad"), ("u", "are", "so", "sad"),
        # chat spellings without the apostrophe
        ("youre", "sad"), ("youre", "so", "sad"), ("ure", "sad"), ("ure", "so", "sad")])
    assert expand(r"you must be \w+") == [("you", "must", "be", ANY)]
    assert {s[0] for s in expand("hard.working")} == {"hardworking", "hard", "hard-working"}


def test_a_contraction_also_matches_without_its_apostrophe_unless_that_is_another_word() -> None:
    assert ("thats", "great") in expand("that's great")
    assert ("dont", "worry") in expand("don't worry")
    assert expand("we're stuck") == [("we're", "stuck")]  # "were stuck" is something else
    assert expand("I'll call") == [("i'll", "call")]  # and "ill" is a word


def test_a_contraction_given_as_an_alternative_joins_the_word_before_it() -> None:
    # "you 'll" would never meet the text's single token "you'll"
    assert ("i", "know", "you'll") in expand("I know (that )?(you|u) (will|'ll)")
    assert observe("I believe you're closer than you think.", SPEAKER).label == "affirmation"


@pytest.mark.parametrize("bad", [r"\w+ you", "(you|me", "you)", "a{2}"])
def test_expand_rejects_what_the_notation_does_not_allow(bad: str) -> None:
    with pytest.raises(PatternError):
        expand(bad)


def test_scan_prefers_the_longest_phrase_and_wildcards() -> None:
    trie = build_trie({"x": [("you('re| are) (so )?strong", None)], "y": [(r"must be \w+", None),
                                                                          ("try meditat\\w*", None)]})
    toks = TOKEN_RE.findall("you're so strong, you must be tired. try meditating")
    found = scan(trie, toks)
    assert found["x"] == [(0, 3, None)]
    assert [toks[a:b] for a, b, _ in found["y"]] == [["must", "be", "tired"], ["try", "meditating"]]


def test_a_question_mark_followed_by_more_marks_is_still_a_question() -> None:
    assert observe("Is it every day?!", SPEAKER).label == "question_closed"


# --- a phrase is read as a whole ------------------------------------------------------------------

def test_words_inside_a_reassurance_are_not_advice() -> None:
    obs = observe("I know you can get through this.", SPEAKER)
    assert obs.label == "affirmation"
    assert obs.has("reassurance")
    assert not obs.has("advice")
    assert not obs.has("advice_without_permission")


# --- affirmation and reassurance (ESConv's "Affirmation and Reassurance") ---------------------------

@pytest.mark.parametrize("response", [
    "I'm sure things will get better for you soon.",
    "You will get through this, one day at a time.",
])
def test_reassurance_is_labelled_affirmation_and_still_flagged(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "affirmation"
    assert obs.has("reassurance")  # the premature-reassurance flag stays for feedback


@pytest.mark.parametrize("response", [
    "Don't be so hard on yourself.",
    "Try not to blame yourself for any of this.",
])
def test_easing_self_blame_is_reassurance_not_advice(response: str) -> None:
    obs = observe(response, SPEAKER)
    # Comfort (affirmation), or when it tells the person not to feel it the roadblock reassurance (issue 17,
    # F4): never advice.
    assert obs.label in ("affirmation", "reassurance")
    assert not obs.has("advice_without_permission")


@pytest.mark.parametrize("response", [
    "That sounds like a really sensible plan.",
    "You seem like a very caring person.",
    "It shows how much you care about your team.",
    "You have such a positive attitude.",
    "I'm glad you told your manager about it.",
])
def test_praise_aimed_at_the_person_is_affirmation(response: str) -> None:
    assert observe(response, SPEAKER).label == "affirmation"


def test_plain_reflection_stays_a_reflection() -> None:
    assert observe("It sounds like the nights are the worst part.", SPEAKER).label == "reflection"


# --- conversation management ----------------------------------------------------------------------

@pytest.mark.parametrize("response", [
    "I hope things get better for you. Take care!",
    "Stay safe and have a good evening.",
    "No problem, I wish you all the best.",
])
def test_goodbyes_and_good_wishes_are_other(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "other"
    assert not obs.has("advice_without_permission")


def test_offer_of_more_help_is_social_talk() -> None:
    assert observe("Is there anything else I can help you with?", SPEAKER).label == "other"


def test_greeting_question_still_asks() -> None:
    # "How are you?" does ask the person something; only talk about the chat itself is "other".
    assert observe("Hi, how are you feeling today?", SPEAKER).question


# --- suggestions phrased as questions -------------------------------------------------------------

@pytest.mark.parametrize("response", [
    "Would it be possible to take a day off next week?",
    "Is there a way to swap a shift with someone?",
    "Do you have any friends at work you could talk to?",
    "Would you be open to asking for a shorter week?",
])
def test_a_step_put_on_the_table_as_a_question_is_advice(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "advice"
    assert obs.has("question_as_advice")


def test_an_exploring_question_is_not_advice() -> None:
    assert observe("What is a normal evening like for you at the moment?", SPEAKER).label == "question_open"
