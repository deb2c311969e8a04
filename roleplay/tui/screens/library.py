"""Browse the library: every scenario with its preview (never its script or trainer notes)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import plain
from roleplay.tui.widgets.scenario_preview import ScenarioPreview


class LibraryScreen(RoleplayScreen):
    """A list of scenarios and a preview pane."""

    BINDINGS = [Binding("escape", "app.back_home", "Home")]

    def compose_body(self) -> ComposeResult:
        """List and preview side by side."""
        library = self.rp.library
        assert library is not None
        with Horizontal(id="library"):
            yield OptionList(
                *(Option(plain(f"{e.model.title} ({e.model.difficulty.value})"), id=sid)
                  for sid, e in library.scenarios.items()),
                id="library-list",
            )
            yield ScenarioPreview(id="library-preview")

    def on_mount(self) -> None:
        """Preview the first scenario."""
        options = self.query_one("#library-list", OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0
        else:
            self.query_one("#library-preview", ScenarioPreview).show(None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Preview the highlighted scenario."""
        library = self.rp.library
        if library is not None and event.option.id in library.scenarios:
            self.query_one("#library-preview", ScenarioPreview).show(library.scenarios[event.option.id].model)
