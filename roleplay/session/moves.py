"""From the automatic observer's conclusion to a :class:`ListenerMove`, for following scenario branches.

The observer gives one *label* for the main behaviour plus *signals*. Some moves a scenario can branch on
(``reassurance``, ``judgment``, ``change_subject``) are never labels, only signals, and a response often
does more than one thing ("Don't worry, have you tried talking to them?"). So the mapping collects every
move the observation supports, in a fixed order of precedence, and then picks one:

Precedence (first = strongest):

1. Moves that work against listening, most harmful first:
   ``judgment`` (a judging or clinical label, or blaming/lecturing), ``advice`` (the advice label, advice
   without permission, or a suggestion phrased as a question), ``reassurance`` (minimising or premature
   reassurance: "at least...", "don't worry"), ``self_disclosure`` (the self-disclosure label or talking
   about oneself at length), ``change_subject`` (the response opens with a topic-shift phrase such as
   "anyway" or "by the way").
2. The label's own move (``reflection`` -> ``reflection``, ``question_open``, ``question_closed``,
   ``affirmation``, ``information``, ``other``). When any move of group 1 was found, a *helpful* label
   (reflection, open question, affirmation) is not offered: "You sound paranoid" must not take a branch
   in which the speaker feels understood.
3. Helpful secondary behaviours, only when nothing of group 1 was found: a reflection signal or a
   reflection phrased as a question -> ``reflection``; an open question -> ``question_open``; an
   affirmation -> ``affirmation``.

Choice: the first supported move that the turn has a branch for; otherwise the first supported move
(the *primary* move, stored as the turn's move even though no branch follows it).
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.content.scenario import ListenerMove, Turn
from roleplay.observer.model import Observation

#: Opening words that mark a change of subject (the observer has no signal of its own for it).
TOPIC_SHIFT_OPENERS: tuple[str, ...] = (
    "anyway", "by the way", "on another note", "speaking of", "changing the subject", "on a different note",
    "moving on", "oh, before i forget",
)

_HELPFUL = frozenset({ListenerMove.reflection, ListenerMove.question_open, ListenerMove.affirmation})

#: The observer's label -> the move of the same meaning.
_LABEL_MOVE: dict[str, ListenerMove] = {
    "reflection": ListenerMove.reflection,
    "question_open": ListenerMove.question_open,
    "question_closed": ListenerMove.question_closed,
    "advice": ListenerMove.advice,
    "affirmation": ListenerMove.affirmation,
    "self_disclosure": ListenerMove.self_disclosure,
    "information": ListenerMove.information,
    "judgment": ListenerMove.judgment,
    "reassurance": ListenerMove.reassurance,
    "other": ListenerMove.other,
}


@dataclass(frozen=True, slots=True)
class MoveChoice:
    """The move chosen for a turn, and why."""

    move: ListenerMove
    """The move stored on the turn (it decides the branch)."""
    supported: tuple[ListenerMove, ...]
    """Every move the observation supports, in precedence order (``move`` is one of them)."""
    branched: bool
    """True when the turn has a branch for ``move``."""
    reason: str
    """A short explanation for the feedback card, e.g. ``advice: 'have you tried'``."""


def _evidence(obs: Observation, *names: str) -> str:
    for name in names:
        signal = obs.signal(name)
        if signal is not None and signal.evidence:
            return f"'{signal.evidence[0]}'"
    return ""


def _against_listening(obs: Observation, response: str) -> list[tuple[ListenerMove, str]]:
    found: list[tuple[ListenerMove, str]] = []
    if obs.has("judgmental_label") or obs.has("judgment"):
        found.append((ListenerMove.judgment, _evidence(obs, "judgmental_label", "judgment")))
    if obs.label == "advice" or obs.has("advice_without_permission") or obs.has("question_as_advice"):
        found.append((ListenerMove.advice, _evidence(obs, "advice_without_permission", "question_as_advice",
                                                      "advice")))
    if obs.has("minimisation") or (obs.has("reassurance") and obs.label != "reflection"):
        found.append((ListenerMove.reassurance, _evidence(obs, "minimisation", "reassurance")))
    if obs.label == "self_disclosure" or obs.has("self_focus"):
        found.append((ListenerMove.self_disclosure, _evidence(obs, "self_focus", "self_disclosure")))
    low = response.lstrip().lower()
    opener = next((o for o in TOPIC_SHIFT_OPENERS if low.startswith(o)), "")
    if opener:
        found.append((ListenerMove.change_subject, f"'{response.lstrip()[: len(opener)]}'"))
    return found


def supported_moves(obs: Observation, response: str = "") -> list[tuple[ListenerMove, str]]:
    """Every move the observation supports, with its evidence, in the module's order of precedence.

    ``response`` is the listener's text (used only to spot a change of subject at its start).
    """
    harmful = _against_listening(obs, response)
    moves: list[tuple[ListenerMove, str]] = list(harmful)
    label_move = _LABEL_MOVE.get(obs.label, ListenerMove.other)
    if not harmful or label_move not in _HELPFUL:
        moves.append((label_move, f"labelled {obs.label.replace('_', ' ')}"))
    if not harmful:
        if obs.has("reflection") or obs.has("reflective_question"):
            moves.append((ListenerMove.reflection, _evidence(obs, "reflection", "reflective_question")))
        if obs.has("open_question"):
            moves.append((ListenerMove.question_open, _evidence(obs, "open_question")))
        if obs.has("affirmation"):
            moves.append((ListenerMove.affirmation, _evidence(obs, "affirmation")))
    seen: set[ListenerMove] = set()
    unique = []
    for move, why in moves:
        if move not in seen:
            seen.add(move)
            unique.append((move, why))
    return unique


def decide_move(obs: Observation, turn: Turn | None, response: str = "") -> MoveChoice:
    """Choose the move for ``turn``: the first supported move it has a branch for, else the primary one."""
    moves = supported_moves(obs, response)
    branch_moves = {b.when for b in turn.branches} if turn is not None else set()
    chosen = next(((m, why) for m, why in moves if m in branch_moves), moves[0])
    move, why = chosen
    reason = f"{move.value.replace('_', ' ')}: {why}" if why else move.value.replace("_", " ")
    return MoveChoice(move, tuple(m for m, _ in moves), move in branch_moves, reason)


def move_from_observation(obs: Observation, turn: Turn | None, response: str = "") -> ListenerMove:
    """The :class:`ListenerMove` to store on ``turn`` for this observation (see the module notes)."""
    return decide_move(obs, turn, response).move
