"""The observer's analysis of one listener response, in four named stages.

1. **Find cues** (``cues.find_cues``): cut the response into tokens once and find every cue phrase of
   ``data/patterns.yaml`` with one walk of the phrase trie (``scan.py``).
2. **Sentences** (``cues.read_sentences``): cut it into sentences, each holding its cues and the
   cues that only count at a sentence's start (``sentences.py``).
3. **Label** (:func:`label_response`): give each sentence an act and weigh the acts into one label
   (``acts.py``), beside the words shared with the speaker's line.
4. **Signals** (``signals.collect_signals``): everything noticed, each with the exact words of the
   response that triggered it: cues, advice, feelings and key points (``heard.py``), parroting,
   length.

Each stage returns a small dataclass the next ones read. The speaker's line and key points are
prepared once per distinct text (they come back for many responses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from roleplay.observer.acts import weigh
from roleplay.observer.cues import Cues, Sentences, find_cues, read_sentences
from roleplay.observer.lexicon import CANON, FAMILY, content_stems_of, lexicon
from roleplay.observer.model import Observation
from roleplay.observer.parrot import Trigrams, speaker_trigrams
from roleplay.observer.scan import PUNCTUATION, TOKEN_RE, lower_text, scan
from roleplay.observer.signals import Signals, collect_signals


class SpeakerLine(NamedTuple):
    """What the observer reads in the speaker's line (prepared once per distinct line)."""

    stems: frozenset[str]
    """Canonical content stems (stop words dropped, synonyms merged)."""
    grams: Trigrams
    """Word trigrams, to notice parroting."""
    asks_advice: bool
    """True when the speaker asks for ideas ("what should I do?")."""
    families: frozenset[str]
    """The feeling families the line names."""
    n_words: int
    """Words in the line."""


NO_SPEAKER = SpeakerLine(frozenset(), frozenset(), False, frozenset(), 0)


@lru_cache(maxsize=4096)
def speaker_line(speaker: str) -> SpeakerLine:
    """The speaker line's content stems, trigrams, whether it asks for ideas, feelings and length.

    Cached by text: in class and in solo practice one speaker line comes back for many responses.
    """
    if not speaker:
        return NO_SPEAKER
    low = lower_text(speaker)
    toks = TOKEN_RE.findall(low)
    words = [t for t in toks if t not in PUNCTUATION]
    hits = scan(lexicon().speaker, toks)
    stems = frozenset(content_stems_of(toks, hits.get("synonym_phrase", [])))
    fams = set(map(FAMILY.__getitem__, words))
    fams.update(str(p) for _, _, p in hits.get("emotion_phrase", ()))
    fams.discard("")
    return SpeakerLine(stems, speaker_trigrams(words), "speaker_asks_advice" in hits, frozenset(fams), len(words))


@dataclass(slots=True)
class Label:
    """Stage 3: the response's label, how sure it is, the sentences' acts and the words shared with
    the speaker."""

    label: str
    confidence: float
    acts: set[str]
    """The act of each sentence (``reflective_question``, ``advice_start``...)."""
    canons: list[str]
    """Each token's canonical content stem ("" for stop words); empty when nothing compares words."""
    shared: frozenset[str]
    """Content stems the response shares with the speaker's line."""
    overlap: float
    """Share of the speaker line's content stems the response holds."""


#: Cue sections that say the listener directs or plays down: not so when the words are the speaker's own.
_OWN_WORDS_SECTIONS = ("advice", "minimisation", "reassurance")


def drop_speakers_words(cues: Cues, line: SpeakerLine) -> None:
    """Stage 1b: drop advice and minimising cues lying wholly in words copied from the speaker's line.

    "You make sure she's asleep before he's back" gives back "I make sure she's asleep...": the
    speaker's own account of what they do, not the listener telling them to (the parroting itself is
    still flagged by ``signals.py``).
    """
    names = [n for n in _OWN_WORDS_SECTIONS if n in cues.hits]
    if not names or not line.grams:
        return
    toks = cues.toks
    at = [i for i, t in enumerate(toks) if t not in PUNCTUATION]
    low = [_NORM.get(toks[i], toks[i]) for i in at]
    copied: set[int] = set()
    for k in range(len(low) - 2):
        if (low[k], low[k + 1], low[k + 2]) in line.grams:
            copied.update(at[k : k + 3])
    if not copied:
        return
    for name in names:
        kept = [h for h in cues.hits[name]
                if not all(j in copied for j in range(h[0], h[1]) if toks[j] not in PUNCTUATION)]
        if len(kept) == len(cues.hits[name]):
            continue
        if kept:
            cues.hits[name] = kept
        else:
            del cues.hits[name]
            cues.present = [n for n in cues.present if n != name]


_NORM = {"u": "you", "ur": "your", "was": "were"}


def label_response(cues: Cues, sents: Sentences, line: SpeakerLine, key_points: Sequence[str]) -> Label:
    """Stage 3: each sentence's act and the response's label (``acts.py``), beside the shared words."""
    canons: list[str] = []
    resp_stems: set[str] = set()
    if line.stems or key_points:
        canons = list(map(CANON.__getitem__, cues.toks))
        resp_stems = set(canons)
        if "synonym_phrase" in cues.hits:
            resp_stems.update(p for _, _, p in cues.hits["synonym_phrase"])  # type: ignore[misc]
        resp_stems.discard("")
    shared = line.stems & resp_stems
    overlap = len(shared) / len(line.stems) if line.stems else 0.0
    label, confidence, _ = weigh(sents.sentences, cues.toks, overlap)
    return Label(label, confidence, {s.act for s in sents.sentences}, canons, shared, overlap)


def observe(
    response: str,
    speaker: str = "",
    key_points: Sequence[str] = (),
    feelings: Sequence[str] = (),
    pitfalls: Sequence[str] = (),
) -> Observation:
    """Analyse one listener response to the speaker's line; see the package docstring.

    ``key_points`` and ``feelings`` come from the scenario turn when there is one; ``pitfalls`` are
    accepted for the same reason but only reported back (they are free text for people).
    """
    cues = find_cues(response)
    line = speaker_line(speaker) if speaker else NO_SPEAKER
    drop_speakers_words(cues, line)
    sents = read_sentences(cues)
    lab = label_response(cues, sents, line, key_points)
    sig = collect_signals(cues, sents, lab, line, speaker, key_points, feelings, pitfalls)
    return observation(sents, line, lab, sig, key_points, feelings)


def observation(sents: Sentences, line: SpeakerLine, lab: Label, sig: Signals, key_points: Sequence[str],
                feelings: Sequence[str]) -> Observation:
    """The :class:`Observation` the stages add up to."""
    ratio = int(sents.n_words * 100 / line.n_words + 0.5) / 100 if line.n_words else 0.0  # two decimals, half up
    return Observation(  # positional: label, subtype, confidence, signals, behaviours, key points, feelings...
        lab.label, sig.subtype, lab.confidence, tuple(sig.signals), frozenset(sig.behaviours),
        len(key_points), sig.captured, len(feelings), sig.matched, int(lab.overlap * 100 + 0.5) / 100, ratio,
        sents.n_words,
    )
