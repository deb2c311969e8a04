"""The observer's first two stages: find the cues of a response, then cut it into sentences.

``find_cues`` cuts the response once into tokens and finds every cue phrase of ``data/patterns.yaml``
with one walk of the phrase trie (``scan.py``), a phrase being read whole (words inside a longer
phrase of another section do not count again). ``read_sentences`` cuts the response into sentences
(``sentences.py``), hands each sentence the cues that fall in it and adds the cues that only count at
a sentence's start. What each sentence does is decided in the next stage (``acts.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass

from roleplay.observer.lexicon import lexicon
from roleplay.observer.scan import lower_text, scan, tokenize
from roleplay.observer.sentences import Hits, Sentence, split, start_cues

#: Cue sections reported as signals; the order is the order signals are reported in.
ANYWHERE = (
    "reflection", "check_understanding", "advice", "permission", "shared_power", "autonomy",
    "affirmation", "reassurance", "sympathy", "self_disclosure", "information", "resource", "other",
    "acknowledgement", "social_question",
    "closing", "minimisation", "judgment", "persuade",
)
_ANYWHERE_SET = frozenset(ANYWHERE)
_ORDER = {name: i for i, name in enumerate(ANYWHERE)}
# An acknowledgement ("ok", "right") is the sentence's move only in a sentence of at most this many words.
_ACK_WORDS = 4


@dataclass(slots=True)
class Cues:
    """Stage 1: the response cut into tokens, and the cue phrases found in it."""

    text: str
    """The response, stripped: evidence is cut from it."""
    low: str
    """The response lowercased with straight apostrophes (same offsets as ``text``)."""
    toks: list[str]
    """Its tokens: words and the marks . ? ! , and line breaks."""
    bounds: list[int]
    """Token k spans ``text[bounds[2k]:bounds[2k+1]]``."""
    hits: Hits
    """Section -> (start, end, payload) token spans of its phrases (``speaker_frame`` taken out)."""
    frames: list[tuple[int, int, object]] | None
    """The ``speaker_frame`` spans: the speaker's own doubt or burden reported back."""
    present: Collection[str]
    """The cue sections of :data:`ANYWHERE` found, in reporting order."""

    def cut(self, a: int, b: int) -> str:
        """The original text of tokens a..b-1."""
        return self.text[self.bounds[2 * a] : self.bounds[2 * b - 1]]


@dataclass(slots=True)
class Sentences:
    """Stage 2: the response's sentences, each holding the cues that fall in it."""

    sentences: list[Sentence]
    starts: list[int]
    """Where each sentence starts (``[0]`` for one sentence): ``bisect`` finds a token's sentence."""
    present: Collection[str]
    """The cue sections still present (an acknowledgement in a long sentence is no move)."""
    n_words: int
    """Words in the response (commas and end marks not counted)."""


def find_cues(response: str) -> Cues:
    """Stage 1: tokens and cue phrases of one response (see the module docstring)."""
    text = response.strip()
    low = lower_text(text)
    toks, bounds = tokenize(low)
    hits = scan(lexicon().anywhere, toks)
    frames = hits.pop("speaker_frame", None)
    if frames:
        _unframe(hits, frames)
    # The cue sections present, in reporting order (a C-level sort, not a loop over every section).
    present: Collection[str] = _ANYWHERE_SET.intersection(hits)
    if len(present) > 1:
        present = _subsume(hits, sorted(present, key=_ORDER.__getitem__))
    return Cues(text, low, toks, bounds, hits, frames, present)


def read_sentences(cues: Cues) -> Sentences:
    """Stage 2: the sentences of the response, each with its cues and its start-only cues."""
    toks, hits = cues.toks, cues.hits
    sentences = split(toks, cues.low)
    starts = [s.start for s in sentences] if len(sentences) > 1 else [0]
    present = cues.present
    if "acknowledgement" in present:
        present = _short_acknowledgements(hits, sentences, starts, present)
    if len(sentences) == 1:
        own = sentences[0].cues
        for name in present:
            a, b, _ = hits[name][0]
            own[name] = (a, b)
    else:
        for name in present:
            for a, b, _ in hits[name]:
                sentences[bisect_right(starts, a) - 1].cues.setdefault(name, (a, b))
    if cues.frames:
        # Kept on the sentence (with no weight) so that a modal inside the frame is not read as an
        # option offered ("something you should keep up"): see ``fallback.py``.
        for a, b, _ in cues.frames:
            sentences[bisect_right(starts, a) - 1].cues.setdefault("speaker_frame", (a, b))
    start_cues(lexicon(), toks, sentences)
    n_words = sentences[0].n if len(sentences) == 1 else sum([s.n for s in sentences])
    return Sentences(sentences, starts, present, n_words)


def _subsume(hits: Hits, present: list[str]) -> list[str]:
    """Drop cues that start inside a longer phrase of another section; return the sections left.

    A phrase is read as a whole: in "I know you can get through this" the words "you can get" belong
    to the reassurance, so they are not also advice. Of cues starting at the same word, the longest
    reading wins, as within a section: "you must be exhausted" is a reflection of feeling, not the
    advice "you must"; cues of the same length there both stay.
    """
    # Longest first at each word (b negated), so the first span seen at a word is its longest.
    spans = sorted([(a, -b, name) for name in present for a, b, _ in hits[name]])
    drop: set[tuple[str, int]] = set()
    reach = 0  # the furthest end of the phrases that start before the current word
    longest = 0  # the end of the longest phrase starting at the current word
    current = -1
    for a, nb, name in spans:
        if a != current:
            if longest > reach:
                reach = longest
            longest, current = -nb, a
        if a < reach or -nb < longest:
            drop.add((name, a))
    if not drop:
        return present
    for name in {n for n, _ in drop}:
        kept = [h for h in hits[name] if (name, h[0]) not in drop]
        if kept:
            hits[name] = kept
        else:
            del hits[name]
    return [n for n in present if n in hits]


def _short_acknowledgements(hits: Hits, sentences: list[Sentence], starts: list[int],
                            present: Collection[str]) -> Collection[str]:
    """Keep only the acknowledgements in short sentences ("ok.", "very true"), see ``patterns.yaml``.

    Returns the cue sections still present.
    """
    # A sentence made of nothing but encouragers ("Carry on, I am listening.") is one however long.
    covered: dict[int, int] = {}
    for a, b, _ in hits["acknowledgement"]:
        i = bisect_right(starts, a) - 1
        covered[i] = covered.get(i, 0) + b - a
    kept = [h for h in hits["acknowledgement"]
            if (sent := sentences[bisect_right(starts, h[0]) - 1]).n <= _ACK_WORDS
            or covered[bisect_right(starts, h[0]) - 1] >= sent.n]
    if kept:
        hits["acknowledgement"] = kept
        return present
    del hits["acknowledgement"]
    return [n for n in present if n != "acknowledgement"]


def _unframe(hits: Hits, frames: list[tuple[int, int, object]]) -> None:
    """Drop the cues that start inside a ``speaker_frame`` phrase (see ``data/patterns.yaml``).

    Those words report the speaker's own doubt or burden back ("you're wondering whether it's
    normal...", "something you have to keep up"): they are not the listener reassuring or directing.
    A cue starting at the frame's first word stays ("you're wondering" is still a reflection).
    """
    for name in [n for n in hits if n in _ANYWHERE_SET or n == "judgmental_label"]:
        kept = [h for h in hits[name] if not any(a < h[0] < b for a, b, _ in frames)]
        if len(kept) < len(hits[name]):
            if kept:
                hits[name] = kept
            else:
                del hits[name]
