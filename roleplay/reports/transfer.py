"""Moving a session between computers as one JSON file: export, and a careful, idempotent import.

The file (format ``roleplay-session``, :data:`TRANSFER_VERSION`) carries the session's whole event log
(each event with its stable id; an older file without ids gives every event ``SESSION:SEQ``, the same on
every import, so one export imported into two databases, SQLite or PostgreSQL, holds the same events and
``roleplay db copy`` between them adds nothing), the scenario and rubric snapshots it was played with,
and a SHA-256 checksum of its canonical content
(the document without the ``checksum`` member, serialised as sorted-key compact UTF-8 JSON).

Import checks everything before touching the store: readable UTF-8 JSON, the right format and version,
the checksum, the structure of every event, that the snapshots match the log, and that the log replays
through the session engine. Then, in one transaction, keyed by session id:

- not stored yet: every event is written (``imported``);
- stored with the same events: nothing changes (``unchanged``), so importing twice is harmless;
- the stored events are the start of the file's (the trainee played on after an earlier export): the
  new events are appended (``updated``);
- the file's events are the start of the stored ones: nothing changes (``unchanged``, the stored copy
  is newer);
- anything else is a conflict and is refused.

An imported session that is not finished is marked abandoned, so the tutor's app never offers to resume it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roleplay import __version__
from roleplay.reports.common import iso
from roleplay.reports.queries import stored_events
from roleplay.session.audit import EventRejected, check_events
from roleplay.storage.events import Event, legacy_event_id
from roleplay.storage.gate import PracticeStore

TRANSFER_FORMAT = "roleplay-session"
TRANSFER_VERSION = 1
#: Larger files are refused before parsing (a real session is a few hundred kilobytes at most).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Deepest nesting of lists and objects accepted (an export nests about a dozen levels).
MAX_NESTING = 100
#: Most digits in one integer (times and counts need far fewer; Python refuses over 4,300 anyway).
MAX_DIGITS = 30
_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: An event id as roleplay makes them: 32 hex digits, or ``SESSION:SEQ`` (``legacy_event_id``).
_EVENT_ID = re.compile(r"[0-9a-f]{32}|[A-Za-z0-9][A-Za-z0-9_-]{0,63}:[1-9][0-9]{0,8}")


class ImportRefused(Exception):
    """A file that cannot be imported; ``str(error)`` says why, for the person importing."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one file did."""

    session_id: str
    outcome: str
    """``imported``, ``updated`` or ``unchanged``."""
    events_added: int
    detail: str
    """One sentence for the user."""


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """The canonical serialisation the checksum covers: ``doc`` without ``checksum``, sorted, compact."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def checksum(doc: dict[str, Any]) -> str:
    """The SHA-256 hex digest of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()


def export_document(store: PracticeStore, session_id: str, *, now: float | None = None) -> dict[str, Any]:
    """The export document for a stored session (raises ``SessionNotFoundError``)."""
    events = store.load_events(session_id)
    created = events[0].data
    doc: dict[str, Any] = {
        "format": TRANSFER_FORMAT,
        "version": TRANSFER_VERSION,
        "app_version": __version__,
        "exported_at": iso(time.time() if now is None else now),
        "session": {
            "id": session_id,
            "scenario": created.get("scenario"),
            "rubric": created.get("rubric"),
            "events": [{"seq": e.seq, "id": e.id, "type": e.type, "at": e.at, "data": e.data} for e in events],
        },
    }
    doc["checksum"] = {"algorithm": "sha256", "value": checksum(doc)}
    return doc


def export_text(store: PracticeStore, session_id: str, *, now: float | None = None) -> str:
    """The export file's text (pretty-printed JSON; the checksum does not depend on the layout)."""
    return json.dumps(export_document(store, session_id, now=now), indent=1, ensure_ascii=False) + "\n"


def _reject_constant(name: str) -> float:
    raise ImportRefused(f"the file contains {name}, which is not valid JSON")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ImportRefused(f"the file holds a number with {len(text.lstrip('-')):,} digits; nothing in a session "
                            f"export has more than {MAX_DIGITS}")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ImportRefused(f"the file holds the number {text[:40]}, too large for JSON to hold exactly")
    return value


def _nesting_within(doc: Any, limit: int) -> bool:
    """Whether no list or object in ``doc`` is nested deeper than ``limit`` (walked without recursion)."""
    todo: list[tuple[Any, int]] = [(doc, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return False
        if isinstance(value, dict):
            todo.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            todo.extend((v, depth + 1) for v in value if isinstance(v, dict | list))
    return True


def _too_big() -> ImportRefused:
    return ImportRefused(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, too big to be a "
                         "session export")


def parse_file(raw: bytes) -> dict[str, Any]:
    """Decode and parse the file's bytes; raises :class:`ImportRefused` with the reason."""
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"the file is not UTF-8 text (byte {error.start}); is it a session export?") from error
    if not text.strip():
        raise ImportRefused("the file is empty")
    try:
        doc = json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise ImportRefused(f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                            "it may have been cut short while copying") from error
    except RecursionError as error:
        raise ImportRefused(f"the file nests lists or objects more than {MAX_NESTING} deep; a session export "
                            "never does") from error
    if not _nesting_within(doc, MAX_NESTING):
        raise ImportRefused(f"the file nests lists or objects more than {MAX_NESTING} deep; a session export "
                            "never does")
    if not isinstance(doc, dict) or doc.get("format") != TRANSFER_FORMAT:
        raise ImportRefused("this is not a roleplay session export (no \"format\": \"roleplay-session\")")
    return doc


def _check_header(doc: dict[str, Any]) -> None:
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportRefused("the file has no format version")
    if version > TRANSFER_VERSION:
        raise ImportRefused(f"the file was made by a newer roleplay (format version {version}; this one reads "
                            f"version {TRANSFER_VERSION}). Please update roleplay")
    if version != TRANSFER_VERSION:
        raise ImportRefused(f"format version {version} is not one this roleplay can read")
    stamp = doc.get("checksum")
    if not isinstance(stamp, dict) or stamp.get("algorithm") != "sha256" or not isinstance(stamp.get("value"), str):
        raise ImportRefused("the file has no SHA-256 checksum, so it cannot be checked for changes")
    try:
        actual = checksum(doc)
    except (TypeError, ValueError) as error:
        raise ImportRefused(f"the file's content cannot be checked ({error})") from error
    if actual != stamp["value"].lower():
        raise ImportRefused("the checksum does not match: the file was changed or damaged after it was exported")


def _event_ids(raw: list[Any], session_id: str) -> list[str]:
    """Each event's stable id: the file's own (an export made since events carried ids), else the id
    every copy of an old, id-less file gets (``session_id:seq``), so importing a session into two
    databases, or twice, gives the same ids and copying one database into the other adds nothing."""
    ids = []
    for i, item in enumerate(raw, start=1):
        given = item.get("id")
        if given is None:
            ids.append(legacy_event_id(session_id, i))
        elif isinstance(given, str) and _EVENT_ID.fullmatch(given):
            ids.append(given)
        else:
            raise ImportRefused(f"event {i} has an id that is not one roleplay gives (32 hex digits, or "
                                "SESSION:SEQ for an event from before events had ids)")
    if len(set(ids)) != len(ids):
        twice = next(event_id for event_id in ids if ids.count(event_id) > 1)
        raise ImportRefused(f"the id {twice} is given to more than one event; every event has its own")
    return ids


def _events(session: Any) -> list[Event]:
    if not isinstance(session, dict):
        raise ImportRefused("the file has no \"session\" object")
    raw = session.get("events")
    if not isinstance(raw, list) or not raw:
        raise ImportRefused("the session has no events")
    events = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ImportRefused(f"event {i} is not an object")
        seq, kind, at, data = item.get("seq"), item.get("type"), item.get("at"), item.get("data")
        if seq != i or isinstance(seq, bool):
            raise ImportRefused(f"event {i} has sequence number {seq!r}; events must be numbered 1, 2, 3, ...")
        if not isinstance(kind, str) or not kind:
            raise ImportRefused(f"event {i} has no type")
        if not isinstance(at, int | float) or isinstance(at, bool) or not math.isfinite(at):
            raise ImportRefused(f"event {i} has no valid time")
        if not isinstance(data, dict):
            raise ImportRefused(f"event {i} has no data object")
        events.append(Event(seq=i, type=kind, at=float(at), data=data))
    return events


def check_document(doc: dict[str, Any]) -> tuple[str, list[Event], bool]:
    """Validate a parsed export; returns ``(session id, events, finished)`` or raises :class:`ImportRefused`."""
    _check_header(doc)
    session = doc.get("session")
    events = _events(session)
    if not isinstance(session, dict):  # _events refuses it first; this tells the type checker
        raise ImportRefused("the file has no session record")
    session_id = session.get("id")
    if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
        raise ImportRefused("the session id is missing or has characters a session id never has")
    first = events[0]
    if first.type != "session_created" or first.data.get("session_id") != session_id:
        raise ImportRefused("the first event does not create this session")
    if session.get("scenario") != first.data.get("scenario") or session.get("rubric") != first.data.get("rubric"):
        raise ImportRefused("the scenario or rubric snapshot does not match the session's own record")
    try:
        replayed = check_events(events)  # every event as the app's own action: scale, raters, phase, ...
    except EventRejected as error:
        raise ImportRefused(f"{error}; the app could not have recorded this, so the file was changed") from error
    except Exception as error:  # any other failure to replay means the log is unusable; say what broke
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportRefused(f"the session's events do not replay ({type(error).__name__}: {reason})") from error
    # The ids last: an impossible log is named by its first impossible event, however its ids look.
    ids = _event_ids(session["events"], session_id)
    events = [Event(e.seq, e.type, e.at, e.data, id=event_id) for e, event_id in zip(events, ids, strict=True)]
    return session_id, events, replayed.finished


def import_bytes(store: PracticeStore, raw: bytes) -> ImportResult:
    """Import one export file's bytes (see the module notes); raises :class:`ImportRefused`."""
    session_id, events, finished = check_document(parse_file(raw))
    stored = stored_events(store, session_id)
    n = len(stored)
    if stored == events:
        return ImportResult(session_id, "unchanged", 0, "already stored, nothing changed")
    if n < len(events) and stored == events[:n]:
        # Only a first import is marked abandoned: a copy already here keeps the status it has.
        store.import_events(session_id, events[n:], expect_stored=n, mark_abandoned=not finished and n == 0)
        if n == 0:
            return ImportResult(session_id, "imported", len(events), f"imported ({len(events)} events)")
        return ImportResult(session_id, "updated", len(events) - n,
                            f"updated: {len(events) - n} newer events added to the stored copy")
    if len(events) < n and stored[: len(events)] == events:
        return ImportResult(session_id, "unchanged", 0, "the stored copy is newer than this file; nothing changed")
    raise ImportRefused(f"a different session with the id {session_id} is already stored (their records "
                        "disagree), so nothing was changed")


def import_file(store: PracticeStore, path: Path) -> ImportResult:
    """Import one export file from disk; raises :class:`ImportRefused` (also when it cannot be read).

    The size is checked before reading, and at most one byte over the limit is ever read (a file may
    grow, or be a device), so a 2 GB file costs nothing."""
    try:
        info = path.stat()  # before opening: opening a pipe would wait for a writer
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused("this is a folder" if stat.S_ISDIR(info.st_mode)
                                else "this is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big()
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportRefused(f"the file cannot be read ({error.strerror or error})") from error
    return import_bytes(store, raw)
