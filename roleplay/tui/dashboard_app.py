"""The tutor's dashboard app (``roleplay dashboard``, and the tutor's page of ``roleplay serve``).

It follows the class and every group's session as the seats do, and holds the tutor's powers: forming
and starting groups (it has the content library), pausing and ending, notes, re-deals and the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from roleplay.tui.class_app import DASHBOARD_POLL_SECONDS, ClassApp
from roleplay.tui.core import LibraryLoader, library_loader


class DashboardApp(ClassApp):
    """Every group of one class, live, with the tutor's controls."""

    SUB_TITLE = "tutor dashboard"
    # The default screen's own CSS_PATH is not loaded by Textual, so the app loads the dashboard's styles.
    CSS_PATH = ["app.tcss", "screens/seat.tcss"]

    def __init__(self, **kwargs: Any) -> None:
        """See :class:`ClassApp`."""
        super().__init__(**kwargs)
        self.shared: dict[str, Any] = {}

    def get_default_screen(self) -> Any:
        """The dashboard is the only screen."""
        from roleplay.tui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_roleplay_app_store_ready(self, message: Any) -> None:
        """Open the class, then follow it."""
        from roleplay.classroom.room import ClassRoom

        super().on_roleplay_app_store_ready(message)
        if self.store is not None and self.class_id:
            self.room = self.act(ClassRoom, self.store, self.class_id, clock=self.clock)
            self.follow()

    def follow(self) -> None:
        """Catch up with the class and every started group's session; redraw what changed."""
        from roleplay.classroom.shared import SharedSession

        if self.room is None or self.closing:
            return
        self.act(self.room.sync)
        for group in self.room.state.groups.values():
            known = self.shared.get(group.id)
            if group.session_id and (known is None or known.id != group.session_id):
                made = self.act(SharedSession, self.store, group.session_id, clock=self.clock)
                if made is not None:
                    self.shared[group.id] = made
            elif known is not None:
                self.act(known.sync)
        redraw = getattr(self.screen_stack[0] if self.screen_stack else None, "follow", None)
        if callable(redraw):
            redraw()

    def tick(self) -> None:
        """Time left and stalls change with the clock."""
        if self.closing:
            return
        screen = self.screen_stack[0] if self.screen_stack else None
        hook = getattr(screen, "tick", None)
        if callable(hook):
            hook()

    def rows(self, away: list[str]) -> list[Any]:
        """The dashboard rows, in group order."""
        from roleplay.classroom.watch import group_row

        now = self.clock()
        out = []
        for group in self.room.state.groups.values():
            shared = self.shared.get(group.id)
            out.append(group_row(group, shared.session if shared else None, away, now=now))
        return out

    # ------------------------------------------------------------------ the tutor's actions
    def content_of(self, group_id: str | None) -> Any:
        """What a group (or, with None, every group by default) plays now."""
        state = self.room.state
        group = state.groups.get(group_id) if group_id else None
        return (group.content if group else None) or state.defaults

    def choose_content(self, group_id: str | None, content: Any) -> None:
        """The tutor's pick from the content picker: for one group (before it starts), or (``group_id``
        None) for every group not started yet and the groups formed later."""
        if self.library is None:
            self.notify("The content library is still loading; try again in a moment.")
            return
        if content.scenario_id not in self.library.scenarios or content.rubric_id not in self.library.rubrics:
            self.notify("That scenario or rubric is not in the library.", severity="warning")
            return
        title = self.library.scenarios[content.scenario_id].model.title
        what = f"{title}, {content.mode}, {content.minutes} min a round"
        if group_id is not None:
            def set_it() -> bool:
                self.room.set_content(group_id, content)
                return True

            if self.act(set_it):
                self.notify(f"Group {group_id} will play {what}.", markup=False)
        else:
            changed = self.act(self.room.set_defaults, content)
            if changed is not None:
                started = [g.id for g in self.room.state.groups.values() if g.session_id]
                self.notify(f"Every group will play {what}" + (f" (already playing, unchanged: {', '.join(started)})"
                                                               if started else "") + ".", markup=False)
        self.follow()

    def start_groups(self) -> None:
        """Create the sessions of every formed group that has not started."""
        from roleplay.classroom.groups import start_group

        if self.library is None:
            self.notify("The content library is still loading; try again in a moment.")
            return
        waiting = [g.id for g in self.room.state.groups.values() if not g.session_id]
        if not waiting:
            self.notify("Every group has started (form new groups with g).")
        for group_id in waiting:
            self.act(start_group, self.room, self.library, group_id, clock=self.clock)
        self.follow()

    def toggle_pause(self, group_ids: list[str], *, pause_only: bool = False) -> None:
        """Pause the groups in play (or, for one paused group, let it carry on)."""
        for group_id in group_ids:
            shared = self.shared.get(group_id)
            if shared is None or shared.session.current_round is None or not shared.session.current_round.playing:
                continue
            if shared.session.paused and not pause_only:
                self.act(shared.act, lambda s: s.unpause())
            else:
                self.act(shared.act, lambda s: s.pause())
        self.follow()

    def end_groups(self, group_ids: list[str], *, end_class: bool = False) -> None:
        """Close the groups' sessions (everything kept); optionally end the class."""
        for group_id in group_ids:
            shared = self.shared.get(group_id)
            if shared is not None:
                self.act(shared.act, lambda s: s.finish())
        if end_class:
            self.act(self.room.end)
        self.follow()

    def redeal(self, group_id: str) -> None:
        """The group carries on without whoever left (tutor's consent)."""
        from roleplay.classroom.groups import redeal

        if self.library is None:
            self.notify("The content library is still loading; try again in a moment.")
            return
        if self.act(redeal, self.room, self.library, group_id, clock=self.clock) is not None:
            self.notify(f"Group {group_id} carries on; roles dealt again.")
        self.follow()

    def class_report_markdown(self) -> str | None:
        """The class report (Markdown) over exactly this class's groups' sessions, from the live store."""
        from roleplay.classroom.codes import show_code
        from roleplay.reports.class_report import build_class_report
        from roleplay.reports.class_report_out import class_markdown

        self.act(self.room.sync)
        state = self.room.state
        report = self.act(build_class_report, self.store, sessions=state.session_ids(),
                          served_class=show_code(state.code))
        return None if report is None else class_markdown(report)

    def act(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run an action; class refusals become messages too."""
        from roleplay.classroom.room import ClassError

        try:
            return super().act(action, *args, **kwargs)
        except ClassError as error:
            self.notify(str(error), title="Not possible", severity="warning", markup=False)
            return None


def create_dashboard_app(*, class_id: str, data_dir: Path | None = None, library_paths: tuple[Path, ...] = (),
                         clock: Callable[[], float] | None = None, loader: LibraryLoader | None = None,
                         cursor_blink: bool = True, poll: float = DASHBOARD_POLL_SECONDS,
                         database: str | None = None) -> DashboardApp:
    """Build the dashboard for class ``class_id``."""
    return DashboardApp(class_id=class_id, data_dir=data_dir, loader=loader or library_loader(data_dir, library_paths),
                        clock=clock or time.time, cursor_blink=cursor_blink, poll=poll, database=database)
