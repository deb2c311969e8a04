"""Helpers that turn text into Textual Content without ever reading it as markup.

People type names, responses and notes; content files hold prose. Either may contain ``[bold]`` or ``[/]``
and must be shown exactly as written, so every piece of text goes through :class:`Content` as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content


def plain(text: str) -> Content:
    """The text as unstyled content (never parsed as markup)."""
    return Content(text)


def styled(text: str, style: str) -> Content:
    """The text with one style applied to all of it (the text itself is never parsed)."""
    return Content.styled(text, style)


def heading(text: str) -> Content:
    """A bold heading line."""
    return Content.styled(text, "bold")


def lines(parts: Iterable[Content | str]) -> Content:
    """Join pieces with new lines; strings are plain text."""
    return Content("\n").join(p if isinstance(p, Content) else Content(p) for p in parts)


def bullets(items: Iterable[str], mark: str = "•") -> Content:
    """A bullet list of plain-text items."""
    return lines(Content(f"{mark} {item}") for item in items)


def shorten(text: str, limit: int) -> str:
    """The text cut to ``limit`` characters with an ellipsis, for one-line lists."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(0, limit - 1)] + "…"
