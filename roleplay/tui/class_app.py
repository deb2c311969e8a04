"""The class apps: a trainee's seat (``roleplay seat``/``join``) and the tutor's dashboard.

Each browser tab that ``roleplay serve`` opens runs its own process with one of these apps; all share
one database. A seat follows the class and its group's session by polling the store (SQLite tells a
connection cheaply when another has committed), so every device sees the others' actions within a
fraction of a second. The seat decides which screen fits the group's stage; within a stage (reading the
debrief, stepping out of role) each person moves at their own pace.

The existing flow screens are reused as they are: :meth:`SeatApp.act` runs any action on the group's
session through :class:`~roleplay.classroom.shared.SharedSession`, so a screen written for one device
writes safely alongside the others, and :meth:`SeatApp.goto` swaps the one-device roles screen for the
seat's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from roleplay.tui.app import RoleplayApp
from roleplay.tui.base import Follows
from roleplay.tui.core import LibraryLoader, library_loader

T = TypeVar("T")

#: Seconds between a seat's looks at the store for other devices' writes (a pause or a new turn shows
#: within this; each look is one cheap query, but thirty seats make it add up).
POLL_SECONDS = 0.2

#: Seconds between the dashboard's looks: the tutor's view of ratings should lag least.
DASHBOARD_POLL_SECONDS = 0.1

#: Seconds between a seat's "still here" heartbeats (each is a write every other process notices).
HEARTBEAT_SECONDS = 8.0


class ClassApp(RoleplayApp):
    """What seats and the dashboard share: the class room, the change watch and the polling."""

    WARM_OBSERVER = False  # a seat loads the automatic observer once its group plays in typed mode

    def __init__(self, *, data_dir: Path | None, loader: LibraryLoader, clock: Callable[[], float],
                 class_id: str | None, cursor_blink: bool = True, poll: float = POLL_SECONDS,
                 database: str | None = None) -> None:
        """Follow class ``class_id`` (None: the seat asks for a code) in the store of ``data_dir`` (or the
        ``database`` URL or file)."""
        super().__init__(data_dir=data_dir, loader=loader, clock=clock, cursor_blink=cursor_blink,
                         database=database)
        self.class_id = class_id
        self.poll_seconds = poll
        self.room: Any = None
        self._watch: Any = None

    def on_roleplay_app_store_ready(self, message: RoleplayApp.StoreReady) -> None:
        """Start watching the store once it is open."""
        from roleplay.storage.classes import ChangeWatch

        super().on_roleplay_app_store_ready(message)
        if self.store is not None:
            self._watch = ChangeWatch(self.store)
            self.set_interval(self.poll_seconds, self.poll)
            self.set_interval(1.0, self.tick)

    def poll(self) -> None:
        """Follow other devices' writes."""
        if self.closing:
            return
        if self._watch is not None and self._watch.changed():
            self.follow()

    @property
    def closing(self) -> bool:
        """Whether the app is shutting down (timers may still fire once while screens are torn down)."""
        return bool(self._closing or self._closed or self._exit_renderables)

    def tick(self) -> None:
        """Once a second: timers and anything time-based."""

    def follow(self) -> None:
        """Catch up with the class and sessions and redraw (subclasses)."""


class SeatApp(ClassApp):
    """One trainee's device: join, lobby, agreement, their role's screen, debrief and summary."""

    SUB_TITLE = "class seat"

    def __init__(self, *, device_id: str, peer: str = "", **kwargs: Any) -> None:
        """``device_id`` identifies this device (a browser's cookie, or random for a terminal seat);
        ``peer`` is the network address it connects from (given by the server; joins are limited by it too)."""
        super().__init__(**kwargs)
        self.device_id = device_id
        self.peer = peer
        self.me: str | None = None
        self.seat_key = ""
        self.shared: Any = None
        self._stage: tuple[Any, ...] | None = None
        self._notes_seen = 0
        self._overlay: Any = None
        self._drawn = (0, 0)
        self._warming = False
        """The class log's and the session's length when this device last caught up its screens."""
        self._last_beat = 0.0

    def get_default_screen(self) -> Any:
        """The join screen is the base of the stack."""
        from roleplay.tui.screens.seat_join import JoinScreen

        return JoinScreen()

    # ------------------------------------------------------------------ seat
    def seated(self, room: Any, name: str, seat_key: str) -> None:
        """The device has a seat: follow the class from here on."""
        self.room, self.me, self.seat_key = room, name, seat_key
        self._notes_seen = len(self.notes())  # notes sent before this device took the seat are not repeated
        self.beat()
        self.follow(force=True)

    def beat(self) -> None:
        """Tell the class this seat is open."""
        if self.room is not None and self.me is not None:
            self.act(self.room.heartbeat, self.me, self.device_id)
            self._last_beat = time.monotonic()

    def tick(self) -> None:
        """Heartbeat now and then; redraw the timer."""
        if self.closing:
            return
        if time.monotonic() - self._last_beat >= HEARTBEAT_SECONDS:
            self.beat()
        refresh = getattr(self.screen, "tick", None)
        if callable(refresh):
            refresh()

    def on_unmount(self) -> None:
        """The app is closing (quit, or the browser tab closed): the seat is free at once for this
        person's other device (without this, it frees itself when the heartbeats stop)."""
        if self.room is not None and self.me is not None and self.store is not None:
            from contextlib import suppress

            from roleplay.storage.errors import StorageError

            with suppress(StorageError):  # closing anyway: the heartbeat timeout frees the seat
                self.room.leave(self.me, self.device_id)

    # ------------------------------------------------------------------ following
    def follow(self, *, force: bool = False) -> None:
        """Catch up with the class and the group's session; change screen when the group's stage did."""
        from roleplay.classroom.shared import SharedSession

        if self.room is None or self.me is None or self.closing:
            return
        top = self.screen_stack[-1] if self.screen_stack else None
        if top is not None and (not top.is_mounted or (isinstance(top, Follows) and not top.drawn)):
            # A screen is still being built: changing screens now would remove it half-made. Look again soon.
            self.set_timer(0.05, lambda: self.follow(force=force))
            return
        changed = bool(self.act(self.room.sync)) or self.room.state.seq != self._drawn[0]
        group = self.room.state.group_of(self.me)
        if group is not None and group.session_id and (self.shared is None or self.shared.id != group.session_id):
            self.shared = self.act(SharedSession, self.store, group.session_id, clock=self.clock)
            self.session = self.shared.session if self.shared else None
            changed = True
            if self.session is not None and str(self.session.config.mode) == "typed" and not self._warming:
                from roleplay.tui.core import start_observer_warm_up

                self._warming = True
                start_observer_warm_up()  # typed mode: the observer reads the listener's replies
        elif self.shared is not None:
            changed = bool(self.act(self.shared.sync)) or changed
        # An action on this device caught up with other devices' writes before it wrote (a device that was
        # behind): those changes are new to this screen too, though the sync just now found nothing.
        changed = changed or (self.session is not None and len(self.session.events) != self._drawn[1])
        self._drawn = (self.room.state.seq, len(self.session.events) if self.session is not None else 0)
        if not changed and not force and self.stage() == self._stage:
            self.keep_pause()
            return  # another seat's heartbeat, or another group's news: nothing to redraw here
        notes = self.notes()
        for note in notes[self._notes_seen:]:
            self.notify(note.text, title="Note from the tutor", timeout=20, markup=False)
        self._notes_seen = len(notes)
        stage = self.stage()
        if force or stage != self._stage:
            self._stage = stage
            self.route()
        else:
            redraw = getattr(self.screen_stack[-1] if self.screen_stack else None, "follow", None)
            if callable(redraw):
                redraw()
            for screen in self.screen_stack:  # a screen under a dialog catches up too
                hook = getattr(screen, "follow", None)
                if screen is not self.screen_stack[-1] and callable(hook):
                    hook()
        self.keep_pause()

    def notes(self) -> list[Any]:
        """The tutor's notes this seat should see: to everyone, and to its group."""
        if self.room is None or self.me is None:
            return []
        group = self.room.state.group_of(self.me)
        if group is None:
            return [n for n in self.room.state.notes if n.group is None]
        return self.room.state.notes_for(group.id)

    def stage(self) -> tuple[Any, ...]:
        """Where the group is, coarsely: a change means every device moves to the matching screen."""
        session = self.session
        if self.shared is None or session is None:
            group = self.room.state.group_of(self.me) if self.room and self.me else None
            return ("lobby", group.id if group else None)
        current = session.current_round
        return (session.id, str(session.phase), current.number if current else 0,
                bool(current and current.playing))

    def keep_pause(self) -> None:
        """Show the calm pause on this device while the group is paused; close it when it is over."""
        from roleplay.tui.screens.dialogs import PauseOverlay

        session = self.session
        paused = bool(session and session.paused and session.current_round and session.current_round.playing)
        if paused and self._overlay is None:
            overlay = self._overlay = PauseOverlay()
            self.push_screen(overlay, lambda choice: self._overlay_closed(overlay, choice))
        elif not paused and self._overlay is not None:
            overlay, self._overlay = self._overlay, None
            if overlay in self.screen_stack:
                overlay.dismiss("elsewhere")

    def _overlay_closed(self, overlay: Any, choice: object) -> None:
        """The person on this device chose to carry on, or to stop the round (``overlay`` is the one that
        closed: a pause closed from elsewhere may finish closing after the next pause opened its own)."""
        if self._overlay is overlay:
            self._overlay = None
        session = self.session
        if choice == "elsewhere" or session is None:
            return
        self.act(session.unpause)
        if choice == "stop":
            end = getattr(self.screen, "end_round", None)
            if callable(end):
                end()
            else:
                self.act(session.end_round)
        self.follow()

    # ------------------------------------------------------------------ routing and actions
    def route(self, *, debriefed: bool = False) -> None:
        """Show the screen for the group's stage (lobby, agreement, roles, play, debrief, summary): the
        app's router (:mod:`roleplay.tui.router`) with the seat's own agreement, roles and play screens."""
        from roleplay.tui.router import Step, screen_for, step_for
        from roleplay.tui.screens.seat_group import SeatAgreementScreen
        from roleplay.tui.screens.seat_join import LobbyScreen

        if self.room is None:
            return
        self._overlay = None
        session = self.session
        if self.shared is None or session is None:
            self.goto(LobbyScreen())
            return
        step = step_for(session, debriefed=debriefed)
        self.goto(SeatAgreementScreen() if step == Step.agreement else screen_for(step, session))
        self.keep_pause()

    def goto(self, screen: Any) -> None:
        """Like the app's, but the one-device roles and play screens become the seat's own."""
        from roleplay.tui.screens.play import PlayScreen
        from roleplay.tui.screens.roles import RolesScreen
        from roleplay.tui.screens.seat_group import SeatRolesScreen
        from roleplay.tui.screens.seat_play import SeatPlayScreen

        if isinstance(screen, RolesScreen) and not isinstance(screen, SeatRolesScreen):
            screen = SeatRolesScreen()
        elif isinstance(screen, PlayScreen):
            screen = SeatPlayScreen()
        top = self.screen_stack[-1] if len(self.screen_stack) > 1 else None
        if top is not None and type(top) is type(screen) and getattr(top, "round_number", None) == getattr(
                screen, "round_number", None) and getattr(top, "stage", None) == self._stage:
            return  # already showing it (a second route for the same stage)
        screen.stage = self._stage  # type: ignore[attr-defined]
        super().goto(screen)

    def back_home(self) -> None:
        """A seat has no home screen: back to where the group is."""
        self.follow(force=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A seat has no home screen, so the one-device screens' "esc Home" is neither shown nor run."""
        return False if action == "back_home" else super().check_action(action, parameters)

    def act(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run an action; one on the group's session goes through the shared session (caught up first,
        re-run if another device wrote first). Refusals become messages, as in the app."""
        from roleplay.classroom.room import ClassError

        shared = self.shared
        if shared is not None:
            if getattr(action, "__self__", None) is shared.session:
                name = getattr(action, "__name__", "")
                return super().act(shared.act, lambda s: getattr(s, name)(*args, **kwargs))
            if args and args[0] is shared.session:
                rest = args[1:]
                return super().act(shared.act, lambda s: action(s, *rest, **kwargs))
        try:
            return super().act(action, *args, **kwargs)
        except ClassError as error:
            self.notify(str(error), title="Not possible", severity="warning", markup=False)
            return None


def create_seat_app(*, device_id: str, class_id: str | None = None, data_dir: Path | None = None,
                    library_paths: tuple[Path, ...] = (), clock: Callable[[], float] | None = None,
                    loader: LibraryLoader | None = None, cursor_blink: bool = True,
                    poll: float = POLL_SECONDS, database: str | None = None, peer: str = "") -> SeatApp:
    """Build a seat for ``device_id`` (connecting from ``peer``); with ``class_id`` a device that holds a
    seat gets it back at once."""
    return SeatApp(device_id=device_id, peer=peer, class_id=class_id, data_dir=data_dir,
                   loader=loader or library_loader(data_dir, library_paths), clock=clock or time.time,
                   cursor_blink=cursor_blink, poll=poll, database=database)
