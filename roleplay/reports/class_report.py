"""The class report: results across every stored session, per trainee and per criterion.

Definitions (tests check them against hand-computed figures):

- Ratings are kept apart by who gave them (:data:`RATER_KINDS`): ``observer`` (a person rating the
  listener: an observer, or the speaker in a pair), ``self`` (the listener rating themselves, in solo
  rehearsal) and ``auto`` (the automatic observer). Every figure is for one kind; the report shows the
  kinds chosen (default all), each in its own rows, and never mixes them.
- A trainee's figures are the ratings they received as listener. A criterion is identified by its rubric
  and id, since two rubrics may use the same id on different scales.
- "% of scale" puts a rating on 0-100: ``(value - lowest) / (highest - lowest) * 100``, so criteria and
  rubrics with different scales can be compared and ranked.
- A trend compares the first half of the rounds with the second half, in the order the rounds started:
  each round contributes the mean of its ratings, the first ``n // 2`` rounds form the first half and the
  last ``n // 2`` the second (the middle round of an odd count is in neither). ``change`` is second minus
  first; there is no trend with fewer than two rounds.
- The hardest criteria are those with the lowest class mean as % of scale (ties: more ratings first),
  from observers' ratings only: how a trainee rates themselves, or the automatic observer's guess, is not
  what the class finds hard.
- Roles count rounds that were started; the app's own speaker part in solo rehearsal is not a person.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from roleplay.session.roles import APP_SPEAKER
from roleplay.storage.gate import PracticeStore

ROLES = ("speaker", "listener", "observer")
#: Who gave a rating, in the order the report shows them.
RATER_KINDS = ("observer", "self", "auto")
#: How each kind is named for readers.
RATER_NAMES = {"observer": "observers", "self": "self (own rating)", "auto": "automatic observer"}


def parse_raters(text: str) -> tuple[str, ...]:
    """``observer,self,auto`` (any order, any subset) as a tuple in report order; ValueError when unknown."""
    given = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [g for g in given if g not in RATER_KINDS]
    if unknown or not given:
        raise ValueError(f"unknown rater kind {', '.join(unknown) or '(none)'}: use observer, self or auto, "
                         "separated by commas")
    return tuple(k for k in RATER_KINDS if k in given)


@dataclass(frozen=True, slots=True)
class Trend:
    """First half of the rounds against the second half (see the module notes)."""

    first: float | None
    second: float | None
    rounds: int

    @property
    def change(self) -> float | None:
        """Second half minus first half, or None with fewer than two rounds."""
        return None if self.first is None or self.second is None else self.second - self.first


@dataclass(frozen=True, slots=True)
class CriterionSummary:
    """The class's results on one criterion."""

    rubric_id: str
    criterion_id: str
    name: str
    rater_kind: str
    """Whose ratings these are: ``observer``, ``self`` or ``auto``."""
    ratings: int
    trainees: int
    """How many trainees were rated on it."""
    mean: float | None
    scale_min: int
    scale_max: int
    percent: float | None
    """The class mean as % of scale."""
    trend: Trend
    """On the rubric's scale."""


@dataclass(frozen=True, slots=True)
class TraineeCriterion:
    """One trainee's results on one criterion, as listener."""

    trainee: str
    rubric_id: str
    criterion_id: str
    name: str
    rater_kind: str
    """Whose ratings these are: ``observer``, ``self`` or ``auto``."""
    ratings: int
    mean: float | None
    scale_max: int
    trend: Trend
    """On the rubric's scale."""


@dataclass(frozen=True, slots=True)
class TraineeSummary:
    """One trainee's results across criteria, as % of scale."""

    trainee: str
    rater_kind: str
    """Whose ratings these are: ``observer``, ``self`` or ``auto``."""
    sessions: int
    rounds_listened: int
    ratings: int
    percent: float | None
    trend: Trend
    """In % of scale."""


@dataclass(frozen=True, slots=True)
class RoleSummary:
    """How often a trainee played each role, and which roles they have not played yet."""

    trainee: str
    speaker: int
    listener: int
    observer: int

    @property
    def missing(self) -> tuple[str, ...]:
        """The roles not played yet."""
        return tuple(role for role in ROLES if getattr(self, role) == 0)


@dataclass(frozen=True, slots=True)
class ClassReport:
    """Everything the class report shows."""

    since: date | None
    tag: str | None
    raters: tuple[str, ...]
    """The rater kinds shown (see :data:`RATER_KINDS`)."""
    served_class: str | None
    """The served class the report covers (its code as shown, ``ACD-3FH``), or None: every stored session."""
    sessions: int
    rounds: int
    first_at: float | None
    last_at: float | None
    rubrics: tuple[tuple[str, str], ...]
    """(id, title) of each rubric used."""
    trainees: tuple[TraineeSummary, ...]
    trainee_criteria: tuple[TraineeCriterion, ...]
    criteria: tuple[CriterionSummary, ...]
    """In rubric order."""
    roles: tuple[RoleSummary, ...]

    def hardest(self, count: int = 3) -> list[CriterionSummary]:
        """The criteria the class finds hardest, by observers' ratings: lowest mean as % of scale first."""
        rated = [c for c in self.criteria if c.percent is not None and c.rater_kind == "observer"]
        return sorted(rated, key=lambda c: (c.percent, -c.ratings, c.name))[:count]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trend(points: Sequence[tuple[tuple, float]]) -> Trend:
    """The trend of ``(sort key, value)`` points grouped per round (the key), as in the module notes."""
    per_round: dict[tuple, list[float]] = defaultdict(list)
    for key, value in points:
        per_round[key].append(value)
    means = [sum(v) / len(v) for _, v in sorted(per_round.items())]
    half = len(means) // 2
    if half == 0:
        return Trend(None, None, len(means))
    return Trend(_mean(means[:half]), _mean(means[-half:]), len(means))


def _scales(rubric_rows: Sequence) -> tuple[dict, dict, list[tuple[str, str]]]:
    """Per rubric: (lowest, highest) of its scale, its criteria (id -> name, in order), and its title."""
    scales, criteria, titles = {}, {}, []
    for rubric_id, rubric_json, _ in rubric_rows:
        data = json.loads(rubric_json)
        values = [int(lv["value"]) for lv in data.get("scale", [])] or [0, 1]
        scales[rubric_id] = (min(values), max(values))
        criteria[rubric_id] = {c["id"]: c.get("name", c["id"]) for c in data.get("criteria", [])}
        titles.append((rubric_id, str(data.get("title", rubric_id))))
    return scales, criteria, sorted(titles)


def build_class_report(store: PracticeStore, since: date | None = None, tag: str | None = None,
                       raters: Sequence[str] = RATER_KINDS, *, sessions: Sequence[str] | None = None,
                       served_class: str | None = None) -> ClassReport:
    """The class report over sessions created on or after ``since`` (local midnight) whose scenario has
    ``tag``, showing the rater kinds in ``raters`` (each kept apart; see the module notes).

    ``sessions`` limits it to those session ids: a served class's groups, named ``served_class``, so two
    classes on one day (or one database) each get a report of their own sessions only.
    """
    kinds = tuple(k for k in RATER_KINDS if k in raters)
    start = None if since is None else datetime(since.year, since.month, since.day).timestamp()
    data = store.class_data(start, tag, sessions)
    scales, names, titles = _scales(data["rubrics"])

    by_criterion: dict[tuple[str, str, str], list] = defaultdict(list)
    by_trainee_criterion: dict[tuple[str, str, str, str], list] = defaultdict(list)
    by_trainee: dict[tuple[str, str], list] = defaultdict(list)
    for session_id, round_no, listener, rubric_id, criterion_id, value, started, kind in data["ratings"]:
        if kind not in kinds:
            continue
        lo, hi = scales.get(rubric_id, (0, 1))
        key = (started, session_id, round_no)
        by_criterion[(rubric_id, criterion_id, kind)].append((key, float(value), listener))
        by_trainee_criterion[(listener, rubric_id, criterion_id, kind)].append((key, float(value)))
        by_trainee[(listener, kind)].append((key, (value - lo) / ((hi - lo) or 1) * 100.0))

    order = {(rid, cid): (i, j) for i, (rid, _) in enumerate(titles) for j, cid in enumerate(names.get(rid, {}))}
    rank = {k: i for i, k in enumerate(kinds)}
    # Observers' rows list every criterion (unrated ones show as such); other kinds only what they rated.
    keys = set(by_criterion) | ({(rid, cid, "observer") for rid, cid in order} if "observer" in kinds else set())
    criteria = []
    for rubric_id, criterion_id, kind in sorted(keys, key=lambda k: (order.get(k[:2], (999, 999)), k[:2],
                                                                     rank[k[2]])):
        points = by_criterion.get((rubric_id, criterion_id, kind), [])
        lo, hi = scales.get(rubric_id, (0, 1))
        mean = _mean([v for _, v, _ in points])
        criteria.append(CriterionSummary(
            rubric_id, criterion_id, names.get(rubric_id, {}).get(criterion_id, criterion_id), kind, len(points),
            len({who for _, _, who in points}), mean, lo, hi,
            None if mean is None else (mean - lo) / ((hi - lo) or 1) * 100.0,
            trend([(k, v) for k, v, _ in points]),
        ))

    trainee_criteria = [
        TraineeCriterion(who, rid, cid, names.get(rid, {}).get(cid, cid), kind, len(points),
                         _mean([v for _, v in points]), scales.get(rid, (0, 1))[1], trend(points))
        for (who, rid, cid, kind), points in sorted(
            by_trainee_criterion.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1:3], (999, 999)), rank[kv[0][3]]))
    ]

    counts: dict[str, dict[str, int]] = {}
    sessions_of: dict[str, set[str]] = defaultdict(set)
    for session_id, name in data["people"]:
        counts.setdefault(name, dict.fromkeys(ROLES, 0))
        sessions_of[name].add(session_id)
    listened: dict[str, int] = defaultdict(int)
    for _session_id, _round_no, speaker, listener, observers, _started in data["rounds"]:
        for name, role in [(speaker, "speaker"), (listener, "listener"),
                           *((o, "observer") for o in json.loads(observers))]:
            if name != APP_SPEAKER:
                counts.setdefault(name, dict.fromkeys(ROLES, 0))[role] += 1
        listened[listener] += 1
    roles = tuple(RoleSummary(name, c["speaker"], c["listener"], c["observer"]) for name, c in sorted(counts.items()))
    def shown_kinds(name: str) -> list[str]:
        # A row per kind of rating received; someone not rated yet still gets one row, saying so.
        return [k for k in kinds if (name, k) in by_trainee] or list(kinds[:1])

    trainees = tuple(
        TraineeSummary(name, kind, len(sessions_of[name]), listened.get(name, 0),
                       len(by_trainee.get((name, kind), [])), _mean([v for _, v in by_trainee.get((name, kind), [])]),
                       trend(by_trainee.get((name, kind), [])))
        for name in sorted(counts) for kind in shown_kinds(name)
    )
    created = [row[1] for row in data["sessions"]]
    return ClassReport(
        since=since, tag=tag, raters=kinds, served_class=served_class, sessions=len(created),
        rounds=len(data["rounds"]),
        first_at=min(created) if created else None, last_at=max(created) if created else None,
        rubrics=tuple(titles), trainees=trainees, trainee_criteria=tuple(trainee_criteria),
        criteria=tuple(criteria), roles=roles,
    )
