"""The session summary: each person's results as listener side by side; the record saved or exported.

Both keys write through the reports' renderers (:func:`roleplay.reports.render.write_report`), the same as
``roleplay report``: ``e`` asks for a format (Markdown, HTML, CSV, JSON), anonymisation and a folder; ``s``
saves at once to the exports folder in the format last picked with ``e`` (Markdown until then).
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Static

from roleplay.session.debrief import listener_results
from roleplay.session.engine import PracticeSession
from roleplay.session.plan import describe, session_title
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.screens.export_dialog import ExportDialog, ExportRequest, write_export
from roleplay.tui.text import heading, lines, plain

#: How the save button names each format's record.
SAVE_LABELS = {"md": "a Markdown record", "html": "an HTML record", "csv": "a CSV of the ratings",
               "json": "a JSON record"}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"



#: Cells a listener's name may take in a column heading: three listeners beside the criterion names fit
#: 80 columns. A longer name (a name box takes 40 characters) ends in "…"; the debrief shows it whole.
NAME_CELLS = 14


def column_label(name: str, round_number: int) -> Text:
    """A listener's column heading on two lines: the name (cut to :data:`NAME_CELLS` cells, as typed,
    never markup) over ``(round N)``."""
    shown = Text(name, no_wrap=True)
    shown.truncate(NAME_CELLS, overflow="ellipsis")
    return Text.assemble(shown, f"\n(round {round_number})")

def round_notes_text(session: PracticeSession) -> Content | None:
    """The raters' notes on whole rounds, round by round (shown as typed), or None when there are none."""
    rows = [plain(f"  Round {r.number} ({r.roles.listener} listening), {rater}: {text}")
            for r in session.rounds for rater, text in r.notes.items()]
    return lines([heading("Notes on whole rounds"), *rows]) if rows else None


class SummaryScreen(RoleplayScreen):
    """Results of the whole session."""

    CSS_PATH = "flow.tcss"

    BINDINGS = [Binding("s", "save", "Save"), Binding("e", "export", "Export…"),
                Binding("escape,h", "home", "Finish")]

    #: What ``s`` saves: the format last picked with ``e`` (names kept), in the exports folder.
    save_request = ExportRequest("md")

    def compose_body(self) -> ComposeResult:
        """A table with one column per listener, the save button and where the file went."""
        session = self.rp.session
        assert session is not None
        with VerticalScroll(id="summary"):
            yield Static(plain(f"Session summary: {session_title(session.plays)}"), id="summary-title")
            if session.varied:  # which scenario (or part) each round played, so the columns can be read
                yield Static(plain("\n".join(describe(session.plays))), id="summary-scenarios")
            yield DataTable(id="results", cursor_type="none", zebra_stripes=True, header_height=2)
            yield Static(plain("Each column is one person's round as the listener. Scores are the mean "
                               "rating on the rubric's scale."), id="summary-hint")
            notes = round_notes_text(session)
            if notes:
                yield Static(notes, id="summary-notes")
            yield Static("", id="saved-path")
        with Horizontal(classes="button-row"):
            yield Button(plain(f"Save {SAVE_LABELS[self.save_request.fmt]} (s)"), id="save", variant="primary")
            yield Button("Finish (esc)", id="finish")

    def on_mount(self) -> None:
        """Fill the side-by-side table and close the session (it is complete)."""
        session = self.rp.session
        assert session is not None
        table = self.query_one("#results", DataTable)
        results = listener_results(session)
        table.add_column("Criterion", key="criterion")
        for result in results:
            # rich Text cells: names are shown as typed, never parsed as markup.
            table.add_column(column_label(result.name, result.round_number), key=str(result.round_number))
        for criterion in session.rubric.criteria:
            row = [Text(criterion.name)]
            for result in results:
                score = result.scores.criterion(criterion.id).mean if result.scores else None
                row.append(Text(_fmt(score) if result.played else "not played"))
            table.add_row(*row)
        table.add_row(Text("Overall (weighted)"),
                      *(Text(_fmt(r.scores.overall if r.scores else None)) for r in results))
        if not session.finished:
            self.rp.act(session.finish)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        (self.action_save if event.button.id == "save" else self.action_home)()

    def action_save(self) -> None:
        """Save the record in the format last picked (Markdown at first) and show its path."""
        self.export_session(self.save_request, "Saved")

    def action_export(self) -> None:
        """Ask for a format (md, html, csv, json; optionally anonymised) and a folder, then export."""
        self.app.push_screen(ExportDialog(), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.save_request = ExportRequest(request.fmt)  # ``s`` now saves this format
            self.query_one("#save", Button).label = plain(f"Save {SAVE_LABELS[request.fmt]} (s)")
            self.export_session(request, "Exported")

    @work(exclusive=True, group="export")
    async def export_session(self, request: ExportRequest, verb: str) -> None:
        """Render and write the record in a thread and show where it went."""
        from roleplay.storage import resolve_data_dir

        session = self.rp.session
        assert session is not None
        label = self.query_one("#saved-path", Static)
        try:
            written = await asyncio.to_thread(write_export, session, request, resolve_data_dir(self.rp.data_dir))
        except OSError as error:
            label.update(plain(f"Could not save the record: {error}"))
            return
        self.saved_path = written
        label.update(plain(f"{verb}: {written}"))

    def action_home(self) -> None:
        """Back to the home screen."""
        self.rp.session = None
        self.rp.back_home()
