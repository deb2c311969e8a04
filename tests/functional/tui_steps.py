"""Pilot steps shared by several app tests (and by the kill test's child process)."""

from __future__ import annotations


async def to_roles(pilot, names: tuple[str, ...] | list[str] = ("Ana", "Ben", "Cy"), *, typed: bool = False) -> None:
    """From home: fill in a group's set-up, accept the agreement and the content notes, reach the roles
    (the one set-up script of the group tests)."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    assert type(app.screen).__name__ == "SetupScreen"
    for i, name in enumerate(names):
        app.screen.query_one(f"#name-{i}").value = name
    if typed:
        await pilot.click("#mode-typed")
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert type(app.screen).__name__ == "AgreementScreen"
    await pilot.press("a")
    await pilot.pause()
    assert type(app.screen).__name__ == "ContentNotesScreen"
    await pilot.press("s")
    await pilot.pause()
    assert type(app.screen).__name__ == "RolesScreen"


async def to_typed_play(pilot, names: tuple[str, ...] = ("Ana", "Ben", "Cy")) -> None:
    """Set up a typed triad from home and start round 1."""
    await to_roles(pilot, names, typed=True)
    await pilot.press("enter")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "PlayScreen"


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


async def answer_remaining_lines(pilot, answers: list[str], typed: int, check=None) -> int:
    """Solo play: answer every line left (cycling through ``answers`` from index ``typed``), Enter after
    each; ``check(app, text)`` runs on each feedback card. Returns the new count of responses typed."""
    app = pilot.app
    solo = app.screen.solo
    while solo.line is not None:
        text = answers[typed % len(answers)]
        await solo_respond(pilot, text)
        assert solo.current_turn.response == text
        if check is not None:
            check(app, text)
        typed += 1
        await pilot.press("enter")
        await pilot.pause()
    return typed
