"""The observer's analysis of one listener response: find the cues, pick a label, collect signals.

The steps: cut the response into tokens once (``scan.py``); find every cue phrase of
``data/patterns.yaml`` with one walk of the phrase trie; give each sentence an act and weigh the
acts into one label (``acts.py``); then compare with the speaker's line and the turn's key points
and feelings. Every signal carries the exact words of the response that triggered it. The speaker's
line and key points are prepared once per distinct text (they come back for many responses).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache, partial

from roleplay.observer.acts import ACT_LABEL, weigh
from roleplay.observer.heard import Reading, _negated, feelings_stage, points_stage
from roleplay.observer.lexicon import (
    CANON,
    FAMILY,
    content_stems_of,
    lexicon,
)
from roleplay.observer.model import Observation, Signal
from roleplay.observer.parrot import Trigrams, parroting, speaker_trigrams
from roleplay.observer.scan import PUNCTUATION, TOKEN_RE, lower_text, scan, starts_of, tokenize
from roleplay.observer.sentences import Hits, Sentence, split, start_cues
from roleplay.observer.weights import FIRST_PERSON, SECOND_PERSON

# Cue sections reported as signals; the order is the order signals are reported in.
_ANYWHERE = (
    "reflection", "check_understanding", "advice", "permission", "shared_power", "autonomy",
    "affirmation", "reassurance", "sympathy", "self_disclosure", "information", "resource", "other",
    "acknowledgement", "social_question",
    "closing", "minimisation", "judgment", "persuade",
)
# Signal((name, evidence, detail)) without the named tuple's Python-level __new__ (several per response).
_sig = partial(tuple.__new__, Signal)
_ANYWHERE_SET = frozenset(_ANYWHERE)
_ORDER = {name: i for i, name in enumerate(_ANYWHERE)}
# Section name -> signal name, where they differ.
_SIGNAL_NAME = {"other": "social", "acknowledgement": "social", "social_question": "social"}
# An acknowledgement ("ok", "right") is the sentence's move only in a sentence of at most this many words.
_ACK_WORDS = 4
# Words in a sentence about the speaker's experience, where a feeling word reflects a feeling (a
# sentence whose act is a reflection is about the speaker too: "so the evenings feel a bit empty?").
_ABOUT_SPEAKER = frozenset({"you", "your", "u", "ur", "yours", "you're", "must", "sounds", "sound", "seems", "seem"})
# Sentence acts reported as signals of their own, with the whole sentence as evidence.
_ACT_SIGNALS = ("question_as_advice", "reflective_question", "open_question", "closed_question")
_ACT_SIGNAL_SET = frozenset(_ACT_SIGNALS)
# Sentence acts that vote for a reflection.
_REFLECTION_ACTS = frozenset(act for act, label in ACT_LABEL.items() if label == "reflection")

_Speaker = tuple[frozenset[str], Trigrams, bool, frozenset[str], int]


@lru_cache(maxsize=4096)
def _speaker(speaker: str) -> _Speaker:
    """The speaker line's content stems, trigrams, whether it asks for ideas, feelings and length.

    Cached by text: in class and in solo practice one speaker line comes back for many responses.
    """
    low = lower_text(speaker)
    toks = TOKEN_RE.findall(low)
    words = [t for t in toks if t not in PUNCTUATION]
    hits = scan(lexicon().speaker, toks)
    stems = frozenset(content_stems_of(toks, hits.get("synonym_phrase", [])))
    fams = set(map(FAMILY.__getitem__, words))
    fams.update(str(p) for _, _, p in hits.get("emotion_phrase", ()))
    fams.discard("")
    return stems, speaker_trigrams(words), "speaker_asks_advice" in hits, frozenset(fams), len(words)


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
    kept = [h for h in hits["acknowledgement"] if sentences[bisect_right(starts, h[0]) - 1].n <= _ACK_WORDS]
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
    lex = lexicon()
    text = response.strip()
    low = lower_text(text)
    # Tokens, and where each starts and ends (token k: bounds[2k]..bounds[2k+1]): evidence is cut
    # from the original text at these offsets.
    toks, bounds = tokenize(low)
    hits = scan(lex.anywhere, toks)
    frames = hits.pop("speaker_frame", None)
    if frames:
        _unframe(hits, frames)
    sentences = split(toks, low)
    # The cue sections present, in reporting order (a C-level sort, not a loop over every section).
    present: Collection[str] = _ANYWHERE_SET.intersection(hits)
    if len(present) > 1:
        present = _subsume(hits, sorted(present, key=_ORDER.__getitem__))
    starts = [s.start for s in sentences] if len(sentences) > 1 else [0]
    if "acknowledgement" in present:
        present = _short_acknowledgements(hits, sentences, starts, present)
    if len(sentences) == 1:
        cues = sentences[0].cues
        for name in present:
            a, b, _ = hits[name][0]
            cues[name] = (a, b)
    else:
        for name in present:
            for a, b, _ in hits[name]:
                sentences[bisect_right(starts, a) - 1].cues.setdefault(name, (a, b))
    if frames:
        # Kept on the sentence (with no weight) so that a modal inside the frame is not read as an
        # option offered ("something you should keep up"): see ``fallback.py``.
        for a, b, _ in frames:
            sentences[bisect_right(starts, a) - 1].cues.setdefault("speaker_frame", (a, b))
    start_cues(lex, toks, sentences)

    n_words = sentences[0].n if len(sentences) == 1 else sum([s.n for s in sentences])
    sp_stems, sp_grams, sp_asks, sp_families, sp_n = _speaker(speaker) if speaker else _NO_SPEAKER
    canons: list[str] = []
    resp_stems: set[str] = set()
    if sp_stems or key_points:
        canons = list(map(CANON.__getitem__, toks))
        resp_stems = set(canons)
        if "synonym_phrase" in hits:
            resp_stems.update(p for _, _, p in hits["synonym_phrase"])  # type: ignore[misc]
        resp_stems.discard("")
    shared = sp_stems & resp_stems
    overlap = len(shared) / len(sp_stems) if sp_stems else 0.0

    label, confidence, _ = weigh(sentences, toks, overlap)
    act_names = {s.act for s in sentences}
    signals: list[Signal] = []
    behaviours: set[str] = set()
    for act in _ACT_SIGNALS if not _ACT_SIGNAL_SET.isdisjoint(act_names) else ():
        if act in act_names:
            ev = tuple([text[bounds[2 * s.start] : bounds[2 * s.end - 1]] for s in sentences if s.act == act])
            signals.append(_sig((act, ev, "")))
    found: dict[str, list[str]] = {}
    for name in present:
        found[name] = ev_list = [text[bounds[2 * a] : bounds[2 * b - 1]] for a, b, _ in hits[name]]
        signals.append(_sig((_SIGNAL_NAME.get(name, name), tuple(ev_list), "")))

    def cut(a: int, b: int) -> str:
        """The original text of tokens a..b-1."""
        return text[bounds[2 * a] : bounds[2 * b - 1]]

    # Judging or clinical labels, unless negated ("you're not a failure").
    labels_found = [cut(a, b) for a, b, _ in hits.get("judgmental_label", ()) if not _negated(toks, a, 2)]
    if labels_found:
        signals.append(_sig(("judgmental_label", tuple(labels_found), "")))

    # Advice, as MITI 4.2 defines it: the listener gives a suggestion, a recommendation or a plan for
    # the speaker's own action ("you could...", "try...", and as a question "have you tried...?",
    # "what if you...?"). Advice the speaker asked for ("what should I do?") or offered after asking
    # permission ("can I suggest something?") is still advice, marked as such; advice neither asked for
    # nor permitted is flagged. Information (``information`` and ``resource`` cues) is different: facts,
    # resources or feedback given without telling the speaker what to do ("the advice centre is open on
    # Saturdays"); it becomes advice only when it directs ("you should go to the advice centre").
    advised = (label == "advice" or "question_as_advice" in act_names or "advice_start" in act_names
               or "advice" in found)
    if advised and "permission" not in found and not sp_asks:
        advice_ev = list(found.get("advice", ()))
        for s in sentences:
            cue = s.cues.get("advice_question_start") or s.cues.get("advice_start")
            if cue and s.act in ("question_as_advice", "advice_start"):
                advice_ev.append(cut(*cue))
            elif s.act == "advice" and "advice" not in s.cues:
                advice_ev.append(cut(s.start, s.end))  # an option offered by a modal ("talking might help")
        signals.append(_sig(("advice_without_permission", tuple(dict.fromkeys(advice_ev)),
                             "the speaker did not ask for ideas")))
        behaviours.add("advice_without_permission")
    elif advised and "permission" in found:
        signals.append(_sig(("asks_permission", tuple(found["permission"]), "")))
    elif advised:  # the speaker asked for ideas
        signals.append(_sig(("advice_asked_for", tuple(found.get("advice", ())), "the speaker asked for ideas")))

    reading = Reading(text, toks, bounds, hits, sentences, starts, canons, n_words)
    feel = feelings_stage(reading, feelings)
    signals.extend(feel.signals)
    feel_ev, families, matched, emotions = feel.named, feel.families, feel.matched, feel.emotions
    points = points_stage(reading, speaker, key_points, emotions)
    signals.extend(points.signals)
    captured = points.captured

    if shared:
        # The first occurrence of each shared word, in text order (list.index runs in C).
        ev = tuple(dict.fromkeys(cut(i, i + 1) for i in sorted(canons.index(c) for c in shared if c in canons)))
        signals.append(_sig(("content_overlap", ev or tuple(shared_phrases(hits, shared, cut)),
                             _OVERLAP_TEXT[len(shared), len(sp_stems)])))
    run = None
    parrot = ""
    if shared and sp_grams:
        words = [t for t in toks if t not in PUNCTUATION] if n_words != len(toks) else toks
        run = parroting(words, sp_grams)
    if run:
        ws = starts_of(low, words)
        parrot = text[ws[run[0]] : ws[run[1] - 1] + len(words[run[1] - 1])]
        signals.append(_sig(("parroting", (parrot,), "repeats the speaker's words nearly verbatim")))

    # Talking about oneself at length.
    first = sum(1 for w in toks if w in FIRST_PERSON) if "self_disclosure" in found and n_words >= 25 else 0
    second_p = sum(1 for w in toks if w in SECOND_PERSON) if first >= 4 else 0
    if first >= 4 and first > 2 * second_p:
        signals.append(_sig(("self_focus", tuple(found["self_disclosure"]),
                              f"{first} words about the listener, {second_p} about the speaker")))

    ratio = int(n_words * 100 / sp_n + 0.5) / 100 if sp_n else 0.0  # two decimals, half up
    if sp_n:
        signals.append(_sig(("length", (), _LENGTH_TEXT[n_words, sp_n])))
    if pitfalls:
        signals.append(_sig(("pitfalls", (), "; ".join(pitfalls))))

    # Reflections: simple (repeats or rephrases) or complex (adds feeling, meaning or emphasis).
    subtype = None
    if label == "reflection" or not _REFLECTION_ACTS.isdisjoint(act_names):
        if parrot:
            # Repeating the speaker's words is not a reflection (it rephrases nothing): no tally, so
            # it does not raise R:Q, and the card flags the parroting.
            subtype = None
        elif (families - sp_families or "complex_reflection" in hits
              or (feel_ev and overlap < 0.5 and n_words >= 8)):
            subtype = "complex"
        else:
            subtype = "simple"
        if subtype and (label == "reflection" or "reflection" in found or "reflective_question" in act_names):
            behaviours.add(f"reflection_{subtype}")
    behaviours.update(_behaviours(act_names, found, labels_found, label, advised))
    return Observation(  # positional: label, subtype, confidence, signals, behaviours, key points, feelings...
        label, subtype if label == "reflection" else None, confidence, tuple(signals), frozenset(behaviours),
        len(key_points), captured, len(feelings), matched, int(overlap * 100 + 0.5) / 100, ratio, n_words,
    )


_NO_SPEAKER: _Speaker = (frozenset(), frozenset(), False, frozenset(), 0)


class _Texts(dict[tuple[int, int], str]):
    """Two small counts -> a signal's detail text, formatted once per pair (formatting floats is slow)."""

    def __init__(self, make: Callable[[int, int], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: tuple[int, int]) -> str:
        text = self._make(*key)
        if len(self) < 50_000:  # bounded: word counts are small
            self[key] = text
        return text


def _length_text(n_words: int, sp_n: int) -> str:
    ratio = int(n_words * 100 / sp_n + 0.5) / 100  # as in observe()
    size = "much longer than" if ratio > 2.5 else "much shorter than" if ratio < 0.3 else "about as long as"
    return f"{n_words} words, {size} the speaker's line ({ratio}x)"


#: (response words, speaker words) -> the ``length`` signal's detail.
_LENGTH_TEXT = _Texts(_length_text)
#: (shared content stems, speaker content stems) -> the ``content_overlap`` signal's detail.
_OVERLAP_TEXT = _Texts(lambda shared, total: f"{shared / total:.0%} of the speaker's content words")


def shared_phrases(hits: Hits, shared: AbstractSet[str], cut: Callable[[int, int], str]) -> list[str]:
    """Multi-word synonyms ("worn out") of the response whose group the speaker's line also has."""
    return [cut(a, b) for a, b, p in hits.get("synonym_phrase", ()) if p in shared]


def _behaviours(acts: set[str], found: dict[str, list[str]], labels: list[str], label: str,
                advised: bool) -> set[str]:
    """The MITI-style behaviours (tally checks) other than reflections and unasked advice."""
    out = set()
    if "open_question" in acts:
        out.add("question_open")
    if "closed_question" in acts:
        out.add("question_closed")
    if "affirmation" in found:
        out.add("affirmation")
    if "permission" in found or "shared_power" in found:
        out.add("seeking_collaboration")
    if "autonomy" in found:
        out.add("emphasizing_autonomy")
    if "persuade" in found:
        out.add("persuade")
    if "judgment" in found or labels:
        out.add("confront")
    if label == "information" or (("information" in found or "resource" in found) and not advised):
        out.add("giving_information")
    return out
