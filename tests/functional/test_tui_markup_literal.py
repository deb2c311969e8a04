"""Text that looks like markup is shown exactly as written, on every screen, and never crashes the app.

Names, scenario and rubric titles, persona names, lines, responses and notes are typed by people or
written by tutors; Textual reads a plain ``str`` as content markup, so ``Bob [/x]`` once crashed the home
screen on every start and ``[red]Zed[/red]`` turned red. The first test reproduces that start-up crash;
the property tests walk every screen with such text drawn by hypothesis and check each piece appears
literally where it belongs (a crash fails the run, and parsed markup would lose its brackets).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Static

from roleplay.content.library import Entry, Library
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.session.engine import PracticeSession
from roleplay.session.samples import _RUBRIC, _SCENARIO
from roleplay.session.state import SessionConfig
from roleplay.storage import open_store
from roleplay.tui.app import RoleplayApp
from roleplay.tui.core import fallback_agreement
from tests.apps import AppFactory
from tests.functional.tui_steps import agreement_to_notes, notes_to_roles, setup_to_agreement, to_group_setup

SIZE = (120, 40)

#: Pieces that Textual's markup parser would act on: closing tags with nothing open, styles, actions,
#: links, variables, escapes and emoji codes.
PIECES = ["[/x]", "[/b]", "[/]", "[b]", "[red]", "[/red]", "[@click=app.quit]", "[link=https://x.test]",
          "[bold red on blue]", "$name", "\\[", "[[", "]]", "[i]", ":smile:", "[dim]", "[on red]"]
WORDS = ["Bob", "Zed", "odd", "title", "Ann"]

markupish = st.lists(st.sampled_from(PIECES + WORDS), min_size=1, max_size=3).map(" ".join).filter(
    lambda s: any(p in s for p in PIECES))


def library_with(title: str, persona: str, line: str, criterion: str) -> Callable[[], Library]:
    """A loader for the sample content with these texts in the scenario and the rubric."""
    scenario_data = {**_SCENARIO, "title": title, "persona": {**_SCENARIO["persona"], "name": persona},
                     "content_notes": [f"note {title}"]}
    scenario_data["turns"] = [{**scenario_data["turns"][0], "line": line}, *scenario_data["turns"][1:]]
    rubric_data = {**_RUBRIC, "title": f"Rubric {criterion}",
                   "criteria": [{**_RUBRIC["criteria"][0], "name": criterion}, *_RUBRIC["criteria"][1:]]}
    scenario, rubric, agreement = (Scenario.model_validate(scenario_data), Rubric.model_validate(rubric_data),
                                   fallback_agreement())

    def load() -> Library:
        return Library(scenarios={scenario.id: Entry(scenario, Path("s.yaml"), "sample")},
                       rubrics={rubric.id: Entry(rubric, Path("r.yaml"), "sample")},
                       agreements={agreement.id: Entry(agreement, Path("a.yaml"), "sample")})

    return load


def texts_of(widget: Widget) -> Iterable[str]:
    """The plain text a widget shows (its own part, not its children's)."""
    if isinstance(widget, Button):
        yield str(widget.label)
    elif isinstance(widget, Static):
        yield str(widget.render())
    elif isinstance(widget, OptionList):
        yield from (str(option.prompt) for option in widget.options)
    elif isinstance(widget, DataTable):
        yield from (str(column.label) for column in widget.columns.values())
        yield from (str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row))
    elif isinstance(widget, Input):
        yield widget.value
    elif type(widget).render is not Widget.render:  # own widgets (the rubric panel) draw Content
        yield str(widget.render())


def screen_text(app: RoleplayApp) -> str:
    """Everything the current screen (and toasts) shows, as one plain string with spaces collapsed."""
    parts = [text for widget in app.screen.walk_children(with_self=False) for text in texts_of(widget)]
    parts += [str(n.message) for n in app._notifications]
    return " ".join(" ".join(parts).split())


def shows(app: RoleplayApp, *texts: str) -> None:
    """Each text is on the current screen exactly as written."""
    shown = screen_text(app)
    for text in texts:
        assert " ".join(text.split()) in shown, (type(app.screen).__name__, text, shown[:2000])


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_unfinished_session_with_markup_names_starts_and_shows_them_literally(make_app: AppFactory,
                                                                                   tmp_path: Path) -> None:
    """`Bob [/x]` and a title `Odd [/b] title` left unfinished: the app starts and shows them as typed."""
    data = tmp_path / "data"
    loader = library_with("Odd [/b] title", "Robin", _SCENARIO["turns"][0]["line"], "Paraphrase")
    library = loader()
    store = open_store(data)
    config = SessionConfig(names=("Bob [/x]", "[red]Zed[/red]", "Cy"),
                           scenario=next(iter(library.scenarios.values())).model,
                           rubric=next(iter(library.rubrics.values())).model)
    PracticeSession.create(config, store)
    store.close()
    app = make_app(data, loader_now=loader)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.screen.query_one("#resume").display
        detail = str(app.screen.query_one("#home-resume-detail").render())
        assert "Bob [/x], [red]Zed[/red], Cy" in detail
        assert str(app.screen.query_one("#resume", Button).label) == "Resume “Odd [/b] title” (r)"
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "AgreementScreen"
    assert app.return_code in (0, None)


async def test_notifications_show_names_literally(make_app: AppFactory, tmp_path: Path) -> None:
    """A toast naming `[red]Zed[/red]` or `Bob [/x]` (from any screen) shows the text as written."""
    from textual.widgets._toast import Toast

    app = make_app(tmp_path / "data", loader_now=library_with("T", "Robin", "A line.", "Paraphrase"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.screen.notify("Now [red]Zed[/red] is rating.")
        app.screen.notify("Now Bob [/x] rates this turn.", title="[b]Who[/b]")
        await pilot.pause(0.2)
        shown = " ".join(str(toast.render()) for toast in app.screen.query(Toast))
        assert "Now [red]Zed[/red] is rating." in shown
        assert "Now Bob [/x] rates this turn." in shown and "[b]Who[/b]" in shown


async def group_walk(make_app: AppFactory, names: list[str], title: str, persona: str, line: str, criterion: str,
                     response: str, note: str) -> None:
    """Set-up to summary and history with these texts, checking each screen shows them literally."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "data", loader_now=library_with(title, persona, line, criterion))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await to_group_setup(pilot, names, typed=True)
            shows(app, title, f"Rubric {criterion}")
            await setup_to_agreement(pilot)
            await agreement_to_notes(pilot)
            shows(app, title, f"note {title}")
            await notes_to_roles(pilot)
            shows(app, *names)
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "PlayScreen"
            shows(app, *names)
            await pilot.press("ctrl+r")
            await pilot.pause()
            shows(app, persona, line)
            app.screen.query_one("#response").value = response
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+n")
            await pilot.pause()
            shows(app, names[2])  # the note dialog names the observer
            await pilot.press(*note, "enter")
            await pilot.pause()
            shows(app, note, criterion, response)
            await pilot.press("3", "3", "3", "enter")
            await pilot.pause()
            shows(app, response, persona)  # the transcript
            await pilot.press("ctrl+x", "y")
            await pilot.pause()
            assert type(app.screen).__name__ == "DebriefScreen"
            shows(app, names[1], note)
            await pilot.press("enter")
            await pilot.pause()
            shows(app, names[0], persona)  # stepping out of role
            app.back_home()
            await settle(pilot)
            shows(app, title, names[0], names[1], names[2])
            await pilot.press("h")
            await settle(pilot)
            shows(app, title)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            shows(app, title)


async def solo_walk(make_app: AppFactory, name: str, title: str, persona: str, line: str, response: str) -> None:
    """Solo set-up, notes, play, feedback and summary with these texts, each shown literally."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "data", loader_now=library_with(title, persona, line, "Paraphrase"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("#solo-name").value = name
            await pilot.pause()
            shows(app, title)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert type(app.screen).__name__ == "SoloNotesScreen"
            shows(app, title)
            await pilot.press("s")
            await settle(pilot)
            assert type(app.screen).__name__ == "SoloPlayScreen"
            shows(app, line)
            app.screen.query_one("#solo-response").value = response
            await pilot.press("enter")
            await settle(pilot)
            shows(app, response)
            await pilot.press("ctrl+x")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            shows(app, title)


#: No shrinking: each example is a whole app run, and a failing one already names what it showed.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate)
#: make_app is a function-scoped fixture shared by the examples: it holds nothing between them (each
#: example builds its app on its own temporary folder).
APP_EXAMPLES = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

#: Criterion names are shortened to 20 characters on the rubric panel: keep them shorter.
short_markupish = st.sampled_from([p for p in PIECES if len(p) <= 16]).map(lambda piece: f"C {piece}")

names3 = st.lists(markupish, min_size=3, max_size=3, unique_by=str.casefold).map(
    lambda names: [f"{name} {i}" for i, name in enumerate(names)])


@settings(max_examples=10, deadline=None, suppress_health_check=APP_EXAMPLES, phases=PHASES)
@given(names=names3, title=markupish, persona=markupish, line=markupish, criterion=short_markupish,
       response=markupish, note=markupish)
def test_group_screens_show_markup_like_text_literally(make_app: AppFactory, names, title, persona, line, criterion,
                                                       response, note) -> None:
    """Every group screen, from set-up to history, shows markup-like names and texts as written."""
    asyncio.run(group_walk(make_app, names, title, persona, line, criterion, response, note))


@settings(max_examples=10, deadline=None, suppress_health_check=APP_EXAMPLES, phases=PHASES)
@given(name=markupish, title=markupish, persona=markupish, line=markupish, response=markupish)
def test_solo_screens_show_markup_like_text_literally(make_app: AppFactory, name, title, persona, line,
                                                      response) -> None:
    """Every solo screen shows a markup-like name, title, line and response as written."""
    asyncio.run(solo_walk(make_app, name, title, persona, line, response))


async def preview_walk(title: str, persona: str, line: str, trainer: str) -> None:
    """The tutor preview of a scenario file with these texts, and its error view, show them as written."""
    import yaml

    from roleplay.tui.preview_app import create_preview_app

    data = {**_SCENARIO, "kind": "scenario", "title": title, "trainer_notes": trainer,
            "persona": {**_SCENARIO["persona"], "name": persona}}
    data["turns"] = [{**data["turns"][0], "line": line}, *data["turns"][1:]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "odd.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        app = create_preview_app(path, poll_interval=0.05, cursor_blink=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)  # the preview polls its file for ever: no waiting for its worker
            shows(app, title, persona, line, trainer)
            path.write_text(yaml.safe_dump({**data, f"x{title}": 1}, allow_unicode=True), encoding="utf-8")
            app.screen.action_reload()
            await pilot.pause(0.5)
            shows(app, f"x{title}")  # the error names the unknown key as written


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES)
@given(title=markupish, persona=markupish, line=markupish, trainer=markupish)
def test_preview_shows_markup_like_text_literally(title, persona, line, trainer) -> None:
    """The tutor preview shows a markup-like title, persona, line and trainer note as written."""
    asyncio.run(preview_walk(title, persona, line, trainer))
