"""The dashboard's table of groups: a header line and one line per group, with a row cursor.

Built for a view that changes every second (each group's time left) and after every rating: each row is
its own one-line widget, and only a row whose text changed is redrawn. A general table (Textual's
DataTable) throws away its whole render cache on any cell update, so with ten groups it redrew every
cell of every row each second, which was most of the dashboard's work and of its lag behind the seats.
Columns are as wide as their widest text; when that changes every row is laid out again (rare: a first
rating, a new flag). When a line would be wider than the table, the last column (the dashboard's flags)
moves to a second line under its row, so nothing is cut off on a narrow terminal. Cells are plain text,
never markup (names are typed by trainees).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

#: Spaces between columns.
GAP = 2


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


class GroupLine(Static):
    """One group's line (or the header line: ``group_id`` None)."""

    def __init__(self, group_id: str | None, *, classes: str = "") -> None:
        """An empty line until the table fills it."""
        super().__init__("", classes=classes, markup=False)
        self.group_id = group_id
        self.text = ""

    def show(self, text: str, *, layout: bool) -> None:
        """Draw ``text`` (only when it changed; a second line when the last column moved under the row)."""
        if text != self.text:
            layout = layout or text.count("\n") != self.text.count("\n")
            self.text = text
            self.update(Text(text, no_wrap=True, overflow="crop"), layout=layout)

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor here."""
        table = self.parent
        if isinstance(table, GroupsTable) and self.group_id is not None:
            table.move_to(self.group_id)
            table.focus()


class GroupsTable(VerticalScroll, can_focus=True):
    """Columns of text for each group; up/down (or a click) move the cursor."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous group", show=False),
        Binding("down", "cursor(1)", "Next group", show=False),
        Binding("home", "cursor(-1000)", show=False),
        Binding("end", "cursor(1000)", show=False),
    ]

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        """A table with these column headings and no rows yet."""
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.cells: dict[str, tuple[str, ...]] = {}
        self.widths = [cell_len(c) for c in self.columns[:-1]] + [0]
        self.cursor = 0
        self.stacked = False
        """Whether the last column is drawn under each row (the lines would not fit the width)."""
        self._head = GroupLine(None, classes="groups-head")
        self._lines: dict[str, GroupLine] = {}

    def compose(self) -> ComposeResult:
        """The header line."""
        yield self._head

    def on_mount(self) -> None:
        """Draw the header."""
        self._head.show(self._line(self.columns), layout=True)

    # ------------------------------------------------------------------ reading
    @property
    def row_count(self) -> int:
        """How many groups are shown."""
        return len(self.cells)

    @property
    def selected(self) -> str | None:
        """The group under the cursor (None when there are no groups)."""
        ids = list(self.cells)
        return ids[min(self.cursor, len(ids) - 1)] if ids else None

    def row_text(self, group_id: str) -> str:
        """What the group's line shows now."""
        return self._lines[group_id].text

    # ------------------------------------------------------------------ drawing
    def set_columns(self, columns: Sequence[str]) -> None:
        """New column headings (as many as the rows' cells); the next :meth:`show` lays the lines out."""
        if tuple(columns) != self.columns:
            self.columns = tuple(columns)
            self.widths = []

    def show(self, cells: Mapping[str, tuple[str, ...]]) -> None:
        """Show these rows (group id -> one text per column), in order; redraw only what changed."""
        widths = [max([cell_len(h), *(cell_len(v[i]) for v in cells.values())]) for i, h in enumerate(self.columns)]
        last = max([cell_len(self.columns[-1]), *(cell_len(v[-1]) for v in cells.values())])
        widths[-1] = 0  # the last column is not padded: its width changes nothing else
        room = self.content_size.width  # 0 before the first layout: draw as if there were room
        stacked = bool(room) and sum(widths) + GAP * (len(widths) - 1) + last > room
        relayout = widths != self.widths or stacked != self.stacked
        self.widths, self.stacked = widths, stacked
        if list(self._lines) != list(cells):  # groups formed or gone: build the lines again
            for line in self._lines.values():
                line.remove()
            self._lines = {group_id: GroupLine(group_id) for group_id in cells}
            self.mount_all(self._lines.values())
            relayout = True
        if relayout:
            self._head.show(self._line(self.columns), layout=True)
        for group_id, values in cells.items():
            self._lines[group_id].show(self._line(values), layout=relayout)
        self.cells = dict(cells)
        self._mark_cursor(scroll=False)

    def _line(self, values: Sequence[str]) -> str:
        last = len(values) - 1
        if self.stacked:  # the last column under the row, indented past the first; none for the header
            row = (" " * GAP).join(_pad(v, self.widths[i]) for i, v in enumerate(values[:last])).rstrip()
            under = values[last] if values is not self.columns else ""
            return row + (f"\n{' ' * (self.widths[0] + GAP)}{self.columns[last]}: {under}" if under else "")
        return (" " * GAP).join(v if i == last else _pad(v, self.widths[i]) for i, v in enumerate(values))

    # ------------------------------------------------------------------ cursor
    def move_to(self, group_id: str) -> None:
        """Put the cursor on ``group_id``'s line."""
        ids = list(self.cells)
        if group_id in ids:
            self.cursor = ids.index(group_id)
            self._mark_cursor(scroll=True)

    def action_cursor(self, step: int) -> None:
        """Move the cursor ``step`` lines (clamped to the table)."""
        if self.cells:
            self.cursor = max(0, min(len(self.cells) - 1, self.cursor + step))
            self._mark_cursor(scroll=True)

    def _mark_cursor(self, *, scroll: bool) -> None:
        self.cursor = max(0, min(self.cursor, len(self._lines) - 1))
        for index, line in enumerate(self._lines.values()):
            line.set_class(index == self.cursor, "-cursor")
            line.set_class(index % 2 == 1, "-odd")
        chosen = list(self._lines.values())[self.cursor] if self._lines else None
        if scroll and chosen is not None and chosen.is_mounted:
            self.scroll_to_widget(chosen, animate=False)
