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

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.session.progress import HistoryFilter
from roleplay.storage.errors import StorageError
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.history_data import ChartSpec, HistoryData, best_and_latest, charts_for, load_history
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

    BINDINGS = [
        Binding("escape", "app.back_home", "Home"),
        Binding("p", "cycle('person', 1)", "Person"),
        Binding("P", "cycle('person', -1)", "Person back", show=False),
        Binding("c", "cycle('scenario', 1)", "Scenario"),
        Binding("C", "cycle('scenario', -1)", "Scenario back", show=False),
        Binding("k", "cycle('kind', 1)", "Solo/group"),
        Binding("b", "cycle('rubric', 1)", "Rubric"),
        Binding("n", "next_chart(1)", "Next chart"),
        Binding("N", "next_chart(-1)", "Previous chart", show=False),
        Binding("t", "toggle_view", "Sessions/charts"),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, person: str | None = None) -> None:
        """Open on ``person``'s progress (None: the person who practised most recently)."""
        super().__init__()
        self.person = person
        self.scenario_id: str | None = None
        self.kind: str | None = None
        self.rubric_id: str | None = None
        self.data: HistoryData | None = None
        self.shown_at: float | None = None
        """``time.perf_counter()`` when the loaded data was first on screen (for the benchmark)."""
        self.chart_count = 0
        """How many charts the person has (one is shown at a time)."""
        self.specs: list[ChartSpec] = []
        self.chart_key: str | None = None
        self._cache: dict[tuple[str | None, str | None, str | None], HistoryData] = {}
        self.load_error: str | None = None
        self._first_read: asyncio.Future[HistoryData] | None = None

    def _start_read(self) -> asyncio.Future[HistoryData] | None:
        """Start reading the data in a thread at once (the SQLite work overlaps building the screen)."""
        store = self.rp.store
        if store is None:
            return None
        library = self.rp.library
        available = list(library.scenarios) if library is not None else []
        flt = HistoryFilter(scenario_id=self.scenario_id, kind=self.kind)
        return asyncio.get_running_loop().run_in_executor(None, self._read, store, self.person, flt, available)

    def compose_body(self) -> ComposeResult:
        """The filter line, then the progress pane or the session list.

        The filters are one line of keys (and clickable words), not drop-downs: four Select widgets
        doubled the time the screen took to appear.
        """
        self._first_read = self._start_read()
        yield Static("", id="history-filters")
        with ContentSwitcher(id="history-views", initial="history-progress"):
            with VerticalScroll(id="history-progress"):
                yield Static("Loading…", id="history-heading")
                yield Static("", id="history-chart-picker")
                yield ProgressChart(id="history-chart")
                yield Static("", id="history-figures")
            with Vertical(id="history-sessions"):
                yield Static("Sessions, newest first", id="history-title")
                yield OptionList(id="history-list")

    def on_mount(self) -> None:
        """Load the data."""
        self.draw_filters()
        self.load()

    # ------------------------------------------------------------------ filters
    def choices(self, which: str) -> list[tuple[str | None, str]]:
        """The values a filter cycles through, each with its label."""
        library = self.rp.library
        if which == "person":
            return [(p, p) for p in (self.data.people if self.data else [])]
        if which == "scenario":
            scenarios = [(sid, e.model.title) for sid, e in library.scenarios.items()] if library else []
            return [(None, "any scenario"), *scenarios]
        if which == "kind":
            return [(None, "solo and group"), ("solo", "solo only"), ("group", "group only")]
        names = {rid: e.model.title for rid, e in library.rubrics.items()} if library else {}
        return [(r, names.get(r, r)) for r in (self.data.rubric_ids if self.data else [])]

    def draw_filters(self) -> None:
        """The filter line: each filter's current value and its key (values are plain text)."""
        parts = []
        for which, key, value in (("person", "p", self.person), ("scenario", "c", self.scenario_id),
                                  ("kind", "k", self.kind), ("rubric", "b", self.rubric_id)):
            label = dict(self.choices(which)).get(value, value or "–")
            # Only fixed words go into markup; the label itself is substituted as plain text.
            parts.append(Content.from_markup(f"[@click=screen.cycle('{which}',1)][b]{key}[/b]: $label[/]",
                                             label=shorten(str(label), 20)))
        self.query_one("#history-filters", Static).update(Content(" · ").join(parts))

    async def action_cycle(self, which: str, step: int) -> None:
        """Move a filter to its next (or previous) value and show the result."""
        options = [value for value, _ in self.choices(which)]
        if not options:
            return
        current = {"person": self.person, "scenario": self.scenario_id, "kind": self.kind,
                   "rubric": self.rubric_id}[which]
        index = options.index(current) if current in options else -1
        chosen = options[(index + step) % len(options)]
        if which == "rubric":
            self.rubric_id = chosen
            self.draw_filters()
            await self.show_progress()
            return
        setattr(self, {"person": "person", "scenario": "scenario_id", "kind": "kind"}[which], chosen)
        self.draw_filters()
        self.load()

    def action_toggle_view(self) -> None:
        """Switch between the charts and the list of sessions."""
        views = self.query_one("#history-views", ContentSwitcher)
        views.current = "history-sessions" if views.current == "history-progress" else "history-progress"
        if views.current == "history-sessions":
            self.query_one("#history-list", OptionList).focus()

    def action_reload(self) -> None:
        """Read everything again."""
        self._cache.clear()
        self.load()

    @work(exclusive=True, group="history")
    async def load(self) -> None:
        """Read the sessions and the person's progress in a thread, then show them."""
        store = self.rp.store
        if store is None:
            self.query_one("#history-heading", Static).update("Your practice records are not open.")
            return
        library = self.rp.library
        available = list(library.scenarios) if library is not None else []
        flt = HistoryFilter(scenario_id=self.scenario_id, kind=self.kind)
        first, self._first_read = self._first_read, None
        key = (self.person, self.scenario_id, self.kind)
        cached = self._cache.get(key)
        try:
            # Filters visited before on this screen are not read again (the query is the slow part).
            data = cached or await (first or asyncio.to_thread(self._read, store, self.person, flt, available))
        except StorageError as error:  # a message on screen, never a traceback
            self.load_error = error.message
            self.query_one("#history-heading", Static).update(plain(f"Your history could not be read: "
                                                                    f"{error.message}"))
            return
        if first is not None and cached is not None:
            first.cancel()
        self._cache[key] = data
        if data.progress is not None:
            self._cache[(data.progress.person, self.scenario_id, self.kind)] = data
        self.data = data
        await self.show(data)

    @staticmethod
    def _read(store: object, person: str | None, flt: HistoryFilter, available: list[str]) -> HistoryData:
        data = load_history(store, person, flt, available)  # type: ignore[arg-type]
        if person is None and data.sessions:
            # Nobody chosen yet: chart someone from the most recent session.
            latest = data.sessions[0].names[0]
            return load_history(store, latest, flt, available)  # type: ignore[arg-type]
        return data

    async def show(self, data: HistoryData) -> None:
        """Fill the list and the progress pane from one load."""
        person = data.progress.person if data.progress is not None else None
        self.person = person
        # The list is filled after the first paint: the figures and the chart come first.
        self.call_after_refresh(self._fill_list, data)
        title = f"Sessions in which {person} listened" if person else "Sessions, newest first"
        self.query_one("#history-title", Static).update(plain(title))
        rubrics = data.rubric_ids
        if self.rubric_id not in rubrics:
            self.rubric_id = rubrics[0] if rubrics else None
        self.draw_filters()
        await self.show_progress()

    def _fill_list(self, data: HistoryData) -> None:
        if data is not self.data:
            return  # a newer load replaced it
        listing = self.query_one("#history-list", OptionList)
        listing.clear_options()
        if not data.sessions:
            listing.add_option(Option("No sessions match.", disabled=True))
        listing.add_options(Option(plain(session_line(s)), id=s.id) for s in data.sessions)

    async def show_progress(self) -> None:
        """The figures and the chosen chart for the chosen person and rubric."""
        data = self.data
        figures = self.query_one("#history-figures", Static)
        head = self.query_one("#history-heading", Static)
        chart = self.query_one("#history-chart", ProgressChart)
        progress = data.progress if data is not None else None
        if progress is None:
            head.update("No practice saved yet. Rehearse solo or practise in a group, then come back "
                        "to see your progress here.")
            figures.update("")
            self.specs = []
            self.query_one("#history-chart-picker", Static).update("")
            chart.display = False
            self._shown(0)
            return
        library = self.rp.library
        titles = {sid: e.model.title for sid, e in library.scenarios.items()} if library else {}
        days = progress.days_per_point
        per = "One point per day" if days == 1 else f"One point per {days} days (best and latest: single days)"
        head.update(lines([heading(f"Progress of {progress.person}"), styled(
            f"{per}. Lines: cyan = people's ratings (observers, or your own in solo), "
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
        self.specs = charts_for(progress, self.rubric_id)
        keys = [spec.key for spec in self.specs]
        self.chart_key = self.chart_key if self.chart_key in keys else (keys[0] if keys else None)
        self.draw_chart()
        self._shown(len(self.specs))

    def draw_chart(self) -> None:
        """Draw the chosen chart (one at a time: stacking a dozen plots made the screen slow to appear)."""
        chart = self.query_one("#history-chart", ProgressChart)
        picker = self.query_one("#history-chart-picker", Static)
        spec = next((s for s in self.specs if s.key == self.chart_key), None)
        chart.display = spec is not None
        if spec is None:
            picker.update("")
            return
        names = []
        for s in self.specs:
            label = shorten(s.title.split(" (")[0], 24)
            style = "reverse" if s.key == spec.key else "underline"
            names.append(Content.from_markup(f"[@click=screen.pick_chart('{s.key}')][{style}]$label[/][/]",
                                             label=label))
        picker.update(Content.assemble(Content.from_markup("[b]n[/b]/[b]N[/b] chart: "),
                                       Content(" ").join(names)))
        chart.show(spec)

    def action_pick_chart(self, key: str) -> None:
        """Show the chart ``key``."""
        self.chart_key = key
        self.draw_chart()

    def action_next_chart(self, step: int) -> None:
        """Show the next (or previous) chart."""
        keys = [s.key for s in self.specs]
        if not keys:
            return
        index = keys.index(self.chart_key) if self.chart_key in keys else -1
        self.action_pick_chart(keys[(index + step) % len(keys)])

    def _shown(self, charts: int) -> None:
        self.chart_count = charts
        self.call_after_refresh(self._mark_shown)

    def chart_drawn(self) -> None:
        """The chart drew a spec for the first time: the data is on screen after this refresh."""
        self.call_after_refresh(self._mark_shown)

    def _mark_shown(self) -> None:
        """Record the first time the data is on screen: the figures are updated and the chart has drawn."""
        if self.shown_at is not None:
            return
        chart = self.query_one("#history-chart", ProgressChart)
        if self.chart_count and chart.drawn_at is None:
            return  # the chart calls this again once it has drawn (ProgressChart.render)
        self.shown_at = time.perf_counter()
