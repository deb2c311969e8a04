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

import signal
from pathlib import Path

import pytest

from tests.apps import AppFactory
from tests.functional.kill_child import run_and_kill
from tests.functional.test_tui_flow import SIZE, screen_name, text_of

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


async def test_sigkill_mid_round_then_resume_keeps_everything(make_app: AppFactory, tmp_path: Path,
        database_env: dict[str, str]) -> None:
    """SIGKILL a real app process mid-round: resume offers exactly where it was, nothing acknowledged lost."""
    data = tmp_path / "data"
    acks = run_and_kill(CHILD, data, "rating 1 paraphrase 2", timeout=120, env=database_env)
    assert len(acks) == 9

    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.kind == ("postgres" if database_env else "sqlite")
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
