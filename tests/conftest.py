"""Shared test set-up: every test gets its own data folder, so none ever touches the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The PostgreSQL tier: a throwaway server per run, and the sqlite/postgres `backend` parameter.
pytest_plugins = ["tests.pg_fixtures"]


@pytest.fixture(scope="session")
def _build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One observer build cache for the whole run (building it takes seconds; see observer/cache.py)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                   _build_cache: Path) -> Path:
    """Point ROLEPLAY_DATA_DIR, the cache and the XDG folders at temp folders; clear ROLEPLAY_LIBRARY."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(_build_cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.delenv("ROLEPLAY_LIBRARY", raising=False)
    return home / "data"


@pytest.fixture
def repo() -> Path:
    """The repository root (shipped scenarios/, rubrics/, agreements/)."""
    return REPO


def pytest_configure(config: pytest.Config) -> None:
    """Name the ``app`` marker a module sets its ``make_app`` with."""
    config.addinivalue_line(
        "markers", "app(loader=..., start=..., step=...): the library and clock the make_app fixture builds "
        "with in this module or test (see tests.apps.app_factory)")


@pytest.fixture
def make_app(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build the app for a test: ``make_app()`` on ``tmp_path / "data"``, or ``make_app(folder, clock,
    loader_now=...)``. The library and clock are the sample library and a fixed fake clock unless the
    module (``pytestmark = pytest.mark.app(loader=shipped, start=..., step=...)``) or test says otherwise."""
    from tests.apps import app_factory

    marker = request.node.get_closest_marker("app")
    build = app_factory(**(marker.kwargs if marker else {}))

    def make(data_dir: Path | None = None, clock_now=None, **kwargs):  # type: ignore[no-untyped-def]
        return build(data_dir if data_dir is not None else tmp_path / "data", clock_now, **kwargs)

    return make


@pytest.fixture
def fake_clock():  # type: ignore[no-untyped-def]
    """A clock the test moves by hand (``clock.now += 60``)."""
    from tests.apps import FakeClock

    return FakeClock()


@pytest.fixture
def observer_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every response the automatic observer is run on, in order (the real observer still answers)."""
    import roleplay.session.feedback as feedback

    calls: list[str] = []
    real = feedback.observe

    def counting(response: str, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(response)
        return real(response, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feedback, "observe", counting)
    return calls
