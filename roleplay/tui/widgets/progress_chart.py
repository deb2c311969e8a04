"""One progress chart (textual-plotext): lines over time, with fair/good threshold lines for metrics.

Sources differ in shape as well as colour (● people, ◆ the automatic observer; the legend shows the same
marks), threshold lines carry their word ("fair", "good") at the right end, and the y ticks are the
spec's meaningful values, so each line sits on the row its tick names.
"""

from __future__ import annotations

import time

from textual.app import RenderResult
from textual.color import Color
from textual_plotext import PlotextPlot

from roleplay.tui.history_data import ChartSpec

#: Line colours by source, so "people" and "auto observer" look the same on every chart.
COLOURS = {"people": "cyan", "observer": "magenta"}
#: Point marks by source: told apart without colour too (the legend shows these marks).
MARKERS = {"people": "●", "observer": "◆"}


class ProgressChart(PlotextPlot):
    """Draws a :class:`ChartSpec`; the history screen has one and swaps the spec it shows."""

    DEFAULT_CSS = """
    ProgressChart { height: 15; width: 1fr; }
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

    def render(self) -> RenderResult:
        """Render the plot (plotext builds the picture here, only while the chart is visible)."""
        if self.spec is None:
            return ""  # nothing to chart yet: an empty plotext canvas costs as much as a full one
        picture = super().render()
        if self.drawn_at is None:
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
        for value, colour, _ in spec.hlines:
            plt.hline(value, colour)
        xs = [x for line in spec.lines for x in line.xs] or [0.0]
        left, right = min(xs), max(xs)
        if spec.hlines:
            # Room right of the last point for the lines' words, so they never cover a point.
            right += (right - left or 1.0) * 0.12
            plt.xlim(left, right)
        for line in spec.lines:
            colour = COLOURS.get(line.label, "blue")
            # The line carries no label: the legend shows the marks, which differ by source.
            plt.plot(list(line.xs), list(line.ys), marker="hd", color=colour)
            plt.scatter(list(line.xs), list(line.ys), marker=MARKERS.get(line.label, "■"), color=colour,
                        label=line.label)
        # plotext gives text the canvas colour current when it is added (white until render sets the
        # theme): give it the surface colour the auto theme paints the canvas with.
        canvas = Color.parse(self.app.theme_variables.get("surface", "black")).rgb
        for value, colour, word in spec.hlines:
            # Written last, so a data line crossing the threshold never hides its word.
            plt.text(word, right, value, color=colour, background=canvas, alignment="right")
        low, high = spec.ylim
        plt.ylim(low, high if high > low else low + 1)
        ticks, labels = spec.xticks
        plt.xticks(list(ticks), list(labels))
        yticks, ylabels = spec.yticks
        if yticks:
            plt.yticks(list(yticks), list(ylabels))
        self.refresh()
