"""Snapshot tests of the class screens (``roleplay serve``'s seats and the tutor's dashboard) at 80x24 and
120x40: the join screen, the lobby, the speaker's, the listener's (spoken and typed) and the observer's
seat, the dashboard and its content picker.

Deterministic: the class code, the seat keys and the tutor token are fixed (the random makers are
replaced), every clock is one fixed moment, the sample library is built in code, no cursor blinks.
The class is set up through the core (as other devices would have left it) before the seat or dashboard
app opens on it, so each picture is of one device's own screen.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from roleplay.classroom import codes
from roleplay.classroom.groups import start_group
from roleplay.classroom.room import ClassRoom, join_class
from roleplay.classroom.shared import SharedSession
from roleplay.classroom.state import Content
from roleplay.storage import open_store
from roleplay.tui.class_app import create_seat_app
from roleplay.tui.core import sample_library
from roleplay.tui.dashboard_app import create_dashboard_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

NOW = 1_700_000_000.0


def fixed_clock() -> float:
    """Always the same moment: timers, presence and stalls never move between runs."""
    return NOW


@pytest.fixture(autouse=True)
def fixed_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same class code, seat keys and token on every run; local time is UTC."""
    keys = iter(("KMN4PQ", "RTU7VW", "XY3ACD", "EFH9JK", "MNP3QR", "TUV4WX", "ACD3FH", "JKM4NP", "QRT7UV", "WXY9AC"))
    monkeypatch.setattr(codes, "new_code", lambda: "HDT7AN")
    monkeypatch.setattr(codes, "new_seat_key", lambda: next(keys))
    monkeypatch.setattr(codes, "new_token", lambda: "tutor-token-for-snapshots")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _class(database: str, names: tuple[str, ...], mode: str = "spoken") -> str:
    """A class with ``names`` joined (each on ``device-NAME``, seen now); returns its id."""
    library = sample_library()
    content = Content(next(iter(library.scenarios)), next(iter(library.rubrics)), mode, 8)
    with open_store(database=database) as store:
        room, _ = ClassRoom.create(store, title="Tuesday group", defaults=content, clock=fixed_clock)
        for name in names:
            join_class(store, room.state.code, name, f"device-{name}", clock=fixed_clock)
            room.heartbeat(name, f"device-{name}")
        return room.class_id


def _playing(database: str, class_id: str, groups: int = 1) -> dict[str, str]:
    """Form the groups, start them, everyone confirms, the first round is in play; returns name -> role
    in group g1."""
    library = sample_library()
    with open_store(database=database) as store:
        room = ClassRoom(store, class_id, clock=fixed_clock)
        room.form_groups()
        roles: dict[str, str] = {}
        for group_id in list(room.state.groups)[:groups]:
            session_id = start_group(room, library, group_id, clock=fixed_clock)
            for name in room.state.groups[group_id].names:
                room.confirm_agreement(group_id, name)
            shared = SharedSession(store, session_id, clock=fixed_clock)
            shared.act(lambda s: s.acknowledge_agreement())
            shared.act(lambda s: s.start_round())
            if group_id == "g1":
                r = shared.session.current_round.roles
                roles = {r.speaker: "speaker", r.listener: "listener", **{o: "observer" for o in r.observers}}
        return roles


async def _until(pilot, check, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        assert loop.time() < end, f"timed out; screen {type(pilot.app.screen).__name__}"
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


def _seat(database: str, class_id: str | None, name: str):
    return create_seat_app(device_id=f"device-{name}", class_id=class_id, database=database, loader=sample_library,
                           clock=fixed_clock, cursor_blink=False, poll=0.05)


def _seated(screen_name: str):
    async def run_before(pilot) -> None:
        await _until(pilot, lambda: pilot.app.me is not None and type(pilot.app.screen).__name__ == screen_name
                     and getattr(pilot.app.screen, "drawn", True))
    return run_before


def _seat_case(tmp_path: Path, role: str, mode: str = "spoken"):
    database = str(tmp_path / "class.db")
    class_id = _class(database, ("Ana", "Ben", "Cy"), mode)
    roles = _playing(database, class_id)
    name = next(n for n, r in roles.items() if r == role)
    return _seat(database, class_id, name), _seated("SeatPlayScreen")


def case_join(tmp_path: Path):
    database = str(tmp_path / "class.db")
    _class(database, ())

    async def run_before(pilot) -> None:
        await _until(pilot, lambda: pilot.app.store is not None)
    return _seat(database, None, "Nobody"), run_before


def case_lobby(tmp_path: Path):
    database = str(tmp_path / "class.db")
    class_id = _class(database, ("Ana", "Ben", "Cy", "Dee"))
    return _seat(database, class_id, "Ben"), _seated("LobbyScreen")


def case_speaker(tmp_path: Path):
    return _seat_case(tmp_path, "speaker")


def case_listener_spoken(tmp_path: Path):
    return _seat_case(tmp_path, "listener")


def case_listener_typed(tmp_path: Path):
    return _seat_case(tmp_path, "listener", "typed")


def case_observer(tmp_path: Path):
    return _seat_case(tmp_path, "observer")


def case_observer_paused(tmp_path: Path):
    """The calm pause over the observer's seat: the status line under it stays one line (trial F22)."""
    app, seated = _seat_case(tmp_path, "observer")

    async def run_before(pilot) -> None:
        await seated(pilot)
        await pilot.press("ctrl+p")
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "PauseOverlay")
    return app, run_before


def _dashboard(tmp_path: Path):
    database = str(tmp_path / "class.db")
    class_id = _class(database, ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy"))
    _playing(database, class_id, groups=1)
    with open_store(database=database) as store:
        join_class(store, "HDT7AN", "Jo", "device-Jo", clock=fixed_clock)
    return create_dashboard_app(class_id=class_id, database=database, loader=sample_library, clock=fixed_clock,
                                cursor_blink=False, poll=0.05)


def _dashboard_drawn(app) -> bool:
    """The dashboard has drawn all three groups, g1 as playing (its session loaded), and has the library."""
    from roleplay.tui.widgets.groups_table import GroupsTable

    tables = app.screen.query(GroupsTable)
    cells = tables.first().cells if tables else {}
    return app.library is not None and len(cells) == 3 and cells["g1"][2] == "playing"


async def _dashboard_ready(pilot) -> None:
    """Wait for the full dashboard."""
    await _until(pilot, lambda: _dashboard_drawn(pilot.app))


def case_dashboard(tmp_path: Path):
    return _dashboard(tmp_path), _dashboard_ready


def case_content_picker(tmp_path: Path):
    async def run_before(pilot) -> None:
        await _dashboard_ready(pilot)
        await pilot.press("down", "c")  # group g2 has not started
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "ContentDialog")
    return _dashboard(tmp_path), run_before


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(CASES))
def test_class_screen(snap_compare, tmp_path: Path, screen: str, size: tuple[int, int]) -> None:
    """Each class screen looks right at the minimum and a comfortable size."""
    app, run_before = CASES[screen](tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
