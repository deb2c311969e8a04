"""Kill a real running app process with SIGKILL in the middle of a round, then resume it.

A child Python process runs the real app (``create_app`` with ``run_test``, headless) on a temporary
data folder and drives it with Pilot: set-up of a typed-mode triad, the round started, a response
typed, criteria rated, a note added. After each action has been applied (checked against the
session in the child) it prints an ``ack`` line. The parent reads the acks and sends SIGKILL while the
child is still busy saving more ratings, then starts the app in this process on the same folder: it
must offer to resume, and after resuming every acknowledged response, rating and note is there and the
position (round, turn) is exact.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.functional.test_tui_flow import SIZE, make_app, screen_name, text_of

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CHILD = r'''
import asyncio, sys
from pathlib import Path
from roleplay.tui.app import create_app
from roleplay.tui.core import sample_library
from tests.functional.tui_steps import to_typed_play


def ack(what):
    print("ack", what, flush=True)


async def main():
    app = create_app(data_dir=Path(sys.argv[1]), loader=sample_library, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_typed_play(pilot, ("Ana", "Ben", "Cy"))
        session = app.session
        assert session.current_round.number == 1
        ack("round 1 started")
        await pilot.press(*"you sound worn out", "enter")
        await pilot.pause()
        assert session.current_turn.response == "you sound worn out"
        ack("response 0")
        for criterion, level in [("paraphrase", 3), ("feeling", 2), ("open-question", 4)]:
            await pilot.press(str(level))
            await pilot.pause()
            assert session.current_turn.ratings[("Cy", criterion)].value == level
            ack(f"rating 0 {criterion} {level}")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"kept eye contact", "enter")
        await pilot.pause()
        assert session.current_turn.notes["Cy"] == "kept eye contact"
        ack("note 0")
        await pilot.press("enter")
        await pilot.pause()
        assert session.current_turn.index == 1
        ack("turn 1")
        await pilot.press(*"what would help most right now", "enter")
        await pilot.pause()
        assert session.current_turn.response == "what would help most right now"
        ack("response 1")
        await pilot.press("2")
        await pilot.pause()
        assert session.current_turn.ratings[("Cy", "paraphrase")].value == 2
        ack("rating 1 paraphrase 2")
        while True:  # keep saving (feeling, again and again) until the parent kills us
            await pilot.press("3", "up")
            await pilot.pause()


asyncio.run(main())
'''


def read_line(stream, deadline: float) -> str:
    """One line from the child, or fail the test when it takes too long."""
    left = deadline - time.monotonic()
    ready, _, _ = select.select([stream], [], [], max(left, 0))
    if not ready:
        raise AssertionError("the app process stopped acknowledging")
    return stream.readline()


async def test_sigkill_mid_round_then_resume_keeps_everything(tmp_path: Path) -> None:
    """SIGKILL a real app process mid-round: resume offers exactly where it was, nothing acknowledged lost."""
    data = tmp_path / "data"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2],
                             env={**os.environ, "ROLEPLAY_DATA_DIR": str(data)})
    acks: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while not acks or acks[-1] != "rating 1 paraphrase 2":
            line = read_line(child.stdout, deadline)
            if not line:
                raise AssertionError(f"the app process ended early: {child.stderr.read()[-2000:]}")
            if line.startswith("ack "):
                acks.append(line[4:].strip())
        time.sleep(0.2)  # the child is now busy saving more ratings: kill it in the middle of that
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert len(acks) == 9

    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        resume = app.screen.query_one("#resume")
        assert resume.display  # offered on the home screen
        await pilot.press("r")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        session = app.session
        assert session.current_round.number == 1
        assert session.current_turn.index == 1
        assert "Round 1/3" in text_of(app, "#play-where") and "Turn 2/3" in text_of(app, "#play-where")
        first, second = session.current_round.turns
        assert first.response == "you sound worn out"
        assert {c: e.value for (r, c), e in first.ratings.items() if r == "Cy"} == {
            "paraphrase": 3, "feeling": 2, "open-question": 4}
        assert first.notes == {"Cy": "kept eye contact"}
        assert first.confirmed_at is not None
        assert second.response == "what would help most right now"
        assert second.ratings[("Cy", "paraphrase")].value == 2
        assert app.screen.query_one("#response").value == "what would help most right now"
        assert app.screen.query_one("#panel").values["paraphrase"] == 2
