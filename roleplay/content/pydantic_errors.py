"""Translate pydantic validation errors into located, friendly problems with suggestions."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from roleplay.content.problems import Problem, did_you_mean
from roleplay.content.yamlsafe import YamlDocument


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/dict/Annotated wrappers down to a model class, when there is one."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin in (list, tuple, set):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else None
        else:
            return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (list indices and dict keys are skipped)."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, str) and part in current.model_fields:
            current = _unwrap(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _describe(model: type[BaseModel] | None, name: str) -> str | None:
    if model is None or name not in model.model_fields:
        return None
    return model.model_fields[name].description


#: Number words a tutor may write for a count, e.g. ``minutes: ten``.
_NUMBER_WORDS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))} | {
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90}


def _number_hint(item: Mapping[str, Any]) -> str:
    """The hint for a value that should be a whole number: the digits for a number word, else an example."""
    given = item.get("input")
    if isinstance(given, str) and given.strip().casefold() in _NUMBER_WORDS:
        return f"write the number in digits: {_NUMBER_WORDS[given.strip().casefold()]}"
    if isinstance(given, float):
        return f"write a whole number, e.g. {round(given)}"
    return "write a whole number in digits, e.g. 10"


def _bound_hint(kind: str, ctx: dict[str, Any]) -> str | None:
    if kind == "greater_than_equal":
        return f"the smallest allowed here is {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"the largest allowed here is {ctx.get('le')}"
    return None


def problems_from_validation(doc: YamlDocument, model: type[BaseModel], error: ValidationError) -> list[Problem]:
    """Every pydantic error of ``error`` as a Problem located in ``doc``."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if p != "[key]")
        kind = item["type"]
        where = ".".join(str(p) for p in loc) or "top level"
        suggestion = None
        if kind == "extra_forbidden":
            owner = model_at(model, loc[:-1])
            fields = list(owner.model_fields) if owner else []
            line, col = doc.locate(loc, key=True)
            message = f"unknown key '{loc[-1]}'"
            suggestion = did_you_mean(str(loc[-1]), fields) or (
                f"allowed keys here: {', '.join(fields)}" if fields else None)
        elif kind == "missing":
            owner = model_at(model, loc[:-1])
            line, col = doc.locate(loc[:-1], key=False)
            message = f"missing required key '{loc[-1]}'" + (f" in {'.'.join(map(str, loc[:-1]))}" if loc[:-1] else "")
            about = _describe(owner, str(loc[-1]))
            suggestion = f"add '{loc[-1]}:': {about}" if about else None
        else:
            line, col = doc.locate(loc)
            message = f"{where}: {item['msg']}"
            expected = (item.get("ctx") or {}).get("expected")
            if expected and isinstance(item.get("input"), str):
                options = [o.strip(" '\"") for o in expected.replace(" or ", ",").split(",")]
                suggestion = did_you_mean(item["input"], [o for o in options if o]) or f"expected {expected}"
            elif kind in ("int_parsing", "int_type", "int_from_float"):
                suggestion = _number_hint(item)
            elif kind in ("greater_than_equal", "less_than_equal"):
                suggestion = _bound_hint(kind, item.get("ctx") or {})
            elif kind == "bool_parsing" or kind == "bool_type":
                suggestion = "write true or false"
            elif kind == "string_pattern_mismatch":
                suggestion = "use lowercase letters, digits and hyphens, e.g. 'lonely-after-move'"
            elif kind == "string_too_short":
                suggestion = "write some text here, or remove the key if it is optional"
            elif kind in ("list_type", "too_short") and "list" in item["msg"].lower():
                suggestion = "write a list: one '- item' per line"
        problems.append(Problem(doc.path, line, col, message, suggestion))
    return problems
