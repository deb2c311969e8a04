"""The history screen's list of sessions: one row per session (id first), the highlighted session's full
id under the list, and Enter to export a report of it through the summary screens' export dialog.

The export is rendered and written in a worker with the same renderers as ``roleplay report``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.storage.errors import StorageError
from roleplay.storage.rows import SessionSummary
from roleplay.tui.history_data import export_stored, session_line
from roleplay.tui.text import lines, plain

if TYPE_CHECKING:
    from roleplay.tui.app import RoleplayApp


class SessionList(Vertical):
    """A title, the sessions (``#history-list``) and a details line (``#history-details``)."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty list until :meth:`show`."""
        super().__init__(id=id)
        self.exported: Any = None
        """The path of the last export from this list (None until one is written)."""

    def compose(self) -> ComposeResult:
        """Title, list, details."""
        yield Static("Sessions, newest first", id="history-title")
        yield OptionList(id="history-list")
        yield Static("", id="history-details")

    @property
    def listing(self) -> OptionList:
        """The list itself (for focus and paging)."""
        return self.query_one("#history-list", OptionList)

    def set_title(self, person: str | None) -> None:
        """Whose sessions these are."""
        title = f"Sessions in which {person} listened" if person else "Sessions, newest first"
        self.query_one("#history-title", Static).update(plain(f"{title}: id, date, kind, scenario, people"))

    def show(self, sessions: Sequence[SessionSummary]) -> None:
        """Replace the rows (newest first), highlight the first."""
        listing = self.listing
        listing.clear_options()
        if not sessions:
            listing.add_option(Option("No sessions match.", disabled=True))
        # The list's text area: the screen less the list's margin, border and padding.
        width = self.app.size.width - 8
        listing.add_options(Option(plain(session_line(s, width)), id=s.id) for s in sessions)
        if sessions:
            listing.highlighted = 0
        self.draw_details()

    def draw_details(self) -> None:
        """Under the list: the highlighted session's full id, what Enter does, and the last export."""
        option = self.listing.highlighted_option
        parts: list[Content] = []
        if option is not None and option.id is not None:
            parts.append(Content.assemble(("Session ", "bold"), (option.id, "bold"),
                                          "  Enter: export a report (Markdown, HTML, CSV or JSON)"))
        if self.exported is not None:
            parts.append(plain(f"Exported: {self.exported}"))
        self.query_one("#history-details", Static).update(lines(parts))

    @on(OptionList.OptionHighlighted, "#history-list")
    def _highlighted(self) -> None:
        self.draw_details()

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a session: the export dialog of the summary screens, for that session."""
        from roleplay.tui.screens.export_dialog import ExportDialog

        session_id = event.option.id
        if session_id is not None:
            self.app.push_screen(ExportDialog(), lambda request: self._export_chosen(session_id, request))

    def _export_chosen(self, session_id: str, request: Any) -> None:
        if request is not None:
            self.export_session(session_id, request)

    @work(exclusive=True, group="history-export")
    async def export_session(self, session_id: str, request: Any) -> None:
        """Render and write the chosen export of a stored session in a thread and say where it went."""
        from roleplay.storage import resolve_data_dir
        from roleplay.tui.screens.export_dialog import export_file_name

        app = cast("RoleplayApp", self.app)
        store = app.store
        details = self.query_one("#history-details", Static)
        if store is None:
            return
        folder = request.folder if request.folder is not None else resolve_data_dir(app.data_dir) / "exports"
        path = folder.expanduser() / export_file_name(session_id, request)
        try:
            self.exported = await asyncio.to_thread(export_stored, store, session_id, request.fmt,
                                                    request.anonymize, path)
        except (OSError, StorageError) as error:
            details.update(plain(f"Could not export session {session_id}: {error}"))
            return
        self.draw_details()
