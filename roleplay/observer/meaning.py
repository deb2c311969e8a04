"""Key points and feelings matched by meaning, weighed together with the word evidence of ``keypoints.py``.

A key point is carried by a reply when the evidence for it, taken together, is strong enough
(:func:`point_probability`, a logistic regression over :data:`FEATURES`): how close the reply's
closest run of 3 to 8 words is to the point (the cosine of their vectors, ``embed.py``), how close
the reply's words come one by one to the point's content words (synonyms and near words:
"nudged" for "pushed"), whether the reply meets another of the turn's points better, how much of
the reply only asks, suggests, labels or plays things down, the reply's length, and the point's
units held by the reply's words. A probability just below :data:`POINT_CAPTURED` is weak evidence:
the observer then says it is not sure (down to :data:`POINT_UNSURE`). ``heard.py`` adds that a
point is never credited on one word alone and shows the reply's own words that carry it.

A feeling of the turn is conveyed by meaning when a word or two-word phrase of a sentence about the
speaker is close to it (:data:`FEELING_MATCH`): "gutted" for disappointed, "on edge" for anxious.

The weights and thresholds were set on the development two thirds of ``benchmarks/data/replies.yaml``
only (the held-out third and ESConv played no part): ``python -m benchmarks.fit_keypoints`` refits
them and ``--check`` says whether the shipped ones are current.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from roleplay.observer.embed import Embedder, embedder
from roleplay.observer.embed import words as embed_words
from roleplay.observer.keypoints import ignored_units
from roleplay.observer.lexicon import CANON
from roleplay.observer.numeric import np

__all__ = ["Embedder", "embedder", "feeling_matches", "point_matches", "point_matches_many",
           "point_probability", "soft_overlaps"]

#: Cosine from which a word or two of the reply conveys one of the turn's feelings.
FEELING_MATCH = 0.67


#: What :func:`point_probability` reads, in order (see ``benchmarks/fit_keypoints.py``):
#: ``soft`` the mean, over the point's content words, of the closest reply word's cosine;
#: ``window`` the best window cosine (:func:`point_matches`); ``rel`` that cosine less the best
#: window cosine of any of the turn's points (a reply that meets another point better is about that
#: one); ``questions`` 1 when every sentence of the reply asks or suggests (nothing is restated);
#: ``log_words`` log(1 + words of the reply); ``heavy`` the point's units held by the reply's words
#: that are more than a common verb or particle; ``frac`` the share of the point's units held;
#: ``by_words`` 1 when the word rule of ``keypoints.py`` finds the point.
FEATURES = ("soft", "window", "rel", "questions", "log_words", "heavy", "frac", "by_words")
# Logistic regression on the development two thirds of benchmarks/data/replies.yaml only (the
# held-out third and ESConv took no part): `python -m benchmarks.fit_keypoints` prints these.
# Each feature is standardised with MEAN and SCALE, then weighed; BIAS is the intercept.
_MEAN = (0.3464, 0.2763, -0.1615, 0.2498, 2.5961, 0.603, 0.1621, 0.2434)
_SCALE = (0.1937, 0.2177, 0.1835, 0.4144, 0.4604, 0.9519, 0.2435, 0.4292)
_WEIGHTS = (0.6256, 0.7418, 0.5193, -0.9402, 0.7114, 0.2155, 0.0316, 0.4634)
_BIAS = -0.2739
#: Probability from which a key point counts as captured (chosen by cross-validation on the dev part).
POINT_CAPTURED = 0.46
#: Window cosine from which the best run of words is itself evidence for a point (with a word of weight in it).
POINT_RUN = 0.2
#: Probability from which a point not captured is reported as "not sure" (weak evidence, not counted).
POINT_UNSURE = POINT_CAPTURED - 0.1


def point_probability(features: Sequence[float]) -> float:
    """How likely the reply carries the key point, from its :data:`FEATURES` (logistic regression)."""
    z = _BIAS + sum(w * (x - m) / s for w, x, m, s in zip(_WEIGHTS, features, _MEAN, _SCALE, strict=True))
    return 1.0 / (1.0 + float(np.exp(-z)))


@lru_cache(maxsize=2048)
def _content_vectors(point: str) -> tuple[tuple[str, ...], np.ndarray] | None:
    model = embedder()
    if model is None:
        return None
    ws = tuple(dict.fromkeys(w for w in embed_words(point) if CANON[w] and CANON[w] not in ignored_units()))
    return ws, model.texts(ws)


def soft_overlaps(reply_words: Sequence[str], points: Sequence[str]) -> list[tuple[float, list[int]]] | None:
    """For each point: the mean over its content words of the best cosine with a content word of the
    reply (synonyms and near words count: "nudged" for "pushed"), and the reply word indices that
    are the closest match of one of its words at a cosine of :data:`SOFT_EVIDENCE` or more (the
    trainee's own words that carry the point). None without the model."""
    return soft_overlaps_many([reply_words], points)[0]


def soft_overlaps_many(replies: Sequence[Sequence[str]], points: Sequence[str]
                       ) -> list[list[tuple[float, list[int]]] | None]:
    """:func:`soft_overlaps` for several replies to the same key points: the replies' words are made
    unit vectors together, in one index of the word table."""
    model = embedder()
    if model is None:
        return [None] * len(replies)
    idxs = [[i for i, w in enumerate(ws) if CANON[w]] for ws in replies]
    uniqs = [list(dict.fromkeys(ws[i] for i in idx)) for ws, idx in zip(replies, idxs, strict=True)]
    every = list(dict.fromkeys(w for u in uniqs for w in u))
    row = {w: k for k, w in enumerate(every)}
    vectors = model.unit_words(every)
    got = [_content_vectors(point) for point in points]
    out: list[list[tuple[float, list[int]]] | None] = []
    for ws, idx, uniq in zip(replies, idxs, uniqs, strict=True):
        if not idx:
            out.append([(0.0, []) for _ in points])
            continue
        rv = vectors[[row[w] for w in uniq]]
        found: list[tuple[float, list[int]]] = []
        for content in got:
            if content is None or not content[0]:
                found.append((0.0, []))
                continue
            sims = content[1] @ rv.T
            best = sims.argmax(axis=1)
            vals = sims[np.arange(len(best)), best]
            near = {uniq[b] for b, v in zip(best.tolist(), vals.tolist(), strict=True) if v >= SOFT_EVIDENCE}
            found.append((float(vals.mean()), [i for i in idx if ws[i] in near]))
        out.append(found)
    return out


#: Cosine from which a reply word is shown as carrying one of a point's words.
SOFT_EVIDENCE = 0.6


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
