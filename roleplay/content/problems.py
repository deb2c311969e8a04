"""Problems found in content files, reported as ``path:line:column: message`` with a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """An error makes a file unusable; a warning is a quality issue shown with ``--strict``."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, located as precisely as the file allows."""

    path: Path
    line: int
    column: int
    message: str
    suggestion: str | None = None
    severity: Severity = Severity.error

    def format(self) -> str:
        """Render as ``path:line:column: severity: message (suggestion)``, the form editors understand."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        if self.suggestion:
            text += f"\n    hint: {self.suggestion}"
        return text


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return a ``did you mean`` phrase for the closest choice to a misspelt word, or None."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return None


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file, then position, so output reads top to bottom."""
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.message))
