"""The automatic observer's view of one response: worked out once, stored, and shown as a feedback card.

Solo rehearsal and group play (as a second opinion) share this module:

- :func:`observe_response` runs the observer ONCE on a response and returns everything that follows from
  it as an :class:`~roleplay.session.state.ObservedRecord`: label, signals with evidence, the rating of
  each criterion with its reason, the automatic tallies, the detected move, and the observer's version.
- :func:`save_observer_view` is the one path that saves it with the response (the observation event, the
  ratings by :data:`AUTO_RATER`, the tallies, in solo the move). Idempotent: it writes only what is missing.
- :func:`roleplay.session.feedback_card.card_for` builds the feedback card from a stored record without
  running the observer, so a card, a debrief or a report shows what the trainee saw that day even after
  the rules change. Records stored before observations were kept in full are worked out again
  (:func:`stored_or_observed`).
- The plain words the card and the stored reasons use for the observer's labels and moves are here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING

from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import ListenerMove, Scenario, Turn
from roleplay.observer import Observation, SuggestedRating, observe, suggest_ratings, tally
from roleplay.observer.model import make_signal
from roleplay.observer.version import observer_version
from roleplay.session.moves import MoveChoice, decide_move
from roleplay.session.state import ObservedRecord, RoundState, TurnState
from roleplay.storage.events import AUTO_RATER

if TYPE_CHECKING:
    from roleplay.session.engine import PracticeSession

#: The observer's labels and the listener moves in plain words, as the card says them ("an open question",
#: never ``question_open``): the same names serve both (see :class:`ListenerMove`).
PLAIN_WORDS: dict[str, str] = {
    "reflection": "a reflection",
    "question_open": "an open question",
    "question_closed": "a closed question",
    "advice": "advice",
    "affirmation": "an affirmation",
    "self_disclosure": "talking about yourself",
    "information": "information",
    "reassurance": "reassurance",
    "judgment": "a judgment",
    "change_subject": "a change of subject",
    "other": "something else",
}

#: The observer's rating reasons name its label with spaces ("mainly question open"): those words, found.
_LABEL_IN_TEXT = re.compile(r"\b(mainly|labelled) (" + "|".join(
    sorted((re.escape(k.replace("_", " ")) for k in PLAIN_WORDS), key=len, reverse=True)) + r")\b")


def plain_words(name: str) -> str:
    """A label or move id in plain words, e.g. ``question_open`` -> ``an open question``."""
    return PLAIN_WORDS.get(name, name.replace("_", " "))


def plain_labels(text: str) -> str:
    """``text`` with the observer's label ids put in plain words ("mainly an open question")."""
    return _LABEL_IN_TEXT.sub(lambda m: f"{m[1]} {plain_words(m[2].replace(' ', '_'))}", text)


def move_words(choice: MoveChoice) -> str:
    """The move the observer detected, in plain words with the words that showed it.

    E.g. ``advice ('have you tried')`` or ``an open question (how the response reads as a whole)``.
    """
    move = choice.move.value
    prefix = f"{move.replace('_', ' ')}: "
    why = choice.reason.removeprefix(prefix) if choice.reason.startswith(prefix) else ""
    if why.startswith("labelled "):
        label = why.removeprefix("labelled ").replace(" ", "_")
        why = ("how the response reads as a whole" if label == move
               else f"the response reads as {plain_words(label)}")
    return f"{plain_words(move)} ({why})" if why else plain_words(move)


def observe_turn(response: str, turn: Turn) -> Observation:
    """Run the observer on a response with the turn's line, key points, feelings and pitfalls."""
    return observe(response, speaker=turn.line, key_points=turn.key_points, feelings=turn.feelings,
                   pitfalls=turn.pitfalls)


#: The observation's counts and ratios kept in :attr:`ObservedRecord.measures`.
MEASURES = ("key_points_total", "key_points_captured", "feelings_total", "feelings_matched", "overlap",
            "length_ratio", "words")
_WHOLE = frozenset({"key_points_total", "key_points_captured", "feelings_total", "feelings_matched", "words"})


_REFLECTIONS = frozenset({"reflection_simple", "reflection_complex"})


def same_reply(a: str, b: str) -> bool:
    """True when two replies are the same words (case, spaces and punctuation aside)."""
    return _words_only(a) == _words_only(b) != ""


def _words_only(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


def observe_response(response: str, turn: Turn, rubric: Rubric, earlier: Sequence[str] = ()) -> ObservedRecord:
    """Run the observer once on ``response`` to ``turn``: everything stored of its view (module notes).

    ``earlier`` are the listener's replies to the round's earlier lines: a reply that is one of them
    again ("Tell me more." to every line) answers no line in particular, which the ratings say
    (``repeats_earlier_reply``) instead of scoring each copy as if it followed the speaker.
    """
    obs = observe_turn(response, turn)
    if any(same_reply(response, e) for e in earlier):
        obs.signals = (*obs.signals, make_signal(
            "repeats_earlier_reply", (response.strip(),), "the same reply as to an earlier line"))
        # A copy rephrases nothing of this line, so it is no reflection of it and does not raise R:Q
        # (as parroting the speaker does not).
        obs.behaviours = obs.behaviours - _REFLECTIONS
        obs.subtype = None
    choice = decide_move(obs, turn, response)
    return ObservedRecord(
        obs.label, obs.subtype, obs.confidence, tuple(sorted(obs.behaviours)),
        signals=tuple((s.name, tuple(s.evidence), s.detail) for s in obs.signals),
        ratings=tuple((s.criterion_id, s.value, plain_labels(s.reason)) for s in suggest_ratings(obs, rubric)),
        tallies=tuple((k, v) for k, v in tally(obs, rubric).items() if v),
        move=choice.move.value, move_reason=move_words(choice), branched=choice.branched,
        measures=tuple((name, float(getattr(obs, name))) for name in MEASURES),
        observer=observer_version(),
    )


def stored_or_observed(record: ObservedRecord | None, response: str, line: Turn, rubric: Rubric,
                       earlier: Sequence[str] = ()) -> ObservedRecord:
    """``record`` when it was stored in full, else the observer's view worked out now (an older record,
    or a response whose observation was not saved yet); ``earlier`` as for :func:`observe_response`."""
    return record if record is not None and record.complete else observe_response(response, line, rubric, earlier)


def observation_of(record: ObservedRecord) -> Observation:
    """The :class:`Observation` a stored record describes, rebuilt without running the observer."""
    known = {f.name for f in fields(Observation)}
    measures = {k: (int(v) if k in _WHOLE else v) for k, v in record.measures if k in known}
    return Observation(record.label, record.subtype, record.confidence,
                       tuple(make_signal(n, tuple(e), d) for n, e, d in record.signals),
                       frozenset(record.behaviours), **measures)  # type: ignore[arg-type]


def save_observer_view(session: PracticeSession, turn: TurnState, record: ObservedRecord, *, notes: bool,
                       mark_move: bool) -> None:
    """Save the observer's view of ``turn`` (idempotent: only what is missing is written).

    Writes the observation, the per-turn ratings by :data:`AUTO_RATER` (with the reason as the note when
    ``notes``: in solo the observer is the only rater; in a group the notes stay the people's own), the
    automatic tallies, and with ``mark_move`` the detected move (solo: it decides the branch).
    """
    if turn.observed is None:
        session.record_observation(record, turn.index)
    per_turn = {c.id for c in session.rubric.criteria if c.scope == Scope.per_turn}
    for criterion_id, value, reason in record.ratings:
        if criterion_id in per_turn and (AUTO_RATER, criterion_id) not in turn.ratings:
            session.rate(AUTO_RATER, criterion_id, value, reason if notes else None, turn.index)
    for tally_id, count in record.tallies:
        have = turn.tallies.get((AUTO_RATER, tally_id), 0)
        if have != count:
            session.change_tally(AUTO_RATER, tally_id, count - have, turn.index)
    if mark_move and turn.move is None and record.move is not None:
        session.mark_move(ListenerMove(record.move), turn.index)


def round_suggestions(rubric: Rubric, scenario: Scenario, round_state: RoundState) -> list[SuggestedRating]:
    """The observer's ratings for per-round criteria with an ``auto`` check (never observer-only ones).

    Each is the scale value nearest the mean of the observer's stored ratings of that criterion over the
    round's answered turns (latest attempts), ties to the lower value.
    """
    lines = {t.id: t for t in scenario.turns}
    records = [stored_or_observed(t.observed, t.response, lines[t.turn_id], rubric) for t in round_state.turns
               if t.response is not None and t.turn_id in lines]
    values = sorted(level.value for level in rubric.scale)
    out = []
    for criterion in rubric.criteria:
        if criterion.scope != Scope.per_round or criterion.observer_only or not criterion.auto:
            continue
        given = [value for record in records for cid, value, _ in record.ratings if cid == criterion.id]
        if given:
            mean = sum(given) / len(given)
            value = min(values, key=lambda v: (abs(v - mean), v))
            out.append(SuggestedRating(criterion.id, value,
                                       f"from the observer's view of {len(given)} response(s), mean {mean:.1f}"))
    return out
