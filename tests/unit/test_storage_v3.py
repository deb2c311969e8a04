"""Schema v3: snapshots stored once, the v2 -> v3 migration, and the history totals kept right.

The totals (criterion, observer, tally and observation totals, with the session facts copied in) are
checked against the same figures recomputed from the base tables after try-again, re-rating, clearing
a rating and importing; the migration test rebuilds a genuine v2 file from a v3 one and migrates it back.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from roleplay.reports.transfer import export_text, import_bytes
from roleplay.session.engine import PracticeSession
from roleplay.session.progress import person_progress
from roleplay.session.samples import sample_rubric, sample_scenario, scored_sample_session
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import SessionConfig
from roleplay.storage import DB_NAME, Store, open_store, schema
from roleplay.storage.snapshots import REF, digest
from tests.pg_fixtures import OpenDb
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

DAY = "CAST(julianday(s.created_at, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER)"
FACTS = f"s.created_at, s.kind, s.scenario_id, s.rubric_id, {DAY}"
GROUPED_FACTS = "s.created_at, s.kind, s.scenario_id, s.rubric_id"  # every selected column grouped (PostgreSQL)

#: Each maintained table, its live rows, and the same rows recomputed from the base tables.
EXPECTED = {
    "criterion_totals": (
        "SELECT session_id, round_no, criterion_id, listener, total, n, created_at, kind, scenario_id, rubric_id,"
        " day FROM criterion_totals WHERE n != 0",
        f"SELECT r.session_id, r.round_no, r.criterion_id, r.listener, sum(r.value), count(*), {FACTS}"
        " FROM ratings r JOIN sessions s ON s.id = r.session_id WHERE r.rater != 'auto-observer'"
        f" GROUP BY r.session_id, r.round_no, r.criterion_id, r.listener, {GROUPED_FACTS}"),
    "auto_totals": (
        "SELECT session_id, round_no, criterion_id, listener, total, n, created_at, kind, scenario_id, rubric_id,"
        " day FROM auto_totals WHERE n != 0",
        f"SELECT r.session_id, r.round_no, r.criterion_id, r.listener, sum(r.value), count(*), {FACTS}"
        " FROM ratings r JOIN sessions s ON s.id = r.session_id WHERE r.rater = 'auto-observer'"
        f" GROUP BY r.session_id, r.round_no, r.criterion_id, r.listener, {GROUPED_FACTS}"),
    "tally_totals": (
        "SELECT session_id, round_no, tally_id, listener, total, rows, created_at, kind, scenario_id, rubric_id,"
        " day FROM tally_totals WHERE rows != 0",
        f"SELECT t.session_id, t.round_no, t.tally_id, t.listener, sum(t.count), count(*), {FACTS}"
        " FROM tallies t JOIN sessions s ON s.id = t.session_id WHERE t.rater != 'auto-observer'"
        f" GROUP BY t.session_id, t.round_no, t.tally_id, t.listener, {GROUPED_FACTS}"),
    "observation_totals": (
        "SELECT session_id, listener, turns, q_open, q_closed, r_simple, r_complex, created_at, kind,"
        " scenario_id, rubric_id, day FROM observation_totals WHERE turns != 0",
        "SELECT o.session_id, o.listener, count(*), sum(q_open), sum(q_closed), sum(r_simple), sum(r_complex),"
        f" {FACTS} FROM observations o JOIN sessions s ON s.id = o.session_id"
        f" GROUP BY o.session_id, o.listener, {GROUPED_FACTS}"),
}


def assert_totals_match(store: Store) -> None:
    for table, (live, recomputed) in EXPECTED.items():
        got = sorted(tuple(r) for r in store._read(live))
        want = sorted(tuple(r) for r in store._read(recomputed))
        assert got == want, table


def solo_with_retries(store: Store) -> SoloRehearsal:
    rehearsal = SoloRehearsal.create("Ben", example_scenario(), auto_rubric(), store, clock=fake_clock(),
                                     session_id="solo1")
    rehearsal.start()
    rehearsal.respond("A month in and you still feel you don't belong there. That sounds lonely.")
    rehearsal.self_rate("paraphrase", 4)
    rehearsal.try_again()
    rehearsal.respond("Do you ever talk to anyone at work?")
    rehearsal.self_rate("paraphrase", 1)
    rehearsal.self_rate("paraphrase", 3)  # re-rated
    rehearsal.next()
    rehearsal.respond("You're tired of hearing easy answers when it feels hard.")
    rehearsal.self_rate("paraphrase", 2)
    rehearsal.self_rate("paraphrase", None)  # cleared
    rehearsal.try_again()
    rehearsal.respond("What would a proper chat with someone there look like for you?")
    return rehearsal


def triad_with_changes(store: Store) -> PracticeSession:
    session = scored_sample_session(store)
    session.rate("Dev", "speaker-led", 4)  # replaces Dev's 2
    session.rate("Cleo", "feeling", None, turn_index=0)  # clears a rating
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric())
    other = PracticeSession.create(config, store, clock=fake_clock(1_700_090_000.0), session_id="triad2")
    other.acknowledge_agreement()
    other.start_round()
    other.rate("Cleo", "paraphrase", 3)
    other.change_tally("Cleo", "reflection_simple", 2)
    other.change_tally("Cleo", "reflection_simple", -1)
    other.change_tally("Cleo", "question_open", 1)
    other.change_tally("Cleo", "question_open", -1)  # back to 0: the row stays, and so does the session
    other.confirm_turn()
    return other


def test_snapshots_are_stored_once_and_events_come_back_whole(open_db: OpenDb) -> None:
    with open_db() as store:
        first = solo_with_retries(store)
        SoloRehearsal.create("Dev", example_scenario(), auto_rubric(), store, clock=fake_clock(),
                             session_id="solo2").start()
        kinds = [tuple(r) for r in store._read("SELECT kind, count(*) FROM snapshots GROUP BY kind ORDER BY kind")]
        assert kinds == [("rubric", 1), ("scenario", 1)]
        raw = json.loads(store._read("SELECT data FROM events WHERE session_id = 'solo1' AND seq = 1")[0][0])
        assert raw["scenario"] == {REF: digest(first.scenario.model_dump(mode="json"))}
        assert store.load_events("solo1") == list(first.session.events)
        again = SoloRehearsal.resume(store, "solo1")
        assert again.session.events == first.session.events
        assert again.session.rounds == first.session.rounds


def test_totals_follow_try_again_re_rating_clearing_and_import(open_db: OpenDb) -> None:
    with open_db("a") as source, open_db("b") as target:
        solo_with_retries(source)
        triad_with_changes(source)
        assert_totals_match(source)
        # Not vacuous: the try-again, clear and re-rate left rows behind and the totals say so.
        solo = source._read("SELECT total, n FROM criterion_totals WHERE session_id = 'solo1'")
        assert [tuple(r) for r in solo] == [(3, 1)]
        assert source._read("SELECT turns FROM observation_totals WHERE session_id = 'solo1'")[0][0] == 2
        tally = source._read("SELECT total, rows FROM tally_totals WHERE session_id = 'triad2'"
                            " AND tally_id = 'reflection_simple'")
        assert tuple(tally[0]) == (1, 1)
        assert tuple(source._read("SELECT total, rows FROM tally_totals WHERE session_id = 'triad2'"
                                 " AND tally_id = 'question_open'")[0]) == (0, 1)
        for sid in ("solo1", "sample-four", "triad2"):
            import_bytes(target, export_text(source, sid).encode())
        assert_totals_match(target)
        for table, (live, _) in EXPECTED.items():
            assert sorted(map(tuple, source._read(live))) == sorted(map(tuple, target._read(live))), table
        for person in ("Ben", "Ana", "Cleo"):
            a, b = person_progress(source, person, by_day=False), person_progress(target, person, by_day=False)
            assert (a.criteria, a.overall, a.metrics, a.charted) == (b.criteria, b.overall, b.metrics, b.charted)


# ------------------------------------------------------------------------------------- migration v2 -> v3
_V2_COPIES = {  # table -> the v2 columns (all but the ones v3 added)
    "participants": "session_id, name, position",
    "rounds": "session_id, round_no, speaker, listener, observers, started_at, ended_at, ended_early,"
              " card_revealed_at, paused_seconds",
    "turns": "*", "notes": "*", "ratings": "*", "tallies": "*", "observations": "*",
    "criterion_totals": "session_id, round_no, criterion_id, listener, total, n, at",
    "auto_totals": "session_id, round_no, criterion_id, listener, total, n, at",
}


def write_v2_copy(store: Store, path: Path) -> None:
    """A genuine schema-2 file (migrations 1 and 2 only) holding the same data as ``store``, snapshots
    inline in sessions and in the session_created payloads, as version 2 wrote them."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    schema.MIGRATIONS[0](db)
    schema.MIGRATIONS[1](db)
    db.execute("PRAGMA user_version = 2")
    db.execute("ATTACH DATABASE ? AS v3", (str(store.path),))
    db.execute(
        "INSERT INTO sessions SELECT id, created_at, updated_at, kind, mode, minutes, status, finished_at,"
        " agreement_id, agreement_ack_at, scenario_id, scenario_title, rubric_id,"
        " (SELECT json FROM v3.snapshots WHERE sha = scenario_sha), (SELECT json FROM v3.snapshots WHERE sha ="
        " rubric_sha) FROM v3.sessions")
    for sid in [r[0] for r in store._read("SELECT id FROM sessions")]:
        for e in store.load_events(sid):
            db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                       (sid, e.seq, e.at, e.type, json.dumps(e.data, ensure_ascii=False)))
    for table, columns in _V2_COPIES.items():
        db.execute(f"INSERT INTO {table} SELECT {columns} FROM v3.{table}")
    db.execute("COMMIT")
    db.execute("DETACH DATABASE v3")
    db.close()


def table_rows(store: Store) -> dict[str, list[tuple]]:
    names = [r[0] for r in store._read("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {n: sorted(tuple(r) for r in store._read(f"SELECT * FROM {n}")) for n in names}


def test_a_v2_database_with_data_migrates_to_v3_keeping_everything(tmp_path: Path) -> None:
    with open_store(tmp_path / "v3") as fresh:
        solo_with_retries(fresh)
        triad_with_changes(fresh)
        expected = table_rows(fresh)
        events = {sid: fresh.load_events(sid) for sid in ("solo1", "sample-four", "triad2")}
        progress = person_progress(fresh, "Ben", by_day=False)
        (tmp_path / "v2").mkdir()
        write_v2_copy(fresh, tmp_path / "v2" / DB_NAME)
    with sqlite3.connect(tmp_path / "v2" / DB_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "scenario" in json.loads(db.execute("SELECT data FROM events WHERE seq = 1").fetchone()[0])
    with open_store(tmp_path / "v2") as migrated:
        assert migrated._read("PRAGMA user_version")[0][0] == schema.SCHEMA_VERSION
        rows = table_rows(migrated)
        # Events stored before v6 get the stable id session:seq; fresh ones a random id: all else is equal.
        assert [r[-1] for r in rows["events"]] == [f"{r[0]}:{r[1]}" for r in rows["events"]]
        rows["events"] = [r[:-1] for r in rows["events"]]
        expected["events"] = [r[:-1] for r in expected["events"]]
        assert rows == expected  # every table, every row, the new columns filled in
        assert {sid: migrated.load_events(sid) for sid in events} == events
        again = person_progress(migrated, "Ben", by_day=False)
        assert (again.criteria, again.overall, again.metrics, again.charted, again.sessions) == (
            progress.criteria, progress.overall, progress.metrics, progress.charted, progress.sessions)
        assert_totals_match(migrated)
        assert PracticeSession.resume(migrated, "triad2").events == tuple(events["triad2"])
