"""Group set-up: names, scenario (search, filters, preview), rubric, listener mode and minutes per round."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from roleplay.content.scenario import Difficulty, Scenario
from roleplay.session.plan import RoundPlay, choices, default_plan
from roleplay.session.roles import RosterError, check_names
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.tui import keymap
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.core import pick_agreement
from roleplay.tui.text import plain
from roleplay.tui.widgets.scenario_preview import ScenarioPreview
from roleplay.tui.widgets.text_input import TextInput

ALL = "__all__"


def matches(scenario: Scenario, search: str, difficulty: str, tag: str) -> bool:
    """Whether a scenario passes the search text (title, summary, tags) and the two filters."""
    if difficulty != ALL and scenario.difficulty.value != difficulty:
        return False
    if tag != ALL and tag not in scenario.tags:
        return False
    needle = search.strip().casefold()
    haystack = " ".join([scenario.title, scenario.summary, *scenario.tags]).casefold()
    return all(word in haystack for word in needle.split())


def search_rank(scenario: Scenario, search: str) -> tuple[int, int]:
    """Sort key for a scenario that matches ``search``: lower comes first.

    A title that starts with the search (ignoring a leading "The"/"A"), then a title holding every word,
    then an id holding every word, then a match elsewhere (summary, tags), more title words first.
    """
    words = search.casefold().split()
    if not words:
        return (0, 0)
    title = scenario.title.casefold()
    bare = title.removeprefix("the ").removeprefix("a ")
    phrase = " ".join(words)
    in_title = sum(word in title for word in words)
    if title.startswith(phrase) or bare.startswith(phrase):
        tier = 0
    elif in_title == len(words):
        tier = 1
    elif all(word in scenario.id.casefold().replace("-", " ") for word in words):
        tier = 2
    else:
        tier = 3
    return (tier, -in_title)


class ChoiceButton(RadioButton):
    """A radio button that reads without colour: ``(•)`` when chosen, ``( )`` when not.

    Textual's default draws the same glyph for both states and tells them apart by colour only, which
    a projector, a monochrome terminal or a screen reader loses.
    """

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("(", ("•" if self.value else " ", style), ")")


class ChoiceSet(RadioSet):
    """A radio set where the arrow keys choose, as in most forms (no separate Enter to confirm).

    With Textual's default the arrows only move a highlight, so a group could arrow to "Typed", tab
    away and still be in spoken mode without noticing.
    """

    BINDINGS = [
        Binding("down,right", "choose(1)", "Next option", show=False),
        Binding("up,left", "choose(-1)", "Previous option", show=False),
    ]

    def action_choose(self, step: int) -> None:
        """Move to the next (or previous) option and choose it."""
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        if self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton) and not button.value:
                button.value = True


class SetupScreen(RoleplayScreen):
    """Choose the people and the material for a group practice."""

    CSS_PATH = "setup.tcss"

    #: Focus the first name as the screen is composed (not later, from on_mount: a deferred focus
    #: could land after a fast typist has already tabbed on).
    AUTO_FOCUS = "#name-0"

    KEYMAP = "group_setup"
    BINDINGS = keymap.bindings(KEYMAP)

    def compose_body(self) -> ComposeResult:
        """Read top to bottom, left to right, in the order the group decides: people, scenario, options.

        The focus chain follows the same order (Tab goes names, search, filters, list, rubric, mode,
        minutes, Continue), so after the names the next thing typed lands in the search box.
        """
        library = self.rp.library
        assert library is not None
        scenarios = [e.model for e in library.scenarios.values()]
        tags = sorted({t for s in scenarios for t in s.tags})
        with Vertical(id="setup-people"):
            yield Label("1  Who is practising? 2 to 4 names, in the order you sit (Tab moves on)",
                        classes="step")
            with Horizontal(id="names"):
                for i in range(4):
                    yield TextInput(placeholder=f"Name {i + 1}" + (" (optional)" if i >= 2 else ""),
                                    id=f"name-{i}", compact=True, max_length=40)
        with Horizontal(id="setup"):
            with Vertical(id="setup-left"):
                yield Label("2  Scenario: search, then ↑↓ and Enter", classes="step")
                yield TextInput(placeholder="Search scenarios (title, summary, tags)", id="search", compact=True)
                with Horizontal(id="filters"):
                    yield Select([(plain(d.value), d.value) for d in Difficulty], id="difficulty",
                                 prompt="Any difficulty", compact=True)
                    yield Select([(plain(t), t) for t in tags], id="tag", prompt="Any tag", compact=True)
                yield OptionList(id="scenarios")
                yield ScenarioPreview(id="preview")
            with VerticalScroll(id="setup-right", can_focus=False):  # a column of fields, not a stop of its own
                yield Label("3  Rubric", classes="step", id="rubric-label")
                yield Select(
                    [(plain(e.model.title), rid) for rid, e in library.rubrics.items()],
                    id="rubric", allow_blank=False, compact=True,
                ) if library.rubrics else Static("No rubric found in the library.", id="rubric")
                yield Label("4  Listener mode (↑↓)", classes="step")
                with ChoiceSet(id="mode", compact=True):
                    yield ChoiceButton("Spoken: observer may jot", value=True, id="mode-spoken")
                    yield ChoiceButton("Typed: listener types", id="mode-typed")
                yield Label("5  Minutes per round", classes="step")
                yield TextInput(id="minutes", type="integer", compact=True, max_length=3)
                yield Label("6  What each round plays", classes="step")
                plays = choices(scenarios)
                for i in range(4):
                    yield Select([(plain(p.label), p.key) for p in plays], id=f"round-{i}", allow_blank=True,
                                 prompt=f"Round {i + 1}", compact=True, classes="round-play")
                yield Static("", id="setup-error")
                yield Button("Continue (ctrl+n)", id="continue", variant="primary")

    def on_mount(self) -> None:
        """Fill the scenario list (the first name is focused by AUTO_FOCUS)."""
        self.minutes_edited = False
        #: What each round plays: the default for the chosen scenario, with the group's changes.
        self.plan: list[RoundPlay] = []
        self.plan_changes: dict[int, str] = {}
        self.plan_for: str | None = None
        self.refresh_list()
        self.refresh_plan()

    # ------------------------------------------------------------------ scenario list
    def _filters(self) -> tuple[str, str, str]:
        def value(select_id: str) -> str:
            selected = self.query_one(select_id, Select).value
            return selected if isinstance(selected, str) else ALL

        return self.query_one("#search", TextInput).value, value("#difficulty"), value("#tag")

    def refresh_list(self) -> None:
        """Show the scenarios passing the search and filters, keeping the highlight when possible."""
        library = self.rp.library
        assert library is not None
        search, difficulty, tag = self._filters()
        options = self.query_one("#scenarios", OptionList)
        previous = self.selected_scenario()
        options.clear_options()
        shown = [e.model for e in library.scenarios.values() if matches(e.model, search, difficulty, tag)]
        shown.sort(key=lambda s: search_rank(s, search))  # title matches first, as in solo set-up
        options.add_options(
            Option(plain(f"{s.title}  ({s.difficulty.value}, {s.minutes} min)"), id=s.id) for s in shown
        )
        if shown:
            ids = [s.id for s in shown]
            options.highlighted = ids.index(previous.id) if previous and previous.id in ids else 0
        self.query_one("#preview", ScenarioPreview).show(shown[0] if shown and options.highlighted == 0
                                                         else self.selected_scenario())

    def selected_scenario(self) -> Scenario | None:
        """The highlighted scenario, if any."""
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        library = self.rp.library
        return library.scenarios[option_id].model if library and option_id in library.scenarios else None

    @on(TextInput.Changed, "#search")
    @on(Select.Changed, "#difficulty, #tag")
    def _filter_changed(self) -> None:
        self.refresh_list()
        self.refresh_plan()

    @on(TextInput.Changed, "#minutes")
    def _minutes_changed(self) -> None:
        if self.query_one("#minutes", TextInput).has_focus:
            self.minutes_edited = True

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _scenario_highlighted(self) -> None:
        scenario = self.selected_scenario()
        self.query_one("#preview", ScenarioPreview).show(scenario)
        if scenario is not None and not self.minutes_edited:
            self.query_one("#minutes", TextInput).value = str(scenario.minutes)
        self.refresh_plan()

    # ------------------------------------------------------------------ what each round plays
    def round_count(self) -> int:
        """How many rounds the names entered make (everyone plays every role; 2 to 4, 3 until known)."""
        count = sum(1 for i in range(4) if self.query_one(f"#name-{i}", TextInput).value.strip())
        return count if 2 <= count <= 4 else 3

    def refresh_plan(self) -> None:
        """Work out what each round plays and show it: the default for the chosen scenario, level and
        theme, with any round the group changed kept (until another scenario is chosen)."""
        library = self.rp.library
        chosen = self.selected_scenario()
        if library is None or chosen is None:
            self.plan = []
        else:
            if chosen.id != self.plan_for:
                self.plan_changes, self.plan_for = {}, chosen.id
            _, difficulty, tag = self._filters()
            scenarios = [e.model for e in library.scenarios.values()]
            plan = default_plan(chosen, scenarios, self.round_count(), difficulty=None if difficulty == ALL else
                                difficulty, tag=None if tag == ALL else tag)
            by_key = {p.key: p for p in choices(scenarios)}
            self.plan = [by_key.get(self.plan_changes.get(i, ""), play) for i, play in enumerate(plan)]
        # Showing the plan must not read as the group choosing it: a Changed posted here would arrive
        # after the next keystroke's plan and be kept as a change to a round (typing a search then
        # left the rounds of a scenario the search passed through). Only a person's choice posts one.
        with self.prevent(Select.Changed):
            for i in range(4):
                select = self.query_one(f"#round-{i}", Select)
                select.display = i < len(self.plan)
                if i >= len(self.plan):
                    if not select.is_blank():
                        select.clear()
                elif select.value != self.plan[i].key:
                    select.value = self.plan[i].key

    @on(Select.Changed, ".round-play")
    def _round_play_changed(self, event: Select.Changed) -> None:
        index = int((event.select.id or "round-0").rpartition("-")[2])
        if index < len(self.plan) and isinstance(event.value, str) and event.value != self.plan[index].key:
            self.plan_changes[index] = event.value
            self.refresh_plan()

    @on(TextInput.Changed, "#name-0, #name-1, #name-2, #name-3")
    def _names_changed(self) -> None:
        if len(self.plan) != self.round_count():
            self.refresh_plan()

    @on(TextInput.Submitted, "#name-0, #name-1, #name-2, #name-3")
    def _name_submitted(self) -> None:
        # Enter after a name moves on, as Tab does: many people press Enter at the end of a field.
        self.focus_next()

    @on(TextInput.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#scenarios", OptionList).focus()

    @on(TextInput.Submitted, "#minutes")
    def _minutes_submitted(self) -> None:
        self.action_continue()

    @on(OptionList.OptionSelected, "#scenarios")
    def _scenario_selected(self) -> None:
        # On to the next step (the rubric); Tab from the list first visits the preview, to scroll it.
        self.query_one("#rubric").focus()

    # ------------------------------------------------------------------ continue
    def build_config(self) -> SessionConfig:
        """The set-up as a session configuration; raises ValueError with a message for the user."""
        names = [self.query_one(f"#name-{i}", TextInput).value for i in range(4)]
        names = [n for n in (n.strip() for n in names) if n]
        try:
            people = check_names(names)
        except RosterError as error:
            raise ValueError(str(error)) from error
        scenario = self.selected_scenario()
        if scenario is None:
            raise ValueError("Pick a scenario from the list (clear the search or filters to see them all).")
        rubric_widget = self.query_one("#rubric")
        if not isinstance(rubric_widget, Select) or not isinstance(rubric_widget.value, str):
            raise ValueError("The library has no rubric, so the observer has nothing to rate with.")
        library = self.rp.library
        assert library is not None
        rubric = library.rubrics[rubric_widget.value].model
        minutes_text = self.query_one("#minutes", TextInput).value.strip()
        minutes = int(minutes_text) if minutes_text.isdigit() else 0
        if not 1 <= minutes <= 120:
            raise ValueError("Minutes per round must be a whole number from 1 to 120.")
        typed = self.query_one("#mode-typed", RadioButton).value
        self.refresh_plan()  # for the names as they are now
        if len(self.plan) != len(people):
            raise ValueError("Choose what each round plays (step 6).")
        return SessionConfig(
            names=people, scenario=self.plan[0].scenario, rubric=rubric,
            agreement_id=pick_agreement(library).id,
            mode=ListenerMode.typed if typed else ListenerMode.spoken, minutes=minutes,
            plays=tuple(self.plan),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Continue button."""
        event.stop()
        if event.button.id == "continue":
            self.action_continue()

    def action_continue(self) -> None:
        """Check the set-up and go on to the comfort agreement."""
        from roleplay.tui.screens.agreement import AgreementScreen

        error = self.query_one("#setup-error", Static)
        try:
            config = self.build_config()
        except ValueError as problem:
            error.update(plain(str(problem)))
            return
        error.update("")
        self.app.push_screen(AgreementScreen(config))
