"""The observer's word lists and phrase patterns, loaded once from the readable files in ``data/``.

Tutors edit the data files; this module turns them into phrase tries (see ``scan.py``) and lookup
tables. It also holds the small suffix stemmer used to compare a paraphrase with the speaker's
words, so that "worried" and "worrying" count as the same word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from roleplay.observer.cache import digest, load_cached
from roleplay.observer.scan import TOKEN_RE, Trie, build_trie, flatten_trie, lower_text, scan, unflatten_trie

_SENTENCE_START_ONLY = "_start"
# Sections of patterns.yaml that are not response cues.
_SPECIAL = ("lead_in", "speaker_asks_advice", "complex_reflection")


#: The files of ``data/`` the lexicon is built from (their bytes stamp the build cache).
DATA_FILES = ("patterns.yaml", "labels.yaml", "stopwords.txt", "synonyms.yaml", "irregular.yaml",
              "emotions.yaml", "words.yaml")
#: Bump when the built form changes (what ``_build_data`` writes), so that old cache files are rebuilt.
BUILD_FORMAT = 3


#: The package's ``data`` folder (a plain path: importing ``importlib.resources`` for it cost more than
#: the rest of the lexicon's start-up; the package is always installed as files).
DATA_DIR = Path(__file__).parent / "data"


def _load_text(name: str) -> str:
    """Read one file from the package's ``data`` folder."""
    return (DATA_DIR / name).read_text(encoding="utf-8")


def _yaml(name: str) -> Any:
    """One data file through the project's one safe YAML reader (imported only when the cache is built)."""
    from roleplay.content.yamlsafe import load_data_yaml

    source = DATA_DIR / name
    return load_data_yaml(source, source.read_bytes())


def data_stamp() -> str:
    """The sha256 of the data files and the build format: the build cache's stamp."""
    return digest([f"lexicon {BUILD_FORMAT}", *(p for n in DATA_FILES for p in (n, _load_text(n)))])


@cache
def _data() -> dict[str, Any]:
    """The built lexicon as plain data, from the build cache (built and saved the first time)."""
    return load_cached("lexicon", data_stamp(), _build_data)


def _word_lists() -> dict[str, list[str]]:
    return _data()["words"]


def pattern_sections() -> dict[str, dict[str, list[str]]]:
    """Each section of ``data/patterns.yaml`` with its ``phrases`` and its test ``examples`` and ``not`` lists.

    A section is either a list of phrases or a mapping with ``phrases`` and optionally ``examples``
    (responses it must match) and ``not`` (responses it must not), which the tests read.
    """
    return _data()["sections"]


def word_set(name: str) -> frozenset[str]:
    """One list of ``data/words.yaml`` as a set of lowercase words (curly apostrophes made straight)."""
    return frozenset(str(w).lower().replace("’", "'") for w in _word_lists()[name])


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


# Regular endings: inflections ("worry" -> "worries", "worried", "worrying"), then derivations
# ("hurtful", "sadness") that keep a feeling word's meaning but not, in general, a content word's.
_INFLECTIONS = ("s", "es", "ed", "d", "ing")
_DERIVATIONS = ("ly", "ness", "er", "est", "ful")
# Endings that start with a vowel: they take the doubled consonant ("mad" -> "madder") or drop a
# final "e" ("scare" -> "scared").
_VOWEL_ENDINGS = ("ed", "ing", "er", "est", "es")
_Y_ENDINGS = ("es", "ed", "er", "est", "ness", "ly", "ful")


def word_forms(word: str, derived: bool = True) -> set[str]:
    """A word and the forms made from it with regular endings ("worry" -> "worried", "worrying"...).

    Feeling words are matched on these forms rather than on a shared stem: two unrelated words can
    reduce to one stem ("bitter" and "bit", "gutted" and "guts", "made" and "mad"), and "a bit
    lonely" names one feeling, not two. Forms are only ever built forwards from the listed word.
    ``derived=False`` keeps to inflections (no "-ly", "-ness", "-er", "-est", "-ful").
    """
    endings = _INFLECTIONS + _DERIVATIONS if derived else _INFLECTIONS
    forms = {word} | {word + e for e in endings}
    if word.endswith("e"):
        forms |= {word[:-1] + e for e in _VOWEL_ENDINGS if e in endings}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "i" + e for e in _Y_ENDINGS if e in endings}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + e for e in _VOWEL_ENDINGS if e in endings}  # "mad" -> "madder"
    return forms


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything loaded from ``data/``: phrase tries, stop words, synonyms and feelings."""

    anywhere: Trie
    """Every cue section matched anywhere (advice, reflection...), plus ``judgmental_label``,
    ``complex_reflection``, ``emotion_phrase`` (payload: family) and ``synonym_phrase`` (payload:
    canonical stem)."""
    at_start: Trie
    """The ``*_start`` sections, tried only at the start of a sentence, and ``lead_in``: words
    skipped before them ("so", "well", "ok"...)."""
    speaker: Trie
    """For the speaker's line: ``speaker_asks_advice``, ``emotion_phrase`` and ``synonym_phrase``."""
    synonyms: Trie
    """Only ``synonym_phrase``: for key points."""
    stopwords: frozenset[str]
    """Words ignored when comparing content."""
    canon: dict[str, str]
    """Stem -> canonical stem of its synonym group (single words only)."""
    irregular: dict[str, str]
    """An irregular verb form ("sat", "left", "made") -> the stem of its plain form ("sit", "leav", "mak")."""
    emotion_family: dict[str, str]
    """A feeling word in each of its regular forms (see :func:`word_forms`), or a lowercase feeling
    phrase -> its family (``sad``, ``anxious``...)."""
    also_families: dict[str, list[str]]
    """A feeling word or phrase listed in more than one family -> its other families."""


def _sections(raw: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """``patterns.yaml`` with every section as ``{"phrases": [...], "examples": [...], "not": [...]}``."""
    out: dict[str, dict[str, list[str]]] = {}
    for name, body in raw.items():
        if isinstance(body, dict):
            out[name] = {k: [str(x) for x in body.get(k) or ()] for k in ("phrases", "examples", "not")}
        else:
            out[name] = {"phrases": [str(x) for x in body], "examples": [], "not": []}
    return out


def _build_data() -> dict[str, Any]:
    """Build the lexicon from the data files, as JSON-ready data (the slow part: seconds)."""
    sections = _sections(_yaml("patterns.yaml"))
    words: dict[str, list[str]] = _yaml("words.yaml")
    anywhere: dict[str, Iterable[tuple[str, Any]]] = {}
    at_start: dict[str, Iterable[tuple[str, Any]]] = {}
    for name, body in sections.items():
        pairs: list[tuple[str, Any]] = [(p, None) for p in body["phrases"]]
        if name.endswith(_SENTENCE_START_ONLY) or name == "lead_in":
            at_start[name] = pairs
        elif name != "speaker_asks_advice":
            anywhere[name] = pairs

    labels = _yaml("labels.yaml")
    person = "|".join(labels["person_labels"])
    anywhere["judgmental_label"] = [(w, None) for w in labels["words"]] + [
        (f"(a|an|the|such a|such an|total|complete|real) (\\w+ )?({person})", None)
    ]

    stopwords = sorted(
        line.strip() for line in _load_text("stopwords.txt").splitlines() if line.strip()
        and not line.startswith("#")
    )

    canon: dict[str, str] = {}
    synonym_phrases: list[tuple[str, object]] = []
    for group in _yaml("synonyms.yaml")["groups"]:
        head = _stem(str(group[0]).split()[0])
        for entry in group:
            entry = str(entry).lower()
            if " " in entry:
                synonym_phrases.append((entry, head))
            else:
                # Every regular form, not only the listed one: the stemmer does not always bring two
                # forms to one stem ("try" stays "try", "tried" becomes "tri").
                for form in sorted(word_forms(entry, derived=False), key=lambda f: (f != entry, f)):
                    canon.setdefault(_stem(form), head)
    anywhere["synonym_phrase"] = synonym_phrases

    irregular = {str(form).lower(): _stem(str(base).lower())
                 for base, forms in _yaml("irregular.yaml").items() for form in forms}

    emotion_family: dict[str, str] = {}
    also: dict[str, list[str]] = {}
    emotion_phrases: list[tuple[str, object]] = []
    not_feelings = frozenset(str(w).lower().replace("’", "'") for w in words["not_feelings"])
    for family, members in _yaml("emotions.yaml").items():
        for entry in members:
            entry = str(entry).lower()
            if " " in entry:
                emotion_phrases.append((entry, family))
            for form in (entry,) if " " in entry else word_forms(entry) - not_feelings:
                emotion_family.setdefault(form, family)
                if emotion_family[form] != family:  # listed in two families ("gutted": sad and disappointed)
                    also.setdefault(form, [])
                    if family not in also[form]:
                        also[form].append(family)
    anywhere["emotion_phrase"] = emotion_phrases

    speaker: dict[str, Iterable[tuple[str, Any]]] = {
        "speaker_asks_advice": [(p, None) for p in sections["speaker_asks_advice"]["phrases"]],
               "emotion_phrase": emotion_phrases, "synonym_phrase": synonym_phrases}
    return {
        "tries": {
            "anywhere": flatten_trie(build_trie(anywhere, mark=False)),
            "at_start": flatten_trie(build_trie(at_start, mark=False)),
            "speaker": flatten_trie(build_trie(speaker, mark=False)),
            "synonyms": flatten_trie(build_trie({"synonym_phrase": synonym_phrases}, mark=False)),
        },
        "stopwords": stopwords,
        "canon": canon,
        "irregular": irregular,
        "emotion_family": emotion_family,
        "also_families": also,
        "words": words,
        "sections": sections,
    }


def _build() -> Lexicon:
    d = _data()
    tries = d["tries"]
    return Lexicon(
        anywhere=unflatten_trie(tries["anywhere"]),
        at_start=unflatten_trie(tries["at_start"]),
        speaker=unflatten_trie(tries["speaker"]),
        synonyms=unflatten_trie(tries["synonyms"]),
        stopwords=frozenset(d["stopwords"]),
        canon=d["canon"],
        irregular=d["irregular"],
        emotion_family=d["emotion_family"],
        also_families=d["also_families"],
    )


@cache
def lexicon() -> Lexicon:
    """The loaded lexicon (read from the data files the first time, then cached).

    Batch runs also take the phrase tries out of the garbage collector's sight: see
    :func:`roleplay.observer.stream.prepare_batch` (not done here, as it affects the whole process).
    """
    return _build()


class _WordMemo(dict[str, str]):
    """A per-word cache filled on first look-up, read with ``map(memo.__getitem__, words)`` at C speed."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> str:
        value = self._compute(word)
        if len(self) < 200_000:  # bounded: real vocabularies are far smaller
            self[word] = value
        return value


def _family(low: str) -> str:
    return lexicon().emotion_family.get(low.replace("’", "'"), "")


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_NUMBERS = {w: str(i) for i, w in enumerate(_NUMBER_WORDS)}
_NUMBERS.update({w: str(10 * i) for i, w in enumerate(("thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                                        "ninety"), 3)})


def _numerals(word: str) -> str:
    """Number words inside a word as digits ("under-twelves" -> "under-12s", "twenty" -> "20")."""
    parts = []
    for part in word.split("-"):
        plural = part.endswith("s") and part[:-1] in _NUMBERS
        base = part[:-1] if plural else part
        parts.append(_NUMBERS[base] + ("s" if plural else "") if base in _NUMBERS else part)
    return "-".join(parts)


def _canon(word: str) -> str:
    lex = lexicon()
    low = lower_text(word)
    if low in lex.stopwords or len(low) < 3 or not low[0].isalnum():
        return ""
    # Numbers written in words meet numbers in digits: "under-twelves" is "under-12s".
    if low in _NUMBERS or "-" in low:
        low = _numerals(low)
    # An irregular form is looked up whole: "made" must reach "make", not the stem it shares with "mad".
    s = lex.irregular.get(low) or _stem(low)
    return lex.canon.get(s, s)


#: Lowercase token -> its feeling family or "" (see :func:`word_family`).
FAMILY = _WordMemo(_family)
#: Token -> its canonical content stem or "" (see :func:`canon_word`).
CANON = _WordMemo(_canon)


_SEEN: set[str] = set()
_FEELING: dict[str, str] = {}


def feeling_words(toks: list[str]) -> list[tuple[int, int, str]]:
    """(index, index + 1, family) of every feeling word among ``toks``.

    Set operations find the rare tokens that are feeling words, instead of a look-up per token; a
    token is stemmed the first time it is seen (the sets are bounded).
    """
    if not _SEEN.issuperset(toks):
        if len(_SEEN) >= 200_000:  # unbounded input vocabulary: fall back to a look-up per token
            return [(i, i + 1, f) for i, f in enumerate(map(FAMILY.__getitem__, toks)) if f]
        for tok in set(toks).difference(_SEEN):
            _SEEN.add(tok)
            if fam := FAMILY[tok]:
                _FEELING[tok] = fam
    hit = _FEELING.keys() & toks
    if not hit:
        return []
    return [(i, i + 1, FAMILY[t]) for i, t in enumerate(toks) if t in hit]


def word_family(low: str) -> str:
    """The feeling family of one lowercase word, or "" (cached per word)."""
    return FAMILY[low]


def emotion_family_of(phrase: str) -> str | None:
    """The feeling family of a word or phrase ("drained" -> ``tired``), or None if not a feeling word."""
    lex = lexicon()
    key = " ".join(TOKEN_RE.findall(lower_text(phrase)))
    if not key:
        return None
    if " " in key:
        return lex.emotion_family.get(key) or lex.emotion_family.get(key.split()[-1])
    return lex.emotion_family.get(key)


def content_stems_of(toks: list[str], synonym_spans: list[tuple[int, int, object]]) -> set[str]:
    """Canonical stems of the content tokens (stop words dropped, synonyms merged, phrases added)."""
    out = set(map(CANON.__getitem__, toks))
    out.update(str(p) for _, _, p in synonym_spans)
    out.discard("")
    return out


def content_stems(text: str) -> set[str]:
    """Canonical stems of the content words of ``text`` (stop words dropped, synonyms merged)."""
    toks = TOKEN_RE.findall(lower_text(text))
    return content_stems_of(toks, scan(lexicon().synonyms, toks).get("synonym_phrase", []))


def canon_word(word: str) -> str:
    """The canonical stem of one word, or "" for a stop word or a very short word (cached)."""
    return CANON[word]
