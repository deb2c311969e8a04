"""The home screen: start a group practice, solo rehearsal, the library, history, and resume."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from roleplay.tui.base import RoleplayScreen
from roleplay.tui.core import describe_summary


class HomeScreen(RoleplayScreen):
    """Where every visit starts."""

    BINDINGS = [
        Binding("g", "group", "Group practice"),
        Binding("s", "solo", "Rehearse solo"),
        Binding("r", "resume", "Resume"),
        Binding("l", "library", "Library"),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose_body(self) -> ComposeResult:
        """The menu and a status line."""
        with VerticalScroll(id="home"):
            yield Static(
                "Practise listening together: one of you speaks, one listens, the others observe, "
                "then you swap.",
                id="home-intro",
            )
            yield Button("Resume the unfinished session (r)", id="resume", variant="warning", compact=True)
            yield Button("Start a group practice (g)", id="group", variant="primary", compact=True)
            yield Button("Rehearse solo (s)", id="solo", compact=True)
            yield Button("Browse the library (l)", id="library", compact=True)
            yield Button("History of past sessions (h)", id="history", compact=True)
            yield Static("Loading the scenario library…", id="home-status")

    def on_mount(self) -> None:
        """Hide resume until the store has been checked."""
        self.query_one("#resume", Button).display = False
        self.library_ready()
        self.store_ready()

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
        self.query_one("#home-status", Static).update(status)

    def store_ready(self) -> None:
        """Offer to resume the newest unfinished session."""
        button = self.query_one("#resume", Button)
        unfinished = self.rp.unfinished
        button.display = bool(unfinished)
        if unfinished:
            button.label = f"Resume: {describe_summary(unfinished[0])} (r)"
            button.tooltip = None

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
