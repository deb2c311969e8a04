"""The observer's word lists and phrase patterns, loaded once from the readable files in ``data/``.

Tutors edit the data files; this module turns them into compiled regular expressions and lookup
tables. It also holds the small suffix stemmer and tokenizer used to compare a paraphrase with the
speaker's words, so that "worried" and "worrying" count as the same word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from roleplay.observer.scan import PhraseIndex, lower_pattern, lower_text, tokenize

#: One filler word skipped before matching a ``*_start`` pattern ("so", "well", "oh", "ok", "and").
_LEAD_FILLER = (
    r"(?:so|well|oh|ok|okay|and|but|hmm+|ah|alright|right|now|then|also|yes|yeah|no|i see|"
    r"i understand|i'm sorry|sorry|hey|hi|hello|wow|oh no|gotcha|understood|great|good|sure|"
    r"that's great|that's good|okay then|ok then|just)\s*[,.!-]*\s+"
)

_SENTENCE_START_ONLY = "_start"


def _load_text(name: str) -> str:
    """Read one file from the package's ``data`` folder."""
    return resources.files("roleplay.observer").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _apostrophes(pattern: str) -> str:
    """Let a straight apostrophe in a pattern also match a curly one (people type both)."""
    return pattern.replace("'", "['’]")


def _anywhere(patterns: list[str]) -> re.Pattern[str]:
    """Compile phrases into one alternation that matches whole words anywhere (lowercased text)."""
    body = "|".join(f"(?:{lower_pattern(_apostrophes(p))})" for p in patterns)
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])")


def _at_start(sections: dict[str, list[str]]) -> tuple[re.Pattern[str], tuple[tuple[int, str], ...]]:
    """Compile every ``*_start`` section into one pattern of optional look-aheads.

    A single ``.match(low, pos)`` then tells which sections start at ``pos`` (one group each), instead
    of one regex pass per section.
    """
    parts = []
    for i, patterns in enumerate(sections.values()):
        body = "|".join(f"(?:{lower_pattern(_apostrophes(p))})" for p in patterns)
        parts.append(rf"(?:(?=(?P<s{i}>(?:{body})(?![\w'’]))))?")
    pat = re.compile("".join(parts))
    return pat, tuple((pat.groupindex[f"s{i}"] - 1, name) for i, name in enumerate(sections))


def stem(word: str) -> str:
    """Reduce a lowercase word to a rough stem ("worrying" -> "worri", "stopped" -> "stop").

    Deliberately small: it only needs two forms of the same word to meet, not to be a real root.
    """
    return _stem(word)


@cache
def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("n't"):
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (
        ("iness", "y"), ("fulness", ""), ("ousness", "ous"), ("ness", ""), ("ments", ""), ("ment", ""),
        ("ational", "ate"), ("ation", "ate"), ("ingly", ""), ("edly", ""), ("ies", "y"), ("ied", "y"),
        ("ing", ""), ("ed", ""), ("ers", ""), ("er", ""), ("ly", ""), ("es", ""), ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            w = w[: len(w) - len(suffix)] + repl
            break
    # "stopped" -> "stopp" -> "stop"; "hoping"/"hope" -> "hop"/"hop".
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything loaded from ``data/``: phrase sections, stop words, synonyms and feelings."""

    index: PhraseIndex
    """Every section matched anywhere (advice, reflection...), plus ``judgmental_label``,
    ``emotion_phrase`` (multi-word feelings) and ``synonym_phrase`` (multi-word synonyms)."""
    synonym_index: PhraseIndex
    """Only ``synonym_phrase``: for the speaker's line and key points."""
    start_combined: tuple[re.Pattern[str], tuple[tuple[int, str], ...]]
    """All ``*_start`` sections in one pattern, and (group index, section name) pairs."""
    start_filler: re.Pattern[str]
    """One lead-in filler word ("so", "well", "ok"...) skipped before a ``*_start`` cue."""
    speaker_asks_advice: re.Pattern[str]
    """Phrases in the speaker's line that ask for ideas."""
    stopwords: frozenset[str]
    """Words ignored when comparing content."""
    canon: dict[str, str]
    """Stem -> canonical stem of its synonym group (single words only)."""
    phrase_canon: dict[str, str]
    """Lowercase multi-word synonym -> canonical stem of its group."""
    emotion_family: dict[str, str]
    """Stem of a feeling word, or a lowercase feeling phrase -> its family (``sad``, ``anxious``...)."""


def _build() -> Lexicon:
    patterns = yaml.safe_load(_load_text("patterns.yaml"))
    sections: dict[str, list[str]] = {}
    at_start: dict[str, list[str]] = {}
    speaker_asks = _anywhere(patterns.pop("speaker_asks_advice"))
    for name, phrases in patterns.items():
        if name.endswith(_SENTENCE_START_ONLY):
            at_start[name] = phrases
        else:
            sections[name] = [_apostrophes(p) for p in phrases]

    labels = yaml.safe_load(_load_text("labels.yaml"))
    person = "|".join(re.escape(w) for w in labels["person_labels"])
    sections["judgmental_label"] = [w.replace(" ", r"\s+") for w in labels["words"]] + [
        rf"(?:an?|the|such an?|total|complete|real)\s+(?:\w+\s+)?(?:{person})"
    ]

    stopwords = frozenset(
        line.strip() for line in _load_text("stopwords.txt").splitlines() if line.strip()
        and not line.startswith("#")
    )

    canon: dict[str, str] = {}
    phrase_canon: dict[str, str] = {}
    for group in yaml.safe_load(_load_text("synonyms.yaml"))["groups"]:
        head = _stem(str(group[0]).split()[0])
        for entry in group:
            entry = str(entry).lower()
            if " " in entry:
                phrase_canon.setdefault(entry, head)
            else:
                canon.setdefault(_stem(entry), head)
    sections["synonym_phrase"] = [re.escape(p).replace(r"\ ", r"\s+") for p in phrase_canon]

    emotion_family: dict[str, str] = {}
    phrases: list[str] = []
    for family, members in yaml.safe_load(_load_text("emotions.yaml")).items():
        for entry in members:
            entry = str(entry).lower()
            if " " in entry:
                phrases.append(re.escape(entry).replace(r"\ ", r"\s+"))
            emotion_family.setdefault(entry if " " in entry else _stem(entry), family)
    sections["emotion_phrase"] = phrases
    index = PhraseIndex(sections)
    synonym_index = PhraseIndex({"synonym_phrase": sections["synonym_phrase"]})
    return Lexicon(index, synonym_index, _at_start(at_start), re.compile(_LEAD_FILLER), speaker_asks, stopwords,
                   canon, phrase_canon, emotion_family)


@cache
def lexicon() -> Lexicon:
    """The loaded lexicon (read from the data files the first time, then cached)."""
    return _build()


class _WordMemo(dict[str, str]):
    """A per-word cache filled on first look-up, read with ``map(memo.__getitem__, words)`` at C speed."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> str:
        value = self._compute(word)
        if len(self) < 500_000:  # bounded: real vocabularies are far smaller
            self[word] = value
        return value


def _family(low: str) -> str:
    return lexicon().emotion_family.get(_stem(low), "")


def _canon(word: str) -> str:
    lex = lexicon()
    low = lower_text(word)
    if low in lex.stopwords or len(low) < 3:
        return ""
    s = _stem(low)
    return lex.canon.get(s, s)


#: Lowercase word -> its feeling family or "" (see :func:`word_family`).
FAMILY = _WordMemo(_family)
#: Word -> its canonical content stem or "" (see :func:`canon_word`).
CANON = _WordMemo(_canon)


def word_family(low: str) -> str:
    """The feeling family of one lowercase word, or "" (cached per word)."""
    return FAMILY[low]


def emotion_family_of(phrase: str) -> str | None:
    """The feeling family of a word or phrase ("drained" -> ``tired``), or None if not a feeling word."""
    lex = lexicon()
    key = phrase.lower().strip()
    if " " in key:
        key = " ".join(key.split())
        return lex.emotion_family.get(key) or lex.emotion_family.get(_stem(key.split()[-1]))
    return lex.emotion_family.get(_stem(key))


def content_stems(text: str) -> set[str]:
    """Canonical stems of the content words of ``text`` (stop words dropped, synonyms merged)."""
    lex = lexicon()
    low = lower_text(text)
    tokens = tokenize(low)
    return content_stems_of(low, tokens, lex.synonym_index.scan(low, tokens).get("synonym_phrase", ()))


def content_stems_of(low: str, tokens: list[tuple[int, str]], phrases: Iterable[tuple[int, int]]) -> set[str]:
    """Like :func:`content_stems`, from an already tokenized text and its synonym phrase spans."""
    phrase_canon = lexicon().phrase_canon
    out = {phrase_canon.get(" ".join(low[a:b].split()), "") for a, b in phrases}
    out.update(map(CANON.__getitem__, [t for _, t in tokens]))
    out.discard("")
    return out


def canon_word(word: str) -> str:
    """The canonical stem of one word, or "" for a stop word or a very short word (cached)."""
    return CANON[word]
