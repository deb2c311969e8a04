"""One entry point for every session report format, used by the CLI and the app's screens (the summary
screen's save and export, the history screen's export): one renderer per output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from roleplay.reports.anonymize import anonymize as anonymize_records
from roleplay.reports.csv_out import sessions_csv
from roleplay.reports.html import sessions_html
from roleplay.reports.json_out import sessions_json
from roleplay.reports.markdown import sessions_markdown
from roleplay.reports.record import SessionRecord

#: format name -> (writer, file extension)
FORMATS: dict[str, tuple[Callable[[Sequence[SessionRecord]], str], str]] = {
    "md": (sessions_markdown, "md"),
    "html": (sessions_html, "html"),
    "csv": (sessions_csv, "csv"),
    "json": (sessions_json, "json"),
}


def render(records: Sequence[SessionRecord], fmt: str, *, anonymize: bool = False) -> str:
    """The records as one document in ``fmt`` (``md``, ``html``, ``csv`` or ``json``).

    With ``anonymize`` names become "Trainee A", "Trainee B", ... with one labelling for all the records.
    """
    writer, _ = FORMATS[fmt]
    chosen = anonymize_records(records) if anonymize else list(records)
    return writer(chosen)


def render_each(records: Sequence[SessionRecord], fmt: str, *, anonymize: bool = False) -> dict[str, str]:
    """One document per record, keyed by file name ``<session id>.<ext>``; labels are shared across files."""
    writer, ext = FORMATS[fmt]
    chosen = anonymize_records(records) if anonymize else list(records)
    return {f"{r.id}.{ext}": writer([r]) for r in chosen}


def write_report(records: Sequence[SessionRecord], fmt: str, path: Path, *, anonymize: bool = False) -> Path:
    """Render the records in ``fmt`` and write them to ``path`` (creating its folder); returns the path.

    Blocking: the app calls it in a worker. CSV carries its own line ends, so none are translated.
    """
    text = render(records, fmt, anonymize=anonymize)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path
