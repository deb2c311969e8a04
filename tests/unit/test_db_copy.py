"""``roleplay db copy`` between SQLite and PostgreSQL, both ways, idempotent, with the count check; and
``roleplay import`` into a PostgreSQL class database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.reports.sample import play_group
from roleplay.session.samples import scored_sample_session
from roleplay.storage import open_store
from roleplay.storage.copy import CHECKED, counts
from tests.pgserver import PgServer


def _rows(store: object, table: str) -> list[tuple]:
    return sorted(tuple(r) for r in store._read(f"SELECT * FROM {table}"))  # type: ignore[attr-defined]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_copy_sqlite_to_postgres_and_back_is_complete_and_idempotent(tmp_path: Path, pg_url: str,
                                                                     pg_server: PgServer) -> None:
    laptop = str(tmp_path / "laptop.db")
    with open_store(database=laptop) as store:
        play_group(store, ("Ana", "Ben", "Cleo"), session_id="triad-1")
        scored_sample_session(store)
        store.abandon_session("sample-four")
        expected = {t: _rows(store, t) for t in ("events", "ratings", "criterion_totals", "criterion_days", "turns")}
        before = counts(store)
    code, out = _run("db", "copy", "--from", laptop, "--to", pg_url)
    assert code == 0, out
    assert "2 sessions" in out and pg_server.password not in out and ":***@" in out
    assert all(f"{t:<13}" in out for t in CHECKED) and "MISSING" not in out
    with open_store(database=pg_url) as server:
        assert counts(server) == before
        for table, rows in expected.items():
            assert _rows(server, table) == rows, table  # same ids, same projections and day totals
        assert server.session_summary("sample-four").status == "abandoned"
    code, out = _run("db", "copy", "--from", laptop, "--to", pg_url)
    assert code == 0 and "0 events copied (nothing was missing)" in out
    back = str(tmp_path / "back.db")
    code, out = _run("db", "copy", "--from", pg_url, "--to", back)
    assert code == 0, out
    with open_store(database=back) as again:
        assert counts(again) == before
        assert _rows(again, "events") == expected["events"]


def test_copy_reports_a_conflicting_session_and_exits_1(tmp_path: Path, pg_url: str) -> None:
    laptop = str(tmp_path / "a.db")
    with open_store(database=laptop) as a:
        play_group(a, ("Ana", "Ben"), session_id="same-id")
    with open_store(database=pg_url) as b:
        play_group(b, ("Cleo", "Dev"), session_id="same-id")
    code, out = _run("db", "copy", "--from", laptop, "--to", pg_url)
    assert code == 1 and "session same-id differs in the target" in out


def test_copy_refuses_the_same_database_twice(tmp_path: Path) -> None:
    code, out = _run("db", "copy", "--from", str(tmp_path / "x.db"), "--to", str(tmp_path / "x.db"))
    assert code == 1 and "same database" in out


def test_import_into_postgres(tmp_path: Path, pg_url: str) -> None:
    with open_store(tmp_path / "laptop") as store:
        play_group(store, ("Ana", "Ben", "Cleo"), session_id="triad-9")
    code, out = _run("--data-dir", str(tmp_path / "laptop"), "export", "triad-9", "--out", str(tmp_path / "t.json"))
    assert code == 0, out
    for _ in range(2):  # a second import changes nothing
        code, out = _run("--database", pg_url, "import", str(tmp_path / "t.json"))
        assert code == 0, out
    with open_store(database=pg_url) as server, open_store(tmp_path / "laptop") as laptop:
        assert server.load_events("triad-9") == laptop.load_events("triad-9")
        assert _rows(server, "ratings") == _rows(laptop, "ratings")
