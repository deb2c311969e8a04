"""Pytest fixtures for the PostgreSQL tier: one throwaway server per test run (per xdist worker), a fresh
database per test, and the ``backend`` parameter that runs a storage test on SQLite and on PostgreSQL.

When the server binaries or psycopg are missing, PostgreSQL tests are skipped and the end of the run says
so in one loud line; with ``CI=true`` they fail instead, because CI must run every tier.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.pgserver import INSTALL_HINT, PgServer, find_bin_dir

_PSYCOPG_HINT = ("psycopg is not installed: the PostgreSQL tier is SKIPPED. "
                 "Install it with `.venv/bin/pip install -e '.[postgres]'` (make test does this).")


def _missing() -> str | None:
    """Why the PostgreSQL tier cannot run here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return _PSYCOPG_HINT
    return None if find_bin_dir() else INSTALL_HINT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The one loud line at the end of a run (shown with -q too) when PostgreSQL tests were skipped."""
    reason = _missing()
    skipped = terminalreporter.stats.get("skipped", [])
    if reason and any(reason in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(f"!!! {reason}", red=True, bold=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A running throwaway PostgreSQL server (fsync off), stopped and deleted after the run."""
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tier, but: {reason}")
        pytest.skip(reason)
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    with PgServer(bin_dir) as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh, empty database on the test server."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """The storage backend a parametrised test runs against: ``sqlite`` or ``postgres``."""
    return str(request.param)


@pytest.fixture
def database(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh database for the test's backend, as the ``--database`` value: a URL on the throwaway
    PostgreSQL server, or an SQLite file path in a new temp folder."""
    if backend == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path_factory.mktemp("db") / "roleplay.db")


@pytest.fixture
def open_db(backend: str, request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Any]:
    """``open_db(name="main", **options)`` opens the store of a database on the test's backend; the same
    name gives the same database within a test (reopening it), another name a fresh one."""
    from roleplay.storage import open_store

    made: dict[str, str] = {}

    def opener(name: str = "main", **options: Any) -> Any:
        if name not in made:
            if backend == "postgres":
                made[name] = request.getfixturevalue("pg_server").new_database()
            else:
                made[name] = str(tmp_path_factory.mktemp(f"db-{name}") / "roleplay.db")
        return open_store(database=made[name], **options)

    return opener


#: The type of the ``open_db`` fixture, for test signatures.
OpenDb = Callable[..., Any]


@pytest.fixture
def database_env(backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """For tests that run the app in child processes: on ``postgres``, ROLEPLAY_DATABASE names a fresh
    database here and in the returned environment for the children; on ``sqlite`` nothing changes (the
    data folder's file)."""
    if backend != "postgres":
        return {}
    url = str(request.getfixturevalue("pg_url"))
    monkeypatch.setenv("ROLEPLAY_DATABASE", url)
    return {"ROLEPLAY_DATABASE": url}


def dump(store: Any) -> dict[str, list[str]]:
    """Every row of every table of ``store`` (either backend), as sorted text: equal dumps mean nothing
    stored changed."""
    if store.kind == "postgres":
        tables = [r[0] for r in store._read(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
    else:
        tables = [r[0] for r in store._read("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: sorted(repr(tuple(row)) for row in store._read(f"SELECT * FROM {table}"))
            for table in sorted(tables)}
