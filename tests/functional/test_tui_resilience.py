"""Pilot tests of what must never go wrong: resume after a crash, pause, stop early, typed text that looks
like markup, a tiny terminal and a broken data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roleplay.tui.widgets.too_small import TooSmallNotice
from tests.apps import AppFactory, FakeClock
from tests.functional.test_tui_flow import SIZE, rate_turn, screen_name, text_of
from tests.functional.tui_steps import resume, to_play, to_roles


async def test_resume_after_crash_restores_position(make_app: AppFactory, tmp_path: Path) -> None:
    """An app that stops mid-round (never finished) is offered for resume with every rating kept."""
    data = tmp_path / "data"
    first = make_app(data)
    async with first.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await pilot.press("ctrl+r")
        await rate_turn(pilot, 3, 2, 4)
        await pilot.press("2", "3")  # turn 2 half rated, not confirmed
        await pilot.pause()
        session_id = first.session.id
    # No finish, no clean close of the session: the next start must offer to resume it.
    second = make_app(data)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await second.workers.wait_for_complete()
        await pilot.pause()
        offered = second.screen.query_one("#resume")
        assert offered.display
        assert "Sample: first weeks" in str(offered.label)
        await pilot.press("r")
        await pilot.pause()
        assert screen_name(second) == "PlayScreen"
        session = second.session
        assert session.id == session_id
        assert "Turn 2/3" in text_of(second, "#play-where")
        assert session.current_round.card_revealed
        panel = second.screen.query_one("#panel")
        assert panel.values == {"paraphrase": 2, "feeling": 3}
        first_turn = session.current_round.turns[0]
        assert {c: e.value for (_, c), e in first_turn.ratings.items()} == {
            "paraphrase": 3, "feeling": 2, "open-question": 4}


async def test_pause_stops_the_timer_and_resumes(make_app: AppFactory, tmp_path: Path) -> None:
    """Pause at any moment: a calm overlay, the timer excludes the paused time, play carries on."""
    clock = FakeClock()
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        clock.now += 60
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert screen_name(app) == "PauseOverlay"
        assert app.session.paused
        clock.now += 600
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert not app.session.paused
        timer = app.session.timer()
        assert timer.elapsed == pytest.approx(60)
        assert "4:00 left" in str(app.screen.query_one("#timer").render())


async def test_timer_warns_but_never_cuts_off(make_app: AppFactory, tmp_path: Path) -> None:
    """Past the round's minutes the turn stays open and rating goes on."""
    clock = FakeClock()
    app = make_app(tmp_path / "data", clock)
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        clock.now += 4 * 60 + 30
        app.screen.tick()
        timer = app.screen.query_one("#timer")
        assert timer.has_class("-warning")
        clock.now += 120
        app.screen.tick()
        assert timer.has_class("-overtime")
        await rate_turn(pilot, 3, 3, 3)
        assert app.session.current_turn.index == 1
        assert screen_name(app) == "PlayScreen"


async def test_stop_from_pause_overlay(make_app: AppFactory, tmp_path: Path) -> None:
    """The pause overlay can stop the round; it goes to the debrief marked as stopped early."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        await pilot.press("ctrl+p", "x")
        await pilot.pause()
        assert screen_name(app) == "DebriefScreen"
        assert app.session.rounds[0].ended_early
        assert not app.session.paused


MARKUP = "[bold]loud[/] [/] [red]x 🙂 مرحبا بك [link=http://x]y[/link]"


async def test_markup_like_text_is_shown_as_text(make_app: AppFactory, tmp_path: Path) -> None:
    """Markup-like names, responses and notes, emoji, RTL and 10,000 characters: shown as typed."""
    app = make_app(tmp_path / "data")
    long_text = ("word " * 2000)[:10_000]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles(pilot, ["[b]Zoe[/b]", "Ben [/]", "Cy"])
        assert "[b]Zoe[/b]" in text_of(app, "#roles-now")
        await pilot.press("enter")
        await pilot.pause()
        response = app.screen.query_one("#response")
        response.value = MARKUP
        response.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        note = app.screen.query_one("#note-input")
        note.value = "[/] [bold]note"
        await pilot.press("enter")
        await pilot.pause()
        await rate_turn(pilot, 3, 3, 3)
        body = app.screen.query_one("#transcript-body").render()
        assert MARKUP in body.plain
        assert all("link" not in str(span.style) for span in body.spans)
        response = app.screen.query_one("#response")
        response.value = long_text
        response.focus()
        await pilot.press("enter")
        await pilot.pause()
        await rate_turn(pilot, 2, 2, 2)
        assert long_text in app.screen.query_one("#transcript-body").render().plain
        assert app.session.rounds[0].turns[1].response == long_text
        await pilot.press("ctrl+x", "y")
        await pilot.pause()
        shown = text_of(app, "#debrief-text")
        assert MARKUP in shown and "[/] [bold]note" in shown


async def test_too_small_terminal_shows_a_clear_message(make_app: AppFactory, tmp_path: Path) -> None:
    """Below 80x24 the notice covers the screen; back at 80x24 it goes away."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(79, 24)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one(TooSmallNotice)
        assert notice.display and notice.region.width == 79
        assert "Please enlarge the terminal" in str(notice.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.query_one(TooSmallNotice).display


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
async def test_read_only_data_folder_gives_a_message(make_app: AppFactory, tmp_path: Path) -> None:
    """A data folder that cannot be written shows a message screen, not a traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        app = make_app(locked / "data")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen_name(app) == "MessageScreen"
            assert "ROLEPLAY_DATA_DIR" in text_of(app, "#message-text")
    finally:
        locked.chmod(0o700)


async def test_unusable_data_folder_gives_a_message(make_app: AppFactory, tmp_path: Path) -> None:
    """A data folder path that is a file: a message screen naming how to choose another."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = make_app(blocker / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen_name(app) == "MessageScreen"
        assert "--data-dir" in text_of(app, "#message-text")
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_resume_with_four_remembers_which_observer_is_rating(make_app: AppFactory, tmp_path: Path) -> None:
    """Four people: after Hal finished rating a turn and the app died, Ivy (not Hal) has the panel."""
    data = tmp_path / "data"
    first = make_app(data)
    async with first.run_test(size=SIZE) as pilot:
        await to_play(pilot, ["Fay", "Gus", "Hal", "Ivy"])
        await rate_turn(pilot, 3, 3, 3)  # Hal is done; the panel hands over to Ivy
        await pilot.press("2")  # Ivy's first rating
        await pilot.pause()
        assert first.screen.rater == "Ivy"
    second = make_app(data)
    async with second.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert screen_name(second) == "PlayScreen"
        assert second.screen.rater == "Ivy"
        assert "Rating as Ivy (observer 2 of 2" in str(second.screen.query_one("#panel").render())
        assert second.screen.query_one("#panel").values == {"paraphrase": 2}
        await pilot.press("3", "2", "3", "enter")  # Ivy finishes: the turn is confirmed
        await pilot.pause()
        assert second.session.current_turn.index == 1
        assert second.screen.rater == "Hal"


async def test_resume_with_four_after_first_observer_confirmed(make_app: AppFactory, tmp_path: Path) -> None:
    """Hal rated every criterion and pressed enter, Ivy had not started: after resume it is Ivy's go."""
    data = tmp_path / "data"
    first = make_app(data)
    async with first.run_test(size=SIZE) as pilot:
        await to_play(pilot, ["Fay", "Gus", "Hal", "Ivy"])
        await rate_turn(pilot, 3, 3, 3)
    second = make_app(data)
    async with second.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert second.screen.rater == "Ivy"
        await rate_turn(pilot, 2, 2, 2)
        assert second.session.current_turn.index == 1
