"""Anonymising records: every trainee's name becomes a stable label ("Trainee A", "Trainee B", ...).

Labels follow the order in which people first appear (the rotation order of the first record, then new
people from later records), never the names themselves, so a label reveals no initial. Replacement is
applied to every string in the record, free text included (responses, notes, debrief text): the full
name, and also each part of a name of two or more letters ("Mary" and "Jones" for "Mary Jones"). Names
and text are both normalised (NFKC) and case-folded before matching, so "Jürgen Groß" is found as
"JÜRGEN GROSS", an NFD "Zoë" or a ligature "ﬁona" is found too; matches are whole words ("Ben's" is
caught, "Benefit" is not), except in scripts written without spaces (Chinese, Japanese, Thai...), where
a name is matched wherever it stands. One regular expression does all replacements in a single pass, so
a label is never rewritten again.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
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


def fold(text: str) -> str:
    """The form names are matched in: NFKC (ligatures split, full-width and composed forms unified),
    then case-folded ("Groß" and "GROSS", "İpek" and "i̇pek", NFD "Zoë" and NFC "Zoë" all agree)."""
    return unicodedata.normalize("NFKC", text).casefold()


def _is_name_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"  # letters, combining marks (Devanagari vowel signs), digits


def name_parts(name: str) -> list[str]:
    """The parts of a name worth hiding: each run of letters, marks and digits of two or more characters
    ("Mary-Jane O'Neil" -> Mary, Jane, Neil), and each space-separated word ("O'Neil"), folded."""
    folded = fold(name)
    runs: list[str] = []
    current: list[str] = []
    for ch in folded + " ":
        if _is_name_char(ch):
            current.append(ch)
        else:
            if len(current) >= 2:
                runs.append("".join(current))
            current = []
    words = [w for w in folded.split() if len(w) >= 2]
    return list(dict.fromkeys([*runs, *words]))


#: Scripts written without spaces between words: a name there is matched wherever it stands.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "JAVANESE", "BALINESE",
             "YI ", "HALFWIDTH KATAKANA")


def _unspaced(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(_UNSPACED) for ch in text)


@cache
def _boundary() -> tuple[str, str]:
    """Look-arounds that stop a match inside a longer word: no letter, digit or combining mark next to it
    (``\\w`` alone misses marks, so "Anil" would be found inside a Devanagari word's pieces)."""
    # Combining marks live below U+20000 and in the variation selectors supplement (U+E0100-U+E01EF);
    # scanning only there keeps this a tenth of a second. Consecutive code points become ranges.
    codes = [c for c in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[str] = []
    start = prev = codes[0]
    for c in [*codes[1:], -1]:
        if c != prev + 1:
            ranges.append(re.escape(chr(start)) + (f"-{re.escape(chr(prev))}" if prev > start else ""))
            start = c
        prev = c
    word = f"(?:[^\\W_]|[{''.join(ranges)}])"
    return f"(?<!{word})", f"(?!{word})"


class Anonymizer:
    """Replaces names with labels in strings and, recursively, in dataclasses, tuples, lists and dicts.

    Names and text are compared in folded form (:func:`fold`), so a name typed in another case, in NFD,
    with a ligature or in full-width letters is still found; the text that comes out is NFKC. A name part
    shared by several people becomes both labels ("Trainee A/B"): it cannot tell which person was meant,
    and naming one of them would put a wrong label on the other.
    """

    def __init__(self, names: Sequence[str]) -> None:
        """Assign labels to ``names`` in the given order (see :func:`people_in_order`)."""
        self.labels = {name: label(i) for i, name in enumerate(names)}
        lookup: dict[str, str] = {}
        for name, tag in self.labels.items():
            lookup.setdefault(fold(name), tag)
        owners: dict[str, list[str]] = {}
        for name, tag in self.labels.items():
            for part in name_parts(name):
                if part not in lookup and tag not in owners.setdefault(part, []):
                    owners[part].append(tag)
        for part, tags in owners.items():
            lookup[part] = tags[0] if len(tags) == 1 else "Trainee " + "/".join(t.split()[-1] for t in tags)
        self._lookup = lookup
        self._pattern = self._compile(sorted(lookup, key=len, reverse=True)) if lookup else None

    @staticmethod
    def _compile(keys: list[str]) -> re.Pattern[str]:
        before, after = _boundary()
        alternatives = [re.escape(k) if _unspaced(k) else before + re.escape(k) + after for k in keys]
        return re.compile("|".join(alternatives))  # longest first: "mary jones" before "mary"

    def text(self, value: str) -> str:
        """``value`` (as NFKC) with every name (or name part) replaced by its label."""
        if self._pattern is None:
            return value
        normal = unicodedata.normalize("NFKC", value)
        folded, origin = [], []  # the folded text, and for each of its characters the one it came from
        for i, ch in enumerate(normal):
            piece = ch.casefold()
            folded.append(piece)
            origin.extend([i] * len(piece))
        joined = "".join(folded)
        out: list[str] = []
        last = 0
        for match in self._pattern.finditer(joined):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if start < last:
                continue
            out += [normal[last:start], self._lookup[match.group(0)]]
            last = end
        return "".join(out) + normal[last:]

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
