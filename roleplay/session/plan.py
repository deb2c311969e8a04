"""What each round of a group session plays: a whole scenario, or one part of a scenario with ``parts``.

In a triad the round-2 and round-3 listeners have already heard round 1 as observers, so by default each
round plays something new: the parts of the chosen scenario in order when it has parts, otherwise other
scenarios of the same level and theme. The set-up screen shows the plan and lets the group change any
round; the plan is saved with the session, so a resumed session plays exactly the same rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from roleplay.content.scenario import Scenario


def part_scenario(scenario: Scenario, index: int) -> Scenario:
    """The scenario as one of its parts plays it: only that part's turns (in file order), titled with it."""
    part = scenario.parts[index]
    ids = set(part.turns)
    # A `next` into another part rejoins this one: dropped, play goes on with the part's next turn.
    turns = [t if t.next is None or t.next in ids else t.model_copy(update={"next": None})
             for t in scenario.turns if t.id in ids]
    return scenario.model_copy(update={"title": part_title(scenario, index), "turns": turns, "parts": []})


def part_title(scenario: Scenario, index: int) -> str:
    """``Title, part 2 of 3: The phone call``."""
    return f"{scenario.title}, part {index + 1} of {len(scenario.parts)}: {scenario.parts[index].title}"


@dataclass(frozen=True)
class RoundPlay:
    """What one round plays: a scenario (as in its file) and, for a scenario with parts, which part."""

    scenario: Scenario
    """The scenario snapshot, whole (with all its parts)."""
    part: int | None = None
    """The 0-based index of the part played, or None for the whole scenario."""
    played: Scenario = field(init=False, compare=False, repr=False)
    """What the round actually plays: the whole scenario, or the part's turns only."""

    def __post_init__(self) -> None:
        """Check the part exists and work out the scenario played."""
        if self.part is not None and not 0 <= self.part < len(self.scenario.parts):
            raise ValueError(f"The scenario {self.scenario.id!r} has no part {self.part + 1}.")
        played = self.scenario if self.part is None else part_scenario(self.scenario, self.part)
        object.__setattr__(self, "played", played)

    @property
    def label(self) -> str:
        """How people see it: the scenario's title, with the part when there is one."""
        return self.played.title

    @property
    def key(self) -> str:
        """A short stable name: the scenario id, with ``#n`` (1-based) for a part."""
        return self.scenario.id if self.part is None else f"{self.scenario.id}#{self.part + 1}"

    def to_data(self) -> dict[str, Any]:
        """The JSON form saved in the ``session_created`` event."""
        return {"scenario": self.scenario.model_dump(mode="json"), "part": self.part}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RoundPlay:
        """Rebuild from :meth:`to_data`."""
        part = data.get("part")
        return cls(Scenario.model_validate(data["scenario"]), None if part is None else int(part))


def choices(scenarios: Sequence[Scenario]) -> list[RoundPlay]:
    """Everything a round can play: each scenario whole, and each part of a scenario with parts."""
    found: list[RoundPlay] = []
    for scenario in scenarios:
        found.append(RoundPlay(scenario))
        found.extend(RoundPlay(scenario, i) for i in range(len(scenario.parts)))
    return found


def _rank(chosen: Scenario, others: Sequence[Scenario], difficulty: str | None, tag: str | None) -> list[Scenario]:
    """Other scenarios, best fit first: the chosen level and theme, then the same level, then the rest."""
    level = difficulty or chosen.difficulty.value
    themes = {tag} if tag else set(chosen.tags)

    def fit(s: Scenario) -> tuple[int, int]:
        same_level = s.difficulty.value == level
        shared = len(themes.intersection(s.tags))
        tier = 0 if same_level and (shared or not themes) else 1 if same_level else 2
        return tier, -shared

    return sorted((s for s in others if s.id != chosen.id), key=fit)  # sorted() is stable: library order


def default_plan(chosen: Scenario, scenarios: Sequence[Scenario], rounds: int, *,
                 difficulty: str | None = None, tag: str | None = None) -> list[RoundPlay]:
    """A different scenario (or part) for each of ``rounds`` rounds, starting with ``chosen``.

    A scenario with parts plays them in order (part 1 in round 1, ...); rounds beyond its parts, and
    every round after the first for a scenario without parts, play other scenarios: first those of the
    chosen level (``difficulty``, else the chosen scenario's) and theme (``tag``, else sharing a tag
    with it), then the same level, then any. Only when the library runs out does a scenario repeat.
    """
    first = [RoundPlay(chosen, i) for i in range(len(chosen.parts))] or [RoundPlay(chosen)]
    distinct = (first + [RoundPlay(s) for s in _rank(chosen, scenarios, difficulty, tag)])[:max(1, rounds)]
    return [distinct[i % len(distinct)] for i in range(rounds)]


def session_title(plays: Sequence[RoundPlay]) -> str:
    """A session's title from what its rounds play: the one scenario's title (parts of one scenario
    included), or the distinct titles in round order, e.g. ``A, B and C``."""
    return join_titles([play.scenario.title for play in plays])


def join_titles(titles: Sequence[str]) -> str:
    """Distinct titles in order, joined as people write a list: ``A``, ``A and B``, ``A, B and C``."""
    titles = list(dict.fromkeys(titles))
    if len(titles) <= 1:
        return titles[0] if titles else ""
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def describe(plays: Sequence[RoundPlay]) -> list[str]:
    """``Round 1: Title`` lines, one per round."""
    return [f"Round {i + 1}: {play.label}" for i, play in enumerate(plays)]
