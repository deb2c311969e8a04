"""The one gate to the practice database: the interface every storage backend provides.

Everything outside ``roleplay.storage`` types against :class:`PracticeStore`, never against a backend's
class, and gets plain values back (rows as dataclasses or tuples, ids as ``str``, times as seconds since
the epoch), so a second backend (a class server on PostgreSQL) can stand in for the SQLite file without
the session, report or screen code changing. SQL lives only in the backend's modules.

Writes go through one path: :meth:`PracticeStore.append_event` (the app, one durable transaction per
action) and :meth:`PracticeStore.import_events` (many events in one transaction) store the event and its
projections the same way. :meth:`PracticeStore.events_after` is the hook for following a session live:
a follower asks for everything after the last sequence number it saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from roleplay.storage.classes import ClassRow
from roleplay.storage.events import Event
from roleplay.storage.history import DayExtremes, HistoryFilter, HistoryRows
from roleplay.storage.rows import ProgressRow, RatingRow, SessionSummary, TallyRow


@runtime_checkable
class PracticeStore(Protocol):
    """An open practice database (see the module notes). Errors raised are ``StorageError`` subclasses
    whose messages are written for the user."""

    notice: str | None
    """A message for the user about something that happened on opening (a damaged file moved aside)."""

    # ------------------------------------------------------------------ life cycle
    def close(self) -> None:
        """Release the connection."""
        ...

    def __enter__(self) -> PracticeStore:
        """Use the store as a context manager (closed on leaving)."""
        ...

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the ``with`` block."""
        ...

    # ------------------------------------------------------------------ writing (the one write path)
    def append_event(self, session_id: str, event: Event) -> None:
        """Store one event and its projections durably, in its own transaction (or the current batch's)."""
        ...

    def import_events(self, session_id: str, events: Sequence[Event], *, expect_stored: int,
                      mark_abandoned: bool) -> None:
        """Store many events of one session in ONE transaction; refused when the session no longer has
        ``expect_stored`` events stored (someone else wrote meanwhile)."""
        ...

    def batch(self) -> AbstractContextManager[Any]:
        """Join this thread's writes inside the ``with`` block into one transaction (bulk writers only)."""
        ...

    def abandon_session(self, session_id: str) -> None:
        """Mark an unfinished session abandoned: kept on record, no longer offered for resume."""
        ...

    # ------------------------------------------------------------------ events
    def load_events(self, session_id: str) -> list[Event]:
        """A session's events in order; raises ``SessionNotFoundError`` when there are none."""
        ...

    def events_after(self, session_id: str, seq: int) -> list[Event]:
        """The session's events after sequence number ``seq``, in order (the live-sync catch-up hook)."""
        ...

    # ------------------------------------------------------------------ sessions
    def session_count(self) -> int:
        """How many sessions are stored."""
        ...

    def has_session(self, session_id: str) -> bool:
        """True when a session with exactly this id is stored."""
        ...

    def session_ids_starting(self, prefix: str, limit: int = 6) -> list[str]:
        """Up to ``limit`` stored session ids starting with ``prefix``, in id order."""
        ...

    def session_summary(self, session_id: str) -> SessionSummary:
        """One session's list row; raises ``SessionNotFoundError``."""
        ...

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Active sessions, newest activity first."""
        ...

    def list_sessions(self, person: str | None = None, limit: int | None = None) -> list[SessionSummary]:
        """Stored sessions, newest activity first, optionally only those ``person`` took part in."""
        ...

    def history_sessions(self, flt: HistoryFilter, *, listener: bool = False) -> list[SessionSummary]:
        """Stored sessions matching ``flt``, newest activity first."""
        ...

    def people(self) -> list[str]:
        """Everyone who has taken part in a stored session, alphabetically."""
        ...

    def last_solo_name(self) -> str | None:
        """The name on the most recently started solo rehearsal."""
        ...

    def solo_run(self, session_id: str) -> tuple[bool, int]:
        """Whether a stored rehearsal stopped early, and how many lines it answered."""
        ...

    # ------------------------------------------------------------------ history and reports
    def rubric_snapshot(self, session_id: str) -> dict[str, Any] | None:
        """The rubric exactly as a session used it."""
        ...

    def session_with_rubric(self, rubric_id: str) -> str | None:
        """One stored session that used ``rubric_id``."""
        ...

    def person_history(self, person: str, flt: HistoryFilter, *, by_day: bool = True,
                       max_points: int | None = None) -> HistoryRows:
        """One person's ratings, counts and observations, grouped per chart point."""
        ...

    def day_extremes(self, person: str, flt: HistoryFilter, weights: dict[str, dict[str, float]],
                     behaviours: dict[str, dict[str, str]]) -> DayExtremes:
        """Each by-day series' best and latest single day."""
        ...

    def charted_rounds(self, person: str, flt: HistoryFilter, limit: int) -> int:
        """Started rounds ``person`` listened in under ``flt``, counted up to ``limit + 1``."""
        ...

    def listener_ratings(self, person: str) -> list[RatingRow]:
        """Every rating ``person`` received as listener, oldest first."""
        ...

    def listener_progress(self, person: str) -> list[ProgressRow]:
        """Per round and criterion, the mean of people's ratings ``person`` received, oldest first."""
        ...

    def listener_tallies(self, person: str) -> list[TallyRow]:
        """Every behaviour count recorded for ``person`` as listener, oldest first."""
        ...

    def class_data(self, since: float | None, tag: str | None,
                   session_ids: Sequence[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of the class report, optionally only of ``session_ids`` (see ``roleplay.storage.class_data``)."""
        ...

    # ------------------------------------------------------------------ a class's own log (issue 16)
    def create_class(self, class_id: str, code: str, token_hash: str, at: float, first: Event) -> None:
        """Save a new class and its first event in one transaction; ``StaleError`` when the code is taken."""
        ...

    def find_class(self, *, class_id: str | None = None, code: str | None = None) -> ClassRow | None:
        """The class with this id or (normalised) code, or None."""
        ...

    def latest_open_class(self) -> ClassRow | None:
        """The most recently created class that has not ended."""
        ...

    def set_token_hash(self, class_id: str, token_hash: str) -> None:
        """Replace the tutor token's hash."""
        ...

    def set_class_status(self, class_id: str, status: str) -> None:
        """Mark a class open or ended."""
        ...

    def append_class_event(self, class_id: str, event: Event) -> None:
        """Append one class event; ``StaleError`` when ``event.seq`` is not the next number."""
        ...

    def class_events_after(self, class_id: str, after: int = 0) -> list[Event]:
        """The class's events with ``seq > after``, in order."""
        ...

    def mark_seen(self, class_id: str, name: str, device_hash: str, at: float) -> None:
        """Record that ``name``'s seat is open on this device now (a heartbeat)."""
        ...

    def mark_gone(self, class_id: str, name: str, device_hash: str) -> None:
        """Record that the seat was closed on this device (only if this device still holds it)."""
        ...

    def presence(self, class_id: str) -> dict[str, tuple[str, float]]:
        """Each seat's device hash and when it was last seen."""
        ...

    def record_join_attempt(self, class_id: str | None, device_hash: str, at: float, ok: bool) -> None:
        """Remember a join attempt for the rate limit."""
        ...

    def failed_joins_since(self, device_hash: str, since: float) -> list[float]:
        """When this device's failed join attempts happened since ``since``, oldest first."""
        ...
