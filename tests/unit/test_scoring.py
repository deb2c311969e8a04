"""Scoring against a worked example computed by hand, metric bands, and observer agreement.

The worked example is ``scored_sample_session()`` round 1 (listener Ben, observers Cleo and Dev):

=========  =====================  ======================  ==================
turn       Cleo                   Dev                     tallies (C + D)
=========  =====================  ======================  ==================
opening    para 3, feel 2, oq 1   para 3, feel 3          RS 1+1, QO 1
lunch      para 4, feel 2         para 2, feel 2, oq 3    RC 2+1, QO 1
closing    para 3                 para 4                  QC 1
round      speaker-led 3          speaker-led 2
=========  =====================  ======================  ==================

paraphrase (weight 2) = (3+3+4+2+3+4)/6 = 19/6; feeling = (2+3+2+2)/4 = 9/4; open-question = (1+3)/2 = 2;
speaker-led = (3+2)/2 = 5/2. Overall = (2*19/6 + 9/4 + 2 + 5/2) / 5 = 157/60.
Tallies: RS 2, RC 3, QO 2, QC 1. R:Q = 5/3 (fair: 1 <= 5/3 < 2); %CR = 3/5 = 60% (good: >= 50).
Agreement over the 6 items both rated (diffs 0,1,2,0,1,1): exact 2/6, within one 5/6, mean diff 5/6.
"""

from __future__ import annotations

import pytest

from roleplay.content.rubric import Thresholds
from roleplay.session.samples import sample_rubric, scored_sample_session
from roleplay.session.scoring import (
    Band,
    band,
    compute_metrics,
    criterion_scores,
    observer_agreement,
    overall_score,
    score_round,
)

RUBRIC = sample_rubric()


@pytest.fixture(scope="module")
def round_one():
    return scored_sample_session().rounds[0]


def test_criterion_means_match_the_hand_computed_values(round_one) -> None:
    scores = score_round(RUBRIC, round_one)
    means = {c.criterion_id: c.mean for c in scores.criteria}
    assert means == pytest.approx({"paraphrase": 19 / 6, "feeling": 9 / 4, "open-question": 2.0,
                                   "speaker-led": 5 / 2})
    assert [c.count for c in scores.criteria] == [6, 4, 2, 2]
    assert scores.overall == pytest.approx(157 / 60)
    assert scores.raters == ("Cleo", "Dev") and scores.listener == "Ben"


def test_one_raters_view(round_one) -> None:
    cleo = {c.criterion_id: c.mean for c in criterion_scores(RUBRIC, round_one, ["Cleo"])}
    assert cleo == pytest.approx({"paraphrase": 10 / 3, "feeling": 2.0, "open-question": 1.0,
                                  "speaker-led": 3.0})


def test_metrics_from_tallies(round_one) -> None:
    scores = score_round(RUBRIC, round_one)
    assert scores.tallies == {"question_open": 2, "question_closed": 1, "reflection_simple": 2,
                              "reflection_complex": 3}
    r_to_q, pct_cr = scores.metrics
    assert (r_to_q.numerator, r_to_q.denominator) == (5, 3)
    assert r_to_q.value == pytest.approx(5 / 3) and r_to_q.band == Band.fair and r_to_q.text == "1.7:1"
    assert pct_cr.value == pytest.approx(60.0) and pct_cr.band == Band.good and pct_cr.text == "60%"


def test_metric_is_none_when_the_denominator_is_zero() -> None:
    r_to_q, pct_cr = compute_metrics(RUBRIC, {"reflection_simple": 4})
    assert r_to_q.value is None and r_to_q.band is None and r_to_q.text == "n/a"
    assert pct_cr.value == 0.0 and pct_cr.band == Band.below


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.99, Band.below), (1.0, Band.fair), (1.99, Band.fair), (2.0, Band.good), (7.0, Band.good), (None, None)],
)
def test_bands_against_thresholds(value: float | None, expected: Band | None) -> None:
    assert band(value, Thresholds(fair=1, good=2)) == expected


def test_no_thresholds_no_band() -> None:
    assert band(3.0, None) is None


def test_observer_agreement(round_one) -> None:
    result = observer_agreement(round_one, "Cleo", "Dev")
    assert result.items == 6
    assert result.exact_percent == pytest.approx(100 * 2 / 6)
    assert result.within_one_percent == pytest.approx(100 * 5 / 6)
    assert result.mean_abs_diff == pytest.approx(5 / 6)
    assert score_round(RUBRIC, round_one).agreement == result


def test_agreement_with_nothing_in_common_is_empty(round_one) -> None:
    result = observer_agreement(round_one, "Cleo", "Nobody")
    assert (result.items, result.exact_percent, result.mean_abs_diff) == (0, None, None)


def test_overall_ignores_unrated_criteria_and_is_none_when_nothing_rated() -> None:
    session = scored_sample_session()
    second = session.start_round()
    assert overall_score(criterion_scores(RUBRIC, second)) is None
    session.rate(second.roles.observers[0], "feeling", 3)
    assert overall_score(criterion_scores(RUBRIC, second)) == 3.0


def test_the_automatic_observer_never_counts_as_a_person(round_one) -> None:
    session = scored_sample_session()
    session.rate("auto-observer", "speaker-led", 4)
    scores = score_round(RUBRIC, session.rounds[0])
    assert scores.criterion("speaker-led").mean == pytest.approx(5 / 2)


def test_criterion_thresholds_give_a_band(round_one) -> None:
    """A criterion with fair/good thresholds gets a band for its round score, worded for people."""
    crits = [c.model_copy(update={"thresholds": Thresholds(fair=2.5, good=3)}) if c.id == "paraphrase" else c
             for c in RUBRIC.criteria]
    rubric = RUBRIC.model_copy(update={"criteria": crits})
    by_id = {s.criterion_id: s for s in criterion_scores(rubric, round_one)}
    para = by_id["paraphrase"]  # 19/6 = 3.17, at or above good (3)
    assert para.band is Band.good and para.band_text == "good (fair from 2.5, good from 3)"
    others = [s for cid, s in by_id.items() if cid != "paraphrase"]
    assert all(s.band is None and s.band_text == "" for s in others)
    below = para.__class__(para.criterion_id, para.name, para.scope, para.weight, 2.0, 1, para.thresholds)
    assert below.band is Band.below and below.band_text.startswith("below fair")
    unrated = para.__class__(para.criterion_id, para.name, para.scope, para.weight, None, 0, para.thresholds)
    assert unrated.band is None and unrated.band_text == "(fair from 2.5, good from 3)"
