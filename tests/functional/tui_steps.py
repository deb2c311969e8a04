"""Pilot steps shared by several app tests (and by the kill test's child process)."""

from __future__ import annotations


async def to_typed_play(pilot, names: tuple[str, ...] = ("Ana", "Ben", "Cy")) -> None:
    """Set up a typed triad from home and start round 1."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    for i, name in enumerate(names):
        app.screen.query_one(f"#name-{i}").value = name
    await pilot.click("#mode-typed")
    await pilot.press("ctrl+n")
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert type(app.screen).__name__ == "PlayScreen"


async def to_solo_play(pilot, name: str = "Ana", search: str = "tell me what to do") -> None:
    """From home: name, scenario by search, default rubric, content notes read, start the rehearsal."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert type(app.screen).__name__ == "SoloSetupScreen"
    app.screen.query_one("#solo-name").value = name
    app.screen.query_one("#solo-search").value = search
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert type(app.screen).__name__ == "SoloNotesScreen"
    assert "Content notes" in str(app.screen.query_one("#solo-notes-text").render())
    await pilot.press("s")
    await pilot.pause()
    assert type(app.screen).__name__ == "SoloPlayScreen"


async def solo_respond(pilot, text: str) -> None:
    """Solo play: type a response and press enter (saves it; the feedback card follows)."""
    pilot.app.screen.query_one("#solo-response").value = text
    await pilot.press("enter")
    await pilot.pause()
