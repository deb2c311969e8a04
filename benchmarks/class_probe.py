"""Helper processes for ``bench_classroom``: one headless seat, or a dashboard that logs what it draws.

``python -m benchmarks.class_probe seat DATA CLASS DEVICE`` runs a seat as ``roleplay serve`` would (one
process per device), headless instead of through the web driver. ``... dashboard DATA CLASS LOG`` runs
the dashboard and appends ``time<TAB>group<TAB>ratings`` to LOG each time a group's ratings cell changes
on screen: the time is taken once the screen has been refreshed with it (drawn), not when it was worked out.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from roleplay import tui
from roleplay.tui.class_app import create_seat_app
from roleplay.tui.core import sample_library
from roleplay.tui.dashboard_app import DashboardApp
from roleplay.tui.screens.dashboard import COLUMNS
from roleplay.tui.widgets.groups_table import GroupsTable


class ProbeDashboard(DashboardApp):
    """The dashboard, noting when each group's ratings change on screen."""

    CSS_PATH = [str(Path(tui.__file__).parent / name) for name in DashboardApp.CSS_PATH]  # not from benchmarks/

    def __init__(self, log: Path, **kwargs: object) -> None:
        """Log to ``log``."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.log_path = log
        self.shown: dict[str, str] = {}

    def follow(self) -> None:
        """Draw as usual; once the screen shows it, note changed ratings (the cell the tutor reads)."""
        super().follow()
        tables = self.screen_stack[0].query(GroupsTable) if self.screen_stack else []
        if self.room is None or not tables:
            return
        column = COLUMNS.index("Ratings")
        changed = {group_id: values[column] for group_id, values in tables[0].cells.items()
                   if self.shown.get(group_id) != values[column]}
        if changed:
            self.shown.update(changed)
            self.call_after_refresh(self._note, changed)

    def _note(self, changed: dict[str, str]) -> None:
        stamp = time.time()
        with self.log_path.open("a", encoding="utf-8") as out:
            out.writelines(f"{stamp:.6f}\t{group_id}\t{text}\n" for group_id, text in changed.items())


def main() -> None:
    """Run one probe process."""
    kind, data, class_id, extra = sys.argv[1:5]
    if kind == "seat":
        create_seat_app(device_id=extra, class_id=class_id, data_dir=Path(data), loader=sample_library,
                        cursor_blink=False).run(headless=True, size=(100, 34))
    else:
        ProbeDashboard(Path(extra), class_id=class_id, data_dir=Path(data), loader=sample_library,
                       clock=time.time, cursor_blink=False).run(headless=True, size=(140, 40))


if __name__ == "__main__":
    main()
