"""Safe, bounded YAML reading with a source position for every key and value.

Only plain data is built (strings, numbers, booleans, null, lists, mappings): no loader that can build
Python objects is ever used. Hostile input (binary, NUL bytes, invalid UTF-8, tags, alias bombs, very
deep nesting, huge files) becomes a located problem, not an exception.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.content.problems import Problem

try:  # a Rust YAML parser, ~7x faster than libyaml here; errors still come from the located path below
    import yaml_rs as _fast
except ImportError:  # pragma: no cover - platforms without a wheel use the PyYAML path alone
    _fast = None

#: Content files are hand-written prose; anything bigger is a mistake (or an attack), not a scenario.
MAX_BYTES = 1_000_000
#: Deeper nesting than this never occurs in the formats and would only exhaust the stack.
MAX_DEPTH = 64
#: Values built after alias expansion; stops "billion laughs" files.
MAX_NODES = 100_000
#: libyaml recurses per nesting level; above this many brackets or this line length we pre-scan.
_PRESCAN_BRACKETS = 2_000
_PRESCAN_LINE = 8_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: One parse at a time in a process. The app loads content in worker threads while tests (and the preview's
#: reloads) may parse on another; a run of the test suite once crashed inside a native parser with two
#: parses in flight. Parsing a content file takes well under a millisecond, so serialising costs nothing.
_PARSE_LOCK = threading.Lock()
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}
_constructor = SafeConstructor()

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """The plain data of one YAML file and where each part of it stands in the file."""

    path: Path
    data: Any = None
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Set when the fast parser read the file: positions are worked out only if a problem needs them.
    unlocated_text: str | None = None

    def locate(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Best (line, column) for a data path: the key or value itself, else its nearest parent."""
        if self.unlocated_text is not None:
            text, self.unlocated_text = self.unlocated_text, None
            scratch = YamlDocument(self.path)
            _parse_located(text, scratch)
            self.value_marks, self.key_marks = scratch.value_marks, scratch.key_marks
        marks = (self.key_marks, self.value_marks) if key else (self.value_marks, self.key_marks)
        for end in range(len(loc), -1, -1):
            part = tuple(loc[:end])
            for table in marks:
                if part in table:
                    return table[part]
        return (1, 1)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _hint_for(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "") + " " + (error.context or "")
    if "\\t" in problem or "tab" in problem:
        return "YAML indentation must use spaces, not tabs"
    if "quoted scalar" in problem or "end of stream" in problem:
        return "check for a quote that is opened but never closed"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' needs quotes, e.g. line: \"Well: it's hard\""
    if "block" in problem or "indent" in problem:
        return "check the indentation: items of one list or mapping must line up"
    if "special characters" in problem:
        return "the file contains control characters; is it really a text file?"
    return "check the YAML syntax around this position"


def _decode(path: Path, raw: bytes, doc: YamlDocument) -> str | None:
    if len(raw) > MAX_BYTES:
        doc.problems.append(Problem(path, 1, 1, f"file is {len(raw) / 1e6:.1f} MB; content files are at "
                                    f"most {MAX_BYTES / 1e6:.0f} MB", "split it or remove the pasted data"))
        return None
    nul = raw.find(b"\x00")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", "replace")
        line, col = _position(head, len(head))
        doc.problems.append(Problem(path, line, col, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    "save the file as UTF-8 in your editor"))
        return None
    if nul >= 0:
        line, col = _position(text, text.find("\x00"))
        doc.problems.append(Problem(path, line, col, "file contains NUL bytes", "is this a binary file?"))
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.problems.append(Problem(path, 1, 1, "file is empty", "start from `roleplay new scenario NAME`"))
        return None
    return text


def _too_deep(path: Path, text: str) -> Problem | None:
    """Cheap guard: only files that could nest thousands deep are scanned event by event."""
    if text.count("[") + text.count("{") < _PRESCAN_BRACKETS and max(map(len, text.splitlines())) < _PRESCAN_LINE:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return Problem(path, mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels",
                               "content files need only a few levels of nesting")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


class _Builder:
    """Turns composed nodes into plain data, recording marks and collecting problems."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.count = 0

    def problem(self, node: Node, message: str, hint: str | None = None) -> None:
        self.doc.problems.append(
            Problem(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1, message, hint))

    def build(self, node: Node, loc: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Abort(node, f"more than {MAX_NODES:,} values (aliases expanded)",
                         "anchors and aliases (&, *) that multiply are not needed in content files")
        if depth > MAX_DEPTH:
            raise _Abort(node, f"nesting deeper than {MAX_DEPTH} levels", None)
        self.doc.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            self.problem(node, f"tag {node.tag} is not allowed", "remove the tag: files hold plain data only")
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, loc, depth)
        return None

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, f"tag {node.tag} is not allowed",
                         "remove the tag: files hold plain text, numbers and lists only")
            return node.value
        if node.tag.endswith(("str", "timestamp")):
            return node.value  # dates stay text: no field in the formats is a date
        if node.tag.endswith("bool") and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2 reading: 'yes', 'no', 'on' are words, as in the fast parser
        return _constructor.construct_object(node, deep=False)

    def mapping(self, node: MappingNode, loc: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, "merge keys (<<) are not supported", "write the keys out in full")
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a key must be a plain word or number", None)
                continue
            key = self.scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.problem(key_node, f"duplicate key '{key}' (first at line {first_seen[key]})",
                             "remove one of them: YAML would silently keep only the last")
                continue
            first_seen[key] = line
            self.doc.key_marks[(*loc, key)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result


class _Abort(Exception):
    def __init__(self, node: Node, message: str, hint: str | None) -> None:
        super().__init__(message)
        self.node, self.message, self.hint = node, message, hint


def _parse_located(text: str, doc: YamlDocument) -> None:
    """Full PyYAML path: compose nodes, build plain data with positions, collect every problem."""
    try:
        deep = _too_deep(doc.path, text)
        if deep:
            doc.problems.append(deep)
            return
        with _PARSE_LOCK:
            root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        doc.problems.append(Problem(doc.path, line, col, f"YAML syntax: {message}", _hint_for(exc)))
        return
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        doc.problems.append(Problem(doc.path, 1, 1, f"not readable as YAML: {exc}", None))
        return
    if root is None:
        doc.problems.append(Problem(doc.path, 1, 1, "file is empty", "start from `roleplay new scenario NAME`"))
        return
    builder = _Builder(doc)
    try:
        doc.data = builder.build(root, (), 0)
    except _Abort as abort:
        builder.problem(abort.node, abort.message, abort.hint)
        doc.data = None


def load_yaml_text(path: Path, raw: bytes) -> YamlDocument:
    """Parse raw file bytes into a YamlDocument; problems are collected in ``doc.problems``.

    Well-formed files take the fast parser (which also refuses duplicate keys, tags and alias bombs);
    anything it refuses, or that is not a mapping, is read again by the located path so the tutor gets
    the exact line and a hint.
    """
    doc = YamlDocument(path)
    text = _decode(path, raw, doc)
    if text is None:
        return doc
    if _fast is not None:
        try:
            with _PARSE_LOCK:
                data = _fast.loads(text, parse_datetime=False)
        except Exception:  # any refusal is re-read below for a located message
            data = None
        if isinstance(data, dict) and not _needs_located_path(text):
            doc.data, doc.unlocated_text = data, text
            return doc
    _parse_located(text, doc)
    return doc


_TAG_LIKE = re.compile(r"(?:^|[\s\[{,:-])!")


def _needs_located_path(text: str) -> bool:
    """Merge keys and tags are refused by the located path; the fast parser accepts some of them."""
    return "<<" in text or _TAG_LIKE.search(text) is not None


def load_yaml_file(path: Path) -> YamlDocument:
    """Read and parse one file, turning I/O errors into problems too."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                size = path.stat().st_size
                doc = YamlDocument(path)
                doc.problems.append(Problem(path, 1, 1, f"file is {size / 1e6:.1f} MB; content files are at "
                                            f"most {MAX_BYTES / 1e6:.0f} MB", "split it or remove pasted data"))
                return doc
    except OSError as exc:
        doc = YamlDocument(path)
        doc.problems.append(Problem(path, 1, 1, f"cannot read file: {exc.strerror or exc}", None))
        return doc
    return load_yaml_text(path, raw)
