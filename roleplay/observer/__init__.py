"""The automatic observer: explained, offline analysis of one listener response.

    >>> from roleplay.observer import observe
    >>> obs = observe("So you're feeling stuck?", speaker="I just feel stuck at work.")
    >>> obs.label, obs.subtype
    ('reflection', 'simple')

:func:`observe` labels the main behaviour (``reflection`` simple/complex, ``question_open``,
``question_closed``, ``advice``, ``affirmation``, ``self_disclosure``, ``information``, ``judgment``,
``reassurance``, ``other``)
and lists every signal it noticed with the exact words that triggered it. :func:`suggest_ratings`
and :func:`tally` turn an observation into suggestions for a rubric's criteria and tallies that opt
in through their ``auto`` field. Pure Python and deterministic; the word lists and phrase patterns
live in ``roleplay/observer/data/`` where a tutor can read and edit them.

How a response is read: it is cut once into word tokens; every phrase of the data files is found
with one walk of a phrase trie (``scan.py``), a phrase being read whole (words inside a longer phrase
of another kind do not count again); the response is cut into sentences, which collect the cues that
only count at a sentence's start (``sentences.py``); each sentence gets the act of its strongest cue,
or one read from who it is about when it has none (``fallback.py``), and the acts vote for the label
(``acts.py``). Labelling choices a trainer should know:

- **Reassurance and judgment are labels of their own** (definitions in ``acts.py``). Reassurance
  comforts the speaker about how things will turn out or plays the problem down ("I'm sure things will
  get better", "at least you have a job"), with the ``reassurance`` or ``minimisation`` signal so
  feedback can say the comfort may come too soon; ESConv, after Hill's helping skills, files it with
  affirmation, and the benchmark folds it so. Judgment (MITI's confront) is a verdict on the speaker:
  blaming, lecturing, arguing them out of their view; the benchmark folds it into advice.
- **Saying the situation is hard is sympathy**, not a reflection ("that's really tough"): Hill files
  sympathy and empathic statements under approval and reassurance, so it votes (weakly) for
  ``affirmation``; naming the person's own feeling ("that must be exhausting for you") is a reflection.
- **A suggestion phrased as a question is advice** ("have you tried...?", "would it be possible
  to...?", "do you have someone you could talk to?", "may I suggest...?"), as MITI codes it; a
  reflection phrased as a question is a reflection.
- **Goodbyes and talk about the chat itself are ``other``**, good wishes included ("I hope things get
  better. Take care!"), but confidence in the person still affirms ("You'll get through this");
  a greeting question such as "how are you?" still counts as a question.
- **Two moves in one turn**: praise or comfort before a question frames it, so the question is the
  label ("That's great news! What made the difference?"); a step offered from the listener's own
  experience is self-disclosure ("I started walking at lunch and it helped. You could try it."), and
  the unasked advice is still flagged.
- **Who a sentence is about**: a modal offers an option when "you" is its subject or it tentatively
  rates a step ("you could ask", "talking to her might help"), not in "I can tell" or "it may have";
  "I think..." frames an opinion, not self-disclosure; "ok", "right" or "sure" is a move only in a
  sentence of a few words. Chat spellings without apostrophes ("thats", "dont") read like the full forms.
"""

from __future__ import annotations

from roleplay.observer.analyse import observe
from roleplay.observer.model import LABELS, SIGNALS, Observation, Signal, SuggestedRating
from roleplay.observer.rate import suggest_ratings, tally, to_scale
from roleplay.observer.stream import observe_lines, observe_record

__all__ = [
    "LABELS",
    "SIGNALS",
    "Observation",
    "Signal",
    "SuggestedRating",
    "observe",
    "observe_lines",
    "observe_record",
    "suggest_ratings",
    "tally",
    "to_scale",
]
