"""The comfort agreement format: the ground rules a group accepts before practice starts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from roleplay.content.base import FileModel, Slug, Text


class AgreementItem(FileModel):
    """One point of the agreement."""

    id: Slug
    """A short unique name, e.g. ``confidentiality``."""
    heading: Text
    """A few words, shown in bold."""
    text: Text
    """What the group agrees to, in plain words."""


class Agreement(FileModel):
    """A comfort agreement, shown to the group and acknowledged before play."""

    kind: Literal["agreement"] = "agreement"
    """Marks this file as a comfort agreement (optional inside an ``agreements`` folder)."""
    id: Slug
    """A short unique name, e.g. ``default``."""
    title: Text
    """The title shown above the agreement."""
    intro: Text
    """A sentence or two before the items."""
    items: list[AgreementItem] = Field(min_length=1)
    """The points of the agreement."""
    closing: Text | None = None
    """A sentence after the items, e.g. that anyone may ask to revisit the agreement."""
