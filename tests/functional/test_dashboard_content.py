"""The tutor's content picker on the dashboard (Pilot): scenario, rubric, mode and minutes for one group
or for every group; the class report exported from the dashboard covers that class only.

The browser's dashboard is this same app (the tutor's page runs ``roleplay dashboard``), so these keys
are the browser's too.
"""

from __future__ import annotations

import asyncio

from roleplay.classroom.groups import start_group
from roleplay.classroom.room import ClassRoom, join_class
from roleplay.classroom.state import Content
from roleplay.session.state import ListenerMode
from roleplay.storage import open_store
from roleplay.tui.dashboard_app import create_dashboard_app
from tests.apps import shipped

SIZE = (120, 40)


async def until(check, pilot, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        assert loop.time() < end, "timed out waiting"
        await pilot.pause(0.05)


def _class(store, names, defaults: Content) -> ClassRoom:
    room, _ = ClassRoom.create(store, defaults=defaults)
    for name in names:
        join_class(store, room.state.code, name, f"device-{name}")
    return room


async def _pick(pilot, *, scenario_steps: int, rubric_steps: int, typed: bool, minutes: str) -> None:
    """In the open picker: move down the scenario and rubric lists, set the mode and minutes, apply."""
    screen = pilot.app.screen
    assert type(screen).__name__ == "ContentDialog"
    await pilot.press(*["down"] * scenario_steps, "enter")  # enter on a list moves on to the next part
    await pilot.press(*["down"] * rubric_steps, "enter")
    box = screen.query_one("#content-typed")
    if box.value != typed:
        await pilot.press("ctrl+t")
    field = screen.query_one("#content-minutes")
    field.value = minutes
    await pilot.press("ctrl+s")
    await pilot.pause(0.1)


async def test_tutor_picks_content_per_group_and_for_all(database, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(tmp_path / "data"))
    library = shipped()
    scenarios = sorted(library.scenarios, key=lambda i: (library.scenarios[i].model.title.casefold(), i))
    rubrics = sorted(library.rubrics, key=lambda i: (library.rubrics[i].model.title.casefold(), i))
    assert len(scenarios) >= 3 and len(rubrics) >= 2
    with open_store(database=database) as store:
        room = _class(store, ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay"), Content(scenarios[0], rubrics[0], "spoken", 10))
        other = _class(store, ("Gus", "Hal", "Ivy"), Content(scenarios[0], rubrics[0], "spoken", 10))
        other.form_groups()
        start_group(other, library, "g1")  # a second class on the same day: not in this class's report
        room.form_groups()
        dashboard = create_dashboard_app(class_id=room.class_id, database=database, loader=shipped,
                                         cursor_blink=False, poll=0.05)
        async with dashboard.run_test(size=SIZE) as pilot:
            await until(lambda: dashboard.library is not None and dashboard.room is not None
                        and len(dashboard.room.state.groups) == 2, pilot)
            # one group: the second scenario, the second rubric, typed, 7 minutes
            await pilot.press("c")
            await until(lambda: type(dashboard.screen).__name__ == "ContentDialog", pilot)
            title = dashboard.screen.query_one("#content-title").render()
            assert "group g1" in str(title)
            await _pick(pilot, scenario_steps=1, rubric_steps=1, typed=True, minutes="7")
            room.sync()
            assert room.state.groups["g1"].content == Content(scenarios[1], rubrics[1], "typed", 7)
            assert room.state.groups["g2"].content == Content(scenarios[0], rubrics[0], "spoken", 10)
            # minutes out of range: said on the dialog, nothing changes until it is right
            await pilot.press("C")
            await until(lambda: type(dashboard.screen).__name__ == "ContentDialog", pilot)
            dashboard.screen.query_one("#content-minutes").value = "0"
            await pilot.press("ctrl+s")
            await pilot.pause(0.1)
            assert type(dashboard.screen).__name__ == "ContentDialog"
            assert "whole number from 1 to 120" in str(dashboard.screen.query_one("#content-error").render())
            await pilot.press("escape")
            await pilot.pause(0.1)
            room.sync()
            assert room.state.groups["g1"].content.minutes == 7
            # start g1; then "for all": g2 and later groups change, the playing g1 keeps its content
            await pilot.press("s")
            await until(lambda: all(g.session_id for g in dashboard.room.state.groups.values()), pilot)
            session_g1 = dashboard.shared["g1"].session
            assert session_g1.config.mode == ListenerMode.typed and session_g1.config.minutes == 7
            assert session_g1.scenario.id == scenarios[1] and session_g1.rubric.id == rubrics[1]
            for name in ("Jo", "Kim", "Lu"):
                join_class(store, room.state.code, name, f"device-{name}")
            await pilot.press("C")
            await until(lambda: type(dashboard.screen).__name__ == "ContentDialog", pilot)
            await _pick(pilot, scenario_steps=2, rubric_steps=0, typed=False, minutes="12")
            room.sync()
            chosen = Content(scenarios[2], rubrics[0], "spoken", 12)
            assert room.state.defaults == chosen
            assert room.state.groups["g1"].content == Content(scenarios[1], rubrics[1], "typed", 7)
            (g3,) = room.form_groups()
            assert g3.content == chosen
            # c on a group that has started says so instead of opening the picker
            await pilot.press("c")
            await pilot.pause(0.1)
            assert type(dashboard.screen).__name__ == "DashboardScreen"
            # the class report exported here covers this class's groups only
            await until(lambda: "g3" in dashboard.shared or len(dashboard.room.state.groups) == 3, pilot)
            await pilot.press("x")
            await pilot.pause(0.3)
            reports = list((tmp_path / "data").glob("class-*.md"))
            assert len(reports) == 1
            text = reports[0].read_text()
            assert f"class {room.state.code[:3]}-{room.state.code[3:]} only" in text
            assert "2 sessions" in text and "Gus" not in text and "Ivy" not in text
