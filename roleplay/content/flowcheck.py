"""Loops in a scenario's play order: every cycle through ``next`` and branch ``goto`` links, and every
turn from which play can never reach the end.

Play moves from a turn to the first branch whose ``when`` matches the listener's move, else to the
turn's ``next``, else to the next turn in the file that is not ``only_via_branch`` (see
``roleplay.session.flow``). Any of those links can be taken, so a cycle among them is a round that may
never end: a listener who gives advice twice would bounce between two lines for ever.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from roleplay.content.scenario import Turn

#: ``report(location, message, hint)``: how a problem is recorded (the crossref reporter's ``error``).
Report = Callable[[tuple[Any, ...], str, str], None]


@dataclass(frozen=True, slots=True)
class Link:
    """One way play can go from a turn: where to, what makes it happen, and where it is written."""

    target: int
    """Index of the next turn in the file's list."""
    how: str
    """``when advice``, ``next`` or ``then``: shown in the message."""
    loc: tuple[Any, ...]
    """Where the link is written (a branch's ``goto``, the turn's ``next``, or the turn itself)."""


def links(turns: Sequence[Turn | None]) -> dict[int, list[Link]]:
    """Every link from each valid turn to another valid turn (links to missing ids are left out)."""
    index: dict[str, int] = {}
    for i, turn in enumerate(turns):
        if turn is not None:
            index.setdefault(turn.id, i)
    following: list[int | None] = [None] * len(turns)  # the next linear turn after each position
    upcoming: int | None = None
    for i in range(len(turns) - 1, -1, -1):
        following[i] = upcoming
        turn = turns[i]
        if turn is not None and not turn.only_via_branch:
            upcoming = i
    out: dict[int, list[Link]] = {}
    for i, turn in enumerate(turns):
        if turn is None:
            continue
        found = [Link(index[b.goto], f"when {b.when}", ("turns", i, "branches", n, "goto"))
                 for n, b in enumerate(turn.branches) if b.goto in index]
        if turn.next is not None:
            if turn.next in index:
                found.append(Link(index[turn.next], "next", ("turns", i, "next")))
        elif following[i] is not None:
            found.append(Link(following[i], "then", ("turns", i, "id")))  # type: ignore[arg-type]
        out[i] = found
    return out


def ends(graph: dict[int, list[Link]]) -> set[int]:
    """Turns after which a round can end: no ``next`` to a turn that exists and no later linear turn (a
    ``next`` to a missing turn is reported on its own and counts as an end here, not as a second problem)."""
    return {i for i, out in graph.items() if not any(link.how in ("next", "then") for link in out)}


def check_loops(turns: Sequence[Turn | None], report: Report, *, skip: Callable[[int, Link], bool]) -> None:
    """Report each link that closes a cycle (with the whole loop spelled out) and each turn that cannot
    reach the end. ``skip(i, link)`` says a link is already reported by another check (a branch to its
    own turn, a ``next`` that goes back)."""
    graph = links(turns)
    names = {i: t.id for i, t in enumerate(turns) if t is not None}
    for source, link, path in _back_links(graph):
        if skip(source, link):
            continue
        loop = " → ".join(f"'{names[a]}' ({how})" for a, how in path) + f" → '{names[link.target]}'"
        report(link.loc, f"play can loop for ever: {loop}",
               "point one of these links at a later turn, or let the loop reach a turn that ends the round")
    can_end = _reaching(graph, ends(graph))
    for i in sorted(graph):
        if i not in can_end:
            report(("turns", i, "id"), f"from turn '{names[i]}' play can never reach the end of the script",
                   "every way on from here comes back round: give one of these turns a way out")


def _back_links(graph: dict[int, list[Link]]) -> list[tuple[int, Link, list[tuple[int, str]]]]:
    """Links that close a cycle in a depth-first walk (every cycle holds at least one), each with the
    loop it closes as ``(turn, how it goes on)`` steps. Iterative: a file may hold thousands of turns."""
    state: dict[int, int] = {}  # 1 on the current path, 2 finished
    found: list[tuple[int, Link, list[tuple[int, str]]]] = []
    for root in sorted(graph):
        if root in state:
            continue
        path: list[tuple[int, str]] = []
        stack: list[tuple[int, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, k = stack[-1]
            out = graph[node]
            if k == len(out):
                stack.pop()
                state[node] = 2
                if path:
                    path.pop()
                continue
            stack[-1] = (node, k + 1)
            link = out[k]
            if state.get(link.target) == 1:
                steps = [*path, (node, link.how)]
                start = next(n for n, (turn, _) in enumerate(steps) if turn == link.target)
                found.append((node, link, steps[start:]))
            elif link.target not in state:
                path.append((node, link.how))
                state[link.target] = 1
                stack.append((link.target, 0))
    return found


def _reaching(graph: dict[int, list[Link]], targets: set[int]) -> set[int]:
    """Turns from which some way on leads to one of ``targets``."""
    back: dict[int, list[int]] = {}
    for source, out in graph.items():
        for link in out:
            back.setdefault(link.target, []).append(source)
    seen = set(targets)
    todo = list(targets)
    while todo:
        for source in back.get(todo.pop(), ()):
            if source not in seen:
                seen.add(source)
                todo.append(source)
    return seen


def check_part_loops(turns: Sequence[Turn], parts: Sequence[Any], report: Report) -> None:
    """Loops a round playing one part could fall into that the whole scenario does not show: a part plays
    its own turns only, so "the next turn in the file" can be another one than in the whole file. Only
    what the whole-scenario check did not already report is reported, with the part named."""
    def collect(into: set[tuple[Any, ...]]) -> Report:
        return lambda loc, message, hint: into.add((loc, message))

    whole: set[tuple[Any, ...]] = set()
    check_loops(turns, collect(whole), skip=reported_elsewhere)
    for p, part in enumerate(parts):
        ids = set(part.turns)
        index = [i for i, t in enumerate(turns) if t.id in ids]
        played = [turns[i] if turns[i].next is None or turns[i].next in ids
                  else turns[i].model_copy(update={"next": None}) for i in index]

        def translated(loc: tuple[Any, ...], message: str, hint: str, p: int = p, index: list[int] = index) -> None:
            loc = ("turns", index[loc[1]], *loc[2:])
            if (loc, message) not in whole:
                report(loc, f"in part {p + 1}, {message}", hint)

        check_loops(played, translated, skip=reported_elsewhere)


def reported_elsewhere(source: int, link: Link) -> bool:
    """A branch to its own turn and a ``next`` that goes back are reported by the turn checks."""
    return link.target == source or (link.how == "next" and link.target < source)
