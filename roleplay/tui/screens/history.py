"""History and progress: sessions by person (filter by person, scenario, kind) and, for one person,
charts over time of R:Q, %CR (with fair/good lines), the overall score and each rubric criterion, best
and latest figures, and the scenarios not tried yet.

The data is read in a worker (:func:`roleplay.tui.history_data.load_history`); :attr:`HistoryScreen.shown_at`
records when the loaded data was first on screen (the benchmark reads it). Charts are drawn by
textual-plotext only while they are visible (the rest wait in the scroll).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Select, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from roleplay.session.progress import HistoryFilter
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.history_data import HistoryData, best_and_latest, charts_for, load_history
from roleplay.tui.text import heading, lines, plain, shorten, styled
from roleplay.tui.widgets.progress_chart import ProgressChart


def session_line(summary: object) -> str:
    """One session as a list row: date, scenario, kind, people, status."""
    s = summary
    when = datetime.fromtimestamp(s.created_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
    names = ", ".join(s.names)  # type: ignore[attr-defined]
    return f"{when} {s.kind:<5} {shorten(s.scenario_title, 28)} · {names} · {s.status}"  # type: ignore[attr-defined]


class HistoryScreen(RoleplayScreen):
    """Past sessions and one person's progress."""

    CSS_PATH = "history.tcss"

    BINDINGS = [Binding("escape", "app.back_home", "Home"), Binding("r", "reload", "Reload")]

    def __init__(self, person: str | None = None) -> None:
        """Open on ``person``'s progress (None: every session, and the most recent person's charts)."""
        super().__init__()
        self.person = person
        self.rubric_id: str | None = None
        self.data: HistoryData | None = None
        self.shown_at: float | None = None
        """``time.perf_counter()`` when the loaded data was first on screen (for the benchmark)."""
        self.chart_count = 0

    def compose_body(self) -> ComposeResult:
        """Filters, the session list, and the progress pane."""
        library = self.rp.library
        scenarios = [(e.model.title, sid) for sid, e in library.scenarios.items()] if library else []
        with Horizontal(id="history-filters"):
            yield Select([], id="history-person", prompt="Everyone", compact=True)
            yield Select(scenarios, id="history-scenario", prompt="Any scenario", compact=True)
            yield Select([("solo", "solo"), ("group", "group")], id="history-kind", prompt="Solo and group",
                         compact=True)
            yield Select([], id="history-rubric", prompt="Rubric", compact=True)
        with TabbedContent(id="history-tabs"):
            with TabPane("Progress", id="tab-progress"), VerticalScroll(id="history-progress"):
                yield Static("Loading…", id="history-heading")
                yield Vertical(id="history-charts")
                yield Static("", id="history-figures")
            with TabPane("Sessions", id="tab-sessions"):
                yield Static("Sessions, newest first", id="history-title")
                yield OptionList(id="history-list")

    def on_mount(self) -> None:
        """Load the data."""
        self.load()

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def action_reload(self) -> None:
        """Read everything again."""
        self.load()

    @on(Select.Changed, "#history-person, #history-scenario, #history-kind")
    def _filter_changed(self, event: Select.Changed) -> None:
        if event.select.id == "history-person":
            self.person = self._value("#history-person")
        self.load()

    @on(Select.Changed, "#history-rubric")
    async def _rubric_changed(self) -> None:
        chosen = self._value("#history-rubric")
        if chosen is not None and chosen != self.rubric_id:
            self.rubric_id = chosen
            await self.show_progress()

    @work(exclusive=True, group="history")
    async def load(self) -> None:
        """Read the sessions and the person's progress in a thread, then show them."""
        store = self.rp.store
        if store is None:
            self.query_one("#history-figures", Static).update("Your practice records are not open.")
            return
        library = self.rp.library
        available = list(library.scenarios) if library is not None else []
        flt = HistoryFilter(scenario_id=self._value("#history-scenario"), kind=self._value("#history-kind"))
        person = self.person
        data = await asyncio.to_thread(self._read, store, person, flt, available)
        self.data = data
        await self.show(data)

    @staticmethod
    def _read(store: object, person: str | None, flt: HistoryFilter, available: list[str]) -> HistoryData:
        data = load_history(store, person, flt, available)  # type: ignore[arg-type]
        if person is None and data.sessions:
            # Nobody chosen yet: chart whoever practised most recently as the listener.
            latest = data.sessions[0].names[0]
            return load_history(store, latest, flt, available)  # type: ignore[arg-type]
        return data

    async def show(self, data: HistoryData) -> None:
        """Fill the filters, the list and the progress pane from one load."""
        person = data.progress.person if data.progress is not None else None
        self.person = person
        chooser = self.query_one("#history-person", Select)
        with self.prevent(Select.Changed):
            chooser.set_options([(p, p) for p in data.people])
            if person is not None and person in data.people:
                chooser.value = person
        listing = self.query_one("#history-list", OptionList)
        listing.clear_options()
        if not data.sessions:
            listing.add_option(Option("No sessions match.", disabled=True))
        listing.add_options(Option(plain(session_line(s)), id=s.id) for s in data.sessions)
        title = f"Sessions in which {person} listened" if person else "Sessions, newest first"
        self.query_one("#history-title", Static).update(plain(title))
        rubrics = data.rubric_ids
        if self.rubric_id not in rubrics:
            self.rubric_id = rubrics[0] if rubrics else None
        library = self.rp.library
        names = {rid: e.model.title for rid, e in library.rubrics.items()} if library else {}
        with self.prevent(Select.Changed):
            picker = self.query_one("#history-rubric", Select)
            picker.set_options([(names.get(r, r), r) for r in rubrics])
            if self.rubric_id is not None:
                picker.value = self.rubric_id
        await self.show_progress()

    async def show_progress(self) -> None:
        """The figures and charts for the chosen person and rubric."""
        data = self.data
        figures = self.query_one("#history-figures", Static)
        head = self.query_one("#history-heading", Static)
        holder = self.query_one("#history-charts", Vertical)
        await holder.remove_children()
        progress = data.progress if data is not None else None
        if progress is None:
            head.update("No practice saved yet. Rehearse solo or practise in a group, then come back "
                        "to see your progress here.")
            figures.update("")
            self._shown(0)
            return
        library = self.rp.library
        titles = {sid: e.model.title for sid, e in library.scenarios.items()} if library else {}
        head.update(lines([heading(f"Progress of {progress.person}"), styled(
            "One point per day. Lines: cyan = people's ratings (observers, or your own in solo), "
            "magenta = the automatic observer.", "dim")]))
        parts: list[object] = [heading("Best and latest")]
        rows = best_and_latest(progress, self.rubric_id)
        if rows:
            width = min(max(len(r[0]) for r in rows), 26)
            parts.append(styled(f"{'':{width}}  {'by':<8}  {'best':<17}  latest", "bold"))
            parts += [plain(f"{shorten(n, width):{width}}  {src:<8}  {best:<17}  {latest}")
                      for n, src, best, latest in rows]
        else:
            parts.append(plain("No scores yet for this filter."))
        untried = [titles.get(sid, sid) for sid in progress.untried]
        parts += ["", heading("Scenarios not tried yet")]
        parts.append(plain(", ".join(untried) if untried else "None: you have tried every scenario."))
        figures.update(lines(parts))  # type: ignore[arg-type]
        specs = charts_for(progress, self.rubric_id)
        if specs:
            await holder.mount_all(ProgressChart(spec, id=f"chart-{spec.key}") for spec in specs)
        self._shown(len(specs))

    def _shown(self, charts: int) -> None:
        self.chart_count = charts
        self.call_after_refresh(self._mark_shown)

    def _mark_shown(self) -> None:
        if self.shown_at is None:
            self.shown_at = time.perf_counter()
