"""Issue 13, items 7-8: import reads bounded input, refuses deep or huge numbers without a traceback,
and replays every event through the app's own actions so an edited, re-checksummed file is refused
naming the first impossible event."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from roleplay.reports.sample import play_group
from roleplay.reports.transfer import (
    MAX_FILE_BYTES,
    ImportRefused,
    export_document,
    import_bytes,
    import_file,
)
from roleplay.session.audit import check_events, first_bad_event
from roleplay.session.rater_actions import MAX_TEXT
from roleplay.storage import Store
from roleplay.storage.events import Event
from tests.pg_fixtures import OpenDb
from tests.unit import test_transfer
from tests.unit.test_transfer import dump, resealed

NAMES = test_transfer.NAMES
source, target = test_transfer.source, test_transfer.target  # the same stores as the transfer tests


def events_of(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in doc["session"]["events"] if e["type"] == kind]


def refused(target: Store, raw: bytes) -> str:
    before = dump(target)
    with pytest.raises(ImportRefused) as caught:
        import_bytes(target, raw)
    assert dump(target) == before  # nothing changed
    return str(caught.value)


def test_rating_off_the_scale_is_refused_naming_the_event(source: Store, target: Store) -> None:
    """A rating of 99 on a 1-4 scale, checksum recomputed, was imported."""
    doc = export_document(source, "triad0001")
    rating = events_of(doc, "rating_recorded")[2]
    rating["data"]["value"] = 99
    message = refused(target, resealed(doc))
    assert message.startswith(f"event {rating['seq']} (rating_recorded): 99 is not a level on this rubric's scale")


def test_rating_by_someone_outside_the_session_is_refused(source: Store, target: Store) -> None:
    doc = export_document(source, "triad0001")
    rating = events_of(doc, "rating_recorded")[0]
    rating["data"]["rater"] = "Mallory"
    message = refused(target, resealed(doc))
    assert f"event {rating['seq']} (rating_recorded): Mallory is not rating in round" in message


@pytest.mark.parametrize("edit", ["listener", "unknown type", "second agreement", "long text", "turn",
                                  "skipped line", "criterion"])
def test_other_impossible_events_are_refused(source: Store, target: Store, edit: str) -> None:
    doc = export_document(source, "triad0001")
    log = doc["session"]["events"]
    bad: dict[str, Any]
    if edit == "listener":  # a field the engine derives from the roles
        bad = events_of(doc, "rating_recorded")[0]
        bad["data"]["listener"] = NAMES[0] if bad["data"]["listener"] != NAMES[0] else NAMES[1]
    elif edit == "unknown type":
        bad = events_of(doc, "card_revealed")[0] if events_of(doc, "card_revealed") else log[3]
        bad["type"] = "grade_overridden"
    elif edit == "second agreement":
        bad = {**events_of(doc, "agreement_acknowledged")[0]}
        position = log.index(events_of(doc, "agreement_acknowledged")[0]) + 1
        log.insert(position, bad)
        for seq, event in enumerate(log, start=1):
            event["seq"] = seq
    elif edit == "long text":
        bad = events_of(doc, "response_recorded")[0]
        bad["data"]["text"] = "x" * (MAX_TEXT + 1)
    elif edit == "turn":
        bad = events_of(doc, "response_recorded")[0]
        bad["data"]["turn_index"] = 40
    elif edit == "skipped line":  # play jumps to a turn the script does not lead to
        bad = events_of(doc, "turn_confirmed")[0]
        bad["data"]["next_turn_id"] = events_of(doc, "turn_confirmed")[-1]["data"]["next_turn_id"] or "x"
    else:
        bad = events_of(doc, "rating_recorded")[0]
        bad["data"]["criterion_id"] = "mind-reading"
    message = refused(target, resealed(doc))
    assert message.startswith(f"event {bad['seq']} ("), message


def test_every_honest_log_passes(source: Store) -> None:
    events = source.load_events("triad0001")
    assert first_bad_event(events) is None
    assert check_events(events).finished


def test_first_bad_event_names_the_first_of_several(open_db: OpenDb) -> None:
    with open_db("other") as store:
        play_group(store, NAMES, session_id="triad0002")
        events = store.load_events("triad0002")
    ratings = [i for i, e in enumerate(events) if e.type == "rating_recorded"]
    changed = list(events)
    for i in ratings[1:3]:
        changed[i] = Event(changed[i].seq, changed[i].type, changed[i].at, {**changed[i].data, "value": 42})
    bad = first_bad_event(changed)
    assert bad is not None and bad.event.seq == changed[ratings[1]].seq


def test_deep_json_is_refused_without_a_traceback(target: Store) -> None:
    """JSON nested about 1,000 deep gave a RecursionError traceback."""
    for depth in (1_000, 200_000):
        raw = b'{"format": "roleplay-session", "x": ' + b"[" * depth + b"]" * depth + b"}"
        assert "nests lists or objects more than 100 deep" in refused(target, raw)


def test_huge_integer_is_refused_without_a_traceback(target: Store) -> None:
    """An integer of over 4,300 digits gave a ValueError traceback."""
    raw = b'{"format": "roleplay-session", "version": ' + b"7" * 5_000 + b"}"
    assert "5,000 digits" in refused(target, raw)
    raw = b'{"format": "roleplay-session", "version": 1, "at": 1e999}'
    assert "too large" in refused(target, raw)


def test_huge_file_is_refused_from_its_size_without_reading(tmp_path: Path, target: Store) -> None:
    """A 2 GB file was read whole before the 50 MB check (this one is sparse: no disk used)."""
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    start = time.monotonic()
    with pytest.raises(ImportRefused, match="larger than 50 MB"):
        import_file(target, path)
    assert time.monotonic() - start < 1
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
