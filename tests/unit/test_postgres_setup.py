"""Choosing the database, connecting to a real PostgreSQL server (every bad condition as one line with no
secret in it), the PostgreSQL schema against SQLite's, and ``roleplay db upgrade`` on both backends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.storage import schema as sqlite_schema
from roleplay.storage.errors import StorageError
from roleplay.storage.pg import schema as pg_schema
from roleplay.storage.pg.connect import ReadOnlyError, connect, translate
from roleplay.storage.target import DATABASE_ENV, TargetError, choose, mask, parse
from tests.pgserver import PgServer


def test_mask_hides_passwords_in_every_place() -> None:
    assert mask("postgresql://tutor:s3cr%40t@db.local:5433/class") == "postgresql://tutor:***@db.local:5433/class"
    assert mask("postgresql://tutor@db.local/class?password=hunter2&sslmode=require") == (
        "postgresql://tutor@db.local/class?password=***&sslmode=require")
    assert mask("postgresql://db.local/class") == "postgresql://db.local/class"


def test_parse_and_choose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse("postgresql://u@h/roleplay").kind == "postgres"
    assert parse("postgres://u@h/roleplay").kind == "postgres"
    assert parse(f"sqlite://{tmp_path}/x.db").path == tmp_path / "x.db"  # sqlite:///abs/path
    assert parse(str(tmp_path / "y.db")).path == tmp_path / "y.db"
    with pytest.raises(TargetError, match="names no database"):
        parse("postgresql://u:pw@h")
    with pytest.raises(TargetError, match="not to 'mysql'") as caught:
        parse("mysql://u:topsecret@h/db")
    assert "topsecret" not in str(caught.value)
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    assert choose(None, tmp_path).path == tmp_path / "roleplay.db"
    monkeypatch.setenv(DATABASE_ENV, "postgresql://env@h/class")
    assert choose(None, tmp_path).url == "postgresql://env@h/class"
    assert choose(str(tmp_path / "z.db"), tmp_path).path == tmp_path / "z.db"  # the option wins


def _message(url: str) -> str:
    with pytest.raises(StorageError) as caught:
        connect(url).close()
    message = caught.value.message
    assert "\n" not in message
    return message


def test_server_not_running(pg_server: PgServer) -> None:
    with PgServer(pg_server.bin_dir) as other:  # a port that surely had a server and now has none
        url = other.url("roleplay")
    message = _message(url)
    assert "Cannot reach a PostgreSQL server at 127.0.0.1" in message and "is the server running" in message
    assert pg_server.password not in message and ":***@" in message


def test_wrong_password(pg_server: PgServer) -> None:
    url = pg_server.url("postgres").replace(pg_server.password, "not-the-password")
    message = _message(url)
    assert "refused the login of roleplay_test" in message
    assert "not-the-password" not in message


def test_database_missing_says_how_to_create_it(pg_server: PgServer) -> None:
    message = _message(pg_server.url("no_such_class"))
    assert "'no_such_class' does not exist" in message
    assert f"createdb -h 127.0.0.1 -p {pg_server.port} -U roleplay_test no_such_class" in message
    assert pg_server.password not in message


def _reader(pg_server: PgServer, url: str) -> str:
    """A role that may connect and read ``url``'s database but not write; returns its URL."""
    name = url.rsplit("/", 1)[1]
    pg_server.admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN "
                    "CREATE ROLE reader LOGIN PASSWORD 'reader-pw'; END IF; END $$")
    pg_server.admin(f'GRANT CONNECT ON DATABASE "{name}" TO reader')
    return f"postgresql://reader:reader-pw@127.0.0.1:{pg_server.port}/{name}"


def test_read_only_role_gets_one_clear_line(pg_server: PgServer, pg_url: str) -> None:
    reader_url = _reader(pg_server, pg_url)
    with connect(pg_url) as owner:
        pg_schema.migrate(owner)
        owner.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    import psycopg

    with connect(reader_url) as reader:
        assert reader.execute("SELECT count(*) FROM sessions").fetchone() == (0,)  # reading works
        with pytest.raises(psycopg.Error) as caught:
            reader.execute("INSERT INTO snapshots VALUES ('x', 'rubric', '{}')")
    error = translate(caught.value, reader_url)
    assert isinstance(error, ReadOnlyError)
    assert "read-only for reader" in error.message and "reader-pw" not in error.message


def _columns_sqlite() -> dict[str, list[tuple[str, bool]]]:
    db = sqlite3.connect(":memory:", isolation_level=None)
    sqlite_schema.migrate(db)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: [(r[1], bool(r[5])) for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}


def test_postgres_schema_has_sqlites_tables_columns_and_keys(pg_url: str) -> None:
    with connect(pg_url) as conn:
        assert pg_schema.migrate(conn) == (0, list(range(pg_schema.BASE_VERSION, pg_schema.SCHEMA_VERSION + 1)))
        assert pg_schema.SCHEMA_VERSION == sqlite_schema.SCHEMA_VERSION
        rows = conn.execute(
            "SELECT c.table_name, c.column_name, k.column_name IS NOT NULL FROM information_schema.columns c"
            " LEFT JOIN information_schema.key_column_usage k ON k.table_name = c.table_name"
            " AND k.column_name = c.column_name AND k.constraint_name LIKE '%%_pkey'"
            " WHERE c.table_schema = 'public' AND c.table_name <> 'schema_version'"
            " ORDER BY c.table_name, c.ordinal_position").fetchall()
        triggers = {r[0] for r in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    pg: dict[str, list[tuple[str, bool]]] = {}
    for table, column, in_key in rows:
        pg.setdefault(table, []).append((column, in_key))
    assert pg == _columns_sqlite()
    assert triggers == {f"{t}_days" for t in ("criterion_totals", "auto_totals", "observation_totals",
                                               "tally_totals")}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_db_upgrade_on_sqlite_says_what_it_did(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for step in sqlite_schema.MIGRATIONS[:2]:
        step(db)
    db.execute("PRAGMA user_version = 2")
    db.close()
    now = sqlite_schema.SCHEMA_VERSION
    code, out = _run("--database", str(path), "db", "upgrade", "--dry-run")
    assert code == 0 and f"would apply {now - 2} migrations (version 2 -> version {now})" in out
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2  # dry run: untouched
    code, out = _run("--database", str(path), "db", "upgrade")
    assert code == 0 and f"applied {now - 2} migrations (version 2 -> version {now})" in out and "  3: " in out
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == sqlite_schema.SCHEMA_VERSION
    code, out = _run("--database", str(path), "db", "upgrade")
    assert code == 0 and "up to date; nothing to do" in out


def test_db_upgrade_on_postgres_and_newer_refused(pg_url: str, pg_server: PgServer) -> None:
    code, out = _run("--database", pg_url, "db", "upgrade")
    steps = pg_schema.SCHEMA_VERSION - pg_schema.BASE_VERSION + 1
    assert code == 0 and f"applied {steps} migrations (empty -> version {pg_schema.SCHEMA_VERSION})" in out
    assert pg_server.password not in out and ":***@" in out
    code, out = _run("--database", pg_url, "db", "upgrade")
    assert code == 0 and "up to date" in out
    with connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    code, out = _run("--database", pg_url, "db", "upgrade")
    assert code == 1 and "newer version of roleplay (schema 99" in out and len(out.strip().splitlines()) == 1


def test_db_upgrade_as_read_only_role(pg_server: PgServer, pg_url: str) -> None:
    code, out = _run("--database", _reader(pg_server, pg_url), "db", "upgrade")
    assert code == 1 and "read-only for reader" in out and "reader-pw" not in out
    assert len(out.strip().splitlines()) == 1


def test_pg_later_migrations_run_in_order_once(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []

    def to_next(cur: object) -> None:
        ran.append(pg_schema.SCHEMA_VERSION)
        cur.execute("CREATE TABLE extra (x INTEGER)")  # type: ignore[attr-defined]

    with connect(pg_url) as conn:
        pg_schema.migrate(conn)
        monkeypatch.setattr(pg_schema, "MIGRATIONS", [*pg_schema.MIGRATIONS, to_next])
        monkeypatch.setattr(pg_schema, "SCHEMA_VERSION", len(pg_schema.MIGRATIONS))
        found, applied = pg_schema.migrate(conn)
        assert (found, applied) == (pg_schema.SCHEMA_VERSION - 1, [pg_schema.SCHEMA_VERSION])
        assert pg_schema.migrate(conn) == (pg_schema.SCHEMA_VERSION, [])
        assert ran == [pg_schema.SCHEMA_VERSION]
        assert conn.execute("SELECT to_regclass('extra') IS NOT NULL").fetchone() == (True,)


def test_pg_a_failed_migration_leaves_the_database_as_it_was(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(cur: object) -> None:
        cur.execute("CREATE TABLE half_done (x INTEGER)")  # type: ignore[attr-defined]
        raise RuntimeError("boom")

    with connect(pg_url) as conn:
        pg_schema.migrate(conn)
        was = pg_schema.SCHEMA_VERSION
        monkeypatch.setattr(pg_schema, "MIGRATIONS", [*pg_schema.MIGRATIONS, broken])
        monkeypatch.setattr(pg_schema, "SCHEMA_VERSION", len(pg_schema.MIGRATIONS))
        with pytest.raises(RuntimeError, match="boom"):
            pg_schema.migrate(conn)
        assert conn.execute("SELECT to_regclass('half_done') IS NULL").fetchone() == (True,)
        assert conn.execute("SELECT version FROM schema_version").fetchone() == (was,)


@pytest.mark.parametrize("command", [["sessions"], ["class-report"], ["import", "EXPORT"], ["db", "upgrade"]])
def test_every_bad_condition_is_one_line_and_exit_1_at_the_command_line(pg_server: PgServer, pg_url: str,
                                                                         command: list[str], tmp_path: Path) -> None:
    """Server not running, wrong password, database missing, read-only role: each command that opens the
    class database says it in one line, exits 1, shows no traceback and no secret."""
    if "EXPORT" in command:
        from roleplay.reports.sample import play_group
        from roleplay.reports.transfer import export_text
        from roleplay.storage import open_store

        with open_store(tmp_path / "laptop") as laptop:
            play_group(laptop, ("Ana", "Ben", "Cleo"), session_id="triad-1")
            (tmp_path / "t.json").write_text(export_text(laptop, "triad-1"))
        command = ["import", str(tmp_path / "t.json")]
    with PgServer(pg_server.bin_dir) as gone:
        not_running = gone.url("roleplay")
    with connect(pg_url) as owner:
        pg_schema.migrate(owner)
        owner.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC")
    reader = _reader(pg_server, pg_url)
    cases = {
        not_running: "Cannot reach a PostgreSQL server",
        pg_server.url("postgres").replace(pg_server.password, "wrong-pw"): "refused the login of roleplay_test",
        pg_server.url("no_such_class"): "createdb -h 127.0.0.1",
    }
    if command[0] == "import":  # writing as a read-only role (db upgrade: test_db_upgrade_as_read_only_role)
        cases[reader] = "read-only for reader"
    for url, expected in cases.items():
        result = CliRunner().invoke(cli, ["--database", url, *command])
        out = result.output.strip()
        assert result.exit_code == 1, (url, out)
        assert expected in out and len(out.splitlines()) == 1, out
        assert "Traceback" not in out and pg_server.password not in out and gone.password not in out
        assert "wrong-pw" not in out and "reader-pw" not in out
