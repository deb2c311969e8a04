"""Small formatting helpers shared by the report writers (times, numbers, Markdown escaping)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from roleplay.markdown_safe import md, md_cell, md_code, md_quote

__all__ = ["md", "md_code"]  # re-exported for the report writers

#: Shown where a figure has no value (nothing rated, no rounds).
DASH = "–"


def when(stamp: float | None) -> str:
    """A timestamp as local ``YYYY-MM-DD HH:MM`` (or a dash)."""
    return DASH if stamp is None else datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def iso(stamp: float | None) -> str | None:
    """A timestamp as ISO 8601 with the local UTC offset, to the second (None stays None)."""
    return None if stamp is None else datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


def num(value: float | None, digits: int = 2) -> str:
    """A score with fixed decimals, or a dash when there is none."""
    return DASH if value is None else f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 2) -> str:
    """A change with an explicit sign (``+0.50``), or a dash."""
    return DASH if value is None else f"{value:+.{digits}f}"


def duration(seconds: float | None) -> str:
    """Seconds as ``m:ss``."""
    if seconds is None:
        return DASH
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell (markup escaped, pipes too, line breaks flattened)."""
    return md_cell(text)


def quote(text: str) -> str:
    """Text as a Markdown block quote, every line inert (see :mod:`roleplay.markdown_safe`)."""
    return md_quote(text)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table (cells escaped) as lines."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def rater_label(rater: str, listener: str, speaker: str | None = None) -> str:
    """Who gave a rating, with their kind, as every report names it: ``Cy (observer)``, ``Ana (own
    rating)``, ``Bo (speaker)`` in a pair, or ``the automatic observer``; kinds are never mixed up."""
    from roleplay.session.roles import AUTO_RATER

    if rater == AUTO_RATER:
        return "the automatic observer"
    if rater == listener:
        return f"{rater} (own rating)"
    return f"{rater} (speaker)" if rater == speaker else f"{rater} (observer)"


def no_strengths(criteria: Iterable[Any]) -> str:
    """Why "What went well" is empty (``criteria`` carry ``count``): nothing was rated, or nothing yet
    reached the upper half of the scale (lower levels are growth areas)."""
    if any(c.count for c in criteria):
        return "no rating in the upper half of the scale yet"
    return "nothing was rated in this round"
