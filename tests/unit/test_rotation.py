"""Role rotation: every person plays every role fairly, for pairs, triads and fours, shuffled or by hand."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplay.session.roles import APP_SPEAKER, Role, RosterError, RoundRoles, rotation, shuffled

NAMES = ["Ana", "Ben", "Cleo", "Dev"]


def role_counts(rounds: list[RoundRoles], names: list[str]) -> dict[str, Counter]:
    counts = {n: Counter() for n in names}
    for r in rounds:
        for n in names:
            role = r.role_of(n)
            assert role is not None, f"{n} sits out a round"
            counts[n][role] += 1
    return counts


def test_pair_swaps_and_speaker_rates() -> None:
    rounds = rotation(["Ana", "Ben"])
    assert rounds == [RoundRoles("Ana", "Ben", ()), RoundRoles("Ben", "Ana", ())]
    # No observer in a pair: the speaker rates how heard they felt.
    assert [r.raters for r in rounds] == [("Ana",), ("Ben",)]


def test_triad_everyone_plays_every_role_once() -> None:
    rounds = rotation(NAMES[:3])
    assert len(rounds) == 3
    for counts in role_counts(rounds, NAMES[:3]).values():
        assert counts == Counter({Role.speaker: 1, Role.listener: 1, Role.observer: 1})
    assert rounds[0] == RoundRoles("Ana", "Ben", ("Cleo",))
    assert all(r.raters == r.observers for r in rounds)


def test_four_has_two_observers_and_each_speaks_and_listens_once() -> None:
    rounds = rotation(NAMES)
    assert len(rounds) == 4
    assert all(len(r.observers) == 2 for r in rounds)
    for counts in role_counts(rounds, NAMES).values():
        assert counts == Counter({Role.speaker: 1, Role.listener: 1, Role.observer: 2})


def test_solo_has_the_app_as_speaker_and_the_person_self_rates() -> None:
    (only,) = rotation(["Ana"])
    assert only == RoundRoles(APP_SPEAKER, "Ana", ())
    assert only.raters == ("Ana",)


@given(st.integers(min_value=2, max_value=4), st.integers(min_value=0, max_value=10_000))
def test_reshuffled_rotation_stays_fair(size: int, seed: int) -> None:
    names = NAMES[:size]
    rounds = rotation(names, seed=seed)
    assert len(rounds) == size
    counts = role_counts(rounds, names)
    for person in names:
        assert counts[person][Role.speaker] == 1
        assert counts[person][Role.listener] == 1
        assert counts[person][Role.observer] == size - 2
    assert rotation(names, seed=seed) == rounds  # same seed, same order


def test_reshuffle_changes_the_order_for_some_seed_and_keeps_people() -> None:
    orders = {shuffled(NAMES, seed) for seed in range(20)}
    assert len(orders) > 1
    assert all(sorted(o) == sorted(NAMES) for o in orders)


def test_hand_set_order_is_followed() -> None:
    rounds = rotation(["Cleo", "Ana", "Ben"])
    assert [r.speaker for r in rounds] == ["Cleo", "Ana", "Ben"]
    assert [r.listener for r in rounds] == ["Ana", "Ben", "Cleo"]


@pytest.mark.parametrize(
    ("names", "fragment"),
    [
        (["Ana", "Ben", "Cleo", "Dev", "Eve"], "2, 3 or 4"),
        (["Ana", "ana"], "different"),
        (["Ana", "  "], "name"),
        ([APP_SPEAKER, "Ben"], "other than"),
    ],
)
def test_bad_rosters_are_refused_with_a_reason(names: list[str], fragment: str) -> None:
    with pytest.raises(RosterError, match=fragment):
        rotation(names)
