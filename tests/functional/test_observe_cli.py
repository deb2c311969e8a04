"""``roleplay observe``: the JSON-lines contract, malformed lines, rubrics and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from roleplay.cli.observe import command

GOOD = {"speaker": "I feel stuck at work and my boss ignores me.", "response": "So you feel trapped there?"}
ADVICE = {"speaker": "I lost my job last week.", "response": "Have you tried applying elsewhere?", "id": "a-7",
          "key_points": ["lost job"], "feelings": ["worried"]}


def run(stdin: str, *args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(command, list(args), input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines


def test_one_output_line_per_input_in_order() -> None:
    code, out = run(json.dumps(GOOD) + "\n" + json.dumps(ADVICE) + "\n")
    assert code == 0
    assert [o["line"] for o in out] == [1, 2]
    assert out[0]["label"] == "reflection" and out[0]["subtype"] in ("simple", "complex")
    assert out[1]["label"] == "advice" and out[1]["id"] == "a-7"
    assert out[1]["key_points"] == {"total": 1, "captured": 0}  # advice does not restate the loss
    names = {s["name"] for s in out[1]["signals"]}
    assert "advice_without_permission" in names
    for o in out:
        assert 0 < o["confidence"] <= 1
        assert "ratings" not in o


def test_malformed_lines_give_errors_and_exit_1_without_losing_lines() -> None:
    stdin = "\n".join([
        json.dumps(GOOD),
        "{not json",
        "",  # blank: skipped
        json.dumps({"speaker": "hi"}),  # no response
        json.dumps([1, 2]),
        json.dumps({"speaker": "x", "response": "y", "key_points": "not a list"}),
        json.dumps(ADVICE),
    ]) + "\n"
    code, out = run(stdin)
    assert code == 1
    assert [o["line"] for o in out] == [1, 2, 4, 5, 6, 7]
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {2, 4, 5, 6}
    assert "JSON" in errors[2] and "response" in errors[4] and "object" in errors[5] and "key_points" in errors[6]
    assert out[-1]["label"] == "advice"


def test_reads_a_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    result = CliRunner().invoke(command, [str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["label"] == "reflection"


def test_rubric_from_a_yaml_file_adds_ratings_and_tallies(tmp_path: Path) -> None:
    rubric = {
        "id": "mini", "title": "Mini", "description": "A test rubric.",
        "scale": [{"value": 1, "label": "Low"}, {"value": 2, "label": "Mid"}, {"value": 3, "label": "High"}],
        "criteria": [
            {"id": "led", "name": "Speaker-led", "description": "d", "auto": "speaker_led"},
            {"id": "eyes", "name": "Eye contact", "description": "d", "observer_only": True},
        ],
        "tallies": [{"id": "unasked", "name": "Unasked advice", "description": "d",
                     "auto": "advice_without_permission"}],
    }
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(rubric), encoding="utf-8")
    code, out = run(json.dumps(ADVICE) + "\n", "--rubric", str(path))
    assert code == 0
    ratings = out[0]["ratings"]
    assert [r["criterion"] for r in ratings] == ["led"]
    assert ratings[0]["value"] in (1, 2) and "Have you tried" in ratings[0]["reason"]
    assert out[0]["tallies"] == {"unasked": 1}


def test_rubric_file_with_mistakes_is_refused_as_validate_would(tmp_path: Path) -> None:
    """The file goes through the same loader and checks as `roleplay validate`, not a bare YAML read."""
    path = tmp_path / "mini.yaml"
    path.write_text("id: mini\ntitle: Mini\ndescription: d\nscale: [{value: 1, label: Low}, {value: 2, label: High}]\n"
                    "criteria:\n"
                    "  - {id: eyes, name: Eyes, description: d, observer_only: true, auto: empathy}\n", "utf-8")
    result = CliRunner().invoke(command, ["--rubric", str(path)], input=json.dumps(ADVICE) + "\n")
    assert result.exit_code == 1
    assert f"{path}:6:" in result.output and "observer_only criterion cannot have an automatic check" in result.output
    assert "Traceback" not in result.output


def test_unknown_rubric_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(command, ["--rubric", "no-such-rubric"], input="")
    assert result.exit_code == 2
    assert "no-such-rubric" in result.output


def test_checks_lists_every_check() -> None:
    from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS

    result = CliRunner().invoke(command, ["--checks"])
    assert result.exit_code == 0
    for name in (*CRITERION_CHECKS, *TALLY_CHECKS):
        assert name in result.output


def test_help_has_examples() -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    assert "roleplay observe" in result.output and "--rubric" in result.output
