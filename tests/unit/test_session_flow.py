"""Scenario flow: linear play skips branch-only turns; branches, ``next`` and the end of the script."""

from __future__ import annotations

from roleplay.content.scenario import ListenerMove
from roleplay.session.flow import (
    expected_turn_count,
    first_turn,
    linear_turns,
    next_turn,
    remaining_turn_count,
)
from roleplay.session.samples import sample_scenario

SCENARIO = sample_scenario()


def test_linear_path_skips_branch_only_turns() -> None:
    assert [t.id for t in linear_turns(SCENARIO)] == ["opening", "lunch", "closing"]
    assert first_turn(SCENARIO).id == "opening"
    assert expected_turn_count(SCENARIO) == 3


def test_next_without_a_move_follows_the_linear_path_to_the_end() -> None:
    path, turn_id = [], "opening"
    while turn_id is not None:
        path.append(turn_id)
        following = next_turn(SCENARIO, turn_id, None)
        turn_id = following.id if following else None
    assert path == ["opening", "lunch", "closing"]


def test_matching_branch_is_taken_then_next_is_followed() -> None:
    branched = next_turn(SCENARIO, "opening", ListenerMove.advice)
    assert branched is not None and branched.id == "pushback"
    # pushback names next: closing, skipping "lunch" which follows it in file order only by accident
    after = next_turn(SCENARIO, "pushback", None)
    assert after is not None and after.id == "closing"
    assert remaining_turn_count(SCENARIO, "pushback") == 2


def test_a_move_without_a_branch_follows_the_default_path() -> None:
    following = next_turn(SCENARIO, "opening", ListenerMove.reflection)
    assert following is not None and following.id == "lunch"


def test_first_matching_branch_wins() -> None:
    data = SCENARIO.model_dump(mode="json")
    data["turns"][0]["branches"] = [
        {"when": "advice", "goto": "closing"},
        {"when": "advice", "goto": "pushback"},
    ]
    scenario = type(SCENARIO).model_validate(data)
    following = next_turn(scenario, "opening", ListenerMove.advice)
    assert following is not None and following.id == "closing"


def test_none_at_the_end() -> None:
    assert next_turn(SCENARIO, "closing", None) is None
    assert next_turn(SCENARIO, "closing", ListenerMove.advice) is None
