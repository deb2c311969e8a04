"""The observer's rules agree by name: every section of ``data/patterns.yaml`` is used by the code, every
Python table key names a section, act or signal that exists, and every section's ``examples`` and
``not`` lists (issue 14 item 7) hold, each read the way the observer reads that section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.observer import SIGNALS, analyse, observe
from roleplay.observer.acts import ACT_LABEL
from roleplay.observer.analyse import label_response, speaker_line
from roleplay.observer.cues import ANYWHERE, find_cues, read_sentences
from roleplay.observer.lexicon import pattern_sections
from roleplay.observer.sentences import QUESTION_STARTS
from roleplay.observer.signals import ACT_SIGNALS, SIGNAL_NAME
from roleplay.observer.weights import ACT_WEIGHT

CODE = "\n".join(p.read_text(encoding="utf-8") for p in Path(analyse.__file__).parent.glob("*.py"))
SECTIONS = pattern_sections()
SPEAKER = "I didn't say one word out loud all weekend."


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_pattern_section_is_used_by_the_code(name: str) -> None:
    assert SECTIONS[name]["phrases"], f"section {name} has no phrases"
    # Read by name in the code (a string literal), or a cue section reported as a signal, or a start
    # section (``*_start``, read by ``sentences.py`` through the at-start trie).
    assert f'"{name}"' in CODE or name in ANYWHERE, f"no code reads the section {name}"


def test_every_table_key_names_something_that_exists() -> None:
    acts = set(ACT_LABEL)
    for key in ACT_WEIGHT:
        assert key == "strong" or key in SECTIONS or key in acts, f"ACT_WEIGHT key {key} is neither section nor act"
    for act in ACT_LABEL:
        assert act in ACT_WEIGHT, f"act {act} has no weight"
    for name in ANYWHERE:
        assert name in SECTIONS, f"ANYWHERE names {name}, which patterns.yaml lacks"
        assert SIGNAL_NAME.get(name, name) in SIGNALS, f"section {name} reports an unknown signal"
    for key in SIGNAL_NAME:
        assert key in ANYWHERE, f"SIGNAL_NAME key {key} is not a cue section"
    for act in ACT_SIGNALS:
        assert act in SIGNALS and act in ACT_LABEL


def test_every_section_name_quoted_in_the_code_exists() -> None:
    """A section named in a Python string that patterns.yaml lacks would silently match nothing."""
    quoted = set(re.findall(r'"([a-z]+(?:_[a-z]+)*_start)"', CODE)) - {"at_start"}  # the start trie's name
    assert len(quoted) >= 5
    for name in quoted | QUESTION_STARTS:
        assert name in SECTIONS, f"the code reads {name}, which patterns.yaml lacks"


def _found(section: str, text: str) -> bool:
    """Whether the observer finds ``section`` in ``text``, read where that section counts."""
    if section in ANYWHERE:  # reported as a signal: the whole observer, end to end
        return observe(text, SPEAKER).has(SIGNAL_NAME.get(section, section))
    if section == "speaker_asks_advice":  # read in the speaker's line
        return speaker_line(text).asks_advice
    cues = find_cues(text)
    if section == "speaker_frame":
        return bool(cues.frames)
    if section == "complex_reflection":
        return section in cues.hits
    sents = read_sentences(cues)
    label_response(cues, sents, speaker_line(SPEAKER), ())  # the acts drop the cues they overrule
    if section == "lead_in":  # a start cue found after skipped lead-in words
        return any(a > s.start for s in sents.sentences for name, (a, _) in s.cues.items() if name.endswith("_start"))
    assert section.endswith("_start"), f"no test reading for section {section}"
    return any(section in s.cues for s in sents.sentences)


CASES = [(name, text, True) for name, body in SECTIONS.items() for text in body["examples"]] + [
    (name, text, False) for name, body in SECTIONS.items() for text in body["not"]]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_section_carries_examples_and_counter_examples(name: str) -> None:
    assert SECTIONS[name]["examples"], f"section {name} has no examples:"
    assert SECTIONS[name]["not"], f"section {name} has no not: list"


@pytest.mark.parametrize(("section", "text", "present"), CASES)
def test_pattern_examples(section: str, text: str, present: bool) -> None:
    assert _found(section, text) is present, f"{section}: {text!r}"
