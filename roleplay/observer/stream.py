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
import os
import select
import stat
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import IO, TYPE_CHECKING, Any

from roleplay.observer.analyse import observe
from roleplay.observer.batch import Request, observe_many
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
        # A batch keeps its responses' objects alive until it is written: with the default threshold
        # (700 objects) young collections ran in the middle of every batch, walking those objects
        # again and again (about 5% of the run). The observer makes almost no reference cycles, so
        # collecting after 20,000 objects still bounds what a cycle could hold.
        gen0, gen1, gen2 = gc.get_threshold()
        gc.set_threshold(max(gen0, 20_000), gen1, gen2)


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


def _request(record: Any) -> Request:
    """Check one parsed input record; the observer's request for it."""
    if not isinstance(record, dict):
        raise LineError("expected a JSON object")
    response = record.get("response")
    speaker = record.get("speaker")
    if not isinstance(response, str):
        raise LineError("'response' is missing or not a string")
    if not isinstance(speaker, str):
        raise LineError("'speaker' is missing or not a string")
    return Request(response, speaker, _strings(record, "key_points"), _strings(record, "feelings"),
                   _strings(record, "pitfalls"))


def _observe(record: Any) -> Observation:
    """Check one parsed input record and observe it."""
    return observe(*_request(record))


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
    """For each non-blank input line, one output JSON line and whether it was read without error.

    Lines are observed in batches of up to :data:`BATCH` (see ``batch.py``); a list or another
    sized collection is cut into batches, any other iterable is taken a line at a time (it may be
    someone typing).
    """
    size = BATCH if isinstance(lines, Sized) else 1
    pending: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():  # blank (no stripped copy of every line to find out)
            continue
        pending.append((number, line))
        if len(pending) >= size:
            yield from _observe_batch(pending, rubric)
            pending = []
    yield from _observe_batch(pending, rubric)


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
    ready = _input_ready(stream)
    pending: list[tuple[int, str]] = []  # lines read, observed together once the batch is full
    while True:
        if pending and (len(pending) >= BATCH or not ready()):
            yield from _observe_batch(pending, rubric)  # nothing more to read now: answer what came
            pending = []
        raw = readline(limit)
        if not raw:
            break
        number += 1
        if len(raw) == limit and not raw.endswith(b"\n"):
            yield from _observe_batch(pending, rubric)
            pending = []
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
            yield from _observe_batch(pending, rubric)
            pending = []
            yield _error(number, _decode_message(raw, exc)), False
            continue
        if not line or line.isspace():
            continue
        if "\x00" in line:
            yield from _observe_batch(pending, rubric)
            pending = []
            yield _error(number, "line contains NUL bytes: is the input UTF-16? Send UTF-8 text"), False
            continue
        pending.append((number, line))
    yield from _observe_batch(pending, rubric)


#: Most input lines observed together (see ``batch.py``).
BATCH = 64


def _input_ready(stream: IO[bytes]) -> Callable[[], bool]:
    """A check that more input can be read at once: a regular file always can; a pipe or a terminal
    only when its descriptor has data waiting (then a person typing lines gets each answer at once)."""
    try:
        fd = stream.fileno()
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return lambda: True
    except (AttributeError, OSError, ValueError):  # an in-memory stream: all there
        return lambda: True

    def waiting() -> bool:
        try:
            return bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    return waiting


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


def _observe_batch(pending: list[tuple[int, str]], rubric: Rubric | None) -> Iterator[tuple[str, bool]]:
    """The output lines of numbered input lines, in order; the responses are observed together."""
    if not pending:
        return
    parsed: list[tuple[int, Any, Request] | tuple[str, bool]] = [_parse_line(n, line) for n, line in pending]
    requests = [p[2] for p in parsed if len(p) == 3]
    try:
        observed = iter(observe_many(requests))
    except Exception:  # a bug in the observer: each line alone, so that it costs its own line only
        for n, line in pending:
            yield _observe_line(n, line, rubric)
        return
    for p in parsed:
        if len(p) == 3:
            yield _output_line(p[0], p[1], next(observed), rubric)
        else:
            yield p  # type: ignore[misc]


def _parse_line(number: int, line: str) -> tuple[int, Any, Request] | tuple[str, bool]:
    """(number, record, request) for a usable input line, else its error output line."""
    try:
        record = _loads(line)
        if "\\u" in line:  # only a JSON escape can carry a lone surrogate, which is not a character
            _ENCODER.encode(record).encode()
        return number, record, _request(record)
    except Exception as exc:
        return _failed(number, exc), False


def _output_line(number: int, record: Any, obs: Observation, rubric: Rubric | None) -> tuple[str, bool]:
    """The output line of one observed record."""
    try:
        text = _line_json(number, obs)
        if "id" in record:
            text += ',"id":' + _dumps(record["id"])
        if rubric is not None:
            text += (',"ratings":' + _dumps([r.to_dict() for r in suggest_ratings(obs, rubric)])
                     + ',"tallies":' + _dumps(tally(obs, rubric)))
        return text + "}", True
    except Exception as exc:
        return _failed(number, exc), False


def _observe_line(number: int, line: str, rubric: Rubric | None) -> tuple[str, bool]:
    """The output line for one non-blank input line, and whether it was read without error."""
    try:
        record = _loads(line)
        if "\\u" in line:  # only a JSON escape can carry a lone surrogate, which is not a character
            _ENCODER.encode(record).encode()
        obs = _observe(record)
    except Exception as exc:
        return _failed(number, exc), False
    return _output_line(number, record, obs, rubric)


def _failed(number: int, exc: Exception) -> str:
    """The error output line for an input line that could not be read or observed."""
    if isinstance(exc, UnicodeEncodeError):
        return _error(number, "the line holds a lone surrogate escape (such as \\ud800), which is not a "
                      "character")
    if isinstance(exc, (LineError, ValueError, RecursionError)):
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        if isinstance(exc, json.JSONDecodeError):
            message = f"not valid JSON: {message} (column {exc.colno})"
        elif "not JSON compliant" in message:
            message = "the line holds a number JSON cannot write (NaN or Infinity, e.g. 1e999)"
        elif "integer string conversion" in message:
            message = "the line holds a number with more than 4,300 digits"
        elif isinstance(exc, RecursionError):
            message = "the line nests lists or objects too deeply"
        return _error(number, message)
    # A bug in the observer must not lose the line or stop the stream.
    return _error(number, f"internal error: {type(exc).__name__}: {exc}")
