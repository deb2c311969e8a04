"""Roles in a practice group and the fair rotation of roles over the rounds.

The rotation for ``n`` people (2, 3 or 4) has ``n`` rounds. In round ``i`` the person at position ``i`` of
the order speaks, the next person (wrapping round) listens and everyone else observes. So:

- pair: 2 rounds, the two swap; there is no observer and the speaker rates how heard they felt;
- triad: 3 rounds, every person plays every role exactly once;
- four: 4 rounds with two observers each, every person speaks once, listens once and observes twice.

A solo rehearsal (one name) has one round in which the app plays the speaker.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from roleplay.storage.events import AUTO_RATER  # the automatic observer's rater id; re-exported

#: The name used for the speaker in a solo rehearsal, where the app plays the speaker's lines.
APP_SPEAKER = "roleplay"


#: The group sizes a group practice supports.
GROUP_SIZES = (2, 3, 4)


class Role(StrEnum):
    """A part a person plays in one round."""

    speaker = "speaker"
    listener = "listener"
    observer = "observer"


@dataclass(frozen=True, slots=True)
class RoundRoles:
    """Who plays which role in one round."""

    speaker: str
    """The person who plays the scenario's speaker (``APP_SPEAKER`` in solo rehearsal)."""
    listener: str
    """The person practising listening this round."""
    observers: tuple[str, ...] = ()
    """Zero (pair, solo), one (triad) or two (four) observers."""

    @property
    def raters(self) -> tuple[str, ...]:
        """Who rates the listener: the observers, or in a pair the speaker, or in solo the listener."""
        if self.observers:
            return self.observers
        if self.speaker == APP_SPEAKER:
            return (self.listener,)
        return (self.speaker,)

    def role_of(self, name: str) -> Role | None:
        """The role ``name`` plays in this round, or None when they sit it out."""
        if name == self.speaker:
            return Role.speaker
        if name == self.listener:
            return Role.listener
        if name in self.observers:
            return Role.observer
        return None


class RosterError(ValueError):
    """The list of names cannot form a practice group; the message says why, for the user."""


#: Longest name kept: names head reports and tables, and no one's name is longer.
MAX_NAME = 60
#: Format characters a name may need: the zero-width non-joiner and joiner spell Persian and Indic names
#: (and emoji). Every other format character (bidi overrides and isolates, zero-width spaces) is dropped.
_KEEP_FORMAT = frozenset("\u200c\u200d")


def clean_name(text: str) -> str:
    """A typed name made safe to show and store: the one sanitiser for every place a name is entered.

    Composed to NFC; line breaks, tabs and every other white space become one space; control characters
    and invisible format characters (right-to-left overrides such as U+202E, bidi isolates, zero-width
    spaces) are removed, so a name can neither break a report's layout nor disguise itself as another
    name; runs of spaces collapse and the ends are trimmed.
    """
    kept: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if ch in _KEEP_FORMAT:
            kept.append(ch)
        elif ch.isspace() or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif category[0] != "C":  # Cc control, Cf format, Cs surrogate, Co private use, Cn unassigned
            kept.append(ch)
    return " ".join("".join(kept).split())


def check_names(names: Sequence[str], *, solo: bool = False) -> tuple[str, ...]:
    """Validate and tidy a list of names: cleaned (:func:`clean_name`), non-empty, not too long, unique
    ignoring case, right group size."""
    tidy = tuple(clean_name(n) for n in names)
    if any(len(n) > MAX_NAME for n in tidy):
        raise RosterError(f"A name can be at most {MAX_NAME} characters.")
    if any(not n for n in tidy):
        raise RosterError("Every person needs a name.")
    if len({n.casefold() for n in tidy}) != len(tidy):
        raise RosterError("Each name must be different, so the rotation can tell people apart.")
    if solo:
        if len(tidy) != 1:
            raise RosterError("A solo rehearsal has exactly one name.")
    elif len(tidy) not in GROUP_SIZES:
        raise RosterError("A group practice needs 2, 3 or 4 names.")
    if APP_SPEAKER in tidy or AUTO_RATER in tidy:
        raise RosterError(f"Please choose a name other than {APP_SPEAKER!r} or {AUTO_RATER!r}.")
    return tidy


def shuffled(names: Sequence[str], seed: int | None = None) -> tuple[str, ...]:
    """A reshuffled order of ``names``; the same seed always gives the same order (for tests and replay)."""
    order = list(names)
    random.Random(seed).shuffle(order)
    return tuple(order)


def rotation(names: Sequence[str], *, seed: int | None = None) -> list[RoundRoles]:
    """The roles for every round, for people in the given order (the order may be set by hand).

    With ``seed`` the order is first reshuffled with :func:`shuffled`. One name gives a solo rehearsal.
    Raises :class:`RosterError` for an unsupported group.
    """
    order = check_names(names, solo=len(names) == 1)
    if seed is not None:
        order = shuffled(order, seed)
    n = len(order)
    if n == 1:
        return [RoundRoles(speaker=APP_SPEAKER, listener=order[0])]
    rounds = []
    for i in range(n):
        speaker, listener = order[i], order[(i + 1) % n]
        # Observers listed in the order's sequence after the listener, so the list reads naturally.
        observers = tuple(order[(i + k) % n] for k in range(2, n))
        rounds.append(RoundRoles(speaker=speaker, listener=listener, observers=observers))
    return rounds
