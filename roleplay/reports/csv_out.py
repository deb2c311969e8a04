"""The CSV report: one row per rating, for spreadsheets, then one per free note.

Columns are fixed (:data:`COLUMNS`) so a tutor's spreadsheet keeps working across releases. A free note
(on a turn, or on the whole round) has a row of its own after the ratings, with ``scope`` ``turn_note``
or ``round_note``, the text in ``note`` and no criterion or value, so a filter on ``scope`` keeps ratings
and notes apart. A cell that
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so a note such as
``=HYPERLINK(...)`` typed by a trainee shows as text instead of running as a formula when opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from roleplay.reports.common import iso
from roleplay.reports.record import NoteRecord, SessionRecord

#: The header row, in order.
COLUMNS = (
    "session_id", "session_date", "scenario_id", "rubric_id", "round", "turn", "turn_id", "listener",
    "rater", "criterion_id", "criterion", "scope", "value", "level", "scale_max", "note", "rated_at",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A value as CSV text, defused against spreadsheet formula injection (see the module notes)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rating_rows(record: SessionRecord) -> list[list[str]]:
    """The session's ratings as CSV rows (``turn`` is 1-based; blank for a per-round rating)."""
    rows = []
    played = {rnd.number: rnd.scenario.id for rnd in record.rounds}  # each round's own scenario
    for r in record.ratings():
        rows.append([safe_cell(v) for v in (
            record.id, iso(record.created_at), played.get(r.round, record.scenario.id), record.rubric.id, r.round,
            "" if r.turn_index is None else r.turn_index + 1, r.turn_id, r.listener, r.rater,
            r.criterion_id, r.criterion_name, "per_round" if r.turn_index is None else "per_turn", r.value,
            r.level_label, record.rubric.scale_max, r.note, iso(r.at),
        )])
    return rows


def note_rows(record: SessionRecord) -> list[list[str]]:
    """The session's free notes as CSV rows: each turn's, then the whole round's, round by round."""
    rows = []
    for rnd in record.rounds:
        notes: list[tuple[int | str, str, str, NoteRecord]] = [
            (t.index + 1, t.turn_id, "turn_note", n) for t in rnd.turns for n in t.notes]
        notes += [("", "", "round_note", n) for n in rnd.round_notes]
        for turn, turn_id, scope, n in notes:
            rows.append([safe_cell(v) for v in (
                record.id, iso(record.created_at), rnd.scenario.id, record.rubric.id, rnd.number, turn,
                turn_id, rnd.listener, n.rater, "", "", scope, "", "", record.rubric.scale_max, n.text, "",
            )])
    return rows


def sessions_csv(records: Sequence[SessionRecord]) -> str:
    """All ratings and notes of the sessions as one CSV text (header first, ``\\r\\n`` line ends as RFC 4180 says)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerows(rating_rows(record))
        writer.writerows(note_rows(record))
    return out.getvalue()
