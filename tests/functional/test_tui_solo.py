"""Pilot tests of solo rehearsal in the app: a full round end to end, try again, the branch, the summary
figures against values computed by hand from what was saved, and resuming after the app went away.

Content is the shipped library (the branch test needs ``what-should-i-do``: advice at the first line leads
to ``yes-but-rent``). The observer is being tuned, so the tests compare the screen with what the core
returns for the same inputs instead of hard-coding its labels; the one response that must be advice is
unambiguous.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.session.feedback_card import build_feedback
from roleplay.session.flow import expected_turn_count, turn_by_id
from roleplay.session.roles import AUTO_RATER
from roleplay.tui.app import RoleplayApp
from tests.apps import AppFactory, FakeClock, settle, shipped, text_of
from tests.functional.tui_steps import answer_remaining_lines, solo_respond, to_solo_play

#: The app of these tests: see the make_app fixture (conftest.py).
pytestmark = pytest.mark.app(loader=shipped)

SIZE = (120, 40)
ADVICE = "You should just quit the course and get a full-time job."
ANSWERS = (
    "So you're being pulled both ways and you're tired of carrying it alone. What matters most to you here?",
    "It sounds exhausting, nights at work and then lectures. How are you finding the resit?",
    "You're worried about letting your parents down. Have I got that right?",
    "What would you like to happen next?",
)




def check_card(app: RoleplayApp, text: str) -> None:
    """The card on screen shows what the core's feedback for ``text`` says."""
    solo = app.screen.solo
    turn = solo.current_turn
    earlier = [t.response for t in solo.round.turns if t.index < turn.index and t.response]
    expected = build_feedback(text, turn_by_id(solo.scenario, turn.turn_id), turn.index, solo.rubric,
                              len(turn.attempts) + 1, earlier)
    shown = text_of(app, "#feedback-body")
    assert f"Attempt {expected.attempt}" in shown
    assert f"Key points: {len(expected.captured)} of {len(expected.key_points)} captured" in shown
    for point in expected.captured:
        assert f"✓ {point.point}" in shown
    for point in expected.missed:
        assert f"✗ {point.point} (missed)" in shown
    for point in expected.unsure:
        assert f"? {point.point} (not sure)" in shown
    for span in expected.feelings_named:
        assert f"“{span.text}”" in shown
    for flag in expected.flags:
        assert flag.message in shown
    for suggestion in expected.suggestions:
        assert suggestion.reason in shown
    for example in expected.examples:
        assert example.text in shown
    assert text in shown  # the user's own words, as typed


async def test_full_round_branch_try_again_and_summary(make_app: AppFactory, tmp_path: Path) -> None:
    """A whole rehearsal: advice takes the branch, try again keeps both, the summary adds up."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        screen = app.screen
        solo = screen.solo
        assert solo.scenario.id == "what-should-i-do"
        first = solo.scenario.turns[0]
        assert first.line in text_of(app, "#solo-line")
        assert first.cue in text_of(app, "#solo-line")

        # Line 1: a reflection first, then try again with advice (both kept; only the latest counts).
        await solo_respond(pilot, ANSWERS[0])
        check_card(app, ANSWERS[0])
        await pilot.press("3", "down", "2")  # rate yourself: first two per-turn criteria
        await pilot.pause()
        turn = solo.current_turn
        assert turn.ratings[("Ana", solo.rubric.criteria[0].id)].value == 3
        assert turn.ratings[("Ana", solo.rubric.criteria[1].id)].value == 2
        assert "You and the observer" in text_of(app, "#feedback-body")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "attempt 2" in text_of(app, "#solo-where")
        assert "Attempt 1 (kept, not counted)" in text_of(app, "#feedback-body")
        await solo_respond(pilot, ADVICE)
        check_card(app, ADVICE)
        shown = text_of(app, "#feedback-body")
        assert "Attempt 1 (kept, not counted)" in shown and ANSWERS[0] in shown
        assert [f.response for f in solo.attempts()] == [ANSWERS[0], ADVICE]
        assert solo.feedback.branched  # advice at line 1 has a branch

        # Next: the branch is followed and the screen says why.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert solo.current_turn.turn_id == "yes-but-rent"
        assert turn_by_id(solo.scenario, "yes-but-rent").line in text_of(app, "#solo-line")
        assert "Branch taken" in text_of(app, "#solo-line")

        # Every remaining line: a response, then enter on the ratings goes to the next line.
        await answer_remaining_lines(pilot, ANSWERS, 2, check_card)
        await settle(pilot)
        assert type(app.screen).__name__ == "SoloSummaryScreen"
        assert app.screen.summary is not None
        summary_text = text_of(app, "#solo-summary-text")

        # Hand-computed from the saved state: latest attempts only.
        turns = solo.round.turns
        codes: dict[str, int] = {}
        for t in turns:
            for code in t.observed.behaviours:
                codes[code] = codes.get(code, 0) + 1
        questions = codes.get("question_open", 0) + codes.get("question_closed", 0)
        reflections = codes.get("reflection_simple", 0) + codes.get("reflection_complex", 0)
        if questions:
            assert f"Reflection-to-question ratio: {reflections / questions:.1f}:1" in summary_text
        if reflections:
            pct = 100 * codes.get("reflection_complex", 0) / reflections
            assert f"Percent complex reflections: {pct:.0f}%" in summary_text
        assert "fair from 1:1, good from 2:1" in summary_text
        assert "fair from 40%, good from 50%" in summary_text
        weighted, weights = 0.0, 0.0
        for criterion in solo.rubric.criteria:
            given = [t.ratings[(AUTO_RATER, criterion.id)].value for t in turns
                     if (AUTO_RATER, criterion.id) in t.ratings]
            if (AUTO_RATER, criterion.id) in solo.round.ratings:
                given.append(solo.round.ratings[(AUTO_RATER, criterion.id)].value)
            if given:
                mean = sum(given) / len(given)
                assert f"{criterion.name}" in summary_text
                assert f"{mean:.2f}" in summary_text
                weighted += criterion.weight * mean
                weights += criterion.weight
        overall_line = next(line for line in summary_text.splitlines() if "Overall (weighted)" in line)
        assert f"{weighted / weights:.2f}" in overall_line
        assert f"{len(turns)} lines answered, {len(turns) + 1} responses typed in all" in summary_text
        assert "stopped early" not in summary_text
        assert summary_text.index("What went well") < summary_text.index("Something to try next time")
        assert "first rehearsal of this scenario" in summary_text
        assert solo.session.finished


async def test_second_rehearsal_compares_with_the_first(make_app: AppFactory, tmp_path: Path) -> None:
    """The summary of a second rehearsal of the same scenario shows the change since the first."""
    clock = FakeClock()
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        for attempt in range(2):
            await to_solo_play(pilot)
            solo = app.screen.solo
            await solo_respond(pilot, ADVICE if attempt == 0 else ANSWERS[0])
            await pilot.press("ctrl+x")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert type(app.screen).__name__ == "SoloSummaryScreen"
            shown = text_of(app, "#solo-summary-text")
            lines = expected_turn_count(solo.scenario)  # stopped on the first line: the whole script is ahead
            assert f"1 line answered, 1 response typed in all · stopped early after 1 of {lines} lines" in shown
            clock.now += 86400
            if attempt == 0:
                await pilot.press("enter")
                await pilot.pause()
        earlier = app.screen.summary.earlier
        assert earlier is not None and earlier.count == 1
        assert "1 earlier rehearsal; best earlier overall" in shown
        assert solo.round.ended_early
        # Both runs stopped early: the comparison says so instead of comparing them as if complete.
        assert f"the last one stopped early after 1 line; this run stopped early after 1 of {lines} lines" in shown
        assert "1 earlier rehearsal(s)" not in shown


async def test_resume_after_the_app_went_away(make_app: AppFactory, tmp_path: Path) -> None:
    """Two lines answered (one with two attempts), the app closed unfinished; reopened, resume carries on."""
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        await solo_respond(pilot, ANSWERS[0])
        await pilot.press("ctrl+t")
        await pilot.pause()
        await solo_respond(pilot, ANSWERS[1])
        await pilot.press("ctrl+n")
        await pilot.pause()
        await solo_respond(pilot, ANSWERS[2])
        await pilot.press("ctrl+n")
        await pilot.pause()
        session_id = app.screen.solo.id
        expected_turn = app.screen.solo.current_turn.turn_id
        # No finish, no stop: the app simply goes away with the rehearsal in play.

    again = make_app(data)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.unfinished and again.unfinished[0].id == session_id
        assert again.unfinished[0].kind == "solo"
        await pilot.press("r")
        await pilot.pause()
        assert type(again.screen).__name__ == "SoloPlayScreen"
        solo = again.screen.solo
        assert solo.id == session_id
        assert solo.current_turn.turn_id == expected_turn
        assert solo.current_turn.index == 2
        assert "Line 3 of" in text_of(again, "#solo-where")
        first = solo.round.turns[0]
        assert [f.response for f in solo.attempts(0)] == [ANSWERS[0], ANSWERS[1]]
        assert first.response == ANSWERS[1]
        # Carry on: the next response is saved on the resumed line.
        await solo_respond(pilot, ANSWERS[3])
        assert solo.current_turn.response == ANSWERS[3]
        check_card(again, ANSWERS[3])


@pytest.mark.parametrize("typed", ["[bold]not markup[/]", "a [link=x]b[/link] c"])
async def test_response_shown_as_typed(make_app: AppFactory, tmp_path: Path, typed: str) -> None:
    """Markup-like text in a response is shown exactly as typed, evidence highlighting included."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        await solo_respond(pilot, typed)
        assert typed in text_of(app, "#feedback-body")
