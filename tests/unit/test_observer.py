"""The automatic observer's labels, on sentences written for these tests (including the hard cases)."""

from __future__ import annotations

import pytest

from roleplay.observer import LABELS, observe

SPEAKER = "I've been so tired since the new job started and my manager keeps piling on more work."


@pytest.mark.parametrize(
    ("response", "label"),
    [
        ("It sounds like you're worn out and nobody at work sees how much you carry.", "reflection"),
        ("You feel like the work never stops coming.", "reflection"),
        ("What has that been like for you?", "question_open"),
        ("How are you managing the evenings?", "question_open"),
        ("Tell me more about what a normal day looks like.", "question_open"),
        ("Do you get any breaks during the day?", "question_closed"),
        ("Is your manager aware of it?", "question_closed"),
        ("You should tell your manager you can't take on more.", "advice"),
        ("Maybe you could ask for a meeting about the workload.", "advice"),
        ("Try writing down everything you did this week.", "advice"),
        ("You kept going even when it was hard, that takes real determination.", "affirmation"),
        ("You're clearly a caring and hard-working person.", "affirmation"),
        ("I had a job like that once and I ended up leaving after a year.", "self_disclosure"),
        ("Me too, my last boss did exactly the same to me.", "self_disclosure"),
        ("Many people find the first months in a new job the most tiring.", "information"),
        ("Studies show that long hours make sleep problems worse.", "information"),
        ("Thanks for talking with me today, take care!", "other"),
        ("Hello there", "other"),
    ],
)
def test_labels(response: str, label: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == label, obs.signals
    assert obs.label in LABELS
    assert 0.0 < obs.confidence <= 1.0


def test_have_you_tried_is_advice_not_a_question() -> None:
    obs = observe("Have you tried talking to HR about it?", SPEAKER)
    assert obs.label == "advice"
    assert obs.has("question_as_advice")
    assert obs.has("advice_without_permission")
    assert "question_closed" not in obs.behaviours


def test_what_about_question_is_advice() -> None:
    assert observe("What about taking a day off next week?", SPEAKER).label == "advice"


def test_reflection_phrased_as_a_question() -> None:
    obs = observe("So you're feeling stuck?", "I just feel stuck, like nothing changes at work.")
    assert obs.label == "reflection"
    assert obs.has("reflective_question")
    assert not obs.question


def test_statement_with_question_mark_is_a_reflection() -> None:
    obs = observe("Your manager keeps adding more?", SPEAKER)
    assert obs.label == "reflection"


def test_parroting_is_flagged_and_not_a_reflection_tally() -> None:
    # Issue 17: a parroted line is not a simple reflection (it rephrases nothing) and does not raise R:Q.
    speaker = "I feel stuck at work and my boss ignores me."
    obs = observe("You feel stuck at work and your boss ignores you.", speaker)
    assert obs.has("parroting")
    assert obs.label == "reflection"
    assert obs.subtype is None
    assert not {"reflection_simple", "reflection_complex"} & obs.behaviours
    parrot = obs.signal("parroting")
    assert parrot is not None
    assert parrot.evidence[0] in "You feel stuck at work and your boss ignores you."


def test_own_words_paraphrase_is_not_parroting() -> None:
    speaker = "I feel stuck at work and my boss ignores me."
    obs = observe("It sounds like you're trapped in that job and your manager isn't listening.", speaker)
    assert not obs.has("parroting")
    assert obs.label == "reflection"


def test_complex_reflection_adds_feeling_or_meaning() -> None:
    obs = observe("Part of you wants to quit, and part of you is scared of what comes next.", SPEAKER)
    assert obs.label == "reflection"
    assert obs.subtype == "complex"
    assert "reflection_complex" in obs.behaviours


def test_simple_reflection_restates() -> None:
    obs = observe("So your manager keeps giving you more work.", SPEAKER)
    assert obs.label == "reflection"
    assert obs.subtype == "simple"


def test_subtype_only_for_reflections() -> None:
    assert observe("Do you like the job?", SPEAKER).subtype is None


def test_open_question_wins_over_closed_in_same_response() -> None:
    obs = observe("Is it every day? What happens when you try to say no?", SPEAKER)
    assert obs.label == "question_open"
    assert {"question_open", "question_closed"} <= obs.behaviours


def test_deterministic() -> None:
    text = "It sounds exhausting. What would help most right now?"
    assert observe(text, SPEAKER) == observe(text, SPEAKER)


def test_empty_response_is_other() -> None:
    obs = observe("", SPEAKER)
    assert obs.label == "other"
    assert obs.words == 0


def test_curly_apostrophes_match_like_straight_ones() -> None:
    assert observe("You’re feeling worn out?", SPEAKER).label == "reflection"
    assert observe("Don’t worry, at least you have a job.", SPEAKER).has("minimisation")


@pytest.mark.parametrize("response", [
    "It's good that you told your manager how you felt.",
    "You've done well to keep going through all of this.",
    "You're doing the best you can with what you have.",
    "You had every right to be upset about that.",
])
def test_affirmation_of_a_step_taken(response: str) -> None:
    assert observe(response, SPEAKER).label == "affirmation"


def test_i_think_you_can_is_reassurance_but_i_think_you_should_is_advice() -> None:
    confident = observe("I think you can manage this, one week at a time.", SPEAKER)
    assert confident.label == "affirmation"
    assert confident.has("reassurance")
    assert observe("I think you should tell your manager.", SPEAKER).label == "advice"


@pytest.mark.parametrize(("response", "label"), [
    ("Oh so you're feeling stuck?", "reflection"),  # a filler word before a cue that starts with "so"
    ("Well, what would help most right now?", "question_open"),
    ("Okay, have you tried a shorter week?", "advice"),
])
def test_start_cues_after_lead_in_words(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label
