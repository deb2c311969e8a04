"""The end-of-round summary of a solo rehearsal: strengths first, growth areas, metrics, and last time.

Scores come from the automatic observer (rater ``AUTO_RATER``): in solo it is the observer. The user's own
ratings, when given, are scored separately (``self_scores``) and never mixed in. Only the latest attempt
at each turn counts (see :mod:`roleplay.session.solo`).

Metrics (R:Q and percent complex reflections):

- When the rubric defines metrics whose tallies all map to the observer's behaviour codes (a tally's
  ``auto`` check, or else its id, is one of the codes such as ``question_open``), those metrics are used,
  with their names and fair/good thresholds, evaluated on the observer's codes of each turn. For a rubric
  whose tallies carry ``auto`` checks this equals the automatic observer's stored tallies.
- When the rubric has no such metric (no tallies at all, for instance), the standard R:Q and %CR are
  computed from the observer's codes, with the MITI thresholds (R:Q fair 1:1, good 2:1; %CR fair 40%,
  good 50%). ``metrics_source`` says which (``rubric`` or ``standard``).

Strengths and growth areas: *which* criteria is chosen from the scores as in a group debrief
(:func:`roleplay.session.debrief.choose_points`), but a strength is worded from what the observer
actually found on this round's lines (its rating and reason for each line), never from the level's
descriptor alone: a descriptor says what a level usually looks like ("no advice", "asks what the speaker
wants"), and the round may not have shown it. A criterion is named as a strength only when at least one
line shows it done: a reason that only says a fault was absent ("no judging, labelling or minimising")
is true but nothing the trainee did. A growth area names the level to aim for with its descriptor,
followed by the line that shows why.

Comparison with earlier attempts: the same person's earlier *solo* rehearsals of the same scenario
(created before this one), from the store's projections (:mod:`roleplay.session.progress`). The overall
score is compared only with attempts on the same rubric (scales differ); R:Q and %CR always. Higher is
better for all three. A run that stopped early covers fewer lines, so each side says so when it did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from roleplay.content.checks import TALLY_CHECKS
from roleplay.content.rubric import Metric, Rubric, Scope
from roleplay.content.scenario import Scenario
from roleplay.observer.rate import ABSENCE_REASONS, PROBLEM_OPENERS
from roleplay.session import flow
from roleplay.session.debrief import Point, choose_points
from roleplay.session.feedback import plain_labels
from roleplay.session.progress import (
    CR_THRESHOLDS,
    QUESTIONS,
    REFLECTIONS,
    RQ_THRESHOLDS,
    HistoryFilter,
    SessionFigures,
    Source,
    person_progress,
    session_figures,
)
from roleplay.session.roles import AUTO_RATER
from roleplay.session.scoring import MetricResult, RoundScores, metric_result, score_round
from roleplay.session.state import RoundState
from roleplay.storage.gate import PracticeStore

_STANDARD = [
    Metric(id="r_to_q", name="Reflection-to-question ratio", kind="ratio", numerator=list(REFLECTIONS),
           denominator=list(QUESTIONS), thresholds=RQ_THRESHOLDS),
    Metric(id="pct_cr", name="Percent complex reflections", kind="percent", numerator=["reflection_complex"],
           denominator=list(REFLECTIONS), thresholds=CR_THRESHOLDS),
]


@dataclass(frozen=True, slots=True)
class Change:
    """One figure now beside the previous attempt's."""

    name: str
    before: float | None
    now: float | None

    @property
    def direction(self) -> str | None:
        """``better``, ``worse`` or ``same`` (higher is better); None unless both exist."""
        if self.before is None or self.now is None:
            return None
        if abs(self.now - self.before) < 1e-9:
            return "same"
        return "better" if self.now > self.before else "worse"


@dataclass(frozen=True, slots=True)
class EarlierAttempts:
    """The person's earlier solo rehearsals of this scenario."""

    count: int
    previous: SessionFigures
    """The most recent earlier attempt."""
    best_overall: float | None
    """The best earlier overall score on the same rubric."""
    changes: list[Change]
    """Overall (same rubric only), R:Q and %CR: previous vs now."""
    previous_early: bool = False
    """Whether the previous attempt was stopped before the script was over."""
    previous_lines: int = 0
    """Lines answered in the previous attempt."""


@dataclass(frozen=True, slots=True)
class SoloSummary:
    """The end-of-round summary."""

    session_id: str
    name: str
    scenario_id: str
    ended_early: bool
    turns_answered: int
    attempts: int
    """Responses typed in all (earlier attempts included)."""
    scores: RoundScores
    """From the automatic observer (latest attempts)."""
    self_scores: RoundScores | None
    """From the person's own ratings, when they gave any."""
    strengths: list[Point]
    """Strengths first, worded from the observer's evidence on this round's lines (see the module notes)."""
    growth: list[Point]
    metrics: list[MetricResult]
    metrics_source: str
    """``rubric`` or ``standard`` (see the module notes)."""
    behaviour_counts: dict[str, int]
    """The observer's codes added up over the latest attempts."""
    earlier: EarlierAttempts | None

    def metric(self, metric_id: str) -> MetricResult | None:
        """One metric by id, or None."""
        return next((m for m in self.metrics if m.metric_id == metric_id), None)


def behaviour_counts(round_state: RoundState) -> dict[str, int]:
    """How many of the round's turns (latest attempt) the observer coded with each behaviour."""
    counts: dict[str, int] = {}
    for turn in round_state.turns:
        if turn.observed is not None:
            for code in turn.observed.behaviours:
                counts[code] = counts.get(code, 0) + 1
    return counts


def round_metrics(rubric: Rubric, round_state: RoundState) -> tuple[list[MetricResult], str]:
    """The round's metrics and where their definitions came from (see the module notes)."""
    codes = behaviour_counts(round_state)
    behaviour = {t.id: t.auto or t.id for t in rubric.tallies}
    usable = [m for m in rubric.metrics
              if all(behaviour.get(t) in TALLY_CHECKS for t in (*m.numerator, *m.denominator))]
    if usable:
        totals = {tally_id: codes.get(code, 0) for tally_id, code in behaviour.items()}
        return [metric_result(m, totals) for m in usable], "rubric"
    return [metric_result(m, codes) for m in _STANDARD], "standard"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 line``, ``2 lines`` (``many`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def stopped_after(scenario: Scenario, round_state: RoundState) -> tuple[int, int] | None:
    """For a round stopped early: (lines answered, lines the script had on the path taken); else None."""
    if not round_state.ended_early or not round_state.turns:
        return None
    answered = sum(1 for t in round_state.turns if t.response is not None)
    last = round_state.turns[-1]
    try:
        total = last.index + flow.remaining_turn_count(scenario, last.turn_id)
    except (KeyError, ValueError):  # a turn id the snapshot no longer has: say what is known
        total = len(round_state.turns)
    return answered, max(total, answered)


Evidence = tuple[int, int, str]
"""(line number from 1, the observer's rating, its reason)."""


def _evidence(round_state: RoundState, criterion_id: str) -> list[Evidence]:
    """The observer's rating of one criterion on each line (latest attempts), with its reason."""
    out = []
    for turn in round_state.turns:
        entry = turn.ratings.get((AUTO_RATER, criterion_id))
        if entry is not None:
            # Reasons stored before the card spoke plain words may still say "mainly question open".
            out.append((turn.index + 1, entry.value, plain_labels(entry.note) if entry.note else "no reason given"))
    return out


def _quote(evidence: list[Evidence], reasons: int = 2) -> str:
    """``line 1: reason; lines 2, 3: other reason``: lines with the same reason together, the first
    ``reasons`` reasons only (highest rated first), so a long round stays one readable sentence."""
    grouped: dict[str, list[int]] = {}
    for line, _, reason in sorted(evidence, key=lambda e: (-e[1], e[0])):
        grouped.setdefault(reason, []).append(line)
    return "; ".join(f"{'line' if len(ks) == 1 else 'lines'} {', '.join(map(str, sorted(ks)))}: {reason}"
                     for reason, ks in list(grouped.items())[:reasons])


# Reasons that end in a problem: too long, or a feeling named that is none of the line's own (a
# feeling is credited only on the lines whose turn lists it).
_PROBLEM_ENDINGS = ("x the speaker's length", "not the feeling the turn is about")


def is_problem(reason: str) -> bool:
    """Whether the observer's reason for a line names a problem (any of its ``;`` parts): a line whose
    reason holds one is not quoted as a strength even when its rating reaches the level."""
    parts = [part.strip() for part in reason.split(";")]
    return any(part.startswith(PROBLEM_OPENERS) or part.endswith(_PROBLEM_ENDINGS) for part in parts)


def is_absence(reason: str) -> bool:
    """Whether the observer's reason only says a fault was absent ("no judging, labelling or minimising"):
    true of the line, but nothing the listener did, so never quoted as a strength."""
    parts = [part.strip() for part in reason.split(";") if part.strip() and part.strip() != "not sure"]
    return bool(parts) and all(part in ABSENCE_REASONS for part in parts)


def shown_on_a_line(rubric: Rubric, round_state: RoundState, point: Point) -> bool:
    """Whether a strength rests on something the listener did on at least one line: a line rated at its
    level whose reason names neither a problem nor only an absence (a per-round rating counts as shown)."""
    criterion = next(c for c in rubric.criteria if c.id == point.criterion_id)
    if criterion.scope == Scope.per_round:
        return True
    return any(e[1] >= point.level and not is_problem(e[2]) and not is_absence(e[2])
               for e in _evidence(round_state, criterion.id))


def evidence_strength(rubric: Rubric, round_state: RoundState, point: Point) -> Point:
    """A strength reworded from what the observer found on the round's lines (see the module notes)."""
    criterion = next(c for c in rubric.criteria if c.id == point.criterion_id)
    if criterion.scope == Scope.per_round:
        entry = round_state.ratings.get((AUTO_RATER, criterion.id))
        why = entry.note if entry is not None and entry.note else "the observer's rating of the round"
        return replace(point, text=f"{criterion.name} ({point.level_label}, the round as a whole): {why}")
    evidence = _evidence(round_state, criterion.id)
    good = [e for e in evidence if e[1] >= point.level]
    weak = [e for e in evidence if e[1] < point.level]
    clean = [e for e in good if not is_problem(e[2]) and not is_absence(e[2])]
    flagged = [e for e in good if is_problem(e[2])]
    top = point.level >= max(level.value for level in rubric.scale)
    text = (f"{criterion.name} ({point.level_label}{'' if top else ' or above'} on {len(clean)} of "
            f"{plural(len(evidence), 'line')}): {_quote(clean) if clean else 'no line without a caveat'}")
    if flagged:
        text += f". Even so, watch {_quote(flagged, 1)}"
    if weak:
        lowest = min(weak, key=lambda e: (e[1], e[0]))
        text += f". Not yet on {_quote([lowest])}"
    return replace(point, text=text)


def evidence_growth(round_state: RoundState, point: Point) -> Point:
    """A growth area with the line that shows it: the lowest the observer rated it this round."""
    evidence = _evidence(round_state, point.criterion_id)
    if not evidence:
        return point
    lowest = min(evidence, key=lambda e: (e[1], e[0]))
    return replace(point, text=f"{point.text} (this time, {_quote([lowest])})")


def _earlier(store: PracticeStore, name: str, scenario_id: str, rubric_id: str, created_at: float,
             now: SessionFigures) -> EarlierAttempts | None:
    progress = person_progress(store, name, HistoryFilter(scenario_id=scenario_id, kind="solo", until=created_at),
                               by_day=False)
    figures = [f for f in session_figures(progress, Source.observer)
               if f.overall is not None or f.r_to_q is not None or f.pct_cr is not None]
    if not figures:
        return None
    previous = figures[-1]
    same = [f.overall for f in figures if f.rubric_id == rubric_id and f.overall is not None]
    changes = [
        Change("Overall", previous.overall if previous.rubric_id == rubric_id else None, now.overall),
        Change("Reflection-to-question ratio", previous.r_to_q, now.r_to_q),
        Change("Percent complex reflections", previous.pct_cr, now.pct_cr),
    ]
    early, lines = store.solo_run(previous.session_id)
    return EarlierAttempts(len(figures), previous, max(same) if same else None, changes, early, lines)


def build_summary(
    session_id: str, name: str, rubric: Rubric, scenario_id: str, round_state: RoundState, created_at: float,
    store: PracticeStore | None = None,
) -> SoloSummary:
    """The summary of a solo round; with ``store``, compared with the person's earlier attempts."""
    scores = score_round(rubric, round_state, (AUTO_RATER,))
    mine = score_round(rubric, round_state, (name,))
    self_scores = mine if any(c.count for c in mine.criteria) else None
    strengths, growth = choose_points(rubric, scores.criteria)
    # A strength is something the trainee did: a criterion reached only by the absence of a fault on
    # every line ("no judging") or only on lines with a caveat is not named as one.
    strengths = [evidence_strength(rubric, round_state, p) for p in strengths
                 if shown_on_a_line(rubric, round_state, p)]
    growth = [evidence_growth(round_state, p) for p in growth]
    metrics, source = round_metrics(rubric, round_state)
    codes = behaviour_counts(round_state)
    answered = [t for t in round_state.turns if t.response is not None]
    attempts = sum(1 for t in round_state.turns for a in t.attempts if a.response is not None) + len(answered)
    earlier = None
    if store is not None:
        # The standard figures, as the history stores them, so both sides are measured the same way.
        standard = {m.metric_id: m.value for m in (metric_result(m, codes) for m in _STANDARD)}
        now = SessionFigures(session_id, created_at, rubric.id, scores.overall, standard["r_to_q"],
                             standard["pct_cr"])
        earlier = _earlier(store, name, scenario_id, rubric.id, created_at, now)
    return SoloSummary(session_id, name, scenario_id, round_state.ended_early, len(answered), attempts, scores,
                       self_scores, strengths, growth, metrics, source, codes, earlier)


def last_solo_name(store: PracticeStore) -> str | None:
    """The name on the most recently started solo rehearsal, or None (to fill in the set-up's name field)."""
    return store.last_solo_name()
