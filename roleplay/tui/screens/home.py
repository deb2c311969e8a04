"""The home screen: start a group practice, solo rehearsal, the library, history, and resume.

The resume offer says in words where the unfinished session stopped ("solo rehearsal, line 2 of 5",
"group practice, round 1 of 3 in progress"). Where exactly needs the session's saved events, so the
line is first written from the list row and completed by a worker that replays the session.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import plain


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def where_stopped(session: Any) -> str:
    """Where a replayed :class:`~roleplay.session.engine.PracticeSession` stopped, in words."""
    from roleplay.session.state import Phase, SessionKind

    phase = session.phase
    solo = session.config.kind == SessionKind.solo
    kind = "solo rehearsal" if solo else "group practice"
    if phase == Phase.agreement:
        return f"{kind}, not started yet" if solo else f"{kind}, comfort agreement not yet read"
    current = session.current_round
    total = len(session.rounds)
    if phase == Phase.playing and current is not None:
        k, n = session.turn_progress()
        line = f"line {k} of {n}" if session.current_turn is not None else "rating the round"
        return f"{kind}, {line}" if solo else f"{kind}, round {current.number} of {total} in progress, {line}"
    if phase == Phase.ready:
        if current is None:
            return f"{kind}, round 1 of {total} not started"
        return f"{kind}, round {current.number} of {total} done; debrief next"
    return f"{kind}, summary next" if solo else f"{kind}, all {_plural(total, 'round')} done; summary next"


def resume_detail(summary: Any, where: str | None = None) -> str:
    """The line under the resume button: who, where it stopped (when known) and when it began."""
    when = datetime.fromtimestamp(summary.created_at).strftime("%Y-%m-%d %H:%M")
    if where is None and summary.kind == "solo":
        where = "solo rehearsal in progress"
    elif where is None:
        where = f"group practice, {summary.rounds_ended} of {_plural(summary.rounds_total, 'round')} done"
    return f"{', '.join(summary.names)} · {where} · started {when}"


def load_where(store: Any, session_id: str) -> str | None:
    """Replay a stored session (nothing is written) and say where it stopped; blocking: run in a worker.

    None when the record cannot be read: the resume line then keeps its simpler wording.
    """
    from roleplay.session.engine import PracticeSession
    from roleplay.storage import MemorySink, StorageError

    try:
        return where_stopped(PracticeSession.from_events(store.load_events(session_id), MemorySink()))
    except (StorageError, ValueError, KeyError, IndexError):
        return None


class HomeScreen(RoleplayScreen):
    """Where every visit starts."""

    BINDINGS = [
        Binding("g", "group", "Group practice"),
        Binding("s", "solo", "Rehearse solo"),
        Binding("r", "resume", "Resume"),
        Binding("l", "library", "Library"),
        Binding("h", "history", "History"),
        # The app's ctrl+q Quit is in the footer already: q works too, without a second "Quit".
        Binding("q", "app.quit", "Quit", show=False),
    ]

    DEFAULT_CSS = """
    #home-resume-detail { width: 60; height: auto; color: $text-muted; text-align: center; }
    """

    def compose_body(self) -> ComposeResult:
        """The menu and a status line."""
        with VerticalScroll(id="home"):
            yield Static(
                "Practise listening together: one of you speaks, one listens, the others observe, "
                "then you swap.",
                id="home-intro",
            )
            yield Static("", id="home-resume-detail")
            yield Button("Resume the unfinished session (r)", id="resume", variant="warning", compact=True)
            yield Button("Start a group practice (g)", id="group", variant="primary", compact=True)
            yield Button("Rehearse solo (s)", id="solo", compact=True)
            yield Button("Browse the library (l)", id="library", compact=True)
            yield Button("History of past sessions (h)", id="history", compact=True)
            yield Static("Loading the scenario library…", id="home-status")

    def on_mount(self) -> None:
        """Hide resume until the store has been checked."""
        self.query_one("#resume", Button).display = False
        self.query_one("#home-resume-detail", Static).display = False
        self.library_ready()
        self.store_ready()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``r`` is in the footer only while there is something to resume."""
        if action == "resume":
            return bool(self.rp.unfinished)
        return True

    def on_screen_resume(self) -> None:
        """Refresh the resume offer when coming back from a session."""
        self.store_ready()

    def library_ready(self) -> None:
        """Say how much content there is (or what went wrong)."""
        library = self.rp.library
        if library is None:
            return
        n_s, n_r = len(library.scenarios), len(library.rubrics)
        status = f"{n_s} scenario{'s' * (n_s != 1)} and {n_r} rubric{'s' * (n_r != 1)} ready."
        if library.problems:
            status += f" {len(library.problems)} content files have problems (run: roleplay validate)."
        self.query_one("#home-status", Static).update(plain(status))

    def store_ready(self) -> None:
        """Offer to resume the newest unfinished session."""
        button = self.query_one("#resume", Button)
        detail = self.query_one("#home-resume-detail", Static)
        unfinished = self.rp.unfinished
        button.display = detail.display = bool(unfinished)
        self.refresh_bindings()
        if unfinished:
            first = unfinished[0]
            button.label = plain(f"Resume “{first.scenario_title}” (r)")
            button.tooltip = None
            detail.update(plain(f"Unfinished: {resume_detail(first)}"))
            self.describe_resume(first)

    @work(exclusive=True, group="home-resume")
    async def describe_resume(self, summary: Any) -> None:
        """Complete the resume line with exactly where the session stopped (read in a thread)."""
        store = self.rp.store
        if store is None:
            return
        where = await asyncio.to_thread(load_where, store, summary.id)
        if where is not None:
            self.query_one("#home-resume-detail", Static).update(
                plain(f"Unfinished: {resume_detail(summary, where)}"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons do what their key does."""
        event.stop()
        action = {"group": self.action_group, "resume": self.action_resume, "solo": self.action_solo,
                  "library": self.action_library, "history": self.action_history}.get(event.button.id or "")
        if action is not None:
            action()

    def action_group(self) -> None:
        """Open group set-up (once the library is loaded)."""
        from roleplay.tui.screens.setup import SetupScreen

        if self.rp.library is None:
            self.notify("The library is still loading; one moment.")
            return
        self.rp.goto(SetupScreen())

    def action_solo(self) -> None:
        """Open solo set-up (once the library is loaded)."""
        from roleplay.tui.screens.solo_setup import SoloSetupScreen

        if self.rp.library is None:
            self.notify("The library is still loading; one moment.")
            return
        self.rp.goto(SoloSetupScreen())

    def action_resume(self) -> None:
        """Resume the newest unfinished session."""
        if self.rp.unfinished and self.rp.library is not None:
            self.rp.resume_session(self.rp.unfinished[0].id)

    def action_library(self) -> None:
        """Browse scenarios."""
        from roleplay.tui.screens.library import LibraryScreen

        if self.rp.library is not None:
            self.rp.goto(LibraryScreen())

    def action_history(self) -> None:
        """List past sessions."""
        from roleplay.tui.screens.history import HistoryScreen

        if self.rp.store is not None:
            self.rp.goto(HistoryScreen())
