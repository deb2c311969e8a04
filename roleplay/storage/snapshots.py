"""Content-addressed scenario and rubric snapshots, and writing one event with them split off.

Every session keeps the scenario and rubric exactly as played, but thousands of sessions share a handful
of distinct versions. Each distinct snapshot is stored once in the ``snapshots`` table, keyed by the
SHA-256 of its canonical JSON (sorted keys, compact, UTF-8). In the stored ``session_created`` payload the
``scenario`` and ``rubric`` members become ``{"$snapshot": "<sha>"}``; :func:`attach` puts them back on
loading, so the event log still replays to an identical session and exports are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

#: The payload members of ``session_created`` that hold snapshots.
SNAPSHOT_KEYS = ("scenario", "rubric")
#: The payload member of ``session_created`` listing what each round plays: ``{"scenario": ..., "part":
#: ...}`` items whose scenarios are snapshots too (rounds often share one, so it is stored once).
ROUND_KEY = "round_scenarios"
#: The marker that replaces a snapshot in a stored payload.
REF = "$snapshot"


def digest(obj: Any) -> str:
    """The SHA-256 hex digest of ``obj``'s canonical JSON (sorted keys, compact, UTF-8)."""
    canonical = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_snapshot(db: sqlite3.Connection, kind: str, obj: Any) -> str:
    """Store ``obj`` once (as first seen, key order kept) and return its digest."""
    sha = digest(obj)
    db.execute("INSERT OR IGNORE INTO snapshots (sha, kind, json) VALUES (?, ?, ?)",
               (sha, kind, json.dumps(obj, separators=(",", ":"), ensure_ascii=False)))
    return sha


def split(db: sqlite3.Connection, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``session_created`` data with its snapshots saved and replaced by references (a copy; the
    caller's dict is left alone), and the digests by member name."""
    stored, shas = dict(data), {}
    for key in SNAPSHOT_KEYS:
        if isinstance(data.get(key), dict):
            shas[key] = save_snapshot(db, key, data[key])
            stored[key] = {REF: shas[key]}
    rounds = data.get(ROUND_KEY)
    if isinstance(rounds, list):
        stored[ROUND_KEY] = [
            {**item, "scenario": {REF: save_snapshot(db, "scenario", item["scenario"])}}
            if isinstance(item, dict) and isinstance(item.get("scenario"), dict) else item
            for item in rounds
        ]
    return stored, shas


def attach(db: sqlite3.Connection, data: dict[str, Any]) -> dict[str, Any]:
    """Put the snapshots back into a stored ``session_created`` payload (in place; returns it)."""
    for key in SNAPSHOT_KEYS:
        _attach_one(db, data, key)
    rounds = data.get(ROUND_KEY)
    if isinstance(rounds, list):
        data[ROUND_KEY] = [dict(item) for item in rounds if isinstance(item, dict)]
        for item in data[ROUND_KEY]:
            _attach_one(db, item, "scenario")
    return data


def _attach_one(db: sqlite3.Connection, data: dict[str, Any], key: str) -> None:
    ref = data.get(key)
    if isinstance(ref, dict) and len(ref) == 1 and REF in ref:
        row = db.execute("SELECT json FROM snapshots WHERE sha = ?", (ref[REF],)).fetchone()
        if row is None:  # only a hand-edited file could get here; say what is missing
            raise sqlite3.DatabaseError(f"the {key} snapshot {ref[REF][:12]} is missing")
        data[key] = json.loads(row[0])


def migrate_snapshots(db: sqlite3.Connection) -> None:
    """Schema v3's data step: move every session's snapshots into ``snapshots`` and reference them from
    ``sessions`` and from the stored ``session_created`` payloads (nothing is lost: same JSON values)."""
    by_text: dict[str, str] = {}  # most sessions share a few versions: hash each distinct text once

    def save(kind: str, text: str) -> str:
        if text not in by_text:
            by_text[text] = save_snapshot(db, kind, json.loads(text))
        return by_text[text]

    shas = [(save("scenario", scenario), save("rubric", rubric), sid)
            for sid, scenario, rubric in db.execute("SELECT id, scenario_json, rubric_json FROM sessions")]
    db.executemany("UPDATE sessions SET scenario_sha = ?, rubric_sha = ? WHERE id = ?", shas)
    updates = []
    for sid, seq, text in db.execute("SELECT session_id, seq, data FROM events WHERE type = 'session_created'"):
        stored, _ = split(db, json.loads(text))
        updates.append((json.dumps(stored, ensure_ascii=False), sid, seq))
    db.executemany("UPDATE events SET data = ? WHERE session_id = ? AND seq = ?", updates)
