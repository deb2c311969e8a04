"""The automatic observer must not teach the wrong thing (issue 17, new-user trial of 2026-12-02).

Each test replays one finding of docs/new-user-trial-2026-12-02.md on the shipped turn it was seen on:

- F12: one stock line ("That sounds hard for you, is that right?") on every line earned the top level for
  checking understanding and letting the speaker lead, and 3 for "would the speaker feel heard?";
- F4: "Don't worry, it'll be fine" was headed *Affirmation* and rated "interchangeable";
- F7: merely not judging was rated "adds depth" (the top level), the advice line included;
- pattern D of docs/content-test.md: an open question on a new subject scored as one on the speaker's thread.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from roleplay.content.library import Library, load_library
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Turn
from roleplay.observer import observe
from roleplay.session.feedback import observe_response
from roleplay.session.solo import SoloRehearsal
from roleplay.session.solo_summary import SoloSummary
from roleplay.storage import MemorySink
from tests.unit.test_solo_support import fake_clock

STOCK = "That sounds hard for you, is that right?"
GOOD = ("So since Christmas your nights and days have kind of swapped round, and you're fed up with it. "
        "Have I got that right?")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEPLAY_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        mp.delenv("ROLEPLAY_LIBRARY", raising=False)
        return load_library(include_user=False, strict=True)


@pytest.fixture(scope="module")
def nights(library: Library) -> list[Turn]:
    return list(library.scenarios["nights-and-days"].model.turns)


@pytest.fixture(scope="module")
def rubric(library: Library) -> Rubric:
    return library.rubrics["active-listening"].model


def ratings(response: str, turn: Turn, rubric: Rubric, earlier: Sequence[str] = ()) -> dict[str, tuple[int, str]]:
    record = observe_response(response, turn, rubric, earlier)
    return {cid: (value, reason) for cid, value, reason in record.ratings}


# --- F12: a stock reply ---------------------------------------------------------------------------------

def test_a_stock_check_on_a_reply_that_gives_back_nothing_is_not_checking_understanding(
        nights: list[Turn], rubric: Rubric) -> None:
    got = ratings(STOCK, nights[0], rubric)
    value, reason = got["check_understanding"]
    assert value <= 2, reason
    assert "nothing the speaker said" in reason


def test_a_stock_reply_does_not_lead_or_make_the_speaker_feel_heard(nights: list[Turn], rubric: Rubric) -> None:
    got = ratings(STOCK, nights[0], rubric)
    assert got["speaker_led"][0] <= 2, got["speaker_led"]
    assert got["felt_heard"][0] <= 2, got["felt_heard"]
    assert got["paraphrase"][0] == 1
    assert "in own words" not in got["paraphrase"][1]


def test_the_stock_reply_on_every_line_never_reaches_interchangeable(nights: list[Turn], rubric: Rubric) -> None:
    earlier: list[str] = []
    for turn in nights[:6]:
        got = ratings(STOCK, turn, rubric, earlier)
        for criterion in ("check_understanding", "speaker_led", "felt_heard", "paraphrase"):
            assert got[criterion][0] <= 2, (turn.id, criterion, got[criterion])
        earlier.append(STOCK)


def test_the_rubrics_own_partly_there_example_is_partly_there(nights: list[Turn], rubric: Rubric) -> None:
    # The rubric's level 2 for reflecting a feeling quotes "that must be hard": the card must not call it level 1.
    value, reason = ratings(STOCK, nights[0], rubric)["reflect_feeling"]
    assert value == 2, reason
    assert "That sounds hard" in reason


def test_a_real_reflection_with_a_check_still_reaches_the_top(nights: list[Turn], rubric: Rubric) -> None:
    got = ratings(GOOD, nights[0], rubric)
    assert got["check_understanding"][0] == 4, got["check_understanding"]
    assert got["paraphrase"][0] >= 3, got["paraphrase"]
    assert got["speaker_led"][0] == 3, got["speaker_led"]


def test_a_stock_reply_is_named_as_such() -> None:
    obs = observe(STOCK, "My sleep's gone weird, I'm up till five and out cold till two.",
                  key_points=("His sleep pattern has flipped.",), feelings=("fed up",))
    assert obs.has("generic_reply")
    specific = observe("Up till five and out till two, that sounds hard, is that right?",
                       "My sleep's gone weird, I'm up till five and out cold till two.",
                       key_points=("His sleep pattern has flipped.",), feelings=("fed up",))
    assert not specific.has("generic_reply")


# --- F4: dismissing reassurance -------------------------------------------------------------------------

REASSURE = "Don't worry, it'll be fine. Loads of people go through phases like this."


def test_dismissing_reassurance_is_headed_reassurance_not_affirmation(nights: list[Turn]) -> None:
    obs = observe(REASSURE, nights[3].line, key_points=nights[3].key_points, feelings=nights[3].feelings)
    assert obs.label == "reassurance"
    # The normalising sentence is the same reassurance, not information.
    assert "giving_information" not in obs.behaviours
    assert any("Loads of people" in e for e in obs.signal("reassurance").evidence)  # type: ignore[union-attr]


def test_dismissing_reassurance_is_never_rated_interchangeable(nights: list[Turn], rubric: Rubric) -> None:
    got = ratings(REASSURE, nights[3], rubric)
    for criterion in ("speaker_led", "non_judgmental", "felt_heard", "paraphrase"):
        assert got[criterion][0] <= 2, (criterion, got[criterion])
    assert got["non_judgmental"][0] == 1
    assert "affirmation" not in got["paraphrase"][1]


def test_comfort_about_the_future_alone_stays_an_affirmation() -> None:
    # Hill's helping skills and ESConv file confidence in the person with affirmation; only telling them
    # not to feel it ("don't worry") makes the reply a reassurance.
    assert observe("You'll get through this.", "I failed again and I feel like giving up.").label == "affirmation"


# --- F7: not judging is not a strength of its own ------------------------------------------------------

def test_not_judging_is_interchangeable_at_most_and_a_should_is_partly_there(
        nights: list[Turn], rubric: Rubric) -> None:
    plain = ratings("Up till five and then out cold till two.", nights[0], rubric)
    assert plain["non_judgmental"][0] == 3, plain["non_judgmental"]
    advice = ratings("You should set a loud alarm and get up at eight every day.", nights[1], rubric)
    assert advice["non_judgmental"][0] <= 2, advice["non_judgmental"]
    assert "You should" in advice["non_judgmental"][1]


def test_warm_respect_for_the_speakers_own_way_reaches_the_top(nights: list[Turn], rubric: Rubric) -> None:
    got = ratings("It's your call how you want to play it. What would you like to do about the nights?",
                  nights[0], rubric)
    assert got["non_judgmental"][0] == 4, got["non_judgmental"]
    assert got["speaker_led"][0] == 4, got["speaker_led"]


# --- Pattern D: a question on a new subject -------------------------------------------------------------

@pytest.mark.parametrize("question", ["OK, no problem. So, how's work?", "Okay. So, how's everything else?"])
def test_an_open_question_on_a_new_subject_is_not_a_full_marks_open_question(question: str, nights: list[Turn],
                                                                            rubric: Rubric) -> None:
    value, reason = ratings(question, nights[0], rubric)["open_question"]
    assert value <= 2, reason
    assert "did not raise" in reason


def test_an_open_question_on_the_speakers_thread_keeps_full_marks(nights: list[Turn], rubric: Rubric) -> None:
    assert ratings("What's that been like for you?", nights[0], rubric)["open_question"][0] == 4
    assert ratings("How have the nights been since Christmas?", nights[0], rubric)["open_question"][0] == 4


# --- F12 and F7 in the solo summary ---------------------------------------------------------------------

def play(library: Library, replies: Sequence[str]) -> SoloSummary:
    """A solo round of "Nights and days" with ``replies`` (the last one repeated to the end)."""
    rehearsal = SoloRehearsal.create("Sam", library.scenarios["nights-and-days"].model,
                                     library.rubrics["active-listening"].model, MemorySink(), clock=fake_clock())
    rehearsal.start()
    number = 0
    while True:
        rehearsal.respond(replies[min(number, len(replies) - 1)])
        number += 1
        if rehearsal.next() is None:
            break
    rehearsal.end_round()
    return rehearsal.summary()


def went_well(summary: SoloSummary) -> str:
    return "\n".join(p.text for p in summary.strengths)


def test_the_stock_line_on_every_line_earns_no_strength_about_taking_in_the_line(library: Library) -> None:
    summary = play(library, [STOCK])
    shown = went_well(summary)
    for name in ("Checking understanding", "Letting the speaker lead", "Non-judgmental language",
                 "Would the speaker feel heard?", "Paraphrase of key points"):
        assert name not in shown, shown
    felt = next(c for c in summary.scores.criteria if c.criterion_id == "felt_heard")
    assert felt.mean is not None and felt.mean <= 2, felt


def test_not_judging_alone_is_never_what_went_well(library: Library) -> None:
    # The trial's careful run: the advice line and the reassurance are not judged, and that is no strength.
    summary = play(library, [
        "So since Christmas your nights and days have kind of swapped round, and you're not sure what to make of it.",
        "You should set a loud alarm and get up at eight every day.",
        "Your mum's up early for work and leaves you notes, and your sister teases you about it.",
        "The night feels like yours, quiet, with nobody expecting anything of you.",
        "Mm. Go on.",
    ])
    shown = went_well(summary)
    assert "no judging, labelling or minimising" not in shown
    assert "Non-judgmental language (Adds depth" not in shown
