"""Pilot steps shared by several app tests (and by the kill test's child process)."""

from __future__ import annotations


async def from_home(pilot, key: str, screen: str) -> None:
    """Once home has loaded, press ``key``: ``screen`` (a class name) opens."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == screen


#: The names the group tests play with unless they say otherwise.
TRIAD = ("Ana", "Ben", "Cy")


async def to_group_setup(pilot, names: tuple[str, ...] | list[str] = TRIAD, *, typed: bool = False) -> None:
    """From home: open the group set-up and fill in the names (and the typed listener mode)."""
    app = pilot.app
    await from_home(pilot, "g", "SetupScreen")
    for i, name in enumerate(names):
        app.screen.query_one(f"#name-{i}").value = name
    if typed:
        await pilot.click("#mode-typed")
    await pilot.pause()


async def setup_to_agreement(pilot) -> None:
    """Set-up filled in: go on to the group agreement."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "AgreementScreen"


async def agreement_to_notes(pilot) -> None:
    """Accept the agreement: the scenario's content notes follow."""
    await pilot.press("a")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "ContentNotesScreen"


async def notes_to_roles(pilot) -> None:
    """Content notes read: start, and the first round's roles show."""
    await pilot.press("s")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "RolesScreen"


async def to_roles(pilot, names: tuple[str, ...] | list[str] = TRIAD, *, typed: bool = False) -> None:
    """From home: fill in a group's set-up, accept the agreement and the content notes, reach the roles
    (the one set-up script of the group tests, in the steps above)."""
    await to_group_setup(pilot, names, typed=typed)
    await setup_to_agreement(pilot)
    await agreement_to_notes(pilot)
    await notes_to_roles(pilot)


async def to_play(pilot, names: tuple[str, ...] | list[str] = TRIAD, *, typed: bool = False) -> None:
    """Set up a group from home (see :func:`to_roles`) and start round 1."""
    await to_roles(pilot, names, typed=typed)
    await pilot.press("enter")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "PlayScreen"


async def to_typed_play(pilot, names: tuple[str, ...] | list[str] = TRIAD) -> None:
    """Set up a typed triad from home and start round 1."""
    await to_play(pilot, names, typed=True)


async def resume(pilot) -> None:
    """Home, once loaded: resume the unfinished session."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()


async def to_solo_play(pilot, name: str = "Ana", search: str = "tell me what to do") -> None:
    """From home: name, scenario by search, default rubric, content notes read, start the rehearsal."""
    app = pilot.app
    await from_home(pilot, "s", "SoloSetupScreen")
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
