"""Does the automatic observer agree with the library's own examples?

For every turn of every shipped scenario, the observer (read at run time, so it follows changes to the
observer) judges each strong example and each weak example on the turn's main criterion:

- a turn with ``focus`` is judged on that automatic check alone (e.g. ``shared_power``), through a
  one-criterion rubric with a fine ten-level scale, so small differences still show;
- a turn without ``focus`` trains listening as a whole, and is judged on the weighted mean of the
  observer's suggestions for the per-turn criteria of the core ``active-listening`` rubric.

A turn passes when every strong example is rated strictly above every weak example. Every turn that
does not pass is listed by name in ``docs/content-test.md`` with who is to blame, the content or the
observer, and why; the test fails when a turn fails that the record does not list, when a listed turn
passes (so the record stays true), and when the pass count drops below ``PASS_FLOOR``. So neither a
content change nor an observer change can quietly lose agreement. Run with ``-s`` to see the count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from roleplay.content.library import Library, load_library
from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Scenario, Turn
from roleplay.observer import observe, suggest_ratings

#: Turns that pass today, of 224 (174 with the first observer when issue 18's library landed, 179 with
#: observer v2, 183 when every failure was recorded, 193 with key points weighed by words and meaning
#: together, 196 with three strong examples rewritten, 197 with judgment a label, 200 when minimising, a
#: pounce and a feeling that is not the turn's were rated below "interchangeable", 204 when a stock reply,
#: dismissing reassurance and an open question on a new subject stopped earning top levels and clinical
#: frames such as "some trauma" and "your condition" became labels). Raise it as content or observer
#: improves, never lower it to make a change pass.
PASS_FLOOR = 204
#: The record of every turn that does not pass and who is to blame (content or observer), read by
#: the test so the notes and the test cannot drift apart.
RECORD = Path(__file__).resolve().parents[2] / "docs" / "content-test.md"
_ROW = re.compile(r"^\| `(?P<turn>[a-z0-9-]+/[a-z0-9-]+)` \| (?P<criterion>[a-z_ ]+) \| "
                  r"(?P<blame>content|observer) \| (?P<why>.+) \|$")
#: Every turn of the scenarios added with issue 18; they are held to the same record.
NEW_SCENARIOS = {
    "third-go", "four-lengths", "not-much-to-say", "the-quiet-house", "tell-work", "did-you-ever",
    "in-my-notes", "fourth-worker", "year-on-thursday", "safer-with-mia", "go-to-the-papers",
}


def recorded_failures(text: str) -> dict[str, tuple[str, str]]:
    """The failing turns the record lists: turn -> (criterion, who is to blame: content or observer)."""
    return {m["turn"]: (m["criterion"], m["blame"])
            for line in text.splitlines() if (m := _ROW.match(line.strip()))}


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


def test_every_failing_turn_is_recorded(results: list[Verdict]) -> None:
    """The turns that fail are exactly the ones docs/content-test.md lists, each with its blame."""
    record = recorded_failures(RECORD.read_text(encoding="utf-8"))
    assert record, f"{RECORD} lists no turns: its table rows are not being read"
    known = {v.where for v in results}
    assert set(record) <= known, f"{RECORD} lists turns that do not exist: {sorted(set(record) - known)}"
    failing = {v.where: v for v in results if not v.passed}
    unrecorded = [str(failing[w]) for w in sorted(set(failing) - set(record))]
    now_pass = sorted(set(record) - set(failing))
    wrong_criterion = [f"{w}: recorded '{record[w][0]}', judged on '{v.criterion}'" for w, v in failing.items()
                       if w in record and record[w][0] != v.criterion.removeprefix("active-listening ")]
    assert not wrong_criterion, "record's criterion column is out of date:\n  " + "\n  ".join(wrong_criterion)
    assert not unrecorded, (
        f"turns failing that {RECORD.name} does not record (fix the content, or add a row saying it is "
        "the observer's fault):\n  " + "\n  ".join(unrecorded))
    assert not now_pass, (
        f"turns that now pass: remove their rows from {RECORD.name} and raise PASS_FLOOR to "
        f"{len(results) - len(failing)}:\n  " + "\n  ".join(now_pass))


def test_new_scenarios_are_all_judged(results: list[Verdict]) -> None:
    """Every scenario written for issue 18 is in the shipped library and judged."""
    assert {v.where.split("/")[0] for v in results} >= NEW_SCENARIOS, "a new scenario is missing"


def test_record_rows_are_read() -> None:
    """The record's table format: a turn, its criterion, content or observer, and why."""
    text = ("| turn | criterion | blame | why |\n|---|---|---|---|\n"
            "| `a-b/c-d` | overall | observer | D: a reason |\n| `e/f` | shared_power | content | x |\n"
            "| `g/h` | overall | nobody | not a blame |\n")
    assert recorded_failures(text) == {"a-b/c-d": ("overall", "observer"), "e/f": ("shared_power", "content")}


def test_verdict_logic() -> None:
    """The pass rule itself: strict, an unrated strong example fails, an unrated weak one counts low."""
    assert Verdict("a/b", "x", (3.0, 2.5), (2.0,)).passed
    assert not Verdict("a/b", "x", (3.0, 2.0), (2.0,)).passed
    assert not Verdict("a/b", "x", (None, 3.0), (1.0,)).passed
    assert Verdict("a/b", "x", (1.0,), (None,)).passed
    assert str(Verdict("a/b", "x", (3.0, None), (1.0,))) == "a/b on x: strong [3.00, -] vs weak [1.00]"
