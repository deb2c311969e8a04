"""``validate --strict`` warns where a file still holds the example text of the ``roleplay new`` template.

A fresh template validates (so a tutor can preview it at once), but its placeholder lines ("The first
thing the speaker says, in their own voice.") must not reach a class. The template's own strings are the
list of placeholders, so the check follows the template when it changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from roleplay.content.problems import Problem, Severity
from roleplay.content.yamlsafe import YamlDocument, load_data_yaml

#: The commented templates ``roleplay new`` starts files from.
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Shorter strings (``intro``, ``advice``, ``Alex``) are ordinary values, not placeholders.
MIN_LENGTH = 20


def _leaves(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


@cache
def placeholders(kind: str) -> frozenset[str]:
    """The template's example strings for ``kind`` (a rubric's criteria are a working example, so only
    its top-level text counts)."""
    path = TEMPLATES / f"{kind}.yaml"
    if not path.exists():
        return frozenset()
    text = path.read_text("utf-8").format(id="x", title="x", filename="x", schema="x")
    data = load_data_yaml(path, text.encode())  # the one safe YAML reader, as for every file
    return frozenset(value.strip() for loc, value in _leaves(data)
                     if len(value.strip()) >= MIN_LENGTH and (kind == "scenario" or len(loc) == 1))


@cache
def _as_json(kind: str) -> tuple[str, ...]:
    """The placeholders as they appear inside JSON text (quotes and backslashes escaped)."""
    return tuple(json.dumps(p, ensure_ascii=False)[1:-1] for p in placeholders(kind))


def template_warnings(doc: YamlDocument, kind: str) -> list[Problem]:
    """A warning at each value that is still the template's placeholder text."""
    known = placeholders(kind)
    # Most files hold none: one pass over the file's text in C settles that before any walk.
    flat = json.dumps(doc.data, ensure_ascii=False)
    if not any(text in flat for text in _as_json(kind)):
        return []
    problems = []
    for loc, value in _leaves(doc.data):
        if value.strip() in known:
            line, col = doc.locate(loc)
            where = ".".join(map(str, loc))
            problems.append(Problem(doc.path, line, col, f"{where} is still the template's example text",
                                    "replace it with your own words for this scenario" if kind == "scenario"
                                    else "replace it with your own words", Severity.warning))
    return problems
