"""Export a finished session from the summary screen: Markdown, HTML, CSV or JSON, optionally anonymised.

The dialog only collects the choice (:class:`ExportRequest`); :func:`write_export` does the work with the
same renderers as ``roleplay report`` (:mod:`roleplay.reports.render`), and blocks, so the summary screen
calls it in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, OptionList
from textual.widgets.option_list import Option

from roleplay.tui.base import RoleplayModal
from roleplay.tui.widgets.text_input import TextInput

#: format -> what the file is good for (the order is the order offered).
FORMAT_LABELS: dict[str, str] = {
    "md": "Markdown (.md): a readable record to keep or hand in",
    "html": "HTML (.html): one self-contained file that prints well",
    "csv": "CSV (.csv): a row per rating and note, for a spreadsheet",
    "json": "JSON (.json): the full record, for other tools",
}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export: the format, whether to anonymise, and a folder (None: ``exports/`` in the data folder)."""

    fmt: str
    anonymize: bool = False
    folder: Path | None = None


def export_file_name(session_id: str, request: ExportRequest) -> str:
    """``session-<id>.<ext>``, with ``-anonymised`` before the extension when names are replaced."""
    return f"session-{session_id}{'-anonymised' if request.anonymize else ''}.{request.fmt}"


def write_export(session: Any, request: ExportRequest, data_dir: Path) -> Path:
    """Render the session in the chosen format and write it; returns the path (blocking: use a worker)."""
    from roleplay.reports.record import record_from_session
    from roleplay.reports.render import write_report

    folder = request.folder if request.folder is not None else data_dir / "exports"
    path = folder.expanduser() / export_file_name(session.id, request)
    return write_report([record_from_session(session)], request.fmt, path, anonymize=request.anonymize)


class ExportDialog(RoleplayModal[ExportRequest | None]):
    """Choose a format, anonymisation and a folder; enter exports, escape cancels."""

    CSS_PATH = "export_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+a", "toggle_anonymize", "Anonymise")]

    def compose_body(self) -> ComposeResult:
        """Formats, the anonymise box, the folder and two buttons."""
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label("Export this session (enter to export, esc to cancel)")
            yield OptionList(*(Option(label, id=fmt) for fmt, label in FORMAT_LABELS.items()), id="export-formats")
            yield Checkbox("Anonymise: names become Trainee A, B, ... (ctrl+a)", id="export-anonymize")
            yield Label("Folder (leave empty for the exports folder in your data folder)")
            yield TextInput(placeholder="exports folder", id="export-folder")
            with Horizontal(classes="button-row"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Start on Markdown."""
        formats = self.query_one("#export-formats", OptionList)
        formats.highlighted = 0
        formats.focus()

    def request(self) -> ExportRequest:
        """The choice as it stands."""
        formats = self.query_one("#export-formats", OptionList)
        index = formats.highlighted or 0
        fmt = formats.get_option_at_index(index).id or "md"
        folder = self.query_one("#export-folder", TextInput).value.strip()
        return ExportRequest(fmt, self.query_one("#export-anonymize", Checkbox).value,
                             Path(folder) if folder else None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a format exports it."""
        event.stop()
        self.dismiss(self.request())

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        """Enter in the folder box exports too."""
        event.stop()
        self.dismiss(self.request())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        self.dismiss(self.request() if event.button.id == "export" else None)

    def action_toggle_anonymize(self) -> None:
        """Flip the anonymise box from anywhere in the dialog."""
        box = self.query_one("#export-anonymize", Checkbox)
        box.value = not box.value

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
