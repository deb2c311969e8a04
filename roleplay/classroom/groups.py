"""Starting a group's practice session, and carrying on after someone left (roles re-dealt).

The tutor's process does both: it has the content library, and it is the one place that decides.
A group's session is an ordinary group session (saved, resumable, in every report); seats follow it
through :class:`~roleplay.classroom.shared.SharedSession`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from roleplay.classroom.room import ClassError, ClassRoom
from roleplay.classroom.shared import SharedSession
from roleplay.session.engine import Clock, PracticeSession
from roleplay.session.state import ListenerMode, SessionConfig, SessionError

if TYPE_CHECKING:
    from roleplay.content.library import Library


def _config(room: ClassRoom, library: Library, group_id: str, names: list[str]) -> SessionConfig:
    group = room.state.groups[group_id]
    content = group.content or room.state.defaults
    if content is None:
        raise ClassError(f"Choose a scenario and rubric for group {group_id} first.")
    if content.scenario_id not in library.scenarios:
        raise ClassError(f"The library has no scenario {content.scenario_id!r}.")
    if content.rubric_id not in library.rubrics:
        raise ClassError(f"The library has no rubric {content.rubric_id!r}.")
    return SessionConfig(
        names=tuple(names), scenario=library.scenarios[content.scenario_id].model,
        rubric=library.rubrics[content.rubric_id].model, agreement_id=room.state.agreement_id,
        mode=ListenerMode(content.mode), minutes=content.minutes)


def start_group(room: ClassRoom, library: Library, group_id: str, *, clock: Clock = time.time) -> str:
    """Create the group's practice session and tell the seats; returns the session id."""
    room.sync()
    group = room.state.groups.get(group_id)
    if group is None:
        raise ClassError(f"There is no group {group_id}.")
    if group.session_id:
        return group.session_id
    try:
        session = PracticeSession.create(_config(room, library, group_id, group.names), room.store,
                                         clock=clock)
    except SessionError as error:
        raise ClassError(str(error)) from error
    room.mark_started(group_id, session.id)
    return session.id


def redeal(room: ClassRoom, library: Library, group_id: str, *, clock: Clock = time.time) -> str:
    """With the tutor's consent, the group carries on without the people whose seats are gone.

    The old session is closed (everything in it kept) and a new one starts with the people still there,
    roles dealt again; they already confirmed the agreement, so it is acknowledged. Returns its id.
    """
    room.sync()
    group = room.state.groups[group_id]
    away = set(room.away())
    staying = [n for n in group.names if n not in away]
    if len(staying) == len(group.names):
        raise ClassError(f"Everyone in group {group_id} is still here.")
    if len(staying) < 2:
        raise ClassError(f"Only {', '.join(staying) or 'nobody'} is left in group {group_id}: a group needs two. "
                         "Move them to another group, or wait for the others to come back.")
    if group.session_id:
        old = SharedSession(room.store, group.session_id, clock=clock)
        old.act(lambda s: s.finish())
    try:
        session = PracticeSession.create(_config(room, library, group_id, staying), room.store,
                                         clock=clock)
        session.acknowledge_agreement()
    except SessionError as error:
        raise ClassError(str(error)) from error
    room.mark_redealt(group_id, staying, session.id)
    return session.id
