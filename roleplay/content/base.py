"""Shared pieces of the file models: the strict base class and common field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: A lowercase identifier made of letters, digits and single hyphens, e.g. ``advice-trap``.
Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=64),
]

#: A line of prose: surrounding white space is stripped and it may not be empty.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]

#: A longer block of prose (notes, persona background).
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class FileModel(BaseModel):
    """Base for every on-disk model: unknown keys are errors, field docstrings become descriptions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )
