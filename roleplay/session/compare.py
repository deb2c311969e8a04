"""The automatic observer as a second opinion in group practice (typed listener mode).

Anchoring rule: the human observer rates first. The automatic observer's view of a turn is computed and
saved only once the turn is confirmed (:func:`confirm_turn_with_observer`, or :func:`observe_confirmed`
right after :meth:`PracticeSession.confirm_turn`), and :func:`auto_view_for` returns None for a turn that
is not confirmed yet, so a screen cannot show it early.

What is saved at confirm time, through the same path as solo (:func:`roleplay.session.feedback.save_observer_view`):
the observer's whole view (``observation_recorded``: label, signals, each rating with its reason, tallies,
the observer's version; it feeds the history's R:Q and %CR) and its suggested per-turn ratings as ratings
by :data:`AUTO_RATER`, without notes (the reasons are read from the stored observation, so observer notes
in the debrief stay the people's own). Its automatic tallies are saved too. The observer never marks the move: the
human's mark decides branches. Scores stay the people's: :func:`roleplay.session.scoring.score_round`
leaves :data:`AUTO_RATER` out unless asked, and so do the progress totals.

Agreement (per criterion and for the round) uses the definitions of
:func:`roleplay.session.scoring.observer_agreement`: over the items both rated (a criterion on a turn, or a
per-round criterion), percent exact, percent within one level, mean absolute difference.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.content.rubric import Scope
from roleplay.observer import Observation, SuggestedRating
from roleplay.session import flow
from roleplay.session.engine import PracticeSession
from roleplay.session.feedback import (
    observation_of,
    round_suggestions,
    save_observer_view,
    stored_or_observed,
)
from roleplay.session.roles import AUTO_RATER
from roleplay.session.scoring import AgreementResult
from roleplay.session.state import RoundState, SessionError, TurnState


@dataclass(frozen=True, slots=True)
class CriterionView:
    """One criterion on one turn: the people's ratings beside the observer's."""

    criterion_id: str
    name: str
    people: dict[str, int]
    """Rater name -> value (human raters only)."""
    auto: int | None
    reason: str | None
    """The observer's one-line reason."""


@dataclass(frozen=True, slots=True)
class AutoView:
    """The automatic observer's view of one confirmed turn."""

    round_number: int
    turn_index: int
    label: str
    subtype: str | None
    confidence: float
    criteria: list[CriterionView]
    """Every per-turn criterion that someone or the observer rated, in rubric order."""
    observation: Observation


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """Agreement between one person and the observer on one criterion over a round."""

    criterion_id: str
    name: str
    rater: str
    result: AgreementResult


@dataclass(frozen=True, slots=True)
class RoundComparison:
    """The debrief's comparison of the people's ratings with the observer's, for one round."""

    round_number: int
    per_rater: list[AgreementResult]
    """Each human rater against the observer, over all items both rated."""
    per_criterion: list[CriterionAgreement]
    """Each human rater and criterion (rubric order) with at least one item in common."""
    overall: AgreementResult
    """All human raters pooled against the observer: the round's agreement figure."""


def _round(session: PracticeSession, round_number: int | None) -> RoundState:
    current = session.current_round if round_number is None else session.rounds[round_number - 1]
    if current is None:
        raise SessionError("No round has been played yet.")
    return current


def _suggestions(session: PracticeSession, turn: TurnState) -> tuple[Observation, list[SuggestedRating]]:
    """The observer's stored view of a turn (worked out again only for a record saved before views were
    stored in full) and its per-turn suggestions with reasons."""
    assert turn.response is not None
    record = stored_or_observed(turn.observed, turn.response, flow.turn_by_id(session.scenario, turn.turn_id),
                                session.rubric)
    per_turn = {c.id for c in session.rubric.criteria if c.scope == Scope.per_turn}
    return observation_of(record), [SuggestedRating(c, v, r) for c, v, r in record.ratings if c in per_turn]


def observe_confirmed(session: PracticeSession, turn_index: int, round_number: int | None = None) -> bool:
    """Save the observer's view of a confirmed turn (idempotent: only what is missing is written).

    Returns False when the turn has no response (nothing to observe). Raises :class:`SessionError` for a
    turn that is not confirmed yet (anchoring rule) or a round that is no longer the latest.
    """
    current = _round(session, round_number)
    if current is not session.current_round:
        raise SessionError("Only the latest round can still be changed.")
    turn = current.turns[turn_index]
    if turn.confirmed_at is None:
        raise SessionError("The observer's view is saved only after the turn is confirmed.")
    if turn.response is None:
        return False
    record = stored_or_observed(turn.observed, turn.response, flow.turn_by_id(session.scenario, turn.turn_id),
                                session.rubric)
    save_observer_view(session, turn, record, notes=False, mark_move=False)
    return True


def confirm_turn_with_observer(session: PracticeSession) -> TurnState | None:
    """Confirm the current turn (as :meth:`PracticeSession.confirm_turn`), then save the observer's view."""
    turn = session.current_turn
    if turn is None:
        raise SessionError("There is no turn waiting to be confirmed.")
    index = turn.index
    following = session.confirm_turn()
    observe_confirmed(session, index)
    return following


def observe_missing(session: PracticeSession) -> int:
    """After a resume: save the observer's view of any confirmed turn of the latest round that lacks it."""
    current = session.current_round
    if current is None or session.finished:
        return 0
    done = 0
    for turn in current.turns:
        if turn.confirmed_at is not None and turn.response is not None and turn.observed is None:
            done += observe_confirmed(session, turn.index)
    return done


def observe_round_end(session: PracticeSession) -> None:
    """Save the observer's per-round ratings for the latest round (call before or after ending it)."""
    current = _round(session, None)
    for suggestion in round_suggestions(session.rubric, session.scenario, current):
        if (AUTO_RATER, suggestion.criterion_id) not in current.ratings:
            session.rate(AUTO_RATER, suggestion.criterion_id, suggestion.value)


def auto_view_for(session: PracticeSession, turn: TurnState, round_number: int | None = None) -> AutoView | None:
    """The observer's view of a turn beside the people's ratings; None until the turn is confirmed."""
    if turn.confirmed_at is None or turn.response is None:
        return None
    current = _round(session, round_number)
    observation, suggestions = _suggestions(session, turn)
    reasons = {s.criterion_id: s.reason for s in suggestions}
    views = []
    for criterion in session.rubric.criteria:
        if criterion.scope != Scope.per_turn:
            continue
        people = {rater: entry.value for (rater, cid), entry in turn.ratings.items()
                  if cid == criterion.id and rater != AUTO_RATER}
        auto = turn.ratings.get((AUTO_RATER, criterion.id))
        if people or auto is not None:
            views.append(CriterionView(criterion.id, criterion.name, people, auto.value if auto else None,
                                       reasons.get(criterion.id) if auto else None))
    return AutoView(current.number, turn.index, observation.label, observation.subtype, observation.confidence,
                    views, observation)


def _agreement(rater: str, pairs: list[tuple[int, int]]) -> AgreementResult:
    diffs = [abs(a - b) for a, b in pairs]
    if not diffs:
        return AgreementResult(rater, AUTO_RATER, 0, None, None, None)
    n = len(diffs)
    return AgreementResult(rater, AUTO_RATER, n, 100.0 * sum(d == 0 for d in diffs) / n,
                           100.0 * sum(d <= 1 for d in diffs) / n, sum(diffs) / n)


def round_comparison(session: PracticeSession, round_number: int | None = None) -> RoundComparison:
    """Where the round's human raters and the observer agree and differ (confirmed turns only)."""
    current = _round(session, round_number)
    items: dict[str, dict[tuple[int | None, str], int]] = {}
    for turn in current.turns:
        if turn.confirmed_at is None:
            continue  # never compare a turn the people have not finished rating
        for (rater, cid), entry in turn.ratings.items():
            items.setdefault(rater, {})[(turn.index, cid)] = entry.value
    for (rater, cid), entry in current.ratings.items():
        items.setdefault(rater, {})[(None, cid)] = entry.value
    auto = items.get(AUTO_RATER, {})
    people = [r for r in current.roles.raters if r != AUTO_RATER]
    per_rater, per_criterion, pooled = [], [], []
    for rater in people:
        mine = items.get(rater, {})
        common = sorted(mine.keys() & auto.keys(), key=lambda k: (-1 if k[0] is None else k[0], k[1]))
        pairs = [(mine[k], auto[k]) for k in common]
        pooled.extend(pairs)
        per_rater.append(_agreement(rater, pairs))
        for criterion in session.rubric.criteria:
            chosen = [(mine[k], auto[k]) for k in common if k[1] == criterion.id]
            if chosen:
                per_criterion.append(CriterionAgreement(criterion.id, criterion.name, rater,
                                                        _agreement(rater, chosen)))
    overall = _agreement("+".join(people) or "people", pooled)
    return RoundComparison(current.number, per_rater, per_criterion, overall)
