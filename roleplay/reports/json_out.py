"""The JSON report: the full record of each session (see :class:`roleplay.reports.record.SessionRecord`).

Timestamps are written as ISO 8601 text with the local UTC offset (fields named ``at`` or ending in
``_at``), so the file reads well and sorts correctly. The top level says what the file is and which
version of the layout it follows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from roleplay.reports.common import iso
from roleplay.reports.record import SessionRecord

#: Identifies a report file (an export for moving a session is a different format: see ``transfer``).
REPORT_FORMAT = "roleplay-report"
#: Bumped when the layout changes in a way readers must know about.
REPORT_VERSION = 1


def _times(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _times(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_times(v) for v in value]
    if (key == "at" or key.endswith("_at")) and isinstance(value, int | float):
        return iso(float(value))
    return value


def record_data(record: SessionRecord) -> dict[str, Any]:
    """One session's record as JSON-ready data with readable timestamps."""
    return _times(record.to_dict())


def sessions_json(records: Sequence[SessionRecord]) -> str:
    """The sessions' full records as one JSON document (pretty-printed, UTF-8 text kept as is)."""
    doc = {"format": REPORT_FORMAT, "version": REPORT_VERSION,
           "sessions": [record_data(r) for r in records]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
