"""How strongly each cue points to a label, and the small fixed word sets the analysis uses.

They started as judgment calls about listening behaviour (a question that is really a suggestion
counts more as advice than as a question, a reflection cue more than a polite "I'm sorry", a greeting
least) and were then tuned by hand against ESConv's train and validation file
(``../shared/data/esconv-dev.jsonl``, checked on its odd and even lines apart): they are fitted to
that data set's labels, not independent of it. ESConv's test split was never used. The small word sets at the end
are read from ``data/words.yaml``.
"""

from __future__ import annotations

from roleplay.observer.lexicon import word_set

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
    "affirmation": 3.0,
    # The listener's own experience is a marked move: beside an "I understand" or a reflection phrase
    # in the same turn it is what is heard (it still yields to advice and to praise).
    "self_disclosure": 2.75,
    "reassurance": 2.75,
    "autonomy": 2.0,
    "shared_power": 2.6,
    "permission": 1.5,
    "minimisation": 1.6,
    "information": 1.5,
    "resource": 3.0,
    "sympathy": 0.8,
    "other": 1.2,
    # A bare "ok." or "wow." beside a sentence that opens like a reflection is the lesser move.
    "acknowledgement": 0.8,
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
    "judgment",
    "reassurance",
    "affirmation",
    "information",
    "other",
)

# The word sets below are read from ``data/words.yaml``, where tutors can see and edit them.

#: Words that point at the listener.
FIRST_PERSON = word_set("first_person")

#: Words that point at the speaker.
SECOND_PERSON = word_set("second_person")

#: Words that point at someone else ("he", "she", "they"): a feeling after one is that person's.
THIRD_PERSON = word_set("third_person")

#: Modal verbs that, in a sentence about the speaker with no other cue, offer an option ("you could
#: leave early"): MISC codes such a sentence as advising.
OPTION_MODALS = word_set("option_modals")

#: Verbs that, after a modal and before a feeling word, make the modal a guess about the speaker's
#: state ("you might feel let down"): a tentative reflection of feeling, not an option.
STATE_VERBS = word_set("state_verbs")

#: Words that open a clause about someone else ("the person who could fix things").
RELATIVE_WORDS = word_set("relative_words")

#: A negation just before a word ("not a failure", "never crazy"), so that it is not flagged.
NEGATIONS = word_set("negations")

#: Words allowed between "I" and a feeling word for the feeling to be the listener's own ("I'm so glad").
FEELING_LINK = word_set("feeling_link")

#: Verbs that, right after "I", frame an opinion about something else ("I think it will ease").
OPINION_VERBS = word_set("opinion_verbs")
