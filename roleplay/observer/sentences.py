"""Sentences of a listener response, and the cues that only count at a sentence's start.

A response is cut into sentences at ``.``, ``?``, ``!`` and line breaks; each sentence then collects
the start-only cues of ``data/patterns.yaml`` (question words, imperatives, reflective openings),
found at its start, after lead-in words ("so", "well", "ok"...) and, where chat joins two clauses with
a comma, at the start of the later clause. What each sentence *does* is decided in ``acts.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from roleplay.observer.lexicon import Lexicon
from roleplay.observer.scan import Trie, match_at

#: Section name -> (start token, end token, payload) of each match, from :func:`scan.scan`.
Hits = dict[str, list[tuple[int, int, object]]]

#: Start cues that make a sentence a question of a known kind.
QUESTION_STARTS = frozenset({"open_question_start", "closed_question_start", "advice_question_start"})

_ENDS = frozenset(".?!\n")


class Sentence:
    """One sentence of the response: its token span, what ends it, and the cues found in it.

    Its tokens are ``toks[start:end]`` (not copied here: few sentences need them as a list).
    """

    __slots__ = ("act", "cues", "end", "n", "q", "start", "stop", "weight")

    def __init__(self, start: int, end: int, stop: str, q: bool, n: int) -> None:
        self.start = start
        self.end = end
        self.stop = stop
        """The last token when it ends the sentence (``.``, ``?``, ``!`` or a line break), else ""."""
        self.q = q
        """True when the end marks hold a question mark."""
        self.n = n
        """Words in the sentence (commas and end marks not counted)."""
        self.cues: dict[str, tuple[int, int]] = {}
        self.act = ""
        self.weight = 0.0


def split(toks: list[str], low: str) -> list[Sentence]:
    """Sentences of the tokenised response (a sentence ends at . ? ! or a line break).

    A sentence holds commas inside and its end mark(s) last ("?!" is two); its facts are worked out
    here from where the marks are, with C-level list methods rather than a look at every token.
    """
    n = len(toks)
    body = low.rstrip("\"')] \n.?!")
    if "." not in body and "?" not in body and "!" not in body and "\n" not in body:
        if not n:
            return []
        k = n  # one sentence, the common case: only its last tokens can be end marks
        while k and toks[k - 1] in _ENDS:
            k -= 1
        last = toks[-1]
        return [Sentence(0, n, last if k < n else "", k < n and "?" in toks[k:], k - toks.count(","))]
    # Where the end marks are, found with list.index (C) rather than a look at every token.
    marks = []
    for mark in ".?!\n":
        i = -1
        for _ in range(low.count(mark)):  # each mark character is one token
            i = toks.index(mark, i + 1)
            marks.append(i)
    marks.sort()
    commas = "," in low
    out = []
    start = 0
    first = -1  # the first mark of the current run of marks
    last_k = len(marks) - 1
    for k, i in enumerate(marks):
        if first < 0:
            first = i
        if k < last_k and marks[k + 1] == i + 1:
            continue  # "?!" or "...": the sentence ends at the last mark of the run
        if i > start and toks[start] not in _ENDS:
            words = first - start
            out.append(Sentence(start, i + 1, toks[i], toks[i] == "?" if first == i else "?" in toks[first : i + 1],
                                words - toks[start:first].count(",") if commas else words))
        start = i + 1
        first = -1
    if start < n:
        words = n - start
        out.append(Sentence(start, n, "", False, words - toks[start:].count(",") if commas else words))
    return out


# Lead-ins that open with a word which can also start a statement or a step: lead-ins only before a
# comma or at the end of the sentence.
_VERB_LEADS = frozenset({"i", "go", "carry", "keep"})
_LEAD_STOPS = frozenset({",", ".", "!", "?", "\n"})


def start_cues(lex: Lexicon, toks: list[str], sentences: list[Sentence]) -> None:
    """Add the cues that only count at the start of a sentence (question words, imperatives).

    They are tried at the sentence start and after each lead-in word ("so", "well", "ok"...), so a
    cue that itself begins with a lead-in word ("so you...") is found as well as one after it.
    """
    root = lex.at_start
    for sent in sentences:
        _clause_cues(root, toks, sent.start, sent.end, sent.cues)
        if "," not in toks[sent.start : sent.end]:
            continue
        if sent.q and QUESTION_STARTS.isdisjoint(sent.cues):
            _question_clause(root, toks, sent)
        elif not sent.q and "advice_start" not in sent.cues and "self_disclosure" not in sent.cues:
            _instruction_clause(root, toks, sent)


def _clause_starts(toks: list[str], sent: Sentence) -> Iterator[int]:
    """Where each clause after a comma of the sentence starts."""
    i = sent.start
    while True:
        try:
            i = toks.index(",", i, sent.end) + 1
        except ValueError:
            return
        yield i


def _question_clause(root: Trie, toks: list[str], sent: Sentence) -> None:
    """Find a question that opens a later clause of a question sentence.

    In chat an acknowledgement and a question are often joined by a comma ("hi there, how are you?",
    "grief is sadness, does that fit?"). A sentence that opens like a reflection stays one ("so
    you're stuck, aren't you?") unless a later clause suggests a step ("your worry makes sense, have
    you talked to your tutor?").
    """
    for i in _clause_starts(toks, sent):
        if "reflective_start" in sent.cues:
            found: dict[str, tuple[int, int]] = {}
            _clause_cues(root, toks, i, sent.end, found)
            if "advice_question_start" in found:
                sent.cues["advice_question_start"] = found["advice_question_start"]
                return
            continue
        _clause_cues(root, toks, i, sent.end, sent.cues)
        if not QUESTION_STARTS.isdisjoint(sent.cues):
            return


def _instruction_clause(root: Trie, toks: list[str], sent: Sentence) -> None:
    """Find an instruction that opens a later clause ("I know it's hard, but try to rest").

    Not in the listener's own story ("I'm a mum too, and remember worrying": the caller skips those),
    and not "always" or "never" after a comma, which are mostly adverbs of the sentence.
    """
    for i in _clause_starts(toks, sent):
        clause: dict[str, tuple[int, int]] = {}
        _clause_cues(root, toks, i, sent.end, clause)
        cue = clause.get("advice_start")
        if cue and toks[cue[0]] not in ("always", "never") and QUESTION_STARTS.isdisjoint(clause):
            sent.cues["advice_start"] = cue
            return


def _clause_cues(root: Trie, toks: list[str], pos: int, end: int, cues: dict[str, tuple[int, int]]) -> None:
    """Add the start cues found at ``pos`` and after each lead-in word that follows it."""
    while pos < end and toks[pos] in root:  # (most words start no cue: no call for them)
        lead = None
        found = match_at(root, toks, pos)
        if "lead_in" in found:
            j = found["lead_in"][0]
            # "I see" and "I understand" lead in only before a comma: in "I understand how hard it
            # is" the "how" opens no question. The same for an encourager: "Go on." and "Go on, say
            # it" lead in, "go on holiday" is advice.
            if toks[pos] not in _VERB_LEADS or j >= end or toks[j] in _LEAD_STOPS:
                lead = j
        for name, (j, _) in found.items():
            # A cue inside a verb-like lead-in is part of it ("go" in "Go on.").
            if name != "lead_in" and name not in cues and (lead is None or j > lead or toks[pos] not in _VERB_LEADS):
                cues[name] = (pos, j)
        if lead is None:
            break
        pos = lead
        while pos < end and toks[pos] == ",":
            pos += 1
