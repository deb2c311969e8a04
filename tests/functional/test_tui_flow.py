"""End-to-end Pilot tests of group practice in the app: triad, pair and four, with hand-computed scores.

Content is the core's small sample scenario (3 linear turns, an ``advice`` branch) and rubric (three
per-turn criteria, paraphrase weighted 2, plus one per-round criterion, on a 1-4 scale).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.session.debrief import round_debrief
from tests.apps import AppFactory, screen_name, text_of
from tests.apps import sample as sample_library_now
from tests.functional.tui_steps import to_play, to_roles

SIZE = (120, 40)


async def rate_turn(pilot, *levels: int) -> None:
    """Rate the per-turn criteria in order with number keys, then confirm with enter."""
    await pilot.press(*(str(v) for v in levels), "enter")
    await pilot.pause()


async def after_round(pilot) -> None:
    """Debrief -> step out of role -> next screen."""
    assert screen_name(pilot.app) == "DebriefScreen"
    await pilot.press("enter")
    await pilot.pause()
    assert screen_name(pilot.app) == "DeroleScreen"
    await pilot.press("enter")
    await pilot.pause()




async def test_triad_three_rounds_end_to_end(make_app: AppFactory, tmp_path: Path) -> None:
    """Set-up to summary: rotation, branch following, stop early, scores against hand-computed values."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        session = app.session
        assert session is not None
        assert "Round 1 of 3" in text_of(app, "#roles-now")
        assert "Ana" in text_of(app, "#roles-now")

        # Round 1: Ana speaks, Ben listens, Cy observes.
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert "Speaker card hidden" in text_of(app, "#card-body")
        assert session.scenario.turns[0].line not in text_of(app, "#card-body")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert session.scenario.turns[0].line in text_of(app, "#card-body")
        assert "Watch for early advice" not in text_of(app, "#card-body")  # trainer notes never shown
        assert "Turn 1/3" in text_of(app, "#play-where")
        await rate_turn(pilot, 3, 2, 4)
        assert "Turn 2/3" in text_of(app, "#play-where")
        await rate_turn(pilot, 3, 3, 3)
        await rate_turn(pilot, 4, 2, 2)
        assert "Script finished" in text_of(app, "#play-where")
        await rate_turn(pilot, 3)  # the per-round criterion, then enter ends the round
        debrief = round_debrief(session, 1)
        assert session.rounds[0].roles.listener == "Ben"
        assert debrief.scores.criterion("paraphrase").mean == pytest.approx(10 / 3)
        assert debrief.scores.criterion("feeling").mean == pytest.approx(7 / 3)
        assert debrief.scores.criterion("open-question").mean == pytest.approx(3.0)
        assert debrief.scores.overall == pytest.approx(3.0)  # (2*10/3 + 7/3 + 3 + 3) / 5
        shown = text_of(app, "#debrief-text")
        assert shown.index("What went well") < shown.index("Something to try next time")
        assert "3.00" in shown
        await after_round(pilot)

        # Round 2: Ben speaks, Cy listens, Ana observes; the advice branch is followed.
        assert screen_name(app) == "RolesScreen"
        assert "Round 2 of 3" in text_of(app, "#roles-now")
        await pilot.press("enter")
        await pilot.pause()
        roles = session.current_round.roles
        assert (roles.speaker, roles.listener, roles.observers) == ("Ben", "Cy", ("Ana",))
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen_name(app) == "MoveDialog"
        await pilot.press("down", "down", "down", "down", "enter")  # "Gave advice"
        await pilot.pause()
        assert session.current_turn.move == "advice"
        await rate_turn(pilot, 2, 2, 2)
        assert session.current_turn.turn_id == "pushback"
        await rate_turn(pilot, 2, 2, 2)
        await rate_turn(pilot, 2, 2, 2)
        await rate_turn(pilot, 1)
        assert [t.turn_id for t in session.rounds[1].turns] == ["opening", "pushback", "closing"]
        assert round_debrief(session, 2).scores.overall == pytest.approx(9 / 5)
        await after_round(pilot)

        # Round 3: Cy speaks, Ana listens, Ben observes; stopped early after one turn.
        await pilot.press("enter")
        await pilot.pause()
        assert session.current_round.roles.listener == "Ana"
        await rate_turn(pilot, 4, 4, 4)
        await pilot.press("ctrl+x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert session.rounds[2].ended_early
        assert round_debrief(session, 3).scores.overall == pytest.approx(4.0)
        assert "stopped early" in text_of(app, "#debrief-text")
        await after_round(pilot)

        # Summary: everyone played every role once, results side by side.
        assert screen_name(app) == "SummaryScreen"
        for name in ("Ana", "Ben", "Cy"):
            played = [r.roles.role_of(name) for r in session.rounds]
            assert sorted(played) == ["listener", "observer", "speaker"]
        table = app.screen.query_one("#results")
        # each heading is the name over its round, so three listeners fit the width
        assert [str(c.label) for c in table.columns.values()][1:] == [
            "Ben\n(round 1)", "Cy\n(round 2)", "Ana\n(round 3)"]
        overall = [str(cell) for cell in table.get_row_at(table.row_count - 1)]
        assert overall[1:] == ["3.00", "1.80", "4.00"]
        assert session.finished
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = app.screen.saved_path
        assert saved.is_file() and saved.is_relative_to(tmp_path)
        assert "Ben" in saved.read_text(encoding="utf-8")
        assert str(saved) in text_of(app, "#saved-path")


async def test_pair_speaker_rates_two_rounds(make_app: AppFactory, tmp_path: Path) -> None:
    """A pair: two rounds, no observer, the speaker rates; typed responses go into the transcript."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["Dee", "Eli"], typed=True)
        session = app.session
        assert len(session.rounds) == 2
        for number, (speaker, listener) in enumerate([("Dee", "Eli"), ("Eli", "Dee")], start=1):
            await pilot.press("enter")
            await pilot.pause()
            assert session.current_round.roles.raters == (speaker,)
            assert session.current_round.roles.listener == listener
            assert "how heard did you feel" in str(app.screen.query_one("#panel").render())
            assert app.focused is app.screen.query_one("#response")
            await pilot.press(*"you feel out of place", "enter")
            await pilot.pause()
            assert session.current_round.turns[0].response == "you feel out of place"
            assert app.focused is app.screen.query_one("#panel")
            await rate_turn(pilot, 3, 3, 3)
            assert "you feel out of place" in text_of(app, "#transcript-body")
            assert app.focused is app.screen.query_one("#response")  # typed mode: next response
            await pilot.press("ctrl+x", "y")  # ctrl+x works from the response box too
            await pilot.pause()
            assert round_debrief(session, number).scores.overall == pytest.approx(3.0)
            await after_round(pilot)
        assert screen_name(app) == "SummaryScreen"


async def test_four_two_observers_and_agreement(make_app: AppFactory, tmp_path: Path) -> None:
    """Four people: four rounds, two observers each rate in turn, agreement shown in the debrief."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["Fay", "Gus", "Hal", "Ivy"])
        session = app.session
        assert len(session.rounds) == 4
        await pilot.press("enter")
        await pilot.pause()
        assert session.current_round.roles.observers == ("Hal", "Ivy")
        await rate_turn(pilot, 3, 3, 3)  # Hal, then the panel hands over to Ivy
        assert session.current_turn.index == 0
        await rate_turn(pilot, 3, 2, 3)  # Ivy: now the turn is confirmed
        assert session.current_turn.index == 1
        await pilot.press("ctrl+x", "y")
        await pilot.pause()
        agreement = round_debrief(session, 1).agreement
        assert agreement is not None and agreement.items == 3
        assert agreement.exact_percent == pytest.approx(200 / 3)
        assert "Agreement between the two observers" in text_of(app, "#debrief-text")
        counts = {name: [r.roles.role_of(name) for r in session.rounds] for name in session.order}
        for roles in counts.values():
            assert sorted(roles) == ["listener", "observer", "observer", "speaker"]


def counts_library():
    """The sample scenario with the shipped behaviour-counts rubric (tallies, metrics, per-round globals)."""
    from roleplay.content.library import Library, load_library

    sample = sample_library_now()
    shipped = load_library((), include_user=False)
    return Library(scenarios=sample.scenarios, rubrics={"behaviour-counts": shipped.rubrics["behaviour-counts"]},
                   agreements=sample.agreements)


async def test_behaviour_counts_on_play_screen_and_debrief_metrics(make_app: AppFactory, tmp_path: Path) -> None:
    """Triad with behaviour counts: tally letters (add, shift and "-" take away), live metrics, debrief."""
    app = make_app(tmp_path / "data", loader_now=counts_library)
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        session = app.session
        tallies = app.screen.query_one("#tallies")
        assert app.focused is tallies  # no per-turn criteria: the counts panel is on show
        # Turn 1: open question x2, simple and complex reflection, then "-" "o" takes one open away.
        # o and x are also letters the play screen once used (other observer, stop): not any more.
        await pilot.press("o", "o", "s", "x", "minus", "o")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        turn = session.current_turn
        assert turn.tallies == {("Cy", "question_open"): 1, ("Cy", "reflection_simple"): 1,
                                ("Cy", "reflection_complex"): 1}
        await pilot.press("enter")
        # Turn 2: closed question, complex x2 then shift+x takes one away.
        await pilot.press("c", "x", "x", "X")
        await pilot.pause()
        shown = tallies.render().plain
        # Live, so far: reflections 1 + 2 = 3, questions 1 + 1 = 2; complex 2 of 3.
        assert "R:Q 1.5:1 fair" in shown
        assert "%CR 67% good" in shown
        await pilot.press("enter")
        # Turn 3: two simple reflections and an affirmation.
        await pilot.press("s", "s", "a", "enter")
        await pilot.pause()
        assert "Script finished" in text_of(app, "#play-where")
        assert app.focused is app.screen.query_one("#panel")  # round ratings: partnership, empathy
        await pilot.press("4", "3", "enter")
        await pilot.pause()
        assert screen_name(app) == "DebriefScreen"
        scores = round_debrief(session, 1).scores
        # By hand: open 1, closed 1, simple 1 + 2 = 3, complex 1 + 1 = 2, affirmation 1.
        assert {k: v for k, v in scores.tallies.items() if v} == {
            "question_open": 1, "question_closed": 1, "reflection_simple": 3, "reflection_complex": 2,
            "affirmation": 1}
        metrics = {m.metric_id: m for m in scores.metrics}
        assert metrics["r_to_q"].value == pytest.approx(5 / 2)  # reflections 5 / questions 2
        assert metrics["r_to_q"].band == "good"
        assert metrics["percent_complex"].value == pytest.approx(40.0)  # 2 / 5
        assert metrics["percent_complex"].band == "fair"
        assert scores.criterion("partnership").mean == 4 and scores.criterion("empathy").mean == 3
        text = text_of(app, "#debrief-text")
        assert "Reflection-to-question ratio: 2.5:1 (good" in text
        assert "Complex reflections: 40% (fair" in text
        assert "Simple reflection 3" in text


async def test_keys_typed_in_a_burst_reach_the_right_fields(make_app: AppFactory, tmp_path: Path) -> None:
    """"g", names and tabs queued at once (as tmux or a fast typist sends them) fill each field in turn."""
    from textual import events

    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in ["g", *"Ana", "tab", *"Ben", "tab", *"Cy"]:  # every key queued before any is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(50):
            await pilot.pause(0.05)
            if screen_name(app) == "SetupScreen" and app.screen.query_one("#name-2").value == "Cy":
                break
        assert [app.screen.query_one(f"#name-{i}").value for i in range(3)] == ["Ana", "Ben", "Cy"]
