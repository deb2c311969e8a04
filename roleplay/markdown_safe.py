"""Text from people and content files made inert in Markdown (and in the HTML a viewer makes of it), and
escaped for the HTML reports.

Reports interpolate names, notes, responses and the titles and lines of scenario and rubric files. Any
of them could hold Markdown or HTML: ``<script>``, ``<img onerror=...>``, ``[link](javascript:...)``,
or a name with a line break and ``# Heading`` after it. Here every character that can start markup, a
link, a tag or an entity is backslash-escaped (CommonMark shows an escaped character as itself), line
breaks are flattened where one line is expected, and control characters and bidi overrides (which
could make text read differently from what is stored) are dropped. Rendered, the text reads exactly as
typed; the ``.md`` file itself shows a backslash before such characters.
"""

from __future__ import annotations

import html
import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!#&{}])")
#: C0 controls except tab and line breaks, DEL, C1 controls, and the bidi embedding, override and
#: isolate characters (U+202A-U+202E, U+2066-U+2069) with the marks U+200E, U+200F and U+061C.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
#: At the start of a line these begin a list item, a setext heading rule or a numbered list.
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def _defuse_start(match: re.Match[str]) -> str:
    marker = match.group(2)  # only punctuation can be escaped: "1." becomes "1\.", "-" becomes "\-"
    return match.group(1) + marker[:-1] + "\\" + marker[-1]


def md(text: object) -> str:
    """``text`` as inert inline Markdown on one line (line breaks become spaces)."""
    flat = " ".join(_INVISIBLE.sub("", str(text)).splitlines())
    return _SPECIAL.sub(r"\\\1", flat)


def html_text(text: object, quote: bool = True) -> str:
    """``text`` escaped for HTML, with the same control and bidi characters dropped as in Markdown."""
    return html.escape(_INVISIBLE.sub("", str(text)), quote=quote)


def md_cell(text: object) -> str:
    """``text`` for one Markdown table cell (:func:`md` escapes the ``|`` that would end the cell)."""
    return md(text)


def md_quote(text: str) -> str:
    """``text`` as a Markdown block quote, line by line, every line inert."""
    lines = []
    for line in _INVISIBLE.sub("", text).splitlines() or [""]:
        escaped = _LINE_START.sub(_defuse_start, _SPECIAL.sub(r"\\\1", line))
        lines.append("> " + escaped if line else ">")
    return "\n".join(lines)


_PLAIN_ID = re.compile(r"[\w.-]+")


def md_code(text: object) -> str:
    """An id as a code span when it is a plain word (ids from content files and the app always are), else
    as :func:`md` text: a backtick in an edited record cannot end the span and start markup."""
    value = str(text)
    return f"`{value}`" if _PLAIN_ID.fullmatch(value) else md(value)
