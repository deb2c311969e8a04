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
from roleplay.reports.class_report import Trend, build_class_report, trend
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
    paraphrase = next(c for c in report.criteria if c.criterion_id == "paraphrase")
    # 1, 3, 4, 2, 2 (the automatic observer's 4 is left out)
    assert (paraphrase.ratings, paraphrase.trainees) == (5, 3)
    assert paraphrase.mean == pytest.approx(2.4)
    assert paraphrase.percent == pytest.approx((2.4 - 1) / 3 * 100)
    assert (paraphrase.trend.first, paraphrase.trend.second) == (pytest.approx(2.0), pytest.approx(2.0))
    assert [c.criterion_id for c in report.criteria] == ["paraphrase", "feeling", "open-question", "speaker-led"]
    assert [c.criterion_id for c in report.hardest()] == ["paraphrase"]  # the only one rated
    by_name = {t.trainee: t for t in report.trainee_criteria if t.criterion_id == "paraphrase"}
    assert by_name["Ben"].mean == pytest.approx(1.5) and by_name["Ben"].trend.change == pytest.approx(1.0)
    assert by_name["Ana"].mean == pytest.approx(3.5) and by_name["Ana"].trend == Trend(3.0, 4.0, 2)
    assert by_name["Cleo"].trend.change is None
    trainees = {t.trainee: t for t in report.trainees}
    assert trainees["Ana"].percent == pytest.approx((2 / 3 + 1) / 2 * 100)
    assert (trainees["Ben"].sessions, trainees["Ben"].rounds_listened) == (2, 2)
    roles = {r.trainee: r for r in report.roles}
    assert (roles["Ana"].speaker, roles["Ana"].listener, roles["Ana"].observer) == (2, 2, 0)
    assert roles["Ana"].missing == ("observer",)
    assert roles["Cleo"].missing == ("speaker", "observer")


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
    assert next(c for c in since.criteria if c.criterion_id == "paraphrase").ratings == 3
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
    assert sections.count("criterion") == 4 and sections.count("trainee") == 3 and sections.count("roles") == 3
    paraphrase = next(r for r in rows if r["section"] == "criterion" and r["criterion_id"] == "paraphrase")
    assert (paraphrase["mean"], paraphrase["hardest_rank"], paraphrase["change"]) == ("2.40", "1", "+0.00")
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
