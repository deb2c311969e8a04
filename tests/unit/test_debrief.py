"""Debriefs: strengths first, worded from the level reached; growth areas from the next level up.

Uses the worked example of ``test_scoring.py``: paraphrase 19/6 (reaches 3), speaker-led 5/2 (reaches 2),
feeling 9/4 (reaches 2), open-question 2 (reaches 2). Four criteria rated, so two growth areas and two
strengths.
"""

from __future__ import annotations

from roleplay.content.rubric import Scope
from roleplay.reports.markdown import session_markdown as record_markdown
from roleplay.reports.record import record_from_session
from roleplay.session.debrief import (
    build_debrief,
    choose_points,
    listener_results,
    next_level,
    reached_level,
    round_debrief,
)
from roleplay.session.samples import sample_rubric, scored_sample_session
from roleplay.session.scoring import CriterionScore

RUBRIC = sample_rubric()


def session_markdown(session) -> str:  # type: ignore[no-untyped-def]
    """A session's Markdown as the app saves it: the reports' renderer (the one renderer per output)."""
    return record_markdown(record_from_session(session))
DESCRIPTORS = {c.id: c.descriptors for c in RUBRIC.criteria}


def score(criterion_id: str, mean: float | None, weight: float = 1.0) -> CriterionScore:
    return CriterionScore(criterion_id, criterion_id, Scope.per_turn, weight, mean, 1)


def test_strengths_come_first_and_are_the_best_criteria() -> None:
    debrief = round_debrief(scored_sample_session(), 1)
    # Speaker leads reached level 2 of 4 ("Partly"): not yet a strength, so only paraphrase (level 3) is.
    assert [p.criterion_id for p in debrief.strengths] == ["paraphrase"]
    assert [p.level for p in debrief.strengths] == [3]
    assert debrief.strengths[0].descriptor == DESCRIPTORS["paraphrase"][3]
    assert DESCRIPTORS["paraphrase"][3] in debrief.strengths[0].text


def test_growth_areas_are_worded_from_the_next_level_up() -> None:
    debrief = round_debrief(scored_sample_session(), 1)
    assert [p.criterion_id for p in debrief.growth] == ["open-question", "feeling"]
    assert [p.level for p in debrief.growth] == [3, 3]
    assert debrief.growth[0].descriptor == DESCRIPTORS["open-question"][3]
    assert "try" in debrief.growth[0].text and DESCRIPTORS["open-question"][3] in debrief.growth[0].text
    assert not {p.criterion_id for p in debrief.strengths} & {p.criterion_id for p in debrief.growth}


def test_levels_reached_and_next() -> None:
    assert reached_level(RUBRIC.scale, 3.99).value == 3
    assert reached_level(RUBRIC.scale, 2.0).value == 2
    assert reached_level(RUBRIC.scale, 0.5).value == 1
    assert next_level(RUBRIC.scale, RUBRIC.scale[1]).value == 3  # type: ignore[union-attr]
    assert next_level(RUBRIC.scale, RUBRIC.scale[-1]) is None


def test_three_strengths_at_most_and_top_level_never_a_growth_area() -> None:
    scores = [score("paraphrase", 4.0), score("feeling", 4.0), score("open-question", 4.0),
              score("speaker-led", 4.0)]
    strengths, growth = choose_points(RUBRIC, scores)
    assert len(strengths) == 3 and growth == []  # nothing below the top: no slot kept back for growth
    scores = [score("paraphrase", 3.0), score("feeling", 1.0)]
    strengths, growth = choose_points(RUBRIC, scores)
    assert [p.criterion_id for p in strengths] == ["paraphrase"]
    assert [(p.criterion_id, p.level) for p in growth] == [("feeling", 2)]


def test_nothing_above_the_lowest_level_means_no_strengths_claimed() -> None:
    strengths, growth = choose_points(RUBRIC, [score("paraphrase", 1.0), score("feeling", 1.0)])
    assert strengths == []
    assert [p.descriptor for p in growth] == [DESCRIPTORS["paraphrase"][2]]


def test_ties_go_to_the_heavier_criterion() -> None:
    strengths, _ = choose_points(RUBRIC, [score("feeling", 3.0), score("paraphrase", 3.0, weight=2)])
    assert strengths[0].criterion_id == "paraphrase"


def test_unrated_round_has_an_empty_debrief() -> None:
    session = scored_sample_session()
    second = session.start_round()
    debrief = build_debrief(session.rubric, session.scenario, second)
    assert debrief.strengths == [] and debrief.growth == [] and debrief.scores.overall is None


def test_per_turn_detail_notes_and_agreement() -> None:
    debrief = round_debrief(scored_sample_session(), 1)
    assert [t.turn_id for t in debrief.turns] == ["opening", "lunch", "closing"]
    assert debrief.turns[0].ratings == {"Cleo": {"paraphrase": 3, "feeling": 2, "open-question": 1},
                                        "Dev": {"paraphrase": 3, "feeling": 3}}
    assert debrief.turns[1].tallies == {"reflection_complex": 3, "question_open": 1}
    texts = {(n.rater, n.turn_index, n.criterion_id, n.text) for n in debrief.notes}
    assert texts == {("Cleo", 0, None, "Warm tone throughout."),
                     ("Cleo", None, "speaker-led", "Let Ben's pauses do the work.")}
    assert debrief.agreement is not None and debrief.agreement.items == 6
    assert (debrief.speaker, debrief.listener, debrief.raters) == ("Ana", "Ben", ("Cleo", "Dev"))


def test_session_markdown_records_everything() -> None:
    session = scored_sample_session()
    session.start_round()
    session.record_response("| pipes | and [bold]markup[/] stay text 😀")
    text = session_markdown(session)
    assert text.startswith("# Practice session: Sample: first weeks in a new job")
    assert "| 1 | Ana | Ben | Cleo, Dev | Cleo, Dev |" in text  # round, speaker, listener, observers, raters
    assert "| 2 | Ben | Cleo | Dev, Ana | Dev, Ana |" in text
    assert "> \\| pipes \\| and \\[bold\\]markup\\[/\\] stay text 😀" in text  # inert: reads as typed
    assert "Restates the key points accurately in fresh words." in text
    assert "Observer agreement (Cleo and Dev, 6 items): 33% exact, 83% within one level" in text
    assert "| Paraphrase | 3.17 | – |" in text  # Ben's and Cleo's results side by side
    assert "| Overall | 2.62 | – |" in text
    assert "## Round 3: Dev listening\n\nNot played." in text


def test_listener_results_side_by_side() -> None:
    results = listener_results(scored_sample_session())
    assert [(r.name, r.played) for r in results] == [("Ben", True), ("Cleo", False), ("Dev", False),
                                                     ("Ana", False)]
    assert results[0].scores is not None and results[0].scores.overall is not None


def test_session_markdown_names_things_as_people_see_them() -> None:
    """The saved Markdown says "Paraphrase 3 (…)" and "Asked an open question", never the ids."""
    from roleplay.content.scenario import ListenerMove

    session = scored_sample_session()
    session.start_round()
    session.mark_move(ListenerMove.question_open)
    session.rate("Dev", "paraphrase", 3)
    session.change_tally("Dev", "question_open", 1)
    session.record_note("Dev", "Good pace.")
    text = session_markdown(session)
    assert "- Marked as: Asked an open question" in text
    assert "question_open" not in text and "reflection_simple" not in text
    assert "paraphrase 3" not in text and "open-question" not in text
    assert "- Dev (observer) rated: Paraphrase 3 (Interchangeable)" in text
    assert "- Dev counted: " in text and "Open question" in text
    assert "Note from Cleo (observer) on Speaker leads" in text  # the per-round note names its criterion


def test_what_went_well_never_lists_a_level_in_the_lower_half_of_the_scale() -> None:
    """A "Partly there" level carries "Next time" advice in its descriptor: it is a growth area."""
    strengths, growth = choose_points(RUBRIC, [score("paraphrase", 2.0), score("feeling", 2.4),
                                               score("open-question", 3.0)])
    assert [(p.criterion_id, p.level) for p in strengths] == [("open-question", 3)]
    assert [(p.criterion_id, p.level) for p in growth] == [("paraphrase", 3)]
    strengths, _ = choose_points(RUBRIC, [score("paraphrase", 2.0), score("feeling", 2.0)])
    assert strengths == []


def test_a_criterion_named_as_a_question_reads_well_as_a_growth_area() -> None:
    from roleplay.session.debrief import _point

    criterion = RUBRIC.criteria[0].model_copy(update={"name": "Would the speaker feel heard?"})
    text = _point(criterion, 2.0, RUBRIC.scale[2], growth=True).text
    assert text.startswith("Would the speaker feel heard? Try for Interchangeable: ")
    assert "?," not in text
    plain_name = _point(RUBRIC.criteria[0], 2.0, RUBRIC.scale[2], growth=True).text
    assert plain_name.startswith("Paraphrase, try for Interchangeable: ")


def test_the_debrief_says_when_nothing_was_rated_at_all() -> None:
    from roleplay.tui.screens.debrief import debrief_content

    session = scored_sample_session()
    session.start_round()
    session.end_round()
    empty = debrief_content(round_debrief(session, 2)).plain
    assert "Nothing was rated this round" in empty and "above the first level" not in empty
    low = scored_sample_session()
    low.start_round()
    for criterion in ("paraphrase", "feeling"):
        low.rate("Dev", criterion, 1)
    low.end_round()
    shown = debrief_content(round_debrief(low, 2)).plain
    assert "No rating reached the upper half of the scale yet" in shown
