"""Checks on a scenario's ``parts``: every part names real turns, each turn is in one part, and no branch
leads out of its part (the line it leads to would never be said; a ``next`` out of a part just rejoins it)."""

from __future__ import annotations

from roleplay.content.problems import Problem, Severity, did_you_mean
from roleplay.content.scenario import Scenario
from roleplay.content.yamlsafe import YamlDocument


def check_parts(doc: YamlDocument, scenario: Scenario) -> list[Problem]:
    """Errors for parts that cannot be played; strict warnings for turns no part plays."""
    problems: list[Problem] = []

    def report(loc: tuple, message: str, hint: str | None, severity: Severity = Severity.error) -> None:
        line, col = doc.locate(loc, key=severity is Severity.warning)
        problems.append(Problem(doc.path, line, col, message, hint, severity))

    if not scenario.parts:
        return problems
    turns = {t.id: t for t in scenario.turns}
    owner: dict[str, int] = {}
    for p, part in enumerate(scenario.parts):
        for j, turn_id in enumerate(part.turns):
            loc = ("parts", p, "turns", j)
            if turn_id not in turns:
                report(loc, f"part {p + 1} lists turn '{turn_id}', which does not exist",
                       did_you_mean(turn_id, turns) or f"turn ids here: {', '.join(turns)}")
            elif turn_id in owner:
                where = "this part" if owner[turn_id] == p else f"part {owner[turn_id] + 1}"
                report(loc, f"turn '{turn_id}' is already in {where}",
                       "put each turn in one part only, so no listener hears a line twice")
            else:
                owner[turn_id] = p
    for p, part in enumerate(scenario.parts):
        mine = [turns[t] for t in part.turns if t in turns and owner.get(t) == p]
        if mine and all(t.only_via_branch for t in mine):
            report(("parts", p, "turns"), f"part {p + 1} has only branch-only turns: its round has nowhere to start",
                   "add a turn without only_via_branch to the part")
        for turn in mine:
            for branch in turn.branches:
                target = branch.goto
                if target in owner and owner[target] != p:
                    report(("parts", p, "turns", part.turns.index(turn.id)),
                           f"turn '{turn.id}' in part {p + 1} branches ({branch.when}) to '{target}' in part "
                           f"{owner[target] + 1}: a round plays one part only, so that line is never said",
                           f"add '{target}' to part {p + 1}, or point the branch at a turn of this part")
    if len(scenario.parts) == 1:
        report(("parts",), "only one part: every round would play the same lines",
               "split the turns into a part per round (three for a triad), or remove parts", Severity.warning)
    for i, turn in enumerate(scenario.turns):
        if turn.id not in owner:
            report(("turns", i, "id"), f"turn '{turn.id}' is in no part, so group rounds never play it",
                   "add its id to one of the parts", Severity.warning)
    return problems
