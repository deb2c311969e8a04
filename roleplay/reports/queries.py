"""Store look-ups the reports and the command line share: a session id from a prefix, and a session's
events when it may not be stored. The queries themselves are the store's (:mod:`roleplay.storage`)."""

from __future__ import annotations

from roleplay.storage.errors import SessionNotFoundError, StorageError
from roleplay.storage.events import Event
from roleplay.storage.gate import PracticeStore


class SessionLookupError(StorageError):
    """A session id (or prefix) given on the command line matches no stored session, or several."""


def resolve_session_id(store: PracticeStore, given: str) -> str:
    """The stored session id equal to ``given``, or the only one starting with it.

    Raises :class:`SessionLookupError` with a message that lists candidates when the prefix is ambiguous.
    """
    if store.has_session(given):
        return given
    ids = store.session_ids_starting(given, 6)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise SessionLookupError(
            f"No saved practice session has an id starting with {given!r}. Check the id: the app's "
            "history screen, earlier reports and export file names show it."
        )
    shown = ", ".join(ids[:5])
    raise SessionLookupError(f"{given!r} matches several sessions ({shown}{', ...' if len(ids) > 5 else ''}); "
                             "give more of the id.")


def stored_events(store: PracticeStore, session_id: str) -> list[Event]:
    """A session's events in order, or an empty list when the session is not stored."""
    try:
        return store.load_events(session_id)
    except SessionNotFoundError:
        return []
