"""Tokens and phrase matching: one regex pass over the text, then dictionary walks over the tokens.

A response is cut once into lowercase tokens (words, with inner apostrophes and hyphens kept, plus
the punctuation that ends sentences and commas). Every phrase of the data files is expanded, once at
start-up, into the token sequences it can stand for, and those sequences are stored in a trie (a
dict of dicts) keyed by token. Finding every phrase in a response is then one dict look-up per
token plus a short walk where a phrase can start: no regular expression runs per phrase.

The phrase notation (see the top of ``data/patterns.yaml``): ``(a|b)`` alternatives, ``?`` after a
group or a letter makes it optional, ``\\w+`` is any one word, ``[^.?!]*`` any words up to the end
of the sentence, ``word\\w*`` any word starting with ``word``, ``a.b`` "a b", "a-b" or "ab", and
``x+`` one to three x's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Any

#: Tokens: words (a letter or digit, then letters, digits, apostrophes, hyphens), and each of . ? ! ,
#: and line breaks. One C-level ``findall`` per text; everything after works on the token list. Letters
#: are those of English and the Latin alphabets (an explicit class runs faster than \w).
_L = "a-z0-9\u00c0-\u024f"
TOKEN_RE = re.compile(f"[{_L}][{_L}'-]*|[.?!,\n]")
# The same tokens, captured by ``split``: the text comes back as gap, token, gap, token..., gap.
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")
#: Words only (the same word rule as :data:`TOKEN_RE`).
WORD_RE = re.compile(f"[{_L}][{_L}'-]*")
#: Tokens that are not words (each is one character, so counting them in the text is exact).
PUNCTUATION = (".", "?", "!", ",", "\n")
_PATTERN_TOKEN_RE = re.compile(f"[{_L}][{_L}'-]*\\*?|[.?!,\n]|\x01|\x02")

ANY = "\x01"
"""Trie key: any one word."""
GAP = "\x02"
"""Trie key: any words up to the end of the sentence."""
END = "\x00"
"""Trie key: the phrases that end at this node, as (section, payload) pairs."""
PREFIX = "\x03"
"""Trie key: (prefix, child) pairs for ``word\\w*`` tokens."""
SPECIAL = "\x04"
"""Trie key present on nodes that hold ANY, GAP or PREFIX (they need the branching walk)."""

_MAX_EXPANSIONS = 100_000

Trie = dict[str, Any]


class PatternError(ValueError):
    """A phrase in a data file that the notation does not allow."""


def lower_text(text: str) -> str:
    """The text lowercased with curly apostrophes made straight, keeping every offset.

    Tokens come from this copy; evidence is cut from the original text at the same offsets.
    """
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a rare character whose lowercase is longer: keep the offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    return low


def tokenize(low: str) -> tuple[list[str], list[int]]:
    """The tokens of a lowercased text, and the offsets where each starts and ends in it.

    Token ``k`` is ``low[bounds[2 * k] : bounds[2 * k + 1]]``: evidence is cut from the original
    text at these offsets. One C-level ``split`` gives the tokens and the gaps between them; the
    running total of their lengths (``accumulate``, also in C) gives every offset without a Python
    loop per token.
    """
    parts = _TOKEN_SPLIT.split(low)
    return parts[1::2], list(accumulate(map(len, parts)))


def starts_of(low: str, toks: list[str]) -> list[int]:
    """Where each of ``toks`` (found in order in ``low``) starts: evidence is cut at these offsets."""
    out: list[int] = []
    append = out.append
    find = low.find
    pos = 0
    for tok in toks:
        pos = find(tok, pos)
        append(pos)
        pos += len(tok)
    return out


# --- the phrase notation -------------------------------------------------------------------------

def _expand(src: str, i: int, stop: str) -> tuple[list[str], int]:
    """Expand ``src`` from ``i`` up to an unmatched ``stop`` character; return (strings, index)."""
    alts: list[str] = []
    seq: list[str] = [""]
    while i < len(src) and src[i] not in stop:
        c = src[i]
        if c == ")":
            raise PatternError(f"unbalanced ')' in {src!r}")
        if c == "|":
            alts.extend(seq)
            seq = [""]
            i += 1
            continue
        if c == "(":
            atom, i = _expand(src, i + 1, ")")
            if i >= len(src):
                raise PatternError(f"unclosed '(' in {src!r}")
            i += 1
        elif src.startswith((r"\w+", r"\S+"), i):
            atom, i = [f" {ANY} "], i + 3
        elif src.startswith(r"[\w-]+", i):
            atom, i = [f" {ANY} "], i + 6
        elif src.startswith("[^.?!]*", i):
            atom, i = [f" {GAP} "], i + 7
        elif src.startswith(r"\w*", i):
            atom, i = ["*"], i + 3
        elif src.startswith(r"\s+", i):
            atom, i = [" "], i + 3
        elif c == "\\" and i + 1 < len(src):
            atom, i = [src[i + 1]], i + 2
        elif c == "[":
            close = src.find("]", i)
            if close < 0 or any(ch in src[i + 1 : close] for ch in "\\^-"):
                raise PatternError(f"unsupported character class in {src!r}")
            atom, i = list(src[i + 1 : close]), close + 1
        elif c == "." and 0 < i < len(src) - 1 and src[i - 1].isalpha() and src[i + 1].isalpha():
            atom, i = ["", " ", "-"], i + 1
        elif c in ".*{}^$":
            raise PatternError(f"unsupported '{c}' in {src!r}")
        else:
            atom, i = [c], i + 1
        if i < len(src) and src[i] == "?":
            atom, i = ["", *atom], i + 1
        elif i < len(src) and src[i] == "+":
            atom, i = [a * n for a in atom for n in (1, 2, 3)], i + 1
        seq = [s + a for s in seq for a in atom]
        if len(seq) > _MAX_EXPANSIONS:
            raise PatternError(f"too many variants in {src!r}")
    alts.extend(seq)
    return alts, i


def expand(pattern: str) -> list[tuple[str, ...]]:
    """Every token sequence a phrase stands for ("(you|u)('re| are) sad" -> 4 sequences)."""
    strings, i = _expand(pattern.lower().replace("’", "'"), 0, "")
    if i != len(pattern):
        raise PatternError(f"unbalanced ')' in {pattern!r}")
    out = []
    for s in strings:
        # A contraction written as its own alternative ("(you|u) (will|'ll)") joins the word before it:
        # text tokens keep "you'll" whole.
        s = s.replace(" '", "'")
        toks = tuple(_PATTERN_TOKEN_RE.findall(s))
        if toks and toks[0] not in (ANY, GAP) and not toks[0].endswith("*"):
            out.append(toks)
            if "'" in s:
                bare = tuple(_bare(t) for t in toks)
                if bare != toks:
                    out.append(bare)
        elif toks:
            raise PatternError(f"a phrase cannot start with a wildcard: {pattern!r}")
    return out


def _bare(tok: str) -> str:
    """A contraction as chat often types it, without the apostrophe ("that's" -> "thats").

    Not where that spells another common word ("we're" is not "were", "I'll" is not "ill").
    """
    if "'" not in tok or len(tok) < 3:
        return tok
    bare = tok.replace("'", "")
    return tok if bare in _BARE_CLASHES else bare


# Contractions whose apostrophe-less spelling is another word.
_BARE_CLASHES = frozenset({"were", "well", "ill", "hell", "shell", "wed", "id", "hed", "shed", "lets",
                           "whos", "hes", "shes"})


def build_trie(sections: dict[str, Iterable[tuple[str, Any]]], mark: bool = True) -> Trie:
    """One trie for many sections: section name -> (phrase, payload) pairs.

    ``mark=False`` leaves out the flags the walks need (:func:`flatten_trie` sets its own).
    """
    root: Trie = {}
    for name, phrases in sections.items():
        for phrase, payload in phrases:
            entry = (name, payload)
            for seq, prefixed in _expanded(phrase):
                node = root
                if prefixed:
                    node = _insert_prefixed(node, seq)
                else:  # the common case: exact tokens only (a get first: setdefault builds a dict every call)
                    for tok in seq:
                        child = node.get(tok)
                        if child is None:
                            child = node[tok] = {}
                        node = child
                ends = node.get(END)
                if ends is None:
                    node[END] = [entry]
                elif entry not in ends:
                    ends.append(entry)
    if mark:
        _mark(root)
    return root


@lru_cache(maxsize=4096)
def _expanded(phrase: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """:func:`expand`, with whether each sequence holds a ``word\\w*`` token; remembered, as the
    feeling and synonym phrases go into several tries."""
    if "\\w*" not in phrase:  # no prefix token in any sequence (the common case)
        return tuple((seq, False) for seq in expand(phrase))
    return tuple((seq, any(t.endswith("*") and len(t) > 1 for t in seq)) for seq in expand(phrase))


def _insert_prefixed(node: Trie, seq: tuple[str, ...]) -> Trie:
    """Walk (and grow) the trie along a sequence holding ``word\\w*`` tokens; return its last node."""
    for tok in seq:
        if tok.endswith("*") and len(tok) > 1:
            pairs = node.setdefault(PREFIX, [])
            child = next((c for p, c in pairs if p == tok[:-1]), None)
            if child is None:
                child = {}
                pairs.append((tok[:-1], child))
            node = child
        else:
            node = node.setdefault(tok, {})
    return node


def _mark(root: Trie) -> None:
    """Flag every node with a wildcard child, so the fast walk knows when to branch (iterative: deep tries)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if ANY in node or GAP in node or PREFIX in node:
            node[SPECIAL] = True
            stack.extend(c for _, c in node.get(PREFIX, ()))
        stack.extend(v for k, v in node.items() if k not in _NOT_CHILDREN)


_NOT_CHILDREN = frozenset({END, SPECIAL, PREFIX})


def _walk(node: Trie, toks: list[str], j: int, n: int, best: dict[str, tuple[int, Any]]) -> None:
    """Follow the trie from ``node`` at token ``j``, keeping the longest end per section in ``best``.

    Exact tokens lead to one child at most, so the walk is a straight line until a node with a
    wildcard, where it branches (those are few).
    """
    while True:
        ends = node.get(END)
        if ends:
            for name, payload in ends:
                got = best.get(name)
                if got is None or got[0] < j:
                    best[name] = (j, payload)
        if SPECIAL in node:
            _branch(node, toks, j, n, best)
        if j >= n:
            return
        child = node.get(toks[j])
        if child is None:
            return
        node = child
        j += 1


def _branch(node: Trie, toks: list[str], j: int, n: int, best: dict[str, tuple[int, Any]]) -> None:
    """The wildcard children of ``node`` at token ``j``."""
    if j < n:
        tok = toks[j]
        if ANY in node and tok[0].isalnum():
            _walk(node[ANY], toks, j + 1, n, best)
        for p, child in node.get(PREFIX, ()):
            if tok.startswith(p):
                _walk(child, toks, j + 1, n, best)
    if GAP in node:
        k = j
        while k < n and toks[k] not in ".?!\n":
            _walk(node[GAP], toks, k, n, best)
            k += 1
        # The gap may also run to the end of the sentence ("[^.?!]*" last in a phrase takes every word).
        _walk(node[GAP], toks, k, n, best)


def match_at(root: Trie, toks: list[str], i: int) -> dict[str, tuple[int, Any]]:
    """Section -> (end token index, payload) of the longest phrase of each section starting at ``i``."""
    best: dict[str, tuple[int, Any]] = {}
    node = root.get(toks[i]) if i < len(toks) else None
    if node is not None:
        _walk(node, toks, i + 1, len(toks), best)
    return best


def scan(root: Trie, toks: list[str]) -> dict[str, list[tuple[int, int, Any]]]:
    """Section -> (start, end, payload) token spans of every match, non-overlapping per section.

    At each token the longest phrase of each section wins; a section's next match starts after the
    end of its previous one.
    """
    found: dict[str, list[tuple[int, int, Any]]] = {}
    n = len(toks)
    get = root.get
    last: dict[str, int] = {}
    for i, tok in enumerate(toks):
        node = get(tok)
        if node is None:
            continue
        # Most words that can start a phrase do not here: reject them before any set-up.
        j = i + 1
        if END not in node and SPECIAL not in node and (j >= n or toks[j] not in node):
            continue
        # The straight-line walk of _walk, inlined: this loop is the observer's hottest code.
        best: dict[str, tuple[int, Any]] = {}
        while True:
            ends = node.get(END)
            if ends:
                for name, payload in ends:
                    got = best.get(name)
                    if got is None or got[0] < j:
                        best[name] = (j, payload)
            if SPECIAL in node:
                _branch(node, toks, j, n, best)
            if j >= n:
                break
            node = node.get(toks[j])
            if node is None:
                break
            j += 1
        if not best:
            continue
        for name, (j, payload) in best.items():
            if i >= last.get(name, 0):
                last[name] = j
                spans = found.get(name)
                if spans is None:
                    found[name] = [(i, j, payload)]
                else:
                    spans.append((i, j, payload))
    return found


# --- the trie as plain data (for the build cache) ------------------------------------------------

def flatten_trie(root: Trie) -> list[Any]:
    """The trie as JSON-ready data, identical sub-tries stored once: ``[root index, nodes]``.

    Expanded phrases share long tails ("(really |so )?(hard|tough)" ends the same way after every
    opening), so merging equal sub-tries shrinks the cue trie about two hundredfold; the walks only
    read the trie, so a node reached by two paths behaves as two copies would. A node is
    ``[{token: child index}, [[section, payload]...], [[prefix, child index]...], special]``; the
    special flag is worked out here (the trie need not be marked). Equal sub-tries are found by a
    key of plain tuples built children first, one tuple and one look-up per node.
    """
    memo: dict[tuple[Any, ...], int] = {}
    nodes: list[list[Any]] = []

    def visit(node: Trie) -> int:
        kids = {k: visit(v) for k, v in node.items() if k not in _NOT_CHILDREN}
        pref_src = node.get(PREFIX)
        pref = [(p, visit(c)) for p, c in pref_src] if pref_src else []
        ends = node.get(END) or []
        special = 1 if (pref_src or ANY in kids or GAP in kids) else 0
        key = (tuple(sorted(kids.items())), tuple(ends), tuple(pref), special)
        idx = memo.get(key)
        if idx is None:
            idx = memo[key] = len(nodes)
            nodes.append([kids, [list(e) for e in ends], [list(p) for p in pref], special])
        return idx

    return [visit(root), nodes]


def unflatten_trie(data: list[Any]) -> Trie:
    """The trie of :func:`flatten_trie`'s data (shared sub-tries become shared dicts)."""
    root, rows = data
    objs: list[Trie] = [{} for _ in rows]
    for node, (kids, ends, pref, special) in zip(objs, rows, strict=True):
        for tok, i in kids.items():
            node[tok] = objs[i]
        if ends:
            node[END] = [tuple(e) for e in ends]
        if pref:
            node[PREFIX] = [(p, objs[i]) for p, i in pref]
        if special:
            node[SPECIAL] = True
    return objs[root]
