"""Meaning by static embeddings: how close a key point or a feeling is to some words of a reply.

The model (``model/``: a token vector table distilled from all-MiniLM-L6-v2, see ``model/MODEL.md``)
gives each WordPiece token a vector; a run of words means the sum of its tokens' vectors, and two
runs are as close as the cosine of their sums. A key point is carried by a reply when some window of
3 to 8 consecutive words of the reply is close to it: the largest cosine over the windows is the
evidence, and the best window is what the card highlights. Only numpy and this file run at run time
(no torch, no tokenizer library): the WordPiece cut below is the BERT one, and the model's build
script checks that it cuts text exactly as the model's own tokenizer does.

The table is loaded once, on the first reply that needs it (one with key points or feelings), in a
few milliseconds (a plain ``.npy`` read, no pickle). Words are cut and summed once per distinct word.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from roleplay.observer.numeric import np

#: Shortest and longest window of reply words compared with a key point.
WINDOW = (3, 8)
# The observer's word rule (``scan.WORD_RE``), repeated here so that the model's build script can load
# this file without the package.
_WORD_RE = re.compile("[a-z0-9\u00c0-\u024f][a-z0-9\u00c0-\u024f'-]*")


def words(text: str) -> list[str]:
    """The lowercase words of a text, as the observer cuts them (curly apostrophes made straight)."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))
_UNK = "[UNK]"
_MAX_CHARS = 100  # BERT's limit: a longer "word" is one unknown token


def _is_punct(ch: str) -> bool:
    """BERT's punctuation: every ASCII non-alphanumeric printable, and Unicode category P*."""
    o = ord(ch)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(o: int) -> bool:
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF or 0x2A700 <= o <= 0x2B73F
            or 0x2B740 <= o <= 0x2B81F or 0x2B820 <= o <= 0x2CEAF or 0xF900 <= o <= 0xFAFF
            or 0x2F800 <= o <= 0x2FA1F)


class WordPiece:
    """BERT's uncased WordPiece tokenizer (normalise, split on spaces and punctuation, longest match)."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.index = dict(zip(vocab, range(len(vocab)), strict=True))
        self.unk = self.index.get(_UNK, 0)
        self._memo: dict[str, list[int]] = {}

    def _normalise(self, text: str) -> str:
        out = []
        for ch in text:
            o = ord(ch)
            cat = unicodedata.category(ch)
            if o == 0 or o == 0xFFFD or (cat.startswith("C") and ch not in "\t\n\r"):
                continue
            if ch in "\t\n\r" or cat == "Zs":
                out.append(" ")
            elif _is_cjk(o):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        text = unicodedata.normalize("NFD", "".join(out).lower())
        return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")

    def _piece(self, word: str) -> list[int]:
        if len(word) > _MAX_CHARS:
            return [self.unk]
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.index.get(sub)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk]
            ids.append(found)
            start = end
        return ids

    def chunk_ids(self, chunk: str) -> list[int]:
        """The token ids of one run of text without spaces (remembered: words come back)."""
        got = self._memo.get(chunk)
        if got is not None:
            return got
        ids: list[int] = []
        for part in self._normalise(chunk).split():
            word = ""
            for ch in part:
                if _is_punct(ch):
                    if word:
                        ids.extend(self._piece(word))
                        word = ""
                    ids.extend(self._piece(ch))
                else:
                    word += ch
            if word:
                ids.extend(self._piece(word))
        if len(self._memo) < 200_000:
            self._memo[chunk] = ids
        return ids

    def ids(self, text: str) -> list[int]:
        """The token ids of a text, as the model's own tokenizer gives them (no special tokens)."""
        return [i for chunk in text.split() for i in self.chunk_ids(chunk)]


def model_dir() -> Path:
    """The folder of the shipped model files."""
    return Path(__file__).parent / "model"


class Embedder:
    """Vectors for words and runs of words, from the shipped token table."""

    def __init__(self, vectors: np.ndarray, vocab: Sequence[str], centre: np.ndarray | None) -> None:
        self.vectors = vectors  # float16 as stored: rows are widened when a word is first summed
        #: The direction all text shares (``centre.npy``), removed before every cosine.
        self.centre = None if centre is None else centre.astype(np.float32)
        self.tokenizer = WordPiece(vocab)
        self.dims = int(vectors.shape[1])
        self._zero = np.zeros(self.dims, dtype=np.float32)
        self._words: dict[str, np.ndarray] = {}
        # Each word seen, summed once, as a row of one table: a batch's words are one fancy index.
        self._rows: dict[str, int] = {}
        self._table = np.zeros((1024, self.dims), dtype=np.float32)

    def word(self, word: str) -> np.ndarray:
        """The sum of the token vectors of one word (remembered per word)."""
        got = self._words.get(word)
        if got is None:
            ids = self.tokenizer.chunk_ids(word)
            got = self.vectors[ids].astype(np.float32).sum(axis=0) if ids else self._zero
            if len(self._words) < 200_000:
                self._words[word] = got
        return got

    def _unit(self, rows: np.ndarray) -> np.ndarray:
        """Rows made unit length, the shared direction taken off, and made unit length again."""
        norms = np.linalg.norm(rows, axis=-1, keepdims=True)
        norms[norms == 0] = 1.0
        rows = rows / norms
        if self.centre is None:
            return rows
        rows = rows - self.centre
        norms = np.linalg.norm(rows, axis=-1, keepdims=True)
        norms[norms == 0] = 1.0
        return rows / norms

    def text(self, text: str) -> np.ndarray:
        """The (centred) unit vector of a whole text."""
        return self.texts([text])[0]

    def texts(self, texts: Sequence[str]) -> np.ndarray:
        """Centred unit vectors of several texts, one row each."""
        if not texts:
            return np.zeros((0, self.dims), np.float32)
        return self._unit(np.stack([sum((self.word(w) for w in words(t)), self._zero) for t in texts]))

    def windows(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Centred unit vectors of every window of :data:`WINDOW` words, and each window's (start, end) word indices.

        A reply shorter than the shortest window is one window. Sums come from one running total,
        so every window costs one subtraction.
        """
        n = len(words)
        if n == 0:
            return np.zeros((0, self.dims), np.float32), np.zeros((0, 2), np.int64)
        total = np.zeros((n + 1, self.dims), dtype=np.float32)
        np.cumsum(np.stack([self.word(w) for w in words]), axis=0, out=total[1:])
        spans = _spans(n)
        return self._unit(total[spans[:, 1]] - total[spans[:, 0]]), spans


    def rows(self, words: Sequence[str]) -> list[int]:
        """Rows of :attr:`_table` holding the vectors of ``words`` (added on first sight).

        The table is bounded: when it would pass :data:`_MAX_ROWS` it starts again empty (so a row
        number is good until the next call).
        """
        get = self._rows.get
        out = [get(w, -1) for w in words]
        if -1 not in out:
            return out
        missing = [w for w in dict.fromkeys(words) if w not in self._rows]
        if len(self._rows) + len(missing) > _MAX_ROWS:
            self._rows.clear()
            missing = list(dict.fromkeys(words))
        need = len(self._rows) + len(missing)
        if need > len(self._table):
            grown = np.zeros((max(need, 2 * len(self._table)), self.dims), dtype=np.float32)
            grown[: len(self._rows)] = self._table[: len(self._rows)]
            self._table = grown
        for w in missing:
            k = len(self._rows)
            self._table[k] = self.word(w)
            self._rows[w] = k
        return [self._rows[w] for w in words]

    def unit_words(self, words: Sequence[str]) -> np.ndarray:
        """Centred unit vectors of single words, one row each: :meth:`texts` of one-word texts, taken
        from the word table in one index (no Python-level sum per word)."""
        if not words:
            return np.zeros((0, self.dims), np.float32)
        ids = self.rows(words)
        return self._unit(self._table[ids])

    def best_windows(self, replies: Sequence[Sequence[str]], targets: np.ndarray
                     ) -> list[list[tuple[float, int, int]]]:
        """For each reply (a non-empty list of words) and each row of ``targets`` (centred unit
        vectors): the largest cosine between the target and a window of :data:`WINDOW` words of the
        reply (centred, as :meth:`windows`), with that window's start and end word.

        All replies are done together, with one matrix product for the batch: a window's sum is
        linear in its words, so its dot products with the targets and the centre are differences of
        running totals of the words' own; its squared length is the sum of its words' dot products
        with each other, taken from running totals along the diagonals of the words' Gram matrix
        (a window holds at most eight words, so eight diagonals). Running totals are float64, so a
        long batch loses no precision.
        """
        lens = [len(ws) for ws in replies]
        ids = self.rows([w for ws in replies for w in ws])  # first: it may grow the table
        vecs = self._table[ids]
        n = len(vecs)
        m = len(targets)
        probes = targets if self.centre is None else np.vstack([targets, self.centre])
        dots = np.zeros((n + 1, len(probes)))
        np.cumsum(vecs @ probes.T, axis=0, out=dots[1:])
        offsets = np.cumsum([0, *lens[:-1]])
        own = [_spans(k) for k in lens]  # each reply's windows, counted from its first word
        counts = [len(x) for x in own]
        spans = np.concatenate(own) + np.repeat(offsets, counts)[:, None]
        a, b = spans[:, 0], spans[:, 1]
        width = b - a
        sq = np.zeros(len(spans))
        for d in range(min(WINDOW[1], n)):
            band = np.zeros(n + 1)
            np.cumsum(np.einsum("ij,ij->i", vecs[: n - d], vecs[d:]), out=band[1 : n - d + 1])
            part = band[np.maximum(b - d, 0)] - band[a]
            sq += np.where(width > d, part if d == 0 else 2.0 * part, 0.0)
        length = np.sqrt(np.maximum(sq, 1e-12))[:, None]
        window_dots = (dots[b] - dots[a]) / length  # cosines of the plain unit windows
        if self.centre is None:
            sims = window_dots
        else:
            cc = float(self.centre @ self.centre)
            ck = targets @ self.centre
            norm = np.sqrt(np.maximum(1.0 - 2.0 * window_dots[:, m:] + cc, 1e-12))
            sims = (window_dots[:, :m] - ck) / norm
        # Each reply's best window per target: the largest cosine of its segment of windows, and the
        # first window that has it (as argmax), for all replies at once.
        firsts = np.cumsum([0, *counts[:-1]])
        top = np.maximum.reduceat(sims, firsts, axis=0)
        reply_of = np.repeat(np.arange(len(lens)), counts)
        index = np.where(sims == top[reply_of], np.arange(len(sims))[:, None], len(sims))
        best = np.minimum.reduceat(index, firsts, axis=0)
        vals = top.tolist()
        starts = (a[best] - offsets[:, None]).tolist()
        ends = (b[best] - offsets[:, None]).tolist()
        return [list(zip(v, x, y, strict=True)) for v, x, y in zip(vals, starts, ends, strict=True)]


#: Most words kept in the embedder's word table (about 32 MB) before it starts again.
_MAX_ROWS = 32_768


@cache
def _spans(n: int) -> np.ndarray:
    lo, hi = WINDOW
    if n < lo:
        return np.array([[0, n]], dtype=np.int64)
    return np.array([(a, a + w) for w in range(lo, min(hi, n) + 1) for a in range(n - w + 1)], dtype=np.int64)


@cache
def embedder() -> Embedder | None:
    """The shipped model, loaded once; None when its files are missing (the observer then uses words only)."""
    folder = model_dir()
    try:
        # Mapped, not read: a reply touches a few hundred of the 30,000 rows, so only those pages load.
        vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return None
    if vocab and vocab[-1] == "":
        vocab.pop()
    if vectors.ndim != 2 or vectors.shape[0] != len(vocab):
        return None
    try:
        centre = np.load(folder / "centre.npy", allow_pickle=False)
    except (OSError, ValueError):
        centre = None
    return Embedder(vectors, vocab, centre)


def model_info() -> dict[str, object]:
    """The model's ``SOURCE.json`` (source, licence, sha256s, the build command), or {} when absent."""
    try:
        return json.loads((model_dir() / "SOURCE.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
