"""What a reply shows beyond its label, for the suggested ratings (``rate.py``) and the card.

Small tests on one :class:`Observation`: whether it plays the feeling down, whether it is a stock reply
that holds nothing of the speaker's line, whether it points at feelings only in general, whether its
open questions leave the speaker's subject and whether its advice says what the speaker *must* do.
"""

from __future__ import annotations

from roleplay.observer.model import Observation


def ev(obs: Observation, name: str, limit: int = 2) -> str:
    """The first evidence of a signal, quoted, for a reason line."""
    sig = obs.signal(name)
    if sig is None or not sig.evidence:
        return ""
    return ", ".join(f"'{e}'" for e in sig.evidence[:limit])


def minimises(obs: Observation) -> bool:
    """True when the response plays the problem down or comforts too soon: a minimising phrase ("at
    least...", "lots of people would be glad of that"), or reassurance that is the main move (the label
    is reassurance, or affirmation, which comfort about the future votes for) rather than a part of a
    reflection or of the listener's own words ("I'm here for you"). The card's "minimises" flag and every
    rating use this one test."""
    return obs.has("minimisation") or (obs.has("reassurance") and obs.label in ("affirmation", "reassurance"))


def dismisses(obs: Observation) -> bool:
    """True when playing the feeling down is the reply's main move ("Don't worry, it'll be fine."), not
    a reassurance slipped in beside a reflection: the rubric's lowest level, not its second."""
    return minimises(obs) and obs.label in ("affirmation", "reassurance")


#: Words a reply uses to point at feelings in general terms ("that sounds hard"): the rubric's "partly
#: there" for reflecting a feeling, never a feeling of the speaker's named.
GENERAL_FEELING = frozenset({"hard", "tough", "difficult", "rough", "awful", "horrible", "heavy", "tricky",
                             "lot", "much", "stressful", "draining", "horrid", "grim"})


def general_feeling(obs: Observation) -> str:
    """The words of a reflection or sympathy phrase that point at feelings only in general ("That
    sounds hard"); empty when there are none."""
    for name in ("reflection", "sympathy"):
        sig = obs.signal(name)
        for text in sig.evidence if sig is not None else ():
            if not GENERAL_FEELING.isdisjoint(words(text)):
                return text
    return ""


def carries_nothing(obs: Observation) -> bool:
    """True when a reply that sounds like listening gives back nothing of this speaker's line (the
    ``generic_reply`` signal: no key point, feeling or word of the line, only stock words, so a "That
    sounds hard for you, is that right?" fits any line). Questions and minimal prompts are not held to
    this: they invite, they do not claim to reflect."""
    return obs.has("generic_reply")


#: The reason given when a reply gives back nothing of the speaker's line (see :func:`carries_nothing`).
GENERIC = "gives back nothing the speaker said: it would fit any line"


def minimising_words(obs: Observation) -> str:
    """The words that play the feeling down, quoted, for a reason line."""
    return ev(obs, "minimisation", 1) or ev(obs, "reassurance", 1)


def words(text: str) -> list[str]:
    """The lower-case words of a piece of evidence."""
    return "".join(c if c.isalnum() or c == "'" else " " for c in text.lower()).split()


#: The reason given when a reply is the same as one to an earlier line (a copy answers no line in particular).
REPEATED = "the same reply as to an earlier line, not an answer to this one"


#: Words by which advice says what the speaker must do (the rubric's "a 'should' slips in").
SHOULD_WORDS = frozenset({"should", "shouldn't", "must", "ought", "need", "needs", "have", "has", "gotta", "got"})


def should(obs: Observation) -> str:
    """The unasked advice of the reply that says what the speaker must do ("You should", "you need to"),
    or empty."""
    sig = obs.signal("advice_without_permission")
    for text in sig.evidence if sig is not None else ():
        if not SHOULD_WORDS.isdisjoint(words(text)):
            return text
    return ""


# Words by which a question points back at what the speaker said ("what was that like?", "how did it feel?").
_BACK = frozenset({"that", "this", "it", "those", "these", "there", "then", "feel", "feeling", "feels", "like",
                   "mean", "means", "matter", "matters", "said", "saying", "say", "mentioned", "happened", "part"})
# Words that turn a question to another subject ("anyway, how's...?").
_AWAY = frozenset({"anyway"})


def off_thread(obs: Observation) -> bool:
    """True when every open question of a reply to a speaker moves to another subject: it shares no word
    with the speaker's line, restates no key point, points back at nothing they said and hands no
    choice back ("So, how's work?", "How's everything else?"), or turns away with "anyway"."""
    if obs.length_ratio <= 0 or obs.key_points_captured or obs.has("shared_power"):
        return False
    sig = obs.signal("open_question")
    asked = [words(q) for q in (sig.evidence if sig is not None else ())]
    if any(not _AWAY.isdisjoint(ws) for ws in asked):
        return True
    return not obs.overlap and all(_BACK.isdisjoint(ws) for ws in asked)


