"""JSON Schemas of the file formats, for editor completion and validation as you type."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from roleplay.content.agreement import Agreement
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario

SCHEMA_MODELS: dict[str, type[BaseModel]] = {"scenario": Scenario, "rubric": Rubric, "agreement": Agreement}
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def json_schema(kind: str) -> dict:
    """The JSON Schema for one file kind (``scenario``, ``rubric`` or ``agreement``)."""
    schema = SCHEMA_MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(kind: str) -> str:
    """The schema as stable, pretty JSON text (what ``roleplay schema`` prints and the shipped file holds)."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_path(kind: str) -> Path:
    """Where the shipped schema file for ``kind`` lives inside the package."""
    return SCHEMA_DIR / f"{kind}.schema.json"


def write_schemas() -> list[Path]:
    """Regenerate the shipped schema files (run after changing a model; a test checks they match)."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for kind in SCHEMA_MODELS:
        path = schema_path(kind)
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_schemas():
        print(written_path)
