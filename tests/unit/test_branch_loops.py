"""Issue 13, item 4: loops through ``next`` and ``goto`` are found by validation, and the engine never
plays a line twice in one round even when handed a looping scenario."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from benchmarks.bench_validate import scenario_dict
from roleplay.content.scenario import ListenerMove, Scenario
from roleplay.content.validate import load_content_file
from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric
from roleplay.session.state import SessionConfig
from roleplay.storage.events import MemorySink


def ping_pong() -> dict:
    """Turn 0 goes to 'closed-up' on advice; 'closed-up' goes back to turn 0 on advice."""
    data = scenario_dict(1, turns=3)
    closed = next(t for t in data["turns"] if t["id"] == "closed-up")
    closed.pop("next")
    closed["branches"] = [{"when": "advice", "goto": "turn-0"}]
    return data


def errors(tmp_path: Path, data: dict) -> list[str]:
    path = tmp_path / "loop.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return [p.format() for p in load_content_file(path).errors]


def line_of(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "loop.yaml").read_text("utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if needle in text)


def test_two_branches_pointing_at_each_other_are_a_loop(tmp_path: Path) -> None:
    """This validated with 0 errors and the engine played 200 turns without ending."""
    found = errors(tmp_path, ping_pong())
    loops = [p for p in found if "play can loop for ever" in p]
    assert len(loops) == 1, found
    assert "'turn-0' (when advice) → 'closed-up' (when advice) → 'turn-0'" in loops[0]
    assert f"loop.yaml:{line_of(tmp_path, 'goto: turn-0')}:" in loops[0]  # the link that closes the loop


def test_every_loop_is_reported(tmp_path: Path) -> None:
    data = ping_pong()
    assert [t["id"] for t in data["turns"]] == ["turn-0", "closed-up", "turn-1", "turn-2"]
    data["turns"][3]["branches"] = [{"when": "judgment", "goto": "turn-1"}]  # turn-1 -> turn-2 -> turn-1
    data["turns"][2]["branches"] = [{"when": "question_closed", "goto": "turn-0"}]  # turn-1 -> turn-0 -> turn-1
    found = [p for p in errors(tmp_path, data) if "play can loop" in p]
    assert len(found) == 3, found


def test_a_loop_with_no_way_out_names_every_stuck_turn(tmp_path: Path) -> None:
    data = scenario_dict(1, turns=3)
    data["turns"][-1]["next"] = "turn-1"  # the last turn goes back: no turn ends the round
    found = errors(tmp_path, data)
    assert any("next goes back to 'turn-1'" in p for p in found)
    stuck = [p for p in found if "can never reach the end" in p]
    assert {p.split("'")[1] for p in stuck} == {"turn-0", "turn-1", "turn-2", "closed-up"}, stuck


def test_loop_free_branching_stays_clean(tmp_path: Path) -> None:
    assert errors(tmp_path, scenario_dict(1, turns=4)) == []


def test_engine_refuses_to_loop_on_a_looping_snapshot() -> None:
    """A scenario that skipped validation (an old snapshot) ends instead of bouncing for ever."""
    scenario = Scenario.model_validate(copy.deepcopy(ping_pong()))
    config = SessionConfig(("Ana", "Ben"), scenario, sample_rubric())
    session = PracticeSession.create(config, MemorySink(), clock=lambda: 1.0, session_id="s")
    session.acknowledge_agreement()
    current = session.start_round()
    for _ in range(200):
        if current.current_turn is None:
            break
        session.mark_move(ListenerMove.advice)
        session.confirm_turn()
    assert current.script_done
    said = [t.turn_id for t in current.turns]
    assert said == ["turn-0", "closed-up"] and len(set(said)) == len(said)


def test_a_loop_only_a_part_can_fall_into_is_reported(tmp_path: Path) -> None:
    """Parts play their own turns only: in part 1 the turn after 'a' is 'c', which branches back to 'a'.
    The whole file has no loop (after 'a' comes 'b', which jumps to 'd')."""
    data = scenario_dict(1, turns=4)
    base = data["turns"][0]
    turns = []
    for tid in ("a", "b", "c", "d"):
        turn = {k: v for k, v in base.items() if k != "branches"} | {"id": tid}
        turns.append(turn)
    turns[1]["next"] = "d"
    turns[2]["branches"] = [{"when": "advice", "goto": "a"}]
    data["turns"] = turns
    data["parts"] = [{"title": "One", "turns": ["a", "c"]}, {"title": "Two", "turns": ["b", "d"]}]
    found = errors(tmp_path, data)
    loops = [p for p in found if "loop" in p]
    assert len(loops) == 1, found
    assert "in part 1, play can loop for ever: 'a' (then) → 'c' (when advice) → 'a'" in loops[0]
    assert f"loop.yaml:{line_of(tmp_path, 'goto: a')}:" in loops[0]
