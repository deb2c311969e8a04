"""Helper processes for ``bench_classroom``: one headless seat, or a dashboard that logs what it draws.

``python -m benchmarks.class_probe seat DATA CLASS DEVICE`` runs a seat as ``roleplay serve`` would (one
process per device), headless instead of through the web driver. ``... dashboard DATA CLASS LOG`` runs
the dashboard and appends ``time<TAB>group<TAB>ratings`` to LOG each time a group's ratings cell changes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from roleplay import tui
from roleplay.tui.class_app import create_seat_app
from roleplay.tui.core import sample_library
from roleplay.tui.dashboard_app import DashboardApp


class ProbeDashboard(DashboardApp):
    """The dashboard, noting when each group's ratings change on screen."""

    CSS_PATH = str(Path(tui.__file__).parent / "app.tcss")  # relative paths would be read from benchmarks/

    def __init__(self, log: Path, **kwargs: object) -> None:
        """Log to ``log``."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.log_path = log
        self.shown: dict[str, str] = {}

    def follow(self) -> None:
        """Draw as usual, then note changed ratings (the cell the tutor reads)."""
        super().follow()
        if self.room is None:
            return
        changed = []
        for row in self.rows([]):
            if self.shown.get(row.group_id) != row.ratings:
                self.shown[row.group_id] = row.ratings
                changed.append(f"{time.time():.6f}\t{row.group_id}\t{row.ratings}\n")
        if changed:
            with self.log_path.open("a", encoding="utf-8") as out:
                out.writelines(changed)


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
