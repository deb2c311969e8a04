"""Signals with their evidence, suggested ratings and tallies, on sentences written for these tests."""

from __future__ import annotations

import pytest

from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
from roleplay.content.rubric import Rubric
from roleplay.observer import observe, suggest_ratings, tally, to_scale
from roleplay.observer.lexicon import content_stems, emotion_family_of, stem
from roleplay.observer.rate import CRITERION_FUNCS

SPEAKER = "Since we moved here I haven't made a single friend and the evenings feel really long."


def evidence(obs, name: str) -> tuple[str, ...]:
    sig = obs.signal(name)
    assert sig is not None, f"no {name} signal in {obs.signals}"
    return sig.evidence


def test_evidence_is_exact_substrings_of_the_response() -> None:
    text = "At least you have your health! Don't worry, you'll be fine. You're not crazy."
    obs = observe(text, SPEAKER)
    for sig in obs.signals:
        if sig.name.startswith("key_point"):
            continue
        for ev in sig.evidence:
            assert ev in text, (sig.name, ev)


def test_minimisation_and_premature_reassurance() -> None:
    obs = observe("At least you have a nice flat. Don't worry about it.", SPEAKER)
    assert set(evidence(obs, "minimisation")) == {"At least you", "Don't worry"}
    assert obs.label != "advice"


@pytest.mark.parametrize("text, word", [
    ("Honestly that sounds a bit crazy.", "crazy"),
    ("Your brother sounds like an addict.", "an addict"),
    ("The staff said he was non-compliant.", "non-compliant"),
])
def test_judgmental_and_clinical_labels(text: str, word: str) -> None:
    obs = observe(text, SPEAKER)
    assert word in evidence(obs, "judgmental_label")
    assert "confront" in obs.behaviours


def test_negated_label_is_not_flagged() -> None:
    assert not observe("You're not a failure for finding this hard.", SPEAKER).has("judgmental_label")


def test_shared_power_phrasing() -> None:
    obs = observe("What would you like to do about the evenings?", SPEAKER)
    # The longest matching phrase is the evidence (phrases are matched whole, longest first).
    assert evidence(obs, "shared_power") == ("What would you like to do",)
    assert "seeking_collaboration" in obs.behaviours


def test_autonomy() -> None:
    obs = observe("It's your choice whether you join the club or not.", SPEAKER)
    assert "emphasizing_autonomy" in obs.behaviours


def test_check_of_understanding() -> None:
    obs = observe("You feel cut off from people here. Have I got that right?", SPEAKER)
    assert obs.label == "reflection"
    assert evidence(obs, "check_understanding") == ("Have I got that right",)


def test_advice_with_permission_is_not_flagged() -> None:
    obs = observe("Would you like some ideas? You could try the evening classes.", SPEAKER)
    assert obs.has("asks_permission")
    assert not obs.has("advice_without_permission")


def test_advice_asked_for_is_not_without_permission() -> None:
    obs = observe("You could try the evening classes at the library.", "What should I do about it?")
    assert obs.label == "advice"
    assert not obs.has("advice_without_permission")


def test_self_focus_when_talking_about_oneself_at_length() -> None:
    text = ("When I moved to the city I had no friends either and I was so lonely that I called my mum "
            "every night, and I joined a choir and I met my best friend there.")
    obs = observe(text, SPEAKER)
    assert obs.label == "self_disclosure"
    assert obs.has("self_focus")


def test_brief_me_too_is_not_self_focus() -> None:
    assert not observe("Me too, it took me a while.", SPEAKER).has("self_focus")


def test_feelings_named_and_matched_by_family() -> None:
    obs = observe("You sound really isolated and worn out.", SPEAKER, feelings=["lonely", "exhausted"])
    assert set(evidence(obs, "feeling_named")) == {"isolated", "worn out"}
    assert obs.feelings_matched == 2
    assert obs.has("feeling_matched")


def test_unmatched_feeling() -> None:
    obs = observe("You sound angry about the move.", SPEAKER, feelings=["lonely"])
    assert obs.feelings_matched == 0


def test_key_points_captured_through_stems_and_synonyms() -> None:
    obs = observe(
        "So since the move you've had no mates around and the nights drag on.",
        SPEAKER,
        key_points=["moved recently", "no friends here", "long evenings at home"],
    )
    assert obs.key_points_total == 3
    captured = [s for s in obs.signals if s.name == "key_point_captured"]
    assert obs.key_points_captured == len(captured) >= 2
    assert any("mates" in e.split() for s in captured for e in s.evidence)  # the user's own word


def test_key_point_missed() -> None:
    obs = observe("What do you do at weekends?", SPEAKER, key_points=["no friends here"])
    assert obs.key_points_captured == 0
    missed = obs.signal("key_point_missed")
    assert missed is not None and missed.detail == "no friends here"


def test_length_relative_to_speaker() -> None:
    obs = observe("Long evenings.", SPEAKER)
    assert obs.length_ratio == pytest.approx(2 / 16, abs=0.01)
    sig = obs.signal("length")
    assert sig is not None and "shorter" in sig.detail


def test_stemmer_and_synonyms() -> None:
    assert stem("worrying") == stem("worried") == stem("worry")
    assert stem("stopped") == stem("stop")
    assert content_stems("my boss") & content_stems("your manager")
    assert emotion_family_of("drained") == emotion_family_of("exhausted") == "tired"
    assert emotion_family_of("table") is None


# --- ratings and tallies -------------------------------------------------------------------------

def _rubric(scale: list[int]) -> Rubric:
    return Rubric.model_validate({
        "id": "test-rubric", "title": "Test", "description": "For tests.",
        "scale": [{"value": v, "label": f"L{v}"} for v in scale],
        "criteria": [
            *({"id": f"c-{name.replace('_', '-')}", "name": name, "description": "d", "auto": name}
              for name in CRITERION_CHECKS),
            {"id": "eye-contact", "name": "Eye contact", "description": "d", "observer_only": True,
             "auto": "empathy"},
            {"id": "manual", "name": "Manual", "description": "d"},
        ],
        "tallies": [{"id": f"t-{name.replace('_', '-')}", "name": name, "description": "d", "auto": name}
                    for name in TALLY_CHECKS] + [{"id": "by-hand", "name": "By hand", "description": "d"}],
    })


def test_every_check_is_implemented() -> None:
    assert set(CRITERION_FUNCS) == set(CRITERION_CHECKS)


def test_ratings_use_the_rubric_scale_and_skip_observer_only() -> None:
    rubric = _rubric([1, 2, 3, 4])
    ratings = suggest_ratings(observe("So you feel lonely here? Have I got that right?", SPEAKER), rubric)
    ids = {r.criterion_id for r in ratings}
    assert "eye-contact" not in ids and "manual" not in ids
    assert all(r.value in (1, 2, 3, 4) and r.reason for r in ratings)
    assert "c-open-question" not in ids  # no genuine question asked: nothing to rate


def test_good_and_poor_responses_rate_apart() -> None:
    rubric = _rubric([0, 1, 2, 3, 4])
    good = {r.criterion_id: r.value for r in suggest_ratings(
        observe("It sounds really lonely, like the evenings stretch out with nobody to share them.", SPEAKER,
                key_points=["no friends here", "long evenings"], feelings=["lonely"]), rubric)}
    poor = {r.criterion_id: r.value for r in suggest_ratings(
        observe("At least you have a flat. You should just join a gym, you're being dramatic.", SPEAKER,
                key_points=["no friends here", "long evenings"], feelings=["lonely"]), rubric)}
    for cid in ("c-paraphrase", "c-reflect-feeling", "c-speaker-led", "c-non-judgmental", "c-empathy"):
        assert good[cid] > poor[cid], cid


def test_rating_reason_quotes_the_evidence() -> None:
    rubric = _rubric([1, 2, 3])
    ratings = suggest_ratings(observe("Have you tried a night class?", SPEAKER), rubric)
    led = next(r for r in ratings if r.criterion_id == "c-speaker-led")
    assert "'Have you tried'" in led.reason
    following = suggest_ratings(observe("It sounds like the evenings are the hardest part.", SPEAKER), rubric)
    assert led.value < next(r.value for r in following if r.criterion_id == "c-speaker-led") == 3


def test_to_scale_maps_onto_levels() -> None:
    rubric = _rubric([2, 4, 6])
    assert [to_scale(q, rubric.scale) for q in (0.0, 0.5, 1.0, 1.7)] == [2, 4, 6, 6]


def test_tallies() -> None:
    rubric = _rubric([1, 2])
    counts = tally(observe("Sounds like part of you misses home. What do you miss most?", SPEAKER), rubric)
    assert "by-hand" not in counts
    assert counts["t-question-open"] == 1
    assert counts["t-reflection-complex"] == 1
    assert counts["t-advice-without-permission"] == 0
    counts = tally(observe("You should go out more.", SPEAKER), rubric)
    assert counts["t-advice-without-permission"] == 1
