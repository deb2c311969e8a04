"""Find and load the content library: shipped files, the user's folder, then extra folders.

A later file with the same id overrides an earlier one, and the override is reported as a notice so a
tutor knows which file is in use.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from roleplay.content.agreement import Agreement
from roleplay.content.folders import find_content_files
from roleplay.content.problems import Problem, Severity, sort_problems
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.content.validate import load_content_file
from roleplay.paths import resolve_data_dir

ENV_LIBRARY = "ROLEPLAY_LIBRARY"
_PACKAGE = Path(__file__).resolve().parent.parent
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A loaded content file: the model, where it came from, and which layer of the library."""

    model: M
    path: Path
    source: str


@dataclass
class Library:
    """Every valid scenario, rubric and agreement by id, and the problems met while loading."""

    scenarios: dict[str, Entry[Scenario]] = field(default_factory=dict)
    rubrics: dict[str, Entry[Rubric]] = field(default_factory=dict)
    agreements: dict[str, Entry[Agreement]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def shipped_root() -> Path:
    """Folder holding the shipped scenarios/, rubrics/ and agreements/ (installed or source checkout)."""
    installed = _PACKAGE / "library"
    if (installed / "scenarios").is_dir():
        return installed
    return _PACKAGE.parent


def user_library_dir() -> Path:
    """The user's own content folder, ``library/`` inside the data folder, searched after the shipped one."""
    return resolve_data_dir() / "library"


def library_layers(extra: Sequence[Path] = (), *, include_user: bool = True) -> list[tuple[str, Path]]:
    """The folders searched, in override order: shipped, user, ROLEPLAY_LIBRARY, then ``--library``."""
    root = shipped_root()
    layers = [("shipped", root / name) for name in ("scenarios", "rubrics", "agreements")]
    if include_user:
        layers.append(("user", user_library_dir()))
    env = os.environ.get(ENV_LIBRARY, "")
    layers += [("env", Path(p)) for p in env.split(os.pathsep) if p]
    layers += [("option", Path(p)) for p in extra]
    return layers


def load_library(extra: Sequence[Path] = (), *, include_user: bool = True, strict: bool = False) -> Library:
    """Load every layer; invalid files are left out and their problems kept in ``library.problems``."""
    library = Library()
    tables: dict[str, dict[str, Entry]] = {
        "scenario": library.scenarios, "rubric": library.rubrics, "agreement": library.agreements}
    for source, folder in library_layers(extra, include_user=include_user):
        if not folder.exists():
            if source == "option":
                library.problems.append(Problem(folder, 1, 1, "library folder does not exist", None))
            continue
        files, skipped = find_content_files([folder])
        library.problems.extend(skipped)
        for path in files:
            loaded = load_content_file(path, strict=strict)
            library.problems.extend(p for p in loaded.problems if p.severity is Severity.error)
            library.warnings.extend(p for p in loaded.problems if p.severity is Severity.warning)
            if loaded.model is None or loaded.kind is None:
                continue
            table = tables[loaded.kind]
            model_id = loaded.model.id  # type: ignore[attr-defined]
            if model_id in table:
                library.notices.append(
                    f"{path}: {loaded.kind} '{model_id}' overrides the one in {table[model_id].path}")
            table[model_id] = Entry(loaded.model, path, source)
    library.problems = sort_problems(library.problems)
    library.warnings = sort_problems(library.warnings)
    return library
