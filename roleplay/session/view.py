"""Read-only views of a practice session's state: phase, current round and turn, progress, timer.

Kept apart from :mod:`roleplay.session.engine` (which holds the actions) so each stays small; the
engine's :class:`~roleplay.session.engine.PracticeSession` inherits these.
"""

from __future__ import annotations

from collections.abc import Callable

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.session import flow
from roleplay.session.plan import RoundPlay
from roleplay.session.state import Phase, RoundState, SessionConfig, SessionError, TimerState, TurnState


class SessionView:
    """Derived, read-only state shared by live and replayed sessions."""

    config: SessionConfig
    rounds: list[RoundState]
    agreement_acknowledged: bool
    finished_at: float | None
    paused_since: float | None
    _clock: Callable[[], float]

    @property
    def scenario(self) -> Scenario:
        """What the current round plays (the latest started round; round 1 before any has started)."""
        current = self.current_round
        return self.scenario_for(current.number if current else 1)

    @property
    def plays(self) -> tuple[RoundPlay, ...]:
        """What each round plays, by round number (the chosen scenario whole, for older records and solo)."""
        if self.config.plays:
            return self.config.plays
        return (RoundPlay(self.config.scenario),) * len(self.rounds)

    @property
    def varied(self) -> bool:
        """Whether the rounds play different scenarios or parts."""
        return len({play.key for play in self.plays}) > 1

    def play_for(self, round_number: int) -> RoundPlay:
        """What round ``round_number`` (1-based) plays."""
        self._round(round_number)
        return self.plays[round_number - 1]

    def scenario_for(self, round_number: int) -> Scenario:
        """The scenario (or part, as a scenario of its turns) that round ``round_number`` plays."""
        if not self.config.plays:
            return self.config.scenario
        return self.play_for(round_number).played

    @property
    def rubric(self) -> Rubric:
        """The rubric snapshot this session uses."""
        return self.config.rubric

    @property
    def finished(self) -> bool:
        """Whether :meth:`finish` has been called."""
        return self.finished_at is not None

    @property
    def paused(self) -> bool:
        """Whether the session is paused."""
        return self.paused_since is not None

    @property
    def current_round(self) -> RoundState | None:
        """The round in play, or else the latest round that was played (for its debrief), or None."""
        started = [r for r in self.rounds if r.started]
        return started[-1] if started else None

    @property
    def next_round(self) -> RoundState | None:
        """The next round not yet started, or None when all have been played."""
        return next((r for r in self.rounds if not r.started), None)

    @property
    def current_turn(self) -> TurnState | None:
        """The turn being played now, or None."""
        current = self.current_round
        return current.current_turn if current else None

    @property
    def phase(self) -> Phase:
        """Where the session is: agreement, ready, playing, done or finished."""
        if self.finished:
            return Phase.finished
        if not self.agreement_acknowledged:
            return Phase.agreement
        current = self.current_round
        if current is not None and current.playing:
            return Phase.playing
        return Phase.ready if self.next_round is not None else Phase.done

    def turn_progress(self) -> tuple[int, int]:
        """``(k, n)`` for "turn k of n" in the current round; n follows the default path from here on."""
        current = self.current_round
        if current is None or not current.turns:
            upcoming = self.next_round
            scenario = self.scenario_for(upcoming.number) if upcoming else self.scenario
            return (0, flow.expected_turn_count(scenario))
        turn = current.current_turn
        if turn is None:
            return (len(current.turns), len(current.turns))
        return (turn.index + 1, turn.index + flow.remaining_turn_count(self.scenario, turn.turn_id))

    def timer(self, now: float | None = None) -> TimerState:
        """The current (or latest) round's timer, from stored timestamps; pauses are excluded."""
        now = self._clock() if now is None else now
        total = self.config.minutes * 60.0
        current = self.current_round
        if current is None or current.started_at is None:
            return TimerState(total, 0.0, total, self.paused, False)
        end = current.ended_at if current.ended_at is not None else now
        elapsed = end - current.started_at - current.paused_seconds
        if current.playing and self.paused_since is not None:
            elapsed -= max(0.0, now - self.paused_since)
        elapsed = max(0.0, elapsed)
        remaining = total - elapsed
        near = remaining <= min(60.0, 0.2 * total)
        return TimerState(total, elapsed, remaining, self.paused, near)

    def raters(self, round_number: int | None = None) -> tuple[str, ...]:
        """Who rates the listener in a round (default: the current round, else the first)."""
        chosen = self._round(round_number) if round_number else (self.current_round or self.rounds[0])
        return chosen.roles.raters

    def _round(self, number: int) -> RoundState:
        if not 1 <= number <= len(self.rounds):
            raise SessionError(f"There is no round {number}.")
        return self.rounds[number - 1]
