"""The class's actions: create, join (with the rate limit), seats, groups, content, notes, re-deals.

A :class:`ClassRoom` is one process's view of a class: its :class:`~roleplay.classroom.state.ClassState`
plus the store. Every action first catches up with the stored class log, checks that it fits, then
appends one event with the next sequence number; when another process wrote first the action is checked
again against the caught-up state. Refusals are :class:`ClassError` with a message for the person.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from roleplay.classroom import codes
from roleplay.classroom.grouping import form_groups
from roleplay.classroom.state import ClassEvent, ClassState, Content, Group, Member
from roleplay.storage import seat_keys
from roleplay.storage.errors import StaleError
from roleplay.storage.events import Event
from roleplay.storage.gate import PracticeStore

Clock = Callable[[], float]

#: A seat not seen for this many seconds counts as gone (a closed tab, a sleeping phone).
AWAY_AFTER = 30.0

#: Failed join attempts allowed per device in :data:`JOIN_WINDOW` seconds.
JOIN_LIMIT = 5
JOIN_WINDOW = 60.0

#: Failed join attempts allowed per network address in :data:`JOIN_WINDOW` seconds: a new device id costs
#: nothing (a fresh browser profile, or a script), so guessing is also held up where it comes from; high
#: enough for a room behind one shared address whose trainees mistype the code at the start.
ADDRESS_JOIN_LIMIT = 30

#: Longest tutor note.
MAX_NOTE = 280


class ClassError(ValueError):
    """An action that does not fit the class; the message is for the person who tried it."""


def _device(device_id: str) -> str:
    if not device_id or len(device_id) > 200:
        raise ClassError("This device could not be recognised; reload the page.")
    return codes.digest(device_id)


class ClassRoom:
    """One process's live view of a class, and the actions on it."""

    def __init__(self, store: PracticeStore, class_id: str, *, clock: Clock = time.time) -> None:
        """Load class ``class_id`` (raises :class:`ClassError` when there is none)."""
        self.store = store
        self.clock = clock
        self.state = ClassState()
        if store.find_class(class_id=class_id) is None:
            raise ClassError(f"There is no class {class_id!r} in this database.")
        self.class_id = class_id
        self.sync()

    # ------------------------------------------------------------------ creating and finding
    @classmethod
    def create(cls, store: PracticeStore, *, title: str = "", defaults: Content | None = None,
               agreement_id: str = "default", clock: Clock = time.time) -> tuple[ClassRoom, str]:
        """Start a class; returns it and the tutor's secret token (shown once, stored hashed)."""
        token = codes.new_token()
        class_id = uuid.uuid4().hex[:16]
        for _ in range(20):  # a code already in use (very unlikely) is drawn again
            code = codes.new_code()
            at = float(clock())
            first = Event(1, ClassEvent.class_created, at, {
                "class_id": class_id, "code": code, "title": title, "agreement_id": agreement_id,
                "defaults": asdict(defaults) if defaults else None})
            try:
                store.create_class(class_id, code, codes.digest(token), at, first)
            except StaleError:
                continue
            return cls(store, class_id, clock=clock), token
        raise ClassError("Could not find a free class code; try again.")

    @classmethod
    def by_code(cls, store: PracticeStore, typed_code: str, *, clock: Clock = time.time) -> ClassRoom | None:
        """The open class whose code this is, or None."""
        row = store.find_class(code=codes.normalise_code(typed_code))
        if row is None or row.status != "open":
            return None
        return cls(store, row.id, clock=clock)

    @classmethod
    def latest_open(cls, store: PracticeStore, *, clock: Clock = time.time) -> ClassRoom | None:
        """The most recent class that has not ended (a restarted server carries on with it)."""
        row = store.latest_open_class()
        return None if row is None else cls(store, row.id, clock=clock)

    def new_token(self) -> str:
        """Issue a fresh tutor token (earlier tutor links stop working); returns it."""
        token = codes.new_token()
        self.store.set_token_hash(self.class_id, codes.digest(token))
        return token

    def check_token(self, token: str) -> bool:
        """Whether ``token`` is this class's tutor token."""
        row = self.store.find_class(class_id=self.class_id)
        return row is not None and bool(token) and codes.same_secret(token, row.token_hash)

    # ------------------------------------------------------------------ following
    def sync(self) -> bool:
        """Apply class events other processes wrote; True when anything was new."""
        new = self.store.class_events_after(self.class_id, self.state.seq)
        for event in new:
            self.state.apply(event)
        return bool(new)

    def _write(self, build: Callable[[ClassState], tuple[ClassEvent, dict[str, Any]] | None]) -> None:
        """Catch up, let ``build`` check the state and say what to write (None: nothing), write it."""
        for _ in range(8):
            self.sync()
            made = build(self.state)
            if made is None:
                return
            kind, data = made
            event = Event(self.state.seq + 1, str(kind), float(self.clock()), data)
            try:
                self.store.append_class_event(self.class_id, event)
            except StaleError:
                continue
            self.state.apply(event)
            return
        raise ClassError("The class is very busy; please try again.")

    # ------------------------------------------------------------------ joining and seats
    def present(self, name: str) -> bool:
        """Whether ``name``'s seat is open on some device now."""
        seen = self.store.presence(self.class_id).get(name)
        return seen is not None and self.clock() - seen[1] < AWAY_AFTER

    def away(self) -> list[str]:
        """Members in a group whose seat has not been seen for :data:`AWAY_AFTER` seconds."""
        seen = self.store.presence(self.class_id)
        now = self.clock()
        return [m.name for m in self.state.members.values()
                if m.group and not m.released and now - seen.get(m.name, ("", 0.0))[1] >= AWAY_AFTER]

    def heartbeat(self, name: str, device_id: str) -> None:
        """The seat is open on this device (called every few seconds)."""
        self.store.mark_seen(self.class_id, name, _device(device_id), float(self.clock()))

    def leave(self, name: str, device_id: str) -> None:
        """The seat was closed on this device (the person can come back)."""
        self.store.mark_gone(self.class_id, name, _device(device_id))

    def seat_for(self, device_id: str) -> Member | None:
        """The member whose seat this device holds (a reconnecting tab finds its seat)."""
        self.sync()
        return self.state.member_by_device(_device(device_id))

    def join(self, name: str, device_id: str, seat_key: str = "") -> tuple[Member, str]:
        """Take a seat: a new name joins the lobby; a known name needs its seat key (another device).

        Returns the member and a new seat key to show on the seat. Refusals are :class:`ClassError`.
        """
        device = _device(device_id)
        if self.state.ended:
            raise ClassError("This class has ended.")
        mine = self.seat_for(device_id)
        if mine is not None:
            return mine, self._shown_key(mine, device_id)
        try:
            clean = codes.clean_name(name)
        except codes.BadName as error:
            raise ClassError(str(error)) from error
        known = self.state.find_member(clean)
        if known is None:
            key = codes.new_seat_key()

            stored = {"seat_key_hash": seat_keys.hash_seat_key(key),
                      "seat_key_sealed": seat_keys.seal_seat_key(key, device_id)}

            def build(state: ClassState) -> tuple[ClassEvent, dict[str, Any]]:
                if state.find_member(clean) is not None:
                    raise ClassError(f"Someone called {clean} has just joined; please add an initial.")
                return ClassEvent.member_joined, {"name": clean, "device": device, **stored}

            self._write(build)
            return self.state.members[clean], key
        if known.released:
            raise ClassError(f"{known.name}'s seat was closed by the tutor; please ask the tutor.")
        typed_key = codes.normalise_code(seat_key)
        if not typed_key or not seat_keys.seat_key_matches(typed_key, known.seat_key_hash):
            raise ClassError(f"Someone called {known.name} already has a seat. If that is you on another "
                             "device, type your seat key as well; otherwise add an initial to your name.")
        if self.present(known.name):
            raise ClassError(f"{known.name}'s seat is open on another device now. Close it there first "
                             "(or wait half a minute), then try again.")
        sealed = seat_keys.seal_seat_key(typed_key, device_id)
        self._write(lambda state: (ClassEvent.seat_claimed,
                                   {"name": known.name, "device": device, "seat_key_sealed": sealed}))
        return known, typed_key

    def _shown_key(self, member: Member, device_id: str) -> str:
        """The seat key to show again on the device holding the seat; a new one when this device cannot
        read the stored copy (a seat taken before keys were sealed), so the seat always shows a key that works."""
        key = seat_keys.unseal_seat_key(member.seat_key_sealed, device_id)
        if key is not None:
            return key
        key = codes.new_seat_key()
        data = {"name": member.name, "seat_key_hash": seat_keys.hash_seat_key(key),
                "seat_key_sealed": seat_keys.seal_seat_key(key, device_id)}
        self._write(lambda state: (ClassEvent.seat_rekeyed, data))
        return key

    def release_seat(self, name: str) -> None:
        """Tutor: free a seat (the person left the class)."""
        self._write(lambda state: (ClassEvent.seat_released, {"name": name}) if name in state.members else None)

    # ------------------------------------------------------------------ groups (the tutor)
    def form_groups(self, groups: Sequence[Sequence[str]] | None = None) -> list[Group]:
        """Form groups from the lobby: ``groups`` by hand, or automatic threes (pairs/fours as needed)."""
        self.sync()
        lobby = self.state.lobby()
        chosen = [list(g) for g in groups] if groups is not None else form_groups(lobby)
        if not chosen:
            raise ClassError("At least two people need to be waiting in the lobby to form a group.")
        for group in chosen:
            for name in group:
                if name not in lobby:
                    raise ClassError(f"{name} is not waiting in the lobby.")
        start = len(self.state.groups) + 1
        made: list[dict[str, Any]] = [{"id": f"g{start + i}", "names": g} for i, g in enumerate(chosen)]

        def build(state: ClassState) -> tuple[ClassEvent, dict[str, Any]]:
            waiting = set(state.lobby())
            if any(n not in waiting for g in made for n in g["names"]):
                raise ClassError("Someone was grouped elsewhere meanwhile; form the groups again.")
            return ClassEvent.groups_formed, {"groups": made}

        self._write(build)
        return [self.state.groups[g["id"]] for g in made]

    def set_content(self, group_id: str, content: Content) -> None:
        """Tutor: choose what a group plays (before it starts)."""
        def build(state: ClassState) -> tuple[ClassEvent, dict[str, Any]]:
            group = state.groups.get(group_id)
            if group is None:
                raise ClassError(f"There is no group {group_id}.")
            if group.session_id:
                raise ClassError(f"Group {group_id} has already started.")
            return ClassEvent.group_content, {"group": group_id, "content": asdict(content)}

        self._write(build)

    def set_defaults(self, content: Content) -> list[str]:
        """Tutor: what every group plays: the groups not started yet and those formed later (a group
        already playing keeps its content). Returns the ids of the groups changed now."""
        self._write(lambda state: (ClassEvent.defaults_set, {"content": asdict(content)}))
        changed = []
        for group_id, group in list(self.state.groups.items()):
            if not group.session_id and group.content != content:
                self.set_content(group_id, content)
                changed.append(group_id)
        return changed

    def mark_started(self, group_id: str, session_id: str) -> None:
        """Record the practice session created for a group."""
        def build(state: ClassState) -> tuple[ClassEvent, dict[str, Any]]:
            if state.groups[group_id].session_id:
                raise ClassError(f"Group {group_id} has already started.")
            return ClassEvent.group_started, {"group": group_id, "session_id": session_id}

        self._write(build)

    def confirm_agreement(self, group_id: str, name: str) -> None:
        """A member confirms the comfort agreement and content notes on their device."""
        self._write(lambda state: None if name in state.groups[group_id].confirmed
                    else (ClassEvent.agreement_confirmed, {"group": group_id, "name": name}))

    def send_note(self, group_id: str | None, text: str) -> None:
        """Tutor: a short note to one group or (``None``) to everyone; stored exactly as typed."""
        text = " ".join(text.split())
        if not text:
            raise ClassError("The note is empty.")
        if len(text) > MAX_NOTE:
            raise ClassError(f"Please keep a note under {MAX_NOTE} characters.")
        if group_id is not None and group_id not in self.state.groups:
            raise ClassError(f"There is no group {group_id}.")
        self._write(lambda state: (ClassEvent.note_sent, {"group": group_id, "text": text}))

    def mark_redealt(self, group_id: str, names: Sequence[str], session_id: str) -> None:
        """Record that a group carries on without someone who left, in a new session."""
        self._write(lambda state: (ClassEvent.group_redealt,
                                   {"group": group_id, "names": list(names), "session_id": session_id}))

    def end(self) -> None:
        """Tutor: end the class (no one can join any more)."""
        self._write(lambda state: None if state.ended else (ClassEvent.class_ended, {}))
        self.store.set_class_status(self.class_id, "ended")


def join_class(store: PracticeStore, typed_code: str, name: str, device_id: str, seat_key: str = "", *,
               clock: Clock = time.time, peer: str = "") -> tuple[ClassRoom, Member, str]:
    """A trainee's join: the code, rate-limited per device (and per network address ``peer`` when the
    server gives it), then :meth:`ClassRoom.join`.

    Every failure is a :class:`ClassError` with a message for the trainee; a wrong code or seat key counts
    against the device's limit of :data:`JOIN_LIMIT` failures a minute and the address's
    :data:`ADDRESS_JOIN_LIMIT`.
    """
    device = _device(device_id)
    limits = [(device, JOIN_LIMIT, "Too many tries")]
    if peer:
        limits.append((codes.digest("peer:" + peer), ADDRESS_JOIN_LIMIT, "Too many wrong tries from this network"))
    now = float(clock())
    for who, limit, said in limits:
        recent = store.failed_joins_since(who, now - JOIN_WINDOW)
        if len(recent) >= limit:
            wait = int(recent[-limit] + JOIN_WINDOW - now) + 1
            raise ClassError(f"{said}. Please wait {wait} seconds, then check the code on the board.")

    def failed(class_id: str | None) -> None:
        for who, _, _ in limits:
            store.record_join_attempt(class_id, who, now, False)

    room = ClassRoom.by_code(store, typed_code, clock=clock)
    if room is None:
        failed(None)
        raise ClassError("That class code is not right. Check the code on the board and try again.")
    try:
        member, key = room.join(name, device_id, seat_key)
    except ClassError:
        failed(room.class_id)
        raise
    store.record_join_attempt(room.class_id, device, now, True)
    return room, member, key
