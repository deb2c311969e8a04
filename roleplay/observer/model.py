"""The observer's result types: what it saw in one response, and what it suggests to a rubric."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: The labels the observer gives a response's main behaviour.
LABELS: tuple[str, ...] = (
    "reflection",
    "question_open",
    "question_closed",
    "advice",
    "affirmation",
    "self_disclosure",
    "information",
    "judgment",
    "reassurance",
    "other",
)

#: What each signal name means (shown by ``roleplay observe --checks`` and in feedback).
SIGNALS: dict[str, str] = {
    "reflection": "a phrase that reflects back what the speaker said or feels",
    "reflective_question": "a reflection phrased as a question ('so you're feeling stuck?')",
    "open_question": "a question that invites the speaker to say more",
    "closed_question": "a question answered with yes, no or a fact",
    "question_as_advice": "a suggestion phrased as a question ('have you tried...?')",
    "advice": "a suggestion or instruction",
    "advice_without_permission": "advice the speaker did not ask for",
    "asks_permission": "asks before offering ideas",
    "permission": "a phrase that asks permission ('can I suggest something?')",
    "advice_asked_for": "advice the speaker asked for ('what should I do?'): still advice, but invited",
    "affirmation": "recognises a strength or an effort",
    "reassurance": "comforts the speaker about the future",
    "sympathy": "expresses sorrow or pity",
    "self_disclosure": "the listener talks about their own experience",
    "self_focus": "the listener talks about themselves at length",
    "information": "gives facts or general explanations",
    "resource": "names a resource that exists (a service, a group, a helpline)",
    "social": "greeting, thanks or small talk",
    "closing": "thanks, farewells and good wishes that close the conversation",
    "key_point_captured": "a key point of the speaker's turn is restated",
    "key_point_missed": "a key point of the speaker's turn is not restated",
    "key_point_unsure": "a key point may be restated, but the evidence is weak (the observer is not sure)",
    "content_overlap": "picks up the content words of the speaker's line",
    "parroting": "repeats the speaker's words nearly verbatim instead of paraphrasing",
    "generic_reply": "a stock reply that holds nothing of this speaker's line ('That sounds hard, is that right?')",
    "repeats_earlier_reply": "the same reply as to an earlier line of the round: it does not answer this one",
    "feeling_named": "names a feeling",
    "feeling_matched": "names one of the feelings underneath the speaker's turn",
    "feeling_expected": "one feeling the turn expected, with the words that carry it (none when missed)",
    "feeling_other_person": "a feeling guessed for someone else, not the speaker's own",
    "check_understanding": "checks the listener has understood ('have I got that right?')",
    "shared_power": "asks what the speaker wants or leaves the choice with them",
    "autonomy": "underlines the speaker's right to choose",
    "judgmental_label": "a judging or clinical label ('crazy', 'an addict')",
    "judgment": "blames or lectures the speaker",
    "persuade": "argues the speaker into a different view",
    "minimisation": "minimises the problem or reassures too soon ('at least...', 'don't worry')",
    "length": "length of the response compared with the speaker's line",
}


class Signal(NamedTuple):
    """One thing the observer noticed, with the exact words of the response that triggered it.

    An immutable named tuple: the observer makes several per response, so they must be cheap.
    """

    name: str
    """A key of :data:`SIGNALS`, e.g. ``advice_without_permission``."""
    evidence: tuple[str, ...] = ()
    """Exact substrings of the response (or, for missed key points, the key point itself)."""
    detail: str = ""
    """A short human explanation, e.g. ``2.5 times the speaker's line``."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "evidence": list(self.evidence), "detail": self.detail}


def make_signal(name: str, evidence: tuple[str, ...] = (), detail: str = "") -> Signal:
    """A :class:`Signal`, built without the named tuple's Python-level ``__new__`` (many per response)."""
    return _new_tuple(Signal, (name, evidence, detail))


_new_tuple = tuple.__new__


@dataclass(slots=True)
class Observation:
    """What the observer concluded about one listener response (treat it as read-only).

    Not a frozen dataclass only because frozen construction costs several times more, and the
    observer builds one per response.
    """

    label: str
    """The main behaviour, one of :data:`LABELS`."""
    subtype: str | None
    """``simple`` or ``complex`` for reflections, otherwise None."""
    confidence: float
    """How sure the observer is of the label, 0..1 (a heuristic, not a probability)."""
    signals: tuple[Signal, ...]
    """Everything noticed, each with its evidence."""
    behaviours: frozenset[str] = frozenset()
    """Tally check names present in the response (``question_open``, ``reflection_complex``...)."""
    key_points_total: int = 0
    """How many key points the turn listed."""
    key_points_captured: int = 0
    """How many of them the response restates (stems and synonyms)."""
    feelings_total: int = 0
    """How many feelings the turn listed."""
    feelings_matched: int = 0
    """How many of them the response names (same feeling family)."""
    overlap: float = 0.0
    """Share of the speaker line's content words that the response picks up, 0..1."""
    length_ratio: float = 0.0
    """Words in the response divided by words in the speaker line (0 when there is no line)."""
    words: int = 0
    """Words in the response."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Room for later facts without changing the type."""

    def has(self, name: str) -> bool:
        """True when a signal of this name was noticed."""
        return any(s.name == name for s in self.signals)

    def signal(self, name: str) -> Signal | None:
        """The first signal of this name, or None."""
        for s in self.signals:
            if s.name == name:
                return s
        return None

    @property
    def question(self) -> bool:
        """True when the label is an open or a closed question."""
        return self.label.startswith("question")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``roleplay observe`` output, without ratings)."""
        return {
            "label": self.label,
            "subtype": self.subtype,
            "confidence": self.confidence,
            # "detail" only when there is one: every byte of output costs time in ``roleplay observe``.
            "signals": [{"name": n, "evidence": list(e), "detail": d} if d else {"name": n, "evidence": list(e)}
                        for n, e, d in self.signals],
            "behaviours": sorted(self.behaviours),
            "key_points": {"total": self.key_points_total, "captured": self.key_points_captured},
            "feelings": {"total": self.feelings_total, "matched": self.feelings_matched},
            "overlap": self.overlap,
            "length_ratio": self.length_ratio,
        }


@dataclass(frozen=True, slots=True)
class SuggestedRating:
    """A rating the observer suggests for one rubric criterion."""

    criterion_id: str
    """The criterion's id in the rubric."""
    value: int
    """One of the rubric's own scale values."""
    reason: str
    """One line built from the evidence, e.g. ``names 'worn out'; matches the turn's feeling``."""
    confidence: float = 1.0
    """How sure the observer is of this rating, 0..1 (a heuristic); below 0.5 the reason says "not sure"."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"criterion": self.criterion_id, "value": self.value, "reason": self.reason,
                "confidence": self.confidence}
