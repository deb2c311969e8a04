"""One progress chart (textual-plotext): lines over time, with fair/good threshold lines for metrics."""

from __future__ import annotations

import time

from rich.console import RenderableType
from textual_plotext import PlotextPlot

from roleplay.tui.history_data import ChartSpec

#: Line colours by source, so "people" and "auto observer" look the same on every chart.
COLOURS = {"people": "cyan", "observer": "magenta"}


class ProgressChart(PlotextPlot):
    """Draws a :class:`ChartSpec`; the history screen has one and swaps the spec it shows."""

    DEFAULT_CSS = """
    ProgressChart { height: 12; width: 1fr; }
    """

    def __init__(self, spec: ChartSpec | None = None, *, id: str | None = None) -> None:
        """Chart ``spec`` (None: empty until :meth:`show`)."""
        super().__init__(id=id, classes="progress-chart")
        self.spec = spec
        self.drawn_at: float | None = None
        """``time.perf_counter()`` when a spec was first rendered (the history benchmark waits for it)."""

    def on_mount(self) -> None:
        """Set up the plot from the spec."""
        super().on_mount()
        if self.spec is not None:
            self.draw()

    def show(self, spec: ChartSpec) -> None:
        """Chart ``spec`` instead of the current one."""
        self.spec = spec
        if self.is_mounted:
            self.draw()

    def render(self) -> RenderableType:
        """Render the plot (plotext builds the picture here, only while the chart is visible)."""
        picture = super().render()
        if self.spec is not None and self.drawn_at is None:
            self.drawn_at = time.perf_counter()
            notify = getattr(self.screen, "chart_drawn", None)
            if notify is not None:
                notify()
        return picture

    def draw(self) -> None:
        """(Re)build the plot's data; plotext renders it on the next refresh."""
        spec = self.spec
        if spec is None:
            return
        plt = self.plt
        plt.clear_figure()
        plt.title(spec.title)
        for line in spec.lines:
            colour = COLOURS.get(line.label, "blue")
            plt.plot(list(line.xs), list(line.ys), label=line.label, marker="hd", color=colour)
            if len(line.xs) <= 20:  # few points: mark each, so a single session is visible too
                plt.scatter(list(line.xs), list(line.ys), marker="●", color=colour)
        for value, colour in spec.hlines:
            plt.hline(value, colour)
        low, high = spec.ylim
        plt.ylim(low, high if high > low else low + 1)
        ticks, labels = spec.xticks
        plt.xticks(list(ticks), list(labels))
        self.refresh()
