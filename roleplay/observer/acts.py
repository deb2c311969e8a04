"""Sentence acts: split a response into sentences, find what each sentence does, weigh a label.

A sentence's act comes from its cues (phrases from ``data/patterns.yaml``): a question that opens
with "have you tried" is advice, a question that opens like a statement ("so you're feeling
stuck?") is a reflection, and so on. The response's label is the act with the most weight.
"""

from __future__ import annotations

from roleplay.observer.lexicon import Lexicon, feeling_words
from roleplay.observer.scan import match_at
from roleplay.observer.weights import (
    ACT_WEIGHT,
    FIRST_PERSON,
    LABEL_ORDER,
    OPINION_VERBS,
    OPTION_MODALS,
    RELATIVE_WORDS,
    SECOND_PERSON,
    STATE_VERBS,
)

#: Section name -> (start token, end token, payload) of each match, from :func:`scan.scan`.
Hits = dict[str, list[tuple[int, int, object]]]

_ENDS = frozenset(".?!\n")
_RANK = {label: i for i, label in enumerate(LABEL_ORDER)}
# Open questions phrased as requests rather than questions ("tell me more about...").
_INVITATIONS = frozenset({("tell", "me"), ("describe",), ("explain",), ("please",), ("i'd", "love"),
                          ("i", "would", "love"), ("i'd", "like"), ("i", "would", "like"),
                          ("i'm", "wondering"), ("i", "am", "wondering"), ("i'm", "curious"),
                          ("i", "am", "curious")})

_YOU = frozenset({"you", "u"})
# First words of a question that tells a fact: "did you know...", "are you aware that...".
_ASKS_IF_KNOWN = frozenset({"did", "do", "are", "were"})
# Words that can open the subject after a question's "do" ("do you...", "do your parents...").
_SUBJECTS = frozenset({"you", "u", "i", "we", "they", "he", "she", "it", "this", "that", "these", "those", "your",
                       "ur", "his", "her", "their", "our", "my", "the", "a", "an", "any", "anyone", "anybody",
                       "someone", "somebody", "people", "things", "others", "y'all", "ya", "ye", "yall", "not",
                       "n't"})
# Auxiliary verbs that, right after a question word, make the question word order ("what is...", "how do...").
_AUXILIARIES = frozenset({"is", "are", "was", "were", "do", "does", "did", "can", "could", "would", "will", "has",
                          "have", "had", "should", "might"})
# Start cues that make a sentence ending in "?" a question of a known kind.
_QUESTION_STARTS = frozenset({"open_question_start", "closed_question_start", "advice_question_start"})
_OPENINGS = _QUESTION_STARTS | {"reflective_start"}

# Sentence act -> the response label it votes for.
ACT_LABEL: dict[str, str] = {
    "question_as_advice": "advice", "advice": "advice", "advice_start": "advice",
    "check_understanding": "reflection", "reflective_question": "reflection", "reflection": "reflection",
    "reflective_start": "reflection", "open_question": "question_open",
    "closed_question": "question_closed", "shared_power": "question_open",
    "affirmation": "affirmation", "reassurance": "affirmation", "minimisation": "affirmation",
    "sympathy": "affirmation", "self_disclosure": "self_disclosure", "information": "information",
    "resource": "information", "other": "other", "acknowledgement": "other", "closing": "other",
    "judgment": "advice", "persuade": "advice", "permission": "question_closed", "autonomy": "affirmation",
}


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


def start_cues(lex: Lexicon, toks: list[str], sentences: list[Sentence]) -> None:
    """Add the cues that only count at the start of a sentence (question words, imperatives).

    They are tried at the sentence start and after each lead-in word ("so", "well", "ok"...), so a
    cue that itself begins with a lead-in word ("so you...") is found as well as one after it.
    """
    root = lex.at_start
    for sent in sentences:
        _clause_cues(root, toks, sent.start, sent.end, sent.cues)
        if sent.q and "," in toks[sent.start : sent.end] and _QUESTION_STARTS.isdisjoint(sent.cues):
            # In chat an acknowledgement and a question are often joined by a comma ("hi there, how
            # are you?", "grief is sadness, does that fit?"): the question opens its own clause. (A
            # sentence that opens like a reflection stays one: "so you're stuck, aren't you?")
            i = sent.start
            while True:
                try:
                    i = toks.index(",", i, sent.end) + 1
                except ValueError:
                    break
                if "reflective_start" in sent.cues:
                    # A sentence that opens like a reflection stays one ("so you're stuck, aren't
                    # you?") unless a later clause suggests a step ("your worry makes sense, have you
                    # talked to your tutor?").
                    found: dict[str, tuple[int, int]] = {}
                    _clause_cues(root, toks, i, sent.end, found)
                    if "advice_question_start" in found:
                        sent.cues["advice_question_start"] = found["advice_question_start"]
                        break
                    continue
                _clause_cues(root, toks, i, sent.end, sent.cues)
                if not _QUESTION_STARTS.isdisjoint(sent.cues):
                    break
        elif (not sent.q and "," in toks[sent.start : sent.end] and "advice_start" not in sent.cues
              and "self_disclosure" not in sent.cues):  # "I'm a mum too, and remember worrying" is a story
            # An instruction after a comma ("I know it's hard, but try to rest") opens its own clause.
            i = sent.start
            while True:
                try:
                    i = toks.index(",", i, sent.end) + 1
                except ValueError:
                    break
                clause: dict[str, tuple[int, int]] = {}
                _clause_cues(root, toks, i, sent.end, clause)
                cue = clause.get("advice_start")
                # ("always" and "never" after a comma are mostly adverbs of the sentence, not orders.)
                if cue and toks[cue[0]] not in ("always", "never") and _QUESTION_STARTS.isdisjoint(clause):
                    sent.cues["advice_start"] = cue
                    break


def _clause_cues(root: dict, toks: list[str], pos: int, end: int, cues: dict[str, tuple[int, int]]) -> None:
    """Add the start cues found at ``pos`` and after each lead-in word that follows it."""
    while pos < end and toks[pos] in root:  # (most words start no cue: no call for them)
        lead = None
        for name, (j, _) in match_at(root, toks, pos).items():
            if name == "lead_in":
                # "I see" and "I understand" lead in only before a comma: in "I understand how hard it
                # is" the "how" opens no question.
                if toks[pos] != "i" or (j < end and toks[j] == ","):
                    lead = j
            elif name not in cues:
                cues[name] = (pos, j)
        if lead is None:
            break
        pos = lead
        while pos < end and toks[pos] == ",":
            pos += 1


def _act(sent: Sentence, toks: list[str]) -> tuple[str, float]:
    """The act of one sentence and how strongly its cues point to it."""
    cues = sent.cues
    if "minimisation" in cues or "reassurance" in cues or "closing" in cues or "autonomy" in cues:
        # "Don't worry", "don't be so hard on yourself", "take care", "take your time": instructions in
        # form only, they comfort, leave the choice to the person or say goodbye (a minimising "don't
        # worry" is still flagged as such).
        cues.pop("advice_start", None)
    own, adv = cues.get("self_disclosure"), cues.get("advice")
    if own and adv and own[0] < adv[0] and SECOND_PERSON.isdisjoint(toks[adv[0] : adv[1]]):
        # In the listener's own story, "talking to her" or "I would call a friend" is what they did,
        # not a step offered to the person ("I had an ex who kept talking to her ex").
        del cues["advice"]
    social = cues.get("social_question")
    if social and sent.n <= 12 and not _asks_after(cues, social[1]):
        # "Is there anything else I can help with?" is talk about the chat, not the speaker's experience.
        return "other", ACT_WEIGHT["social_question"]
    closed = cues.get("closed_question_start")
    if closed and toks[closed[0]] == "do" and closed[1] < sent.end and toks[closed[1]] not in _SUBJECTS:
        # "Do something you enjoy" is an instruction: a question needs a subject after "do".
        del cues["closed_question_start"]
        closed = None
    invite = cues.get("open_question_start")
    # "Do you have anyone...", "are you able to...": an auxiliary before "you" asks, whatever the length
    # or punctuation (chat drops question marks); the "do" is not the imperative "do it".
    inverted = closed is not None and closed[1] < sent.end and toks[closed[1]] in _YOU
    if (not inverted and invite is not None and invite[1] < sent.end and toks[invite[1]] in _AUXILIARIES
            and toks[invite[0]] != "which"):  # "Which can happen to anyone." continues a sentence
        # "What is bothering you today." asks, whatever its end mark ("what you said is true" does not).
        inverted = True
    if inverted:
        cues.pop("advice_start", None)
    has_q_word = "open_question_start" in cues or closed is not None
    if invite and not sent.q and _invitation(toks, invite[0]):
        # "Tell me more about..." invites the speaker to go on, whatever its punctuation.
        return "open_question", ACT_WEIGHT["open_question"]
    # Chat often drops the question mark: a sentence that opens like a question and does not end in
    # "." or "!" is read as one, if short (a long one is often a statement starting "is it..."); a
    # suggestion phrased as a question ("have you thought of...") at any length; and never a closing
    # ("have a good day", which opens like "have you...").
    is_q = sent.q or (inverted and "closing" not in cues) or (
        sent.stop[:1] not in (".", "!") and "closing" not in cues
        and ((has_q_word and sent.n <= 14) or "advice_question_start" in cues)
    )
    if is_q:
        fact = cues.get("information")
        if (fact and fact[0] <= sent.start + 1 and toks[fact[0]] in _ASKS_IF_KNOWN
                and "advice_question_start" not in cues):
            # "Did you know there are grants for carers?" tells rather than asks.
            return "information", ACT_WEIGHT["open_question"]
        if invite and "reflection" in cues and cues["reflection"][0] <= invite[0] < cues["reflection"][1]:
            # The question word belongs to a reflection phrase: "so what you're saying is... ?"
            return "reflective_question", ACT_WEIGHT["reflective_question"]
        if "advice_question_start" in cues and not _asks_about(cues["advice_question_start"], toks):
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
        if not has_q_word and sent.n > 3 and toks[sent.start] == "so":
            # "So" + statement word order + a rising end ("so the rest of it feels a bit empty?") sums up
            # what was heard: MITI codes a reflection said with a questioning inflection as a reflection.
            return "reflective_question", ACT_WEIGHT["reflective_question"] * 0.6
        return "closed_question", ACT_WEIGHT["closed_question"] * 0.6
    best, score = "", 0.0
    for cue in cues:
        w = ACT_WEIGHT.get(cue, 0.0)
        if w > score:
            best, score = cue, w
    if best == "shared_power":
        # Not a question: "whatever you decide" leaves the choice with the person (an autonomy support).
        return "autonomy", ACT_WEIGHT["autonomy"]
    # A bare greeting or thanks wins over the weak cues it may also hold ("great", "take care").
    if ("other" in cues or "acknowledgement" in cues) and sent.n <= 6 and score < ACT_WEIGHT["strong"]:
        return "other", ACT_WEIGHT["other" if "other" in cues else "acknowledgement"]
    return best, score




def _is_wish(sent: Sentence, toks: list[str]) -> bool:
    """True when the sentence's comfort is a wish ("I hope things ease", "fingers crossed")."""
    a, b = sent.cues["reassurance"]
    return not _WISH_WORDS.isdisjoint(toks[a:b])


# Words that make a comforting phrase a wish rather than confidence in the person.
_WISH_WORDS = frozenset({"hope", "hoping", "wish", "fingers", "pray", "praying"})


def _asks_after(cues: dict[str, tuple[int, int]], pos: int) -> bool:
    """True when a question opens at or after token ``pos`` ("my name is Sam, how are you today?")."""
    return any(name in cues and cues[name][0] >= pos for name in _QUESTION_STARTS)


def _asks_about(cue: tuple[int, int], toks: list[str]) -> bool:
    """True when "what about" / "how about" asks rather than suggests.

    "How about a walk?" and "what about asking her?" put a step on the table; "how about you?" and
    "what about the job do you find hard?" ask about the person.
    """
    a, b = cue
    if b - a != 2 or toks[a + 1] != "about" or b >= len(toks):
        return False
    nxt = toks[b]
    return not (nxt.endswith("ing") or nxt in _STEP_OPENERS)


# Words after "how about" that open a suggested step ("how about a walk?", "what about if you...").
_STEP_OPENERS = frozenset({"a", "an", "some", "if", "maybe", "perhaps", "just", "trying", "going", "taking"})


def _invitation(toks: list[str], i: int) -> bool:
    """True when the words at ``i`` open a request to say more ("tell me", "I'm curious")."""
    return any(tuple(toks[i : i + k]) in _INVITATIONS for k in (1, 2, 3))


def _fallback(sent: Sentence, toks: list[str], overlap: float) -> tuple[str, float]:
    """An act for a sentence with no cue, from its pronouns and its length."""
    if sent.n <= 3:
        return "other", 0.6
    words = toks[sent.start : sent.end]
    first = sum(1 for w in words if w in FIRST_PERSON) - _opinion_frames(words)
    second = sum(1 for w in words if w in SECOND_PERSON)
    if first > second:
        return "self_disclosure", 0.9
    if _offers_option(words) and "speaker_frame" not in sent.cues:  # not "something you should keep up"
        # "You could leave early", "talking to her might help": a modal that offers an option (MISC: advise).
        return "advice", 0.6
    if second:
        return "reflection", 1.0 if overlap >= 0.25 else 0.6
    return "information", 0.7


def _opinion_frames(words: list[str]) -> int:
    """How many times "I" opens an opinion ("I think", "I don't think", "I really believe").

    Such an "I" frames a view of something else, so it does not make the sentence self-disclosure.
    """
    count = 0
    for i, w in enumerate(words):
        if w == "i":
            j = i + 1
            while j < len(words) and words[j] in _OPINION_FILLERS:
                j += 1
            if j < len(words) and words[j] in OPINION_VERBS:
                count += 1
    return count


# Words allowed between "I" and an opinion verb ("I don't really think").
_OPINION_FILLERS = frozenset({"do", "don't", "dont", "not", "really", "honestly", "truly", "just", "personally",
                              "also", "still", "would", "definitely", "kind", "of", "sort"})


def _offers_option(words: list[str]) -> bool:
    """True for "you could leave early": a modal that offers the speaker an option.

    Not a modal that guesses at a feeling (:func:`_guessed_feeling`) or at what the person senses
    ("you can feel it happening", "asking would feel like..."), nor one in a clause about someone
    else ("the person who could fix things").
    """
    for i, w in enumerate(words):
        if w in OPTION_MODALS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if (nxt in ("feel", "have") or (i and words[i - 1] in RELATIVE_WORDS)
                    or _guessed_feeling(words[i:])):  # "could have" looks back: no option now
                continue
            # The option is the speaker's only when "you" is the modal's subject ("you could ask"), not
            # "it may have", "I can tell" or "it would be good to hear" (an adverb may sit between).
            j = i - 1
            while j >= 0 and words[j] in _MODAL_ADVERBS:
                j -= 1
            subject = words[j] if j >= 0 else ""
            if subject in SECOND_PERSON or (subject == "we" and w in _TENTATIVE):
                return True
            # Other subjects offer an option when a tentative modal rates a step ("talking to her might
            # help", "a walk would be good"); "deep breaths can help" states a general fact. The
            # listener's "I would start small" says what they would do in the person's place.
            if w in _TENTATIVE and (nxt == "help" or (nxt == "be" and _rates_step(words, i + 2))):
                return True
            if subject == "i" and w == "would" and nxt and nxt not in _NOT_A_STEP:
                return True
    return False


def _rates_step(words: list[str], k: int) -> bool:
    """True when the words at ``k`` (after "would be") rate a step: "helpful", "a good idea", "worth it"."""
    if k < len(words) and words[k] == "a":
        k += 1
    while k < len(words) and words[k] in _MODAL_ADVERBS:
        k += 1
    return k < len(words) and words[k] in _STEP_PRAISE


# Modals that offer a step tentatively ("it might help"), unlike "can" in a general fact.
_TENTATIVE = frozenset({"could", "might", "may", "would", "should"})
# Words after "would be" / "might be" that rate a step ("would be helpful", "might be worth a try").
_STEP_PRAISE = frozenset({"helpful", "good", "great", "useful", "worth", "nice", "beneficial", "best", "better",
                          "wise", "smart", "perfect", "ideal", "healthy", "okay", "ok", "fine"})
# Words after "I would" that are not a step the listener would take ("I would be upset too").
_NOT_A_STEP = frozenset({"be", "have", "feel", "like", "love", "say", "think", "guess", "imagine", "want", "hope",
                         "not", "never", "probably", "also", "too", "agree", "understand", "hate", "get"})
# Words that may stand between "you" and its modal ("you really should", "you also could").
_MODAL_ADVERBS = frozenset({"also", "always", "still", "just", "maybe", "perhaps", "really", "even", "probably",
                            "definitely", "certainly", "then", "too", "both", "all", "very", "so", "quite"})


def _guessed_feeling(words: list[str]) -> bool:
    """True for "you may feel let down", "you might be scared": a modal that guesses at a feeling.

    Such a modal is epistemic (a tentative reflection of feeling), not an option to act on.
    """
    for i, w in enumerate(words[:-1]):
        if w in OPTION_MODALS and words[i + 1] in STATE_VERBS:
            return bool(feeling_words(words[i + 2 :]))
    return False


# Acts that count for less beside another move in the same turn: (acts, their label, the labels that
# make them secondary, the share of their weight they keep then).
_BESIDE: tuple[tuple[frozenset[str], str, frozenset[str], float], ...] = (
    # Praise or comfort beside a question frames it, as sympathy does ("That's great news! What made the
    # difference?"): the question is what the person is asked to take up.
    (frozenset({"affirmation", "reassurance"}), "affirmation", frozenset({"question_open", "question_closed"}), 0.75),
    # A step offered from the listener's own experience ("I started walking at lunch and it helped. You
    # could try it.") is a disclosure of a strategy (Hill's helping skills): the experience leads.
    (frozenset({"advice", "advice_start"}), "advice", frozenset({"self_disclosure"}), 0.9),
)


def weigh(sentences: list[Sentence], toks: list[str], overlap: float) -> tuple[str, float, dict[str, float]]:
    """Set each sentence's act; return the response label, a confidence and the label scores.

    Each sentence votes for a label with the weight of its act. In a goodbye (a sentence whose act
    is a closing), the good wishes of the other sentences vote for ``other`` too; beside a question,
    praise and comfort count for less (they frame the question), and so does advice beside the
    listener's own experience (see ``_BESIDE``).
    """
    scores: dict[str, float] = {}
    for sent in sentences:
        act, w = _act(sent, toks)
        if not act:
            act, w = _fallback(sent, toks, overlap)
        sent.act, sent.weight = act, w
        label = ACT_LABEL.get(act, "other")
        scores[label] = scores.get(label, 0.0) + w
    if "affirmation" in scores and any(s.act == "closing" for s in sentences):
        # Good wishes in a goodbye ("I hope things get better. Take care!") are part of the farewell;
        # confidence in the person ("you'll get through this", "I believe in you") still affirms.
        for sent in sentences:
            if sent.act == "reassurance" and _is_wish(sent, toks):
                scores["affirmation"] -= sent.weight
                scores["other"] = scores.get("other", 0.0) + sent.weight
        if scores["affirmation"] <= 0:
            del scores["affirmation"]
    elif len(scores) > 1:
        for acts, label, beside, share in _BESIDE:
            if label in scores and not beside.isdisjoint(scores):
                for sent in sentences:
                    if sent.act in acts:
                        scores[label] -= sent.weight * (1 - share)
    if not scores:
        scores["other"] = 0.5
    if len(scores) == 1:
        (label, top), second = next(iter(scores.items())), 0.0
    else:
        # Highest score first, ties by label order (plain tuples sort faster than with a key function).
        ranked = sorted([(-w, _RANK[k], k) for k, w in scores.items()])
        top, label, second = -ranked[0][0], ranked[0][2], -ranked[1][0]
    if label == "question_closed" and "question_open" in scores:
        label = "question_open"
    # Two decimals, half up (round(x, 2) goes through a decimal string: slow in a hot path).
    share = top / (top + second + 0.75)
    confidence = int((0.95 if share > 0.95 else 0.3 if share < 0.3 else share) * 100 + 0.5) / 100
    return label, confidence, scores
