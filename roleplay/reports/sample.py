"""Playing whole sessions with fixed ratings and a fake clock: for report tests, goldens and benchmarks.

Everything goes through the real :class:`PracticeSession` API, so the events are exactly what the app
would store. Ratings follow a fixed pattern around ``level``; notes and responses mention people by name
on purpose, so anonymisation can be tested on free text.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Scenario
from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage.events import EventSink


def _value(level: int, round_no: int, turn: int, crit: int, low: int, high: int) -> int:
    return max(low, min(high, level + (round_no + turn + crit) % 3 - 1))


def play_group(
    sink: EventSink,
    names: Sequence[str] = ("Ana", "Ben", "Cleo"),
    *,
    session_id: str = "triad-0001",
    start: float = 1_700_000_000.0,
    level: int = 3,
    scenario: Scenario | None = None,
    rubric: Rubric | None = None,
    step: float = 10.0,
    finish: bool = True,
) -> PracticeSession:
    """Play every round of a 2-4 person session with typed responses, ratings, tallies and notes.

    Each action happens ``step`` seconds after the one before, from ``start``. Ratings sit around
    ``level`` (clamped to the scale); per-round criteria get one rating from each rater with a note, and
    the first rater notes the whole round.
    """
    scenario = scenario or sample_scenario()
    rubric = rubric or sample_rubric()
    ticks = iter(range(1_000_000))

    def clock() -> float:
        return start + step * next(ticks)

    config = SessionConfig(tuple(names), scenario, rubric, mode=ListenerMode.typed, minutes=5)
    session = PracticeSession.create(config, sink, clock=clock, session_id=session_id)
    session.acknowledge_agreement()
    values = [lv.value for lv in rubric.scale]
    low, high = min(values), max(values)
    per_turn = [c for c in rubric.criteria if c.scope == Scope.per_turn]
    per_round = [c for c in rubric.criteria if c.scope == Scope.per_round]
    tallies = [t.id for t in rubric.tallies]
    while session.next_round is not None:
        current = session.start_round()
        session.reveal_card()
        speaker, listener = current.roles.speaker, current.roles.listener
        while session.current_turn is not None:
            turn = session.current_turn
            session.record_response(f"It sounds like that has been hard, {speaker}. What matters most to you?")
            for rater in current.roles.raters:
                for k, criterion in enumerate(per_turn):
                    session.rate(rater, criterion.id, _value(level, current.number, turn.index, k, low, high))
                if tallies:
                    session.change_tally(rater, tallies[(current.number + turn.index) % len(tallies)])
            if turn.index == 0:
                rater = current.roles.raters[0]
                session.record_note(rater, f"{listener} waited for {speaker} to finish before answering.")
            session.confirm_turn()
        for rater in current.roles.raters:
            for k, criterion in enumerate(per_round):
                session.rate(rater, criterion.id, _value(level, current.number, 0, k, low, high),
                             note=f"{speaker} led; {listener} followed.")
        session.record_round_note(current.roles.raters[0], f"{listener} summed up what mattered to {speaker}.")
        session.end_round()
    if finish:
        session.finish()
    return session
