"""Half-typed responses survive: kept as drafts while typing, restored on resume; ctrl+q mid-round asks first.

Before, a response typed but not entered was lost on ctrl+x, on quitting and when the terminal closed.
Pilot tests cover the typed listener's box, the observer's jot and the solo reply across a quit; a
process-level test kills the real app (SIGKILL) right after typing and the draft is there on resume.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from roleplay.storage.drafts import Drafts
from tests.apps import AppFactory, shipped
from tests.functional.pty_app import PtyApp
from tests.functional.test_tui_flow import SIZE, screen_name
from tests.functional.test_tui_hangup import round_in_play
from tests.functional.tui_steps import resume, to_play, to_solo_play


async def type_and_wait(pilot, text: str) -> None:
    """Type ``text`` into the focused box and let the debounced draft be written."""
    await pilot.press(*text)
    await pilot.pause(0.8)
    await pilot.app.workers.wait_for_complete()


async def test_ctrl_q_mid_round_asks_and_the_typed_draft_comes_back(make_app: AppFactory, tmp_path: Path) -> None:
    """Typed listener: half a response, ctrl+q (asked, no, then yes): on resume the box holds it."""
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot, typed=True)
        await type_and_wait(pilot, "you sound tir")
        assert app.session.current_turn.response is None  # not entered: only a draft
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert screen_name(app) == "QuitDialog"
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen" and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running
    again = make_app(data)
    async with again.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert screen_name(again) == "PlayScreen"
        assert again.screen.query_one("#response").value == "you sound tir"
        await pilot.press(*"ed", "enter")  # carry on typing where it stopped, then enter
        await pilot.pause()
        assert again.session.current_turn.response == "you sound tired"
        await again.workers.wait_for_complete()
        assert Drafts(data).get(again.session.id, "r1-t0-response") is None  # entered: draft dropped


async def test_observer_jot_draft_is_kept_and_ctrl_x_keeps_the_text(make_app: AppFactory, tmp_path: Path) -> None:
    """Spoken mode: a jot typed, quit, resume: the jot is back; ctrl+x then keeps it as the response."""
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await to_play(pilot)
        app.screen.query_one("#response").focus()
        await type_and_wait(pilot, "said it was lonely")
        app.exit()
    again = make_app(data)
    async with again.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert again.screen.query_one("#response").value == "said it was lonely"
        await pilot.press("ctrl+x", "y")
        await pilot.pause()
        assert screen_name(again) == "DebriefScreen"
        assert again.session.rounds[0].turns[0].response == "said it was lonely"


async def test_solo_reply_draft_comes_back_after_quitting(make_app: AppFactory, tmp_path: Path) -> None:
    """Solo: half a reply, ctrl+q and yes: resuming shows the reply box with it."""
    data = tmp_path / "data"
    app = make_app(data, loader_now=shipped)
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot)
        app.screen.query_one("#solo-response").focus()
        await type_and_wait(pilot, "so you feel pulled")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert screen_name(app) == "QuitDialog"
        await pilot.press("y")
        await pilot.pause()
    again = make_app(data, loader_now=shipped)
    async with again.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert screen_name(again) == "SoloPlayScreen"
        assert again.screen.query_one("#solo-response").value == "so you feel pulled"


async def test_draft_survives_a_killed_app_process(make_app: AppFactory, tmp_path: Path) -> None:
    """The real app in a pty: half a response typed, the process SIGKILLed: resuming shows the draft."""
    data = tmp_path / "data"
    session_id = round_in_play(data)
    app = PtyApp(data)
    try:
        app.wait_for("rubrics ready")
        app.type("r")
        app.wait_for("Turn 1/")
        app.type("what a long week", pause=0.2)
        deadline = time.monotonic() + 10
        while Drafts(data).get(session_id, "r1-t0-response") != "what a long week":
            assert time.monotonic() < deadline, "the draft was never written"
            app.read(0.1)
        app.process.send_signal(signal.SIGKILL)
        app.process.wait(timeout=10)
    finally:
        app.stop()
    assert Drafts(data).get(session_id, "r1-t0-response") == "what a long week"
    again = make_app(data, loader_now=shipped)  # the shipped library, as the real app used
    async with again.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert screen_name(again) == "PlayScreen"
        assert again.screen.query_one("#response").value == "what a long week"
