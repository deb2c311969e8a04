"""Suggested ratings and tallies for a rubric, from one :class:`Observation`.

Each check turns the observation into a quality between 0 and 1 plus a one-line reason built from
the evidence; the quality is then placed on the rubric's own scale. Criteria without an ``auto``
check, observer-only criteria and checks that do not apply to this response get no suggestion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
from roleplay.observer.model import Observation, SuggestedRating
from roleplay.observer.shown import GENERIC, REPEATED, carries_nothing, dismisses, general_feeling, minimises
from roleplay.observer.shown import ev as _ev
from roleplay.observer.shown import minimising_words as _minimising_words
from roleplay.observer.shown import off_thread as _off_thread
from roleplay.observer.shown import should as _should

if TYPE_CHECKING:
    from roleplay.content.rubric import Level, Rubric

Quality = tuple[float, str] | None


def _paraphrase(obs: Observation) -> Quality:
    if obs.has("repeats_earlier_reply"):
        return 0.1, REPEATED
    parrot = _ev(obs, "parroting", 1)
    if obs.key_points_total:
        share = obs.key_points_captured / obs.key_points_total
        if not obs.key_points_captured:
            return 0.0, f"restates none of the {obs.key_points_total} key points" + (
                f": {GENERIC}" if carries_nothing(obs) else f"; mainly {obs.label.replace('_', ' ')}")
        reason = f"restates {obs.key_points_captured} of {obs.key_points_total} key points"
        if parrot:
            return min(share, 0.4), reason + f" but parrots the speaker ({parrot})"
        if obs.label != "reflection":
            return share * 0.75, reason + f"; mainly {obs.label.replace('_', ' ')}"
        return share, reason + " in own words"
    if parrot:
        return 0.3, f"repeats the speaker's words nearly verbatim ({parrot})"
    if obs.label == "reflection":
        words = _ev(obs, "content_overlap", 3)
        q = 0.75 if obs.subtype == "complex" else 0.6
        reason = "reflects the speaker's line" + (f", picking up {words}" if words else "")
        return q + min(0.25, obs.overlap / 2), reason
    if obs.has("reflection"):
        return 0.4, f"some reflection ({_ev(obs, 'reflection', 1)}) but mainly {obs.label.replace('_', ' ')}"
    return 0.0, f"no paraphrase: the response is mainly {obs.label.replace('_', ' ')}"


def _reflect_feeling(obs: Observation) -> Quality:
    named = _ev(obs, "feeling_named")
    if obs.feelings_total:
        if obs.feelings_matched:
            q = 0.75 + 0.25 * obs.feelings_matched / obs.feelings_total
            return q, f"names {named}, matching {obs.feelings_matched} of the turn's {obs.feelings_total} feelings"
        if named:
            # Some feeling, but not the speaker's here: "partly there", never credited as the level
            # that gives back the feeling on the surface (0.5 would round up to it on four levels).
            return 0.4, f"names {named}, not the feeling the turn is about"
        general = general_feeling(obs)
        if general and not obs.has("repeats_earlier_reply"):
            # The rubric's own "partly there": points at feelings in general ("that must be hard").
            return 0.3, f"points at feelings in general ('{general}') without naming the speaker's"
        return 0.0, "names no feeling"
    if named:
        return (0.9 if obs.label == "reflection" else 0.65), f"names the feeling {named}"
    if obs.has("sympathy"):
        return 0.25, f"sympathy ({_ev(obs, 'sympathy', 1)}) without naming a feeling"
    return 0.0, "names no feeling"


def _open_question(obs: Observation) -> Quality:
    if obs.has("open_question"):
        asked = _ev(obs, "open_question", 1)
        if _off_thread(obs):
            # "So, how's work?": open in form, but it moves to the listener's subject, not the speaker's.
            return 0.45, f"an open question about something the speaker did not raise: {asked}"
        return 1.0, f"open question: {asked}"
    if obs.has("question_as_advice"):
        return 0.2, f"a suggestion phrased as a question: {_ev(obs, 'question_as_advice', 1)}"
    if obs.has("closed_question"):
        return 0.35, f"closed question: {_ev(obs, 'closed_question', 1)}"
    return None  # no question asked: nothing to rate


def _check_understanding(obs: Observation) -> Quality:
    checked = _ev(obs, "check_understanding", 1) or _ev(obs, "reflective_question", 1)
    if checked and obs.has("repeats_earlier_reply"):
        return 0.1, f"a stock check ({checked}) on {REPEATED}"
    if checked and carries_nothing(obs):
        # A stock "is that right?" on a reply holding nothing of the line checks nothing: the rubric's
        # "easy to simply agree with", never the level that offers an understanding to be corrected.
        return 0.35, f"a stock check ({checked}): gives back nothing the speaker said to check"
    if obs.has("check_understanding"):
        return 1.0, f"checks understanding: {_ev(obs, 'check_understanding', 1)}"
    if obs.has("reflective_question"):
        return 0.75, f"offers the reflection tentatively: {_ev(obs, 'reflective_question', 1)}"
    if obs.label == "reflection":
        return 0.4, "reflects without checking it has understood"
    return 0.0, "does not check understanding"


def _speaker_led(obs: Observation) -> Quality:
    # The rubric's top level hands the lead back on purpose (asks what the speaker wants, leaves the
    # choice with them); following the thread without steering is its "interchangeable"; a stock reply
    # that picks up nothing of the line follows no thread at all ("partly there").
    hands_back = obs.has("shared_power") or obs.has("autonomy") or obs.has("asks_permission")
    generic = carries_nothing(obs) and not obs.has("repeats_earlier_reply")
    q = 1.0 if hands_back else 0.45 if generic else 0.8
    why: list[str] = [GENERIC] if generic else []
    if obs.has("advice_without_permission"):
        q -= 0.6
        why.append(f"advice without permission ({_ev(obs, 'advice_without_permission', 1)})")
    elif obs.label == "advice":
        # Even when the speaker asks "what should I do?", a directive answer takes the decision
        # from them; peer support hands the question back (shared power).
        q -= 0.6
        why.append("gives advice, though asked: the decision moves to the listener")
    if obs.has("self_focus"):
        q -= 0.4
        why.append("talks about themselves at length")
    if obs.has("repeats_earlier_reply"):
        # The same words to every line follow no line in particular.
        q -= 0.6
        why.append(REPEATED)
    if obs.length_ratio > 2.5 and obs.words > 30:
        q -= 0.2
        why.append(f"{obs.length_ratio}x the speaker's length")
    if minimises(obs):
        # Comfort as the main move closes the subject ("don't worry"); beside a reflection it slips in.
        q -= 0.45 if dismisses(obs) else 0.2
        why.append(f"moves the speaker on ({_minimising_words(obs)})")
    steer = _steering_question(obs)
    if steer:
        # A yes/no question about something the speaker did not raise takes the lead from them: at
        # most "partly there" on a four-level scale.
        q -= 0.6
        why.append(f"steers away from what the speaker said with a closed question ('{steer}')")
    prompt = obs.label == "other" and obs.words <= 4 and obs.has("social")
    if obs.label in ("information", "other") and obs.overlap == 0 and obs.length_ratio > 0 and not prompt:
        # (A minimal prompt, "Mm. Go on.", picks up no words and still gives the speaker the floor.)
        q -= 0.2
        why.append("does not pick up the speaker's words")
    if not why:
        if hands_back:
            handed = _ev(obs, "shared_power", 1) or _ev(obs, "autonomy", 1) or _ev(obs, "asks_permission", 1)
            why.append(f"hands the lead back: {handed}")
        elif obs.has("open_question") or obs.label == "reflection":
            why.append("follows the speaker")
        elif prompt:
            why.append(f"a short prompt to go on ({_ev(obs, 'social', 1)}) gives the speaker the floor")
    return max(q, 0.0), "; ".join(w for w in why if w) or "leaves the lead with the speaker"


def _steering_question(obs: Observation) -> str:
    """The closed question of a reply mainly asking one that brings in something the speaker did not
    raise (none of the speaker's words in it, no key point restated): "Safer? Does he hit you?" echoes
    one word and then pounces. Empty when there is none."""
    if obs.label != "question_closed" or obs.key_points_captured:
        return ""
    asked = obs.signal("closed_question")
    overlap = obs.signal("content_overlap")
    shared = [w.lower() for w in overlap.evidence] if overlap is not None and obs.overlap else []
    for question in asked.evidence if asked is not None else ():
        low = question.lower()
        if not any(w in low for w in shared):
            return question
    return ""


def _non_judgmental(obs: Observation) -> Quality:
    # Not judging is the rubric's "interchangeable" (accepting words); its top level needs something the
    # listener did: respect shown for the speaker's own way (a strength recognised, the choice left with
    # them, or their feeling given back). The absence of a fault is never "adds depth".
    warm = _ev(obs, "affirmation", 1) or _ev(obs, "autonomy", 1) or _ev(obs, "shared_power", 1)
    if not warm and obs.label == "reflection" and obs.feelings_matched and not carries_nothing(obs):
        warm = _ev(obs, "feeling_matched", 1) or _ev(obs, "feeling_named", 1)
    q = 1.0 if warm else 0.67
    why: list[str] = []
    if obs.has("judgmental_label"):
        q -= 0.7
        why.append(f"label {_ev(obs, 'judgmental_label')}")
    if obs.has("judgment"):
        q -= 0.5
        why.append(f"judges {_ev(obs, 'judgment', 1)}")
    if minimises(obs):
        # Playing the problem down judges it small: the rubric's lowest level when it is the main move,
        # its "partly there" when it slips in beside a reflection; never "interchangeable".
        q -= 0.75 if dismisses(obs) else 0.6
        why.append(f"minimises {_minimising_words(obs)}")
    should = _should(obs)
    if should:
        # The rubric's "partly there": a "should" slips in (telling the speaker what they must do judges
        # their own way); a suggestion without one ("you could...") is the lead criterion's business.
        q -= 0.35
        why.append(f"tells the speaker what to do ('{should}')")
    if obs.has("persuade"):
        q -= 0.3
        why.append(f"argues {_ev(obs, 'persuade', 1)}")
    if not why and warm:
        why.append(f"shows respect for the speaker's own way: {warm}")
    return max(q, 0.0), "; ".join(why) or NOT_JUDGING


#: The reason for a reply that judges nothing and shows nothing more: an absence, never a strength.
NOT_JUDGING = "no judging, labelling or minimising"


def _shared_power(obs: Observation) -> Quality:
    if obs.has("shared_power") or obs.has("autonomy"):
        ev = _ev(obs, "shared_power", 1) or _ev(obs, "autonomy", 1)
        return 1.0, f"leaves the choice with the speaker: {ev}"
    if obs.has("asks_permission"):
        return 0.85, f"asks before offering ideas: {_ev(obs, 'asks_permission', 1)}"
    if obs.has("advice_without_permission"):
        return 0.1, f"directs without being asked: {_ev(obs, 'advice_without_permission', 1)}"
    if obs.has("judgment") or obs.has("persuade"):
        return 0.2, "argues or judges instead of asking what the speaker wants"
    return 0.5, "neither directs nor asks what the speaker wants"


def _strengths(obs: Observation) -> Quality:
    if obs.has("judgmental_label"):
        return 0.0, f"clinical or judging label {_ev(obs, 'judgmental_label')}"
    if obs.has("affirmation"):
        return 1.0, f"recognises a strength or effort: {_ev(obs, 'affirmation', 1)}"
    if obs.has("reassurance"):
        return 0.6, f"encourages ({_ev(obs, 'reassurance', 1)}) without naming a strength"
    return 0.5, "no strengths named; wording is non-clinical"


def _empathy(obs: Observation) -> Quality:
    # Carkhuff-style: 1 subtracts, 2 partly misses, 3 interchangeable, 4-5 add implied meaning.
    if obs.has("judgmental_label") or obs.has("judgment"):
        return 0.0, "judges the speaker instead of understanding them"
    if obs.has("repeats_earlier_reply"):
        return 0.1, REPEATED
    if carries_nothing(obs):
        return 0.25, GENERIC
    if obs.has("advice_without_permission") or minimises(obs):
        ev = _ev(obs, "advice_without_permission", 1) or _minimising_words(obs)
        # Telling the person not to feel it is the rubric's "takes away"; advice beside it partly misses.
        return (0.1 if dismisses(obs) else 0.25), f"moves past the speaker's experience ({ev})"
    feeling = obs.has("feeling_named")
    if obs.label == "reflection":
        if obs.has("parroting"):
            return 0.5, "repeats the speaker's words: accurate but adds nothing"
        kp_all = obs.key_points_total == 0 or obs.key_points_captured * 2 >= obs.key_points_total
        if obs.subtype == "complex" and feeling and kp_all:
            return 1.0, f"reflects content and the feeling underneath ({_ev(obs, 'feeling_named', 1)})"
        if obs.subtype == "complex" or feeling:
            added = f"names {_ev(obs, 'feeling_named', 1)}" if feeling else "adds meaning"
            return 0.75, f"reflects content and {added}"
        return 0.5, "restates the content without the feeling"
    if feeling or obs.has("sympathy"):
        return 0.5, "acknowledges the feeling but does not reflect the content"
    return 0.25, f"mainly {obs.label.replace('_', ' ')}: little sign of the speaker's point of view"


#: How the reasons in this module open when they name a problem (the card's "watch out" flags: minimising, judging,
#: labelling, advice unasked, talking about oneself, arguing); the solo summary never quotes such a line as
#: a strength. Keep it in step with them.
PROBLEM_OPENERS: tuple[str, ...] = (
    "advice without permission", "gives advice", "directs without", "a suggestion phrased as a question",
    "talks about themselves", "moves the speaker on", "moves past", "minimises", "judges", "label ",
    "clinical or judging", "argues", "repeats the speaker's words nearly verbatim", "steers away", REPEATED,
    GENERIC, "restates none", "a stock check", "tells the speaker what to do", "an open question about something",
    "does not pick up",
)

#: Reasons that only say a fault is absent ("no judging"): true, but nothing the listener did, so the
#: solo summary never names them as a strength (a strength is something the trainee actually did).
ABSENCE_REASONS: tuple[str, ...] = (
    NOT_JUDGING, "leaves the lead with the speaker", "neither directs nor asks", "no strengths named",
)


#: Criterion check name -> function giving (quality 0..1, reason) or None when it does not apply.
CRITERION_FUNCS: dict[str, Callable[[Observation], Quality]] = {
    "paraphrase": _paraphrase,
    "reflect_feeling": _reflect_feeling,
    "open_question": _open_question,
    "check_understanding": _check_understanding,
    "speaker_led": _speaker_led,
    "non_judgmental": _non_judgmental,
    "shared_power": _shared_power,
    "strengths_language": _strengths,
    "empathy": _empathy,
}
assert set(CRITERION_FUNCS) == set(CRITERION_CHECKS), "every criterion check needs a function"
assert set(TALLY_CHECKS) <= {
    "question_open", "question_closed", "reflection_simple", "reflection_complex", "affirmation",
    "seeking_collaboration", "emphasizing_autonomy", "advice_without_permission", "persuade", "confront",
    "giving_information",
}, "every tally check needs a behaviour"


#: Below this confidence a suggested rating's reason ends with "not sure".
UNSURE = 0.5
# Checks that rest on the key points (weak evidence for one of them makes them less sure).
_POINT_CHECKS = frozenset({"paraphrase", "empathy"})
# Checks that rest on the main label (a low label confidence carries over).
_LABEL_CHECKS = frozenset({"paraphrase", "empathy", "speaker_led"})


def rating_confidence(obs: Observation, check: str) -> float:
    """How sure a suggestion for ``check`` is: the label's confidence where the check rests on the
    label, lowered by each key point carried only on weak evidence (``key_point_unsure``)."""
    conf = obs.confidence if check in _LABEL_CHECKS else 0.9
    if check in _POINT_CHECKS:
        unsure = sum(1 for sig in obs.signals if sig.name == "key_point_unsure")
        conf *= 0.7 ** unsure
    return round(max(0.05, min(1.0, conf)), 2)


def to_scale(quality: float, scale: list[Level]) -> int:
    """Place a 0..1 quality on a rubric's scale (its levels lowest first), returning a scale value."""
    values = sorted(level.value for level in scale)
    q = min(1.0, max(0.0, quality))
    return values[round(q * (len(values) - 1))]


def suggest_ratings(observation: Observation, rubric: Rubric) -> list[SuggestedRating]:
    """Suggested ratings for the rubric's criteria that name an ``auto`` check the observer can judge."""
    out: list[SuggestedRating] = []
    for criterion in rubric.criteria:
        if criterion.observer_only or not criterion.auto:
            continue
        func = CRITERION_FUNCS.get(criterion.auto)
        result = func(observation) if func else None
        if result is None:
            continue
        quality, reason = result
        confidence = rating_confidence(observation, criterion.auto)
        if confidence < UNSURE:
            reason += "; not sure"
        out.append(SuggestedRating(criterion.id, to_scale(quality, rubric.scale), reason, confidence))
    return out


def tally(observation: Observation, rubric: Rubric) -> dict[str, int]:
    """Counts for the rubric's tallies that name an ``auto`` check (0 or 1 per response)."""
    return {t.id: int(t.auto in observation.behaviours) for t in rubric.tallies if t.auto in TALLY_CHECKS}
