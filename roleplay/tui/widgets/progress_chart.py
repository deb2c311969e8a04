"""One progress chart (textual-plotext): lines over time, with fair/good threshold lines for metrics."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from roleplay.tui.history_data import ChartSpec

#: Line colours by source, so "people" and "auto observer" look the same on every chart.
COLOURS = {"people": "cyan", "observer": "magenta"}


class ProgressChart(PlotextPlot):
    """Draws a :class:`ChartSpec`; plotext builds the picture only when the chart is on screen."""

    DEFAULT_CSS = """
    ProgressChart { height: 12; width: 1fr; }
    """

    def __init__(self, spec: ChartSpec, *, id: str | None = None) -> None:
        """Chart ``spec``."""
        super().__init__(id=id, classes="progress-chart")
        self.spec = spec

    def on_mount(self) -> None:
        """Set up the plot from the spec."""
        super().on_mount()
        self.draw()

    def draw(self) -> None:
        """(Re)build the plot's data; plotext renders it on the next refresh."""
        spec = self.spec
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
