"""Solo set-up: your name, a scenario (search, difficulty filter, preview) and a rubric; then content notes.

Nothing is saved until the content notes have been read and the user chooses to start: a rehearsal that
is never started leaves no record behind.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Difficulty, Scenario
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.screens.setup import ALL, matches
from roleplay.tui.text import bullets, heading, lines, plain, styled
from roleplay.tui.widgets.scenario_preview import ScenarioPreview
from roleplay.tui.widgets.text_input import TextInput


class SoloSetupScreen(RoleplayScreen):
    """Choose who is rehearsing, the scenario and the rubric."""

    CSS_PATH = "solo.tcss"
    AUTO_FOCUS = "#solo-name"

    BINDINGS = [
        Binding("ctrl+n", "continue", "Continue", priority=True),
        Binding("escape", "app.back_home", "Home"),
    ]

    def compose_body(self) -> ComposeResult:
        """Left: name, rubric, continue. Right: search, difficulty, the list and the preview."""
        library = self.rp.library
        assert library is not None
        with Horizontal(id="solo-setup"):
            with VerticalScroll(id="solo-setup-left"):
                yield Label("Your name")
                yield TextInput(placeholder="Name", id="solo-name", compact=True, max_length=40)
                yield Label("Rubric")
                rubrics = [(e.model.title, rid) for rid, e in library.rubrics.items()]
                yield (Select(rubrics, id="solo-rubric", allow_blank=False, compact=True) if rubrics
                       else Static("No rubric found in the library.", id="solo-rubric"))
                yield Static(
                    "The app plays the speaker. You type what you would say; the automatic observer "
                    "then shows what your response did, with example responses.", id="solo-about")
                yield Static("", id="solo-setup-error")
                yield Button("Continue (ctrl+n)", id="solo-continue", variant="primary")
            with Vertical(id="solo-setup-right"):
                yield TextInput(placeholder="Search scenarios", id="solo-search", compact=True)
                yield Select([(d.value, d.value) for d in Difficulty], id="solo-difficulty",
                             prompt="Any difficulty", compact=True)
                yield OptionList(id="solo-scenarios")
                yield ScenarioPreview(id="solo-preview")

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab goes name, then the scenario search, filter and list, then rubric and Continue.

        Textual orders focus by position, which would visit the whole left column (name, rubric,
        Continue) before the search box; choosing a scenario comes second, so it is reached second.
        """
        chain = super().focus_chain
        name = [w for w in chain if w.id == "solo-name"]
        right = [w for w in chain if any(a.id == "solo-setup-right" for a in w.ancestors)]
        placed = set(map(id, name + right))
        return name + right + [w for w in chain if id(w) not in placed]

    def on_mount(self) -> None:
        """Fill the scenario list."""
        self.refresh_list()

    def refresh_list(self) -> None:
        """Show the scenarios passing the search and difficulty filter."""
        library = self.rp.library
        assert library is not None
        search = self.query_one("#solo-search", TextInput).value
        chosen = self.query_one("#solo-difficulty", Select).value
        difficulty = chosen if isinstance(chosen, str) else ALL
        options = self.query_one("#solo-scenarios", OptionList)
        options.clear_options()
        shown = [e.model for e in library.scenarios.values() if matches(e.model, search, difficulty, ALL)]
        options.add_options(Option(plain(f"{s.title}  ({s.difficulty.value})"), id=s.id) for s in shown)
        if shown:
            options.highlighted = 0
        self.query_one("#solo-preview", ScenarioPreview).show(shown[0] if shown else None)

    def selected_scenario(self) -> Scenario | None:
        """The highlighted scenario, if any."""
        options = self.query_one("#solo-scenarios", OptionList)
        library = self.rp.library
        if options.highlighted is None or options.option_count == 0 or library is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return library.scenarios[option_id].model if option_id in library.scenarios else None

    @on(TextInput.Changed, "#solo-search")
    @on(Select.Changed, "#solo-difficulty")
    def _filter_changed(self) -> None:
        self.refresh_list()

    @on(OptionList.OptionHighlighted, "#solo-scenarios")
    def _highlighted(self) -> None:
        self.query_one("#solo-preview", ScenarioPreview).show(self.selected_scenario())

    @on(OptionList.OptionSelected, "#solo-scenarios")
    def _selected(self) -> None:
        self.action_continue()

    @on(TextInput.Submitted, "#solo-name")
    def _name_done(self) -> None:
        self.query_one("#solo-scenarios", OptionList).focus()

    def choice(self) -> tuple[str, Scenario, Rubric]:
        """The name, scenario and rubric chosen; raises ValueError with a message for the user."""
        name = " ".join(self.query_one("#solo-name", TextInput).value.split())
        if not name:
            raise ValueError("Type your name first (it keeps your progress together).")
        scenario = self.selected_scenario()
        if scenario is None:
            raise ValueError("Pick a scenario from the list (clear the search or filter to see them all).")
        widget = self.query_one("#solo-rubric")
        library = self.rp.library
        if not isinstance(widget, Select) or not isinstance(widget.value, str) or library is None:
            raise ValueError("The library has no rubric, so the observer has nothing to rate with.")
        return name, scenario, library.rubrics[widget.value].model

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Continue button."""
        event.stop()
        self.action_continue()

    def action_continue(self) -> None:
        """Check the choices and show the content notes."""
        error = self.query_one("#solo-setup-error", Static)
        try:
            name, scenario, rubric = self.choice()
        except ValueError as problem:
            error.update(plain(str(problem)))
            return
        error.update("")
        self.app.push_screen(SoloNotesScreen(name, scenario, rubric))


class SoloNotesScreen(RoleplayScreen):
    """The scenario's content notes before anything starts, with a way back to pick another."""

    CSS_PATH = "solo.tcss"

    BINDINGS = [
        Binding("s,enter", "start", "Start"),
        Binding("o,escape", "other", "Pick another"),
    ]

    def __init__(self, name: str, scenario: Scenario, rubric: Rubric) -> None:
        """Notes for ``scenario``; starting creates the rehearsal for ``name`` with ``rubric``."""
        super().__init__()
        self.person = name
        self.scenario = scenario
        self.rubric = rubric

    def compose_body(self) -> ComposeResult:
        """The notes, the brief, and the two choices."""
        s = self.scenario
        text = lines([
            heading(f"Before you start: {s.title}"),
            "",
            heading("Content notes"),
            bullets(s.content_notes),
            "",
            plain("If any of this is close to home today, pick another scenario: no reason needed. You can "
                  "pause (ctrl+p) or stop (ctrl+x) at any moment; everything is saved as you go."),
            "",
            heading("Your part"),
            plain(s.listener_brief),
            "",
            styled(f"Rated with: {self.rubric.title}", "dim"),
        ])
        with VerticalScroll(id="solo-notes"):
            yield Static(text, id="solo-notes-text")
        with Horizontal(classes="button-row"):
            yield Button("Start (s)", id="solo-start", variant="primary", compact=True)
            yield Button("Pick another (o)", id="solo-other", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        (self.action_start if event.button.id == "solo-start" else self.action_other)()

    def action_other(self) -> None:
        """Back to the set-up to choose another scenario."""
        self.app.pop_screen()

    def action_start(self) -> None:
        """Create the rehearsal (saved from here on) and start playing."""
        from roleplay.tui.screens.solo_play import start_solo

        start_solo(self.rp, self.person, self.scenario, self.rubric)
