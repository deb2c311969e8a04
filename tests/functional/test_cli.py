"""The command line as a tutor uses it: exit codes, output formats, templates, and staying light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmarks.bench_validate import scenario_dict
from roleplay.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_validate_default_library_is_clean() -> None:
    code, out = run("validate", "--strict")
    assert code == 0, out
    assert "0 errors, 0 warnings" in out


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = scenario_dict(1)
    bad["difficulty"] = "hard"
    bad["turns"][0]["branches"][0]["goto"] = "nowhere"
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(bad, sort_keys=False), "utf-8")
    (tmp_path / "b.yaml").write_text("kind: rubric\n\tid: x\n", "utf-8")
    code, out = run("validate", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'a.yaml'}:" in out and f"{tmp_path / 'b.yaml'}:2:" in out
    assert "branch goes to turn 'nowhere'" in out and "difficulty" in out
    assert "Traceback" not in out
    assert "checked 2 files: 3 errors" in out


def test_validate_strict_warnings_fail(tmp_path: Path) -> None:
    data = scenario_dict(1)
    data["turns"][3]["key_points"] = []
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert run("validate", str(tmp_path))[0] == 0
    code, out = run("validate", "--strict", str(tmp_path))
    assert code == 1 and "warning: turn 'turn-2' has no key_points" in out


def test_usage_errors_exit_2() -> None:
    assert run("schema", "nonsense")[0] == 2
    assert run("list", "--format", "xml")[0] == 2
    assert run("no-such-command")[0] == 2


def test_list_json_has_the_documented_fields() -> None:
    code, out = run("list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"scenarios", "rubrics"}
    entry = next(s for s in data["scenarios"] if s["id"] == "quiet-flat")
    assert {"id", "title", "path", "difficulty", "tags", "turns", "minutes"} <= set(entry)
    assert entry["turns"] == 7 and entry["difficulty"] == "intro"
    assert {r["id"] for r in data["rubrics"]} >= {"active-listening"}


def test_library_override_is_reported(tmp_path: Path) -> None:
    data = scenario_dict(1) | {"id": "quiet-flat", "title": "My own quiet flat"}
    (tmp_path / "quiet-flat.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    result = CliRunner().invoke(cli, ["--library", str(tmp_path), "list", "--format", "json"])
    assert result.exit_code == 0
    scenarios = json.loads(result.stdout)["scenarios"]
    assert next(s for s in scenarios if s["id"] == "quiet-flat")["title"] == "My own quiet flat"
    assert "overrides the one in" in result.stderr


def test_env_library_is_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = scenario_dict(7)
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    monkeypatch.setenv("ROLEPLAY_LIBRARY", str(tmp_path))
    result = CliRunner().invoke(cli, ["list", "--format", "json"])
    assert "generated-7" in {s["id"] for s in json.loads(result.stdout)["scenarios"]}


def test_schema_is_json_schema() -> None:
    code, out = run("schema", "scenario")
    schema = json.loads(out)
    assert code == 0 and "turns" in schema["properties"]
    assert schema["properties"]["difficulty"]
    assert "additionalProperties" in json.dumps(schema)


@pytest.mark.parametrize("kind", ["scenario", "rubric"])
def test_new_template_validates_strictly(tmp_path: Path, kind: str) -> None:
    code, out = run("new", kind, "My First One", "--dir", str(tmp_path))
    assert code == 0, out
    path = tmp_path / "my-first-one.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    code, out = run("validate", str(path))
    assert code == 0, out
    # --strict flags the example text left in, each with its line, and nothing else
    code, out = run("validate", "--strict", str(path))
    about = "summary" if kind == "scenario" else "description"
    assert code == 1 and f"{about} is still the template's example text" in out, out
    assert "0 errors" in out and all("template's example text" in line
                                     for line in out.splitlines() if "warning:" in line)
    # once every placeholder is replaced, the file validates strictly
    from roleplay.content.template_check import placeholders

    text = path.read_text()
    for n, placeholder in enumerate(sorted(placeholders(kind), key=len, reverse=True)):
        text = text.replace(placeholder, f"Our own words for this part, number {n}.")
    path.write_text(text)
    code, out = run("validate", "--strict", str(path))
    assert code == 0, out
    assert run("new", kind, "My First One", "--dir", str(tmp_path))[0] == 1  # no silent overwrite


def test_template_parts_example_validates_once_uncommented(tmp_path: Path) -> None:
    from roleplay.content.validate import load_content_file

    assert run("new", "scenario", "In parts", "--dir", str(tmp_path))[0] == 0
    path = tmp_path / "in-parts.yaml"
    text = path.read_text()
    start = text.index("# parts:")
    body = "\n".join(line[2:] if line.startswith("# ") else line for line in text[start:].splitlines())
    path.write_text(text[:start] + body + "\n")
    loaded = load_content_file(path, strict=True)
    assert loaded.model is not None and len(loaded.model.parts) == 2  # type: ignore[attr-defined]
    assert not [p for p in loaded.problems if "part" in p.message], loaded.problems


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_examples(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0 and "Example" in out


def test_commands_that_do_not_open_the_app_never_import_textual(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from roleplay.cli import cli\n"
        "for args in (['--version'], ['validate'], ['list', '--format', 'json'], ['schema', 'rubric'],\n"
        f"             ['new', 'scenario', 'x', '--dir', {str(tmp_path)!r}]):\n"
        "    CliRunner().invoke(cli, args)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext'))\n"
        "print(bad)\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "roleplay", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip().startswith("roleplay ")


@pytest.mark.slow
def test_installed_wheel_finds_the_shipped_library(tmp_path: Path) -> None:
    """`pip install .` ships scenarios/ and rubrics/: built wheel, installed elsewhere, run from elsewhere."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    target = tmp_path / "site"
    [wheel] = wheels.glob("roleplay-*.whl")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", "import roleplay, runpy, sys; print(roleplay.__file__, "
                             "file=sys.stderr); sys.argv=['roleplay','list','--format','json']; "
                             "runpy.run_module('roleplay', run_name='__main__')"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stderr  # the installed copy ran, not the checkout
    data = json.loads(result.stdout)
    assert len(data["scenarios"]) >= 12 and data["rubrics"]
    assert all(str(target) in s["path"] for s in data["scenarios"])


def test_global_options_work_after_the_subcommand_too(tmp_path: Path) -> None:
    from roleplay.cli import hoist_global_options

    folder = tmp_path / "mine"
    data = scenario_dict(1)
    data["id"] = "my-own-scenario"
    folder.mkdir()
    (folder / "mine.yaml").write_text(yaml.safe_dump({"kind": "scenario", **data}, sort_keys=False))
    for args in (["list", "--library", str(folder)], ["list", f"--library={folder}", "--format", "json"],
                 ["--library", str(folder), "list"]):
        code, out = run(*args)
        assert code == 0 and "my-own-scenario" in out, (args, out)
    assert hoist_global_options(["report", "abc", "--data-dir", "D", "--format", "md"]) == [
        "--data-dir", "D", "report", "abc", "--format", "md"]
    assert hoist_global_options(["observe", "--", "--library", "x"]) == ["observe", "--", "--library", "x"]
    code, out = run("report", "nope", "--data-dir", str(tmp_path / "data"))
    assert code == 1 and "nope" in out  # the data folder given after the command was used


def test_sessions_lists_ids_for_report_and_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from roleplay.reports.sample import play_group
    from roleplay.session.plan import RoundPlay
    from roleplay.session.samples import sample_scenario
    from roleplay.storage import open_store

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    other = sample_scenario().model_copy(update={"id": "other-one", "title": "Other one"})
    with open_store(tmp_path / "data") as store:
        play_group(store, ("Ana", "Ben", "Cy"), session_id="done0001", start=1_700_000_000.0)
        play_group(store, ("Dee", "Eve"), session_id="open0002", start=1_700_100_000.0, finish=False)
        from roleplay.session.engine import PracticeSession
        from roleplay.session.samples import sample_rubric
        from roleplay.session.state import SessionConfig

        plays = (RoundPlay(sample_scenario()), RoundPlay(other))
        PracticeSession.create(SessionConfig(("Fay", "Gus"), sample_scenario(), sample_rubric(), plays=plays),
                               store, session_id="vary0003", clock=lambda: 1_700_200_000.0)
    base = ["--data-dir", str(tmp_path / "data")]
    code, out = run(*base, "sessions")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("ID") and "PEOPLE · SCENARIO" in lines[0]
    row = next(line for line in lines if line.startswith("done0001"))
    assert "2023-11-14 22:13" in row and "group typed" in row and "finished" in row
    assert "Ana, Ben, Cy · Sample: first weeks in a new job" in row and "3/3" in row
    assert "unfinished" in next(line for line in lines if line.startswith("open0002"))
    assert "(+1 more: one per round)" in next(line for line in lines if line.startswith("vary0003"))
    assert "roleplay report ID" in out
    code, out = run("sessions", "--person", "Dee", "--format", "json", *base)  # options after it work too
    listed = json.loads(out)
    assert [s["id"] for s in listed] == ["open0002"] and listed[0]["status"] == "unfinished"
    code, out = run(*base, "sessions", "--unfinished", "--format", "json")
    assert {s["id"] for s in json.loads(out)} == {"open0002", "vary0003"}
    code, out = run("--data-dir", str(tmp_path / "empty"), "sessions")
    assert code == 0 and "No saved sessions." in out
    monkeypatch.undo()
    time.tzset()
