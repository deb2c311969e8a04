"""The two rubrics of issue 18 played end to end in the app, as a triad and solo.

- ``global-ratings`` has no per-turn criteria and no tallies: every turn is confirmed without ratings,
  the four ratings are given once at the end, and the debrief gives each a band from its thresholds.
- ``empathy-levels`` rates each turn on five levels: solo, the automatic observer suggests a level for
  each response and the summary scores it; the per-round item is the speaker's own, so the observer
  leaves it alone.
"""

from __future__ import annotations

from roleplay.content.library import Library, load_library
from roleplay.session.debrief import round_debrief
from roleplay.session.roles import AUTO_RATER
from roleplay.tui.core import sample_library
from tests.apps import AppFactory
from tests.functional.tui_steps import answer_remaining_lines, to_play, to_solo_play

SIZE = (120, 40)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def library_with(rubric_id: str, scenario_id: str | None = None) -> Library:
    """A shipped rubric alone, with the core's sample scenario (or one shipped scenario)."""
    shipped = load_library((), include_user=False)
    sample = sample_library()
    scenarios = sample.scenarios if scenario_id is None else {scenario_id: shipped.scenarios[scenario_id]}
    return Library(scenarios=scenarios, rubrics={rubric_id: shipped.rubrics[rubric_id]}, agreements=sample.agreements)


def text_of(app, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector).render())


async def test_triad_with_global_ratings(make_app: AppFactory) -> None:
    """Turns are confirmed without ratings; the four globals once at the end; the debrief shows bands."""
    app = make_app(loader_now=lambda: library_with("global-ratings"))
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        session = app.session
        assert type(app.screen).__name__ == "PlayScreen"
        panel = app.screen.query_one("#panel")
        assert "Rated once, at the end of the round" in panel.render().plain
        for _ in range(10):  # each turn: nothing to rate per turn, enter confirms it
            if "Script finished" in text_of(app, "#play-where"):
                break
            await pilot.press("enter")
            await pilot.pause()
        assert "Script finished" in text_of(app, "#play-where")
        assert all(not t.ratings for t in session.rounds[0].turns)
        # Round ratings: empathy 4, partnership 3, strengths focus 5, warmth 2 (rubric order).
        await pilot.press("4", "3", "5", "2", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DebriefScreen"
        scores = {s.criterion_id: s for s in round_debrief(session, 1).scores.criteria}
        assert {cid: s.mean for cid, s in scores.items()} == {
            "empathy": 4, "partnership": 3, "strengths_focus": 5, "warmth": 2}
        assert [str(scores[c].band) for c in ("empathy", "partnership", "strengths_focus", "warmth")] == [
            "good", "below", "good", "below"]
        shown = text_of(app, "#debrief-text")
        assert "good (fair from 3.5, good from 4)" in shown  # empathy 4
        assert "below fair (fair from 3.5, good from 4)" in shown  # partnership 3
        assert "below fair (fair from 3, good from 4)" in shown  # warmth 2


async def test_solo_with_empathy_levels(make_app: AppFactory) -> None:
    """Solo: every response gets a suggested empathy level, the summary scores it; the speaker's own
    per-round item is never rated by the observer."""
    app = make_app(loader_now=lambda: library_with("empathy-levels", "third-go"))
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot, search="driving")
        solo = app.screen.solo
        assert solo.scenario.id == "third-go" and solo.rubric.id == "empathy-levels"
        answers = [ex.text for t in solo.scenario.turns if not t.only_via_branch for ex in t.strong_examples[:1]]
        await answer_remaining_lines(pilot, answers, 0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "SoloSummaryScreen"
        turns = solo.round.turns
        levels = [t.ratings[(AUTO_RATER, "empathy_level")].value for t in turns]
        assert len(levels) == len(turns) >= 7 and all(1 <= v <= 5 for v in levels)
        assert (AUTO_RATER, "felt_understood") not in solo.round.ratings
        summary = text_of(app, "#solo-summary-text")
        assert "Empathy level" in summary and f"{sum(levels) / len(levels):.2f}" in summary
