"""The observer's last stage: every signal of a response, each with the words that triggered it.

Reads what the earlier stages found (``cues.py``, ``analyse.py``) and reports, in a fixed order: the
acts of sentences that are signals of their own (questions, suggestions phrased as questions), the
cue phrases found, judging labels, advice with or without permission, the feelings and key points
of the turn the reply carries (``heard.py``), the words shared with the speaker and parroting, talk
about the listener, length and the turn's pitfalls; and then the reflection's subtype and the
MITI-style behaviours a rubric's tallies count.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from roleplay.observer.acts import ACT_LABEL
from roleplay.observer.heard import Feelings, Points, Reading, _negated, feelings_stage, points_stage
from roleplay.observer.lexicon import CANON
from roleplay.observer.model import Signal
from roleplay.observer.parrot import parroting
from roleplay.observer.scan import PUNCTUATION, starts_of
from roleplay.observer.sentences import Hits
from roleplay.observer.weights import FIRST_PERSON, SECOND_PERSON

if TYPE_CHECKING:
    from roleplay.observer.analyse import Label, SpeakerLine
    from roleplay.observer.cues import Cues, Sentences

# Signal((name, evidence, detail)) without the named tuple's Python-level __new__ (several per response).
_sig = partial(tuple.__new__, Signal)
#: Cue section name -> signal name, where they differ.
SIGNAL_NAME = {"other": "social", "acknowledgement": "social", "social_question": "social"}
#: Sentence acts reported as signals of their own, with the whole sentence as evidence.
ACT_SIGNALS = ("question_as_advice", "reflective_question", "open_question", "closed_question")
_ACT_SIGNAL_SET = frozenset(ACT_SIGNALS)
# Sentence acts that vote for a reflection.
_REFLECTION_ACTS = frozenset(act for act, label in ACT_LABEL.items() if label == "reflection")


@dataclass(slots=True)
class Signals:
    """Stage 4: the signals of a response, its behaviours, its reflection subtype, what it carries."""

    signals: list[Signal]
    behaviours: set[str]
    subtype: str | None
    """``simple`` or ``complex`` when the label is a reflection, else None."""
    captured: int
    """Key points of the turn the reply carries."""
    matched: int
    """Feelings of the turn the reply conveys."""


def collect_signals(cues: Cues, sents: Sentences, lab: Label, line: SpeakerLine, speaker: str,
                    key_points: Sequence[str], feelings: Sequence[str], pitfalls: Sequence[str],
                    heard: tuple[Feelings, Points] | None = None) -> Signals:
    """Stage 4 (see the module docstring). ``heard`` is the feelings and key-points stages' result
    when a batch worked them out already (``batch.py``)."""
    signals = _act_signals(cues, sents, lab.acts)
    found: dict[str, list[str]] = {}
    for name in sents.present:
        found[name] = ev_list = [cues.cut(a, b) for a, b, _ in cues.hits[name]]
        signals.append(_sig((SIGNAL_NAME.get(name, name), tuple(ev_list), "")))
    # Judging or clinical labels, unless negated ("you're not a failure").
    labels_found = [cues.cut(a, b) for a, b, _ in cues.hits.get("judgmental_label", ())
                    if not _negated(cues.toks, a, 2)]
    if labels_found:
        signals.append(_sig(("judgmental_label", tuple(labels_found), "")))
    advised, unasked = _advice(cues, sents, lab, line, found, signals)

    feel, points = heard or hear(cues, sents, lab, speaker, key_points, feelings)
    signals.extend(feel.signals)
    signals.extend(points.signals)
    parrot = _shared_words(cues, sents, lab, line, signals)
    _self_focus(cues, sents, found, signals)
    if line.n_words:
        signals.append(_sig(("length", (), _LENGTH_TEXT[sents.n_words, line.n_words])))
    if pitfalls:
        signals.append(_sig(("pitfalls", (), "; ".join(pitfalls))))

    if _generic(lab, line, key_points, feelings, feel, points, signals):
        signals.append(_sig(("generic_reply", (), "holds no word of its own about this line: it would fit any line")))
    behaviours = _behaviours(lab.acts, found, labels_found, lab.label, advised)
    if unasked:
        behaviours.add("advice_without_permission")
    subtype = _reflection(lab, line, cues, sents.n_words, feel, parrot)
    if subtype and (lab.label == "reflection" or "reflection" in found or "reflective_question" in lab.acts):
        behaviours.add(f"reflection_{subtype}")
    return Signals(signals, behaviours, subtype if lab.label == "reflection" else None, points.captured,
                   feel.matched)


# Words of the frames a reply can be built from whatever was said ("That sounds hard for you, is that
# right?", "It must be a lot to deal with"), as canonical stems: a reply whose content words are all
# among them says nothing about this line in particular.
_FRAME_WORDS = ("sounds seems sound seem hard tough difficult rough awful horrible heavy tricky grim right correct "
                "must lot lots deal hear heard feel feels feeling looks look understand understood imagine "
                "stressful draining horrid thing things really")
_FRAME_STEMS = frozenset(CANON[w] for w in _FRAME_WORDS.split()) - {""}
# Labels of replies that claim to give something back (questions and minimal prompts invite instead).
_CLAIMS = frozenset({"reflection", "affirmation", "reassurance"})


def _generic(lab: Label, line: SpeakerLine, key_points: Sequence[str], feelings: Sequence[str], feel: Feelings,
             points: Points, signals: list[Signal]) -> bool:
    """A reply that sounds like listening but holds nothing of this line: a turn with key points or
    feelings, none of them carried (not even on weak evidence), no word shared with the speaker, no
    feeling named, and every content word of the reply from a stock frame (``_FRAME_WORDS``)."""
    if lab.label not in _CLAIMS or not (key_points or feelings) or not line.n_words:
        return False
    if points.captured or feel.matched or feel.named or lab.shared:
        return False
    if any(sig[0] == "key_point_unsure" for sig in signals):
        return False
    return all(c in _FRAME_STEMS for c in lab.canons if c)


def reading(cues: Cues, sents: Sentences, lab: Label) -> Reading:
    """The response as the feelings and key-points stages read it."""
    return Reading(cues.text, cues.toks, cues.bounds, cues.hits, sents.sentences, sents.starts, lab.canons,
                   sents.n_words)


def hear(cues: Cues, sents: Sentences, lab: Label, speaker: str, key_points: Sequence[str],
         feelings: Sequence[str]) -> tuple[Feelings, Points]:
    """The feelings and key points of the turn the reply carries, one reply at a time."""
    r = reading(cues, sents, lab)
    feel = feelings_stage(r, feelings)
    return feel, points_stage(r, speaker, key_points, feel.emotions)


def _act_signals(cues: Cues, sents: Sentences, acts: set[str]) -> list[Signal]:
    """Sentence acts reported as signals (questions, suggestions as questions), whole sentences as evidence."""
    out: list[Signal] = []
    if _ACT_SIGNAL_SET.isdisjoint(acts):
        return out
    for act in ACT_SIGNALS:
        if act in acts:
            out.append(_sig((act, tuple([cues.cut(s.start, s.end) for s in sents.sentences if s.act == act]), "")))
    return out


def _advice(cues: Cues, sents: Sentences, lab: Label, line: SpeakerLine, found: dict[str, list[str]],
            signals: list[Signal]) -> tuple[bool, bool]:
    """Advice, with or without permission: adds its signal; returns (advised, advised unasked).

    Advice, as MITI 4.2 defines it: the listener gives a suggestion, a recommendation or a plan for
    the speaker's own action ("you could...", "try...", and as a question "have you tried...?",
    "what if you...?"). Advice the speaker asked for ("what should I do?") or offered after asking
    permission ("can I suggest something?") is still advice, marked as such; advice neither asked for
    nor permitted is flagged. Information (``information`` and ``resource`` cues) is different: facts,
    resources or feedback given without telling the speaker what to do ("the advice centre is open on
    Saturdays"); it becomes advice only when it directs ("you should go to the advice centre").
    """
    acts = lab.acts
    advised = (lab.label == "advice" or "question_as_advice" in acts or "advice_start" in acts
               or "advice" in found)
    if not advised:
        return False, False
    if "permission" not in found and not line.asks_advice:
        advice_ev = list(found.get("advice", ()))
        for s in sents.sentences:
            cue = s.cues.get("advice_question_start") or s.cues.get("advice_start")
            if cue and s.act in ("question_as_advice", "advice_start"):
                advice_ev.append(cues.cut(*cue))
            elif s.act == "advice" and "advice" not in s.cues:
                advice_ev.append(cues.cut(s.start, s.end))  # an option offered by a modal ("talking might help")
        signals.append(_sig(("advice_without_permission", tuple(dict.fromkeys(advice_ev)),
                             "the speaker did not ask for ideas")))
        return True, True
    if "permission" in found:
        signals.append(_sig(("asks_permission", tuple(found["permission"]), "")))
    else:  # the speaker asked for ideas
        signals.append(_sig(("advice_asked_for", tuple(found.get("advice", ())), "the speaker asked for ideas")))
    return True, False


def _shared_words(cues: Cues, sents: Sentences, lab: Label, line: SpeakerLine, signals: list[Signal]) -> str:
    """The speaker's words the reply picks up, and parroting: adds their signals; returns the parroted text."""
    shared, canons, toks = lab.shared, lab.canons, cues.toks
    if not shared:
        return ""
    # The first occurrence of each shared word, in text order (list.index runs in C).
    ev = tuple(dict.fromkeys(cues.cut(i, i + 1) for i in sorted(canons.index(c) for c in shared if c in canons)))
    signals.append(_sig(("content_overlap", ev or tuple(shared_phrases(cues.hits, shared, cues.cut)),
                         _OVERLAP_TEXT[len(shared), len(line.stems)])))
    if not line.grams:
        return ""
    words = [t for t in toks if t not in PUNCTUATION] if sents.n_words != len(toks) else toks
    run = parroting(words, line.grams)
    if not run:
        return ""
    ws = starts_of(cues.low, words)
    parrot = cues.text[ws[run[0]] : ws[run[1] - 1] + len(words[run[1] - 1])]
    signals.append(_sig(("parroting", (parrot,), "repeats the speaker's words nearly verbatim")))
    return parrot


def _self_focus(cues: Cues, sents: Sentences, found: dict[str, list[str]], signals: list[Signal]) -> None:
    """Talking about oneself at length: adds the ``self_focus`` signal."""
    if "self_disclosure" not in found or sents.n_words < 25:
        return
    first = sum(1 for w in cues.toks if w in FIRST_PERSON)
    if first < 4:
        return
    second_p = sum(1 for w in cues.toks if w in SECOND_PERSON)
    if first > 2 * second_p:
        signals.append(_sig(("self_focus", tuple(found["self_disclosure"]),
                             f"{first} words about the listener, {second_p} about the speaker")))


def _reflection(lab: Label, line: SpeakerLine, cues: Cues, n_words: int, feel: Feelings, parrot: str) -> str | None:
    """A reflection's subtype: simple (repeats or rephrases) or complex (adds feeling, meaning or emphasis).

    Repeating the speaker's words is not a reflection (it rephrases nothing): no subtype, so it does
    not raise R:Q, and the card flags the parroting.
    """
    if not (lab.label == "reflection" or not _REFLECTION_ACTS.isdisjoint(lab.acts)) or parrot:
        return None
    if (feel.families - line.families or "complex_reflection" in cues.hits
            or (feel.named and lab.overlap < 0.5 and n_words >= 8)):
        return "complex"
    return "simple"


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


def _behaviours(acts: set[str], found: Collection[str], labels: list[str], label: str,
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
