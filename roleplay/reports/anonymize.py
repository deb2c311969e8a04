"""Anonymising records: every trainee's name becomes a stable label ("Trainee A", "Trainee B", ...).

Labels follow the order in which people first appear (the rotation order of the first record, then new
people from later records), never the names themselves, so a label reveals no initial. Replacement is
applied to every string in the record, free text included (responses, notes, debrief text): the full
name, and also each part of a name of two or more letters ("Mary" and "Jones" for "Mary Jones"), matched
case-insensitively as whole words so "Ben's" is caught but "Benefit" is left alone. One regular
expression does all replacements in a single pass, so a label is never rewritten again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from roleplay.reports.record import SessionRecord
from roleplay.session.roles import APP_SPEAKER, AUTO_RATER

T = TypeVar("T")

#: Names that are roles of the app, not people: never replaced.
NOT_PEOPLE = frozenset({APP_SPEAKER, AUTO_RATER})


def label(index: int) -> str:
    """The label for the ``index``-th person (0-based): A..Z, then AA, AB, ... like spreadsheet columns."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Trainee {letters}"


def people_in_order(records: Iterable[SessionRecord]) -> list[str]:
    """Everyone in the records in order of first appearance (rotation order, then raters)."""
    seen: dict[str, None] = {}
    for record in records:
        for name in record.people:
            seen.setdefault(name, None)
        for r in record.rounds:
            for name in (r.speaker, r.listener, *r.observers, *r.raters):
                seen.setdefault(name, None)
    return [n for n in seen if n not in NOT_PEOPLE]


class Anonymizer:
    """Replaces names with labels in strings and, recursively, in dataclasses, tuples, lists and dicts."""

    def __init__(self, names: Sequence[str]) -> None:
        """Assign labels to ``names`` in the given order (see :func:`people_in_order`)."""
        self.labels = {name: label(i) for i, name in enumerate(names)}
        lookup: dict[str, str] = {}
        for name, tag in self.labels.items():
            lookup.setdefault(name.casefold(), tag)
        # Name parts map to the first person with that part; a shared first name still hides both people.
        for name, tag in self.labels.items():
            for part in re.findall(r"[^\W\d_]{2,}", name):
                lookup.setdefault(part.casefold(), tag)
        self._lookup = lookup
        keys = sorted(lookup, key=len, reverse=True)  # longest first: "Mary Jones" before "Mary"
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE)
            if keys else None
        )

    def text(self, value: str) -> str:
        """``value`` with every name (or name part) replaced by its label."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._lookup[m.group(0).casefold()], value)

    def apply(self, value: T) -> T:
        """A copy of ``value`` with names replaced in every string inside it."""
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self._walk(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, tuple):
            return tuple(self._walk(v) for v in value)
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        if isinstance(value, dict):
            return {self._walk(k): self._walk(v) for k, v in value.items()}
        return value


def anonymize(records: Sequence[SessionRecord]) -> list[SessionRecord]:
    """The records with one shared set of labels, so a person has the same label in every record."""
    tool = Anonymizer(people_in_order(records))
    return [tool.apply(r) for r in records]
