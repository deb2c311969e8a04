"""Near-verbatim repetition ("parroting"): the listener hands the speaker's own words back.

A paraphrase keeps the meaning in new words; a parrot keeps the words. The check swaps the
speaker's "I"/"my" for "you"/"your" (that swap alone does not make a paraphrase) and measures how
much of the response is covered by three-word runs taken from the speaker's line.
"""

from __future__ import annotations

# The pronoun swap a parroting listener makes.
SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
    "im": "you're", "am": "are", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "was": "were",
}
_NORM_RESPONSE = {"was": "were", "u": "you", "ur": "your"}
_LEAD_IN = frozenset({"so", "you", "feel", "like", "it", "sounds", "that", "are", "saying"})

#: Share of the response's words inside runs copied from the speaker's line that counts as parroting.
PARROT_COVERAGE = 0.6

Trigrams = frozenset[tuple[str, str, str]]


def speaker_trigrams(words: list[str]) -> Trigrams:
    """Three-word runs of the speaker's words, with the pronoun swap applied."""
    swapped = [SWAP.get(w, w) for w in words]
    return frozenset(zip(swapped, swapped[1:], swapped[2:], strict=False))


def parroting(words: list[str], grams: Trigrams) -> tuple[int, int] | None:
    """The longest run of response words copied from the speaker (word indices), or None.

    ``grams`` are the speaker's :func:`speaker_trigrams`.
    """
    n = len(words)
    if n < 4 or len(grams) < 1:
        return None
    low = words
    if not _NORM_RESPONSE.keys().isdisjoint(low):
        low = [_NORM_RESPONSE.get(w, w) for w in low]
    if len(grams.intersection(zip(low, low[1:], low[2:], strict=False))) < 2:
        return None  # fewer than two shared three-word runs: clearly not a parrot
    covered = [False] * n
    for i in range(n - 2):
        if (low[i], low[i + 1], low[i + 2]) in grams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    # Opening words such as "so you feel" do not make a paraphrase, so they do not count against it.
    counted = [c or (w in _LEAD_IN) for c, w in zip(covered, low, strict=True)]
    if sum(counted) < PARROT_COVERAGE * n or sum(covered) < 4:
        return None
    best_start, best_len, run_start = 0, 0, None
    for i, c in enumerate([*covered, False]):
        if c and run_start is None:
            run_start = i
        elif not c and run_start is not None:
            if i - run_start > best_len:
                best_start, best_len = run_start, i - run_start
            run_start = None
    return best_start, best_start + best_len
