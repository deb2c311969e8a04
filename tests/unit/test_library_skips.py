"""Issue 13, items 12-13: a symlink loop, a folder named x.yaml, an unreadable subfolder and a broken
link in a library folder are reported (what was skipped and why) by validate and list, which names them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from roleplay.cli import cli
from roleplay.content import folders
from roleplay.content.folders import find_content_files
from roleplay.content.library import load_library

REPO = Path(__file__).resolve().parents[2]


def messy_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    (lib / "scenarios").mkdir(parents=True)
    shutil.copy(REPO / "scenarios" / "first-meeting.yaml", lib / "scenarios" / "first-meeting.yaml")
    (lib / "scenarios" / "loop").symlink_to(lib)                 # a folder linking to one above it
    (lib / "self.yaml").symlink_to(lib / "self.yaml")            # a link to itself
    (lib / "x.yaml").mkdir()                                     # a folder named like a file
    (lib / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")    # a broken link
    (lib / "locked").mkdir()
    (lib / "locked" / "inside.yaml").write_text("kind: scenario\n", "utf-8")
    return lib


@pytest.fixture
def locked_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, which reads any folder; an unreadable one is simulated at os.scandir."""
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(folders.os, "scandir", scandir)


def test_every_skip_is_named_with_its_reason(tmp_path: Path, locked_is_unreadable: None) -> None:
    lib = messy_library(tmp_path)
    files, skipped = find_content_files([lib])
    assert files == [lib / "scenarios" / "first-meeting.yaml"]
    reasons = {p.path.name: p.message for p in skipped}
    assert reasons == {
        "loop": f"skipped: a symlink loop (it leads back to {os.path.realpath(lib)}, a folder above it)",
        "self.yaml": "skipped: a symlink loop (the link leads back to itself)",
        "x.yaml": "skipped: a folder named like a content file ('x.yaml')",
        "gone.yaml": "skipped: a link to a file that does not exist",
        "locked": "skipped: the folder cannot be read (Permission denied)",
    }


def test_validate_reports_the_skips_and_fails(tmp_path: Path, locked_is_unreadable: None) -> None:
    lib = messy_library(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(lib)])
    assert result.exit_code == 1
    for name in ("scenarios/loop", "self.yaml", "x.yaml", "gone.yaml", "locked"):
        assert f"{lib / name}:1:1: error: skipped:" in result.output, name
    assert "checked 1 file: 5 errors" in result.output


def test_list_names_each_skipped_file(tmp_path: Path, locked_is_unreadable: None) -> None:
    """`roleplay list` said "N problem(s) ... skipped" without naming the files."""
    lib = messy_library(tmp_path)
    (lib / "broken.yaml").write_text("kind: scenario\nid: [\n", "utf-8")
    result = CliRunner().invoke(cli, ["--library", str(lib), "list"])
    assert result.exit_code == 1
    assert "first-meeting" in result.stdout
    err = result.stderr
    assert "skipped 6 library files with problems" in err
    for name in ("scenarios/loop", "self.yaml", "x.yaml", "gone.yaml", "locked", "broken.yaml"):
        assert f"{lib / name}:" in err, name


def test_the_app_library_scan_keeps_the_skips(tmp_path: Path, locked_is_unreadable: None) -> None:
    library = load_library([messy_library(tmp_path)], include_user=False)
    assert "first-meeting" in library.scenarios
    assert sum("skipped:" in p.message for p in library.problems) == 5


def test_a_clean_folder_skips_nothing(tmp_path: Path) -> None:
    files, skipped = find_content_files([REPO / "scenarios"])
    assert files and skipped == []
