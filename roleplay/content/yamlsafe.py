"""Safe, bounded YAML reading with a source position for every key and value.

Only plain data is built (strings, numbers, booleans, null, lists, mappings): no loader that can build
Python objects is ever used. Hostile input (binary, NUL bytes, invalid UTF-8, tags, alias bombs, very
deep nesting, huge files) becomes a located problem, not an exception.
"""

from __future__ import annotations

import re
import stat
import threading
from collections.abc import Iterator
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
    _fast = None  # type: ignore[assignment]

#: Content files are hand-written prose; anything bigger is a mistake (or an attack), not a scenario.
MAX_BYTES = 1_000_000
#: Deeper nesting than this never occurs in the formats and would only exhaust the stack.
MAX_DEPTH = 64
#: Values built after alias expansion; stops "billion laughs" files.
MAX_NODES = 100_000
#: Characters of text after alias expansion: a few aliases of a long string stay under MAX_NODES yet
#: could still grow a 500 KB file to gigabytes. A file without aliases is at most MAX_BYTES of text.
MAX_EXPANDED_CHARS = 2 * MAX_BYTES

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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:2]:
        doc.problems.append(Problem(path, 1, 1, "file is UTF-16 (or UTF-32) text; content files are UTF-8",
                                    "save the file as UTF-8 in your editor (Save as, Encoding: UTF-8)"))
        return None
    nul = raw.find(b"\x00")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", "replace")
        line, col = _position(head, len(head))
        doc.problems.append(Problem(path, line, col, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    "save the file as UTF-8 in your editor (a Latin-1 or Windows "
                                    "file has bytes like this one)"))
        return None
    if nul >= 0:
        line, col = _position(text, text.find("\x00"))
        doc.problems.append(Problem(path, line, col, "file contains NUL bytes", "is this a binary file?"))
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.problems.append(Problem(path, 1, 1, "file is empty", "start from `roleplay new scenario NAME`"))
        return None
    return text


#: Where a block collection can start on a line: after the indentation and any run of indicators.
_LINE_LEAD = re.compile(r"^[ \t]*(?:(?:---|[-?:]|[&!]\S*)[ \t]+)*", re.MULTILINE)
#: An alias can only stand where a node starts: at a line start, after a space or a flow indicator.
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*", re.MULTILINE)


def plainly_small(text: str) -> bool:
    """True when no alias can expand the text and its nesting is provably at most ``MAX_DEPTH``.

    A bound that nothing in the file can hide, worked out at the speed of a string search: flow
    nesting is at most the number of ``[`` and ``{`` in the file; block nesting goes one column further
    right at each level, except a sequence written level with its parent mapping's keys, so it is at
    most twice the number of columns where a block collection can begin. Content files pass easily
    (the shipped ones stay under half the limit); anything else gets the exact walk of
    :func:`check_shape`.
    """
    if "*" in text and _ALIAS.search(text):  # the plain search first: most files hold no asterisk at all
        return False
    flow = text.count("[") + text.count("{")
    if flow > MAX_DEPTH:
        return False
    columns = max(map(len, _LINE_LEAD.findall(text))) + 1
    return flow + 2 * columns <= MAX_DEPTH


def check_shape(path: Path, text: str) -> Problem | None:
    """Depth and expanded size of a document, found before any recursive parser sees the text.

    The recursive parsers (the Rust fast path, PyYAML's composer) crash the process on very deep
    nesting: 11,400 nested ``- `` killed it with a segfault. libyaml's event parser is iterative (it
    keeps its own stacks and stops by itself at 1,000 levels), so walking its events is safe at any
    depth and costs about half of a parse. The walk counts nesting (block and flow alike), values and
    characters of text with every alias expanded (an alias counts what its anchor holds), and stops at
    the first limit passed, naming that place. Raises ``yaml.YAMLError`` on a syntax error; the located
    parse then reports it.
    """
    try:
        return _walk_events(path, yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" not in str(error) or error.problem_mark is None:
            raise
        # libyaml looks ahead for implicit keys and stops at 1,000 levels, before the count reaches 64.
        mark = error.problem_mark
        return Problem(path, mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels", _DEEP_HINT)


_DEEP_HINT = "content files need only a few levels of nesting; is a '- ' or '[' repeated?"


def _walk_events(path: Path, events: Iterator[Any]) -> Problem | None:
    # Events are told apart by exact type (faster than isinstance here), so they are typed loosely.
    depth = values = chars = 0
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (characters, values) it holds
    opened: list[tuple[str | None, int, int]] = []  # per open collection: its anchor, chars and values at start
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            chars += len(event.value)
            values += 1
            if event.anchor:
                sizes[event.anchor] = (len(event.value), 1)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            depth += 1
            values += 1
            if depth > MAX_DEPTH:
                return _problem_at(path, event, f"nesting deeper than {MAX_DEPTH} levels", _DEEP_HINT)
            opened.append((event.anchor, chars, values))
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            depth -= 1
            anchor, chars_at, values_at = opened.pop()
            if anchor:
                sizes[anchor] = (chars - chars_at, values - values_at + 1)
        elif kind is yaml.AliasEvent:
            held_chars, held_values = sizes.get(event.anchor, (0, 1))
            chars += held_chars
            values += held_values
        else:
            continue
        if values > MAX_NODES:
            return _problem_at(path, event, f"more than {MAX_NODES:,} values (aliases expanded)",
                               "anchors and aliases (&, *) that multiply are not needed in content files")
        if chars > MAX_EXPANDED_CHARS:
            return _problem_at(path, event, f"more than {MAX_EXPANDED_CHARS:,} characters of text once "
                               "aliases (*name) are expanded",
                               "write the text out once; aliases that repeat long text are not needed")
    return None


def _problem_at(path: Path, event: Any, message: str, hint: str) -> Problem:
    mark = event.start_mark
    return Problem(path, mark.line + 1, mark.column + 1, message, hint)


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
    try:
        with _PARSE_LOCK:
            shape = None if plainly_small(text) else check_shape(path, text)
    except yaml.YAMLError:  # a syntax error: the located parse below names it
        _parse_located(text, doc)
        return doc
    if shape is not None:
        doc.problems.append(shape)
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
    """Read and parse one file, turning I/O errors into problems too (a folder, device or pipe is one: a
    pipe would block the read for ever, ``/dev/zero`` would never end)."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            doc = YamlDocument(path)
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
            doc.problems.append(Problem(path, 1, 1, f"cannot read: this is {what}", "name a .yaml file"))
            return doc
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


def load_data_yaml(path: Path, raw: bytes) -> Any:
    """The plain data of a YAML file the program ships (the observer's word lists), read by the same
    guarded reader as content files; raises ``ValueError`` naming ``file:line`` when it is unusable."""
    doc = load_yaml_text(path, raw)
    if doc.problems:
        raise ValueError("; ".join(p.format() for p in doc.problems))
    return doc.data
