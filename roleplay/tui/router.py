"""The one screen router: which screen shows a session, for group practice and solo rehearsal alike.

Every move between flow screens goes through :func:`step_for` and :func:`screen_for`, both when moving
forward (the agreement acknowledged, a round started or ended, a debrief read) and when resuming a stored
session, so the two cannot disagree. Resuming also has one path (:func:`resume`): the session is loaded,
whatever a crash left half-saved is completed (the observer's view of a response, for solo and typed
groups), and then routed like any other move.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from roleplay.session.state import ListenerMode, Phase, SessionKind

if TYPE_CHECKING:
    from roleplay.session.engine import PracticeSession
    from roleplay.session.solo import SoloRehearsal
    from roleplay.tui.app import RoleplayApp


class Step(StrEnum):
    """Where in the flow a session is."""

    agreement = "agreement"
    roles = "roles"
    play = "play"
    debrief = "debrief"
    summary = "summary"


def step_for(session: PracticeSession, *, debriefed: bool = False) -> Step:
    """The step that fits the session's phase. ``debriefed``: the last round's debrief has been read (a
    round that has ended is otherwise debriefed first, the last one too: a session that is done but not
    finished never reached its summary)."""
    phase = session.phase
    current = session.current_round
    if phase == Phase.agreement:
        return Step.agreement
    if phase == Phase.playing:
        return Step.play
    if phase in (Phase.ready, Phase.done) and current is not None and current.ended and not debriefed:
        return Step.debrief  # a round that ended is debriefed first (a solo rehearsal's is its summary)
    if phase == Phase.ready:
        return Step.roles
    return Step.summary


def screen_for(step: Step, session: PracticeSession, solo: SoloRehearsal | None = None) -> Any:
    """The screen for ``step``: the group screens, or with ``solo`` the rehearsal's own."""
    if solo is not None:
        from roleplay.tui.screens.solo_play import SoloPlayScreen
        from roleplay.tui.screens.solo_summary import SoloSummaryScreen

        return SoloPlayScreen(solo) if step == Step.play else SoloSummaryScreen(solo)
    if step == Step.agreement:
        from roleplay.tui.screens.agreement import AgreementScreen

        return AgreementScreen()
    if step == Step.roles:
        from roleplay.tui.screens.roles import RolesScreen

        return RolesScreen()
    if step == Step.play:
        from roleplay.tui.screens.play import PlayScreen

        return PlayScreen()
    if step == Step.debrief:
        from roleplay.tui.screens.debrief import DebriefScreen

        current = session.current_round
        assert current is not None
        return DebriefScreen(current.number)
    from roleplay.tui.screens.summary import SummaryScreen

    return SummaryScreen()


def resume(app: RoleplayApp, session_id: str) -> bool:
    """Load a stored session (solo or group), complete what a crash left half-saved, and route to it.

    Returns False (a message shown) when it could not be loaded.
    """
    from roleplay.session.compare import observe_missing
    from roleplay.session.engine import PracticeSession
    from roleplay.session.solo import SoloRehearsal

    summary = next((u for u in app.unfinished if u.id == session_id), None)
    solo: SoloRehearsal | None = None
    if summary is not None and summary.kind == SessionKind.solo:
        # Resuming a rehearsal saves the observer's view of a response it had not finished saving.
        solo = app.act(SoloRehearsal.resume, app.store, session_id, clock=app.clock, reopen=True)
        session = solo.session if solo is not None else None
    else:
        session = app.act(PracticeSession.resume, app.store, session_id, clock=app.clock, reopen=True)
        if session is not None and session.config.mode == ListenerMode.typed:
            app.act(observe_missing, session)  # a crash between a confirm and its observation
    if session is None:
        return False
    app.session, app.solo = session, solo
    app.unfinished = [u for u in app.unfinished if u.id != session_id]
    if solo is not None and solo.phase == Phase.agreement and app.act(solo.start) is None:
        return False  # a rehearsal is started once its content notes were shown: they were
    app.route()
    return True
