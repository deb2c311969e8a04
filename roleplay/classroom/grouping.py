"""Forming practice groups from the people in the lobby: threes, with a pair or a four when needed.

Threes are the exercise as designed (speaker, listener, observer). When the number does not divide by
three: one left over joins a group as a fourth (a second observer); two left over make a pair when there
are only five (or two) people, and otherwise two groups become fours, because a pair has no observer.
"""

from __future__ import annotations

from collections.abc import Sequence


def group_sizes(count: int) -> list[int]:
    """The group sizes for ``count`` people (largest first); ``[]`` for fewer than two."""
    if count < 2:
        return []
    if count in (2, 4):
        return [count]
    threes, left = divmod(count, 3)
    if left == 0:
        return [3] * threes
    if left == 1:
        return [4] + [3] * (threes - 1)
    if count == 5:
        return [3, 2]
    return [4, 4] + [3] * (threes - 2)


def form_groups(names: Sequence[str]) -> list[list[str]]:
    """Split ``names`` (in lobby order) into groups of :func:`group_sizes`; one person alone stays out."""
    groups, start = [], 0
    for size in group_sizes(len(names)):
        groups.append(list(names[start:start + size]))
        start += size
    return groups


def parse_groups(text: str, known: Sequence[str]) -> list[list[str]]:
    """Groups typed by hand: groups separated by ``/`` or ``;``, names by ``,``.

    Names are matched to ``known`` ignoring case. Raises ``ValueError`` (message for the tutor) for an
    unknown or repeated name or a group that is not 2-4 people.
    """
    lookup = {n.casefold(): n for n in known}
    groups: list[list[str]] = []
    seen: set[str] = set()
    for chunk in text.replace(";", "/").split("/"):
        names = [n.strip() for n in chunk.split(",") if n.strip()]
        if not names:
            continue
        group = []
        for typed in names:
            name = lookup.get(typed.casefold())
            if name is None:
                raise ValueError(f"{typed!r} is not in the lobby.")
            if name in seen:
                raise ValueError(f"{name} is in two groups.")
            seen.add(name)
            group.append(name)
        if not 2 <= len(group) <= 4:
            raise ValueError(f"A group needs 2, 3 or 4 people ({', '.join(group)} is {len(group)}).")
        groups.append(group)
    if not groups:
        raise ValueError("Type groups like: Ana, Ben, Cy / Dee, Eve, Fay")
    return groups
