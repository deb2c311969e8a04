"""A class's state, rebuilt from its events: the lobby, the groups, the seats, notes and decisions.

Every process (the tutor's dashboard, each seat) keeps a :class:`ClassState` and applies the class's
events in order, the ones it wrote and the ones other processes wrote, so all agree. Plain data; the
actions that write events are in :mod:`roleplay.classroom.room`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from roleplay.storage.events import Event


class ClassEvent(StrEnum):
    """The kinds of event in a class's log."""

    class_created = "class_created"
    member_joined = "member_joined"
    seat_claimed = "seat_claimed"
    seat_released = "seat_released"
    seat_rekeyed = "seat_rekeyed"
    groups_formed = "groups_formed"
    group_content = "group_content"
    defaults_set = "defaults_set"
    group_started = "group_started"
    agreement_confirmed = "agreement_confirmed"
    note_sent = "note_sent"
    group_redealt = "group_redealt"
    class_ended = "class_ended"


@dataclass(frozen=True, slots=True)
class Content:
    """What a group plays: scenario, rubric, listener mode and minutes per round."""

    scenario_id: str
    rubric_id: str
    mode: str = "spoken"
    minutes: int = 10


@dataclass(slots=True)
class Member:
    """One person in the class."""

    name: str
    joined_at: float
    device_hash: str
    """The device that holds the seat now."""
    seat_key_hash: str
    """Typing the seat key takes the seat on another device; only its salted hash is stored
    (:mod:`roleplay.storage.seat_keys`)."""
    seat_key_sealed: str = ""
    """The seat key sealed for the device holding the seat, so that device (and no other) can show it
    again after a reload; empty when it cannot (a new key is then issued)."""
    group: str | None = None
    released: bool = False
    """The tutor freed the seat (the person left the class)."""


@dataclass(slots=True)
class Note:
    """A short note from the tutor to one group (or all: ``group`` None)."""

    group: str | None
    text: str
    at: float


@dataclass(slots=True)
class Group:
    """A practice group: its people, what it plays, and its session once started."""

    id: str
    names: list[str]
    content: Content | None = None
    session_id: str | None = None
    confirmed: set[str] = field(default_factory=set)
    """Who has confirmed the comfort agreement and content notes."""
    earlier_sessions: list[str] = field(default_factory=list)
    """Sessions closed when roles were re-dealt after someone left."""
    left: list[str] = field(default_factory=list)
    """People who left the group (roles re-dealt without them)."""

    @property
    def all_confirmed(self) -> bool:
        """Whether everyone in the group has confirmed the agreement."""
        return set(self.names) <= self.confirmed


@dataclass(slots=True)
class ClassState:
    """A class as its events describe it."""

    id: str = ""
    code: str = ""
    title: str = ""
    created_at: float = 0.0
    defaults: Content | None = None
    agreement_id: str = "default"
    members: dict[str, Member] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    ended: bool = False
    seq: int = 0
    """The last applied event's sequence number."""

    def member_by_device(self, device_hash: str) -> Member | None:
        """The (not released) member whose seat this device holds."""
        return next((m for m in self.members.values() if m.device_hash == device_hash and not m.released), None)

    def find_member(self, name: str) -> Member | None:
        """The member with this name, ignoring case."""
        folded = name.casefold()
        return next((m for m in self.members.values() if m.name.casefold() == folded), None)

    def lobby(self) -> list[str]:
        """People waiting for a group, in joining order."""
        return [m.name for m in sorted(self.members.values(), key=lambda m: m.joined_at)
                if m.group is None and not m.released]

    def group_of(self, name: str) -> Group | None:
        """The group ``name`` is in."""
        member = self.members.get(name)
        return self.groups.get(member.group) if member and member.group else None

    def session_ids(self) -> list[str]:
        """Every practice session this class's groups played (the current ones and those closed when
        roles were re-dealt): what the class's own report covers."""
        return [sid for g in self.groups.values() for sid in [*g.earlier_sessions, g.session_id] if sid]

    def notes_for(self, group_id: str) -> list[Note]:
        """The notes sent to this group or to everyone, oldest first."""
        return [n for n in self.notes if n.group in (None, group_id)]

    def apply(self, event: Event) -> None:
        """Change the state for one event (events must come in order)."""
        if event.seq != self.seq + 1:
            raise ValueError(f"class event {event.seq} applied after {self.seq}")
        _APPLY[ClassEvent(event.type)](self, event.data, event.at)
        self.seq = event.seq


def _created(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.id, state.code, state.title, state.created_at = d["class_id"], d["code"], d.get("title", ""), at
    state.defaults = Content(**d["defaults"]) if d.get("defaults") else None
    state.agreement_id = d.get("agreement_id", "default")


def _joined(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.members[d["name"]] = Member(d["name"], at, d["device"], d.get("seat_key_hash", ""),
                                      d.get("seat_key_sealed", ""))


def _claimed(state: ClassState, d: dict[str, Any], at: float) -> None:
    member = state.members[d["name"]]
    member.device_hash = d["device"]
    member.seat_key_sealed = d.get("seat_key_sealed", "")


def _rekeyed(state: ClassState, d: dict[str, Any], at: float) -> None:
    member = state.members[d["name"]]
    member.seat_key_hash, member.seat_key_sealed = d["seat_key_hash"], d["seat_key_sealed"]


def _released(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.members[d["name"]].released = True


def _formed(state: ClassState, d: dict[str, Any], at: float) -> None:
    for group in d["groups"]:
        state.groups[group["id"]] = Group(group["id"], list(group["names"]), content=state.defaults)
        for name in group["names"]:
            state.members[name].group = group["id"]


def _content(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.groups[d["group"]].content = Content(**d["content"])


def _defaults(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.defaults = Content(**d["content"])


def _started(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.groups[d["group"]].session_id = d["session_id"]


def _confirmed(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.groups[d["group"]].confirmed.add(d["name"])


def _note(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.notes.append(Note(d.get("group"), d["text"], at))


def _redealt(state: ClassState, d: dict[str, Any], at: float) -> None:
    group = state.groups[d["group"]]
    if group.session_id:
        group.earlier_sessions.append(group.session_id)
    group.left.extend(n for n in group.names if n not in d["names"])
    for name in group.left:
        if name in state.members:
            state.members[name].group = None
            state.members[name].released = True
    group.names = list(d["names"])
    group.session_id = d["session_id"]


def _ended(state: ClassState, d: dict[str, Any], at: float) -> None:
    state.ended = True


_APPLY = {
    ClassEvent.class_created: _created,
    ClassEvent.member_joined: _joined,
    ClassEvent.seat_claimed: _claimed,
    ClassEvent.seat_released: _released,
    ClassEvent.seat_rekeyed: _rekeyed,
    ClassEvent.groups_formed: _formed,
    ClassEvent.group_content: _content,
    ClassEvent.defaults_set: _defaults,
    ClassEvent.group_started: _started,
    ClassEvent.agreement_confirmed: _confirmed,
    ClassEvent.note_sent: _note,
    ClassEvent.group_redealt: _redealt,
    ClassEvent.class_ended: _ended,
}
