"""The shipped embedding model's files are the ones recorded beside them, and its centre vector is
current for the shipped scenarios (``scripts/build_embeddings.py --centre-only`` rebuilds it)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

from roleplay.observer.embed import model_dir

ROOT = Path(__file__).resolve().parents[2]
# The centre is the direction all text shares; a scenario edit moves it a hair (cosine 0.99999), which
# changes no decision. This much drift means many texts changed: rebuild it and refit the weights.
_CURRENT = 0.9995


def _build_script():
    spec = importlib.util.spec_from_file_location("build_embeddings", ROOT / "scripts" / "build_embeddings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_model_files_match_their_recorded_sha256() -> None:
    build = _build_script()
    recorded = json.loads((model_dir() / "SOURCE.json").read_text(encoding="utf-8"))["files"]
    assert set(recorded) == {"vectors.npy", "vocab.txt", "centre.npy"}
    for name, sha in recorded.items():
        assert build.sha256(model_dir() / name) == sha, f"{name} differs from SOURCE.json: rebuild the model"


def test_the_centre_vector_is_current_for_the_shipped_scenarios() -> None:
    build = _build_script()
    expected, n_texts = build.centre_vector(model_dir())
    shipped = np.load(model_dir() / "centre.npy", allow_pickle=False)
    assert n_texts > 100
    cosine = float(expected @ shipped / np.linalg.norm(expected) / np.linalg.norm(shipped))
    assert cosine >= _CURRENT, (
        f"centre.npy is stale (cosine {cosine:.5f} with today's scenarios): run "
        "`.venv/bin/python scripts/build_embeddings.py --centre-only`, then "
        "`.venv/bin/python -m benchmarks.fit_keypoints --write`")
    assert abs(float(np.linalg.norm(expected)) - float(np.linalg.norm(shipped))) < 0.01


def test_a_stale_centre_is_detected() -> None:
    """The check above can fail: a centre from other text is far from today's."""
    build = _build_script()
    expected, _ = build.centre_vector(model_dir())
    rng = np.random.default_rng(1)
    other = expected + rng.normal(0, 0.05, expected.shape).astype(np.float32)
    cosine = float(expected @ other / np.linalg.norm(expected) / np.linalg.norm(other))
    assert cosine < _CURRENT
