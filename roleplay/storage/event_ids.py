"""Schema version 6: every event has a stable id (unique across databases), for many writers.

Several processes write to one class database; a writer whose connection drops mid-write cannot know
whether its event was stored, so it sends it again with the same id, and the store keeps it once.
Events stored before this version get ``session_id:seq`` (the same on every copy of the data), so
copying two copies of one old database into one adds nothing twice. The column allows NULL only so
that the ALTER works on both backends; every writer sets it (``roleplay.storage.projection.write_event``).
"""

from __future__ import annotations

from typing import Any

_V6 = (
    "ALTER TABLE events ADD COLUMN id TEXT",
    "UPDATE events SET id = session_id || ':' || seq",
    "CREATE UNIQUE INDEX events_id ON events (id)",
    "ALTER TABLE class_events ADD COLUMN id TEXT",
    "UPDATE class_events SET id = class_id || ':' || seq",
    "CREATE UNIQUE INDEX class_events_id ON class_events (id)",
)


def to_v6(db: Any) -> None:
    """Version 6: a stable id on every event (session and class logs), unique, for idempotent writes."""
    for statement in _V6:
        db.execute(statement)
