"""Storage: the SQLite practice database (WAL, versioned schema, append-only events plus projections).

Use :func:`open_store`; every error it or the store raises is a :class:`StorageError` whose message is
written for the user. Nothing here imports Textual or the session engine.
"""

from roleplay.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DataDirError,
    SessionNotFoundError,
    StorageError,
)
from roleplay.storage.events import Event, EventSink, MemorySink
from roleplay.storage.store import (
    DATA_DIR_ENV,
    DB_NAME,
    SessionSummary,
    Store,
    open_store,
    resolve_data_dir,
)

__all__ = [
    "DATA_DIR_ENV",
    "DB_NAME",
    "CorruptDatabaseError",
    "DataDirError",
    "DatabaseLockedError",
    "Event",
    "EventSink",
    "MemorySink",
    "SessionNotFoundError",
    "SessionSummary",
    "StorageError",
    "Store",
    "open_store",
    "resolve_data_dir",
]
