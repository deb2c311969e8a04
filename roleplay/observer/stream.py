"""JSON lines in, JSON lines out: the streaming core of ``roleplay observe``.

Each input line is a JSON object with ``speaker`` and ``response`` (strings) and optionally
``key_points``, ``feelings`` and ``pitfalls`` (lists of strings) and an ``id`` that is echoed back.
Each output line carries the input's line number. A line that cannot be read yields
``{"line": N, "error": "..."}`` instead, and the stream goes on. Blank lines are skipped. A
signal's ``detail`` is written only when it has one (it is empty for most signals).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from roleplay.observer.analyse import observe
from roleplay.observer.rate import suggest_ratings, tally

if TYPE_CHECKING:
    from roleplay.content.rubric import Rubric

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _no_default(obj: object) -> object:
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _make_dumps() -> Callable[[object], str]:
    """A JSON encoder function for one output line.

    ``JSONEncoder.encode`` builds a new C encoder (and a helper closure) on every call; the C encoder
    is built once here instead, with the same settings (compact, UTF-8, no circular check: the
    output is plain dicts and lists built here). Falls back to ``encode`` without the C module.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _ENCODER.encode
    encode = make(None, _no_default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    join = "".join
    return lambda obj: join(encode(obj, 0))


_dumps = _make_dumps()
_loads = json.loads


class LineError(ValueError):
    """An input line that is not a usable record."""


def _strings(record: dict[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineError(f"'{key}' must be a list of strings")
    return tuple(value)


def observe_record(record: Any, rubric: Rubric | None = None) -> dict[str, Any]:
    """Observe one parsed input record and return the output object (without the line number)."""
    if not isinstance(record, dict):
        raise LineError("expected a JSON object")
    response = record.get("response")
    speaker = record.get("speaker")
    if not isinstance(response, str):
        raise LineError("'response' is missing or not a string")
    if not isinstance(speaker, str):
        raise LineError("'speaker' is missing or not a string")
    obs = observe(
        response,
        speaker,
        _strings(record, "key_points"),
        _strings(record, "feelings"),
        _strings(record, "pitfalls"),
    )
    out = obs.to_dict()
    if "id" in record:
        out["id"] = record["id"]
    if rubric is not None:
        out["ratings"] = [r.to_dict() for r in suggest_ratings(obs, rubric)]
        out["tallies"] = tally(obs, rubric)
    return out


def observe_lines(lines: Iterable[str], rubric: Rubric | None = None) -> Iterator[tuple[str, bool]]:
    """For each non-blank input line, one output JSON line and whether it was read without error."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = _loads(line)
            out = {"line": number, **observe_record(record, rubric)}
            yield _dumps(out), True
        except (LineError, ValueError, RecursionError) as exc:
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            if isinstance(exc, json.JSONDecodeError):
                message = f"not valid JSON: {message} (column {exc.colno})"
            yield _dumps({"line": number, "error": message}), False
        except Exception as exc:  # a bug in the observer must not lose the line or stop the stream
            yield _dumps({"line": number, "error": f"internal error: {type(exc).__name__}: {exc}"}), False
