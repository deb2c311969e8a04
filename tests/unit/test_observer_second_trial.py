"""Wrong feedback met in a second new-user trial of solo rehearsal, on the user's sentences and close variants.

Three root causes: someone else's worry or comfort inside the speaker's story read as the listener
reassuring; feeling words missing from the lists, and the listener's own feeling ("I'm glad") read as
naming the speaker's; key points credited from common verbs met by chance ("held", "left") and missed
for plain synonyms (week/weekday, people around/company, cuppa/cup of tea, asking round/inviting).
"""

from __future__ import annotations

import pytest

from roleplay.content.scenario import Turn
from roleplay.observer import observe

MUM = "I told my mum I was fine so she wouldn't worry. But I'm not fine."


def _signal(response: str, name: str, speaker: str = MUM, **kw: object) -> tuple[str, ...]:
    found = observe(response, speaker, **kw).signal(name)  # type: ignore[arg-type]
    return found.evidence if found else ()


# --- 1. Someone else's worry, or a purpose, is the speaker's story ------------------------------------

@pytest.mark.parametrize("response", [
    "So you told your mum you were fine, so she wouldn't worry, and now you feel stuck.",
    "You didn't tell them so they wouldn't worry.",
    "You kept it from your dad so he doesn't worry.",
    "You hid it so that nobody would worry about you.",
    "Your mum said it'd be fine, and you went along with it.",
    "He told you it's not that bad, but it doesn't feel that way.",
])
def test_a_third_persons_comfort_is_not_the_listener_reassuring(response: str) -> None:
    obs = observe(response, MUM)
    assert obs.signal("minimisation") is None
    assert obs.signal("reassurance") is None
    assert obs.label != "affirmation"


@pytest.mark.parametrize("response, signal", [
    ("I wouldn't worry, it'll be fine.", "minimisation"),
    ("Don't worry, she said it's not that bad.", "minimisation"),
    ("I'm sure they'll be fine.", "reassurance"),
    ("I'm sure you'll be fine, so she wouldn't worry anyway.", "reassurance"),
])
def test_the_listeners_own_comfort_still_counts(response: str, signal: str) -> None:
    assert _signal(response, signal)


# --- 2. Feeling words, and whose feeling it is -----------------------------------------------------------

@pytest.mark.parametrize("response, word", [
    ("So you feel a bit flat and empty since it happened.", "a bit flat"),
    ("You felt daft for asking.", "daft"),
    ("And now you're feeling even more on the outside.", "on the outside"),
    ("You felt foolish.", "foolish"),
    ("You feel left out.", "left out"),
    ("You must be gutted.", "gutted"),
    ("You're fed up with it.", "fed up"),
    ("You get so wound up about it.", "so wound up"),
    ("You must be knackered.", "knackered"),
    ("You felt like an idiot afterwards.", "like an idiot"),
])
def test_common_feeling_words_are_named(response: str, word: str) -> None:
    assert word in _signal(response, "feeling_named")


@pytest.mark.parametrize("word, family", [
    ("flat", "sad"), ("daft", "ashamed"), ("on the outside", "lonely"), ("wound up", "angry"),
    ("knackered", "tired"), ("deflated", "disappointed"),
])
def test_new_feeling_words_have_their_family(word: str, family: str) -> None:
    from roleplay.observer.lexicon import emotion_family_of

    phrase = {"flat": "feel flat", "wound up": "so wound up"}.get(word, word)
    assert emotion_family_of(phrase) == family


@pytest.mark.parametrize("response", [
    "You spend all day in your flat.",      # a flat is a home
    "You wound up staying in.",             # "ended up"
])
def test_words_with_another_sense_are_not_feelings(response: str) -> None:
    assert _signal(response, "feeling_named") == ()


@pytest.mark.parametrize("response", [
    "I'm glad you did.",
    "I'm so glad you told me.",
    "I feel really sad hearing that, and you did the right thing.",
    "It makes me sad that you went through it.",
])
def test_the_listeners_own_feeling_does_not_name_the_speakers(response: str) -> None:
    assert _signal(response, "feeling_named") == ()


@pytest.mark.parametrize("response, word", [
    ("I'm glad you told me, it sounds lonely.", "lonely"),
    ("I can see you're glad you did.", "glad"),
    ("You must be so relieved.", "relieved"),
])
def test_the_speakers_feeling_still_counts_beside_the_listeners(response: str, word: str) -> None:
    ev = _signal(response, "feeling_named")
    assert word in ev
    assert "glad" not in ev or word == "glad"


# --- 3. Key points: specific words, and plain synonyms ----------------------------------------------------

NEIGHBOUR = Turn.model_validate({
    "id": "the-neighbour",
    "line": "There's a bloke in the flat downstairs. We nod on the stairs. I nearly said something, like, do you "
            "fancy a brew sometime. And then I just said cheers, mate and went back up.",
    "key_points": ["There is a neighbour he is on nodding terms with.",
                   "He nearly invited him for a cup of tea.",
                   "He held back and then felt foolish."],
})
TRIED = Turn.model_validate({
    "id": "tried-that",
    "line": "I did try. Got one of those meet-up apps, went to a board game night in a pub. Left at the break.",
    "key_points": ["He has already tried an app and a social event.",
                   "He felt on the edge of the group and left early.",
                   "The attempt left him more discouraged than before."],
})
FRIDAYS = Turn.model_validate({
    "id": "fridays",
    "line": "Weekdays are fine. There's always someone in the site cabin. Then Friday comes and they're all off home.",
    "key_points": ["During the week there is company and chat at work.",
                   "On Fridays his colleagues go home to their families.",
                   "He is left with nothing and no one for the weekend."],
})


def _captured(response: str, turn: Turn) -> dict[str, tuple[str, ...]]:
    obs = observe(response, turn.line, key_points=turn.key_points)
    return {s.detail: s.evidence for s in obs.signals if s.name == "key_point_captured"}


@pytest.mark.parametrize("response", [
    "You nearly asked him round. Is there something that's held you back from making friends at work?",
    "What held you back from saying more at the door?",
    "Did anything hold you back?",
])
def test_common_verbs_in_a_question_do_not_carry_a_feeling_point(response: str) -> None:
    assert "He held back and then felt foolish." not in _captured(response, NEIGHBOUR)


@pytest.mark.parametrize("response", [
    "You nearly invited him over for a brew, then held back and felt like an idiot.",
    "So you came close to asking your neighbour round for a cuppa, and then felt daft.",
])
def test_the_feeling_carries_the_held_back_point(response: str) -> None:
    assert "He held back and then felt foolish." in _captured(response, NEIGHBOUR)


@pytest.mark.parametrize("response", [
    "So you tried the app, and then you left at the break.",
    "You tried, and then you left.",
])
def test_tried_and_left_do_not_carry_the_discouragement(response: str) -> None:
    assert "The attempt left him more discouraged than before." not in _captured(response, TRIED)


def test_the_discouragement_itself_is_still_credited() -> None:
    assert "The attempt left him more discouraged than before." in _captured(
        "You tried, and it left you feeling even more discouraged.", TRIED)


@pytest.mark.parametrize("response", [
    "All week there are people around you.",
    "During the weekdays you've got company at work.",
    "Weekdays there's always someone around at work.",
])
def test_the_week_with_company_is_credited(response: str) -> None:
    assert "During the week there is company and chat at work." in _captured(response, FRIDAYS)


@pytest.mark.parametrize("response", [
    "You were close to asking your neighbour round for a cuppa.",
    "You nearly asked him over for a cup of coffee.",
    "You almost invited him in for a brew.",
])
def test_asking_round_for_a_cuppa_is_inviting_for_tea(response: str) -> None:
    assert "He nearly invited him for a cup of tea." in _captured(response, NEIGHBOUR)


def test_the_weekend_is_not_the_week() -> None:
    assert "During the week there is company and chat at work." not in _captured(
        "The weekend is the hard part.", FRIDAYS)


def test_back_is_not_a_word_for_help() -> None:
    from roleplay.observer.lexicon import canon_word

    assert canon_word("back") != canon_word("help")
