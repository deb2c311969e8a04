"""A lost terminal ends the app: SIGHUP, or the terminal closing under it, saves, closes the database and exits.

Before, closing the terminal during a round could leave the app running at up to 100% CPU holding the
database open (Textual's input thread spins on a terminal that reads as end-of-file). Here the real app
runs in a pty on a temporary data folder: a round is resumed, a response typed and saved, and then the
app gets SIGHUP (or its terminal is closed). It must be gone within 2 seconds, with everything it
acknowledged saved and the database closed cleanly (SQLite removes the ``-wal`` file on a clean close).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from roleplay.content.library import load_library
from roleplay.session.engine import PracticeSession
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import open_store
from tests.functional.pty_app import PtyApp

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP and a pty")


def round_in_play(data: Path) -> str:
    """A typed triad in round 1, saved in ``data``; its id."""
    library = load_library(include_user=False)
    scenario = library.scenarios["quiet-flat"].model if "quiet-flat" in library.scenarios else next(
        iter(library.scenarios.values())).model
    rubric = next(iter(library.rubrics.values())).model
    store = open_store(data)
    session = PracticeSession.create(SessionConfig(names=("Ana", "Ben", "Cy"), scenario=scenario, rubric=rubric,
                                                   mode=ListenerMode.typed), store)
    session.acknowledge_agreement()
    session.start_round()
    store.close()
    return session.id


def saved_response(data: Path, session_id: str, timeout: float = 20) -> str | None:
    """The first turn's saved response, read from the database (waits until there is one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        store = open_store(data)
        try:
            turn = PracticeSession.from_events(store.load_events(session_id), store).current_round.turns[0]
        finally:
            store.close()
        if turn.response:
            return turn.response
        time.sleep(0.2)
    return None


def start_and_respond(data: Path, session_id: str, *, controlling: bool = True) -> PtyApp:
    """The real app, resumed into the round, with a response typed and saved (acknowledged)."""
    app = PtyApp(data, controlling=controlling)
    app.wait_for("rubrics ready")  # resume needs the library loaded
    app.type("r")
    app.wait_for("Turn 1/")
    app.type("you sound worn out\r", pause=0.5)
    assert saved_response(data, session_id) == "you sound worn out"
    return app


def closed_cleanly(data: Path) -> bool:
    """No write-ahead log left behind: the app closed its database connection before it ended."""
    return not (data / "roleplay.db-wal").exists()


@pytest.mark.parametrize("how", ["sighup", "terminal-closed", "terminal-gone-without-sighup"])
def test_a_lost_terminal_saves_and_exits_within_two_seconds(tmp_path: Path, how: str) -> None:
    """SIGHUP, or closing the pty: the app exits in 2 s, the response is kept, the database closed."""
    data = tmp_path / "data"
    session_id = round_in_play(data)
    app = start_and_respond(data, session_id, controlling=how != "terminal-gone-without-sighup")
    try:
        started = time.monotonic()
        if how == "sighup":
            app.process.send_signal(signal.SIGHUP)
        else:
            app.hang_up()
        code = app.exit_within(2.0)
        took = time.monotonic() - started
        assert code is not None, "the app was still running 2 s after losing its terminal"
        assert took < 2.0
    finally:
        app.stop()
    assert closed_cleanly(data)  # first: opening the database would tidy a left-over log away
    assert saved_response(data, session_id, timeout=1) == "you sound worn out"
