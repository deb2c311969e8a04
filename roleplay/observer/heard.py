"""What a reply carries of the speaker's turn: the feelings it names and the key points it restates.

Two of the observer's stages (``analyse.py`` runs them after the label): each reads the response as
cut once (:class:`Reading`) and returns a small result with its signals. Feelings count when named for
the speaker (in a sentence about them, not negated, not the listener's own, not a third person's,
not inside a diagnosis); the turn's feelings match by family or by meaning. Key points match by
their words (``keypoints.py``) or by meaning (``meaning.py``, loaded with numpy only when needed).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from math import log1p
from types import ModuleType

from roleplay.observer.acts import ACT_LABEL
from roleplay.observer.keypoints import (
    FEELING,
    ignored_units,
    light_units,
    point_units,
    relation_units,
    response_units,
    speaker_names,
)
from roleplay.observer.keypoints import captured as point_captured
from roleplay.observer.lexicon import CANON, emotion_family_of, feeling_words, lexicon
from roleplay.observer.model import Signal
from roleplay.observer.scan import PUNCTUATION, WORD_RE
from roleplay.observer.sentences import Hits, Sentence
from roleplay.observer.weights import FEELING_LINK, FIRST_PERSON, NEGATIONS, SECOND_PERSON, THIRD_PERSON

_sig = partial(tuple.__new__, Signal)
# Words in a sentence about the speaker's experience, where a feeling word reflects a feeling (a
# sentence whose act is a reflection is about the speaker too: "so the evenings feel a bit empty?").
_ABOUT_SPEAKER = frozenset({"you", "your", "u", "ur", "yours", "you're", "must", "sounds", "sound", "seems", "seem"})
# Sentence acts that vote for a reflection.
_REFLECTION_ACTS = frozenset(act for act, label in ACT_LABEL.items() if label == "reflection")


@dataclass(slots=True)
class Reading:
    """The response as every stage sees it: cut once into tokens, cues and sentences."""

    text: str
    toks: list[str]
    bounds: list[int]
    hits: Hits
    sentences: list[Sentence]
    starts: list[int]
    canons: list[str]
    n_words: int

    def cut(self, a: int, b: int) -> str:
        """The original text of tokens a..b-1."""
        return self.text[self.bounds[2 * a] : self.bounds[2 * b - 1]]


@dataclass(slots=True)
class Feelings:
    """The feelings stage: what was named for the speaker, and which of the turn's feelings it meets."""

    named: list[str]
    families: set[str]
    matched: int
    emotions: list[tuple[int, int, str]]
    signals: list[Signal] = field(default_factory=list)


@dataclass(slots=True)
class Points:
    """The key-points stage: how many of the turn's points the reply carries, with their signals."""

    captured: int
    signals: list[Signal] = field(default_factory=list)


def feelings_stage(r: Reading, feelings: Sequence[str]) -> Feelings:
    """Feelings named for the speaker, and the turn's feelings matched by family or by meaning.

    Not credited: a feeling inside a diagnosis ("classic depression": flagged as a label) and a
    feeling guessed for someone else ("he's probably finding it awkward").
    """
    out: list[Signal] = []
    also = lexicon().also_families
    emotions = feeling_words(r.toks)
    if "emotion_phrase" in r.hits:
        emotions.extend((a, b, str(p)) for a, b, p in r.hits["emotion_phrase"])
    label_spans = [(a, b) for a, b, _ in r.hits["judgmental_label"]] if "judgmental_label" in r.hits else ()
    feel_ev: list[str] = []
    others: list[str] = []
    families: set[str] = set()
    for a, b, fam in emotions:
        sent = r.sentences[bisect_right(r.starts, a) - 1] if len(r.starts) > 1 else r.sentences[0]
        if label_spans and any(x <= a < y for x, y in label_spans):
            continue
        if _speaker_feeling(r.toks, sent, a):
            if _third_person(r.toks, a):
                others.append(r.cut(a, b))
            else:
                feel_ev.append(r.cut(a, b))
                families.add(fam)
                if also:
                    families.update(also.get(" ".join(r.toks[a:b]), ()))
    if feel_ev:
        out.append(_sig(("feeling_named", tuple(feel_ev), "")))
    if others:
        out.append(_sig(("feeling_other_person", tuple(others), "a feeling guessed for someone else")))
    matched = 0
    if feelings:
        named = {w.lower() for w in feel_ev}
        hit = [not _feeling_families(f).isdisjoint(families) or f.lower() in named for f in feelings]
        carried: list[list[str]] = [list(feel_ev) if h else [] for h in hit]
        if not all(hit) and (model := _meaning().embedder()) is not None:
            spans = _feeling_candidates(r.toks, r.sentences, label_spans)
            phrases = [" ".join(r.toks[a:b]) for a, b in spans]
            for (a, b), (i, _) in zip(spans, _meaning().feeling_matches(model, phrases, tuple(feelings)), strict=True):
                if i >= 0 and not hit[i]:
                    hit[i] = True
                    carried[i].append(r.cut(a, b))
                    feel_ev.append(r.cut(a, b))
        matched = sum(hit)
        if matched:
            out.append(_sig(("feeling_matched", tuple(dict.fromkeys(feel_ev)),
                                 f"{matched} of {len(feelings)} feelings")))
        for f, feeling_ev in zip(feelings, carried, strict=True):
            out.append(_sig(("feeling_expected", tuple(dict.fromkeys(feeling_ev)), f)))

    return Feelings(feel_ev, families, matched, emotions, out)


def point_words(r: Reading) -> tuple[list[str], list[int] | None]:
    """The reply's words compared with key points by meaning, and each one's token index (None when
    every token is a word)."""
    if r.n_words == len(r.toks):
        return r.toks, None
    word_at = [i for i, t in enumerate(r.toks) if t not in PUNCTUATION]
    return [r.toks[i] for i in word_at], word_at


_UNSET: list[tuple[float, int, int]] = []


_NO_SOFT: list[tuple[float, list[int]]] = []


def points_stage(r: Reading, speaker: str, key_points: Sequence[str], emotions: list[tuple[int, int, str]],
                 by_meaning: list[tuple[float, int, int]] | None = _UNSET,
                 soft: list[tuple[float, list[int]]] | None = _NO_SOFT) -> Points:
    """Key points restated in the listener's words (stems, synonyms, verb forms, feeling families,
    names for relations) or in other words of the same meaning (``meaning.py``).

    With the model, word and meaning evidence are weighed together (:func:`point_features`, then
    ``meaning.point_probability``): a point is captured when the probability reaches
    ``POINT_CAPTURED``, "not sure" just below it, and a capture always shows the reply's words that
    carry it. Without the model, the word rule of ``keypoints.py`` decides alone.
    ``by_meaning`` and ``soft`` are ``meaning.point_matches`` and ``meaning.soft_overlaps`` of the
    reply's words when a batch worked them out already.
    """
    out: list[Signal] = []
    captured = 0
    if not key_points:
        return Points(0, out)
    units = response_units(r.canons, r.hits.get("synonym_phrase", []), emotions)
    names = speaker_names(speaker) if speaker else frozenset()
    if names and not names.isdisjoint(r.toks):
        # "Ellie" in the reply stands for "his partner" in a key point (the name from the speaker's line).
        at = next(i for i, t in enumerate(r.toks) if t in names)
        for unit in {u for p in key_points for u in relation_units(p, names)}:
            units.setdefault(unit, (at, at + 1))
    words, word_at = point_words(r)
    mean = _meaning()
    points = tuple(key_points)
    if by_meaning is _UNSET:
        by_meaning = mean.point_matches(words, points)
    if soft is _NO_SOFT:
        soft = mean.soft_overlaps(words, points) if by_meaning is not None else None
    best_window = max((m[0] for m in by_meaning), default=0.0) if by_meaning else 0.0
    # The share of the reply that restates nothing: questions about something new, suggestions and
    # comfort that plays it down ("at least you have a flat").
    labelled = _labelled(r)
    asks_only = sum(s.end - s.start for i, s in enumerate(r.sentences)
                    if i in labelled or not _restates(s)) / max(1, len(r.toks))

    def tok(w: int) -> int:
        return word_at[w] if word_at is not None else w

    for k, point in enumerate(key_points):
        kp = point_units(point)
        if not kp:
            continue
        where = point_captured(point, units)
        if by_meaning is None or soft is None:
            if where is not None:
                captured += 1
                out.append(_sig(("key_point_captured", _spans_text(r, where), point)))
            else:
                out.append(_sig(("key_point_missed", (), point)))
            continue
        sim, wa, wb = by_meaning[k]
        held = [u for u in kp if u in units]
        heavy = sum(1 for u in held if u not in light_units())
        features = point_features(soft[k][0], sim, best_window, asks_only, r.n_words, heavy, len(held) / len(kp),
                                  where is not None)
        prob = mean.point_probability(features)
        # The reply's own words for the point: the words that meet its units, else those closest in
        # meaning to its words, else the closest run of words.
        spans = where or [(tok(w), tok(w) + 1) for w in soft[k][1]]
        run_span = (tok(wa), tok(wb - 1) + 1)
        if sim >= mean.POINT_RUN and (not spans or (len(spans) == 1 and run_span[0] <= spans[0][0] < run_span[1])):
            spans = [run_span]  # one word alone says little ("work"): show the run of words it stands in
        evidence = _spans_text(r, spans or [(tok(wa), tok(wb - 1) + 1)])
        # Never on one word alone ("work", "without", "everyone"): the reply holds two of the point's
        # units, or two words close in meaning to its words, or a run of words near the point with a
        # word of weight in it (not only common verbs and particles: "held", "back", "want").
        near = {r.canons[tok(w)] for w in soft[k][1]} | set(held)
        run = {r.canons[i] for i in range(tok(wa), tok(wb - 1) + 1)} if sim >= mean.POINT_RUN else set()
        weighty = {c for c in near | run if c and c not in light_units() and c not in ignored_units()
                   and c not in _NEGATION_UNITS}
        # A feeling of the point, or an idiom for one of its words ("put yourself out there" for
        # tried), is more than a word met by chance.
        felt = any(u.startswith(FEELING) or units[u][1] - units[u][0] > 1 for u in held)
        carried = ((len(near) >= 2 or felt) and (where is not None or bool(weighty))) or (bool(run) and bool(weighty))
        if prob >= mean.POINT_CAPTURED and carried:
            captured += 1
            out.append(_sig(("key_point_captured", evidence, point)))
        elif prob >= mean.POINT_UNSURE:
            # Weak evidence: the card says "not sure" rather than claim it (nor count it).
            out.append(_sig(("key_point_unsure", evidence, point)))
        else:
            out.append(_sig(("key_point_missed", (), point)))
    return Points(captured, out)


def point_features(soft: float, window: float, best_window: float, asks_only: float, n_words: int,
                   heavy: int, frac: float, by_words: bool) -> tuple[float, ...]:
    """The evidence for one key point in the order of ``meaning.FEATURES``."""
    return (soft, window, window - best_window, float(asks_only), log1p(n_words), float(heavy), frac, float(by_words))


def _spans_text(r: Reading, spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.cut(a, b) for a, b in sorted(spans)))


@lru_cache(maxsize=4096)
def _feeling_families(feeling: str) -> frozenset[str]:
    """The feeling families of a feeling listed for the turn ("worn out / drained")."""
    fams = {emotion_family_of(feeling)} | {emotion_family_of(w) for w in WORD_RE.findall(feeling.lower())}
    return frozenset(f for f in fams if f)


def _own_feeling(toks: list[str], i: int) -> bool:
    """True when the feeling word at ``i`` is the listener's own ("I'm so glad", "it makes me sad").

    Walks back over linking and intensity words (``feeling_link`` in ``data/words.yaml``) and looks
    for a first-person word: "I'm glad you did" names no feeling of the speaker's.
    """
    k = i - 1
    while k >= 0 and toks[k] in FEELING_LINK:
        k -= 1
    return k >= 0 and toks[k] in FIRST_PERSON


def _negated(toks: list[str], i: int, reach: int) -> bool:
    """True when one of the ``reach`` tokens before ``i`` negates it ("not a failure")."""
    for k in range(max(0, i - reach), i):
        t = toks[k]
        if t in NEGATIONS or t.endswith("n't"):
            return True
    return False


def _about_speaker(toks: list[str], sent: Sentence) -> bool:
    """True when a sentence is about the speaker's experience: a reflection, a sentence with a word
    for the speaker, or one about nobody in particular ("there's some pride in that")."""
    words = toks[sent.start : sent.end]
    return (sent.act in _REFLECTION_ACTS or not _ABOUT_SPEAKER.isdisjoint(words)
            or (FIRST_PERSON.isdisjoint(words) and THIRD_PERSON.isdisjoint(words)))


# Sentence acts whose words do not restate the speaker: a question about something new or a
# suggestion names the speaker's topic ("does your mum get any help?") without carrying a point.
_NO_MEANING_ACTS = frozenset({"open_question", "closed_question", "question_as_advice", "advice", "advice_start",
                              "judgment", "persuade", "self_disclosure", "resource"})


# "not" and "never" carry no point alone ("without it, not sure" is not "without it he sees himself...").
_NEGATION_UNITS = frozenset(CANON[w] for w in NEGATIONS) - {""}


def _restates(sent: Sentence) -> bool:
    """True when a sentence may restate the speaker: not a question about something new, a
    suggestion, or comfort that plays it down ("don't be daft, you look fine")."""
    return sent.act not in _NO_MEANING_ACTS and "minimisation" not in sent.cues and "reassurance" not in sent.cues


def _labelled(r: Reading) -> set[int]:
    """The sentences holding a judging or clinical label ("that's just test anxiety"): a label
    restates nothing of the speaker's own."""
    spans = r.hits.get("judgmental_label", ())
    return {bisect_right(r.starts, a) - 1 for a, _, _ in spans} if len(r.sentences) > 1 else ({0} if spans else set())


def _meaning() -> ModuleType:
    """``meaning.py``, imported on first use: numpy loads only for replies with key points or feelings."""
    from roleplay.observer import meaning

    return meaning


def _speaker_feeling(toks: list[str], sent: Sentence, a: int) -> bool:
    """True when the feeling word at ``a`` names the speaker's feeling: in a sentence about the
    speaker, not negated ("not sad"), not the listener's own ("I'm glad")."""
    return _about_speaker(toks, sent) and not _negated(toks, a, 2) and not _own_feeling(toks, a)


def _third_person(toks: list[str], i: int) -> bool:
    """True when the feeling word at ``i`` is guessed for someone else ("he's probably finding it awkward").

    Walks back to the start of the clause: a third-person word met before any word for the speaker
    makes the feeling that person's.
    """
    for k in range(i - 1, max(-1, i - 9), -1):
        t = toks[k]
        if t in PUNCTUATION:
            return False
        if t in SECOND_PERSON:
            return False
        if t in THIRD_PERSON:
            return True
    return False


def _meaningful(tok: str) -> bool:
    """True for a content word that is not one of the light verbs and particles (``key_point_light``)."""
    c = CANON[tok]
    return bool(c) and c not in light_units()


def _feeling_candidates(toks: list[str], sentences: list[Sentence],
                        label_spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans of one or two words that may name the speaker's feeling in other words ("on edge").

    Only in sentences about the speaker, never inside a label or after a negation, and not the
    listener's own or a third person's feeling; a span holds at least one content word (not a stop
    word, not a common verb: "holding it"). The look-backs of :func:`_negated`, :func:`_own_feeling`
    and :func:`_third_person` are worked out for every token in one pass (this runs for every reply
    whose turn lists feelings it did not name in so many words).
    """
    about = [s for s in sentences if _about_speaker(toks, s)]
    if not about:
        return []
    light = light_units()
    canon = CANON.__getitem__
    meaningful = [bool(c) and c not in light for c in map(canon, toks)]
    blocked = _blocked(toks)
    for x, y in label_spans:
        for k in range(x, min(y, len(toks))):
            blocked[k] = True
    out: list[tuple[int, int]] = []
    for sent in about:
        end = sent.end
        for i in range(sent.start, end):
            here = meaningful[i]
            j = i + 1
            pair = j < end and (here or meaningful[j]) and toks[j] not in PUNCTUATION
            if (here or pair) and not blocked[i] and toks[i] not in PUNCTUATION:
                if here:
                    out.append((i, j))
                if pair:
                    out.append((i, j + 1))
    return out


def _blocked(toks: list[str]) -> list[bool]:
    """For each token, whether a feeling there is not the speaker's by the words before it: negated
    (one of the two tokens before negates), the listener's own (``_own_feeling``) or a third
    person's (``_third_person``: a third-person word, since the clause began, within eight tokens,
    with no word for the speaker after it)."""
    out = [False] * len(toks)
    own = False  # _own_feeling at the current token
    neg1 = neg2 = False  # whether the token one and two back negates
    third_at = -100  # where the last third-person word stands, when no stop came after it
    for i, t in enumerate(toks):
        out[i] = neg1 or neg2 or own or i - third_at <= 8
        # The state for token i + 1.
        own = own if t in FEELING_LINK else t in FIRST_PERSON
        neg2, neg1 = neg1, t in NEGATIONS or t.endswith("n't")
        if t in PUNCTUATION or t in SECOND_PERSON:
            third_at = -100
        elif t in THIRD_PERSON:
            third_at = i
    return out
