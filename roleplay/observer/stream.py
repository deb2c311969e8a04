"""JSON lines in, JSON lines out: the streaming core of ``roleplay observe``.

Each input line is a JSON object with ``speaker`` and ``response`` (strings) and optionally
``key_points``, ``feelings`` and ``pitfalls`` (lists of strings) and an ``id`` that is echoed back.
Each output line carries the input's line number. A line that cannot be read yields
``{"line": N, "error": "..."}`` instead, and the stream goes on. Blank lines are skipped. A
signal's ``detail`` is written only when it has one (it is empty for most signals).

Output lines have a fixed shape, so they are written by hand (only strings go through the JSON
string encoder): building the dict of :meth:`Observation.to_dict` and encoding it cost more than
the rest of the line's output. The text is the same as ``json.dumps`` of that dict would give,
compact and UTF-8.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from roleplay.observer.analyse import observe
from roleplay.observer.lexicon import lexicon
from roleplay.observer.model import Observation
from roleplay.observer.rate import suggest_ratings, tally

if TYPE_CHECKING:
    from roleplay.content.rubric import Rubric

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False)


def _no_default(obj: object) -> object:
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _make_dumps() -> Callable[[object], str]:
    """A JSON encoder function for one output line.

    ``JSONEncoder.encode`` builds a new C encoder (and a helper closure) on every call; the C encoder
    is built once here instead, with the same settings (compact, UTF-8, no circular check: the
    output is plain dicts and lists built here, and NaN or Infinity refused: output is strict JSON).
    Falls back to ``encode`` without the C module.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _ENCODER.encode
    encode = make(None, _no_default, json.encoder.encode_basestring, None, ":", ",", False, False, False)
    join = "".join
    return lambda obj: join(encode(obj, 0))


def _no_constant(name: str) -> float:
    raise LineError(f"{name} is not a JSON value (JSON numbers are finite)")


_dumps = _make_dumps()
# ``json.loads`` of a str is this call, one Python layer less per line; NaN and Infinity are refused.
_loads = json.JSONDecoder(parse_constant=_no_constant).decode
#: Longest input line read; a longer one is an error for that line and the rest of it is skipped.
MAX_LINE_BYTES = 1_000_000
#: Bytes skipped looking for the end of an over-long line before the input is given up as not text
#: (``/dev/zero`` has no line ends at all).
MAX_SKIP_BYTES = 64 * MAX_LINE_BYTES
#: One JSON string literal (the C encoder of ``json`` when present, as ``json.dumps`` uses).
_str = json.encoder.encode_basestring


class _Heads(dict[str, str]):
    """Signal name -> the start of its JSON object, ``{"name":"...","evidence":[`` (names are few)."""

    def __missing__(self, name: str) -> str:
        head = f'{{"name":{_str(name)},"evidence":['
        self[name] = head
        return head


_HEADS = _Heads()


def prepare_batch() -> None:
    """Set up a process that observes many responses in a row (``roleplay observe``, the benchmark).

    Loads the lexicon, then moves every object alive so far into the garbage collector's permanent
    generation (``gc.freeze``). The phrase tries are tens of thousands of small dicts that live as
    long as the process; without this, the full collections that the observer's many short-lived
    objects trigger would walk them again and again. It is done here, in batch entry points only,
    and not when the lexicon loads: freezing affects every object of the process, and in the
    Textual app (solo mode also loads the lexicon) it would keep the app's garbage from being freed.
    """
    global _prepared
    lexicon()
    if not _prepared:  # once per process: later calls (tests invoking the command) need not collect
        _prepared = True
        gc.collect()
        gc.freeze()


_prepared = False


class LineError(ValueError):
    """An input line that is not a usable record."""


def _strings(record: dict[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineError(f"'{key}' must be a list of strings")
    return tuple(value)


def _observe(record: Any) -> Observation:
    """Check one parsed input record and observe it."""
    if not isinstance(record, dict):
        raise LineError("expected a JSON object")
    response = record.get("response")
    speaker = record.get("speaker")
    if not isinstance(response, str):
        raise LineError("'response' is missing or not a string")
    if not isinstance(speaker, str):
        raise LineError("'speaker' is missing or not a string")
    return observe(
        response,
        speaker,
        _strings(record, "key_points"),
        _strings(record, "feelings"),
        _strings(record, "pitfalls"),
    )


def observe_record(record: Any, rubric: Rubric | None = None) -> dict[str, Any]:
    """Observe one parsed input record and return the output object (without the line number)."""
    obs = _observe(record)
    out = obs.to_dict()
    if "id" in record:
        out["id"] = record["id"]
    if rubric is not None:
        out["ratings"] = [r.to_dict() for r in suggest_ratings(obs, rubric)]
        out["tallies"] = tally(obs, rubric)
    return out


class _Floats(dict[float, str]):
    """Float -> its JSON text (``repr``, as ``json`` writes it), remembered per value.

    The observer's numbers are two-decimal values from 0 to a few tens, so few distinct ones come
    back again and again, and a look-up is cheaper than formatting a float. Bounded all the same.
    """

    def __missing__(self, value: float) -> str:
        text = float.__repr__(value)
        if len(self) < 100_000:
            self[value] = text
        return text


_FLOATS = _Floats()


def _line_json(number: int, obs: Observation) -> str:
    """``{"line": number, **obs.to_dict()`` as JSON text, without its closing brace."""
    s = _str
    heads = _HEADS
    parts: list[str] = []
    add = parts.append
    for name, evidence, detail in obs.signals:
        add(heads[name])
        add(",".join(map(s, evidence)))
        add(f'],"detail":{s(detail)}}},' if detail else "]},")
    signals = "".join(parts)[:-1]  # without the last comma
    subtype = obs.subtype
    floats = _FLOATS
    return (
        f'{{"line":{number},"label":{s(obs.label)},"subtype":{"null" if subtype is None else s(subtype)},'
        f'"confidence":{floats[obs.confidence]},"signals":[{signals}],'
        f'"behaviours":[{",".join(map(s, sorted(obs.behaviours)))}],'
        f'"key_points":{{"total":{obs.key_points_total},"captured":{obs.key_points_captured}}},'
        f'"feelings":{{"total":{obs.feelings_total},"matched":{obs.feelings_matched}}},'
        f'"overlap":{floats[obs.overlap]},"length_ratio":{floats[obs.length_ratio]}'
    )


def observe_lines(lines: Iterable[str], rubric: Rubric | None = None) -> Iterator[tuple[str, bool]]:
    """For each non-blank input line, one output JSON line and whether it was read without error."""
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():  # blank (no stripped copy of every line to find out)
            continue
        yield _observe_line(number, line, rubric)


def observe_stream(stream: IO[bytes], rubric: Rubric | None = None) -> Iterator[tuple[str, bool]]:
    """:func:`observe_lines` over raw bytes (standard input or a file), never failing on what it reads.

    Each line is decoded on its own, so a bad byte costs that line only: invalid UTF-8, NUL bytes
    (UTF-16 input) and lines over :data:`MAX_LINE_BYTES` are error lines and the run goes on. A UTF-8
    byte-order mark on line 1 is dropped. Memory stays bounded: an over-long line is read and thrown
    away in pieces; after :data:`MAX_SKIP_BYTES` with no line end the input is given up with a last
    error line.
    """
    readline = stream.readline
    limit = MAX_LINE_BYTES + 1
    number = 0
    while True:
        raw = readline(limit)
        if not raw:
            return
        number += 1
        if len(raw) == limit and not raw.endswith(b"\n"):
            ended = _skip_rest(readline)
            yield _error(number, f"line is longer than {MAX_LINE_BYTES:,} bytes; skipped"), False
            if not ended:
                yield _error(number, f"no line end in the next {MAX_SKIP_BYTES:,} bytes: the input is not "
                             "JSON lines; stopped reading"), False
                return
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode()
        except UnicodeDecodeError as exc:
            yield _error(number, _decode_message(raw, exc)), False
            continue
        if not line or line.isspace():
            continue
        if "\x00" in line:
            yield _error(number, "line contains NUL bytes: is the input UTF-16? Send UTF-8 text"), False
            continue
        yield _observe_line(number, line, rubric)


def _skip_rest(readline: Callable[[int], bytes]) -> bool:
    """Read and drop the rest of an over-long line; False when no line end came within the budget."""
    skipped = 0
    while skipped < MAX_SKIP_BYTES:
        piece = readline(MAX_LINE_BYTES)
        if not piece or piece.endswith(b"\n"):
            return True
        skipped += len(piece)
    return False


def _decode_message(raw: bytes, exc: UnicodeDecodeError) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the input is UTF-16 text; send UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
    column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
    return f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column}"


def _error(number: int, message: str) -> str:
    return _dumps({"line": number, "error": message})


def _observe_line(number: int, line: str, rubric: Rubric | None) -> tuple[str, bool]:
    """The output line for one non-blank input line, and whether it was read without error."""
    try:
        record = _loads(line)
        if "\\u" in line:  # only a JSON escape can carry a lone surrogate, which is not a character
            _ENCODER.encode(record).encode()
        obs = _observe(record)
        text = _line_json(number, obs)
        if "id" in record:
            text += ',"id":' + _dumps(record["id"])
        if rubric is not None:
            text += (',"ratings":' + _dumps([r.to_dict() for r in suggest_ratings(obs, rubric)])
                     + ',"tallies":' + _dumps(tally(obs, rubric)))
        return text + "}", True
    except UnicodeEncodeError:
        return _error(number, "the line holds a lone surrogate escape (such as \\ud800), which is not a "
                      "character"), False
    except (LineError, ValueError, RecursionError) as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        if isinstance(exc, json.JSONDecodeError):
            message = f"not valid JSON: {message} (column {exc.colno})"
        elif "not JSON compliant" in message:
            message = "the line holds a number JSON cannot write (NaN or Infinity, e.g. 1e999)"
        elif "integer string conversion" in message:
            message = "the line holds a number with more than 4,300 digits"
        elif isinstance(exc, RecursionError):
            message = "the line nests lists or objects too deeply"
        return _error(number, message), False
    except Exception as exc:  # a bug in the observer must not lose the line or stop the stream
        return _error(number, f"internal error: {type(exc).__name__}: {exc}"), False
