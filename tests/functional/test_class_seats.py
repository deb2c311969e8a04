"""A class on many devices: three seats and the dashboard as separate apps over one store (Pilot)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from roleplay.classroom.room import ClassRoom
from roleplay.classroom.state import Content
from roleplay.storage import open_store
from roleplay.tui.class_app import create_seat_app
from roleplay.tui.core import sample_library
from roleplay.tui.dashboard_app import create_dashboard_app

SIZE = (100, 34)

async def settle(*pilots, rounds: int = 3) -> None:
    """Let every app poll the store and redraw."""
    for _ in range(rounds):
        for pilot in pilots:
            await pilot.pause(0.05)


async def until(check, *pilots, timeout: float = 20.0) -> None:
    """Wait (polling all apps) until ``check()`` is true."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        assert loop.time() < end, "timed out waiting"
        await settle(*pilots, rounds=1)


def screen_text(app) -> str:
    """Everything the app draws on its screen now (every layer, dialogs too), as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def card_fragments(persona) -> list[str]:
    """Short runs of the persona card's words (short enough not to be cut by wrapping)."""
    texts = [persona.background, persona.wants, *persona.how_to_play]
    return [" ".join(t.split()[:3]) for t in texts if len(t.split()) >= 3]


@pytest.fixture
def classroom(database):
    """A class on the test's backend (SQLite file, or a throwaway PostgreSQL database)."""
    data = database
    with open_store(database=database) as store:
        library = sample_library()
        scenario_id, rubric_id = next(iter(library.scenarios)), next(iter(library.rubrics))
        room, _ = ClassRoom.create(store, defaults=Content(scenario_id, rubric_id, "spoken", 5))
        yield data, room.class_id, room.state.code


def seat(database, class_id, device):
    return create_seat_app(device_id=device, class_id=class_id, database=database, loader=sample_library,
                           cursor_blink=False, poll=0.05)


async def join(pilot, code: str, name: str) -> None:
    await until(lambda: pilot.app.store is not None, pilot)
    await pilot.click("#code")
    await pilot.press(*code, "enter", *name, "enter")
    await until(lambda: pilot.app.me == name, pilot)


async def test_three_seats_play_a_round_with_the_dashboard(classroom) -> None:
    data, class_id, code = classroom
    dashboard = create_dashboard_app(class_id=class_id, database=data, loader=sample_library, cursor_blink=False,
                                     poll=0.05)
    apps = [seat(data, class_id, f"device-{n}") for n in ("ana", "ben", "cy")]
    async with AsyncExitStack() as stack:
        dash = await stack.enter_async_context(dashboard.run_test(size=SIZE))
        pilots = [await stack.enter_async_context(app.run_test(size=SIZE)) for app in apps]
        everyone = (dash, *pilots)
        for pilot, name in zip(pilots, ("Ana", "Ben", "Cy"), strict=True):
            await join(pilot, code, name)
        await until(lambda: dashboard.room is not None and len(dashboard.room.state.lobby()) == 3, *everyone)
        await until(lambda: dashboard.library is not None, *everyone)
        await dash.press("g")
        await dash.press("s")
        await until(lambda: all(type(a.screen).__name__ == "SeatAgreementScreen" for a in apps), *everyone)
        for pilot in pilots:
            await pilot.press("a")
        await until(lambda: all(type(a.screen).__name__ == "SeatRolesScreen" for a in apps), *everyone)
        await pilots[1].press("enter")  # anyone starts the round
        await until(lambda: all(type(a.screen).__name__ == "SeatPlayScreen" for a in apps), *everyone)
        session = apps[0].session
        roles = session.current_round.roles
        by_name = {a.me: (a, p) for a, p in zip(apps, pilots, strict=True)}
        observer_app, observer = by_name[roles.observers[0]]
        listener_app, listener = by_name[roles.listener]
        speaker_app, _ = by_name[roles.speaker]
        persona = session.scenario.persona
        # the card is drawn only on the speaker's device
        secret = card_fragments(persona)
        assert all(f in screen_text(speaker_app) for f in secret[:1]), screen_text(speaker_app)
        for other in (observer_app, listener_app, dashboard):
            shot = screen_text(other)
            assert not [f for f in secret if f in shot], shot
        # the observer rates and confirms; the dashboard sees it
        await observer.press("3")
        await until(lambda: "1 · mean" in screen_text(dashboard), *everyone)
        # the listener's device is behind: it has not looked at the store since the observer confirmed
        looks = listener_app._watch.changed
        listener_app._watch.changed = lambda: False
        await observer.press("enter")
        await until(lambda: speaker_app.session.current_turn is not None
                    and speaker_app.session.current_turn.index == 1, *everyone)
        assert listener_app.session.current_turn.index == 0
        # pause from that device: ordered after the confirmed turn, and every device shows the pause
        await listener.press("ctrl+p")
        listener_app._watch.changed = looks
        await until(lambda: all(type(a.screen).__name__ == "PauseOverlay" for a in apps), *everyone)
        with open_store(database=data) as store:
            kinds = [e.type for e in store.load_events(session.id)]
        assert kinds[-2:] == ["turn_confirmed", "paused"], kinds[-4:]
        # the device that was behind shows the confirmed turn under its pause too
        assert listener_app.screen_stack[-2].turn_index == 1
        assert "paused" in screen_text(dashboard)
        await observer.press("enter")  # carry on from another device
        await until(lambda: all(type(a.screen).__name__ == "SeatPlayScreen" for a in apps), *everyone)
        assert not listener_app.session.paused
        # stop the round from the speaker's device: debrief everywhere, then the next round's roles rotate
        await by_name[roles.speaker][1].press("ctrl+x", "y")
        await until(lambda: all(type(a.screen).__name__ == "DebriefScreen" for a in apps), *everyone)
        for pilot in pilots:
            await pilot.press("enter", "enter")
        await until(lambda: all(type(a.screen).__name__ == "SeatRolesScreen" for a in apps), *everyone)
        await pilots[0].press("enter")
        await until(lambda: all(type(a.screen).__name__ == "SeatPlayScreen" for a in apps), *everyone)
        second = apps[2].session.current_round.roles
        assert second.speaker == roles.listener and second.listener != roles.listener
        with open_store(database=data) as store:
            events = [e.type for e in store.load_events(session.id)]
        assert events.count("round_started") == 2 and events.count("paused") == 1


async def test_a_seat_drops_out_and_comes_back(classroom) -> None:
    data, class_id, code = classroom
    dashboard = create_dashboard_app(class_id=class_id, database=data, loader=sample_library, cursor_blink=False,
                                     poll=0.05)
    async with AsyncExitStack() as stack:
        dash = await stack.enter_async_context(dashboard.run_test(size=SIZE))
        ana_app, ben_app = seat(data, class_id, "device-ana"), seat(data, class_id, "device-ben")
        ana = await stack.enter_async_context(ana_app.run_test(size=SIZE))
        async with ben_app.run_test(size=SIZE) as ben:
            await join(ana, code, "Ana")
            await join(ben, code, "Ben")
            await until(lambda: dashboard.library is not None and dashboard.room is not None
                        and len(dashboard.room.state.lobby()) == 2, dash, ana, ben)
            await dash.press("g", "s")
            await until(lambda: type(ana_app.screen).__name__ == "SeatAgreementScreen", dash, ana, ben)
            await ana.press("a")
            await ben.press("a")
            await until(lambda: type(ben_app.screen).__name__ == "SeatRolesScreen", dash, ana, ben)
            await ben.press("enter")
            await until(lambda: type(ana_app.screen).__name__ == "SeatPlayScreen", dash, ana, ben)
            seat_key = ben_app.seat_key
            ben_role = ben_app.session.current_round.roles.role_of("Ben")
            assert dashboard.room.present("Ben")
            await until(lambda: getattr(ben_app.screen, "drawn", False), ben, dash, ana)
            await settle(ben, dash, ana)
        # Ben's tab closed in the middle of the round: the seat is free for Ben's own devices only
        await until(lambda: not dashboard.room.present("Ben"), dash, ana)
        intruder_app = seat(data, class_id, "device-stranger")
        async with intruder_app.run_test(size=SIZE) as intruder:
            await until(lambda: intruder_app.store is not None, intruder)
            await intruder.click("#code")
            await intruder.press(*code, "enter", *"Ben", "enter")
            await until(lambda: "already has a seat" in screen_text(intruder_app), intruder, dash, ana)
            assert intruder_app.me is None
            await settle(intruder)
        # the same device reconnecting is put straight back in its seat, on the round's screen
        back_app = seat(data, class_id, "device-ben")
        async with back_app.run_test(size=SIZE) as back:
            await until(lambda: type(back_app.screen).__name__ == "SeatPlayScreen"
                        and getattr(back_app.screen, "drawn", False), back, dash, ana)
            await settle(back, dash, ana)
            assert back_app.me == "Ben" and back_app.session.current_round.roles.role_of("Ben") == ben_role
            assert back_app.seat_key == seat_key
        # on another device, Ben's seat key (with the code and name) moves the seat there
        await until(lambda: not dashboard.room.present("Ben"), dash, ana)
        other_app = seat(data, class_id, "device-ben-laptop")
        async with other_app.run_test(size=SIZE) as other:
            await until(lambda: other_app.store is not None, other)
            await other.click("#code")
            await other.press(*code, "enter", *"Ben")
            await other.click("#key")
            await other.press(*seat_key, "enter")
            await until(lambda: type(other_app.screen).__name__ == "SeatPlayScreen"
                        and getattr(other_app.screen, "drawn", False), other, dash, ana)
            assert other_app.me == "Ben"
            await settle(other, dash, ana)
