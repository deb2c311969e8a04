"""One device's copy of a group's practice session, kept in step with what the other devices save.

Each seat (and the tutor's dashboard) holds its own :class:`~roleplay.session.engine.PracticeSession`
for the group. Before every action it catches up with the stored log, so the action is ordered after
everything already saved and checked against it; the store refuses a sequence number another device
took meanwhile (``SessionOpenElsewhereError``), and then the action is re-run on the caught-up session,
validated against what really happened (two people pressing pause at once give one pause). An action
that writes several events is never re-run once part of it is saved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from roleplay.session.engine import Clock, PracticeSession
from roleplay.storage.errors import SessionOpenElsewhereError, StaleError
from roleplay.storage.gate import PracticeStore

T = TypeVar("T")

#: How many times an action is re-tried after another device wrote first.
RETRIES = 8


class SharedSession:
    """A practice session several processes play at once."""

    def __init__(self, store: PracticeStore, session_id: str, *, clock: Clock = time.time) -> None:
        """Load the session from ``store``; new actions are written to it (each checked for its place)."""
        self.store = store
        self.session = PracticeSession.from_events(store.load_events(session_id), store, clock=clock)

    @property
    def id(self) -> str:
        """The session's id."""
        return self.session.id

    def sync(self) -> bool:
        """Apply what other devices saved since our last event; True when anything was new."""
        new = self.store.events_after(self.session.id, len(self.session.events))
        self.session.catch_up(new)
        return bool(new)

    def act(self, action: Callable[[PracticeSession], T]) -> T | None:
        """Run ``action`` on the caught-up session; re-run it when another device wrote first.

        Returns the action's result, or None when part of a multi-event action was saved before another
        device's write got in between (the rest is then left to whoever acts next).
        """
        for _ in range(RETRIES):
            self.sync()
            before = len(self.session.events)
            try:
                return action(self.session)
            except SessionOpenElsewhereError:
                if len(self.session.events) != before:
                    self.sync()
                    return None
        raise StaleError("The session")
