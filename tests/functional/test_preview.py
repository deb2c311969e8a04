"""Pilot tests of ``roleplay preview``: every part of a scenario, live reload, errors in place, rubric preview."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.tui.preview_app import PreviewApp, create_preview_app
from roleplay.tui.screens.preview import PreviewScreen

SIZE = (120, 40)
REPO = Path(__file__).resolve().parents[2]

SCENARIO = """\
kind: scenario
id: moving-flat
title: "Boxes everywhere"
summary: "Sam moved to a new town for work and has not unpacked after a month."
tags: [loneliness, change]
difficulty: intro
minutes: 8
content_notes:
  - "Loneliness after a move."
persona:
  name: Sam
  age: 34
  background: "Sam moved for a warehouse job a month ago and knows nobody in the town yet."
  wants: "To say out loud that it is harder than expected."
  how_to_play:
    - "Start flat and matter-of-fact; warm up if the listener reflects the feeling."
listener_brief: "Sam asked for a chat after a drop-in session. You know nothing else."
observer_focus:
  - "Does the listener name the loneliness without rushing to fix it?"
trainer_notes: "Tutor-only: watch for the pull to suggest clubs and apps."
turns:
  - id: still-boxes
    line: "Still got boxes in the hall. A month now. I keep meaning to sort them."
    cue: "Shrugs, half a laugh."
    key_points: ["A month since the move.", "Boxes still not unpacked."]
    feelings: ["flat", "stuck"]
    pitfalls: ["Offering an unpacking plan."]
    strong_examples:
      - text: "A month in and the boxes are still there. Sounds like it has been a lot."
        reason: "Gives back the facts and the weight under them."
    weak_examples:
      - text: "Just do one box a day."
        reason: "Advice nobody asked for."
    branches:
      - when: advice
        goto: not-the-boxes
        note: "Advice makes Sam defend the mess."
  - id: not-the-boxes
    only_via_branch: true
    line: "It's not really about the boxes, to be fair."
    key_points: ["The boxes stand for something else."]
    feelings: ["defensive"]
    strong_examples:
      - text: "Not the boxes. What is it about, then?"
        reason: "Follows Sam's lead back to what matters."
    weak_examples:
      - text: "Well, tidy space, tidy mind."
        reason: "A slogan instead of listening."
  - id: nobody-here
    line: "Evenings are the worst. I don't really know anyone here yet."
    key_points: ["Evenings are hardest.", "No friends in the new town yet."]
    feelings: ["lonely"]
    strong_examples:
      - text: "The evenings on your own are the hard bit."
        reason: "Reflects the feeling in Sam's terms."
    weak_examples:
      - text: "Have you tried a running club?"
        reason: "Jumps to a fix."
"""

RUBRIC = """\
kind: rubric
id: mini-listening
title: "Mini listening rubric"
description: "Two criteria and two tallies for a short practice."
scale:
  - {value: 1, label: "Misses", meaning: "The response takes the talk elsewhere."}
  - {value: 2, label: "Partly"}
  - {value: 3, label: "Interchangeable"}
criteria:
  - id: paraphrase
    name: "Paraphrase"
    description: "Key points given back in fresh words."
    hint: "Listen for the main point coming back."
    auto: paraphrase
    descriptors:
      1: "Drops what was said."
      2: "Catches part of it."
      3: "Gives it all back, with the feeling."
  - id: attending
    name: "Attending"
    description: "Nods, eye contact, open posture."
    scope: per_round
    observer_only: true
    descriptors:
      1: "Looks away often."
      3: "Steady, warm attention."
tallies:
  - {id: question_open, name: "Open question", description: "What, how, tell me.", key: o}
  - {id: reflection, name: "Reflection", description: "Gives back what was said.", key: r}
metrics:
  - id: r_to_q
    name: "Reflection-to-question ratio"
    numerator: [reflection]
    denominator: [question_open]
    thresholds: {fair: 1, good: 2}
"""


def write(path: Path, text: str) -> Path:
    """Write a content file (as a tutor's editor would save it)."""
    path.write_text(text, encoding="utf-8")
    return path


def preview_app(path: Path) -> PreviewApp:
    """The preview app polling fast, so tests do not wait long for a reload."""
    return create_preview_app(path, poll_interval=0.05, cursor_blink=False)


def screen_of(app: PreviewApp) -> PreviewScreen:
    screen = app.screen
    assert isinstance(screen, PreviewScreen)
    return screen


async def loaded(pilot, count: int = 1) -> PreviewScreen:
    """Wait (at most ~5 s) until the file has been loaded ``count`` times."""
    screen = screen_of(pilot.app)
    for _ in range(100):
        if screen.generation >= count:
            break
        await pilot.pause(0.05)
    assert screen.generation >= count, "the preview never (re)loaded the file"
    await pilot.pause()
    return screen


def text_of(screen: PreviewScreen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def tree_labels(screen: PreviewScreen) -> list[str]:
    """Every label in the branch tree, depth first, indented two spaces a level."""
    out: list[str] = []

    def walk(node, depth: int) -> None:
        for child in node.children:
            out.append("  " * depth + str(child.label))
            walk(child, depth + 1)

    walk(screen.query_one("#preview-tree").root, 0)
    return out


async def test_scenario_preview_shows_every_part(tmp_path: Path) -> None:
    """Summary, notes, persona, briefs, focus, trainer notes, turns with examples, and the branch tree."""
    app = preview_app(write(tmp_path / "scene.yaml", SCENARIO))
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        overview = text_of(screen, "#preview-overview")
        for part in ("Boxes everywhere", "has not unpacked after a month", "Loneliness after a move.",
                     "Persona card (speaker only): Sam, 34", "knows nobody in the town", "Wants:",
                     "Start flat and matter-of-fact", "Listener brief", "asked for a chat after a drop-in",
                     "Observer focus", "name the loneliness", "Trainer notes (tutor view only",
                     "Tutor-only: watch for the pull"):
            assert part in overview, part
        turns = text_of(screen, "#preview-turns")
        for part in ("1. still-boxes", "Cue (speaker only): Shrugs", "A month since the move.",
                     "Feelings: flat, stuck", "Offering an unpacking plan.", "✓ A month in and the boxes",
                     "why: Gives back the facts", "✗ Just do one box a day.", "why: Advice nobody asked for.",
                     "Branch: when advice → not-the-boxes: Advice makes Sam defend the mess.",
                     "⤷ not-the-boxes  (branch only)", "2. nobody-here", "Have you tried a running club?"):
            assert part in turns, part
        labels = tree_labels(screen)
        assert labels[0].startswith("1. still-boxes")
        assert labels[1].startswith("  when advice → not-the-boxes")
        assert labels[2].startswith("    ⤷ not-the-boxes")
        assert labels[3] == "    ↩ rejoins at 2. nobody-here"
        assert labels[4].startswith("2. nobody-here")
        assert len(labels) == 5
        assert "scenario, valid" in text_of(screen, "#preview-status")
        assert not screen.query_one("#preview-problems").display


async def test_invalid_save_shows_errors_and_keeps_last_good_then_fix_reloads(tmp_path: Path) -> None:
    path = write(tmp_path / "scene.yaml", SCENARIO)
    app = preview_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        broken = SCENARIO.replace("goto: not-the-boxes", "goto: not-the-box").replace("minutes: 8", "minutes: lots")
        write(path, broken)
        await loaded(pilot, 2)
        lines = broken.splitlines()
        goto_line = next(i for i, line in enumerate(lines, 1) if "goto: not-the-box" in line)
        minutes_line = next(i for i, line in enumerate(lines, 1) if line.startswith("minutes:"))
        errors = text_of(screen, "#preview-errors")
        assert screen.query_one("#preview-problems").display
        assert f"scene.yaml:{minutes_line}:10:" in errors
        assert f"scene.yaml:{goto_line}:15: branch goes to turn 'not-the-box', which does not exist" in errors
        assert "hint: did you mean 'not-the-boxes'?" in errors
        assert "2 errors in the saved file, showing the last version that loaded" in text_of(screen,
                                                                                             "#preview-status")
        # The last good version stays on screen.
        assert "Boxes everywhere" in text_of(screen, "#preview-overview")
        assert tree_labels(screen)[1].startswith("  when advice → not-the-boxes")

        write(path, SCENARIO.replace('title: "Boxes everywhere"', 'title: "Boxes in the hall"'))
        await loaded(pilot, 3)
        assert not screen.query_one("#preview-problems").display
        assert screen.errors == []
        assert "Boxes in the hall" in text_of(screen, "#preview-overview")
        assert "scenario, valid" in text_of(screen, "#preview-status")


async def test_first_load_invalid_shows_errors_and_nothing_else(tmp_path: Path) -> None:
    path = write(tmp_path / "scene.yaml", "kind: scenario\nid: x\ntitle: [unclosed\n")
    app = preview_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.shown is None
        assert "nothing to show until it loads" in text_of(screen, "#preview-status")
        assert "scene.yaml:4:1: YAML syntax" in text_of(screen, "#preview-errors")
        assert not screen.query_one("#preview-tree").display


async def test_markup_in_file_is_shown_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "scene.yaml", SCENARIO.replace("Tutor-only:", "[bold]Tutor-only[/]:"))
    async with preview_app(path).run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert "[bold]Tutor-only[/]:" in text_of(screen, "#preview-overview")


async def test_rubric_preview(tmp_path: Path) -> None:
    """Scale, criteria with a descriptor per level, scope, observer-only, auto check, tallies, metrics."""
    app = preview_app(write(tmp_path / "rubric.yaml", RUBRIC))
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        text = text_of(screen, "#preview-overview")
        for part in ("Mini listening rubric", "1  Misses: The response takes the talk elsewhere.",
                     "3  Interchangeable", "Paraphrase (paraphrase)", "per turn · weight 1",
                     "Look for: Listen for the main point", "Automatic check: paraphrase (key points",
                     "1 Misses: Drops what was said.", "2 Partly: Catches part of it.",
                     "3 Interchangeable: Gives it all back, with the feeling.",
                     "per round · weight 1 · observer only", "2 Partly: (no descriptor)",
                     "[o] Open question (question_open): What, how, tell me.", "[r] Reflection (reflection)",
                     "Reflection-to-question ratio (r_to_q) = reflection / question_open, as a ratio"
                     " · fair ≥ 1:1, good ≥ 2:1"):
            assert part in text, part
        assert not screen.query_one("#preview-tree").display
        assert not screen.query_one("#preview-turns").display
        # Strict warnings (attending has no descriptor for level 2) are listed as suggestions.
        assert "criterion 'attending' has no descriptor for level(s) 2" in text_of(screen, "#preview-warnings")
        assert screen.check_action("toggle_tree", ()) is False


async def test_reload_key_reloads_an_unchanged_file(tmp_path: Path) -> None:
    async with preview_app(write(tmp_path / "rubric.yaml", RUBRIC)).run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.pause(0.3)  # several polls: an unchanged file is not reloaded
        assert screen.generation == 1
        await pilot.press("r")
        await loaded(pilot, 2)


def test_cli_preview_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["preview", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_preview_help_does_not_import_textual() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from roleplay.cli import cli\n"
        "result = CliRunner().invoke(cli, ['preview', '--help'])\n"
        "assert result.exit_code == 0 and 'reload' in result.output, result.output\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["what-should-i-do", "first-meeting"])
async def test_shipped_scenarios_preview_with_every_turn_in_the_tree(name: str) -> None:
    """Every turn of a shipped branching scenario appears in the tree, none as unreachable."""
    app = preview_app(REPO / "scenarios" / f"{name}.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        labels = "\n".join(tree_labels(screen))
        assert screen.shown is not None
        for turn in screen.shown.model.turns:  # type: ignore[union-attr]
            assert f" {turn.id}  " in labels, turn.id
        assert "Not reached by any path" not in labels


async def test_preview_of_a_deeply_nested_file_shows_the_error(tmp_path: Path) -> None:
    """Issue 13 item 1: 11,400 nested `- ` killed preview with a segfault (this test's own process)."""
    path = write(tmp_path / "deep.yaml", "title:\n" + "- " * 11_400 + "x\n")
    async with preview_app(path).run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.shown is None
        assert "deep.yaml:2:" in text_of(screen, "#preview-errors")
        assert "nesting deeper than 64 levels" in text_of(screen, "#preview-errors")
