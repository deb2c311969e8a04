"""Session reports: golden files for every format, anonymisation, HTML self-containment, CSV rows, CLI."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.reports.anonymize import Anonymizer, label, people_in_order
from roleplay.reports.csv_out import COLUMNS
from roleplay.reports.record import load_record
from roleplay.reports.render import render
from roleplay.reports.sample import play_group
from roleplay.storage import Store, open_store

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
TRIAD = ("Zephyrine Okafor", "Quillon", "Marisol")
FOUR = ("Quillon", "Tamsin Vey", "Marisol", "Odalys")
ALL_NAMES = sorted(set(TRIAD) | set(FOUR))

_TIMES = [
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)"), "<TIME>"),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"), "<TIME>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "<DATE>"),
]


def normalise(text: str) -> str:
    """Timestamps replaced by placeholders, line ends unified, so goldens do not depend on clock or zone."""
    text = text.replace("\r\n", "\n")
    for pattern, placeholder in _TIMES:
        text = pattern.sub(placeholder, text)
    return text


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME after normalising; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    got = normalise(text)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = UTC, so dates in the output do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path, utc: None) -> Iterator[Store]:
    """A store with a finished triad session and a finished group of four."""
    with open_store(tmp_path / "data") as opened:
        play_group(opened, TRIAD, session_id="triad0001")
        play_group(opened, FOUR, session_id="four0002", start=1_700_086_400.0, level=2)
        yield opened


def test_record_is_complete(store: Store) -> None:
    record = load_record(store, "triad0001")
    assert record.status == "finished" and record.people == TRIAD
    assert [(r.speaker, r.listener, r.observers) for r in record.rounds] == [
        ("Zephyrine Okafor", "Quillon", ("Marisol",)),
        ("Quillon", "Marisol", ("Zephyrine Okafor",)),
        ("Marisol", "Zephyrine Okafor", ("Quillon",)),
    ]
    # 3 rounds x 3 turns x 3 per-turn criteria, plus one per-round rating per round
    assert len(record.ratings()) == 30
    first = record.rounds[0]
    assert [t.turn_id for t in first.turns] == ["opening", "lunch", "closing"]
    assert first.turns[0].notes[0].text == "Quillon waited for Zephyrine Okafor to finish before answering."
    assert [(n.rater, n.text) for n in first.round_notes] == [
        ("Marisol", "Quillon summed up what mattered to Zephyrine Okafor.")]
    assert first.criteria[0].mean == pytest.approx(3.0) and first.strengths


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_golden_single_session(store: Store, fmt: str) -> None:
    check_golden(f"report_triad.{fmt}", render([load_record(store, "triad0001")], fmt))


def test_golden_two_sessions_anonymised(store: Store) -> None:
    records = [load_record(store, "triad0001"), load_record(store, "four0002")]
    check_golden("report_two_anonymised.md", render(records, "md", anonymize=True))


def _name_fragments() -> set[str]:
    parts = {p.casefold() for name in ALL_NAMES for p in re.findall(r"\w{2,}", name)}
    return parts | {n.casefold() for n in ALL_NAMES}


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_no_name_survives_anonymisation(store: Store, fmt: str) -> None:
    records = [load_record(store, "triad0001"), load_record(store, "four0002")]
    plain = render(records, fmt).casefold()
    assert all(f in plain for f in _name_fragments())  # the names really are in the source
    text = render(records, fmt, anonymize=True).casefold()
    survivors = [f for f in _name_fragments() if f in text]
    assert survivors == []
    assert "trainee a" in text and "trainee e" in text


def test_labels_follow_first_appearance_not_initials(store: Store) -> None:
    records = [load_record(store, "triad0001"), load_record(store, "four0002")]
    assert people_in_order(records) == ["Zephyrine Okafor", "Quillon", "Marisol", "Tamsin Vey", "Odalys"]
    text = render(records, "json", anonymize=True)
    sessions = json.loads(text)["sessions"]
    assert sessions[0]["people"] == ["Trainee A", "Trainee B", "Trainee C"]
    # the same person keeps the same label in the second session
    assert sessions[1]["people"] == ["Trainee B", "Trainee D", "Trainee C", "Trainee E"]


def test_anonymiser_replaces_names_in_free_text_as_whole_words() -> None:
    tool = Anonymizer(["Ben Ng", "Jo"])
    assert tool.text("ben's point; BEN NG said JO and Ng agreed") == (
        "Trainee A's point; Trainee A said Trainee B and Trainee A agreed")
    assert tool.text("Benefit of jokes") == "Benefit of jokes"  # no partial-word damage
    assert label(0) == "Trainee A" and label(25) == "Trainee Z" and label(26) == "Trainee AA"


def test_html_is_self_contained_and_printable(store: Store) -> None:
    page = render([load_record(store, "triad0001"), load_record(store, "four0002")], "html")
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "<script" not in lowered and "<link" not in lowered and "<img" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    assert "@media print" in page and page.count("<svg") == 7  # one chart per played round
    assert page.startswith("<!DOCTYPE html>")


def test_typed_markup_is_escaped(tmp_path: Path, utc: None) -> None:
    with open_store(tmp_path) as s:
        session = play_group(s, ("Ana", "Ben"), session_id="pair0001", finish=False)
        session.finish()
        record = load_record(s, "pair0001")
    turn = record.rounds[0].turns[0]
    assert turn.response
    evil_turn = dataclasses.replace(turn, response="<script>alert(1)</script> | **bold**")
    evil_round = dataclasses.replace(record.rounds[0], turns=(evil_turn, *record.rounds[0].turns[1:]))
    evil = dataclasses.replace(record, rounds=(evil_round, *record.rounds[1:]))
    page = render([evil], "html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = render([evil], "md")  # issue 13 item 11: raw <script> in Markdown is a defect, not "as typed"
    assert "<script>" not in text
    assert r"> \<script\>alert(1)\</script\> \| \*\*bold\*\*" in text  # renders exactly as typed


def test_csv_has_one_row_per_rating_and_note_and_defuses_formulas(store: Store) -> None:
    records = [load_record(store, "triad0001"), load_record(store, "four0002")]
    rows = list(csv.reader(io.StringIO(render(records, "csv"))))
    assert tuple(rows[0]) == COLUMNS
    by = {c: i for i, c in enumerate(COLUMNS)}
    ratings = [r for r in rows[1:] if r[by["scope"]] in ("per_turn", "per_round")]
    assert len(ratings) == sum(len(r.ratings()) for r in records) == 30 + 4 * 2 * 10
    # One note on the first turn and one on the whole round, in each of the 3 + 4 rounds.
    turn_notes = [r for r in rows[1:] if r[by["scope"]] == "turn_note"]
    round_notes = [r for r in rows[1:] if r[by["scope"]] == "round_note"]
    assert len(turn_notes) == len(round_notes) == 7 and len(rows) - 1 == len(ratings) + 14
    assert turn_notes[0][by["turn"]] == "1" and turn_notes[0][by["value"]] == ""
    assert round_notes[0][by["turn"]] == "" and round_notes[0][by["criterion_id"]] == ""
    assert round_notes[0][by["note"]] == "Quillon summed up what mattered to Zephyrine Okafor."
    assert round_notes[0][by["rater"]] == "Marisol"
    per_round = [r for r in rows[1:] if r[by["scope"]] == "per_round"]
    assert len(per_round) == 3 + 8 and all(r[by["turn"]] == "" for r in per_round)
    assert per_round[0][by["note"]] == "Zephyrine Okafor led; Quillon followed."
    from roleplay.reports.csv_out import safe_cell

    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("-fine") == "'-fine" and safe_cell("ok") == "ok"


def test_json_report_is_the_full_record(store: Store) -> None:
    doc = json.loads(render([load_record(store, "four0002")], "json"))
    assert doc["format"] == "roleplay-report" and doc["version"] == 1
    session = doc["sessions"][0]
    assert session["people"] == list(FOUR) and len(session["rounds"]) == 4
    first = session["rounds"][0]
    assert first["agreement"]["items"] == 10  # two observers rated the same 10 items
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", session["created_at"])
    assert first["turns"][0]["ratings"][0]["rater"] == "Marisol"


# ----------------------------------------------------------------- CLI


def run(data: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], catch_exceptions=False)


def test_cli_report_formats_and_prefix(store: Store, tmp_path: Path) -> None:
    data = store.data_dir
    result = run(data, "report", "tri")
    assert result.exit_code == 0 and result.output.startswith("# Practice session: Sample")
    out = tmp_path / "r.html"
    result = run(data, "report", "triad0001", "four", "--format", "html", "--out", str(out), "--anonymize")
    assert result.exit_code == 0 and "Quillon" not in out.read_text() and out.read_text().count("<section") == 2
    folder = tmp_path / "each"
    result = run(data, "report", "triad0001", "four0002", "--format", "json", "--out", f"{folder}/")
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["four0002.json", "triad0001.json"]


def test_cli_report_bad_input(store: Store, tmp_path: Path) -> None:
    data = store.data_dir
    play_group(store, ("Ana", "Ben"), session_id="triad0009")
    unknown = run(data, "report", "nope")
    assert unknown.exit_code == 1 and "No saved practice session" in unknown.output
    ambiguous = run(data, "report", "triad")
    assert ambiguous.exit_code == 1 and "matches several sessions" in ambiguous.output
    assert run(data, "report", "triad0001", "--format", "pdf").exit_code == 2
    assert run(data, "report").exit_code == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    broken = run(blocker / "inside", "report", "x")
    assert broken.exit_code == 1 and "cannot save to the data folder" in broken.output
    assert "Traceback" not in broken.output


def test_cli_help_has_examples() -> None:
    for name in ("report", "export", "import", "class-report"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.output, name


def test_solo_report_rests_on_the_automatic_observers_ratings(tmp_path: Path, utc: None) -> None:
    from roleplay.reports.markdown import AUTO_NAME
    from roleplay.session.solo import SoloRehearsal
    from roleplay.session.solo_summary import build_summary
    from tests.unit.test_solo import play_round
    from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

    rubric = auto_rubric()
    with open_store(tmp_path / "solo.db") as solo_store:
        solo = SoloRehearsal.create("Ana", example_scenario(), rubric, solo_store, clock=fake_clock())
        play_round(solo)
        record = load_record(solo_store, solo.session.id)
    summary = build_summary(solo.session.id, "Ana", rubric, solo.scenario.id, solo.round, 0.0)
    rnd = record.rounds[0]
    # The report's scores, strengths and growth areas are the in-app summary's: the observer's.
    assert [c.mean for c in rnd.criteria] == [c.mean for c in summary.scores.criteria]
    assert any(c.count for c in rnd.criteria) and rnd.overall == summary.scores.overall
    assert list(rnd.strengths) == [p.text for p in summary.strengths] and rnd.strengths
    text = render([record], "md")
    scores = text[text.index("### Scores and debrief"):]
    assert f"{AUTO_NAME}'s ratings" in scores
    table_rows = [row for row in scores.splitlines() if row.startswith("|") and "---" not in row][1:]
    rated = {c.criterion_id for c in summary.scores.criteria if c.count}
    assert len([row for row in table_rows if "| –" not in row]) >= len(rated) > 0
    assert "- The automatic observer rated:" in text  # transcript ratings say whose they are
    assert "auto-observer rated" not in text
    page = render([record], "html")
    assert "<li>The automatic observer: " in page and "auto-observer" not in page


def test_solo_self_ratings_are_named_as_the_trainees_own(tmp_path: Path, utc: None) -> None:
    from roleplay.content.rubric import Scope
    from roleplay.session.solo import SoloRehearsal
    from tests.unit.test_solo import REFLECT, auto_rubric, example_scenario, fake_clock

    rubric = auto_rubric()
    criterion = next(c for c in rubric.criteria if c.scope == Scope.per_turn and not c.observer_only)
    with open_store(tmp_path / "solo.db") as solo_store:
        solo = SoloRehearsal.create("Ana", example_scenario(), rubric, solo_store, clock=fake_clock())
        solo.start()
        solo.respond(REFLECT)
        solo.self_rate(criterion.id, 3)
        record = load_record(solo_store, solo.session.id)
    assert f"- Ana (own rating) rated: {criterion.name} 3" in render([record], "md")
    assert f"<li>Ana (own rating): {criterion.name} <b>3</b>" in render([record], "html")


def test_reports_name_moves_and_counts_as_people_see_them(utc: None) -> None:
    """Markdown and HTML say "Asked an open question" and "Open question 1", never the ids."""
    from roleplay.content.scenario import ListenerMove
    from roleplay.reports.record import record_from_events
    from roleplay.storage.events import MemorySink

    sink = MemorySink()
    session = play_group(sink, finish=False)
    # the three rounds are played; mark a move on the first turn of the last round
    session.mark_move(ListenerMove.question_open, turn_index=0)
    record = record_from_events(sink.load_events(session.id))
    for fmt in ("md", "html"):
        text = render([record], fmt)
        assert "Marked as: Asked an open question" in text
        assert "question_open" not in text and "reflection_simple" not in text
        assert "Open question 1" in text
