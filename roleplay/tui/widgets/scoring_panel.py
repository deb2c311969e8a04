"""The observer's rubric panel: keyboard first, mouse too.

Keys: up/down or k/j move between criteria, a number key gives the highlighted criterion that level,
``n`` asks for a short note, enter confirms. The panel never changes the session itself: it posts
messages (:class:`ScoringPanel.Rated`, :class:`ScoringPanel.NoteWanted`, :class:`ScoringPanel.Confirmed`)
and the screen, after saving, hands the saved values back with :meth:`ScoringPanel.show_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.content.rubric import Criterion, Level
from roleplay.tui.keymap import panel_bindings
from roleplay.tui.text import shorten


def criteria_window(count: int, cursor: int, lines: int, top: int = 0) -> tuple[int, int]:
    """The rows ``first..last`` to show of ``count`` criteria in ``lines`` lines, keeping ``cursor`` visible.

    Each hidden side costs one line for its "more above/below" cue. The window moves only as far as it
    must from ``top`` (the previous first row), so the rows stay put while the highlight moves inside it.
    """
    if count <= lines:
        return 0, count

    def shown(first: int) -> int:
        room = lines - (first > 0)
        return max(1, room - (first + room < count))

    first = max(0, min(top, cursor, count - 1))
    for _ in range(3):  # the cues depend on the window's place, so settle it in a few steps
        if cursor >= first + shown(first):
            first = cursor - shown(first) + 1
        first = max(0, min(first, cursor))
    # Nothing hidden below the last row: use the whole height rather than leave lines empty.
    while first > 0 and first - 1 + shown(first - 1) >= count and cursor >= first - 1:
        first -= 1
    return first, min(count, first + shown(first))


class ScoringPanel(Widget, can_focus=True):
    """Rates a list of criteria on a scale for one rater."""

    BINDINGS = [
        *panel_bindings(),  # from the one keymap (roleplay.tui.keymap)
        *(Binding(str(d), f"rate_key({d})", show=False) for d in range(10)),
    ]

    cursor: reactive[int] = reactive(0)
    """Index of the highlighted criterion."""

    class Rated(Message):
        """The rater gave ``criterion_id`` the level ``value``."""

        def __init__(self, criterion_id: str, value: int) -> None:
            """Carry the criterion and the level."""
            super().__init__()
            self.criterion_id = criterion_id
            self.value = value

    class NoteWanted(Message):
        """The rater wants to add or change the note for this turn (or round)."""

    class Confirmed(Message):
        """The rater confirmed the ratings (ends the turn, or the round's rating)."""

    def __init__(
        self,
        criteria: Sequence[Criterion],
        scale: Sequence[Level],
        *,
        title: str = "",
        confirm_label: str = "confirm",
        id: str | None = None,
    ) -> None:
        """Set up the panel for ``criteria`` rated on ``scale``."""
        super().__init__(id=id)
        self.criteria = list(criteria)
        self.scale = list(scale)
        self.title = title
        self.confirm_label = confirm_label
        self.values: dict[str, int] = {}
        self.note: str | None = None
        self._top = 0  # first criterion shown when the panel is too short for all (kept so rows stay put)
        self.empty_text = "Nothing to rate here."
        """What the panel says when there are no criteria (the screen sets it; attributes down)."""

    def show_values(self, values: Mapping[str, int], note: str | None = None, title: str | None = None) -> None:
        """Display the saved ratings and note (called by the screen after each save)."""
        self.values = dict(values)
        self.note = note
        if title is not None:
            self.title = title
        self.refresh(layout=True)

    def set_criteria(self, criteria: Sequence[Criterion]) -> None:
        """Switch to another set of criteria (per-turn vs per-round) and clear the display."""
        self.criteria = list(criteria)
        self.values = {}
        self.note = None
        self.cursor = 0
        self.refresh(layout=True)

    @property
    def complete(self) -> bool:
        """Whether every criterion has a level."""
        return all(c.id in self.values for c in self.criteria)

    def watch_cursor(self) -> None:
        """Redraw with the new highlight."""
        self.refresh(layout=True)

    def action_move(self, step: int) -> None:
        """Highlight the previous or next criterion (wrapping)."""
        if self.criteria:
            self.cursor = (self.cursor + step) % len(self.criteria)

    def action_rate_key(self, digit: int) -> None:
        """Give the highlighted criterion the level typed, if the scale has it."""
        if self.criteria and any(level.value == digit for level in self.scale):
            self._rate(self.cursor, digit)

    def action_rate(self, index: int, value: int) -> None:
        """Mouse: a level was clicked on row ``index``."""
        self.cursor = index
        self._rate(index, value)

    def action_pick(self, index: int) -> None:
        """Mouse: a criterion name was clicked."""
        self.cursor = index
        self.focus()

    def action_note(self) -> None:
        """Ask the screen for a note."""
        self.post_message(self.NoteWanted())

    def action_confirm(self) -> None:
        """Tell the screen the rater is done with this turn."""
        self.post_message(self.Confirmed())

    def _rate(self, index: int, value: int) -> None:
        criterion = self.criteria[index]
        self.post_message(self.Rated(criterion.id, value))
        # Move on to the next unrated criterion so a rater can type 3, 4, 2... without arrows.
        if index + 1 < len(self.criteria):
            self.cursor = index + 1

    def _label(self, value: int) -> str:
        return next((level.label for level in self.scale if level.value == value), str(value))

    def render(self) -> Content:
        """The panel: one row per criterion with clickable levels, the descriptor of the highlighted one."""
        rows: list[Content] = []
        width = max((len(c.name) for c in self.criteria), default=0)
        # Names shrink (never below 6) so each row fits on one line in a narrow panel (80x24).
        room = self.content_size.width
        width = min(width, 20, max(6, room - 3 - 3 * len(self.scale)) if room else 20)
        note = f"Note: {self.note}" if self.note else "Note: none (press n)"
        keys = f"↑↓ criterion · number = level · n note · enter {self.confirm_label}"
        title = self.title
        # Lines left for the criteria and the descriptor once title, note and keys have theirs.
        height = self.content_size.height
        framing = sum(-(-len(text) // room) if room else 1 for text in (title, note, keys) if text)
        free = height - framing if height else 0
        count = len(self.criteria)
        first, last = 0, count
        tight = bool(height and room) and count + 1 > free
        if tight:
            # Too short for every row (80x24): the criteria come first. The title keeps one line, the note
            # and key lines go (the cues and the footer name the keys), and a window of rows holds the
            # highlight, with "more above/below" cues, so a number never rates a criterion out of sight.
            title = shorten(title, room) if title else title
            free = height - (1 if title else 0)
            lines = free - 1 if free - 1 >= min(count, 3) + 2 else free  # a descriptor line if it costs little
            first, last = criteria_window(count, self.cursor, max(1, lines), self._top)
        self._top = first
        if title:
            rows.append(Content.styled(title, "bold"))
        if not self.criteria:
            rows.append(Content(self.empty_text))
        if first:
            rows.append(Content.styled(f"  ▲ {first} more above (↑)", "dim"))
        spare = (free - (last - first) - (first > 0) - (last < count)) if height else 6
        for index, criterion in enumerate(self.criteria[first:last], start=first):
            chosen = self.values.get(criterion.id)
            mark = "▶ " if index == self.cursor else "  "
            parts: list[Content | str | tuple[str, str]] = [
                Content.from_markup(f"[@click=pick({index})]$text[/]",
                                    text=mark + shorten(criterion.name, width).ljust(width)),
                " ",
            ]
            for level in self.scale:
                # The chosen level is bracketed as well as reversed, so it reads without colour.
                style, left, right = ("reverse bold ", "[", "]") if chosen == level.value else ("", " ", " ")
                # Only integers go into the markup itself; the shown text is substituted, never parsed.
                parts.append(Content.from_markup(f"[{style}@click=rate({index},{level.value})]$text[/]",
                                                 text=f"{left}{level.value}{right}"))
            row = Content.assemble(*parts)
            rows.append(row.stylize("bold", 0, len(row)) if index == self.cursor else row)
            if index == self.cursor:
                descriptor = criterion.descriptors.get(chosen) if chosen is not None else None
                hint = descriptor or criterion.hint or criterion.description
                if chosen is not None:
                    hint = f"{chosen} {self._label(chosen)}: {hint}"
                if spare > 0 and room:
                    # Wrapped lines lose a few characters at word breaks: allow for it.
                    hint = shorten(hint, spare * max(10, room - 8) - 4)
                if spare > 0:
                    rows.append(Content.styled("    " + hint, "italic"))
        if last < count:
            rows.append(Content.styled(f"  ▼ {count - last} more below (↓)", "dim"))
        if not tight:
            rows.append(Content.styled(note, "dim"))
            rows.append(Content.styled(keys, "dim"))
        return Content("\n").join(rows)
