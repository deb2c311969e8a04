"""Solo set-up: your name, a scenario (search, difficulty filter, preview) and a rubric; then content notes.

Enter in the scenario list goes to the rubric (when there is more than one), Enter there opens it and
picking one goes to Continue. Nothing is saved until the content notes have been read and the user
chooses to start: a rehearsal that is never started leaves no record behind. The name is filled in
with the name of the most recent solo rehearsal (read from the store in a worker), selected so that
typing replaces it.

The chosen scenario is the highlighted row of the list, and is also written out in words above it, so it
can be seen while the search box has focus. Matches are ranked (title first, then id, then other text).
Typing a search keeps a scenario the user picked while it still matches; otherwise, or when the search
hides it, the choice is the best match (and the line says what the search hid).
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Difficulty, Scenario
from roleplay.session.roles import clean_name
from roleplay.session.solo_summary import last_solo_name
from roleplay.tui import keymap
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.screens.setup import ALL, matches, search_rank
from roleplay.tui.text import bullets, heading, lines, plain, styled
from roleplay.tui.widgets.scenario_preview import ScenarioPreview
from roleplay.tui.widgets.text_input import TextInput


class RubricSelect(Select[str]):
    """The rubric drop-down, which also says when an option was picked (even the one already chosen),
    so the set-up can move on to Continue: Select itself only reports a change of value."""

    class Picked(Message):
        """An option was picked from the open list."""

    def on_select_overlay_update_selection(self) -> None:
        """The open list's pick (named by Textual's convention: SelectOverlay is not public).

        Runs before Select's own handler (which sets the value and closes the list), which it leaves be.
        """
        self.post_message(self.Picked())


class SoloSetupScreen(RoleplayScreen):
    """Choose who is rehearsing, the scenario and the rubric."""

    CSS_PATH = "solo.tcss"
    AUTO_FOCUS = "#solo-name"

    hidden_choice: str | None = None
    """The id of a scenario chosen before the search hid it: chosen again when it comes back."""
    placed: str | None = None
    """The id this screen last highlighted itself (a different highlight is the user's own move)."""
    user_choice: str | None = None
    """The id the user highlighted themselves: kept while the search matches it (the screen's own
    default highlight is not, so a search puts the best match first and chosen)."""

    KEYMAP = "solo_setup"
    BINDINGS = keymap.bindings(KEYMAP)

    def compose_body(self) -> ComposeResult:
        """Left: name, rubric, continue. Right: search, difficulty, the list and the preview."""
        library = self.rp.library
        assert library is not None
        with Horizontal(id="solo-setup"):
            # The column scrolls only at small sizes, and focus inside it scrolls it anyway: it is not a
            # Tab stop of its own (an invisible stop between the preview and the rubric confused people).
            with VerticalScroll(id="solo-setup-left", can_focus=False):
                yield Label("Your name", id="solo-name-label")
                yield TextInput(placeholder="Name", id="solo-name", compact=True, max_length=40)
                yield Label("Rubric", id="solo-rubric-label")
                rubrics = [(plain(e.model.title), rid) for rid, e in library.rubrics.items()]
                yield (RubricSelect(rubrics, id="solo-rubric", allow_blank=False, compact=True) if rubrics
                       else Static("No rubric found in the library.", id="solo-rubric"))
                yield Static(
                    "The app plays the speaker. You type what you would say; the automatic observer "
                    "then shows what your response did, with example responses.", id="solo-about")
                yield Static("", id="solo-setup-error")
                yield Button("Continue (ctrl+n)", id="solo-continue", variant="primary")
            with Vertical(id="solo-setup-right"):
                yield TextInput(placeholder="Search scenarios", id="solo-search", compact=True)
                yield Select([(plain(d.value), d.value) for d in Difficulty], id="solo-difficulty",
                             prompt="Any difficulty", compact=True)
                yield Static("", id="solo-chosen")
                yield OptionList(id="solo-scenarios")
                yield ScenarioPreview(unit="lines", id="solo-preview")

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
        """Fill the scenario list; look up the name used last time."""
        self.refresh_list()
        self.prefill_name()

    @work(exclusive=True, group="solo-name")
    async def prefill_name(self) -> None:
        """Fill the name field with the most recent solo rehearsal's name (unless something was typed)."""
        store = self.rp.store
        if store is None:
            return
        name = await asyncio.to_thread(last_solo_name, store)
        field = self.query_one("#solo-name", TextInput)
        if name and not field.value:
            field.value = name
            field.select_all()  # typing replaces it: another person at the same computer
            self.query_one("#solo-name-label", Label).update("Your name (as last time)")

    def refresh_list(self) -> None:
        """Show the scenarios passing the search and difficulty filter, keeping the choice while it matches."""
        library = self.rp.library
        assert library is not None
        search = self.query_one("#solo-search", TextInput).value
        chosen = self.query_one("#solo-difficulty", Select).value
        difficulty = chosen if isinstance(chosen, str) else ALL
        options = self.query_one("#solo-scenarios", OptionList)
        previous = self.selected_scenario()
        options.clear_options()
        shown = [e.model for e in library.scenarios.values() if matches(e.model, search, difficulty, ALL)]
        shown.sort(key=lambda s: search_rank(s, search))  # stable: library order within a rank
        options.add_options(Option(plain(f"{s.title}  ({s.difficulty.value})"), id=s.id) for s in shown)
        ids = [s.id for s in shown]
        if self.hidden_choice in ids:
            keep: str | None = self.hidden_choice
            self.hidden_choice = None
        elif previous is not None and previous.id in ids and previous.id == self.user_choice:
            keep = previous.id
        else:
            keep = ids[0] if ids else None
            if previous is not None and previous.id not in ids and previous.id == self.user_choice \
                    and self.hidden_choice is None:
                self.hidden_choice = previous.id
        self.placed = keep
        if keep is not None:
            options.highlighted = ids.index(keep)
        self.show_choice()

    def show_choice(self) -> None:
        """The chosen scenario in words, its preview, and what happened to an earlier choice the search hid."""
        scenario = self.selected_scenario()
        self.query_one("#solo-preview", ScenarioPreview).show(scenario)
        if scenario is None:
            text = styled("Chosen: none. No scenario matches: clear the search or the filter.", "bold $warning")
        else:
            text = Content.assemble(styled("Chosen: ", "bold"), styled(scenario.title, "bold underline"),
                                    plain("  (↑↓ in the list to change)"))
            library = self.rp.library
            hidden = library.scenarios.get(self.hidden_choice) if library and self.hidden_choice else None
            if hidden is not None:
                text = Content.assemble(text, styled(f"; the search hides “{hidden.model.title}”", "dim"))
        self.query_one("#solo-chosen", Static).update(text)

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
        scenario = self.selected_scenario()
        if scenario is not None and scenario.id != self.placed:
            self.hidden_choice = None  # the user picked another: forget the one the search hid
            self.placed = scenario.id
            self.user_choice = scenario.id
        self.show_choice()

    @on(OptionList.OptionSelected, "#solo-scenarios")
    def _selected(self) -> None:
        # Enter on a scenario: with a rubric to choose, go to the rubric first (the README's order:
        # scenario, then rubric); Enter there opens it, picking one goes to Continue.
        rubric = self.query_one("#solo-rubric")
        if isinstance(rubric, Select) and len(self.rp.library.rubrics if self.rp.library else ()) > 1:
            self.query_one("#solo-rubric-label", Label).update("Rubric (Enter to change)")
            rubric.focus()
        else:
            self.action_continue()

    @on(RubricSelect.Picked)
    def _rubric_picked(self) -> None:
        # After Select's own handler has focused the drop-down again.
        self.call_after_refresh(self.query_one("#solo-continue", Button).focus)

    @on(TextInput.Submitted, "#solo-name")
    @on(TextInput.Submitted, "#solo-search")
    def _to_list(self) -> None:
        # Enter after the name or a search goes to the list, where ↑↓ choose and Enter continues.
        self.query_one("#solo-scenarios", OptionList).focus()

    def choice(self) -> tuple[str, Scenario, Rubric]:
        """The name, scenario and rubric chosen; raises ValueError with a message for the user."""
        name = clean_name(self.query_one("#solo-name", TextInput).value)
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
