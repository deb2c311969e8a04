"""Kill a real running app process with SIGKILL in the middle of a solo rehearsal, then resume it.

A child Python process runs the real app (``create_app`` with ``run_test``, headless) on a temporary
data folder with the shipped library and drives it with Pilot: home, solo set-up, content notes, play.
It types a response (the card is checked), rates itself, tries the line again (both attempts kept),
answers again, rates, goes to the next line, answers and rates there. After each action it checks that
the session changed and that the store's last event for the rehearsal is the session's last one, then
prints an ``ack`` line. The parent reads the acks and sends SIGKILL while the child is still saving more
self-ratings, then starts the app in this process on the same folder: it must offer to resume, land in
solo play on the exact line, show and hold every acknowledged response, attempt and self-rating, and
the rehearsal must then run to its summary.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from roleplay.content.rubric import Scope
from roleplay.session.flow import turn_by_id
from roleplay.session.state import Phase
from tests.apps import AppFactory, shipped
from tests.functional.kill_child import run_and_kill
from tests.functional.test_tui_solo import ANSWERS, SIZE, check_card, settle, text_of
from tests.functional.tui_steps import answer_remaining_lines

pytestmark = [pytest.mark.app(loader=shipped), pytest.mark.slow,
              pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]

CHILD = r'''
import asyncio, sys
from pathlib import Path
from roleplay.content.rubric import Scope
from roleplay.tui.app import create_app
from tests.functional.test_tui_solo import ANSWERS, SIZE, FakeClock, check_card, shipped
from tests.functional.tui_steps import solo_respond, to_solo_play


def ack(what):
    print("ack", what, flush=True)


async def main():
    app = create_app(data_dir=Path(sys.argv[1]), loader=shipped, clock=FakeClock(), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await to_solo_play(pilot, "Ana", "tell me what to do")
        solo = app.screen.solo
        first, second = [c.id for c in solo.rubric.criteria if c.scope == Scope.per_turn][:2]

        def saved():
            """The action reached the store: its last event for the rehearsal is the session's last."""
            last = app.store.load_events(solo.id)[-1]
            assert (last.seq, last.type) == (solo.session.events[-1].seq, solo.session.events[-1].type)

        async def respond(turn, text, what):
            """Type a response; check it is held, its card shown and it is stored; acknowledge it."""
            await solo_respond(pilot, text)
            assert turn.response == text
            check_card(app, text)
            saved()
            ack(what)

        async def rate(turn, keys, criterion, level, what):
            """Press ``keys`` to rate; check the rating is held and stored; acknowledge it."""
            await pilot.press(*keys)
            await pilot.pause()
            assert turn.ratings[("Ana", criterion)].value == level
            saved()
            ack(what)

        turn = solo.current_turn
        assert turn.index == 0
        saved()
        ack(f"started {turn.turn_id}")

        await respond(turn, ANSWERS[0], "response 0 attempt 1")
        for criterion, level in [(first, 3), (second, 2)]:
            # The highlight stays after a rating: move it by hand.
            await rate(turn, (str(level), "down"), criterion, level, f"self 0 attempt 1 {criterion} {level}")

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert len(turn.attempts) == 1 and turn.response is None
        assert "attempt 2" in str(app.screen.query_one("#solo-where").render())
        saved()
        ack("try again 0")
        await respond(turn, ANSWERS[1], "response 0 attempt 2")
        assert turn.attempts[0].response == ANSWERS[0]
        await rate(turn, ("4",), first, 4, f"self 0 attempt 2 {first} 4")

        await pilot.press("ctrl+n")
        await pilot.pause()
        turn = solo.current_turn
        assert turn.index == 1 and solo.round.turns[0].confirmed_at is not None
        saved()
        ack(f"line 1 {turn.turn_id}")
        await respond(turn, ANSWERS[2], "response 1 attempt 1")
        await rate(turn, ("2",), first, 2, f"self 1 attempt 1 {first} 2")
        await pilot.press("down")
        while True:  # keep saving (the second criterion, again and again) until the parent kills us
            await pilot.press("3")
            await pilot.pause()


asyncio.run(main())
'''

LAST = "self 1 attempt 1 paraphrase 2"


async def test_sigkill_mid_solo_rehearsal_then_resume_keeps_everything(make_app: AppFactory, tmp_path: Path,
        database_env: dict[str, str]) -> None:
    """SIGKILL a real app mid-rehearsal: resume lands on the exact line, nothing acknowledged is lost."""
    data = tmp_path / "data"
    acks = run_and_kill(CHILD, data, LAST, env=database_env)
    first_id, line_id = acks[0].split()[1], acks[7].split()[2]
    assert acks == [
        f"started {first_id}", "response 0 attempt 1", "self 0 attempt 1 paraphrase 3",
        "self 0 attempt 1 reflect_feeling 2", "try again 0", "response 0 attempt 2",
        "self 0 attempt 2 paraphrase 4", f"line 1 {line_id}", "response 1 attempt 1", LAST,
    ]

    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.store.kind == ("postgres" if database_env else "sqlite")
        resume = app.screen.query_one("#resume")
        assert resume.display  # offered on the home screen
        assert [u.kind for u in app.unfinished] == ["solo"]
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "SoloPlayScreen"
        solo = app.screen.solo
        assert app.session is solo.session
        assert solo.phase == Phase.playing
        per_turn = [c.id for c in solo.rubric.criteria if c.scope == Scope.per_turn]
        assert per_turn[:2] == ["paraphrase", "reflect_feeling"]  # what the acks above name

        # The position is exact: the second line, answered, waiting for ratings or next.
        assert [t.turn_id for t in solo.round.turns] == [first_id, line_id]
        assert solo.current_turn.index == 1 and solo.current_turn.turn_id == line_id
        assert solo.answered
        assert "Line 2 of" in text_of(app, "#solo-where") and "attempt" not in text_of(app, "#solo-where")
        assert turn_by_id(solo.scenario, line_id).line in text_of(app, "#solo-line")

        # Line 1: both attempts, each with its own self-ratings; only the latest counts.
        done, now = solo.round.turns
        assert done.confirmed_at is not None
        assert [a.response for a in done.attempts] == [ANSWERS[0]]
        assert {c: e.value for (who, c), e in done.attempts[0].ratings.items() if who == "Ana"} == {
            "paraphrase": 3, "reflect_feeling": 2}
        assert done.response == ANSWERS[1]
        assert {c: e.value for (who, c), e in done.ratings.items() if who == "Ana"} == {"paraphrase": 4}
        assert [f.response for f in solo.attempts(0)] == [ANSWERS[0], ANSWERS[1]]

        # Line 2: the response and the acknowledged rating; the unacknowledged one is absent or as sent.
        assert now.response == ANSWERS[2] and now.observed is not None and now.move is not None
        mine = {c: e.value for (who, c), e in now.ratings.items() if who == "Ana"}
        assert mine.pop("paraphrase") == 2
        assert mine in ({}, {"reflect_feeling": 3})
        response = app.screen.query_one("#solo-response")
        assert response.value == ANSWERS[2] and response.disabled
        assert app.screen.query_one("#solo-panel").values == {"paraphrase": 2, **mine}
        check_card(app, ANSWERS[2])

        # The rehearsal carries on to its summary: enter on the ratings, then each remaining line.
        await pilot.press("enter")
        await pilot.pause()
        typed = await answer_remaining_lines(pilot, ANSWERS, 3)
        await settle(pilot)
        assert type(app.screen).__name__ == "SoloSummaryScreen"
        assert app.screen.summary is not None
        turns = len(solo.round.turns)
        assert turns > 2 and typed == turns + 1
        assert f"{turns} lines answered, {turns + 1} responses typed in all" in text_of(app, "#solo-summary-text")
        assert solo.session.finished
        assert app.store.unfinished_sessions() == []
