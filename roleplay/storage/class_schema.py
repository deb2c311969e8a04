"""Schema version 5: a class served to many devices (``roleplay serve``).

A class has its own append-only event log (``class_events``: who joined, the groups, the seats, the
notes, the tutor's decisions), replayed into the class's state by :mod:`roleplay.classroom.state`, just
as a session's ``events`` are. Two small tables beside it are not history but bookkeeping: when each
seat was last seen (``class_presence``, so the dashboard knows who dropped out) and recent join attempts
(``class_join_attempts``, for the rate limit). The groups' practice sessions are ordinary sessions.
"""

from __future__ import annotations

import sqlite3

_V5 = """
CREATE TABLE classes (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,                  -- the short code trainees type, normalised (no dash)
    token_hash TEXT NOT NULL,                   -- sha256 of the tutor's secret token
    created_at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'open'         -- open | ended
);
CREATE TABLE class_events (
    class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (class_id, seq)
) WITHOUT ROWID;
CREATE TABLE class_presence (
    class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    device_hash TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (class_id, name)
) WITHOUT ROWID;
CREATE TABLE class_join_attempts (
    class_id TEXT,                              -- NULL when the code matched no class
    device_hash TEXT NOT NULL,
    at REAL NOT NULL,
    ok INTEGER NOT NULL
);
CREATE INDEX class_join_attempts_device ON class_join_attempts (device_hash, at)
"""


def to_v5(db: sqlite3.Connection) -> None:
    """Version 5: the class tables."""
    for statement in _V5.split(";\n"):
        if statement.strip():
            db.execute(statement)
