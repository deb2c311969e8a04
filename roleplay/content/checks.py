"""Names of the automatic observer's checks that rubric criteria and tallies can be wired to.

A rubric criterion or tally names one of these in its ``auto`` field; the automatic observer then
suggests a rating (or a count) for it. Kept here, beside the file formats, so validating a rubric does
not need to import the observer itself.
"""

from __future__ import annotations

#: Checks that suggest a rating on a criterion's scale, with what each looks at.
CRITERION_CHECKS: dict[str, str] = {
    "paraphrase": "key points of the speaker's line restated in the listener's own words (not parroted)",
    "reflect_feeling": "the feeling underneath named or reflected",
    "open_question": "questions that invite the speaker to say more rather than answer yes or no",
    "check_understanding": "the listener checks they have understood ('have I got that right?')",
    "speaker_led": "no advice without permission, no change of subject, brief, the speaker keeps the lead",
    "non_judgmental": "no judging, labelling, clinical terms, minimising or premature reassurance",
    "shared_power": "asks what the person wants, supports their choice, no directing",
    "strengths_language": "recognises strengths and efforts; person-first, non-clinical wording",
    "empathy": "overall understanding of the speaker's point of view, Carkhuff-style levels",
}

#: Checks that count a behaviour in one listener response (MITI-style tallies).
TALLY_CHECKS: dict[str, str] = {
    "question_open": "an open question",
    "question_closed": "a closed question",
    "reflection_simple": "a simple reflection: repeats or rephrases what was said",
    "reflection_complex": "a complex reflection: adds meaning, feeling or emphasis",
    "affirmation": "recognises a strength or effort",
    "seeking_collaboration": "asks for the speaker's ideas or permission",
    "emphasizing_autonomy": "underlines the speaker's right to choose",
    "advice_without_permission": "advice or suggestions the speaker did not ask for",
    "persuade": "tries to change the speaker's mind with arguments",
    "confront": "disagrees, criticises, shames or labels",
    "giving_information": "gives facts or explanations without advising",
}
