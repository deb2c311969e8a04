"""Scenario play order: the linear path and branch following.

Linear play walks the turns in file order, skipping turns marked ``only_via_branch``. After a turn, the
first branch whose ``when`` matches what the listener did decides the next turn; otherwise the turn's
``next`` does; otherwise the next linear turn after it in the file.
"""

from __future__ import annotations

from roleplay.content.scenario import ListenerMove, Scenario, Turn


def turn_by_id(scenario: Scenario, turn_id: str) -> Turn:
    """The turn with this id; raises KeyError when there is none."""
    for turn in scenario.turns:
        if turn.id == turn_id:
            return turn
    raise KeyError(turn_id)


def linear_turns(scenario: Scenario) -> list[Turn]:
    """The turns said when no branch is taken: every turn not marked ``only_via_branch``, in order."""
    return [t for t in scenario.turns if not t.only_via_branch]


def first_turn(scenario: Scenario) -> Turn:
    """The turn a round opens with: the first linear turn (or the first turn if all are branch-only)."""
    linear = linear_turns(scenario)
    return linear[0] if linear else scenario.turns[0]


def next_turn(scenario: Scenario, current_turn_id: str, move: ListenerMove | None) -> Turn | None:
    """The turn after ``current_turn_id`` given the listener's move, or None when the script is over.

    Order of precedence: the first branch whose ``when`` equals ``move``; the turn's ``next``; the next
    turn after it in the file that is not ``only_via_branch``.
    """
    current = turn_by_id(scenario, current_turn_id)
    if move is not None:
        for branch in current.branches:
            if branch.when == move:
                return turn_by_id(scenario, branch.goto)
    if current.next is not None:
        return turn_by_id(scenario, current.next)
    position = scenario.turns.index(current)
    for turn in scenario.turns[position + 1 :]:
        if not turn.only_via_branch:
            return turn
    return None


def expected_turn_count(scenario: Scenario) -> int:
    """How many turns the linear path has, for a "turn k of n" display (branches may change it)."""
    return remaining_turn_count(scenario, first_turn(scenario).id)


def remaining_turn_count(scenario: Scenario, turn_id: str) -> int:
    """How many turns remain from ``turn_id`` (itself included) along the default, no-branch path."""
    count, seen = 0, set()
    turn: Turn | None = turn_by_id(scenario, turn_id)
    while turn is not None and turn.id not in seen:
        seen.add(turn.id)
        count += 1
        turn = next_turn(scenario, turn.id, None)
    return count
