"""The observer's analysis of one listener response: find the cues, pick a label, collect signals.

The steps: find every cue phrase from ``data/patterns.yaml``; give each sentence an act and weigh
the acts into one label (``acts.py``); then compare with the speaker's line and the turn's key
points and feelings. Every signal carries the exact words of the response that triggered it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from roleplay.observer.acts import ACT_LABEL, split, start_cues, weigh
from roleplay.observer.lexicon import CANON, FAMILY, content_stems, emotion_family_of, lexicon, word_family
from roleplay.observer.model import Observation, Signal
from roleplay.observer.parrot import parroting, speaker_content
from roleplay.observer.scan import lower_text, tokenize
from roleplay.observer.weights import FIRST_PERSON, NEGATION_RE, SECOND_PERSON

# Cue sections matched anywhere; the order is the order signals are reported in.
_ANYWHERE = (
    "reflection", "check_understanding", "advice", "permission", "shared_power", "autonomy",
    "affirmation", "reassurance", "sympathy", "self_disclosure", "information", "other", "closing",
    "minimisation", "judgment", "persuade",
)
# Section name -> signal name, where they differ.
_SIGNAL_NAME = {"other": "social"}
# Words in a sentence about the speaker's experience, where a feeling word reflects a feeling.
_ABOUT_SPEAKER = frozenset({"you", "your", "u", "ur", "yours", "you're", "must", "sounds", "sound", "seems", "seem"})
# Sentence acts reported as signals of their own, with the whole sentence as evidence.
_ACT_SIGNALS = ("question_as_advice", "reflective_question", "open_question", "closed_question")


@lru_cache(maxsize=4096)
def _asks_advice(speaker: str) -> bool:
    """True when the speaker's line asks for ideas (cached: many responses share a line)."""
    return bool(speaker) and bool(lexicon().speaker_asks_advice.search(lower_text(speaker)))


@lru_cache(maxsize=4096)
def _point_stems(point: str) -> frozenset[str]:
    """Content stems of a key point (cached: a scenario's key points come back every round)."""
    return frozenset(content_stems(point))


@lru_cache(maxsize=4096)
def _speaker_families(speaker: str) -> frozenset[str]:
    """The feeling families the speaker named themselves."""
    return frozenset(f for _, w in tokenize(lower_text(speaker)) if (f := word_family(w)))


@lru_cache(maxsize=4096)
def _feeling_families(feeling: str) -> frozenset[str]:
    """The feeling families of a feeling listed for the turn ("worn out / drained")."""
    fams = {emotion_family_of(feeling)} | {emotion_family_of(w) for w in re.split(r"[\s,/]+", feeling) if w}
    return frozenset(f for f in fams if f)


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
    toks = tokenize(low)
    words = [w for _, w in toks]
    hits = lex.index.scan(low, toks)
    sentences = split(low, toks, words)
    starts = [s.start for s in sentences]
    found: dict[str, list[str]] = {}
    for name in _ANYWHERE:
        spans = hits.get(name)
        if spans:
            found[name] = [text[a:b] for a, b in spans]
            for a, b in spans:
                sentences[bisect_right(starts, a) - 1].cues.setdefault(name, (a, b))
    start_cues(lex, low, sentences)

    n_words = len(words)
    sp_stems, sp_words = speaker_content(speaker)
    resp_stems: set[str] = set()
    canons: list[str] = []
    if sp_stems or key_points:
        canons = list(map(CANON.__getitem__, words))
        resp_stems = set(canons)
        resp_stems.discard("")
        resp_stems.update(lex.phrase_canon.get(" ".join(low[a:b].split()), "") for a, b in
                          hits.get("synonym_phrase", ()))
    shared = sp_stems & resp_stems
    overlap = len(shared) / len(sp_stems) if sp_stems else 0.0

    label, confidence, _ = weigh(sentences, low, overlap)
    act_names = {s.act for s in sentences}
    signals: list[Signal] = []
    behaviours: set[str] = set()
    for act in _ACT_SIGNALS:
        if act in act_names:
            ev = tuple(text[s.start : s.end].strip() for s in sentences if s.act == act)
            signals.append(Signal(act, ev))
    for name in _ANYWHERE:
        if name in found:
            signals.append(Signal(_SIGNAL_NAME.get(name, name), tuple(found[name])))

    # Judging or clinical labels, unless negated ("you're not a failure").
    labels_found = [text[a:b] for a, b in hits.get("judgmental_label", ())
                    if not NEGATION_RE.search(low, max(0, a - 12), a)]
    if labels_found:
        signals.append(Signal("judgmental_label", tuple(labels_found)))

    # Advice the speaker did not ask for.
    advised = label == "advice" or "question_as_advice" in act_names or "advice" in found
    if advised and "permission" not in found and not _asks_advice(speaker):
        ev = list(found.get("advice", ()))
        for s in sentences:
            cue = s.cues.get("advice_question_start") or s.cues.get("advice_start")
            if cue and s.act in ("question_as_advice", "advice_start"):
                ev.append(text[cue[0] : cue[1]])
        signals.append(Signal("advice_without_permission", tuple(dict.fromkeys(ev)),
                              "the speaker did not ask for ideas"))
        behaviours.add("advice_without_permission")
    elif advised and "permission" in found:
        signals.append(Signal("asks_permission", tuple(found["permission"])))

    # Feelings named (in sentences about the speaker), and the turn's feelings matched by family.
    fams = list(map(FAMILY.__getitem__, words))
    emotions = [(toks[i][0], toks[i][0] + len(words[i]), fams[i]) for i, f in enumerate(fams) if f] if any(fams) else []
    for a, b in hits.get("emotion_phrase", ()):
        emotions.append((a, b, emotion_family_of(low[a:b]) or ""))
    feel_ev: list[str] = []
    families: set[str] = set()
    for a, b, fam in emotions:
        sent = sentences[bisect_right(starts, a) - 1]
        if not _ABOUT_SPEAKER.isdisjoint(sent.words) and not NEGATION_RE.search(low, max(0, a - 8), a):
            feel_ev.append(text[a:b])
            families.add(fam)
    if feel_ev:
        signals.append(Signal("feeling_named", tuple(feel_ev)))
    matched = 0
    if feelings:
        named = {w.lower() for w in feel_ev}
        matched = sum(1 for f in feelings if _feeling_families(f) & families or f.lower() in named)
        if matched:
            signals.append(Signal("feeling_matched", tuple(feel_ev), f"{matched} of {len(feelings)} feelings"))

    # Key points restated in the listener's words (stems and synonyms).
    captured = 0
    for point in key_points:
        kp = _point_stems(point)
        if not kp:
            continue
        hit = kp & resp_stems
        if len(hit) >= (1 if len(kp) <= 2 else max(1, round(len(kp) * 0.4))):
            captured += 1
            ev = tuple(dict.fromkeys(text[p : p + len(w)] for (p, w), c in zip(toks, canons, strict=True)
                                     if c in hit))
            signals.append(Signal("key_point_captured", ev, point))
        else:
            signals.append(Signal("key_point_missed", (), point))

    if shared:
        ev = tuple(dict.fromkeys(text[p : p + len(w)] for (p, w), c in zip(toks, canons, strict=True)
                                 if c in shared))
        signals.append(Signal("content_overlap", ev, f"{overlap:.0%} of the speaker's content words"))
    parrot = parroting(toks, text, sp_words, words)
    if parrot:
        signals.append(Signal("parroting", (parrot,), "repeats the speaker's words nearly verbatim"))

    # Talking about oneself at length.
    first = sum(1 for w in words if w in FIRST_PERSON) if "self_disclosure" in found and n_words >= 25 else 0
    second_p = sum(1 for w in words if w in SECOND_PERSON) if first >= 4 else 0
    if first >= 4 and first > 2 * second_p:
        signals.append(Signal("self_focus", tuple(found["self_disclosure"]),
                              f"{first} words about the listener, {second_p} about the speaker"))

    sp_n = len(sp_words)
    ratio = round(n_words / sp_n, 2) if sp_n else 0.0
    if sp_n:
        size = "much longer than" if ratio > 2.5 else "much shorter than" if ratio < 0.3 else "about as long as"
        signals.append(Signal("length", (), f"{n_words} words, {size} the speaker's line ({ratio}x)"))
    if pitfalls:
        signals.append(Signal("pitfalls", (), "; ".join(pitfalls)))

    # Reflections: simple (repeats or rephrases) or complex (adds feeling, meaning or emphasis).
    subtype = None
    if label == "reflection" or any(ACT_LABEL.get(a) == "reflection" for a in act_names):
        new_feeling = bool(families - _speaker_families(speaker))
        if parrot:
            subtype = "simple"
        elif new_feeling or "complex_reflection" in hits or (feel_ev and overlap < 0.5 and n_words >= 8):
            subtype = "complex"
        else:
            subtype = "simple"
        if label == "reflection" or "reflection" in found or "reflective_question" in act_names:
            behaviours.add(f"reflection_{subtype}")
    behaviours.update(_behaviours(act_names, found, labels_found, label, advised))
    return Observation(
        label=label,
        subtype=subtype if label == "reflection" else None,
        confidence=confidence,
        signals=tuple(signals),
        behaviours=frozenset(behaviours),
        key_points_total=len(key_points),
        key_points_captured=captured,
        feelings_total=len(feelings),
        feelings_matched=matched,
        overlap=round(overlap, 2),
        length_ratio=ratio,
        words=n_words,
    )


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
    if label == "information" or ("information" in found and not advised):
        out.add("giving_information")
    return out
