"""Key points weighed by words and meaning together (issue 17): the fitted weights are current, a
point is never credited on one word alone, and a credited point shows the reply's own words."""

from __future__ import annotations

import pytest

from benchmarks import fit_keypoints
from roleplay.observer import meaning, observe

KNEE = ("Football was how people knew him and how he knew himself.",
        "Without it he sees himself as only his job.",
        "He doesn't know what he's for or who he is now.")
JOB_LINE = "I moved here in March for the job. The job is fine, actually good. It's the rest of it."
JOB = ("He moved to the city in March for a new job.", "The job itself is going well.",
       "Something about life outside work is not going well.")


def _signals(reply: str, speaker: str, points: tuple[str, ...]) -> dict[str, tuple[str, tuple[str, ...]]]:
    obs = observe(reply, speaker, points)
    return {s.detail: (s.name, s.evidence) for s in obs.signals if s.name.startswith("key_point")}


def test_the_shipped_weights_are_the_fit_on_the_development_replies() -> None:
    got = fit_keypoints.fit()
    fitted = (got["mean"], got["scale"], got["weights"], got["bias"], got["threshold"])
    shipped = (meaning._MEAN, meaning._SCALE, meaning._WEIGHTS, meaning._BIAS, meaning.POINT_CAPTURED)
    assert shipped == fitted, "run python -m benchmarks.fit_keypoints --write"
    assert len(meaning._WEIGHTS) == len(meaning.FEATURES)


def test_without_alone_does_not_carry_a_point() -> None:
    got = _signals("You feel lost without it, not sure who you're meant to be now.", "", KNEE)
    assert got[KNEE[1]][0] != "key_point_captured"
    assert got[KNEE[2]][0] == "key_point_captured"  # "not sure who you're meant to be" is that point


@pytest.mark.parametrize("reply", ["And work, how is that?", "Work sounds busy.", "Is it the work?"])
def test_the_word_work_alone_does_not_carry_a_point(reply: str) -> None:
    got = _signals(reply, JOB_LINE, JOB)
    assert all(name != "key_point_captured" for name, _ in got.values()), got


def test_a_lone_word_is_shown_in_the_run_of_words_that_carries_it() -> None:
    reply = "So work is fine."
    name, evidence = _signals(reply, JOB_LINE, JOB)[JOB[1]]
    assert name == "key_point_captured"
    assert all(e in reply for e in evidence)
    assert any(len(e.split()) >= 2 and "work" in e for e in evidence), evidence


def test_advice_and_minimising_restate_nothing() -> None:
    speaker = "Since we moved here I haven't made a single friend and the evenings feel really long."
    got = _signals("At least you have a flat. You should just join a gym, you're being dramatic.", speaker,
                   ("no friends here", "long evenings"))
    assert all(name == "key_point_missed" for name, _ in got.values()), got


def test_a_clinical_label_restates_nothing() -> None:
    speaker = "It's when someone's sat there with a clipboard, writing. Then my hands go all sweaty and I just... go."
    reply = "That's just test anxiety. It's really common, it's your fight-or-flight kicking in."
    obs = observe(reply, speaker, ["Her body reacts: sweaty hands, her mind goes."])
    assert obs.has("judgmental_label")
    assert obs.key_points_captured == 0


def test_a_paraphrase_in_other_words_is_credited_with_its_words() -> None:
    speaker = "Knee's fine, before you ask. Just can't play. That's kind of why I'm here, I guess. Ellie made me."
    reply = "You're here because your partner nudged you, and losing the football is the real thing."
    got = _signals(reply, speaker, ("His knee works for daily life but he can't play any more.",
                                    "That loss is the reason he's come.", "His partner pushed him to come."))
    name, evidence = got["His partner pushed him to come."]
    assert name == "key_point_captured"
    assert all(e in reply for e in evidence) and any("partner" in e for e in evidence)
