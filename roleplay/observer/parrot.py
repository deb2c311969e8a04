"""Near-verbatim repetition ("parroting"): the listener hands the speaker's own words back.

A paraphrase keeps the meaning in new words; a parrot keeps the words. The check swaps the
speaker's "I"/"my" for "you"/"your" (that swap alone does not make a paraphrase) and measures how
much of the response is covered by three-word runs taken from the speaker's line.
"""

from __future__ import annotations

from functools import lru_cache

from roleplay.observer.lexicon import content_stems
from roleplay.observer.scan import lower_text, tokenize

# The pronoun swap a parroting listener makes.
_SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
    "im": "you're", "am": "are", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "was": "were",
}
_NORM_RESPONSE = {"was": "were", "u": "you", "ur": "your"}
_LEAD_IN = frozenset({"so", "you", "feel", "like", "it", "sounds", "that", "are", "saying"})

#: Share of the response's words inside runs copied from the speaker's line that counts as parroting.
PARROT_COVERAGE = 0.6


@lru_cache(maxsize=4096)
def speaker_content(speaker: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The speaker line's content stems, and its words with the pronoun swap applied (cached)."""
    if not speaker:
        return frozenset(), ()
    words = tuple(_SWAP.get(w, w) for _, w in tokenize(lower_text(speaker)))
    return frozenset(content_stems(speaker)), words


@lru_cache(maxsize=4096)
def _trigrams(words: tuple[str, ...]) -> frozenset[tuple[str, str, str]]:
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def parroting(tokens: list[tuple[int, str]], text: str, speaker_words: tuple[str, ...],
              words: list[str] | None = None) -> str:
    """The longest run of the response copied from the speaker, or "" when it is not parroting.

    ``words`` are the token words when the caller already has them.
    """
    n = len(tokens)
    if n < 4 or len(speaker_words) < 3:
        return ""
    grams = _trigrams(speaker_words)
    low = [w for _, w in tokens] if words is None else words
    if not _NORM_RESPONSE.keys().isdisjoint(low):
        low = [_NORM_RESPONSE.get(w, w) for w in low]
    if len(grams.intersection(zip(low, low[1:], low[2:], strict=False))) < 2:
        return ""  # fewer than two shared three-word runs: clearly not a parrot
    covered = [False] * n
    for i in range(n - 2):
        if (low[i], low[i + 1], low[i + 2]) in grams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    # Opening words such as "so you feel" do not make a paraphrase, so they do not count against it.
    counted = [c or (w in _LEAD_IN) for c, w in zip(covered, low, strict=True)]
    if sum(counted) < PARROT_COVERAGE * n or sum(covered) < 4:
        return ""
    best_start, best_len, run_start = 0, 0, None
    for i, c in enumerate([*covered, False]):
        if c and run_start is None:
            run_start = i
        elif not c and run_start is not None:
            if i - run_start > best_len:
                best_start, best_len = run_start, i - run_start
            run_start = None
    last_pos, last_word = tokens[best_start + best_len - 1]
    return text[tokens[best_start][0] : last_pos + len(last_word)]
