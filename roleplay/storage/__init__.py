"""Storage: the one gate to the practice database (all SQL lives in this package).

:class:`PracticeStore` is the interface the rest of the code types against; :func:`open_store` opens the
SQLite implementation (WAL, versioned schema, append-only events plus projections). Every error it or
the store raises is a :class:`StorageError` whose message is written for the user. Nothing here imports
Textual or the session engine.
"""

from roleplay.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DataDirError,
    SessionNotFoundError,
    SessionOpenElsewhereError,
    StorageError,
)
from roleplay.storage.events import AUTO_RATER, Event, EventSink, EventType, MemorySink
from roleplay.storage.gate import PracticeStore
from roleplay.storage.history import HistoryFilter, HistoryRows
from roleplay.storage.rows import ProgressRow, RatingRow, SessionSummary, TallyRow
from roleplay.storage.store import (
    DATA_DIR_ENV,
    DB_NAME,
    Store,
    open_store,
    resolve_data_dir,
)

__all__ = [
    "AUTO_RATER",
    "DATA_DIR_ENV",
    "DB_NAME",
    "CorruptDatabaseError",
    "DataDirError",
    "DatabaseLockedError",
    "Event",
    "EventSink",
    "EventType",
    "HistoryFilter",
    "HistoryRows",
    "MemorySink",
    "PracticeStore",
    "ProgressRow",
    "RatingRow",
    "SessionNotFoundError",
    "SessionOpenElsewhereError",
    "SessionSummary",
    "StorageError",
    "Store",
    "TallyRow",
    "open_store",
    "resolve_data_dir",
]
