"""Wrong feedback a new user met in solo rehearsal (issue 5), on the user's sentences and close variants.

Each group pins one root cause: intensity words read as feelings (a stem shared by "bit" and
"bitter"), key points matched too literally (irregular verbs, idioms, feeling families), the speaker's
own burden or doubt read as the listener's advice or reassurance, and a modal about someone else read
as an option offered. The last tests run the observer over the whole shipped library, as solo
rehearsal does, and check strong examples against weak ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roleplay.content.library import Library, load_library
from roleplay.content.scenario import Turn
from roleplay.observer import observe
from roleplay.observer.lexicon import canon_word, emotion_family_of, word_family

LONELY = "Since I moved I go days without speaking to anyone, and I'm so tired all the time."


def _signal(response: str, name: str, speaker: str = LONELY, **kw: object) -> tuple[str, ...]:
    found = observe(response, speaker, **kw).signal(name)  # type: ignore[arg-type]
    return found.evidence if found else ()


# --- 1. Intensity words are not feelings ----------------------------------------------------------------

@pytest.mark.parametrize("response, feelings", [
    ("It sounds a bit lonely.", ("lonely",)),
    ("So you're a bit lonely, and a bit tired of it.", ("lonely", "tired")),
    ("You sound a little lonely and quite worn out.", ("lonely", "worn out")),
    ("That took guts, and it sounds like it stung.", ("stung",)),
    ("You made the call even though you were scared.", ("scared",)),
])
def test_only_the_feeling_after_an_intensity_word_is_named(response: str, feelings: tuple[str, ...]) -> None:
    assert _signal(response, "feeling_named") == feelings


@pytest.mark.parametrize("word", ["bit", "bits", "guts", "gut", "made", "light", "rag", "scar"])
def test_words_sharing_a_stem_with_a_feeling_are_not_feelings(word: str) -> None:
    assert word_family(word) == ""
    assert emotion_family_of(word) is None


@pytest.mark.parametrize("word, family", [
    ("bitter", "angry"), ("worries", "anxious"), ("worried", "anxious"), ("hurting", "sad"),
    ("gutted", "sad"), ("mad", "angry"), ("lighter", "hopeful"), ("scared", "anxious"),
])
def test_feeling_words_still_match_in_their_regular_forms(word: str, family: str) -> None:
    assert word_family(word) == family


def test_a_bit_is_not_content_either() -> None:
    # "bit" shared with the speaker is no evidence of a paraphrase.
    assert "bit" not in _signal("It sounds a bit lonely.", "content_overlap", "I feel a bit lonely.")


# --- 2. Key points in similar words -------------------------------------------------------------------

TRIED = Turn.model_validate({
    "id": "tried-that",
    "line": "I did try. Got one of those meet-up apps, went to a board game night in a pub. Sat at the end of "
            "the table, nobody really explained the rules. Left at the break. Deleted the app on the bus home.",
    "key_points": ["He has already tried an app and a social event.",
                   "He felt on the edge of the group and left early.",
                   "The attempt left him more discouraged than before."],
    "feelings": ["discouraged", "embarrassed", "defensive"],
})


def _captured(response: str, turn: Turn = TRIED) -> list[str]:
    obs = observe(response, turn.line, key_points=turn.key_points, feelings=turn.feelings)
    return [s.detail for s in obs.signals if s.name == "key_point_captured"]


@pytest.mark.parametrize("word, base", [
    ("sat", "sit"), ("sitting", "sit"), ("left", "leave"), ("leaving", "leave"), ("told", "tell"),
    ("said", "say"), ("felt", "feel"), ("tried", "try"), ("trying", "try"), ("made", "make"),
])
def test_irregular_and_regular_forms_meet(word: str, base: str) -> None:
    assert canon_word(word) == canon_word(base)


def test_made_is_not_mad() -> None:
    assert canon_word("made") != canon_word("mad")


def test_the_users_response_is_credited() -> None:
    response = ("Sounds like you did put yourself out there and it didn't go how you hoped. Sitting at the end of "
                "the table while nobody explained the rules sounds embarrassing.")
    assert "The attempt left him more discouraged than before." in _captured(response)


def test_the_strong_example_gets_most_key_points() -> None:
    response = ("So you've already put yourself out there, and it ended with you sat at the end of a table and "
                "leaving early. That took guts, and it sounds like it stung.")
    got = _captured(response)
    assert "He felt on the edge of the group and left early." in got
    assert len(got) >= 2


@pytest.mark.parametrize("response", [
    "You had a go at it, a whole evening, and you ended up on the sidelines and leaving early.",
    "You gave it a try, and sat on the edge of things until you left early.",
    "You've tried already, and leaving early must have been disheartening.",
])
def test_close_variants_are_credited(response: str) -> None:
    assert len(_captured(response)) >= 2


def test_feeling_words_in_a_key_point_meet_their_family() -> None:
    # "discouraged" in the key point, "let down" in the response: one feeling family.
    assert "The attempt left him more discouraged than before." in _captured("That attempt left you feeling let down.")


def test_framing_words_alone_do_not_capture_a_point() -> None:
    # "felt" frames the key point; saying "you felt" is not carrying it.
    assert "He felt on the edge of the group and left early." not in _captured("You felt that, did you?")


def test_an_unrelated_response_captures_nothing() -> None:
    assert _captured("What kind of games do you like to play?") == []


def test_near_verbatim_repetition_is_credited_and_still_flagged() -> None:
    response = "You did try. You sat at the end of the table, nobody really explained the rules. You left at the break."
    obs = observe(response, TRIED.line, key_points=TRIED.key_points)
    assert obs.has("parroting")
    assert obs.key_points_captured >= 1


# --- 3. The speaker's burden is not advice ------------------------------------------------------------

PHONE = ("I told her I'd joined a five-a-side. I haven't. Now every week she asks how the football's going.")


@pytest.mark.parametrize("response", [
    "You didn't want your mum to worry, and now the made-up football has become something you have to keep up. "
    "That sounds like a heavy thing to carry.",
    "Now the football is something you have to keep up every single week.",
    "It's one more thing you need to remember each Sunday, which sounds tiring.",
    "It feels like you have to keep the story going.",
    "You feel you have to keep it up so she doesn't worry.",
    "And on top of that you're telling yourself you shouldn't be struggling.",
])
def test_a_burden_reported_back_is_not_advice(response: str) -> None:
    obs = observe(response, PHONE)
    assert obs.label == "reflection"
    assert not obs.has("advice")
    assert not obs.has("advice_without_permission")


@pytest.mark.parametrize("response", [
    "You have to tell her.",
    "I think you should tell her the truth.",
    "Maybe you need to tell her.",
    "Honestly, you have to come clean with her.",
    "What you need to do is tell her.",
])
def test_the_listener_directing_is_still_advice(response: str) -> None:
    assert observe(response, PHONE).label == "advice"


# --- 4. A reflected doubt is not reassurance ----------------------------------------------------------

@pytest.mark.parametrize("response", [
    "You're wondering whether it's normal to be this worn out.",
    "You're wondering if it's normal to feel this tired all the time.",
    "You're not sure whether it's normal to be this worn out.",
    "So you don't know if it's okay to feel like this.",
    "You wonder whether you'll be fine on your own.",
])
def test_a_reflected_doubt_stays_a_reflection(response: str) -> None:
    obs = observe(response, LONELY)
    assert obs.label == "reflection"
    assert not obs.has("reassurance")


@pytest.mark.parametrize("response", [
    "It's normal to be this worn out after a move.",
    "That's completely normal, you'll be fine.",
    "Honestly, it's totally normal to feel this way.",
])
def test_reassurance_and_suggestions_outside_a_reflected_doubt_still_count(response: str) -> None:
    # Dismissing comfort ("you'll be fine") is the roadblock reassurance, never an affirmation (issue 17, F4).
    assert observe(response, LONELY).label in ("reassurance", "affirmation", "advice")


# --- Examples from the shipped library (general misreadings they showed) ------------------------------

@pytest.mark.parametrize("response", [
    "Let me check I've got this. Back home it just happened, and now you'd have to build it, you're not sure "
    "you can. Is that it?",
    "It is a bit strange, sitting here. No rush. Start wherever you like.",
    "At work you were the one they came looking for, the person who could fix things.",
    "So that habit started back then, and you can feel it happening here too.",
])
def test_listener_steps_and_modals_about_others_are_not_advice(response: str) -> None:
    assert observe(response, LONELY).label != "advice"


@pytest.mark.parametrize("response, label", [
    # Comfort about how it will turn out: an affirmation (Hill, ESConv), the reassurance still flagged.
    ("Give it time, you'll bounce back.", "affirmation"),
    ("Three weeks is nothing, everybody struggles at the start. You'll settle in.", "affirmation"),
    ("I'm sure Pat didn't mean anything by it.", "affirmation"),
    ("You're not back at square one at all, look how far you've come!", "affirmation"),
    # Playing it down: labelled reassurance (the move scenarios branch on).
    ("Oh, everyone has mind blanks. I wouldn't worry about it.", "reassurance"),
    ("Don't be daft, you're clearly a likeable guy!", "reassurance"),
])
def test_premature_reassurance_is_affirmation_and_playing_it_down_is_reassurance(response: str, label: str) -> None:
    obs = observe(response, LONELY)
    assert obs.label == label
    assert obs.has("minimisation") if label == "reassurance" else (
        obs.has("reassurance") or obs.has("minimisation") or obs.has("affirmation"))


@pytest.mark.parametrize("response", [
    "You need more sleep. Nobody can learn anything that tired.",
    "Maybe this is a chance to retrain for something new.",
])
def test_unasked_suggestions_are_advice(response: str) -> None:
    assert observe(response, LONELY).label == "advice"


# --- The whole shipped library -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The shipped library only, with the user data folder pointed at a temp dir."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEPLAY_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        mp.delenv("ROLEPLAY_LIBRARY", raising=False)
        yield load_library(include_user=False)


def _share(response: str, turn: Turn) -> float:
    """Share of the turn's key points the observer credits, run as solo rehearsal runs it."""
    obs = observe(response, speaker=turn.line, key_points=turn.key_points, feelings=turn.feelings,
                  pitfalls=turn.pitfalls)
    return obs.key_points_captured / obs.key_points_total


def _shares(library: Library) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """Scenario id -> key-point shares of (first strong examples, all strong examples, weak examples)."""
    out = {}
    for sid, entry in library.scenarios.items():
        first, strong, weak = [], [], []
        for turn in entry.model.turns:
            if not turn.key_points:
                continue
            strong += [_share(e.text, turn) for e in turn.strong_examples]
            weak += [_share(e.text, turn) for e in turn.weak_examples]
            if turn.strong_examples:
                first.append(strong[-len(turn.strong_examples)])
        out[sid] = (first, strong, weak)
    return out


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def test_strong_examples_capture_more_key_points_than_weak_ones(library: Library) -> None:
    shares = _shares(library)
    assert len(shares) >= 10
    strong = [x for _, s, _ in shares.values() for x in s]
    weak = [x for _, _, w in shares.values() for x in w]
    assert _mean(strong) >= 2 * _mean(weak)
    # Scenario by scenario too (one turn's weak example may name more than a strong repair does).
    behind = [sid for sid, (_, s, w) in shares.items() if _mean(s) <= _mean(w)]
    assert len(behind) <= 1, behind


def test_first_strong_examples_capture_a_third_of_their_key_points(library: Library) -> None:
    # Measured 0.35 over the library: key points are often abstract ("She rejects the advice") and many
    # first strong examples are repairs or open questions that rightly restate little.
    first = [x for f, _, _ in _shares(library).values() for x in f]
    assert _mean(first) >= 0.33


def test_first_strong_examples_capture_half_their_key_points(library: Library) -> None:
    first = [x for f, _, _ in _shares(library).values() for x in f]
    assert _mean(first) >= 0.5
