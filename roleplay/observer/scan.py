"""Fast phrase search: run each phrase pattern only where one of its possible first words occurs.

Python's regular expressions try every alternative at every position of the text, which is slow
for long phrase lists. Instead, the first word of every phrase is worked out once from the pattern
itself, and at run time a pattern is tried only at the tokens of the response that can start it.
The matches are the same as a whole-word search (phrases start at a word), just much cheaper.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the stdlib's own pattern parser: used once, at load time
from collections.abc import Iterable

#: A word of the text: letters or digits with inner apostrophes or hyphens ("don't", "worn-out").
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z]+)*")

_OPEN, _DONE, _PREFIX = 0, 1, 2
_MAX_STATES = 5000
_State = tuple[str, int]


class _Unknown(Exception):
    """The pattern's first word cannot be listed (it starts with a wildcard)."""


def _walk(items: Iterable[tuple[object, object]], states: set[_State]) -> set[_State]:
    for item in items:
        open_states = {s for s in states if s[1] == _OPEN}
        if not open_states:
            return states
        states = (states - open_states) | _item(item, open_states)
        if len(states) > _MAX_STATES:
            raise _Unknown
    return states


def _char(ch: str, states: set[_State]) -> set[_State]:
    """Extend each state (the first one or two words read so far) by one literal character."""
    if ch.isalnum() or ch in "'’-":
        return {(t + ("'" if ch == "’" else ch.lower()), _OPEN) for t, _ in states}
    out = set()
    for t, _ in states:
        if not t or t.endswith(" "):
            out.add((t, _OPEN))  # separators before a word change nothing
        elif " " in t:
            out.add((t, _DONE))  # the second word is complete
        else:
            out.add((t + " ", _OPEN))  # the first word is complete; read the second
    return out


def _unknown(states: set[_State]) -> set[_State]:
    """A wildcard: keep what is known for sure (a first-word prefix, or the first word)."""
    out = set()
    for t, _ in states:
        if not t:
            raise _Unknown
        if " " in t:
            out.add((t.split(" ")[0], _DONE))
        else:
            out.add((t, _PREFIX))
    return out


def _is_space(sub: list[tuple[object, object]]) -> bool:
    if len(sub) != 1:
        return False
    op, av = sub[0]
    if str(op) == "LITERAL":
        return av == 32
    return str(op) == "IN" and any(str(a) == "CATEGORY_SPACE" for _, a in av)  # type: ignore[union-attr]


def _item(item: tuple[object, object], states: set[_State]) -> set[_State]:
    op, av = item
    name = str(op)
    if name == "LITERAL":
        return _char(chr(av), states)  # type: ignore[arg-type]
    if name == "IN" and any(str(a) == "CATEGORY_SPACE" for _, a in av):  # type: ignore[union-attr]
        return _char(" ", states)
    if name == "IN" and all(str(o) == "LITERAL" for o, _ in av):  # type: ignore[union-attr]
        return set().union(*(_char(chr(c), states) for _, c in av))  # type: ignore[union-attr]
    if name == "BRANCH":
        return set().union(*(_walk(branch, states) for branch in av[1]))  # type: ignore[index]
    if name == "SUBPATTERN":
        return _walk(av[-1], states)  # type: ignore[index]
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av  # type: ignore[misc]
        if _is_space(list(sub)):
            once = _char(" ", states)
        else:
            once = _walk(sub, states)
            if hi != 1:
                once = {s for s in once if s[1] != _OPEN} | _unknown({s for s in once if s[1] == _OPEN})
        return (states | once) if lo == 0 else once
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return states
    return _unknown(states)


def first_words(pattern: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    """What a pattern can start with: word pairs ("you feel"), single first words, first-word prefixes.

    A pattern lands in the pairs when its first two words can be listed, in the single words when
    only its first word can, and in the prefixes when not even that. None when it may start
    anywhere (then it is searched the slow way).
    """
    try:
        states = _walk(list(sre_parse.parse(pattern)), {("", _OPEN)})
    except (_Unknown, re.error, RecursionError):
        return None
    pairs, singles, prefixes = set(), set(), set()
    for t, status in states:
        t = t.strip()
        if not t:
            return None
        if status == _PREFIX:
            prefixes.add(t)
        elif " " in t:
            pairs.add(t)
        else:
            singles.add(t)
    return frozenset(pairs), frozenset(singles), frozenset(prefixes)


def lower_pattern(pattern: str) -> str:
    """Lowercase a pattern's letters but not its escapes (``\\W`` must stay ``\\W``)."""
    return re.sub(r"\\.|[A-Z]+", lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), pattern)


def lower_text(text: str) -> str:
    """The text lowercased with curly apostrophes made straight, when that keeps every offset.

    Patterns run on this copy (no case-insensitive matching needed, which is faster); evidence is cut
    from the original text at the same offsets.
    """
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a rare character whose lowercase is longer: keep the offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    return low


class PhraseIndex:
    """Many named phrase sections, searched together through an index of first words.

    Patterns are filed under their first two words when those can be listed ("you feel"), else
    under their first word or its prefix. For each key, the sections filed there are compiled (on
    first use) into one pattern of optional look-aheads, one capturing group per section, so a
    single ``match`` call at a word tells which sections start there.
    """

    def __init__(self, sections: dict[str, list[str]]) -> None:
        """Index ``sections`` (name -> patterns written for lowercase text)."""
        self._sources: dict[str, dict[str, list[str]]] = {}
        self._compiled: dict[str, _Combined] = {}
        self.slow: list[tuple[str, re.Pattern[str]]] = []
        prefixes: set[str] = set()
        for name, patterns in sections.items():
            for p in patterns:
                p = lower_pattern(p)
                words = first_words(p)
                if words is None:
                    self.slow.append((name, re.compile(rf"(?<![\w'’])(?:{p})(?![\w'’])")))
                    continue
                pairs, singles, prefs = words
                prefixes |= prefs
                for key in (*pairs, *singles, *(f"{w}*" for w in prefs)):
                    self._sources.setdefault(key, {}).setdefault(name, []).append(p)
        self.prefix_lengths = sorted({len(w) for w in prefixes})
        self._memo: dict[str, tuple[_Combined, ...]] = {}

    def _combined(self, key: str) -> _Combined:
        got = self._compiled.get(key)
        if got is None:
            parts, names = [], []
            for i, (name, ps) in enumerate(self._sources[key].items()):
                body = "|".join(f"(?:{p})" for p in ps)
                parts.append(rf"(?:(?=(?P<s{i}>(?:{body})(?![\w'’]))))?")
                names.append(name)
            pat = re.compile("".join(parts))
            got = self._compiled[key] = (pat, tuple((pat.groupindex[f"s{i}"] - 1, n) for i, n in enumerate(names)))
        return got

    def candidates(self, first: str, second: str) -> tuple[_Combined, ...]:
        """The combined patterns that can start at a word followed by another (memoised)."""
        key = f"{first} {second}"
        got = self._memo.get(key)
        if got is None:
            keys = [k for k in (key, first) if k in self._sources]
            keys += [f"{first[:n]}*" for n in self.prefix_lengths if f"{first[:n]}*" in self._sources]
            got = tuple(self._combined(k) for k in keys)
            if len(self._memo) < 200_000:  # bounded: the vocabulary of real input is small
                self._memo[key] = got
        return got

    def scan(self, low: str, tokens: list[tuple[int, str]]) -> dict[str, list[tuple[int, int]]]:
        """Section name -> (start, end) of every non-overlapping match, in text order.

        ``low`` is the text from :func:`lower_text` and ``tokens`` its :func:`tokenize` words.
        """
        found: dict[str, list[tuple[int, int]]] = {}
        last_end: dict[str, int] = {}
        memo = self._memo
        n = len(tokens)
        for i in range(n):
            pos, first = tokens[i]
            second = tokens[i + 1][1] if i + 1 < n else ""
            cands = memo.get(f"{first} {second}")
            if cands is None:
                cands = self.candidates(first, second)
            for pat, index in cands:
                groups = pat.match(low, pos).groups()  # type: ignore[union-attr]  # always matches
                for gi, name in index:
                    g = groups[gi]
                    if g is not None and pos >= last_end.get(name, 0):
                        end = last_end[name] = pos + len(g)
                        found.setdefault(name, []).append((pos, end))
        for name, pat in self.slow:
            for m in pat.finditer(low):
                found.setdefault(name, []).append(m.span())
        if self.slow:
            for v in found.values():
                v.sort()
        return found


#: A combined pattern and its (group index, section name) pairs.
_Combined = tuple[re.Pattern[str], tuple[tuple[int, str], ...]]


def tokenize(low: str) -> list[tuple[int, str]]:
    """(start, word) for every word of a :func:`lower_text` text."""
    out = []
    pos = 0
    find = low.find
    for word in WORD_RE.findall(low):
        # findall is much cheaper than finditer; each word is found again just after the last one.
        pos = find(word, pos)
        out.append((pos, word))
        pos += len(word)
    return out
