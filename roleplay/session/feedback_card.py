"""The feedback card for one response: what it shows, built from the observer's stored view of it.

:func:`card_for` builds the :class:`Feedback` card from a stored
:class:`~roleplay.session.state.ObservedRecord` without running the observer (see
:mod:`roleplay.session.feedback`, which works the record out once and saves it), so a card shows what the
trainee saw that day even after the rules change.

Evidence is given as :class:`Span` objects: exact ``start:end`` offsets into the user's own response, so
a screen can highlight the words (as plain text, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Example, ListenerMove, Turn
from roleplay.observer import Observation, SuggestedRating
from roleplay.observer.rate import minimises
from roleplay.session.feedback import observation_of, observe_response
from roleplay.session.state import ObservedRecord

#: A response this many times longer than the speaker's line (and over ``LONG_WORDS`` words) is flagged.
LONG_RATIO = 2.5
LONG_WORDS = 30


@dataclass(frozen=True, slots=True)
class Span:
    """Words of the user's response: ``response[start:end] == text``."""

    text: str
    start: int
    end: int


class FlagKind(StrEnum):
    """Things on the feedback card that work against listening."""

    advice_without_permission = "advice_without_permission"
    judgment = "judgment"
    """A judging or clinical label, or blaming."""
    minimising = "minimising"
    """Minimising or reassuring too soon."""
    self_focus = "self_focus"
    """Talking about oneself (at length, or as the main move)."""
    parroting = "parroting"
    """Repeating the speaker's words instead of paraphrasing."""
    repeats = "repeats"
    """The same reply as to an earlier line of the round."""
    length = "length"
    """Much longer than the speaker's line."""


@dataclass(frozen=True, slots=True)
class Flag:
    """One flag, worded for the card, with the words that triggered it."""

    kind: FlagKind
    message: str
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class KeyPointResult:
    """One of the turn's key points: restated or not, and in which of the user's words."""

    point: str
    captured: bool
    evidence: tuple[Span, ...]
    sure: bool = True
    """False when the evidence is weak: the card says "not sure" (and the point is not counted)."""


@dataclass(frozen=True, slots=True)
class Feedback:
    """Everything the feedback card shows for one attempt at one turn."""

    turn_index: int
    turn_id: str
    attempt: int
    """1-based attempt number on this turn ("try again" adds one)."""
    response: str
    label: str
    """The observer's label for the main behaviour."""
    subtype: str | None
    confidence: float
    key_points: tuple[KeyPointResult, ...]
    feelings_named: tuple[Span, ...]
    """Feeling words the user used about the speaker."""
    feelings_matched: int
    """How many of the turn's listed feelings the user named (same feeling family)."""
    feelings_total: int
    flags: tuple[Flag, ...]
    suggestions: tuple[SuggestedRating, ...]
    """Suggested per-turn ratings with reasons (per-round criteria are rated at the end of the round)."""
    tallies: dict[str, int]
    """The rubric's tallies the observer counts (those with an ``auto`` check)."""
    examples: tuple[Example, ...]
    """The scenario's strong example responses for this turn."""
    move: ListenerMove
    """The move detected (decides the branch)."""
    move_reason: str
    """Why, in plain words: ``advice ('have you tried')`` (see :func:`move_words`)."""
    branched: bool
    """True when the turn has a branch for ``move``, so the speaker's next line follows from it."""
    length_note: str
    """E.g. ``12 words, about as long as the speaker's line (0.9x)``; empty without a speaker line."""
    observation: Observation
    record: ObservedRecord
    """What is stored of the observation (the card is built from it)."""
    feelings_expected: tuple[tuple[str, bool], ...] = ()
    """The feelings the turn expected, each with whether the response conveys it."""

    @property
    def captured(self) -> tuple[KeyPointResult, ...]:
        """Key points restated."""
        return tuple(k for k in self.key_points if k.captured)

    @property
    def missed(self) -> tuple[KeyPointResult, ...]:
        """Key points not restated (the observer is sure of it)."""
        return tuple(k for k in self.key_points if not k.captured and k.sure)

    @property
    def unsure(self) -> tuple[KeyPointResult, ...]:
        """Key points the response may carry, on weak evidence: the card says "not sure"."""
        return tuple(k for k in self.key_points if not k.sure)

    def suggestion(self, criterion_id: str) -> SuggestedRating | None:
        """The suggested rating for one criterion, or None."""
        return next((s for s in self.suggestions if s.criterion_id == criterion_id), None)


def spans(response: str, words: tuple[str, ...]) -> tuple[Span, ...]:
    """Locate each evidence string in the response (exact, then ignoring case); unknown ones are skipped."""
    out: list[Span] = []
    low = response.lower()
    for word in words:
        if not word:
            continue
        start = response.find(word)
        if start < 0:
            start = low.find(word.lower())
        if start >= 0:
            out.append(Span(response[start : start + len(word)], start, start + len(word)))
    return tuple(out)


def _flags(obs: Observation, response: str) -> list[Flag]:
    def ev(*names: str) -> tuple[Span, ...]:
        words: list[str] = []
        for name in names:
            signal = obs.signal(name)
            if signal is not None:
                words.extend(signal.evidence)
        return spans(response, tuple(dict.fromkeys(words)))

    flags: list[Flag] = []
    if obs.has("advice_without_permission"):
        flags.append(Flag(FlagKind.advice_without_permission,
                          "Advice the speaker did not ask for: ask first, or reflect what you heard.",
                          ev("advice_without_permission", "question_as_advice")))
    if obs.has("judgmental_label") or obs.has("judgment"):
        flags.append(Flag(FlagKind.judgment,
                          "A judging or clinical word: describe what happened in the speaker's own terms.",
                          ev("judgmental_label", "judgment")))
    if minimises(obs):
        flags.append(Flag(FlagKind.minimising,
                          "Reassures or plays it down too soon: reflect the worry before anything else.",
                          ev("minimisation", "reassurance")))
    if obs.has("self_focus") or obs.label == "self_disclosure":
        flags.append(Flag(FlagKind.self_focus,
                          "Talks about your own experience: keep it short and hand the talk back.",
                          ev("self_focus", "self_disclosure")))
    if obs.has("repeats_earlier_reply"):
        flags.append(Flag(FlagKind.repeats,
                          "The same reply as to an earlier line: answer what the speaker has just said.", ()))
    if obs.has("parroting"):
        flags.append(Flag(FlagKind.parroting,
                          "Repeats the speaker's words: try the same meaning in your own words.", ev("parroting")))
    if obs.length_ratio > LONG_RATIO and obs.words > LONG_WORDS:
        flags.append(Flag(FlagKind.length,
                          f"Much longer than the speaker's line ({obs.length_ratio}x): a sentence or two is enough.",
                          ()))
    return flags


def build_feedback(response: str, turn: Turn, turn_index: int, rubric: Rubric, attempt: int = 1,
                   earlier: Sequence[str] = ()) -> Feedback:
    """The feedback card for ``response`` to ``turn``, running the observer (pure and deterministic);
    ``earlier`` are the replies to the round's earlier lines (see :func:`observe_response`)."""
    return card_for(observe_response(response, turn, rubric, earlier), response, turn, turn_index, rubric, attempt)


def card_for(record: ObservedRecord, response: str, turn: Turn, turn_index: int, rubric: Rubric,
             attempt: int = 1) -> Feedback:
    """The feedback card a stored observation gives (the observer is not run: see the module notes)."""
    obs = observation_of(record)
    key_points = []
    for signal in obs.signals:
        if signal.name in ("key_point_captured", "key_point_missed"):
            captured = signal.name == "key_point_captured"
            key_points.append(KeyPointResult(signal.detail, captured, spans(response, signal.evidence)))
        elif signal.name == "key_point_unsure":
            key_points.append(KeyPointResult(signal.detail, False, spans(response, signal.evidence), sure=False))
    named = obs.signal("feeling_named")
    length = obs.signal("length")
    per_turn = {c.id for c in rubric.criteria if c.scope == Scope.per_turn}
    return Feedback(
        turn_index=turn_index,
        turn_id=turn.id,
        attempt=attempt,
        response=response,
        label=obs.label,
        subtype=obs.subtype,
        confidence=obs.confidence,
        key_points=tuple(key_points),
        feelings_named=spans(response, named.evidence) if named else (),
        feelings_matched=obs.feelings_matched,
        feelings_total=obs.feelings_total,
        feelings_expected=tuple((s.detail, bool(s.evidence)) for s in obs.signals if s.name == "feeling_expected"),
        flags=tuple(_flags(obs, response)),
        suggestions=tuple(SuggestedRating(c, v, r) for c, v, r in record.ratings if c in per_turn),
        tallies=dict(record.tallies),
        examples=tuple(turn.strong_examples),
        move=ListenerMove(record.move) if record.move else ListenerMove.other,
        move_reason=record.move_reason,
        branched=record.branched,
        length_note=length.detail if length else "",
        observation=obs,
        record=record,
    )
