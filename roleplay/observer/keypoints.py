"""Key points: does the listener's response carry a point of the speaker's turn, in any words?

A key point ("He felt on the edge of the group and left early") is reduced to the units of meaning a
paraphrase can keep: content-word stems, with synonyms merged (``data/synonyms.yaml``), irregular
verb forms joined to their plain form (``data/irregular.yaml``: "sat" and "sitting" both hold "sit",
"left" and "leaving" both "leave"), and each feeling word replaced by its feeling family
(``data/emotions.yaml``: "discouraged" meets "let down"). Words that only frame a key point for the
trainer ("felt", "the listener") are dropped (``key_point_ignore`` in ``data/words.yaml``). A point
counts as captured when the response holds enough of its units: one for a short point (one or two
units), otherwise two in five, rounded, of which one at least must be more than a common verb or
particle ("held", "back", "left", "tried": ``key_point_light`` in ``data/words.yaml``) when the point
has such a word.

Repetition is judged elsewhere: a response that copies the speaker word for word still captures the
points it repeats, and is flagged as parroting by ``parrot.py``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from roleplay.observer.lexicon import CANON, FAMILY, lexicon, word_set
from roleplay.observer.scan import TOKEN_RE, lower_text, scan

#: Prefix of a feeling-family unit, so that it never meets a word stem.
FEELING = "~"


@cache
def ignored_units() -> frozenset[str]:
    """The stems of the words that only frame a key point ("felt", "listener")."""
    return frozenset(CANON[w] for w in word_set("key_point_ignore")) - {""}


@cache
def light_units() -> frozenset[str]:
    """The stems of common verbs and particles that carry little of a point alone ("held", "back")."""
    return frozenset(CANON[w] for w in word_set("key_point_light")) - {""}


@lru_cache(maxsize=4096)
def point_units(point: str) -> frozenset[str]:
    """The units of meaning of a key point (cached: a scenario's key points come back every round)."""
    toks = TOKEN_RE.findall(lower_text(point))
    hits = scan(lexicon().speaker, toks)
    units: set[str] = set()
    in_feeling: set[int] = set()
    for a, b, fam in hits.get("emotion_phrase", ()):
        units.add(FEELING + str(fam))
        in_feeling.update(range(a, b))
    for i, tok in enumerate(toks):
        if i in in_feeling:
            continue
        if fam := FAMILY[tok]:
            units.add(FEELING + fam)
        elif unit := CANON[tok]:
            units.add(unit)
    units.update(str(p) for a, _, p in hits.get("synonym_phrase", ()) if a not in in_feeling)
    return frozenset(units - ignored_units())


def needed(n_units: int) -> int:
    """How many of a key point's units a response must hold for the point to count as captured."""
    return 1 if n_units <= 2 else max(1, round(n_units * 0.4))


def response_units(canons: list[str], synonym_spans: list, feelings: list[tuple[int, int, str]]
                   ) -> dict[str, tuple[int, int]]:
    """Unit -> the first token span of the response that carries it (stems, synonym phrases, feelings)."""
    units: dict[str, tuple[int, int]] = {}
    for a, b, p in synonym_spans:
        units.setdefault(str(p), (a, b))
    for a, b, fam in feelings:
        units.setdefault(FEELING + fam, (a, b))
    for i, c in enumerate(canons):
        if c and c not in units:
            units[c] = (i, i + 1)
    return units


def captured(point: str, units: dict[str, tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Token spans of the response that carry ``point`` (in text order), or None if it is missed.

    A point with no unit at all (only framing words) is never captured.
    """
    kp = point_units(point)
    if not kp:
        return None
    held = [u for u in kp if u in units]
    if len(held) < needed(len(kp)):
        return None
    # Enough units by count, but only single common verbs or particles: one such word ("coming",
    # "left") turns up in any sentence, and beside a feeling the point is about the feeling ("held
    # back and felt foolish" is not carried by "what held you back at work?"). Two of them together
    # can be the point itself ("go back", "come back"), and an idiom for one ("had a go", "put
    # yourself out there") is a deliberate restatement, not a word met by chance.
    light = light_units()
    if not kp <= light and all(u in light and units[u][1] - units[u][0] == 1 for u in held) and (
            len(held) < 2 or any(u.startswith(FEELING) for u in kp)):
        return None
    return sorted({units[u] for u in held})


# A capitalised word of the speaker's line is taken for a person's name when it stands inside a
# sentence ("...and Pat asks"), or opens one before a verb of saying or doing ("Ellie made me").
_NAME_RE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?]))\s*([A-Z][a-z]+)\b|(?<=[a-z,;:]\s)([A-Z][a-z]+)\b")
_NAME_VERBS = frozenset({"made", "makes", "says", "said", "rang", "rings", "asked", "asks", "thinks", "keeps",
                         "told", "tells", "wants", "came", "comes", "left", "leaves", "got", "gets", "is", "was",
                         "has", "had", "did", "does", "reckons", "calls", "called", "sent", "sends", "goes",
                         "went", "knows", "kept", "texted", "texts", "and", "won't", "doesn't", "didn't"})


_PLACE_WORDS = frozenset({"from", "in", "to", "at", "of", "near", "into", "round", "around", "through", "across", "on"})


@lru_cache(maxsize=4096)
def speaker_names(speaker: str) -> frozenset[str]:
    """The lowercase names of people in the speaker's line ("Ellie made me" -> {"ellie"})."""
    names: set[str] = set()
    stop = lexicon().stopwords
    for m in _NAME_RE.finditer(speaker):
        word = m.group(2) or m.group(1)
        low = word.lower()
        if low in stop or FAMILY[low] or low in ("i", "im"):
            continue
        if m.group(2):
            before = speaker[: m.start(2)].split()
            if not before or before[-1].lower().strip(",;:") not in _PLACE_WORDS:  # "from Poland" is a place
                names.add(low)
            continue
        after = speaker[m.end():].split(maxsplit=1)
        if after and after[0].strip(".,!?").lower() in _NAME_VERBS:
            names.add(low)
    return frozenset(names)


@lru_cache(maxsize=4096)
def relation_units(point: str, names: frozenset[str]) -> frozenset[str]:
    """The units of a key point that name a person by relation ("his partner", "her son"), for which a
    name of the speaker's line may stand; none when the point itself uses one of the names."""
    if not names.isdisjoint(TOKEN_RE.findall(lower_text(point))):
        return frozenset()
    return point_units(point) & _relations()


@cache
def _relations() -> frozenset[str]:
    return frozenset(CANON[w] for w in word_set("relation_words")) - {""}
