"""Validation of well-formed YAML: located model errors, did-you-mean, cross-references, strict warnings."""

from __future__ import annotations

from pathlib import Path

import yaml

from benchmarks.bench_validate import scenario_dict
from roleplay.content.problems import Severity
from roleplay.content.validate import load_content_file, validate_paths


def write(tmp_path: Path, name: str, data: dict | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, "utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_generated_scenario_is_valid(tmp_path: Path) -> None:
    loaded = load_content_file(write(tmp_path, "s.yaml", scenario_dict(1)), strict=True)
    assert loaded.kind == "scenario" and loaded.model is not None and loaded.problems == []


def test_misspelt_key_points_at_the_key_with_suggestion(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][2]["feelins"] = data["turns"][2].pop("feelings")
    path = write(tmp_path, "s.yaml", data)
    [problem] = load_content_file(path).errors
    assert problem.line == line_of(path, "feelins:")
    assert "unknown key 'feelins'" in problem.message
    assert problem.suggestion == "did you mean 'feelings'?"


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["difficulty"] = "intermediat"
    data["tittle"] = data.pop("title")
    data["turns"][3]["branches"] = [{"when": "advise", "goto": "turn-9"}]
    data["turns"][0]["branches"][0]["goto"] = "closed-upp"
    path = write(tmp_path, "s.yaml", data)
    problems = load_content_file(path).errors
    text = "\n".join(p.format() for p in problems)
    assert "did you mean 'intermediate'?" in text
    assert "unknown key 'tittle'" in text and "did you mean 'title'?" in text
    assert "missing required key 'title'" in text
    assert "did you mean 'advice'?" in text
    assert len(problems) >= 4


def test_cross_references_are_checked_with_suggestions(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][0]["branches"][0]["goto"] = "closed-upp"
    data["turns"][1]["next"] = "turn-11"
    path = write(tmp_path, "s.yaml", data)
    messages = {p.message: p for p in load_content_file(path).errors}
    goto = messages["branch goes to turn 'closed-upp', which does not exist"]
    assert goto.suggestion == "did you mean 'closed-up'?"
    assert goto.line == line_of(path, "goto: closed-upp")
    assert "next turn 'turn-11' does not exist" in messages


def test_duplicate_turn_ids_and_backward_next(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][3]["id"] = "turn-1"
    data["turns"][1]["next"] = "turn-0"
    problems = [p.message for p in load_content_file(write(tmp_path, "s.yaml", data)).errors]
    assert any("turn id 'turn-1' is used twice" in m for m in problems)
    assert any("an earlier turn: play could loop" in m for m in problems)


def test_strict_warnings_are_worded_with_the_fix(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][2]["key_points"] = []
    data["turns"][2]["weak_examples"] = []
    data["turns"][0]["branches"] = []  # the branch-only turn is now unused
    path = write(tmp_path, "s.yaml", data)
    assert load_content_file(path).problems == []  # warnings only with strict
    warnings = load_content_file(path, strict=True).problems
    assert all(p.severity is Severity.warning for p in warnings)
    text = "\n".join(p.format() for p in warnings)
    assert "turn 'turn-1' has no key_points" in text and "hint: add key_points" in text
    assert "no weak_examples" in text
    assert "unused branch turn 'closed-up'" in text


def test_branch_that_changes_nothing_is_warned(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][2]["branches"] = [{"when": "advice", "goto": "turn-2"}]
    text = "\n".join(p.message for p in load_content_file(write(tmp_path, "s.yaml", data), strict=True).problems)
    assert "unused branch: 'turn-2' comes next anyway" in text


RUBRIC = """\
kind: rubric
id: r
title: R
description: d
scale:
  - {value: 1, label: Low}
  - {value: 2, label: High}
criteria:
  - id: para
    name: Paraphrase
    description: d
    auto: paraphrse
    descriptors: {1: a, 3: c}
  - id: eyes
    name: Eye contact
    description: d
    observer_only: true
    auto: empathy
tallies:
  - {id: q, name: Q, description: d, key: "1"}
metrics:
  - {id: rq, name: RQ, numerator: [reflection], denominator: [q], thresholds: {fair: 2, good: 1}}
"""


def test_rubric_cross_references(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", RUBRIC)
    problems = {p.message: p for p in load_content_file(path, strict=True).problems}
    assert "unknown automatic check 'paraphrse'" in problems
    assert problems["unknown automatic check 'paraphrse'"].suggestion == "did you mean 'paraphrase'?"
    assert "descriptor for level 3, which is not on the scale" in problems
    assert problems["descriptor for level 3, which is not on the scale"].line == line_of(path, "descriptors:")
    assert "an observer_only criterion cannot have an automatic check" in problems
    assert "tally key '1' is a digit; digits give rating levels" in problems
    assert "metric uses tally 'reflection', which does not exist" in problems
    assert "threshold 'fair' is above 'good'" in problems
    missing = "criterion 'para' has no descriptor for level(s) 2: a score there comes with no feedback"
    assert missing in problems and problems[missing].suggestion.startswith("add '2: ...' under descriptors")


def test_kind_detection(tmp_path: Path) -> None:
    no_kind = write(tmp_path, "elsewhere/a.yaml", "id: a\ntitle: t\n")
    assert "cannot tell what kind of file this is" in load_content_file(no_kind).errors[0].message
    wrong = write(tmp_path, "b.yaml", "kind: scenari\nid: b\n")
    [problem] = load_content_file(wrong).errors
    assert problem.suggestion == "did you mean 'scenario'?" and problem.line == 1


def test_validate_paths_walks_folders_and_reports_missing(tmp_path: Path) -> None:
    write(tmp_path, "lib/scenarios/a.yaml", scenario_dict(1))
    write(tmp_path, "lib/scenarios/b.yaml", "kind: scenario\nid: b\n")
    problems = validate_paths([tmp_path / "lib", tmp_path / "missing.yaml"])
    paths = {p.path.name for p in problems}
    assert paths == {"b.yaml", "missing.yaml"}


def test_shipped_schema_files_are_current() -> None:
    """The JSON Schemas shipped for editors match the models (regenerate: python -m roleplay.content.schema)."""
    from roleplay.content.schema import SCHEMA_MODELS, schema_path, schema_text

    for kind in SCHEMA_MODELS:
        assert schema_path(kind).read_text("utf-8") == schema_text(kind), kind


def test_every_model_field_has_a_docstring() -> None:
    from roleplay.content import agreement, rubric, scenario
    from roleplay.content.base import FileModel

    for module in (scenario, rubric, agreement):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, FileModel) and obj is not FileModel:
                for name, info in obj.model_fields.items():
                    assert info.description, f"{obj.__name__}.{name} has no docstring"


def test_parts_are_checked_with_lines_and_hints(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["parts"] = [
        {"title": "Start", "turns": ["turn-0", "turn-2"]},  # turn-0 branches to closed-up (part 2)
        {"title": "Middle", "turns": ["closed-up", "turn-1", "turn-3", "turn-33"]},
        {"title": "End", "turns": ["turn-4", "turn-5", "turn-6", "turn-3"]},
    ]
    path = write(tmp_path, "s.yaml", data)
    loaded = load_content_file(path, strict=True)
    assert loaded.model is None
    by_message = {p.message: p for p in loaded.problems}
    missing = by_message["part 2 lists turn 'turn-33', which does not exist"]
    assert missing.line == line_of(path, "- turn-33") and missing.suggestion == "did you mean 'turn-3'?"
    assert "turn 'turn-3' is already in part 2" in by_message
    leaves = by_message["turn 'turn-0' in part 1 branches (advice) to 'closed-up' in part 2: a round plays one "
                        "part only, so that line is never said"]
    assert leaves.suggestion == "add 'closed-up' to part 1, or point the branch at a turn of this part"
    unplayed = by_message["turn 'turn-7' is in no part, so group rounds never play it"]
    assert unplayed.severity is Severity.warning and unplayed.line == line_of(path, "id: turn-7")


def test_valid_parts_load_and_split_the_turns(tmp_path: Path) -> None:
    from roleplay.session.plan import RoundPlay

    data = scenario_dict(1)
    data["parts"] = [{"title": "Start", "turns": ["turn-0", "closed-up"]},  # closed-up's next is in part 2
                     {"title": "Middle", "turns": ["turn-1", "turn-2", "turn-3", "turn-4"]},
                     {"title": "End", "turns": ["turn-5", "turn-6", "turn-7"]}]
    loaded = load_content_file(write(tmp_path, "s.yaml", data), strict=True)
    assert loaded.model is not None and loaded.problems == []
    play = RoundPlay(loaded.model, 2)  # type: ignore[arg-type]
    assert [t.id for t in play.played.turns] == ["turn-5", "turn-6", "turn-7"]
    from roleplay.content.scenario import ListenerMove
    from roleplay.session import flow

    first = RoundPlay(loaded.model, 0).played  # type: ignore[arg-type]
    after_branch = flow.next_turn(first, "turn-0", ListenerMove.advice)
    assert after_branch is not None and after_branch.id == "closed-up"
    assert flow.next_turn(first, "closed-up", None) is None  # its next (turn-1) is part 2's: the part ends


GLOBAL_RUBRIC = """\
kind: rubric
id: g
title: G
description: d
scale:
  - {value: 1, label: Low}
  - {value: 2, label: Mid}
  - {value: 3, label: High}
criteria:
  - id: warm
    name: Warmth
    description: d
    scope: per_round
    descriptors: {1: a, 2: b, 3: c}
    thresholds: {fair: 2.5, good: 7}
  - id: level
    name: Level
    description: d
    descriptors: {1: a, 2: b, 3: c}
    examples: {1: one, 4: four}
  - id: back
    name: Backwards
    description: d
    descriptors: {1: a, 2: b, 3: c}
    thresholds: {fair: 3, good: 2}
    example_speaker: a line
"""


def test_criterion_thresholds_and_level_examples_are_checked(tmp_path: Path) -> None:
    """Thresholds sit on the scale in order; examples name scale levels and say what they answer."""
    path = write(tmp_path, "g.yaml", GLOBAL_RUBRIC)
    problems = {p.message: p for p in load_content_file(path, strict=True).problems}
    off = problems["threshold 'good' is 7, off the scale"]
    assert off.line == line_of(path, "good: 7") and "1 to 3" in (off.suggestion or "")
    assert problems["threshold 'fair' is above 'good'"].line == line_of(path, "fair: 3, good: 2")
    assert problems["example for level 4, which is not on the scale"].line == line_of(path, "examples:")
    no_speaker = "criterion 'level' has examples but no example_speaker: readers cannot tell what they answer"
    assert problems[no_speaker].severity is Severity.warning
    assert problems["criterion 'level' has no example for level(s) 2, 3"].severity is Severity.warning
    assert "criterion 'back' has an example_speaker but no examples" in problems
    assert "threshold 'fair' is 2.5, off the scale" not in problems


def test_turn_focus_must_name_a_check(tmp_path: Path) -> None:
    """A turn's focus is an automatic observer check; a misspelt one is an error with a suggestion."""
    data = scenario_dict(1)
    data["turns"][0]["focus"] = "shared_powr"
    path = write(tmp_path, "s.yaml", data)
    [problem] = [p for p in load_content_file(path, strict=True).problems if "focus" in p.message]
    assert problem.message == "unknown skill 'shared_powr': focus names an automatic observer check"
    assert problem.suggestion == "did you mean 'shared_power'?" and problem.line == line_of(path, "focus: shared_powr")


def test_a_duplicate_key_does_not_hide_the_other_errors(tmp_path: Path) -> None:
    """All problems at once: the duplicate key and the file's other mistakes in one report."""
    data = scenario_dict(1)
    data["difficulty"] = "intermediat"
    data["turns"][0]["branches"][0]["goto"] = "closed-upp"
    text = yaml.safe_dump(data, sort_keys=False).replace("title:", "title: First\ntitle:", 1)
    path = write(tmp_path, "s.yaml", text)
    loaded = load_content_file(path)
    messages = "\n".join(p.format() for p in loaded.problems)
    assert "duplicate key 'title'" in messages
    assert "did you mean 'intermediate'?" in messages
    assert "branch goes to turn 'closed-upp', which does not exist" in messages
    assert loaded.model is None


def test_number_mistakes_get_hints(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["minutes"] = "ten"
    data["persona"]["age"] = 5
    data["turns"][1]["only_via_branch"] = "maybe"
    path = write(tmp_path, "s.yaml", data)
    hints = {p.message.split(":")[0]: p.suggestion for p in load_content_file(path).errors}
    assert hints["minutes"] == "write the number in digits: 10"
    assert hints["persona.age"] == "the smallest allowed here is 10"
    assert hints["turns.1.only_via_branch"] == "write true or false"
    data["minutes"] = "a while"
    hints = {p.message.split(":")[0]: p.suggestion for p in load_content_file(write(tmp_path, "t.yaml", data)).errors}
    assert hints["minutes"] == "write a whole number in digits, e.g. 10"
