"""The roleplay Textual app and its factory, :func:`create_app`.

The app owns the loaded library, the open store and the practice session in progress; screens read them
and call :meth:`RoleplayApp.act` to change the session. Loading the library and opening the store happen
in workers so the home screen appears at once.

Session actions are called directly from handlers, not from a worker: the engine's contract is that an
action is durable when it returns (each is one small SQLite transaction, benchmarked at well under 5 ms
in ``benchmarks/bench_tui.py``), and keeping it on the UI thread keeps the saved state and the screen in
step with no locking. Anything slower (library, database open, Markdown export) runs in a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import work
from textual.app import CSSPathType
from textual.message import Message

from roleplay.tui import keymap
from roleplay.tui.core import LibraryLoader, library_loader, open_storage, start_observer_warm_up
from roleplay.tui.key_order import KeysInOrderApp
from roleplay.tui.screens.home import HomeScreen
from roleplay.tui.screens.message import MessageScreen

# The content models, the session engine and storage are imported where first used (in the loading
# workers, or when a session starts): importing them up front doubled the time to the home screen.
if TYPE_CHECKING:
    from roleplay.content.library import Library
    from roleplay.session.engine import PracticeSession
    from roleplay.session.solo import SoloRehearsal
    from roleplay.session.state import SessionConfig

T = TypeVar("T")


class RoleplayApp(KeysInOrderApp):
    """Group practice in the terminal: set-up, agreement, roles, play, debrief and summary."""

    CSS_PATH: ClassVar[CSSPathType | None] = "app.tcss"
    #: Load the automatic observer in the background once the library is in (a class's apps do it only
    #: when they will use it: thirty seats each loading it would take the laptop's cores for minutes).
    WARM_OBSERVER: ClassVar[bool] = True
    TITLE = "roleplay"
    SUB_TITLE = "practise listening together"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    BINDINGS = [key.binding() for key in keymap.GLOBAL]  # the one keymap (roleplay.tui.keymap)

    class LibraryReady(Message):
        """The content library has been loaded (or failed: ``error``)."""

        def __init__(self, error: str | None = None) -> None:
            """Carry a load error, if any."""
            super().__init__()
            self.error = error

    class StoreReady(Message):
        """The store has been opened (or could not be)."""

    class StoreStatus(Message):
        """The class database's connection changed: ``text`` while reconnecting, None once back."""

        def __init__(self, text: str | None, *, refused: bool = False) -> None:
            """Carry the status line (None: connected again); ``refused``: an action kept while away
            could not be saved, and ``text`` says why."""
            super().__init__()
            self.text = text
            self.refused = refused


    def __init__(
        self,
        *,
        data_dir: Path | None,
        loader: LibraryLoader,
        clock: Callable[[], float],
        cursor_blink: bool = True,
        database: str | None = None,
    ) -> None:
        """Use ``loader`` for content, ``data_dir`` for the store (None: the usual data folder), or the
        ``database`` URL or file when given."""
        super().__init__()
        self.data_dir = data_dir
        self.database = database
        self.loader = loader
        self.clock = clock
        self.cursor_blink = cursor_blink
        self.library: Library | None = None
        self.store: Any = None
        self.store_error: str | None = None
        self.store_notice: str | None = None
        self.session: PracticeSession | None = None
        self.solo: SoloRehearsal | None = None
        """The rehearsal wrapping :attr:`session` when it is a solo one."""
        self.unfinished: list[Any] = []
        self._drafts: Any = None

    # ------------------------------------------------------------------ start-up
    def get_default_screen(self) -> HomeScreen:
        """The home screen is the base of the stack (no blank screen below it: faster start-up)."""
        return HomeScreen()

    def on_mount(self) -> None:
        """Load content and open storage in the background, once home has been drawn.

        The loading threads import the content models and parse YAML; started before the first paint
        they competed with it for the interpreter and delayed the home screen.
        """
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        self.load_content(painted)
        self.open_store(painted)
        if not self.is_headless:  # a real terminal can be closed under the app: then save and exit
            from roleplay.tui.hangup import watch_terminal

            watch_terminal(self, self.terminal_lost)

    @property
    def drafts(self) -> Any:
        """Half-typed responses, kept in the data folder (see :mod:`roleplay.storage.drafts`)."""
        if self._drafts is None:
            from roleplay.paths import resolve_data_dir
            from roleplay.storage.drafts import Drafts

            self._drafts = Drafts(resolve_data_dir(self.data_dir))
        return self._drafts

    async def action_quit(self) -> None:
        """ctrl+q: mid-round, ask first (everything is kept either way); otherwise quit at once."""
        from roleplay.tui.screens.dialogs import QUIT_QUESTION, QuitDialog

        if isinstance(self.screen, QuitDialog):
            self.screen.dismiss(True)
            return
        if not any(getattr(screen, "mid_round", False) for screen in self.screen_stack):
            self.quit_now()
            return

        def answer(yes: object) -> None:
            if yes:
                self.quit_now()

        self.push_screen(QuitDialog(QUIT_QUESTION), answer)

    def quit_now(self) -> None:
        """Write any waiting draft and end the app."""
        self._broadcast("save_draft")
        self.exit()

    def terminal_lost(self) -> None:
        """SIGHUP or a hung-up terminal: keep what is typed, close the store and exit (never spin on)."""
        from roleplay.tui.hangup import end_outright_later

        self._broadcast("save_draft")
        end_outright_later(self.close_store)
        self.exit(return_code=129)

    def close_store(self) -> None:
        """Close the practice database (once; called when the app ends, however it ends)."""
        store, self.store = self.store, None
        if store is not None:
            with contextlib.suppress(Exception):  # closing at exit must never raise over the terminal
                store.close()

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run the app; the database is closed when it ends, however it ends."""
        try:
            return super().run(*args, **kwargs)
        finally:
            self.close_store()

    @work(exclusive=True, group="library")
    async def load_content(self, painted: asyncio.Event | None = None) -> None:
        """Load the content library in a thread (once home is drawn, when ``painted`` is given)."""
        if painted is not None:
            await painted.wait()
        try:
            self.library = await asyncio.to_thread(self.loader)
            self.post_message(self.LibraryReady())
            if self.WARM_OBSERVER:
                start_observer_warm_up()  # after the library: the two would only slow each other down
        except Exception as error:  # a broken library must give a message, not a traceback
            from roleplay.content.library import Library

            self.library = Library()
            self.post_message(self.LibraryReady(f"The content library could not be loaded: {error}"))

    @work(exclusive=True, group="store")
    async def open_store(self, painted: asyncio.Event | None = None) -> None:
        """Open the store in a thread and look for an unfinished session to resume."""
        if painted is not None:
            await painted.wait()
        opened = await asyncio.to_thread(open_storage, self.data_dir, self.database)
        self.store, self.store_error, self.store_notice = opened.store, opened.error, opened.notice
        if self.store is not None and hasattr(self.store, "on_status"):
            # A server database reports a dropped connection while it retries (from any thread).
            self.store.on_status = lambda text: self.post_message(self.StoreStatus(text))
            self.store.on_refused = lambda text: self.post_message(self.StoreStatus(text, refused=True))
        if self.store is not None:
            from roleplay.tui.core import unfinished_sessions

            self.unfinished = await asyncio.to_thread(unfinished_sessions, self.store)
        self.post_message(self.StoreReady())

    def on_roleplay_app_store_status(self, message: StoreStatus) -> None:
        """Say on screen that the class database is reconnecting (the action is kept and retried)."""
        if message.refused:
            self.push_screen(MessageScreen("Could not save", message.text or ""))
            return
        self.sub_title = "reconnecting to the class database ..." if message.text else ""
        if message.text:
            self.notify(message.text, title="Reconnecting", severity="warning", timeout=10)
        else:
            self.notify("Connected to the class database again; nothing was lost.", title="Reconnected")

    def on_roleplay_app_library_ready(self, message: LibraryReady) -> None:
        """Tell the user about a library that failed to load; screens refresh themselves."""
        if message.error:
            self.push_screen(MessageScreen("Content library", message.error))
        self._broadcast("library_ready")

    def on_roleplay_app_store_ready(self, message: StoreReady) -> None:
        """Show storage problems and notices as messages."""
        if self.store_error:
            self.push_screen(MessageScreen("Your practice records cannot be saved", self.store_error))
        elif self.store_notice:
            self.push_screen(MessageScreen("About your practice records", self.store_notice))
        self._broadcast("store_ready")

    def _broadcast(self, hook: str) -> None:
        for screen in self.screen_stack:
            method = getattr(screen, hook, None)
            if method is not None:
                method()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification, always as literal text.

        Notifications carry names and other typed text ("Now Bob [/x] is rating."), which Textual
        would parse as markup: a crash for ``[/x]``, formatting for ``[red]``. Screens' ``notify``
        passes ``markup=True`` by default, so it is overridden here, for every caller at once.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ------------------------------------------------------------------ session
    def act(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one session action; a refusal or a storage problem becomes a message, never a crash."""
        from roleplay.session.state import SessionError
        from roleplay.storage.errors import StorageError

        try:
            return action(*args, **kwargs)
        except SessionError as error:
            self.notify(str(error), title="Not possible", severity="warning")
        except StorageError as error:
            self.push_screen(MessageScreen("Could not save", error.message))
        return None

    def start_session(self, config: SessionConfig) -> bool:
        """Create and save a new session; False (with a message shown) when it cannot be saved."""
        from roleplay.session.engine import PracticeSession

        if self.store is None:
            self.push_screen(MessageScreen(
                "Your practice records cannot be saved",
                self.store_error or "The practice database is still opening; try again in a moment."))
            return False
        session = self.act(PracticeSession.create, config, self.store, clock=self.clock)
        if session is None:
            return False
        self.session, self.solo = session, None
        return True

    def resume_session(self, session_id: str) -> None:
        """Load a stored session (group or solo) and show the screen for where it stopped
        (:func:`roleplay.tui.router.resume`: the same path for both)."""
        from roleplay.tui.router import resume

        resume(self, session_id)

    def route(self, *, debriefed: bool = False) -> None:
        """Show the screen that fits the session's phase, moving forward or after a resume (one router:
        :mod:`roleplay.tui.router`). ``debriefed``: the round just ended has been debriefed."""
        from roleplay.tui.router import screen_for, step_for

        session = self.session
        assert session is not None
        solo = self.solo if self.solo is not None and self.solo.session is session else None
        self.goto(screen_for(step_for(session, debriefed=debriefed), session, solo))

    def goto(self, screen: Any) -> None:
        """Show a flow screen in place of every screen above home (set-up, dialogs, the last step)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def action_help(self) -> None:
        """``?`` (or F1): the keys of the screen on show and the global ones, from the keymap."""
        from roleplay.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_back_home(self) -> None:
        """Key binding: back to the home screen."""
        self.back_home()

    def back_home(self) -> None:
        """Leave the flow and show the home screen again (the session stays saved)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._broadcast("store_ready")
        self.refresh_unfinished()

    @work(exclusive=True, group="unfinished")
    async def refresh_unfinished(self) -> None:
        """Look again for unfinished sessions (one left mid-way is offered for resume at once)."""
        if self.store is None:
            return
        from roleplay.tui.core import unfinished_sessions

        self.unfinished = await asyncio.to_thread(unfinished_sessions, self.store)
        self._broadcast("store_ready")


def create_app(
    *,
    data_dir: Path | None = None,
    library_paths: Sequence[Path] = (),
    clock: Callable[[], float] | None = None,
    loader: LibraryLoader | None = None,
    cursor_blink: bool = True,
    database: str | None = None,
) -> RoleplayApp:
    """Build the app: ``data_dir`` for the store, ``library_paths`` added to the library, ``clock`` for time.

    ``loader`` replaces library loading (tests use fixed content); ``cursor_blink=False`` keeps
    screenshots deterministic.
    """
    return RoleplayApp(
        data_dir=data_dir,
        loader=loader or library_loader(data_dir, library_paths),
        clock=clock or time.time,
        cursor_blink=cursor_blink,
        database=database,
    )
