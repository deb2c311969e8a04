"""Round notes in the app: at the round-ratings step the observer notes the whole round (``n`` or ctrl+n).

Before, the panel's help said ``n note`` there and ``n`` answered "Notes belong to a turn". Now the note
is saved as typed (its own event), shown on the panel, in the debrief, in the summary and in the record.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.reports.record import load_record
from roleplay.storage import open_store
from tests.apps import screen_name, text_of
from tests.functional.tui_steps import to_roles

SIZE = (120, 40)
NOTE = "[b]Kept[/b] the pace gentle; Ben summed up at the end"


async def stop_round(pilot) -> None:
    """Start the next round, stop it at once (ctrl+x, y), then step through its debrief."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+x")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    await after_debrief(pilot)


async def after_debrief(pilot) -> None:
    """Debrief -> step out of role -> the next screen."""
    assert screen_name(pilot.app) == "DebriefScreen"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_the_observer_notes_the_whole_round_and_it_is_kept_everywhere(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["Ana", "Ben", "Cy"])
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        session = app.session
        for _ in range(3):  # Cy rates every line of the script
            await pilot.press("3", "3", "3", "enter")
            await pilot.pause()
        assert session.current_turn is None and session.current_round.playing  # the round-ratings step
        panel = text_of(app, "#panel")
        assert "n note" in panel and "Note: none" in panel

        await pilot.press("n")
        await pilot.pause()
        assert screen_name(app) == "NoteDialog"
        assert "on the whole round" in text_of(app, "Label")
        await pilot.press(*"Calm")
        assert app.screen.query_one("#note-input").value == "Calm"  # the keys reach the note box
        app.screen.query_one("#note-input").value = NOTE
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        round_one = session.rounds[0]
        assert round_one.notes == {"Cy": NOTE} and all(not t.notes for t in round_one.turns)
        assert "Kept[/b] the pace" in text_of(app, "#panel")  # shown on the panel, literally

        await pilot.press("ctrl+n")  # ctrl+n opens the same note, to change it
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == NOTE
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert round_one.notes == {"Cy": NOTE}

        await pilot.press("3", "enter")  # the round's own rating, then end the round
        await pilot.pause()
        assert screen_name(app) == "DebriefScreen"
        assert f"Cy (whole round): {NOTE}" in text_of(app, "#debrief-text")
        await after_debrief(pilot)
        await stop_round(pilot)
        await stop_round(pilot)
        assert screen_name(app) == "SummaryScreen"
        assert f"Round 1 (Ben listening), Cy: {NOTE}" in text_of(app, "#summary-notes")
        session_id = session.id

    with open_store(tmp_path / "data") as store:  # saved: a fresh load of the record has it
        events = [e for e in store.load_events(session_id) if e.type == "round_note_recorded"]
        assert [e.data for e in events] == [{"round": 1, "rater": "Cy", "text": NOTE}]
        record = load_record(store, session_id)
    assert [(n.rater, n.text) for n in record.rounds[0].round_notes] == [("Cy", NOTE)]
    assert record.rounds[1].round_notes == () == record.rounds[2].round_notes
