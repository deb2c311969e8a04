"""Shared material for the solo, compare and progress tests (no tests of its own).

The sample scenario and rubric (``roleplay.session.samples``) with two additions: the rubric's criteria
are wired to the automatic observer's checks (``auto``), and the opening turn gets strong examples.
"""

from __future__ import annotations

from collections.abc import Callable

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.session.samples import sample_rubric, sample_scenario

AUTO_CHECKS = {"paraphrase": "paraphrase", "feeling": "reflect_feeling", "open-question": "open_question",
               "speaker-led": "speaker_led"}

STRONG = [
    {"text": "A month in and it still feels like you don't belong. That sounds lonely.",
     "reason": "Gives back both key points and the feeling, in fresh words."},
    {"text": "What has that month been like for you?", "reason": "Opens the door without steering."},
]


def auto_rubric() -> Rubric:
    """The sample rubric with every criterion wired to an observer check (its tallies stay manual)."""
    data = sample_rubric().model_dump(mode="json")
    for criterion in data["criteria"]:
        criterion["auto"] = AUTO_CHECKS[criterion["id"]]
    return Rubric.model_validate(data)


def example_scenario(scenario_id: str = "sample-new-job") -> Scenario:
    """The sample scenario with strong examples on its opening turn (and, optionally, another id)."""
    data = sample_scenario().model_dump(mode="json")
    data["id"] = scenario_id
    data["turns"][0]["strong_examples"] = STRONG
    return Scenario.model_validate(data)


def fake_clock(start: float = 1_700_000_000.0, step: float = 10.0) -> Callable[[], float]:
    """A clock that moves ``step`` seconds per call, from ``start``."""
    ticks = iter(range(1_000_000))
    return lambda: start + step * next(ticks)
