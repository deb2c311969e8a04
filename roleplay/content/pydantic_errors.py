"""Translate pydantic validation errors into located, friendly problems with suggestions."""

from __future__ import annotations

import types
import typing
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
            elif kind == "string_pattern_mismatch":
                suggestion = "use lowercase letters, digits and hyphens, e.g. 'lonely-after-move'"
            elif kind == "string_too_short":
                suggestion = "write some text here, or remove the key if it is optional"
            elif kind in ("list_type", "too_short") and "list" in item["msg"].lower():
                suggestion = "write a list: one '- item' per line"
        problems.append(Problem(doc.path, line, col, message, suggestion))
    return problems
