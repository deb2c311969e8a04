"""How strongly each cue points to a label, and the small fixed word sets the analysis uses.

These are judgment calls about listening behaviour, written by hand (not fitted to any data set):
a question that is really a suggestion counts more as advice than as a question, a reflection cue
counts more than a polite "I'm sorry", and a greeting counts least.
"""

from __future__ import annotations

#: Sentence act -> weight of its vote for the response's label.
ACT_WEIGHT: dict[str, float] = {
    "question_as_advice": 3.2,
    "reflective_question": 3.0,
    "check_understanding": 3.0,
    "open_question": 2.6,
    "closed_question": 2.4,
    "advice_start": 2.9,
    "advice": 2.9,
    "judgment": 2.0,
    "persuade": 2.0,
    "reflection": 2.7,
    "affirmation": 2.8,
    "self_disclosure": 2.55,
    "reassurance": 2.75,
    "autonomy": 2.0,
    "shared_power": 2.6,
    "permission": 1.5,
    "minimisation": 1.6,
    "information": 1.5,
    "sympathy": 0.8,
    "other": 1.2,
    "closing": 2.8,
    "social_question": 2.7,
    "reflective_start": 0.9,
    "open_question_start": 0.0,
    "closed_question_start": 0.0,
    "advice_question_start": 0.0,
    #: Cues at or above this weight beat a greeting in a short sentence.
    "strong": 2.0,
}

#: Order used to break ties between labels with the same score.
LABEL_ORDER: tuple[str, ...] = (
    "advice",
    "reflection",
    "question_open",
    "question_closed",
    "self_disclosure",
    "affirmation",
    "information",
    "other",
)

#: Words that point at the listener.
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll", "im", "ive"})

#: Words that point at the speaker.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll", "u", "ur"})

#: A negation just before a word ("not a failure", "never crazy"), so that it is not flagged.
NEGATIONS = frozenset({"not", "never", "no", "nothing", "nobody", "none"})
