"""The class screens fit the smallest terminal (trial F22): at 80x24 a paused seat's status line stays one
line, the observer's jot caption is whole, the transcript shows its newest line, and the tutor's dashboard
shows every group's ratings and flags. Pilot, over classes set up as the snapshot tests set them up."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.classroom.room import ClassRoom
from roleplay.classroom.shared import SharedSession
from roleplay.storage import open_store
from tests.snapshots import test_class_snapshots as snaps
from tests.snapshots.test_class_snapshots import fixed_secrets  # noqa: F401 (the fixed class code, autouse)


def _rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_paused_observer_seat_keeps_a_one_line_status_and_a_whole_caption(tmp_path: Path, size) -> None:
    app, ready = snaps.case_observer(tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await snaps._until(pilot, lambda: type(app.screen).__name__ == "PauseOverlay")
        status = app.screen_stack[-2].query_one("#seat-status")
        assert status.size.height == 1
        where = app.screen_stack[-2].query_one("#seat-where").render()
        assert "You: observer" in str(where) and "Ben" in str(where)  # the listener's name is there
        assert "(paused)" in _rows(app)[1]
        await pilot.press("enter")  # carry on
        await snaps._until(pilot, lambda: type(app.screen).__name__ == "SeatPlayScreen")
        text = "\n".join(_rows(app))
        assert "Jot what the listener said (optional)" in text


async def test_the_observers_transcript_shows_its_newest_line_at_80x24(tmp_path: Path) -> None:
    database = str(tmp_path / "class.db")
    class_id = snaps._class(database, ("Ana", "Ben", "Cy"))
    roles = snaps._playing(database, class_id)
    observer = next(n for n, r in roles.items() if r == "observer")
    app = snaps._seat(database, class_id, observer)
    async with app.run_test(size=(80, 24)) as pilot:
        await snaps._seated("SeatPlayScreen")(pilot)
        with open_store(database=database) as store:  # the turns go on while the seat looks on
            session_id = ClassRoom(store, class_id).state.groups["g1"].session_id
            shared = SharedSession(store, session_id, clock=snaps.fixed_clock)
            for said in ("So it has been hard to settle in, then. A month is not long, and it sounds like "
                         "every day there you have been on the outside of things, looking in.",
                         "You miss having people around you who know you, and here you are starting again "
                         "from nothing, which takes a lot out of anyone. Is that it?"):
                shared.act(lambda s, said=said: s.record_response(said))
                shared.act(lambda s: s.confirm_turn())
        await snaps._until(pilot, lambda: app.session.turn_progress()[0] == 3)
        transcript = app.screen.query_one("#transcript")
        assert transcript.max_scroll_y > 0, "the test needs a transcript longer than its box"
        assert transcript.scroll_y == transcript.max_scroll_y
        assert "Is that it?" in "\n".join(_rows(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_dashboard_shows_every_groups_ratings_and_flags(tmp_path: Path, size) -> None:
    app = snaps._dashboard(tmp_path)
    async with app.run_test(size=size) as pilot:
        await snaps._dashboard_ready(pilot)
        text = "\n".join(_rows(app))
        assert "none yet" in text  # g1's ratings
        assert "waiting for Dee, Eve, Fay" in text and "waiting for Gus, Hal, Ivy" in text
        for row in _rows(app):
            assert len(row.rstrip()) <= size[0]
