"""Sentence acts: find what each sentence of a response does, and weigh the response's label.

A sentence's act comes from its cues (phrases from ``data/patterns.yaml``): a question that opens
with "have you tried" is advice, a question that opens like a statement ("so you're feeling
stuck?") is a reflection, and so on. The response's label is the act with the most weight.
"""

from __future__ import annotations

from roleplay.observer.fallback import fallback_act
from roleplay.observer.sentences import QUESTION_STARTS, Sentence
from roleplay.observer.weights import ACT_WEIGHT, LABEL_ORDER, SECOND_PERSON

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
                       "someone", "somebody", "people", "things", "others", "y'all", "ya", "ye", "yall", "not"})
# Auxiliary verbs that, right after a question word, make the question word order ("what is...", "how do...").
_AUXILIARIES = frozenset({"is", "are", "was", "were", "do", "does", "did", "can", "could", "would", "will", "has",
                          "have", "had", "should", "might"})

# Sentence act -> the response label it votes for. Two labels follow MITI beside Hill's helping skills:
#
# - ``judgment`` (MITI "Confront"): the listener disagrees with, criticises, blames, shames, lectures or
#   labels the speaker ("you're overreacting", "that was never going to help your case"), a verdict on
#   the person rather than a reflection of their experience;
# - ``reassurance`` (the move scenarios branch on; MI counts it as a roadblock, not an affirmation): the
#   listener plays the problem down or tells the speaker not to feel it ("at least you have a job",
#   "don't worry", "it's nothing", "lots of people would be glad of that") instead of staying with
#   what they feel. Comfort about the future and confidence in the person ("I'm sure things will get
#   better", "you'll get through this") stay ``affirmation``, as Hill's helping skills and ESConv
#   ("Affirmation and Reassurance") file them, with the ``reassurance`` signal still raised; so do
#   recognising a strength or effort and sympathy ("that's really tough"). A sentence holding both
#   ("don't worry, you'll be fine") dismisses the feeling: ``reassurance``.
ACT_LABEL: dict[str, str] = {
    "question_as_advice": "advice", "advice": "advice", "advice_start": "advice",
    "check_understanding": "reflection", "reflective_question": "reflection", "reflection": "reflection",
    "reflective_start": "reflection", "open_question": "question_open",
    "closed_question": "question_closed", "shared_power": "question_open",
    "affirmation": "affirmation", "reassurance": "affirmation", "minimisation": "reassurance",
    "sympathy": "affirmation", "self_disclosure": "self_disclosure", "information": "information",
    "resource": "information", "other": "other", "acknowledgement": "other", "closing": "other",
    "judgment": "judgment", "persuade": "advice", "permission": "question_closed", "autonomy": "affirmation",
}


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
    if best == "reassurance" and "minimisation" in cues:
        # "Don't worry, it'll be fine": comfort that tells the person not to feel it dismisses the
        # feeling, so the sentence is the roadblock (label ``reassurance``), never an affirmation; it
        # keeps the comfort's weight, so the response's other sentences are outvoted as before.
        return "minimisation", score
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
    return any(name in cues and cues[name][0] >= pos for name in QUESTION_STARTS)


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


# Acts that count for less beside another move in the same turn: (acts, their label, the labels that
# make them secondary, the share of their weight they keep then).
_BESIDE: tuple[tuple[frozenset[str], str, frozenset[str], float], ...] = (
    # Praise or comfort beside a question frames it, as sympathy does ("That's great news! What made the
    # difference?"): the question is what the person is asked to take up.
    (frozenset({"affirmation", "reassurance"}), "affirmation", frozenset({"question_open", "question_closed"}), 0.75),
    (frozenset({"minimisation", "reassurance"}), "reassurance", frozenset({"question_open", "question_closed"}), 0.75),
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
    voted: list[str] = []
    for sent in sentences:
        act, w = _act(sent, toks)
        if not act:
            act, w = fallback_act(sent, toks, overlap)
        sent.act, sent.weight = act, w
        label = ACT_LABEL.get(act, "other")
        voted.append(label)
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
        if "reassurance" in scores and "affirmation" in scores:
            # Beside a sentence that dismisses the feeling ("don't worry"), comfort ("loads of people go
            # through this") carries on the same reassurance rather than affirming the person.
            for i, sent in enumerate(sentences):
                if sent.act == "reassurance":
                    scores["affirmation"] -= sent.weight
                    scores["reassurance"] += sent.weight
                    voted[i] = "reassurance"
            if scores["affirmation"] <= 1e-9:
                del scores["affirmation"]
        for acts, label, beside, share in _BESIDE:
            if label in scores and not beside.isdisjoint(scores):
                for i, sent in enumerate(sentences):
                    if sent.act in acts and voted[i] == label:
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
