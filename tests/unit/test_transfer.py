"""Export and import, on both backends: the round trip (event ids kept), idempotence, updates, and every
kind of bad file refused untouched; an export imported into SQLite and into PostgreSQL is the same
session in both, so copying one database into the other adds nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.reports.record import load_record
from roleplay.reports.render import render
from roleplay.reports.sample import play_group
from roleplay.reports.transfer import (
    TRANSFER_VERSION,
    ImportRefused,
    checksum,
    export_document,
    export_text,
    import_bytes,
)
from roleplay.session.engine import PracticeSession
from roleplay.storage import DB_NAME, Store, open_store
from tests.pg_fixtures import OpenDb, dump

NAMES = ("Zephyrine Okafor", "Quillon", "Marisol")


@pytest.fixture
def source(open_db: OpenDb) -> Iterator[Store]:
    with open_db("laptop") as store:
        play_group(store, NAMES, session_id="triad0001")
        yield store


@pytest.fixture
def target(open_db: OpenDb) -> Iterator[Store]:
    with open_db("tutor") as store:
        yield store


def test_round_trip_into_an_empty_store_gives_identical_records(source: Store, target: Store) -> None:
    text = export_text(source, "triad0001")
    result = import_bytes(target, text.encode())
    assert (result.outcome, result.events_added) == ("imported", len(source.load_events("triad0001")))
    assert target.load_events("triad0001") == source.load_events("triad0001")
    assert [e.id for e in target.load_events("triad0001")] == [e.id for e in source.load_events("triad0001")]
    assert render([load_record(target, "triad0001")], "json") == render([load_record(source, "triad0001")], "json")
    assert target.session_summary("triad0001") == source.session_summary("triad0001")
    assert target.people() == sorted(NAMES)
    # The observers' notes on whole rounds travel too (their own event type, checked as the app's action).
    notes = [r.round_notes for r in load_record(target, "triad0001").rounds]
    assert [(n[0].rater, n[0].text) for n in notes] == [
        ("Marisol", "Quillon summed up what mattered to Zephyrine Okafor."),
        ("Zephyrine Okafor", "Marisol summed up what mattered to Quillon."),
        ("Quillon", "Zephyrine Okafor summed up what mattered to Marisol.")]


def test_importing_twice_changes_nothing(source: Store, target: Store) -> None:
    raw = export_text(source, "triad0001").encode()
    import_bytes(target, raw)
    before = dump(target)
    again = import_bytes(target, raw)
    assert (again.outcome, again.events_added) == ("unchanged", 0)
    assert dump(target) == before


def test_a_later_export_updates_and_an_earlier_one_changes_nothing(open_db: OpenDb, target: Store) -> None:
    with open_db("laptop2") as laptop:
        play_group(laptop, NAMES, session_id="partial01", finish=False)
        early = export_text(laptop, "partial01").encode()
        PracticeSession.resume(laptop, "partial01", clock=lambda: 1_800_000_000.0).finish()
        late = export_text(laptop, "partial01").encode()
        assert import_bytes(target, early).outcome == "imported"
        # an unfinished import is never offered for "resume" on the tutor's computer
        assert target.unfinished_sessions() == []
        assert target.session_summary("partial01").status == "abandoned"
        updated = import_bytes(target, late)
        assert (updated.outcome, updated.events_added) == ("updated", 1)
        assert target.session_summary("partial01").status == "finished"
        assert target.load_events("partial01") == laptop.load_events("partial01")
        before = dump(target)
        assert import_bytes(target, early).outcome == "unchanged"
        assert dump(target) == before


def resealed(doc: dict[str, Any]) -> bytes:
    """``doc`` with a fresh, valid checksum: the refusal must then come from the content itself."""
    doc["checksum"] = {"algorithm": "sha256", "value": checksum(doc)}
    return json.dumps(doc).encode()


def _doc(source: Store) -> dict[str, Any]:
    return export_document(source, "triad0001")


def _round_note_by(doc: dict[str, Any], rater: str) -> dict[str, Any]:
    event = next(e for e in doc["session"]["events"] if e["type"] == "round_note_recorded")
    event["data"]["rater"] = rater
    return doc


def _set_rating(doc: dict[str, Any], value: int) -> None:
    event = next(e for e in doc["session"]["events"] if e["type"] == "rating_recorded")
    event["data"]["value"] = value


BAD_FILES: dict[str, tuple[Callable[[Store], bytes], str]] = {
    "empty": (lambda s: b"", "empty"),
    "not utf-8": (lambda s: b"\xff\xfe\x00garbage", "not UTF-8"),
    "not json": (lambda s: b"hello, tutor", "not valid JSON"),
    "truncated": (lambda s: export_text(s, "triad0001").encode()[:5000], "not valid JSON"),
    "other json": (lambda s: b'{"sessions": []}', "not a roleplay session export"),
    "a list": (lambda s: b"[1, 2]", "not a roleplay session export"),
    "NaN": (lambda s: b'{"format": "roleplay-session", "x": NaN}', "NaN"),
    "tampered rating": (
        lambda s: json.dumps((d := _doc(s), _set_rating(d, 1))[0]).encode(), "checksum does not match"),
    "tampered checksum": (
        lambda s: json.dumps({**_doc(s), "checksum": {"algorithm": "sha256", "value": "0" * 64}}).encode(),
        "checksum does not match"),
    "no checksum": (lambda s: json.dumps({k: v for k, v in _doc(s).items() if k != "checksum"}).encode(),
                    "no SHA-256 checksum"),
    "newer version": (lambda s: resealed({**_doc(s), "version": TRANSFER_VERSION + 1}), "newer roleplay"),
    "older version": (lambda s: resealed({**_doc(s), "version": 0}), "not one this roleplay can read"),
    "no version": (lambda s: resealed({k: v for k, v in _doc(s).items() if k != "version"}), "no format version"),
    "no events": (lambda s: resealed({**_doc(s), "session": {**_doc(s)["session"], "events": []}}), "no events"),
    "gap in events": (
        lambda s: resealed({**(d := _doc(s)), "session": {**d["session"], "events": d["session"]["events"][:3]
                                                           + d["session"]["events"][4:]}}),
        "sequence number"),
    "off-scale rating": (lambda s: resealed((d := _doc(s), _set_rating(d, "high"))[0]),
                         r"event 6 \(rating_recorded\): .value. is not a whole number"),
    "round note by the listener": (lambda s: resealed(_round_note_by(_doc(s), "Quillon")),
                                   r"\(round_note_recorded\): Quillon is not rating in round 1"),
    "bad session id": (
        lambda s: resealed({**(d := _doc(s)), "session": {**d["session"], "id": "../../etc"}}), "session id"),
    "snapshot mismatch": (
        lambda s: resealed({**(d := _doc(s)), "session": {**d["session"], "rubric": {"id": "other"}}}),
        "snapshot does not match"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_with_a_reason_and_nothing_changes(case: str, source: Store, target: Store) -> None:
    # Something already stored, which a refused file must leave exactly as it is.
    renamed = json.loads(json.dumps(_doc(source)).replace("triad0001", "other0002"))
    assert import_bytes(target, resealed(renamed)).outcome == "imported"
    make, reason = BAD_FILES[case]
    raw = make(source)
    before = dump(target)
    with pytest.raises(ImportRefused, match=reason):
        import_bytes(target, raw)
    assert dump(target) == before


def test_a_conflicting_session_with_the_same_id_is_refused(open_db: OpenDb, source: Store, target: Store) -> None:
    with open_db("other-laptop") as other:
        play_group(other, ("Ana", "Ben", "Cleo"), session_id="triad0001")
        import_bytes(target, export_text(other, "triad0001").encode())
    before = dump(target)
    with pytest.raises(ImportRefused, match="different session with the id triad0001"):
        import_bytes(target, export_text(source, "triad0001").encode())
    assert dump(target) == before


def test_a_failure_half_way_through_the_write_leaves_nothing(source: Store, target: Store,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import roleplay.storage.projection as projection

    calls = {"n": 0}
    real = projection.project

    def flaky(db: sqlite3.Connection, session_id: str, event: object, *rest: object) -> None:
        calls["n"] += 1
        if calls["n"] == 20:
            raise sqlite3.OperationalError("disk I/O error")
        real(db, session_id, event, *rest)

    monkeypatch.setattr(projection, "project", flaky)
    before = dump(target)
    with pytest.raises(Exception, match="disk I/O error"):
        import_bytes(target, export_text(source, "triad0001").encode())
    assert dump(target) == before


def test_cli_export_and_import(source: Store, open_db: OpenDb, backend: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "handed-in" / "week3.json"
    laptop = ["--database", source.database]
    result = runner.invoke(cli, [*laptop, "export", "triad", "--out", str(out)])
    assert result.exit_code == 0 and out.exists()
    printed = runner.invoke(cli, [*laptop, "export", "triad0001", "--out", "-"])
    assert json.loads(printed.output)["session"]["id"] == "triad0001"
    bad = tmp_path / "bad.json"
    bad.write_text(out.read_text()[:-200])
    # SQLite: the tutor's data folder, made by the import; PostgreSQL: a class database on the server.
    tutor_dir = tmp_path / "tutor-cli"
    if backend == "sqlite":
        tutor = ["--data-dir", str(tutor_dir)]
    else:
        with open_db("tutor-cli") as made:
            tutor = ["--database", made.database]
    result = runner.invoke(cli, [*tutor, "import", str(bad), str(out)])
    assert result.exit_code == 1
    assert "bad.json: refused: the file is not valid JSON" in result.output
    assert "session triad0001: imported" in result.output
    again = runner.invoke(cli, [*tutor, "import", str(out)])
    assert again.exit_code == 0 and "already stored, nothing changed" in again.output
    missing = runner.invoke(cli, [*tutor, "import", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "cannot be read" in missing.output
    assert runner.invoke(cli, [*tutor, "export", "zzz"]).exit_code == 1
    assert (tutor_dir / DB_NAME).exists() == (backend == "sqlite")
    with open_store(database=tutor[1] if backend == "postgres" else str(tutor_dir / DB_NAME)) as imported:
        assert [e.id for e in imported.load_events("triad0001")] == [e.id for e in source.load_events("triad0001")]


def test_an_old_file_without_event_ids_gets_the_same_ids_everywhere(source: Store, open_db: OpenDb) -> None:
    """An export from before events carried ids: every import of it gives each event ``SESSION:SEQ``."""
    doc = _doc(source)
    for event in doc["session"]["events"]:
        del event["id"]
    raw = resealed(doc)
    with open_db("first") as first, open_db("second") as second:
        import_bytes(first, raw)
        import_bytes(second, raw)
        ids = [e.id for e in first.load_events("triad0001")]
        assert ids == [e.id for e in second.load_events("triad0001")]
        assert ids[:2] == ["triad0001:1", "triad0001:2"]
        assert import_bytes(first, export_text(source, "triad0001").encode()).outcome == "unchanged"


@pytest.mark.parametrize(("given", "reason"), [
    ("not an id!", "has an id that is not one roleplay gives"),
    (7, "has an id that is not one roleplay gives"),
    ("twice", "is given to more than one event"),
])
def test_bad_event_ids_are_refused(source: Store, target: Store, given: object, reason: str) -> None:
    doc = _doc(source)
    events = doc["session"]["events"]
    events[2]["id"] = events[1]["id"] if given == "twice" else given
    before = dump(target)
    with pytest.raises(ImportRefused, match=reason):
        import_bytes(target, resealed(doc))
    assert dump(target) == before


def test_imported_into_sqlite_and_postgres_then_copied_adds_nothing(source: Store, tmp_path: Path,
                                                                    pg_url: str) -> None:
    """The same export imported into a tutor's SQLite file and into the class database on PostgreSQL:
    the ids agree, so ``roleplay db copy`` either way finds nothing missing and no conflict."""
    raw = export_text(source, "triad0001").encode()
    sqlite_db = str(tmp_path / "tutor.db")
    for database in (sqlite_db, pg_url):
        with open_store(database=database) as store:
            assert import_bytes(store, raw).outcome == "imported"
    for origin, destination in ((sqlite_db, pg_url), (pg_url, sqlite_db)):
        result = CliRunner().invoke(cli, ["db", "copy", "--from", origin, "--to", destination])
        assert result.exit_code == 0, result.output
        assert "0 events copied (nothing was missing)" in result.output
    with open_store(database=pg_url) as server:
        assert server._read("SELECT count(*) FROM events")[0][0] == len(source.load_events("triad0001"))
