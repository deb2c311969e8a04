"""Fit the key-point evidence weights of ``roleplay/observer/meaning.py`` on the development part.

Run ``python -m benchmarks.fit_keypoints``: it observes every development reply of
``benchmarks/data/replies.yaml`` (the held-out third is never read), records the evidence
(``meaning.FEATURES``) for each of the turn's key points beside the annotation, fits a logistic
regression (plain gradient descent, deterministic), picks the capture threshold by five-fold
cross-validation grouped by turn (F1 of the out-of-fold predictions, smoothed over neighbouring
thresholds), and prints the constants to paste into ``meaning.py`` (``--write`` writes them there).
``--check`` exits non-zero when the shipped constants differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from benchmarks.replies import Case, cases
from roleplay.observer import heard, meaning, observe

_FOLDS = 5
_L2 = 0.01
_STEPS = 3000


def _features(selected: list[Case]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Evidence rows, gold labels and each row's turn, for every (reply, key point) pair."""
    rows: list[tuple[float, ...]] = []
    real = heard.point_features

    def record(*args: object) -> tuple[float, ...]:
        got = real(*args)  # type: ignore[arg-type]
        rows.append(got)
        return got

    gold: list[bool] = []
    turns: list[str] = []
    heard.point_features = record  # type: ignore[assignment]
    # The shipped weights play no part in the evidence (and may not fit a new feature list yet).
    shipped = meaning.point_probability
    meaning.point_probability = lambda features: 0.0  # type: ignore[assignment]
    try:
        for c in selected:
            before = len(rows)
            observe(c.reply, c.speaker, c.key_points, c.feelings)
            # Points with no unit of meaning are skipped by the stage, and here too.
            kept = [i for i, p in enumerate(c.key_points) if heard.point_units(p)]
            assert len(rows) - before == len(kept), "one evidence row per key point"
            gold.extend(i in c.points for i in kept)
            turns.extend(c.turn for _ in kept)
    finally:
        heard.point_features = real  # type: ignore[assignment]
        meaning.point_probability = shipped  # type: ignore[assignment]
    return np.array(rows, dtype=float), np.array(gold, dtype=bool), turns


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + _L2 * w)
        b -= 0.5 * float((p - y).mean())
    return mean, scale, w, b


def _prob(x: np.ndarray, fit: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> np.ndarray:
    mean, scale, w, b = fit
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ w + b)))


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    tp, fp, fn = int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit() -> dict[str, object]:
    """The fitted constants and the cross-validated threshold, from the development part only."""
    dev = [c for c in cases() if not c.held_out]
    x, y, turns = _features(dev)
    order = sorted(set(turns))
    fold = {t: i % _FOLDS for i, t in enumerate(order)}
    folds = np.array([fold[t] for t in turns])
    out_of_fold = np.zeros(len(y))
    for f in range(_FOLDS):
        train = folds != f
        out_of_fold[~train] = _prob(x[~train], _fit(x[train], y[train]))
    grid = [round(t, 2) for t in np.arange(0.2, 0.71, 0.01)]
    # The F1 curve is flat and jagged near its top: the threshold with the best mean F1 over its
    # neighbours (0.03 either side) is steadier than the single best point.
    scores = {t: _f1(y, out_of_fold >= t) for t in grid}

    def smooth(t: float) -> float:
        near = [v for u, v in scores.items() if abs(u - t) <= 0.031]
        return sum(near) / len(near)

    threshold = max(grid, key=lambda t: (smooth(t), -abs(t - 0.5)))
    mean, scale, w, b = _fit(x, y)
    return {"mean": tuple(round(float(v), 4) for v in mean), "scale": tuple(round(float(v), 4) for v in scale),
            "weights": tuple(round(float(v), 4) for v in w), "bias": round(b, 4), "threshold": threshold,
            "cv_f1": _f1(y, out_of_fold >= threshold), "pairs": len(y)}


def main() -> None:
    """Print the constants (``--check``: compare them with the shipped ones)."""
    got = fit()
    print(f"# {got['pairs']} development pairs, cross-validated F1 {got['cv_f1']:.3f}")
    print(f"_MEAN = {got['mean']}\n_SCALE = {got['scale']}\n_WEIGHTS = {got['weights']}\n_BIAS = {got['bias']}")
    print(f"POINT_CAPTURED = {got['threshold']}")
    if "--write" in sys.argv:
        path = Path(meaning.__file__)
        text = path.read_text(encoding="utf-8")
        for name, key in (("_MEAN", "mean"), ("_SCALE", "scale"), ("_WEIGHTS", "weights"), ("_BIAS", "bias"),
                          ("POINT_CAPTURED", "threshold")):
            text = re.sub(rf"^{name} = .*$", f"{name} = {got[key]}", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
        print(f"written to {path}")
    elif "--check" in sys.argv:
        shipped = (meaning._MEAN, meaning._SCALE, meaning._WEIGHTS, meaning._BIAS, meaning.POINT_CAPTURED)
        if shipped != (got["mean"], got["scale"], got["weights"], got["bias"], got["threshold"]):
            sys.exit("the constants in roleplay/observer/meaning.py differ from this fit")


if __name__ == "__main__":
    main()
