"""Pilot tests of exports from the session summary screen: every format, anonymised, and a chosen folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from roleplay.reports.sample import play_group
from roleplay.tui.app import RoleplayApp
from roleplay.tui.screens.export_dialog import ExportDialog
from roleplay.tui.screens.summary import SummaryScreen
from tests.apps import AppFactory

SIZE = (120, 40)
NAMES = ("Ana", "Ben", "Cleo")


def fixed_clock() -> float:
    return 1_700_000_000.0


async def at_summary(pilot) -> RoleplayApp:
    """A finished triad session (played through the real engine into the app's store), on the summary."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.store is not None
    app.session = play_group(app.store, NAMES, session_id="exp-0001")
    app.goto(SummaryScreen())
    await pilot.pause()
    return app


async def export(pilot, index: int, *, anonymize: bool = False, folder: Path | None = None) -> Path:
    """Open the dialog with ``e``, pick the ``index``-th format, export, and return the written path."""
    app = pilot.app
    await pilot.press("e")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    if anonymize:
        await pilot.press("ctrl+a")
    if folder is not None:
        dialog.query_one("#export-folder").value = str(folder)
    await pilot.press(*["down"] * index)
    if folder is not None:
        await pilot.click("#export")
    else:
        await pilot.press("enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    summary = app.screen
    assert isinstance(summary, SummaryScreen)
    path = summary.saved_path
    assert str(path) in str(summary.query_one("#saved-path").render())
    return path


@pytest.mark.parametrize(("index", "fmt"), [(0, "md"), (1, "html"), (2, "csv"), (3, "json")])
async def test_each_format_is_written_to_the_exports_folder(make_app: AppFactory,
                                                            tmp_path: Path, index: int, fmt: str) -> None:
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await at_summary(pilot)
        path = await export(pilot, index)
        assert path == data / "exports" / f"session-exp-0001.{fmt}"
        text = path.read_text(encoding="utf-8")
        title = app.session.scenario.title
        if fmt == "md":
            assert text.startswith("#") and title in text and all(n in text for n in NAMES)
        elif fmt == "html":
            assert text.lstrip().lower().startswith("<!doctype html") and "</html>" in text
            assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "Ana" in text
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            assert rows, "no rating rows"
            assert {row["session_id"] for row in rows} == {"exp-0001"}
            assert {row["listener"] for row in rows} == set(NAMES)
            # A row per rating (a level), then one per free note (its text, no level).
            ratings = [row for row in rows if row["scope"] in ("per_turn", "per_round")]
            assert ratings and all(row["value"].isdigit() for row in ratings)
            notes = [row for row in rows if row not in ratings]
            assert all(row["scope"] in ("turn_note", "round_note") and row["note"] and not row["value"]
                       for row in notes)
        else:
            document = json.loads(text)
            assert [s["id"] for s in document["sessions"]] == ["exp-0001"]
            assert len(document["sessions"][0]["rounds"]) == 3 and "Cleo" in text


async def test_anonymised_json_has_no_names_and_a_chosen_folder_is_used(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await at_summary(pilot)
        out = tmp_path / "hand-in"
        path = await export(pilot, 3, anonymize=True, folder=out)
        assert path == out / "session-exp-0001-anonymised.json"
        text = path.read_text(encoding="utf-8")
        assert "Trainee A" in text
        for name in NAMES:
            assert name not in text
        json.loads(text)


async def test_escape_cancels_without_writing(make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await at_summary(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, SummaryScreen)
        assert not (data / "exports").exists()


async def test_save_writes_the_reports_markdown_then_the_format_last_picked(make_app: AppFactory,
                                                                            tmp_path: Path) -> None:
    """``s`` and ``e`` share one renderer: ``s`` saves what ``roleplay report`` writes, in the format picked."""
    from roleplay.reports.record import record_from_session
    from roleplay.reports.render import render

    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await at_summary(pilot)
        assert "Save a Markdown record (s)" in str(app.screen.query_one("#save").label)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = app.screen.saved_path
        assert saved == data / "exports" / "session-exp-0001.md"
        assert saved.read_text(encoding="utf-8") == render([record_from_session(app.session)], "md")
        assert f"Saved: {saved}" in str(app.screen.query_one("#saved-path").render())
        await export(pilot, 1)  # HTML picked with e ...
        saved.unlink()
        await pilot.press("s")  # ... so s now saves HTML
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.saved_path == data / "exports" / "session-exp-0001.html"
        assert "Save an HTML record (s)" in str(app.screen.query_one("#save").label)
        assert not saved.exists()
