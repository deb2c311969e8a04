"""The class report: hand-computed averages, trends, roles and hardest criteria; filters; goldens; CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.reports.class_report import Trend, build_class_report, parse_raters, trend
from roleplay.reports.class_report_out import CLASS_FORMATS, CSV_COLUMNS
from roleplay.reports.sample import play_group
from roleplay.session.engine import PracticeSession
from roleplay.session.roles import AUTO_RATER
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import SessionConfig, SessionKind
from roleplay.storage import Store
from tests.pg_fixtures import OpenDb
from tests.unit.test_reports import check_golden

DAY = 86_400.0
START = 1_700_000_000.0  # 2023-11-14 22:13 UTC


def play(store: Store, sid: str, names: tuple[str, ...], start: float, values: list[int],
         tags: list[str] | None = None, auto: int | None = None) -> None:
    """Each round: the first rater rates paraphrase on the first turn with the next value; nothing else."""
    scenario = sample_scenario()
    if tags is not None:
        scenario = scenario.model_copy(update={"tags": tags})
    ticks = iter(range(10_000))
    kind = SessionKind.solo if len(names) == 1 else SessionKind.group
    config = SessionConfig(names, scenario, sample_rubric(), kind=kind)
    session = PracticeSession.create(config, store, clock=lambda: start + next(ticks), session_id=sid)
    session.acknowledge_agreement()
    for value in values:
        current = session.start_round()
        session.rate(current.roles.raters[0], "paraphrase", value)
        if auto is not None:
            session.rate(AUTO_RATER, "paraphrase", auto)
        while session.current_turn is not None:
            session.confirm_turn()
        session.end_round()
    session.finish()


@pytest.fixture
def store(open_db: OpenDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    with open_db() as opened:
        play(opened, "s1", ("Ana", "Ben"), START, [1, 3], auto=4)  # Ben listens (1), then Ana (3)
        play(opened, "s2", ("Ben", "Ana"), START + 2 * DAY, [4, 2])  # Ana listens (4), then Ben (2)
        play(opened, "s3", ("Cleo",), START + 4 * DAY, [2], tags=["family"])  # solo: Cleo rates herself
        yield opened
    monkeypatch.undo()
    time.tzset()


def test_trend_halves() -> None:
    assert trend([((1,), 1.0), ((2,), 3.0), ((3,), 5.0)]) == Trend(1.0, 5.0, 3)  # middle round left out
    assert trend([((1,), 1.0), ((1,), 3.0), ((2,), 4.0)]).change == pytest.approx(2.0)  # per-round means
    assert trend([((1,), 2.0)]) == Trend(None, None, 1) and Trend(None, None, 1).change is None


def test_hand_computed_figures(store: Store) -> None:
    report = build_class_report(store)
    assert (report.sessions, report.rounds) == (3, 5)
    assert report.raters == ("observer", "self", "auto")
    rows = {(c.criterion_id, c.rater_kind): c for c in report.criteria}
    paraphrase = rows[("paraphrase", "observer")]
    # observers' ratings only: 1, 3, 4, 2 (Cleo's own solo 2 and the automatic observer's 4s are apart)
    assert (paraphrase.ratings, paraphrase.trainees) == (4, 2)
    assert paraphrase.mean == pytest.approx(2.5)
    assert paraphrase.percent == pytest.approx((2.5 - 1) / 3 * 100)
    assert (paraphrase.trend.first, paraphrase.trend.second) == (pytest.approx(2.0), pytest.approx(3.0))
    own = rows[("paraphrase", "self")]
    assert (own.ratings, own.trainees, own.mean) == (1, 1, pytest.approx(2.0))
    auto = rows[("paraphrase", "auto")]
    assert (auto.ratings, auto.trainees, auto.mean) == (2, 2, pytest.approx(4.0))
    assert [(c.criterion_id, c.rater_kind) for c in report.criteria] == [
        ("paraphrase", "observer"), ("paraphrase", "self"), ("paraphrase", "auto"), ("feeling", "observer"),
        ("open-question", "observer"), ("speaker-led", "observer")]
    assert [(c.criterion_id, c.rater_kind) for c in report.hardest()] == [("paraphrase", "observer")]
    by_name = {(t.trainee, t.rater_kind): t for t in report.trainee_criteria if t.criterion_id == "paraphrase"}
    ben, ana = by_name[("Ben", "observer")], by_name[("Ana", "observer")]
    assert ben.mean == pytest.approx(1.5) and ben.trend.change == pytest.approx(1.0)
    assert ana.mean == pytest.approx(3.5) and ana.trend == Trend(3.0, 4.0, 2)
    assert ("Cleo", "observer") not in by_name and by_name[("Cleo", "self")].trend.change is None
    assert by_name[("Ana", "auto")].mean == pytest.approx(4.0)
    trainees = {(t.trainee, t.rater_kind): t for t in report.trainees}
    assert trainees[("Ana", "observer")].percent == pytest.approx((2 / 3 + 1) / 2 * 100)
    assert trainees[("Ana", "auto")].percent == pytest.approx(100.0)
    assert (trainees[("Ben", "observer")].sessions, trainees[("Ben", "observer")].rounds_listened) == (2, 2)
    assert set(trainees) == {("Ana", "observer"), ("Ana", "auto"), ("Ben", "observer"), ("Ben", "auto"),
                             ("Cleo", "self")}
    roles = {r.trainee: r for r in report.roles}
    assert (roles["Ana"].speaker, roles["Ana"].listener, roles["Ana"].observer) == (2, 2, 0)
    assert roles["Ana"].missing == ("observer",)
    assert roles["Cleo"].missing == ("speaker", "observer")


def test_rater_kinds_can_be_chosen_and_each_report_names_them(store: Store) -> None:
    observers = build_class_report(store, raters=("observer",))
    assert {c.rater_kind for c in observers.criteria} == {"observer"}
    assert {t.trainee for t in observers.trainees} == {"Ana", "Ben", "Cleo"}  # Cleo: no observer ratings yet
    assert next(t for t in observers.trainees if t.trainee == "Cleo").ratings == 0
    solo_only = build_class_report(store, raters=("self", "auto"))
    assert {(c.criterion_id, c.rater_kind) for c in solo_only.criteria} == {("paraphrase", "self"),
                                                                           ("paraphrase", "auto")}
    assert solo_only.hardest() == []  # hardest criteria come from observers' ratings only
    text = CLASS_FORMATS["md"](solo_only)
    assert "Ratings by: self (own rating), automatic observer" in text
    assert "| Paraphrase | self (own rating) | 1 | 1 | 2.00 / 4 |" in text
    assert "Nothing has been rated by an observer yet." in text
    full = CLASS_FORMATS["md"](build_class_report(store))
    assert "| Paraphrase | observers | 4 | 2 | 2.50 / 4 |" in full
    assert "| Paraphrase | automatic observer | 2 | 2 | 4.00 / 4 |" in full
    assert "automatic observer" in CLASS_FORMATS["html"](build_class_report(store))
    with pytest.raises(ValueError, match="unknown rater kind robot"):
        parse_raters("observer,robot")
    assert parse_raters("auto, observer") == ("observer", "auto")


def test_hardest_ranks_by_share_of_scale(open_db: OpenDb) -> None:
    with open_db() as s:
        play_group(s, ("Ana", "Ben", "Cleo"), session_id="g1", finish=False)
        report = build_class_report(s)
    means = {c.criterion_id: c.percent for c in report.criteria}
    hardest = report.hardest(2)
    assert [c.percent for c in hardest] == sorted(means.values())[:2]


def test_filters(store: Store) -> None:
    since = build_class_report(store, since=date(2023, 11, 16))
    assert since.sessions == 2 and {r.trainee for r in since.roles} == {"Ana", "Ben", "Cleo"}
    rows = {(c.criterion_id, c.rater_kind): c.ratings for c in since.criteria}
    assert (rows[("paraphrase", "observer")], rows[("paraphrase", "self")]) == (2, 1)
    assert ("paraphrase", "auto") not in rows  # the automatic observer rated only the first session
    work = build_class_report(store, tag="work")
    assert work.sessions == 2 and "Cleo" not in {r.trainee for r in work.roles}
    family = build_class_report(store, tag="family")
    assert family.sessions == 1 and [t.trainee for t in family.trainees] == ["Cleo"]
    empty = build_class_report(store, tag="nothing-has-this")
    assert empty.sessions == 0 and empty.hardest() == [] and "Nothing yet." in CLASS_FORMATS["md"](empty)


def test_csv_sections(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(CLASS_FORMATS["csv"](build_class_report(store)))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    sections = [r["section"] for r in rows]
    assert sections.count("criterion") == 6 and sections.count("trainee") == 5 and sections.count("roles") == 3
    paraphrase = next(r for r in rows if r["section"] == "criterion" and r["criterion_id"] == "paraphrase"
                      and r["rater_kind"] == "observer")
    assert (paraphrase["mean"], paraphrase["hardest_rank"], paraphrase["change"]) == ("2.50", "1", "+1.00")
    own = next(r for r in rows if r["section"] == "criterion" and r["rater_kind"] == "self")
    assert (own["mean"], own["hardest_rank"]) == ("2.00", "")  # never ranked among the hardest
    cleo = next(r for r in rows if r["section"] == "roles" and r["trainee"] == "Cleo")
    assert cleo["missing_roles"] == "speaker observer"


def test_html_is_self_contained(store: Store) -> None:
    page = CLASS_FORMATS["html"](build_class_report(store))
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered and "<script" not in lowered
    assert "@media print" in page and "<svg" in page


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_golden(open_db: OpenDb, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    with open_db() as s:
        play_group(s, ("Ana", "Ben", "Cleo"), session_id="g1", level=2)
        play_group(s, ("Ben", "Cleo", "Dev", "Ana"), session_id="g2", start=START + DAY, level=3)
        play_group(s, ("Cleo", "Eli"), session_id="g3", start=START + 2 * DAY, level=4)
        play(s, "g4", ("Dev",), START + 3 * DAY, [3], auto=2)  # solo: Dev's own 3, the automatic observer's 2
        text = CLASS_FORMATS[fmt](build_class_report(s))
    monkeypatch.undo()
    time.tzset()
    check_golden(f"class_report.{fmt}", text)


def test_cli(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--database", store.database, "class-report"]
    result = runner.invoke(cli, [*base, "--since", "2023-11-16", "--tag", "family"])
    assert result.exit_code == 0 and "1 session, 1 round played" in result.output
    out = tmp_path / "class.html"
    assert runner.invoke(cli, [*base, "--format", "html", "--out", str(out)]).exit_code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert runner.invoke(cli, [*base, "--since", "last week"]).exit_code == 2
    assert runner.invoke(cli, [*base, "--format", "json"]).exit_code == 2
    only = runner.invoke(cli, [*base, "--raters", "auto"])
    assert only.exit_code == 0 and "| Paraphrase | automatic observer | 2 | 2 | 4.00 / 4 |" in only.output
    assert "| observers |" not in only.output
    bad = runner.invoke(cli, [*base, "--raters", "teacher"])
    assert bad.exit_code == 2 and "use observer, self or auto" in bad.output


def test_hardest_lines_name_the_whole_scale_and_count_ratings_in_words(open_db: OpenDb) -> None:
    """Trial F23: "3.00 of 4 (67% of scale, 1 ratings)" read as 75% and said "1 ratings"."""
    import re

    with open_db() as s:
        play(s, "one", ("Ana", "Ben"), START, [3])  # a pair: one rating per criterion
        report = build_class_report(s)
    scale = report.hardest()[0]
    for fmt in ("md", "html"):
        text = CLASS_FORMATS[fmt](report)
        assert f"on the {scale.scale_min}–{scale.scale_max} scale" in text
        assert f"of the way from {scale.scale_min} to {scale.scale_max}" in text
        assert not re.search(r"\b1 ratings\b", text) and not re.search(r"\bof \d \(", text)
