"""A seat offers only what a seat can do (trial F21): the tutor forms the groups and their order, and a
seat has no home screen, so its roles screen has no Reshuffle or Set order and no screen offers esc Home.
Pilot, one seat app over a class set up through the core (as the other devices would have left it)."""

from __future__ import annotations

import asyncio

from roleplay.classroom.groups import start_group
from roleplay.classroom.room import ClassRoom, join_class
from roleplay.classroom.shared import SharedSession
from roleplay.classroom.state import Content
from roleplay.storage import open_store
from roleplay.tui.class_app import create_seat_app
from roleplay.tui.core import sample_library

NAMES = ("Ana", "Ben", "Cy")


def _class_at_roles(database: str) -> tuple[str, str]:
    """A triad that has agreed and sees round 1's roles; returns the class id and the session id."""
    library = sample_library()
    with open_store(database=database) as store:
        content = Content(next(iter(library.scenarios)), next(iter(library.rubrics)), "spoken", 5)
        room, _ = ClassRoom.create(store, defaults=content)
        for name in NAMES:
            join_class(store, room.state.code, name, f"device-{name}")
        room.form_groups()
        session_id = start_group(room, library, "g1")
        for name in NAMES:
            room.confirm_agreement("g1", name)
        SharedSession(store, session_id).act(lambda s: s.acknowledge_agreement())
        return room.class_id, session_id


async def _until(pilot, check, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        assert loop.time() < end, f"timed out on {type(pilot.app.screen).__name__}"
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def _footer_actions(app) -> set[str]:
    """The actions the footer lists (shown bindings that are enabled or greyed)."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


async def test_a_seats_roles_screen_offers_no_regrouping_and_no_home(tmp_path) -> None:
    database = str(tmp_path / "class.db")
    class_id, session_id = _class_at_roles(database)
    app = create_seat_app(device_id="device-Ben", class_id=class_id, database=database, loader=sample_library,
                          cursor_blink=False, poll=0.05)
    async with app.run_test(size=(100, 34)) as pilot:
        await _until(pilot, lambda: type(app.screen).__name__ == "SeatRolesScreen" and app.screen.drawn)
        order = list(app.session.order)
        actions = _footer_actions(app)
        assert "start" in actions
        assert not {"shuffle", "order", "app.back_home"} & actions, actions
        assert not [b for b in app.screen.query("Button") if b.id in ("shuffle", "order") and b.display]
        await pilot.press("s", "o", "escape")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SeatRolesScreen"  # no order dialog, no home
        assert list(app.session.order) == order
        await pilot.press("space")
        await _until(pilot, lambda: type(app.screen).__name__ == "SeatPlayScreen")
        with open_store(database=database) as store:  # the round ends on another device
            SharedSession(store, session_id).act(lambda s: s.end_round())
        await _until(pilot, lambda: type(app.screen).__name__ == "DebriefScreen")
        assert "app.back_home" not in _footer_actions(app)
        assert "Home" not in app.screen._compositor.render_strips()[-1].text  # the footer line
