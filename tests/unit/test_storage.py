"""Storage: round trips, projections and queries (on both backends, through ``open_db``), migrations, and
every bad condition's message.

The tests without ``open_db`` are about the SQLite file and its folder (where it lives, WAL, its
``user_version`` migrations, file locks, a damaged file); each says so, and names its PostgreSQL
counterpart where the server has one (tests/unit/test_postgres_setup.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import scored_sample_session
from roleplay.storage import (
    DB_NAME,
    DatabaseLockedError,
    DataDirError,
    SessionNotFoundError,
    StorageError,
    open_store,
    resolve_data_dir,
    schema,
)
from roleplay.storage.events import Event
from tests.pg_fixtures import OpenDb


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# SQLite only: which folder holds the file (a PostgreSQL database is named by its URL).
def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("ROLEPLAY_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_data_dir() == tmp_path / "xdg" / "roleplay"


# SQLite only: the file's folder and its PRAGMAs.
def test_open_creates_the_folder_and_uses_wal(tmp_path: Path) -> None:
    with open_store(tmp_path / "a" / "b") as store:
        assert store.path == tmp_path / "a" / "b" / DB_NAME
        assert store.notice is None
        mode = store._db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


# SQLite file: PostgreSQL's empty database is set up in test_postgres_schema_has_sqlites_tables_columns_and_keys.
def test_migrates_an_empty_file_to_the_current_version(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"")
    open_store(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
    assert {"sessions", "events", "participants", "rounds", "turns", "notes", "ratings", "tallies"} <= tables(
        tmp_path / DB_NAME
    )


# SQLite's user_version; PostgreSQL: test_pg_later_migrations_run_in_order_once.
def test_later_migrations_run_in_order_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(tmp_path).close()
    ran: list[int] = []

    def to_v2(db: sqlite3.Connection) -> None:
        ran.append(2)
        db.execute("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, to_v2])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    open_store(tmp_path).close()
    open_store(tmp_path).close()
    assert ran == [2]
    assert "extra" in tables(tmp_path / DB_NAME)


# SQLite file; PostgreSQL: test_pg_a_failed_migration_leaves_the_database_as_it_was.
def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(tmp_path).close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(StorageError):
        open_store(tmp_path)
    assert "half_done" not in tables(tmp_path / DB_NAME)
    assert list(tmp_path.glob("*.corrupt-*")) == []  # a failed migration is not mistaken for damage


# SQLite's user_version; PostgreSQL: test_db_upgrade_on_postgres_and_newer_refused.
def test_a_newer_database_is_refused_with_advice(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageError, match="newer version of roleplay"):
        open_store(tmp_path)


def test_round_trip_resumes_the_same_session(open_db: OpenDb) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        session.start_round()
        session.record_response("Sounds like lunch is the hardest part.")
    with open_db() as store:
        again = PracticeSession.resume(store, "sample-four")
        assert again.rounds == session.rounds
        assert again.events == session.events
        assert again.config == session.config
        assert again.phase == session.phase


def test_projections_answer_the_history_queries(open_db: OpenDb) -> None:
    with open_db() as store:
        scored_sample_session(store)
        ben = store.listener_ratings("Ben")
        assert len(ben) == 14  # 12 per-turn ratings + 2 per-round
        assert {r.criterion_id for r in ben if r.turn_index == -1} == {"speaker-led"}
        assert sum(r.count for r in store.listener_tallies("Ben")) == 8
        assert store.listener_ratings("Cleo") == []
        assert store.people() == ["Ana", "Ben", "Cleo", "Dev"]
        row = store._db.execute("SELECT ended_at, ended_early, speaker, observers FROM rounds"
                                " WHERE round_no = 1").fetchone()
        ended_at, ended_early, speaker, observers = row
        assert ended_at is not None and ended_early == 0
        assert (speaker, json.loads(observers)) == ("Ana", ["Cleo", "Dev"])
        turns = store._db.execute("SELECT turn_id, confirmed_at IS NOT NULL FROM turns ORDER BY turn_index")
        assert [tuple(r) for r in turns] == [("opening", 1), ("lunch", 1), ("closing", 1)]


def test_round_notes_are_stored_beside_turn_notes_and_resumed(open_db: OpenDb) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        session.start_round()  # round 2: Ben speaks, Cleo listens, Dev and Ana observe
        session.record_note("Dev", "on the first turn")
        session.record_round_note("Dev", "first thought")
        session.record_round_note("Dev", "steady all round")  # replaces
        session.record_round_note("Ana", "to be cleared")
        session.record_round_note("Ana", "")
        rows = store._db.execute("SELECT round_no, turn_index, rater, text FROM notes WHERE round_no = 2"
                                 " ORDER BY turn_index").fetchall()
        assert [tuple(r) for r in rows] == [(2, -1, "Dev", "steady all round"), (2, 0, "Dev", "on the first turn")]
    with open_db() as store:
        again = PracticeSession.resume(store, "sample-four")
        assert again.rounds[1].notes == {"Dev": "steady all round"}
        assert again.rounds[1].turns[0].notes == {"Dev": "on the first turn"}


def test_sessions_keep_a_snapshot_of_scenario_and_rubric(open_db: OpenDb) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        row = store._db.execute(
            "SELECT (SELECT json FROM snapshots WHERE sha = scenario_sha),"
            " (SELECT json FROM snapshots WHERE sha = rubric_sha) FROM sessions").fetchone()
        assert json.loads(row[0]) == session.scenario.model_dump(mode="json")
        assert json.loads(row[1]) == session.rubric.model_dump(mode="json")


def test_resume_list_finish_and_abandon(open_db: OpenDb) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        (summary,) = store.unfinished_sessions()
        assert (summary.id, summary.names, summary.rounds_total, summary.rounds_ended) == (
            "sample-four", ("Ana", "Ben", "Cleo", "Dev"), 4, 1)
        assert store.list_sessions(person="Dev") == [summary]
        assert store.list_sessions(person="Zed") == []
        session.finish()
        assert store.unfinished_sessions() == []
        assert store.session_summary("sample-four").status == "finished"
        with pytest.raises(SessionNotFoundError):
            store.load_events("nope")


def test_abandon_hides_a_session_from_resume(open_db: OpenDb) -> None:
    with open_db() as store:
        scored_sample_session(store)
        store.abandon_session("sample-four")
        assert store.unfinished_sessions() == []
        assert store.session_summary("sample-four").status == "abandoned"


@pytest.mark.parametrize("text", ["[bold]x[/]", "[/]", "🙂🙃 👍🏾", "אני מרגישה לבד", "x" * 10_000, "\t lead\n"])
def test_text_is_stored_exactly(open_db: OpenDb, text: str) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        session.start_round()
        session.record_response(text)
        stored = store._db.execute("SELECT response FROM turns WHERE round_no = 2").fetchone()[0]
        assert stored == text
        again = PracticeSession.resume(store, session.id)
        assert again.current_turn is not None and again.current_turn.response == text


def test_an_event_for_an_unknown_session_is_refused(open_db: OpenDb) -> None:
    with open_db() as store, pytest.raises(SessionNotFoundError):
        store.append_event("ghost", Event(1, "agreement_acknowledged", 0.0, {}))


# ---------------------------------------------------------------- bad conditions


# SQLite only: the data folder (PostgreSQL's bad conditions: test_postgres_setup.py).
def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError) as caught:
        open_store(blocker / "data")
    message = str(caught.value)
    assert "cannot be created" in message and "--data-dir" in message and "ROLEPLAY_DATA_DIR" in message


# SQLite only: the data folder.
def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError, match="--data-dir"):
        open_store(blocker)


# SQLite only: folder permissions (PostgreSQL's read-only role: test_read_only_role_gets_one_clear_line).
@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DataDirError, match="read-only") as caught:
            open_store(folder)
        assert "ROLEPLAY_DATA_DIR" in str(caught.value)
    finally:
        folder.chmod(0o700)


# SQLite only: the data folder's write probe.
def test_read_only_data_folder_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can write anywhere, so simulate the OS refusing the write probe."""
    real_write = Path.write_bytes

    def refuse(self: Path, data: bytes) -> int:
        if self.name.startswith(".roleplay-write-test"):
            raise PermissionError(13, "Permission denied")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(DataDirError, match=r"read-only.*--data-dir"):
        open_store(tmp_path)


# SQLite only: a file lock held by another program (PostgreSQL writers wait their turn, see
# tests/functional/test_many_writers.py).
def test_locked_database_on_open(tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError, match="in use by another program") as caught:
            open_store(tmp_path, lock_timeout=0.3)
        assert time.monotonic() - started >= 0.25  # it waited before giving up
        assert "--data-dir" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    open_store(tmp_path).close()  # fine once the other program lets go


# SQLite only: a file lock held by another program.
def test_locked_database_on_write(tmp_path: Path) -> None:
    store = open_store(tmp_path, lock_timeout=0.3)
    session = scored_sample_session(store)
    other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError):
            session.start_round()
        assert session.next_round is not None and session.next_round.number == 2  # nothing changed
    finally:
        other.execute("ROLLBACK")
        other.close()
    session.start_round()
    store.close()
    with open_store(tmp_path) as store:
        assert PracticeSession.resume(store, session.id).rounds == session.rounds


# SQLite only: a damaged file (a server keeps its own files).
def test_corrupt_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path) -> None:
    garbage = os.urandom(4096) + b"this is not sqlite"
    (tmp_path / DB_NAME).write_bytes(garbage)
    with open_store(tmp_path) as store:
        assert store.notice is not None and "moved aside" in store.notice
        (moved,) = tmp_path.glob(f"{DB_NAME}.corrupt-*")
        assert moved.name in store.notice
        assert moved.read_bytes() == garbage
        assert store.unfinished_sessions() == []
        scored_sample_session(store)  # the fresh database works


def test_progress_totals_follow_replaced_and_cleared_ratings(open_db: OpenDb) -> None:
    with open_db() as store:
        session = scored_sample_session(store)
        means = {r.criterion_id: (r.mean, r.n) for r in store.listener_progress("Ben")}
        assert means["paraphrase"] == (pytest.approx(19 / 6), 6)
        assert means["speaker-led"] == (pytest.approx(5 / 2), 2)
        session.rate("Dev", "speaker-led", 4)  # replaces Dev's 2
        session.rate("Cleo", "feeling", None, turn_index=0)  # clears Cleo's 2 on the first turn
        session.rate("auto-observer", "paraphrase", 1, turn_index=0)  # never counted
        means = {r.criterion_id: (r.mean, r.n) for r in store.listener_progress("Ben")}
        assert means["speaker-led"] == (pytest.approx(7 / 2), 2)
        assert means["feeling"] == (pytest.approx(7 / 3), 3)
        assert means["paraphrase"] == (pytest.approx(19 / 6), 6)
