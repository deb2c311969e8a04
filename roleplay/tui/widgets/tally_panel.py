"""The observer's behaviour-count panel: one key per behaviour, counts and live figures.

Keys (only while this panel has focus, so letters never clash with the play screen's own commands,
which all use ctrl): a tally's letter adds one, shift+letter (or ``-`` then the letter) takes one
away; up/down highlight a row, ``+``/right/space add to it, left/backspace take one away; enter says
the rater is done with the turn. The panel only posts messages (:class:`TallyPanel.Changed`,
:class:`TallyPanel.Confirmed`); the screen saves and hands the saved counts back with
:meth:`TallyPanel.show_counts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.content.rubric import Tally
from roleplay.tui.text import shorten

#: Short names people use for the MITI summary figures; other metrics show their own name.
SHORT_METRIC_NAMES = {"r_to_q": "R:Q", "percent_complex": "%CR"}

BAND_STYLES = {"good": "bold green", "fair": "yellow", "below": "dim"}


class TallyPanel(Widget, can_focus=True):
    """Counts behaviours on the current turn for one rater."""

    BINDINGS = [
        Binding("up", "move(-1)", "Prev", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("plus,right,space", "change(1)", "+1", show=False),
        Binding("left,backspace", "change(-1)", "-1", show=False),
        Binding("enter", "confirm", "Done with turn"),
    ]

    cursor: reactive[int] = reactive(0)
    """Index of the highlighted tally."""

    minus_pending: reactive[bool] = reactive(False)
    """``-`` was pressed: the next tally letter takes one away."""

    class Changed(Message):
        """The rater changed the count of ``tally_id`` by ``delta``."""

        def __init__(self, tally_id: str, delta: int) -> None:
            """Carry the tally and the change."""
            super().__init__()
            self.tally_id = tally_id
            self.delta = delta

    class Confirmed(Message):
        """The rater is done with this turn."""

    def __init__(self, tallies: Sequence[Tally], *, id: str | None = None) -> None:
        """Set up the panel for the rubric's ``tallies``."""
        super().__init__(id=id)
        self.tallies = list(tallies)
        self.keys = {t.key.lower(): t for t in self.tallies if t.key}
        self.turn_counts: dict[str, int] = {}
        self.round_counts: dict[str, int] = {}
        self.metrics: list = []
        self.title = ""
        self.confirm_label = "done with the turn"
        self.active = True

    def show_counts(self, turn_counts: Mapping[str, int], round_counts: Mapping[str, int],
                    metrics: Sequence, title: str, *, active: bool = True,
                    confirm_label: str | None = None) -> None:
        """Display saved counts (this turn and the round so far) and the live metrics."""
        self.turn_counts = dict(turn_counts)
        self.round_counts = dict(round_counts)
        self.metrics = list(metrics)
        self.title = title
        self.active = active
        if confirm_label is not None:
            self.confirm_label = confirm_label
        self.refresh(layout=True)

    def watch_cursor(self) -> None:
        """Redraw with the new highlight."""
        self.refresh()

    def watch_minus_pending(self) -> None:
        """Show that the next letter takes one away."""
        self.refresh()

    def action_move(self, step: int) -> None:
        """Highlight the previous or next tally (wrapping)."""
        if self.tallies:
            self.cursor = (self.cursor + step) % len(self.tallies)

    def action_change(self, delta: int) -> None:
        """Add to (or take from) the highlighted tally."""
        if self.tallies:
            self._change(self.cursor, delta)

    def action_confirm(self) -> None:
        """Tell the screen the rater is done with this turn."""
        self.minus_pending = False
        self.post_message(self.Confirmed())

    def action_count(self, index: int) -> None:
        """Mouse: a tally row was clicked (adds one)."""
        self._change(index, 1)

    def _change(self, index: int, delta: int) -> None:
        self.cursor = index
        self.minus_pending = False
        self.post_message(self.Changed(self.tallies[index].id, delta))

    def on_key(self, event: events.Key) -> None:
        """Tally letters: lower case adds, upper case (shift) or ``-`` first takes away."""
        char = event.character or ""
        if event.key in ("minus", "-"):
            event.stop()
            self.minus_pending = not self.minus_pending
            return
        if len(char) != 1 or not char.isalpha() or char.lower() not in self.keys:
            return
        event.stop()
        event.prevent_default()
        tally = self.keys[char.lower()]
        delta = -1 if (char.isupper() or self.minus_pending) else 1
        self._change(self.tallies.index(tally), delta)

    def render(self) -> Content:
        """Title, one row per tally (key, name, this turn, round), the metrics and a key hint."""
        rows: list[Content] = []
        if self.title:
            rows.append(Content.styled(self.title, "bold"))
        if not self.tallies:
            rows.append(Content("This rubric has no behaviour counts."))
        width = min(max((len(t.name) for t in self.tallies), default=0), 24)
        rows.append(Content.styled(f"    {'behaviour'.ljust(width)}  turn round", "dim"))
        for index, tally in enumerate(self.tallies):
            key = (tally.key or " ").lower()
            turn = self.turn_counts.get(tally.id, 0)
            total = self.round_counts.get(tally.id, 0)
            mark = "▶" if index == self.cursor else " "
            text = f"{mark} {key} {shorten(tally.name, width).ljust(width)}  {turn:>4} {total:>5}"
            row = Content.from_markup(f"[@click=count({index})]$text[/]", text=text)
            rows.append(row.stylize("bold", 0, len(row)) if index == self.cursor else row)
        for metric in self.metrics:
            label = SHORT_METRIC_NAMES.get(metric.metric_id, metric.name)
            band = metric.band.value if metric.band is not None else None
            line = Content.assemble(f"{label} {metric.text}", " ")
            if band is not None:
                line = Content.assemble(line, (("below fair" if band == "below" else band),
                                               BAND_STYLES.get(band, "")))
            if metric.thresholds is not None:
                fair, good = metric.thresholds.fair, metric.thresholds.good
                unit = "%" if metric.kind == "percent" else ":1"
                line = Content.assemble(line, (f" (fair {fair:g}{unit}, good {good:g}{unit})", "dim"))
            rows.append(line)
        if not self.active:
            rows.append(Content.styled("The script is over: counts are closed for this round.", "italic"))
        sign = "next letter takes one away" if self.minus_pending else "letter +1 · shift+letter or - letter −1"
        rows.append(Content.styled(f"{sign} · enter {self.confirm_label}", "dim"))
        return Content("\n").join(rows)
