"""The automatic observer: explained, offline analysis of one listener response.

    >>> from roleplay.observer import observe
    >>> obs = observe("So you're feeling stuck?", speaker="I just feel stuck at work.")
    >>> obs.label, obs.subtype
    ('reflection', 'simple')

:func:`observe` labels the main behaviour (``reflection`` simple/complex, ``question_open``,
``question_closed``, ``advice``, ``affirmation``, ``self_disclosure``, ``information``, ``other``)
and lists every signal it noticed with the exact words that triggered it. :func:`suggest_ratings`
and :func:`tally` turn an observation into suggestions for a rubric's criteria and tallies that opt
in through their ``auto`` field. Pure Python and deterministic; the word lists and phrase patterns
live in ``roleplay/observer/data/`` where a tutor can read and edit them.
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
