"""What the tutor's dashboard shows for each group, worked out from the group's live session.

Plain data from the session's state (no Textual): where the group is, who plays what, the ratings
given so far this round, and flags worth a tutor's walk over: the listener giving advice again and
again (marked by the observer, or found by the automatic observer in typed mode), a group that has
stalled, a pause that goes on, someone whose seat is gone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from roleplay.classroom.state import Group
from roleplay.content.scenario import ListenerMove
from roleplay.session.engine import PracticeSession
from roleplay.session.roles import AUTO_RATER
from roleplay.session.state import Phase

#: Seconds with no action in a round in play before the group counts as stalled.
STALL_AFTER = 180.0

#: Seconds paused before the pause is flagged.
LONG_PAUSE = 300.0

#: Turns with advice in one round before the dashboard flags it.
ADVICE_FLAG = 3


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group on the dashboard."""

    group_id: str
    names: tuple[str, ...]
    status: str
    """``forming``, ``agreement``, ``ready``, ``playing``, ``paused``, ``debrief``, ``done`` or ``finished``."""
    round_text: str = "–"
    turn_text: str = "–"
    time_left: str = "–"
    roles: str = ""
    ratings: str = "–"
    """Ratings given by people this round: how many and their mean."""
    flags: tuple[str, ...] = field(default_factory=tuple)


def _advice_turns(session: PracticeSession) -> int:
    current = session.current_round
    if current is None:
        return 0
    return sum(1 for t in current.turns
               if t.move == ListenerMove.advice or (t.observed is not None and t.observed.label == "advice"))


def group_row(group: Group, session: PracticeSession | None, away: list[str], *,
              now: float | None = None) -> GroupRow:
    """The dashboard row for ``group`` (``session`` None before it starts)."""
    now = time.time() if now is None else now
    gone = tuple(f"{name}'s seat is gone" for name in group.names if name in away)
    if session is None:
        waiting = [n for n in group.names if n not in group.confirmed]
        return GroupRow(group.id, tuple(group.names),
                        "forming", flags=gone + ((f"waiting for {', '.join(waiting)}",) if waiting else ()))
    phase = session.phase
    current = session.current_round
    status = {Phase.agreement: "agreement", Phase.ready: "ready", Phase.playing: "playing",
              Phase.done: "done", Phase.finished: "finished"}[phase]
    if phase == Phase.ready and current is not None and current.ended:
        status = "debrief"
    if session.paused and phase == Phase.playing:
        status = "paused"
    flags: list[str] = list(gone)
    round_text = turn_text = time_left = ratings = "–"
    roles = ""
    shown = current if current is not None else session.next_round
    if shown is not None:
        r = shown.roles
        roles = f"S {r.speaker} · L {r.listener}" + (f" · O {', '.join(r.observers)}" if r.observers else "")
        round_text = f"{shown.number}/{len(session.rounds)}"
    if current is not None and current.playing:
        k, n = session.turn_progress()
        turn_text = f"{k}/{n}" if current.current_turn else "round ratings"
        time_left = session.timer(now).clock_text()
        values = [e.value for t in current.turns for e in t.ratings.values() if e.rater != AUTO_RATER]
        values += [e.value for e in current.ratings.values() if e.rater != AUTO_RATER]
        ratings = f"{len(values)} · mean {sum(values) / len(values):.1f}" if values else "none yet"
        advice = _advice_turns(session)
        if advice >= ADVICE_FLAG:
            flags.append(f"advice on {advice} turns")
        last = session.events[-1].at if session.events else now
        if session.paused and session.paused_since is not None and now - session.paused_since >= LONG_PAUSE:
            flags.append(f"paused {int((now - session.paused_since) // 60)} min")
        elif not session.paused and now - last >= STALL_AFTER:
            flags.append(f"stalled: nothing for {int((now - last) // 60)} min")
    return GroupRow(group.id, tuple(group.names), status, round_text, turn_text, time_left, roles, ratings,
                    tuple(flags))
