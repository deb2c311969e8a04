"""Sentence acts: split a response into sentences, find what each sentence does, weigh a label.

A sentence's act comes from its cues (phrases from ``data/patterns.yaml``): a question that opens
with "have you tried" is advice, a question that opens like a statement ("so you're feeling
stuck?") is a reflection, and so on. The response's label is the act with the most weight.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from roleplay.observer.lexicon import Lexicon
from roleplay.observer.weights import ACT_WEIGHT, FIRST_PERSON, LABEL_ORDER, SECOND_PERSON

_SENTENCE_RE = re.compile(r"[^.?!\n]*[^.?!\n\s][^.?!\n]*(?:[.?!]+[\"')\]]*|\n|$)")
_TRAIL = "\"')] \n"
# Open questions that are phrased as requests rather than questions.
_INVITATIONS = ("tell me", "describe", "explain", "please", "i'd love", "i would love", "i'd like",
                "i would like", "i'm wondering", "i am wondering", "i'm curious", "i am curious")

# Sentence act -> the response label it votes for.
ACT_LABEL: dict[str, str] = {
    "question_as_advice": "advice", "advice": "advice", "advice_start": "advice",
    "check_understanding": "reflection", "reflective_question": "reflection", "reflection": "reflection",
    "reflective_start": "reflection", "open_question": "question_open",
    "closed_question": "question_closed", "shared_power": "question_open",
    "affirmation": "affirmation", "reassurance": "affirmation", "minimisation": "affirmation",
    "sympathy": "affirmation", "self_disclosure": "self_disclosure", "information": "information",
    "other": "other", "closing": "other", "judgment": "advice", "persuade": "advice", "permission": "question_closed",
    "autonomy": "affirmation",
}


class Sentence:
    """One sentence of the response: its span, its words and the cues found in it."""

    __slots__ = ("act", "cues", "end", "q", "start", "weight", "words")

    def __init__(self, start: int, end: int, q: bool) -> None:
        self.start = start
        self.end = end
        self.q = q
        self.cues: dict[str, tuple[int, int]] = {}
        self.words: list[str] = []
        self.act = ""
        self.weight = 0.0


def split(low: str, tokens: list[tuple[int, str]], words: list[str] | None = None) -> list[Sentence]:
    """Sentences of the (lowercased) response, each holding its words.

    ``words`` are the token words when the caller already has them (saves a pass).
    """
    if words is None:
        words = [w for _, w in tokens]
    body = low.rstrip(_TRAIL + ".?!")
    if body and "." not in body and "?" not in body and "!" not in body and "\n" not in body:
        # One sentence (the common case for a short response): no need for the sentence pattern.
        sent = Sentence(0, len(low), low.rstrip(_TRAIL).endswith("?"))
        sent.words = words
        return [sent]
    out = [Sentence(m.start(), m.end(), m.group(0).rstrip(_TRAIL).endswith("?")) for m in _SENTENCE_RE.finditer(low)]
    if not out:
        return out
    # Each sentence takes a slice of the words: one bisect per sentence, not one per word.
    positions = [p for p, _ in tokens]
    bounds = [bisect_left(positions, sent.start) for sent in out[1:]]
    lo = 0
    for sent, hi in zip(out, [*bounds, len(words)], strict=True):
        sent.words = words[lo:hi]
        lo = hi
    return out


def start_cues(lex: Lexicon, low: str, sentences: list[Sentence]) -> None:
    """Add the cues that only count at the start of a sentence (question words, imperatives).

    One combined pattern tells every ``*_start`` section that matches at a position. It is tried
    at the sentence start and after each lead-in filler word ("so", "well", "oh"...), so a cue that
    itself begins with a filler word ("so you...") is found as well as one after it.
    """
    combined, index = lex.start_combined
    filler = lex.start_filler
    for sent in sentences:
        pos, end = sent.start, sent.end
        while pos < end and low[pos] == " ":
            pos += 1
        cues = sent.cues
        while True:
            groups = combined.match(low, pos, end).groups()  # type: ignore[union-attr]  # always matches
            for gi, name in index:
                g = groups[gi]
                if g is not None and name not in cues:
                    cues[name] = (pos, pos + len(g))
            m = filler.match(low, pos, end)
            if m is None or m.end() == pos:
                break
            pos = m.end()


def _act(sent: Sentence, low: str) -> tuple[str, float]:
    """The act of one sentence and how strongly its cues point to it."""
    cues = sent.cues
    if "minimisation" in cues:
        # "Don't worry" starts like an instruction but is reassurance; it is flagged as minimising.
        cues.pop("advice_start", None)
    has_q_word = "open_question_start" in cues or "closed_question_start" in cues
    invite = cues.get("open_question_start")
    if invite and not sent.q and low.startswith(_INVITATIONS, invite[0]):
        # "Tell me more about..." invites the speaker to go on, whatever its punctuation.
        return "open_question", ACT_WEIGHT["open_question"]
    is_q = sent.q or (
        has_q_word and not low[sent.start : sent.end].rstrip().endswith((".", "!")) and len(sent.words) <= 14
    )
    if is_q:
        if "advice_question_start" in cues:
            return "question_as_advice", ACT_WEIGHT["question_as_advice"]
        if "check_understanding" in cues:
            return "check_understanding", ACT_WEIGHT["check_understanding"]
        if "reflective_start" in cues and not has_q_word:
            return "reflective_question", ACT_WEIGHT["reflective_question"]
        if "advice" in cues and "shared_power" not in cues:
            return "question_as_advice", ACT_WEIGHT["question_as_advice"] * 0.8
        if "open_question_start" in cues or "shared_power" in cues:
            return "open_question", ACT_WEIGHT["open_question"]
        if "closed_question_start" in cues:
            return "closed_question", ACT_WEIGHT["closed_question"]
        if "reflective_start" in cues or "reflection" in cues:
            return "reflective_question", ACT_WEIGHT["reflective_question"] * 0.8
        return "closed_question", ACT_WEIGHT["closed_question"] * 0.6
    best, score = "", 0.0
    for cue in cues:
        w = ACT_WEIGHT.get(cue, 0.0)
        if w > score:
            best, score = cue, w
    # A bare greeting or thanks wins over the weak cues it may also hold ("great", "take care").
    if "other" in cues and len(sent.words) <= 6 and score < ACT_WEIGHT["strong"]:
        return "other", ACT_WEIGHT["other"]
    return best, score


def _fallback(words: list[str], overlap: float) -> tuple[str, float]:
    """An act for a sentence with no cue, from its pronouns and its length."""
    if len(words) <= 3:
        return "other", 0.6
    first = sum(1 for w in words if w in FIRST_PERSON)
    second = sum(1 for w in words if w in SECOND_PERSON)
    if first > second:
        return "self_disclosure", 0.9
    if second:
        return "reflection", 1.0 if overlap >= 0.25 else 0.6
    return "information", 0.7


def weigh(sentences: list[Sentence], low: str, overlap: float) -> tuple[str, float, dict[str, float]]:
    """Set each sentence's act; return the response label, a confidence and the label scores."""
    scores: dict[str, float] = {}
    for sent in sentences:
        act, w = _act(sent, low)
        if not act:
            act, w = _fallback(sent.words, overlap)
        sent.act, sent.weight = act, w
        label = ACT_LABEL.get(act, "other")
        scores[label] = scores.get(label, 0.0) + w
    if not scores:
        scores["other"] = 0.5
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], LABEL_ORDER.index(kv[0])))
    label, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if label == "question_closed" and "question_open" in scores:
        label = "question_open"
    confidence = round(min(0.95, max(0.3, top / (top + second + 0.75))), 2)
    return label, confidence, scores
