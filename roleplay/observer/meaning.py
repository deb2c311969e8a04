"""Key points and feelings matched by meaning, beside the word evidence of ``keypoints.py``.

A key point is carried by a reply when some run of 3 to 8 of the reply's words means nearly what the
point says: the cosine of their vectors (``embed.py``) is at least :data:`POINT_MATCH`. The same
reply can also carry a point by its words (stems, synonyms, feeling families); either counts, and a
point carried only by meaning highlights the best run of words. A cosine just above the threshold is
weak evidence: the observer then says it is not sure (:data:`POINT_SURE`).

A feeling of the turn is conveyed by meaning when a word or two-word phrase of a sentence about the
speaker is close to it (:data:`FEELING_MATCH`): "gutted" for disappointed, "on edge" for anxious.

The thresholds were set on the development two thirds of ``benchmarks/data/replies.yaml`` (the
held-out third and ESConv played no part): see ``benchmarks/bench_observer.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from roleplay.observer.embed import Embedder, embedder
from roleplay.observer.numeric import np

__all__ = ["Embedder", "embedder", "feeling_matches", "point_matches", "point_matches_many"]

#: Cosine (centred, see ``embed.py``) from which a run of reply words carries a key point.
POINT_MATCH = 0.24
#: Replies of fewer words than this need :data:`POINT_MATCH_SHORT` to carry a point by meaning.
SHORT_REPLY = 8
#: Cosine from which a run of a short reply's words carries a key point.
POINT_MATCH_SHORT = 0.36
#: Cosine below which word evidence for a key point is not believed (the words meet, the meaning does not).
POINT_WORDS_FLOOR = 0.1
#: Cosine from which a key point carried only by meaning is reported without "not sure".
POINT_SURE = 0.36
#: Cosine from which a word or two of the reply conveys one of the turn's feelings.
FEELING_MATCH = 0.67


@lru_cache(maxsize=2048)
def _point_vectors(points: tuple[str, ...]) -> np.ndarray | None:
    model = embedder()
    return None if model is None else model.texts(points)


def point_matches(words: Sequence[str], points: tuple[str, ...]) -> list[tuple[float, int, int]] | None:
    """For each key point, (best cosine, start word, end word) of the reply's closest run of words.

    None when the model is not installed (the observer then goes by words alone).
    """
    return point_matches_many([words], points)[0]


def point_matches_many(replies: Sequence[Sequence[str]], points: tuple[str, ...]
                       ) -> list[list[tuple[float, int, int]] | None]:
    """:func:`point_matches` for several replies to the same key points, in one batch of matrix work."""
    model = embedder()
    kp = _point_vectors(points)
    if model is None or kp is None:
        return [None] * len(replies)
    full = [ws for ws in replies if ws]
    best = iter(model.best_windows(full, kp) if full else ())
    return [next(best) if ws else None for ws in replies]


@lru_cache(maxsize=2048)
def _feeling_vectors(feelings: tuple[str, ...]) -> np.ndarray | None:
    model = embedder()
    return None if model is None else model.texts(feelings)


def feeling_matches(model: Embedder, candidates: Sequence[str], feelings: tuple[str, ...]) -> list[tuple[int, float]]:
    """(index of the feeling, cosine) for each candidate phrase that conveys one of ``feelings``, else (-1, best)."""
    fv = _feeling_vectors(feelings)
    if fv is None or not candidates:
        return []
    # Phrases come back again and again (a few hundred words make most replies): each (phrase,
    # feelings) pair is compared once.
    new = [c for c in dict.fromkeys(candidates) if (c, feelings) not in _SEEN]
    if new:
        sims = model.texts(new) @ fv.T
        best = sims.argmax(axis=1)
        if len(_SEEN) > 200_000:
            _SEEN.clear()
        for c, i, row in zip(new, best, sims, strict=True):
            _SEEN[(c, feelings)] = (int(i) if row[i] >= FEELING_MATCH else -1, float(row[i]))
    return [_SEEN[(c, feelings)] for c in candidates]


_SEEN: dict[tuple[str, tuple[str, ...]], tuple[int, float]] = {}
