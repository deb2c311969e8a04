"""Validate content files: parse safely, check the model, check cross-references, collect every problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from roleplay.content.agreement import Agreement
from roleplay.content.crossref import check_turns_only, checker_for
from roleplay.content.folders import find_content_files
from roleplay.content.problems import Problem, Severity, did_you_mean, sort_problems
from roleplay.content.pydantic_errors import problems_from_validation
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario, Turn
from roleplay.content.template_check import template_warnings
from roleplay.content.yamlsafe import YamlDocument, load_yaml_file

MODELS: dict[str, type[BaseModel]] = {"scenario": Scenario, "rubric": Rubric, "agreement": Agreement}
_FOLDER_KIND = {"scenarios": "scenario", "rubrics": "rubric", "agreements": "agreement"}
_SIGNATURE_KEYS = {"turns": "scenario", "persona": "scenario", "scale": "rubric", "criteria": "rubric",
                   "items": "agreement"}


@dataclass
class LoadedFile:
    """The outcome of loading one file: its model when valid, and every problem found."""

    path: Path
    kind: str | None = None
    model: BaseModel | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the file unusable."""
        return [p for p in self.problems if p.severity is Severity.error]


def _detect_kind(doc: YamlDocument) -> str | None:
    data = doc.data
    declared = data.get("kind")
    if declared is not None:
        if isinstance(declared, str) and declared in MODELS:
            return declared
        line, col = doc.locate(("kind",))
        doc.problems.append(Problem(doc.path, line, col, f"unknown kind '{declared}'",
                                    did_you_mean(str(declared), MODELS) or "use scenario, rubric or agreement"))
        return None
    folder = _FOLDER_KIND.get(doc.path.parent.name)
    if folder:
        return folder
    for key, kind in _SIGNATURE_KEYS.items():
        if key in data:
            return kind
    doc.problems.append(Problem(doc.path, 1, 1, "cannot tell what kind of file this is",
                                "add 'kind: scenario', 'kind: rubric' or 'kind: agreement' as the first key"))
    return None


def _partial_turn_checks(doc: YamlDocument) -> list[Problem]:
    """Cross-check the valid turns of an invalid scenario, so a tutor sees every problem in one go."""
    raw_turns = doc.data.get("turns")
    if not isinstance(raw_turns, list):
        return []
    turns: list[Turn | None] = []
    broken_ids: set[str] = set()
    for raw in raw_turns:
        try:
            turns.append(Turn.model_validate(raw))
        except ValidationError:
            turns.append(None)
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                broken_ids.add(raw["id"])
    return check_turns_only(doc, turns, broken_ids)


def load_content_file(path: Path, *, strict: bool = False) -> LoadedFile:
    """Load one scenario, rubric or agreement file; never raises for bad content."""
    doc = load_yaml_file(path)
    result = LoadedFile(path)
    # Data with problems the reader could step past (a duplicate key: the first is kept; a refused tag) is
    # still checked, so every mistake in the file is reported at once; such a file never loads.
    if doc.data is not None:
        if not isinstance(doc.data, dict):
            got = type(doc.data).__name__.replace("str", "a line of text").replace("list", "a list")
            doc.problems.append(Problem(path, 1, 1, f"the top level must be a mapping of keys, not {got}",
                                        "start the file with 'kind: scenario' and 'id: ...' lines"))
        else:
            result.kind = _detect_kind(doc)
    if result.kind is not None:
        model_cls = MODELS[result.kind]
        try:
            model = model_cls.model_validate(doc.data)
        except ValidationError as exc:
            doc.problems.extend(problems_from_validation(doc, model_cls, exc))
            if model_cls is Scenario:
                doc.problems.extend(_partial_turn_checks(doc))
        else:
            doc.problems.extend(checker_for(model)(doc, model))
            if strict:
                doc.problems.extend(template_warnings(doc, result.kind))
            if not any(p.severity is Severity.error for p in doc.problems):
                result.model = model
    result.problems = [p for p in doc.problems if strict or p.severity is Severity.error]
    return result


def iter_content_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every .yaml/.yml file below named folders, in a stable order (what was
    skipped, and why, comes from :func:`roleplay.content.folders.find_content_files`)."""
    yield from find_content_files(paths)[0]


def validate_paths(paths: Iterable[Path], *, strict: bool = False) -> list[Problem]:
    """Every problem in every file under ``paths`` (errors, plus warnings when strict), sorted; a file or
    folder skipped while searching (a symlink loop, a folder named x.yaml, an unreadable folder) is one."""
    problems: list[Problem] = []
    files, skipped = find_content_files(paths)
    problems.extend(skipped)
    for path in files:
        if not path.exists():
            problems.append(Problem(path, 1, 1, "no such file or folder", None))
            continue
        problems.extend(load_content_file(path, strict=strict).problems)
    return sort_problems(problems)
