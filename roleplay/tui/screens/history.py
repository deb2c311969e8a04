"""History and progress: sessions by person (filter by person, scenario, kind) and, for one person,
charts over time of R:Q, %CR (with fair/good lines), the overall score and each rubric criterion, best
and latest figures, and the scenarios not tried yet.

The data is read in a worker (:func:`roleplay.tui.history_data.load_history`); :attr:`HistoryScreen.shown_at`
records when the loaded data was first on screen (the benchmark reads it). One chart is drawn at a time
(textual-plotext). The session list shows each session's id (what ``roleplay report`` takes); Enter on a
session opens the export dialog of the summary screens for it.
"""

from __future__ import annotations

import asyncio
import time

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Static

from roleplay.session.progress import HistoryFilter
from roleplay.storage.errors import StorageError
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.history_data import (
    ChartSpec,
    HistoryData,
    best_and_latest,
    charts_for,
    fit,
    load_history,
)
from roleplay.tui.text import heading, lines, plain, shorten, styled
from roleplay.tui.widgets.progress_chart import ProgressChart
from roleplay.tui.widgets.session_list import SessionList


class HistoryScreen(RoleplayScreen):
    """Past sessions and one person's progress."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = None  # the progress pane is focused once the data is shown (see _mark_shown)

    BINDINGS = [
        Binding("escape", "app.back_home", "Home"),
        Binding("p", "cycle('person', 1)", "Person"),
        Binding("P", "cycle('person', -1)", "Person back", show=False),
        Binding("c", "cycle('scenario', 1)", "Scenario"),
        Binding("C", "cycle('scenario', -1)", "Scenario back", show=False),
        Binding("k", "cycle('kind', 1)", "Solo/group"),
        Binding("b", "cycle('rubric', 1)", "Rubric"),
        Binding("n", "next_chart(1)", "Chart"),
        Binding("N", "next_chart(-1)", "Previous chart", show=False),
        Binding("t", "toggle_view", "Sessions"),
        # Priority: the focused pane or list would otherwise take these keys and hide them from the footer.
        Binding("pagedown", "page('down')", "Scroll", key_display="PgDn", priority=True),
        Binding("pageup", "page('up')", "Scroll up", key_display="PgUp", show=False, priority=True),
        Binding("home", "page('home')", "Top", show=False, priority=True),
        Binding("end", "page('end')", "Bottom", show=False, priority=True),
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
        self._drawn_width = 0
        """The terminal width the filter line was last fitted to."""
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
            yield SessionList(id="history-sessions")

    def on_mount(self) -> None:
        """Load the data."""
        self.draw_filters()
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the filter and chart lines to a new width (not on the first layout: they were just drawn)."""
        if self.app.size.width != self._drawn_width:
            self.draw_filters()
            self.draw_picker()

    # ------------------------------------------------------------------ filters
    def choices(self, which: str) -> list[tuple[str | None, str]]:
        """The values a filter cycles through, each with its label."""
        library = self.rp.library
        if which == "person":
            return [(p, p) for p in (self.data.people if self.data else [])]
        if which == "scenario":
            # Only scenarios the person has sessions for: never-tried ones would chart nothing.
            titles = {sid: e.model.title for sid, e in library.scenarios.items()} if library else {}
            titles.update({s.scenario_id: s.scenario_title for s in (self.data.sessions if self.data else [])
                           if s.scenario_id not in titles})
            tried = self.data.tried if self.data else []
            return [(None, "any scenario"), *((sid, titles.get(sid, sid)) for sid in tried)]
        if which == "kind":
            return [(None, "solo & group"), ("solo", "solo only"), ("group", "group only")]
        names = {rid: e.model.title for rid, e in library.rubrics.items()} if library else {}
        return [(r, names.get(r, r)) for r in (self.data.rubric_ids if self.data else [])]

    def label(self, which: str, value: str | None) -> str:
        """The label of one filter value (without building the lists of choices: this runs on open)."""
        library = self.rp.library
        if which == "kind":
            return dict(self.choices("kind"))[value]
        if which == "scenario":
            if value is None:
                return "any scenario"
            entry = library.scenarios.get(value) if library else None
            if entry is not None:
                return entry.model.title
        if which == "rubric" and value is not None:
            rubric = library.rubrics.get(value) if library else None
            return rubric.model.title if rubric is not None else value
        return value or "–"

    def draw_filters(self) -> None:
        """The filter line: each filter's current value and its key (values are plain text), cut to fit."""
        filters = (("person", "p", self.person), ("scenario", "c", self.scenario_id),
                   ("kind", "k", self.kind), ("rubric", "b", self.rubric_id))
        labels = [self.label(which, value) for which, _, value in filters]
        # Each filter adds "x: " and a two-space gap; the line has one column of padding each side.
        self._drawn_width = self.app.size.width
        labels = fit(labels, self._drawn_width - 2 - 5 * len(filters) + 2)
        parts = [Content.from_markup(f"[@click=screen.cycle('{which}',1)][b]{key}[/b]: $label[/]", label=label)
                 for (which, key, _), label in zip(filters, labels, strict=True)]
        self.query_one("#history-filters", Static).update(Content("  ").join(parts))

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
        """Switch between the charts and the list of sessions (and focus the one shown)."""
        views = self.query_one("#history-views", ContentSwitcher)
        views.current = "history-sessions" if views.current == "history-progress" else "history-progress"
        target = "#history-list" if views.current == "history-sessions" else "#history-progress"
        self.query_one(target).focus()

    def action_page(self, where: str) -> None:
        """Scroll the progress pane, or move through the session list, by a page or to an end."""
        if self.query_one("#history-views", ContentSwitcher).current == "history-sessions":
            listing = self.query_one(SessionList).listing
            {"down": listing.action_page_down, "up": listing.action_page_up,
             "home": listing.action_first, "end": listing.action_last}[where]()
            return
        pane = self.query_one("#history-progress", VerticalScroll)
        {"down": pane.scroll_page_down, "up": pane.scroll_page_up,
         "home": pane.scroll_home, "end": pane.scroll_end}[where]()

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
        if data is None:
            return
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
        # The list is filled once the progress pane is on screen: the figures and the chart come first.
        if self.shown_at is not None:
            self.call_after_refresh(self._fill_list, data)
        self.query_one(SessionList).set_title(person)
        rubrics = data.rubric_ids
        if self.rubric_id not in rubrics:
            self.rubric_id = rubrics[0] if rubrics else None
        self.draw_filters()
        await self.show_progress()

    def _fill_list(self, data: HistoryData) -> None:
        if data is self.data:  # else a newer load replaced it
            self.query_one(SessionList).show(data.sessions)

    # ------------------------------------------------------------------ progress
    async def show_progress(self) -> None:
        """The figures and the chosen chart for the chosen person and rubric."""
        data = self.data
        figures = self.query_one("#history-figures", Static)
        head = self.query_one("#history-heading", Static)
        chart = self.query_one("#history-chart", ProgressChart)
        progress = data.progress if data is not None else None
        if data is None or progress is None:
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
        per = f"One point per {data.unit()}"
        if progress.days_per_point > 1:
            per += " (best and latest: single days)"
        head.update(lines([Content.assemble((f"Progress of {progress.person}", "bold"), f" · {per}"),
                           styled("● people's ratings (observers, or your own in solo)  ◆ automatic observer",
                                  "dim")]))
        parts: list[object] = [heading("Best and latest")]
        rows = best_and_latest(progress, self.rubric_id)
        if rows:
            width = min(max(len(r[0]) for r in rows), 26)
            parts.append(styled(f"{'series':<{width}}  {'by':<8}  {'best':<17}  latest", "bold"))
            parts += [plain(f"{shorten(n, width):{width}}  {src:<8}  {best:<17}  {latest}")
                      for n, src, best, latest in rows]
        else:
            parts.append(plain("No scores yet for this filter."))
        untried = [titles.get(sid, sid) for sid in progress.untried]
        parts += ["", heading("Scenarios not tried yet")]
        parts.append(plain(", ".join(untried) if untried else "None: you have tried every scenario."))
        figures.update(lines(parts))  # type: ignore[arg-type]
        self.specs = charts_for(progress, self.rubric_id, per_session=data.per_session)
        keys = [spec.key for spec in self.specs]
        self.chart_key = self.chart_key if self.chart_key in keys else (keys[0] if keys else None)
        self.draw_chart()
        self._shown(len(self.specs))

    def draw_picker(self) -> None:
        """The chart line: which chart of how many, its name, and the keys (and arrows) to step."""
        picker = self.query_one("#history-chart-picker", Static)
        keys = [s.key for s in self.specs]
        if self.chart_key not in keys:
            picker.update("")
            return
        index = keys.index(self.chart_key)
        prefix = f"Chart {index + 1} of {len(keys)}: "
        hint = "   ◀ N  n ▶"
        room = self.app.size.width - 2 - len(prefix) - len(hint)
        title = shorten(self.specs[index].title.split(" (")[0], max(room, 12))
        picker.update(Content.assemble(
            Content.from_markup("[b]$prefix[/b]$title", prefix=prefix, title=title),
            Content.from_markup("   [@click=screen.next_chart('-1')]◀ [b]N[/b][/]  "
                                "[@click=screen.next_chart(1)][b]n[/b] ▶[/]")))

    def draw_chart(self) -> None:
        """Draw the chosen chart (one at a time: stacking a dozen plots made the screen slow to appear)."""
        chart = self.query_one("#history-chart", ProgressChart)
        spec = next((s for s in self.specs if s.key == self.chart_key), None)
        chart.display = spec is not None
        self.draw_picker()
        if spec is not None:
            chart.show(spec)

    def action_pick_chart(self, key: str) -> None:
        """Show the chart ``key``."""
        self.chart_key = key
        self.draw_chart()

    def action_next_chart(self, step: int | str) -> None:
        """Show the next (or previous) chart (``step`` is a string from a click: markup takes no ``-1``)."""
        keys = [s.key for s in self.specs]
        if not keys:
            return
        index = keys.index(self.chart_key) if self.chart_key in keys else -1
        self.action_pick_chart(keys[(index + int(step)) % len(keys)])

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
        if self.focused is None:
            # Focus (and the footer it redraws) waits for the data; then the arrow keys scroll at once.
            self.query_one("#history-progress").focus()
        if self.data is not None:
            self.call_after_refresh(self._fill_list, self.data)
