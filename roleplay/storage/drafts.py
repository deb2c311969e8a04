"""Half-typed responses (drafts), kept beside the practice database so a closed terminal loses none.

A response, jot or solo reply is saved to the record only when it is entered; what is typed before
that is a draft. Drafts are written (debounced by the app, in a worker) to ``drafts.json`` in the data
folder, one small file replaced atomically, and read back when the same turn is shown again: after a
stop, a quit, a crash or a killed terminal. They are not part of the session's record (no event, no
report, no export), and a draft is dropped once its text has been entered.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

#: The file in the data folder holding every draft.
DRAFTS_FILE = "drafts.json"
#: Longest draft kept (characters); the response boxes allow less.
MAX_DRAFT = 20000


class Draft(BaseModel):
    """One half-typed text."""

    text: str = Field(max_length=MAX_DRAFT)
    """What had been typed, exactly."""
    saved_at: float
    """When it was saved (seconds since the epoch)."""


class DraftFile(BaseModel):
    """Every draft, by session id and then by slot (which box on which turn, e.g. ``r1-t0-response``)."""

    version: int = 1
    """The format's version."""
    sessions: dict[str, dict[str, Draft]] = Field(default_factory=dict)
    """Drafts by session id, then by slot."""


def slot(round_number: int, turn_index: int, box: str) -> str:
    """The slot name of ``box`` on a turn (``box``: ``response`` for the response/jot, ``reply`` for solo)."""
    return f"r{round_number}-t{turn_index}-{box}"


class Drafts:
    """The drafts file of one data folder; safe to call from a worker thread."""

    def __init__(self, folder: Path) -> None:
        """Keep drafts in ``folder`` (the data folder)."""
        self.path = folder / DRAFTS_FILE
        self._lock = threading.Lock()

    def _read(self) -> DraftFile:
        try:
            return DraftFile.model_validate(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError):  # missing or damaged: drafts are a convenience
            return DraftFile()

    def _write(self, drafts: DraftFile) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".drafts-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(drafts.model_dump_json())
                out.flush()
                os.fsync(out.fileno())
            os.replace(name, self.path)  # atomic: a kill mid-write leaves the old file whole
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise

    def get(self, session_id: str, where: str) -> str | None:
        """The draft in this slot, if any."""
        with self._lock:
            draft = self._read().sessions.get(session_id, {}).get(where)
        return draft.text if draft is not None else None

    def put(self, session_id: str, where: str, text: str) -> None:
        """Save (or, for empty text, drop) the draft in this slot."""
        with self._lock:
            drafts = self._read()
            kept = drafts.sessions.setdefault(session_id, {})
            if text:
                kept[where] = Draft(text=text[:MAX_DRAFT], saved_at=time.time())
            elif kept.pop(where, None) is None:
                return  # nothing to drop: no write
            if not kept:
                drafts.sessions.pop(session_id, None)
            self._write(drafts)
