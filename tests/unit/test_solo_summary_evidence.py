"""The solo summary's words: strengths from what the observer found on the lines, honest plurals and
"stopped early" notes, and growth areas that never tell you to keep doing something you did not do.

The hand-built round: three lines of the shipped "Just tell me what to do" rated by the observer on
*Letting the speaker lead* 2, 4, 4 (mean 3.33: level 3, "Interchangeable"). Line 1 gave advice. The
level-3 descriptor says "with no advice"; the summary must not say that of this round.
"""

from __future__ import annotations

import re

import pytest

from roleplay.content.library import load_library
from roleplay.content.rubric import Rubric
from roleplay.session.debrief import choose_points
from roleplay.session.roles import AUTO_RATER, RoundRoles
from roleplay.session.scoring import score_round
from roleplay.session.solo import SoloRehearsal
from roleplay.session.solo_summary import evidence_growth, evidence_strength, plural, stopped_after
from roleplay.session.state import RatingEntry, RoundState, TurnState
from roleplay.storage import MemorySink
from tests.functional.test_tui_solo import ADVICE, ANSWERS

ADVICE_REASON = "advice without permission ('You should')"


@pytest.fixture(scope="module")
def shipped():
    return load_library(include_user=False)


def rated_round(rubric: Rubric, values: dict[str, list[tuple[int, str]]]) -> RoundState:
    """A round whose turns carry only the observer's ratings (value, reason) per criterion."""
    count = max(len(v) for v in values.values())
    turns = []
    for i in range(count):
        turn = TurnState(index=i, turn_id=f"t{i}", started_at=0.0, response="r", confirmed_at=1.0)
        for cid, given in values.items():
            if i < len(given):
                value, reason = given[i]
                turn.ratings[(AUTO_RATER, cid)] = RatingEntry(AUTO_RATER, cid, value, reason, 0.0)
        turns.append(turn)
    return RoundState(1, RoundRoles("app", "Ana", ()), started_at=0.0, ended_at=9.0, turns=turns)


def test_a_strength_quotes_the_lines_and_names_the_line_that_fell_short(shipped) -> None:
    rubric = shipped.rubrics["active-listening"].model
    round_state = rated_round(rubric, {"speaker_led": [
        (2, ADVICE_REASON), (4, "follows the speaker"), (4, "follows the speaker")]})
    strengths, _ = choose_points(rubric, score_round(rubric, round_state, (AUTO_RATER,)).criteria)
    assert [p.criterion_id for p in strengths] == ["speaker_led"] and strengths[0].level == 3
    descriptor = strengths[0].descriptor
    assert "no advice" in descriptor  # what the rubric's level 3 says...
    point = evidence_strength(rubric, round_state, strengths[0])
    assert point.text == ("Letting the speaker lead (Interchangeable or above on 2 of 3 lines): lines 2, 3: "
                          f"follows the speaker. Not yet on line 1: {ADVICE_REASON}")
    assert descriptor not in point.text and "no advice" not in point.text  # ...is not claimed of this round


def test_a_growth_area_shows_the_line_behind_it(shipped) -> None:
    rubric = shipped.rubrics["active-listening"].model
    round_state = rated_round(rubric, {
        "paraphrase": [(2, "restates 1 of 3 key points; mainly advice"), (1, "no paraphrase: mainly advice")],
        "speaker_led": [(4, "follows the speaker"), (4, "follows the speaker")],
        "non_judgmental": [(4, "no judging"), (4, "no judging")],
    })
    _, growth = choose_points(rubric, score_round(rubric, round_state, (AUTO_RATER,)).criteria)
    assert [p.criterion_id for p in growth] == ["paraphrase"]
    point = evidence_growth(round_state, growth[0])
    assert point.text.startswith("Paraphrase of key points, try for Partly there: ")
    assert point.text.endswith("(this time, line 2: no paraphrase: mainly advice)")


def test_no_growth_target_tells_you_to_keep_doing_it(shipped) -> None:
    """Any level above the lowest can be a growth target, so its descriptor must read as a target."""
    for entry in shipped.rubrics.values():
        lowest = min(level.value for level in entry.model.scale)
        for criterion in entry.model.criteria:
            for value, text in criterion.descriptors.items():
                if value > lowest:
                    assert not re.search(r"\bkeep doing\b", text, re.IGNORECASE), (entry.model.id, criterion.id)


def play(shipped, answers: list[str], stop: bool) -> SoloRehearsal:
    scenario = shipped.scenarios["what-should-i-do"].model
    rubric = shipped.rubrics["active-listening"].model
    solo = SoloRehearsal.create("Ana", scenario, rubric, MemorySink(), session_id="s1")
    solo.start()
    for i, text in enumerate(answers):
        solo.respond(text)
        if i + 1 < len(answers) or not stop:
            solo.next()
    solo.end_round()
    return solo


def test_strengths_of_a_real_round_never_repeat_a_descriptor(shipped) -> None:
    """The reported cases: advice given on a line; a two-line stopped run. Every strength cites lines the
    observer rated, with the observer's own reasons, and no descriptor text."""
    for answers in ([ADVICE, *ANSWERS[1:]], ANSWERS[:2]):
        solo = play(shipped, answers, stop=len(answers) == 2)
        summary = solo.summary()
        assert summary.strengths
        notes = {(t.index + 1, e.note) for t in solo.round.turns for (who, _), e in t.ratings.items()
                 if who == AUTO_RATER}
        for point in summary.strengths:
            assert point.descriptor not in point.text
            cited = re.findall(r"\blines? ([\d, ]+): ([^;.]+)", point.text)
            assert cited, point.text
            for lines, reason in cited:
                for line in lines.split(", "):
                    assert any(n == int(line) and note.startswith(reason.strip()) for n, note in notes), point.text
        assert not any("hands the lead back on purpose" in p.text for p in summary.strengths)


def test_stopped_after_counts_the_lines_of_the_path_taken(shipped) -> None:
    solo = play(shipped, ANSWERS[:2], stop=True)
    linear = len([t for t in solo.scenario.turns if not t.only_via_branch])
    assert stopped_after(solo.scenario, solo.round) == (2, linear)
    scenario = shipped.scenarios["what-should-i-do"].model
    full = SoloRehearsal.create("Ana", scenario, solo.rubric, MemorySink(), session_id="s2")
    full.start()
    while full.line is not None:
        full.respond(ANSWERS[0])
        full.next()
    full.end_round()
    assert not full.round.ended_early and stopped_after(scenario, full.round) is None


def test_plural() -> None:
    assert (plural(1, "line"), plural(2, "line"), plural(0, "response")) == ("1 line", "2 lines", "0 responses")
    assert plural(1, "earlier rehearsal") == "1 earlier rehearsal"


def test_a_strength_never_quotes_a_flagged_line_as_its_evidence(shipped) -> None:
    rubric = shipped.rubrics["active-listening"].model
    minimises = "minimises 'wouldn't worry'"
    # Line 1 was rated well enough (a minimising remark costs less than a judgment) but its reason is a flag.
    warm = "shows respect for the speaker's own way: 'It's your call'"
    round_state = rated_round(rubric, {"non_judgmental": [(3, minimises), (4, warm), (4, warm)]})
    strengths, _ = choose_points(rubric, score_round(rubric, round_state, (AUTO_RATER,)).criteria)
    point = next(p for p in strengths if p.criterion_id == "non_judgmental")
    text = evidence_strength(rubric, round_state, point).text
    before, _, after = text.partition("Even so")
    assert minimises not in before  # not cited as the strength's evidence...
    assert f"lines 2, 3: {warm}" in before
    assert f"watch line 1: {minimises}" in after  # ...but still named, as something to watch


def test_a_strength_with_only_flagged_lines_says_so(shipped) -> None:
    rubric = shipped.rubrics["active-listening"].model
    round_state = rated_round(rubric, {"non_judgmental": [(4, "minimises 'only'"), (4, "argues 'but'")]})
    strengths, _ = choose_points(rubric, score_round(rubric, round_state, (AUTO_RATER,)).criteria)
    point = next(p for p in strengths if p.criterion_id == "non_judgmental")
    text = evidence_strength(rubric, round_state, point).text
    assert "no line without a caveat" in text and text.index("minimises") > text.index("Even so")


@pytest.mark.parametrize("reason", [
    ADVICE_REASON, "minimises 'at least'", "label 'paranoid'", "judges 'silly'", "follows the speaker; 2.8x "
    "the speaker's length", "talks about themselves at length", "gives advice, though asked: the decision "
    "moves to the listener", "directs without being asked: 'you should'",
])
def test_problem_reasons_are_recognised(reason: str) -> None:
    from roleplay.session.solo_summary import is_problem

    assert is_problem(reason)


@pytest.mark.parametrize("reason", [
    "follows the speaker", "no judging, labelling or minimising", "open question: 'what'",
    "leaves the choice with the speaker: 'up to you'", "names 'tired', matching 1 of the turn's 2 feelings",
])
def test_good_reasons_are_not_problems(reason: str) -> None:
    from roleplay.session.solo_summary import is_problem

    assert not is_problem(reason)


@pytest.mark.parametrize("reason, absence", [
    ("no judging, labelling or minimising", True), ("no judging, labelling or minimising; not sure", True),
    ("leaves the lead with the speaker", True), ("follows the speaker", False),
    ("shows respect for the speaker's own way: 'up to you'", False),
])
def test_a_reason_that_only_says_a_fault_was_absent_is_no_strength(reason: str, absence: bool) -> None:
    """Not judging is true of a line but nothing the listener did (issue 17, F7)."""
    from roleplay.session.solo_summary import is_absence

    assert is_absence(reason) is absence


def test_a_feeling_is_not_credited_on_a_line_whose_turn_does_not_list_it(shipped) -> None:
    rubric = shipped.rubrics["active-listening"].model
    other = "names 'furious', not the feeling the turn is about"
    own = "names 'lonely', matching 1 of the turn's 2 feelings"
    round_state = rated_round(rubric, {"reflect_feeling": [(3, other), (4, own), (4, own)]})
    strengths, _ = choose_points(rubric, score_round(rubric, round_state, (AUTO_RATER,)).criteria)
    point = evidence_strength(rubric, round_state, next(p for p in strengths if p.criterion_id == "reflect_feeling"))
    assert "on 2 of 3 lines" in point.text
    assert f"lines 2, 3: {own}" in point.text
    assert f"Even so, watch line 1: {other}" in point.text


def test_the_same_reply_to_every_line_does_not_lead_the_summary(shipped) -> None:
    """A new user sent one reply to every line and read "Adds depth" on all of them for letting the
    speaker lead: a copy of an earlier reply answers no line in particular."""
    same = "What's that been like for you?"
    solo = play(shipped, [same] * 4, stop=True)
    led = [t.ratings[(AUTO_RATER, "speaker_led")] for t in solo.round.turns]
    assert len(led) == 4
    assert all(e.value < led[0].value for e in led[1:]), [e.value for e in led]
    assert all("the same reply as to an earlier line" in (e.note or "") for e in led[1:])
    summary = solo.summary()
    assert not any(p.criterion_id == "speaker_led" and "on 4 of 4 lines" in p.text for p in summary.strengths)
    assert [f.kind.value for f in solo.feedback_for(solo.round.turns[0].index).flags if f.kind.value == "repeats"] == []
    assert any(f.kind.value == "repeats" for f in solo.feedback_for(solo.round.turns[1].index).flags)
