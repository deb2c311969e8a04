"""The app set-up every Pilot and snapshot test shares (the conftest fixtures wrap it).

One place builds the app for a test (:func:`app_factory`), one fake clock, one way to read a widget's
text and to let workers settle, and the shipped library loaded once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from roleplay.tui.app import RoleplayApp, create_app

#: The moment every test app starts at (timers and dates never change between runs).
START = 1_700_000_000.0

_SHIPPED: Any = None


class FakeClock:
    """A clock the test moves by hand (``clock.now += 60``), or one that ticks ``step`` seconds a read."""

    def __init__(self, now: float = START, step: float = 0.0) -> None:
        self.now = now
        self.step = step

    def __call__(self) -> float:
        now = self.now
        self.now += self.step
        return now


def shipped() -> Any:
    """The shipped library (loaded once per process: it does not change during a run)."""
    global _SHIPPED
    if _SHIPPED is None:
        from roleplay.content.library import load_library

        _SHIPPED = load_library(include_user=False)
    return _SHIPPED


def sample() -> Any:
    """The small fixed sample library (``roleplay.tui.core.sample_library``)."""
    from roleplay.tui.core import sample_library

    return sample_library()


AppFactory = Callable[..., RoleplayApp]


def app_factory(loader: Callable[[], Any] = sample, start: float = START, step: float = 0.0) -> AppFactory:
    """A ``make_app(data_dir, clock=None, *, loader_now=None)`` building the app for a test: the given library,
    a fresh :class:`FakeClock` (at ``start``, ticking ``step`` seconds a read) unless a clock is given, no
    cursor blink (deterministic screenshots). The ``make_app`` fixture (conftest.py) wraps it."""

    def make_app(data_dir: Path, clock_now: Callable[[], float] | None = None, *,
                 loader_now: Callable[[], Any] | None = None) -> RoleplayApp:
        return create_app(data_dir=data_dir, loader=loader_now or loader,
                          clock=clock_now or FakeClock(start, step), cursor_blink=False)

    return make_app


def text_of(app: RoleplayApp, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector).render())


def screen_name(app: RoleplayApp) -> str:
    """The class name of the screen on top."""
    return type(app.screen).__name__


async def settle(pilot: Any, rounds: int = 1) -> None:
    """Let workers finish and the screen redraw (``rounds`` times: a worker may start another)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
