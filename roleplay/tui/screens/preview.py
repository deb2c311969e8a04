"""``roleplay preview``: one scenario, rubric or agreement file as a tutor sees it, reloaded when saved.

A worker polls the file's modification time and size (no extra dependency, works on every OS and on
network folders) and reloads it in a thread when either changes. A saved file with errors does not
replace what is on screen: the errors appear above the last version that loaded, as ``file:line:column``
with the validator's hint, until the file is fixed and saved again.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from roleplay.content.agreement import Agreement
from roleplay.content.problems import Problem, Severity
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.content.validate import LoadedFile, load_content_file
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import lines, plain, styled
from roleplay.tui.widgets.branch_tree import BranchTree, linear_path
from roleplay.tui.widgets.content_views import (
    agreement_view,
    problem_line,
    rubric_view,
    scenario_overview,
    scenario_turns,
    section,
)

#: A file's identity for change detection: modification time (ns), size, inode; None when it cannot be read.
Signature = tuple[int, int, int] | None


def file_signature(path: Path) -> Signature:
    """What changes when the file is saved (blocking: called in a thread)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class PreviewScreen(RoleplayScreen):
    """A live tutor preview of one content file."""

    CSS_PATH = "preview.tcss"
    BINDINGS = [
        Binding("r", "reload", "Reload now"),
        Binding("t", "toggle_tree", "Branch tree"),
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def __init__(self, path: Path, *, poll_interval: float = 0.5) -> None:
        """Preview ``path``, checking it for changes every ``poll_interval`` seconds."""
        super().__init__()
        self.path = path
        self.poll_interval = poll_interval
        self.generation = 0
        """How many times the file has been loaded (tests wait on it)."""
        self.shown: LoadedFile | None = None
        """The last version that loaded without errors (what is on screen)."""
        self.errors: list[Problem] = []
        """Errors in the file as last saved (empty when it loaded)."""
        self._force = False
        self.kind: str | None = None
        """What the preview shows: ``scenario``, ``rubric``, ``agreement``, or None before the first load."""

    def compose_body(self) -> ComposeResult:
        """Status line, the error panel (hidden while the file is valid), and the preview itself."""
        yield Static(plain(f"Loading {self.path.name}…"), id="preview-status")
        with VerticalScroll(id="preview-problems"):
            yield Static("", id="preview-errors")
        with VerticalScroll(id="preview-body"):
            yield Static("", id="preview-overview")
            yield Static(section("Play order (branches hang off the turns that lead to them)"),
                         id="preview-tree-title")
            yield BranchTree(id="preview-tree")
            yield Static("", id="preview-turns")
            yield Static("", id="preview-warnings")

    def on_mount(self) -> None:
        """Start watching the file; the body scrolls with the keyboard."""
        self.sub_title = f"preview · {self.path.name}"
        self.query_one("#preview-problems").display = False
        self._show_kind(None)
        self.query_one("#preview-body").focus()
        self.watch_file()

    # ------------------------------------------------------------------ loading
    @work(exclusive=True, group="preview-watch")
    async def watch_file(self) -> None:
        """Poll the file; load it in a thread whenever it changed (or a reload was asked for)."""
        seen: Signature | bool = False  # False: nothing loaded yet, so the first poll always loads
        while True:
            current = await asyncio.to_thread(file_signature, self.path)
            if current != seen or self._force:
                seen, self._force = current, False
                loaded = await asyncio.to_thread(load_content_file, self.path, strict=True)
                self.show_loaded(loaded)
            await asyncio.sleep(self.poll_interval)

    def action_reload(self) -> None:
        """Reload at the next poll even if the file looks unchanged."""
        self._force = True

    def show_loaded(self, loaded: LoadedFile) -> None:
        """Show a freshly loaded file: its content when valid, else its errors above the last good version."""
        self.generation += 1
        self.errors = loaded.errors
        status = self.query_one("#preview-status", Static)
        problems = self.query_one("#preview-problems")
        if loaded.model is not None:
            self.shown = loaded
            problems.display = False
            self._render_model(loaded)
            warnings = [p for p in loaded.problems if p.severity is Severity.warning]
            note = f" · {len(warnings)} suggestion{'s' * (len(warnings) != 1)} at the end" if warnings else ""
            status.update(styled(f"{self.path.name}: {loaded.kind}, valid{note} · "
                                 "saved changes reload by themselves", "green"))
            return
        count = len(self.errors)
        kept = ("showing the last version that loaded" if self.shown is not None
                else "nothing to show until it loads")
        status.update(styled(f"{self.path.name}: {count} error{'s' * (count != 1)} in the saved file, {kept}. "
                             "Fix and save to reload.", "bold red"))
        self.query_one("#preview-errors", Static).update(lines(problem_line(p) for p in self.errors))
        problems.display = True
        problems.scroll_home(animate=False)

    def _render_model(self, loaded: LoadedFile) -> None:
        model = loaded.model
        overview = self.query_one("#preview-overview", Static)
        if isinstance(model, Scenario):
            numbers = {t.id: f"{i}." for i, t in enumerate(linear_path(model), start=1)}
            overview.update(scenario_overview(model))
            self.query_one("#preview-tree", BranchTree).show(model)
            self.query_one("#preview-turns", Static).update(
                lines([section("Turns, in file order (⤷ marks a branch-only turn)"), scenario_turns(model, numbers)]))
            self._show_kind("scenario")
        elif isinstance(model, Rubric):
            overview.update(rubric_view(model))
            self._show_kind("rubric")
        elif isinstance(model, Agreement):
            overview.update(agreement_view(model))
            self._show_kind("agreement")
        warnings = [p for p in loaded.problems if p.severity is Severity.warning]
        self.query_one("#preview-warnings", Static).update(
            lines([section("Suggestions (roleplay validate --strict)"), *(problem_line(p) for p in warnings)])
            if warnings else Content(""))

    def _show_kind(self, kind: str | None) -> None:
        """Only a scenario has a play order and turns."""
        self.kind = kind
        self.refresh_bindings()
        for selector in ("#preview-tree-title", "#preview-tree", "#preview-turns"):
            self.query_one(selector).display = kind == "scenario"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The branch-tree key is offered only for a scenario."""
        return self.kind == "scenario" if action == "toggle_tree" else True

    def action_toggle_tree(self) -> None:
        """Jump between the play-order tree and the top of the preview."""
        body = self.query_one("#preview-body", VerticalScroll)
        title = self.query_one("#preview-tree-title", Static)
        if body.scroll_y + 1 < title.virtual_region.y:
            body.scroll_to_widget(title, top=True, animate=False)
        else:
            body.scroll_home(animate=False)
