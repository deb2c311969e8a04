"""The feedback card speaks plain words: "an open question", never the observer's ids (``question_open``)."""

from __future__ import annotations

import re

import pytest

from roleplay.content.library import load_library
from roleplay.content.scenario import ListenerMove
from roleplay.observer import Observation, Signal
from roleplay.observer.model import LABELS
from roleplay.session.feedback import PLAIN_WORDS, move_words, plain_labels, plain_words
from roleplay.session.feedback_card import build_feedback
from roleplay.session.moves import decide_move
from roleplay.tui.widgets.feedback_card import label_text

#: How a raw id looks once its underscores are spaces ("question open", "self disclosure").
RAW = re.compile(r"question open|question closed|self disclosure|change subject|_")


def test_every_label_and_move_has_plain_words() -> None:
    for name in {*LABELS, *(m.value for m in ListenerMove)}:
        assert name in PLAIN_WORDS, name
        assert not RAW.search(plain_words(name)), name
        assert not RAW.search(label_text(name, None)), name
    assert plain_words("question_open") == "an open question"
    assert plain_words("question_closed") == "a closed question"
    assert plain_words("reflection") == "a reflection"
    assert plain_words("advice") == "advice"


def test_rating_reasons_name_labels_in_plain_words() -> None:
    for label in LABELS:
        text = plain_labels(f"no paraphrase: the response is mainly {label.replace('_', ' ')}")
        assert text == f"no paraphrase: the response is mainly {plain_words(label)}"
        assert not RAW.search(text)
    untouched = "names 'worn out'; matches the turn's feeling"
    assert plain_labels(untouched) == untouched


@pytest.mark.parametrize("label", LABELS)
def test_move_detected_reads_as_plain_words(label: str) -> None:
    obs = Observation(label, None, 0.8, (Signal("other", ("<x>",)),))
    words = move_words(decide_move(obs, None, "Something."))
    assert not RAW.search(words) and "labelled" not in words, words


def test_move_detected_keeps_its_evidence() -> None:
    obs = Observation("advice", None, 0.8, (Signal("advice_without_permission", ("you should",)),))
    assert move_words(decide_move(obs, None, "You should quit.")) == "advice ('you should')"
    obs = Observation("question_open", None, 0.8, ())
    assert move_words(decide_move(obs, None, "What matters?")) == "an open question (how the response reads as a whole)"


def test_card_for_real_responses_has_no_raw_ids() -> None:
    library = load_library(include_user=False)
    scenario = library.scenarios["what-should-i-do"].model
    rubric = next(iter(library.rubrics.values())).model
    responses = ["What matters most to you here?", "Have you decided yet?", "You should just quit.",
                 "It sounds like you're exhausted.", "I had the same thing at your age.", "Anyway, how is work?"]
    seen: set[str] = set()
    for index, turn in enumerate(scenario.turns[:3]):
        for response in responses:
            card = build_feedback(response, turn, index, rubric)
            seen.add(card.label)
            assert not RAW.search(card.move_reason), card.move_reason
            for suggestion in card.suggestions:
                assert not RAW.search(suggestion.reason), suggestion.reason
            assert not RAW.search(label_text(card.label, card.subtype))
    assert {"question_open", "question_closed", "advice"} <= seen  # the labels that read as jargon before
