"""The act of a sentence with no cue: read from who it is about, its modals and its length.

"I had a job like that" is about the listener (self-disclosure); "you could ask for a later shift"
offers an option (advice); "you've had a long week" is about the speaker (a plain reflection);
a sentence about neither is information. The word sets behind these readings are in
``data/words.yaml``.
"""

from __future__ import annotations

from roleplay.observer.lexicon import feeling_words
from roleplay.observer.sentences import Sentence
from roleplay.observer.weights import (
    FIRST_PERSON,
    OPINION_VERBS,
    OPTION_MODALS,
    RELATIVE_WORDS,
    SECOND_PERSON,
    STATE_VERBS,
)


def fallback_act(sent: Sentence, toks: list[str], overlap: float) -> tuple[str, float]:
    """An act for a sentence with no cue, from its pronouns and its length."""
    if sent.n <= 3:
        return "other", 0.6
    words = toks[sent.start : sent.end]
    first = sum(1 for w in words if w in FIRST_PERSON) - _opinion_frames(words)
    second = sum(1 for w in words if w in SECOND_PERSON)
    if first > second:
        return "self_disclosure", 0.9
    if _offers_option(words) and "speaker_frame" not in sent.cues:  # not "something you should keep up"
        # "You could leave early", "talking to her might help": a modal that offers an option (MISC: advise).
        return "advice", 0.6
    if second:
        return "reflection", 1.0 if overlap >= 0.25 else 0.6
    return "information", 0.7


def _opinion_frames(words: list[str]) -> int:
    """How many times "I" opens an opinion ("I think", "I don't think", "I really believe").

    Such an "I" frames a view of something else, so it does not make the sentence self-disclosure.
    """
    count = 0
    for i, w in enumerate(words):
        if w == "i":
            j = i + 1
            while j < len(words) and words[j] in _OPINION_FILLERS:
                j += 1
            if j < len(words) and words[j] in OPINION_VERBS:
                count += 1
    return count


# Words allowed between "I" and an opinion verb ("I don't really think").
_OPINION_FILLERS = frozenset({"do", "don't", "dont", "not", "really", "honestly", "truly", "just", "personally",
                              "also", "still", "would", "definitely", "kind", "of", "sort"})


def _offers_option(words: list[str]) -> bool:
    """True for "you could leave early": a modal that offers the speaker an option.

    Not a modal that guesses at a feeling (:func:`_guessed_feeling`) or at what the person senses
    ("you can feel it happening", "asking would feel like..."), nor one in a clause about someone
    else ("the person who could fix things").
    """
    for i, w in enumerate(words):
        if w in OPTION_MODALS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if (nxt in ("feel", "have") or (i and words[i - 1] in RELATIVE_WORDS)
                    or _guessed_feeling(words[i:])):  # "could have" looks back: no option now
                continue
            # The option is the speaker's only when "you" is the modal's subject ("you could ask"), not
            # "it may have", "I can tell" or "it would be good to hear" (an adverb may sit between).
            j = i - 1
            while j >= 0 and words[j] in _MODAL_ADVERBS:
                j -= 1
            subject = words[j] if j >= 0 else ""
            if subject in SECOND_PERSON or (subject == "we" and w in _TENTATIVE):
                return True
            # Other subjects offer an option when a tentative modal rates a step ("talking to her might
            # help", "a walk would be good"); "deep breaths can help" states a general fact. The
            # listener's "I would start small" says what they would do in the person's place.
            if w in _TENTATIVE and (nxt == "help" or (nxt == "be" and _rates_step(words, i + 2))):
                return True
            if subject == "i" and w == "would" and nxt and nxt not in _NOT_A_STEP:
                return True
    return False


def _rates_step(words: list[str], k: int) -> bool:
    """True when the words at ``k`` (after "would be") rate a step: "helpful", "a good idea", "worth it"."""
    if k < len(words) and words[k] == "a":
        k += 1
    while k < len(words) and words[k] in _MODAL_ADVERBS:
        k += 1
    return k < len(words) and words[k] in _STEP_PRAISE


# Modals that offer a step tentatively ("it might help"), unlike "can" in a general fact.
_TENTATIVE = frozenset({"could", "might", "may", "would", "should"})
# Words after "would be" / "might be" that rate a step ("would be helpful", "might be worth a try").
_STEP_PRAISE = frozenset({"helpful", "good", "great", "useful", "worth", "nice", "beneficial", "best", "better",
                          "wise", "smart", "perfect", "ideal", "healthy", "okay", "ok", "fine"})
# Words after "I would" that are not a step the listener would take ("I would be upset too").
_NOT_A_STEP = frozenset({"be", "have", "feel", "like", "love", "say", "think", "guess", "imagine", "want", "hope",
                         "not", "never", "probably", "also", "too", "agree", "understand", "hate", "get"})
# Words that may stand between "you" and its modal ("you really should", "you also could").
_MODAL_ADVERBS = frozenset({"also", "always", "still", "just", "maybe", "perhaps", "really", "even", "probably",
                            "definitely", "certainly", "then", "too", "both", "all", "very", "so", "quite"})


def _guessed_feeling(words: list[str]) -> bool:
    """True for "you may feel let down", "you might be scared": a modal that guesses at a feeling.

    Such a modal is epistemic (a tentative reflection of feeling), not an option to act on.
    """
    for i, w in enumerate(words[:-1]):
        if w in OPTION_MODALS and words[i + 1] in STATE_VERBS:
            return bool(feeling_words(words[i + 2 :]))
    return False
