"""From an observation to a listener move: precedence, branch preference, and real sentences."""

from __future__ import annotations

import pytest

from roleplay.content.scenario import ListenerMove, Turn
from roleplay.observer import Observation, Signal, observe
from roleplay.session.moves import decide_move, move_from_observation, supported_moves

M = ListenerMove


def obs(label: str, *signals: str, subtype: str | None = None) -> Observation:
    return Observation(label, subtype, 0.8, tuple(Signal(s, (f"<{s}>",)) for s in signals))


def turn(*branch_moves: str) -> Turn:
    branches = [{"when": m, "goto": f"t-{m}"} for m in branch_moves]
    return Turn.model_validate({"id": "here", "line": "I just don't know what to do any more.",
                                "branches": branches})


@pytest.mark.parametrize(
    ("observation", "expected"),
    [
        (obs("reflection", "reflection", subtype="simple"), [M.reflection]),
        (obs("question_open", "open_question"), [M.question_open]),
        (obs("question_closed", "closed_question"), [M.question_closed]),
        (obs("advice", "advice_without_permission"), [M.advice]),
        (obs("question_closed", "question_as_advice"), [M.advice, M.question_closed]),
        (obs("affirmation", "reassurance", "minimisation"), [M.reassurance]),  # helpful label dropped
        (obs("reflection", "judgmental_label", subtype="complex"), [M.judgment]),
        (obs("self_disclosure", "self_disclosure"), [M.self_disclosure]),
        (obs("reflection", "self_focus", subtype="simple"), [M.self_disclosure]),
        (obs("advice", "judgment", "minimisation"), [M.judgment, M.advice, M.reassurance]),
        (obs("question_open", "open_question", "reflection", "affirmation"),
         [M.question_open, M.reflection, M.affirmation]),
        (obs("information"), [M.information]),
        (obs("other", "social"), [M.other]),
    ],
)
def test_supported_moves_follow_the_documented_precedence(observation: Observation, expected: list) -> None:
    assert [m for m, _ in supported_moves(observation)] == expected


def test_the_first_supported_move_with_a_branch_wins() -> None:
    both = obs("advice", "judgment", "minimisation")
    assert move_from_observation(both, turn()) == M.judgment  # no branch: the primary move
    assert move_from_observation(both, turn("reassurance")) == M.reassurance
    assert move_from_observation(both, turn("reassurance", "advice")) == M.advice
    choice = decide_move(both, turn("reassurance"))
    assert choice.branched and choice.reason.startswith("reassurance")


def test_a_helpful_label_never_takes_a_branch_after_a_harmful_move() -> None:
    labelled = obs("reflection", "judgmental_label", subtype="complex")
    assert move_from_observation(labelled, turn("reflection")) == M.judgment
    assert not decide_move(labelled, turn("reflection")).branched


def test_a_neutral_label_still_counts_beside_a_harmful_move() -> None:
    mixed = obs("question_closed", "closed_question", "minimisation")
    assert move_from_observation(mixed, turn("question_closed")) == M.question_closed
    assert move_from_observation(mixed, turn()) == M.reassurance


def test_secondary_helpful_behaviour_can_take_a_branch() -> None:
    asks = obs("question_open", "open_question", "reflection")
    assert move_from_observation(asks, turn("reflection")) == M.reflection
    assert move_from_observation(asks, turn()) == M.question_open


def test_change_of_subject_from_the_opening_words() -> None:
    o = obs("question_closed", "closed_question")
    assert move_from_observation(o, turn("change_subject"), "Anyway, did you see the match?") == M.change_subject
    assert move_from_observation(o, turn("change_subject"), "Did you see the match?") == M.question_closed


@pytest.mark.parametrize(
    ("response", "branches", "expected"),
    [
        ("You should just tell your landlord you can't pay this month.", ("advice",), M.advice),
        ("Have you tried making a budget?", ("advice", "question_closed"), M.advice),
        ("Don't worry, it'll all work out.", ("reassurance",), M.reassurance),
        ("At least you still have a roof over your head.", ("reassurance",), M.reassurance),
        ("What feels most pressing for you right now?", ("advice",), M.question_open),
    ],
)
def test_real_sentences(response: str, branches: tuple[str, ...], expected: ListenerMove) -> None:
    speaker = "The rent is due on Friday and I just don't know what to do any more."
    assert move_from_observation(observe(response, speaker=speaker), turn(*branches), response) == expected
