"""The observer's rules agree by name: every section of ``data/patterns.yaml`` is used by the code, every
Python table key names a section, act or signal that exists, and each section's ``examples`` and
``not`` lists (issue 14 item 7) hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.observer import SIGNALS, analyse, observe
from roleplay.observer.acts import ACT_LABEL
from roleplay.observer.lexicon import pattern_sections
from roleplay.observer.weights import ACT_WEIGHT

CODE = "\n".join(p.read_text(encoding="utf-8") for p in Path(analyse.__file__).parent.glob("*.py"))
SECTIONS = pattern_sections()


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_pattern_section_is_used_by_the_code(name: str) -> None:
    assert SECTIONS[name]["phrases"], f"section {name} has no phrases"
    assert f'"{name}"' in CODE or name in analyse._ANYWHERE, f"no code reads the section {name}"


def test_every_table_key_names_something_that_exists() -> None:
    acts = set(ACT_LABEL)
    for key in ACT_WEIGHT:
        assert key == "strong" or key in SECTIONS or key in acts, f"ACT_WEIGHT key {key} is neither section nor act"
    for act in ACT_LABEL:
        assert act in ACT_WEIGHT, f"act {act} has no weight"
    for name in analyse._ANYWHERE:
        assert name in SECTIONS, f"_ANYWHERE names {name}, which patterns.yaml lacks"
        assert analyse._SIGNAL_NAME.get(name, name) in SIGNALS, f"section {name} reports an unknown signal"
    for act in analyse._ACT_SIGNALS:
        assert act in SIGNALS and act in ACT_LABEL


def _signal(section: str) -> str:
    return analyse._SIGNAL_NAME.get(section, section)


CASES = [(name, text, True) for name, body in SECTIONS.items() for text in body["examples"]] + [
    (name, text, False) for name, body in SECTIONS.items() for text in body["not"]]


def test_some_sections_carry_examples() -> None:
    assert len({name for name, _, _ in CASES}) >= 2


@pytest.mark.parametrize(("section", "text", "present"), CASES)
def test_pattern_examples(section: str, text: str, present: bool) -> None:
    obs = observe(text, "I didn't say one word out loud all weekend.")
    assert obs.has(_signal(section)) is present, f"{section}: {text!r}"
