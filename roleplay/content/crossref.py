"""Checks across a file's parts that field types cannot express: ids, references, and quality warnings.

Errors make a file unusable (a branch to a turn that does not exist); warnings (shown by
``validate --strict``) are things a tutor would want to fix, each worded with the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from roleplay.content.agreement import Agreement
from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
from roleplay.content.flowcheck import check_loops, check_part_loops, reported_elsewhere
from roleplay.content.parts_check import check_parts
from roleplay.content.problems import Problem, Severity, did_you_mean
from roleplay.content.rubric import Criterion, Rubric
from roleplay.content.scenario import Scenario, Turn
from roleplay.content.yamlsafe import YamlDocument


class _Reporter:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, loc: tuple[Any, ...], message: str, hint: str | None = None, *, key: bool = False) -> None:
        line, col = self.doc.locate(loc, key=key)
        self.problems.append(Problem(self.doc.path, line, col, message, hint))

    def warn(self, loc: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        line, col = self.doc.locate(loc, key=True)
        self.problems.append(Problem(self.doc.path, line, col, message, hint, Severity.warning))

    def unique(self, items: list[Any], loc: tuple[Any, ...], what: str, attr: str = "id") -> set[str]:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value is None:
                continue
            if value in seen:
                first = self.doc.locate((*loc, seen[value], attr))[0]
                self.error((*loc, i, attr), f"{what} '{value}' is used twice (first at line {first})",
                           f"give each {what} its own name")
            else:
                seen[value] = i
        return set(seen)


def _linear(turns: list[Turn | None]) -> Iterator[tuple[int, str]]:
    for i, turn in enumerate(turns):
        if turn is not None and not turn.only_via_branch:
            yield i, turn.id


def check_scenario(doc: YamlDocument, scenario: Scenario) -> list[Problem]:
    """Turn ids, branch targets and ``next`` links; strict warnings for thin turns and unused branches."""
    r = _Reporter(doc)
    check_turns(r, list(scenario.turns), extra_ids=set())
    r.problems.extend(check_parts(doc, scenario))
    check_part_loops(list(scenario.turns), scenario.parts, r.error)
    if not scenario.trainer_notes:
        r.warn(("title",), "no trainer_notes: a tutor picking up this scenario gets no guidance",
               "add trainer_notes: what it trains, where trainees usually stumble, how to debrief it "
               "(tutors only; never shown in play)")
    if not scenario.observer_focus:
        r.warn(("title",), "no observer_focus: the observer is not told what to watch for",
               "add observer_focus: two or three things to watch, e.g. 'Does the listener hand the choice back?'")
    return r.problems


def check_turns_only(doc: YamlDocument, turns: list[Turn | None], extra_ids: set[str]) -> list[Problem]:
    """Cross-check the turns that are valid on their own, when the scenario as a whole is not.

    ``extra_ids`` are ids of turns that failed validation, so links to them are not reported missing.
    """
    r = _Reporter(doc)
    check_turns(r, turns, extra_ids)
    return [p for p in r.problems if p.severity is Severity.error]


def check_turns(r: _Reporter, turns: list[Turn | None], extra_ids: set[str]) -> None:
    """The turn-level cross-references shared by whole and partly invalid scenarios."""
    valid = [t for t in turns if t is not None]
    seen: dict[str, int] = {}
    for i, turn in enumerate(turns):
        if turn is None:
            continue
        if turn.id in seen:
            first = r.doc.locate(("turns", seen[turn.id], "id"))[0]
            r.error(("turns", i, "id"), f"turn id '{turn.id}' is used twice (first at line {first})",
                    "give each turn id its own name")
        else:
            seen[turn.id] = i
    ids = set(seen) | extra_ids
    order = dict(seen)
    if valid and not any(True for _ in _linear(turns)) and not extra_ids:
        r.error(("turns",), "every turn is only_via_branch: play has nowhere to start",
                "set only_via_branch: false on the opening turn")
    targeted: set[str] = set()
    for i, turn in enumerate(turns):
        if turn is None:
            continue
        loc = ("turns", i)
        natural = turn.next or next((t for j, t in _linear(turns) if j > i), None)
        moves_seen: set[str] = set()
        for b, branch in enumerate(turn.branches):
            bloc = (*loc, "branches", b)
            if branch.goto not in ids:
                r.error((*bloc, "goto"), f"branch goes to turn '{branch.goto}', which does not exist",
                        did_you_mean(branch.goto, ids) or f"turn ids here: {', '.join(sorted(ids))}")
            elif branch.goto == turn.id:
                r.error((*bloc, "goto"), "branch goes back to its own turn: play would repeat the line forever",
                        "point it at another turn")
            targeted.add(branch.goto)
            if branch.when in moves_seen:
                r.warn(bloc, f"unused branch: an earlier branch of this turn already handles '{branch.when}'",
                       "only the first matching branch is taken: remove this one or change its 'when'")
            elif branch.goto == natural:
                r.warn(bloc, f"unused branch: '{branch.goto}' comes next anyway, so the branch changes nothing",
                       "point it at a branch-only turn, or remove it")
            moves_seen.add(branch.when)
        if turn.next is not None:
            if turn.next not in ids:
                r.error((*loc, "next"), f"next turn '{turn.next}' does not exist",
                        did_you_mean(turn.next, ids) or f"turn ids here: {', '.join(sorted(ids))}")
            elif turn.next in order and order[turn.next] <= i:
                r.error((*loc, "next"), f"next goes back to '{turn.next}', an earlier turn: play could loop",
                        "point 'next' at a later turn so every round reaches an end")
        if turn.focus is not None and turn.focus not in CRITERION_CHECKS:
            r.error((*loc, "focus"), f"unknown skill '{turn.focus}': focus names an automatic observer check",
                    did_you_mean(turn.focus, CRITERION_CHECKS) or "see `roleplay observe --checks`")
        _thin_turn_warnings(r, loc, turn)
    check_loops(turns, r.error, skip=reported_elsewhere)  # self-branches and backward nexts: reported above
    for i, turn in enumerate(turns):
        if turn is not None and turn.only_via_branch and turn.id not in targeted:
            r.warn(("turns", i, "only_via_branch"),
                   f"unused branch turn '{turn.id}': no branch leads here, so it is never played",
                   "add a branch with 'goto: " + turn.id + "' to an earlier turn, or remove only_via_branch")


#: What a turn is thin without: (field, what is lost without it, how to fill it), in the order warned.
_THIN_TURN = (
    ("key_points", "nothing to check a paraphrase against",
     "add key_points: the two or three facts a good paraphrase of this line gives back"),
    ("feelings", "nothing to check a reflection of feeling against",
     "add feelings: the feelings under the line, in words a listener might use, e.g. [worn out, let down]"),
    ("strong_examples", "trainees see no model response here",
     "add strong_examples: one or two responses that model the skill, each with 'text:' and 'reason:'"),
    ("weak_examples", "the debrief cannot show what gets in the way",
     "add weak_examples: a tempting response that does not help (advice, reassurance...), with its reason"),
)


def _thin_turn_warnings(r: _Reporter, loc: tuple[Any, ...], turn: Any) -> None:
    for name, lost, hint in _THIN_TURN:
        if not getattr(turn, name):
            r.warn((*loc, "line"), f"turn '{turn.id}' has no {name}: {lost}", hint)


def check_rubric(doc: YamlDocument, rubric: Rubric) -> list[Problem]:
    """Scale order, unique ids, descriptor levels, ``auto`` check names and metric tally references."""
    r = _Reporter(doc)
    values = [level.value for level in rubric.scale]
    if values != sorted(set(values)):
        r.error(("scale",), "scale values must be distinct and go from lowest to highest",
                f"e.g. {', '.join(str(v) for v in sorted(set(values)))}")
    levels = set(values)
    r.unique(rubric.criteria, ("criteria",), "criterion id")
    tally_ids = r.unique(rubric.tallies, ("tallies",), "tally id")
    r.unique(rubric.metrics, ("metrics",), "metric id")
    r.unique(rubric.tallies, ("tallies",), "tally key", attr="key")
    if not rubric.criteria and not rubric.tallies:
        r.error(("title",), "a rubric needs criteria, tallies, or both", "add a 'criteria:' list")
    for i, crit in enumerate(rubric.criteria):
        loc = ("criteria", i)
        for level in crit.descriptors:
            if level not in levels:
                r.error((*loc, "descriptors", level), f"descriptor for level {level}, which is not on the scale",
                        f"the scale has levels {', '.join(map(str, values))}", key=True)
        if not crit.descriptors:
            r.warn((*loc, "id"), f"criterion '{crit.id}' has no descriptors: its scores cannot be turned into words",
                   "add descriptors: for each scale value, what the listener does at that level")
        else:
            missing = sorted(levels - set(crit.descriptors))
            if missing:
                r.warn((*loc, "descriptors"), f"criterion '{crit.id}' has no descriptor for level(s) "
                       f"{', '.join(map(str, missing))}: a score there comes with no feedback",
                       f"add '{missing[0]}: ...' under descriptors, saying what the listener does at that level")
        _check_levels_extras(r, loc, crit, values)
        if crit.auto is not None:
            if crit.auto not in CRITERION_CHECKS:
                r.error((*loc, "auto"), f"unknown automatic check '{crit.auto}'",
                        did_you_mean(crit.auto, CRITERION_CHECKS) or "see `roleplay observe --checks`")
            elif crit.observer_only:
                r.error((*loc, "auto"), "an observer_only criterion cannot have an automatic check",
                        "remove 'auto' or set observer_only: false")
    for i, tally in enumerate(rubric.tallies):
        if tally.key is not None and tally.key.isdigit():
            r.error(("tallies", i, "key"), f"tally key '{tally.key}' is a digit; digits give rating levels",
                    "choose a letter")
        if tally.auto is not None and tally.auto not in TALLY_CHECKS:
            r.error(("tallies", i, "auto"), f"unknown automatic tally '{tally.auto}'",
                    did_you_mean(tally.auto, TALLY_CHECKS) or "see `roleplay observe --checks`")
    for i, metric in enumerate(rubric.metrics):
        for side in ("numerator", "denominator"):
            for j, ref in enumerate(getattr(metric, side)):
                if ref not in tally_ids:
                    r.error(("metrics", i, side, j), f"metric uses tally '{ref}', which does not exist",
                            did_you_mean(ref, tally_ids) or f"tally ids here: {', '.join(sorted(tally_ids))}")
        if metric.thresholds and metric.thresholds.fair > metric.thresholds.good:
            r.error(("metrics", i, "thresholds"), "threshold 'fair' is above 'good'", "swap the two numbers")
    return r.problems


def _check_levels_extras(r: _Reporter, loc: tuple[Any, ...], crit: Criterion, values: list[int]) -> None:
    """A criterion's thresholds sit on the scale in order; its level examples name scale levels."""
    levels = set(values)
    if crit.thresholds is not None and values:
        low, high = min(values), max(values)
        if crit.thresholds.fair > crit.thresholds.good:
            r.error((*loc, "thresholds"), "threshold 'fair' is above 'good'", "swap the two numbers")
        for name in ("fair", "good"):
            value = getattr(crit.thresholds, name)
            if not low <= value <= high:
                r.error((*loc, "thresholds", name), f"threshold '{name}' is {value:g}, off the scale",
                        f"the criterion is scored on the scale, {low} to {high}: pick a value in between")
    for level in crit.examples:
        if level not in levels:
            r.error((*loc, "examples", level), f"example for level {level}, which is not on the scale",
                    f"the scale has levels {', '.join(map(str, values))}", key=True)
    if crit.examples:
        if crit.example_speaker is None:
            r.warn((*loc, "examples"), f"criterion '{crit.id}' has examples but no example_speaker: "
                   "readers cannot tell what they answer", "add example_speaker: the speaker's line they respond to")
        missing = sorted(levels - set(crit.examples))
        if missing:
            r.warn((*loc, "examples"), f"criterion '{crit.id}' has no example for level(s) "
                   f"{', '.join(map(str, missing))}", f"add '{missing[0]}: ...' under examples")
    elif crit.example_speaker is not None:
        r.warn((*loc, "example_speaker"), f"criterion '{crit.id}' has an example_speaker but no examples",
               "add examples: one response per level, answering the example_speaker line")


def check_agreement(doc: YamlDocument, agreement: Agreement) -> list[Problem]:
    """Item ids are unique."""
    r = _Reporter(doc)
    r.unique(agreement.items, ("items",), "item id")
    return r.problems


def checker_for(model: object) -> Any:
    """The cross-reference check for a validated model."""
    checks: dict[type, Any] = {Scenario: check_scenario, Rubric: check_rubric, Agreement: check_agreement}
    return checks[type(model)]


__all__ = ["Path", "check_agreement", "check_rubric", "check_scenario", "check_turns_only", "checker_for"]
