"""A read-only preview of a scenario: title, difficulty, minutes, tags, summary and content notes.

Trainer notes and the speaker's lines are never part of the preview, so it is safe to show to a group.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.visual import VisualType
from textual.widgets import Static

from roleplay.content.scenario import Scenario
from roleplay.session.flow import expected_turn_count
from roleplay.tui.text import bullets, heading, lines, plain, styled


def preview_content(scenario: Scenario, unit: str = "turns") -> VisualType:
    """The preview text for one scenario (plain text throughout, file prose is never markup).

    The count is of what play counts ("Turn k/n" in a group, "Line k of n" solo, in ``unit``): the turns
    along the default path, not the file's turns, some of which only a branch reaches.
    """
    count = expected_turn_count(scenario)
    facts = f"{scenario.difficulty.value} · about {scenario.minutes} min · {count} {unit}"
    tags = ", ".join(scenario.tags) if scenario.tags else "no tags"
    return lines([
        heading(scenario.title),
        styled(facts, "italic"),
        styled(f"Tags: {tags}", "dim"),
        "",
        plain(scenario.summary),
        "",
        heading("Content notes"),
        bullets(scenario.content_notes),
    ])


class ScenarioPreview(VerticalScroll):
    """Shows one scenario's preview, or a hint when none is selected; ``unit`` names what play counts."""

    def __init__(self, *, unit: str = "turns", id: str | None = None) -> None:
        super().__init__(id=id)
        self.unit = unit

    def compose(self) -> ComposeResult:
        """The widget's body."""
        yield Static("Choose a scenario to see its summary.", id="preview-body")

    def show(self, scenario: Scenario | None) -> None:
        """Display ``scenario`` (None clears the preview)."""
        body = self.query_one("#preview-body", Static)
        if scenario is None:
            body.update("No scenario matches the search and filters.")
        else:
            body.update(preview_content(scenario, self.unit))
        self.scroll_home(animate=False)
