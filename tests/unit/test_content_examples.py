"""Does the automatic observer agree with the library's own examples?

For every turn of every shipped scenario, the observer (read at run time, so it follows changes to the
observer) judges each strong example and each weak example on the turn's main criterion:

- a turn with ``focus`` is judged on that automatic check alone (e.g. ``shared_power``), through a
  one-criterion rubric with a fine ten-level scale, so small differences still show;
- a turn without ``focus`` trains listening as a whole, and is judged on the weighted mean of the
  observer's suggestions for the per-turn criteria of the core ``active-listening`` rubric.

A turn passes when every strong example is rated strictly above every weak example. Where the observer
cannot tell them apart the turn is named in the failure message; the test asserts that the pass count
stays at or above the floor measured when the library was written (see ``PASS_FLOOR``), so neither a
content change nor an observer change can quietly lose agreement. Run with ``-s`` to see the count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from roleplay.content.library import Library, load_library
from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Scenario, Turn
from roleplay.observer import observe, suggest_ratings

#: Turns that passed when issue 18's library landed: 174 of 224 with the first observer, 179 of 224
#: with observer v2 (the 89 turns of the eleven new scenarios: 88 with both). Most of the 45 other
#: failures are in the first fourteen scenarios, on their overall judgement, where the observer does
#: not yet mark down reassurance or a directive that sounds friendly ("That's perfect! Just email your
#: tutor tonight."). The floor leaves a margin of three turns for observer work in progress; raise it
#: as content or observer improves, never lower it to make a change pass.
PASS_FLOOR = 176
#: Every turn of the scenarios added with issue 18 except these passes; a new failure there names a turn.
NEW_SCENARIOS = {
    "third-go", "four-lengths", "not-much-to-say", "the-quiet-house", "tell-work", "did-you-ever",
    "in-my-notes", "fourth-worker", "year-on-thursday", "safer-with-mia", "go-to-the-papers",
}
#: Known disagreements in the new scenarios, each an observer gap rather than a content fault.
KNOWN_NEW_FAILURES = {
    # 'it helps with your condition' frames a skill as treatment; the observer reads "that's good that
    # you..." as an affirmation and has no sign of the medical framing.
    "in-my-notes/charity-shop",
}


@dataclass(frozen=True)
class Verdict:
    """The observer's ratings of one turn's examples on its main criterion."""

    where: str
    criterion: str
    strong: tuple[float | None, ...]
    weak: tuple[float | None, ...]

    @property
    def passed(self) -> bool:
        """Every strong example rated, and strictly above every weak example (an unrated weak one counts low)."""
        if any(s is None for s in self.strong):
            return False
        floor = max((w for w in self.weak if w is not None), default=float("-inf"))
        return all(s is not None and s > floor for s in self.strong)

    def __str__(self) -> str:
        def fmt(values: tuple[float | None, ...]) -> str:
            return ", ".join("-" if v is None else f"{v:.2f}" for v in values)
        return f"{self.where} on {self.criterion}: strong [{fmt(self.strong)}] vs weak [{fmt(self.weak)}]"


def focus_rubric(check: str) -> Rubric:
    """A one-criterion rubric on a ten-level scale (0-9) wired to one automatic check."""
    return Rubric.model_validate({
        "id": f"focus-{check.replace('_', '-')}", "title": check, "description": "content test",
        "scale": [{"value": v, "label": str(v)} for v in range(10)],
        "criteria": [{"id": "focus", "name": check, "description": check, "auto": check}],
    })


def judge(turn: Turn, text: str, core: Rubric) -> float | None:
    """The observer's rating of one response on the turn's main criterion (None: it cannot rate it)."""
    obs = observe(text, speaker=turn.line, key_points=turn.key_points, feelings=turn.feelings,
                  pitfalls=turn.pitfalls)
    if turn.focus:
        given = suggest_ratings(obs, focus_rubric(turn.focus))
        return float(given[0].value) if given else None
    weights = {c.id: c.weight for c in core.criteria if c.scope is Scope.per_turn}
    given = [s for s in suggest_ratings(obs, core) if s.criterion_id in weights]
    if not given:
        return None
    return sum(weights[s.criterion_id] * s.value for s in given) / sum(weights[s.criterion_id] for s in given)


def verdicts(library: Library) -> Iterator[Verdict]:
    """One verdict per turn of every shipped scenario, in library order."""
    core = library.rubrics["active-listening"].model
    for sid in sorted(library.scenarios):
        scenario: Scenario = library.scenarios[sid].model
        for turn in scenario.turns:
            yield Verdict(
                f"{sid}/{turn.id}", turn.focus or "active-listening overall",
                tuple(judge(turn, ex.text, core) for ex in turn.strong_examples),
                tuple(judge(turn, ex.text, core) for ex in turn.weak_examples),
            )


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Verdict]:
    """Every turn's verdict, from the shipped library only (user data folder pointed at a temp dir)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEPLAY_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        mp.delenv("ROLEPLAY_LIBRARY", raising=False)
        library = load_library(include_user=False, strict=True)
    return list(verdicts(library))


def test_observer_rates_strong_examples_above_weak_ones(results: list[Verdict]) -> None:
    """At least PASS_FLOOR turns pass; the message names every turn that does not."""
    failed = [v for v in results if not v.passed]
    passed = len(results) - len(failed)
    print(f"\ncontent test: {passed} of {len(results)} turns pass")
    assert passed >= PASS_FLOOR, (
        f"{passed} of {len(results)} turns pass (floor {PASS_FLOOR}); not passing:\n"
        + "\n".join(f"  {v}" for v in failed))


def test_new_scenarios_agree_with_the_observer(results: list[Verdict]) -> None:
    """The scenarios written for issue 18 fail only on the named observer gaps."""
    new = [v for v in results if v.where.split("/")[0] in NEW_SCENARIOS]
    assert {v.where.split("/")[0] for v in new} == NEW_SCENARIOS, "a new scenario is missing"
    failing = {v.where for v in new if not v.passed}
    assert failing <= KNOWN_NEW_FAILURES, "\n".join(str(v) for v in new if v.where in failing - KNOWN_NEW_FAILURES)


def test_verdict_logic() -> None:
    """The pass rule itself: strict, an unrated strong example fails, an unrated weak one counts low."""
    assert Verdict("a/b", "x", (3.0, 2.5), (2.0,)).passed
    assert not Verdict("a/b", "x", (3.0, 2.0), (2.0,)).passed
    assert not Verdict("a/b", "x", (None, 3.0), (1.0,)).passed
    assert Verdict("a/b", "x", (1.0,), (None,)).passed
    assert str(Verdict("a/b", "x", (3.0, None), (1.0,))) == "a/b on x: strong [3.00, -] vs weak [1.00]"
