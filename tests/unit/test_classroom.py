"""The class model: codes, names, grouping, joining (rate limit, seat claims), shared sessions."""

from __future__ import annotations

import pytest

from roleplay.classroom import codes
from roleplay.classroom.grouping import form_groups, group_sizes, parse_groups
from roleplay.classroom.groups import redeal, start_group
from roleplay.classroom.room import AWAY_AFTER, JOIN_LIMIT, ClassError, ClassRoom, join_class
from roleplay.classroom.shared import SharedSession
from roleplay.classroom.state import Content
from roleplay.classroom.watch import group_row
from roleplay.session.state import Phase
from roleplay.tui.core import sample_library


class Clock:
    """A hand-wound clock shared by every process in a test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(open_db):  # both backends: the class model on SQLite and on PostgreSQL
    with open_db() as opened:
        yield opened


def _defaults() -> Content:
    library = sample_library()
    return Content(next(iter(library.scenarios)), next(iter(library.rubrics)), "typed", 5)


def _triad(store, clock):
    """A class with Ana, Ben and Cy joined and formed into one group."""
    tutor, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    for name in ("Ana", "Ben", "Cy"):
        join_class(store, tutor.state.code, name, f"dev-{name}", clock=clock)
    (group,) = tutor.form_groups()
    return tutor, group


def test_codes_are_unambiguous_and_forgiving() -> None:
    code = codes.new_code()
    assert len(code) == codes.CODE_LENGTH and set(code) <= set(codes.CODE_ALPHABET)
    assert not set("0O1IL2Z5S8B6G") & set(codes.CODE_ALPHABET)
    shown = codes.show_code(code)
    assert codes.normalise_code(f"  {shown.lower()} ") == code


def test_names_are_cleaned_and_bad_ones_refused() -> None:
    assert codes.clean_name("  Ana\u200b  María\t\x1b[31m ") == "Ana María [31m"
    assert codes.clean_name("[b]Ben[/b]") == "[b]Ben[/b]"  # kept as typed; every screen shows it as plain text
    for bad in ("", "   ", "\x00\x07", "x" * 31, "auto-observer", "ROLEPLAY"):
        with pytest.raises(codes.BadName):
            codes.clean_name(bad)


@pytest.mark.parametrize(("count", "sizes"), [
    (0, []), (1, []), (2, [2]), (3, [3]), (4, [4]), (5, [3, 2]), (6, [3, 3]), (7, [4, 3]),
    (8, [4, 4]), (9, [3, 3, 3]), (10, [4, 3, 3]), (11, [4, 4, 3]), (30, [3] * 10), (31, [4] + [3] * 9)])
def test_group_sizes_are_threes_with_a_pair_or_four(count: int, sizes: list[int]) -> None:
    assert group_sizes(count) == sizes
    names = [f"p{i}" for i in range(count)]
    formed = form_groups(names)
    assert [len(g) for g in formed] == sizes
    assert [n for g in formed for n in g] == names[:sum(sizes)]


def test_groups_by_hand_are_checked() -> None:
    known = ["Ana", "Ben", "Cy", "Dee"]
    assert parse_groups("ana, ben / cy, DEE", known) == [["Ana", "Ben"], ["Cy", "Dee"]]
    for bad, words in [("Ana, Zed", "not in the lobby"), ("Ana, Ben / Ben, Cy", "two groups"),
                       ("Ana", "2, 3 or 4"), ("", "Type groups")]:
        with pytest.raises(ValueError, match=words):
            parse_groups(bad, known)


def test_join_needs_the_code_and_is_rate_limited(store, clock) -> None:
    room, token = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    assert room.check_token(token) and not room.check_token(token[:-1] + "x") and not room.check_token("")
    for _ in range(JOIN_LIMIT):
        with pytest.raises(ClassError, match="code is not right"):
            join_class(store, "WRONG1", "Ana", "device-a", clock=clock)
    with pytest.raises(ClassError, match="Too many tries"):
        join_class(store, codes.show_code(room.state.code), "Ana", "device-a", clock=clock)
    # another device is not held up; after a minute the first may try again
    _, member, key = join_class(store, room.state.code.lower(), "Ben", "device-b", clock=clock)
    assert member.name == "Ben" and len(key) == codes.SEAT_KEY_LENGTH
    clock.now += 61
    _, ana, _ = join_class(store, room.state.code, " Ana ", "device-a", clock=clock)
    assert ana.name == "Ana"
    room.sync()
    assert room.state.lobby() == ["Ben", "Ana"]


def test_seat_claims_rejoin_and_refusal(store, clock) -> None:
    room, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    code = room.state.code
    _, _, key = join_class(store, code, "Ana", "phone", clock=clock)
    room.heartbeat("Ana", "phone")
    # the same device (a reloaded tab) gets its seat back, whatever it types, and the same key to show
    _, again, key2 = join_class(store, code, "anything", "phone", clock=clock)
    assert again.name == "Ana" and key2 == key
    # another device claiming the name is refused without the seat key...
    with pytest.raises(ClassError, match="already has a seat"):
        join_class(store, code, "ana", "laptop", clock=clock)
    # ...and while the seat is open elsewhere even with it; a wrong key is refused
    with pytest.raises(ClassError, match="already has a seat"):
        join_class(store, code, "Ana", "laptop", "AAAAAA", clock=clock)
    with pytest.raises(ClassError, match="open on another device"):
        join_class(store, code, "Ana", "laptop", key2, clock=clock)
    clock.now += AWAY_AFTER + 1  # the phone went to sleep
    room2, moved, _ = join_class(store, code, "Ana", "laptop", key2.lower(), clock=clock)
    assert moved.name == "Ana"
    assert room2.seat_for("laptop").name == "Ana" and room2.seat_for("phone") is None


def test_group_session_shared_by_seats(store, clock) -> None:
    library = sample_library()
    tutor, group = _triad(store, clock)
    session_id = start_group(tutor, library, group.id, clock=clock)
    seats = [SharedSession(store, session_id, clock=clock) for _ in range(3)]
    seats[0].act(lambda s: s.acknowledge_agreement())
    seats[1].act(lambda s: s.acknowledge_agreement())  # already done on another device: nothing written
    assert [e.type for e in seats[1].session.events].count("agreement_acknowledged") == 1
    seats[2].act(lambda s: s.start_round())
    # a seat that has not looked yet writes after catching up, never over another's event
    roles = seats[0].act(lambda s: s.current_round.roles)
    seats[1].act(lambda s: s.pause())
    seats[2].act(lambda s: s.pause())
    seats[0].act(lambda s: s.unpause())
    seats[2].act(lambda s: s.rate(roles.observers[0], s.rubric.criteria[0].id, s.rubric.scale[-1].value))
    for seat in seats:
        seat.sync()
    logs = [[(e.seq, e.type) for e in seat.session.events] for seat in seats]
    assert logs[0] == logs[1] == logs[2]
    assert [t for _, t in logs[0]].count("paused") == 1
    assert seats[0].session.phase == Phase.playing and not seats[0].session.paused
    stored = [(e.seq, e.type) for e in store.load_events(session_id)]
    assert stored == logs[0]
    row = group_row(tutor.state.groups[group.id], seats[0].session, [], now=clock.now)
    assert row.status == "playing" and row.round_text == "1/3" and row.ratings.startswith("1 ·")


def test_redeal_after_someone_left(store, clock) -> None:
    library = sample_library()
    tutor, group = _triad(store, clock)
    old = start_group(tutor, library, group.id, clock=clock)
    for name in ("Ana", "Ben", "Cy"):
        tutor.heartbeat(name, f"dev-{name}")
    with pytest.raises(ClassError, match="still here"):
        redeal(tutor, library, group.id, clock=clock)
    clock.now += AWAY_AFTER + 1
    tutor.heartbeat("Ana", "dev-Ana")
    tutor.heartbeat("Ben", "dev-Ben")
    new = redeal(tutor, library, group.id, clock=clock)
    assert new != old
    assert tutor.state.groups[group.id].names == ["Ana", "Ben"]
    assert tutor.state.groups[group.id].left == ["Cy"]
    shared = SharedSession(store, new, clock=clock)
    assert shared.session.phase == Phase.ready and len(shared.session.rounds) == 2
    assert SharedSession(store, old, clock=clock).session.finished


def test_notes_are_kept_as_typed_and_bounded(store, clock) -> None:
    tutor, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    tutor.send_note(None, "  Five [b]minutes[/b]\nleft  ")
    assert tutor.state.notes[-1].text == "Five [b]minutes[/b] left"
    with pytest.raises(ClassError):
        tutor.send_note(None, "   ")
    with pytest.raises(ClassError):
        tutor.send_note(None, "x" * 300)


def test_dashboard_flags_advice_stalls_and_gone_seats(store, clock) -> None:
    from roleplay.content.scenario import ListenerMove

    library = sample_library()
    tutor, group = _triad(store, clock)
    session_id = start_group(tutor, library, group.id, clock=clock)
    seat = SharedSession(store, session_id, clock=clock)
    seat.act(lambda s: s.acknowledge_agreement())
    seat.act(lambda s: s.start_round())
    row = group_row(tutor.state.groups[group.id], seat.session, [], now=clock.now)
    assert row.flags == () and row.ratings == "none yet"
    for _ in range(3):  # the observer marks advice on three turns
        clock.now += 10
        seat.act(lambda s: s.mark_move(ListenerMove.advice))
        if seat.session.current_turn is not None and seat.session.current_turn.index < 2:
            seat.act(lambda s: s.confirm_turn())
    advised = sum(1 for t in seat.session.current_round.turns if t.move == ListenerMove.advice)
    row = group_row(tutor.state.groups[group.id], seat.session, ["Cy"], now=clock.now)
    assert f"advice on {advised} turns" in row.flags and advised >= 3
    assert "Cy's seat is gone" in row.flags
    assert not any(f.startswith("stalled") for f in row.flags)
    later = group_row(tutor.state.groups[group.id], seat.session, [], now=clock.now + 200)
    assert "stalled: nothing for 3 min" in later.flags
    seat.act(lambda s: s.pause())
    paused = group_row(tutor.state.groups[group.id], seat.session, [], now=clock.now + 400)
    assert paused.status == "paused" and "paused 6 min" in paused.flags


def test_class_report_covers_exactly_one_class_on_a_shared_day(store, clock) -> None:
    """Two classes on the same day in one database: each report has only its own groups' sessions
    (re-dealt ones included), never the other class's or a solo session."""
    from roleplay.reports.class_report import build_class_report
    from roleplay.reports.class_report_out import class_markdown

    library = sample_library()

    def played(names: tuple[str, ...]) -> ClassRoom:
        tutor, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
        for name in names:
            join_class(store, tutor.state.code, name, f"dev-{name}", clock=clock)
        (group,) = tutor.form_groups()
        seat = SharedSession(store, start_group(tutor, library, group.id, clock=clock), clock=clock)
        seat.act(lambda s: s.acknowledge_agreement())
        seat.act(lambda s: s.start_round())
        listener = seat.session.current_round.roles.listener
        seat.act(lambda s: s.rate(s.current_round.roles.observers[0], s.rubric.criteria[0].id,
                                  s.rubric.scale[-1].value))
        assert listener in names
        return tutor

    morning = played(("Ana", "Ben", "Cy"))
    clock.now += 3600
    afternoon = played(("Dee", "Eve", "Fay"))
    # the morning's group carries on without Cy: its first session still belongs to the class
    clock.now += AWAY_AFTER + 1
    morning.heartbeat("Ana", "dev-Ana")
    morning.heartbeat("Ben", "dev-Ben")
    redeal(morning, library, "g1", clock=clock)
    morning.sync()
    assert len(morning.state.session_ids()) == 2

    everything = build_class_report(store)
    assert everything.sessions == 3
    for tutor, people in ((morning, {"Ana", "Ben", "Cy"}), (afternoon, {"Dee", "Eve", "Fay"})):
        code = codes.show_code(tutor.state.code)
        report = build_class_report(store, sessions=tutor.state.session_ids(), served_class=code)
        assert report.sessions == len(tutor.state.session_ids())
        assert {r.trainee for r in report.roles} == people
        assert {t.trainee for t in report.trainees} <= people
        assert sum(c.ratings for c in report.criteria if c.rater_kind == "observer") == \
            len(tutor.state.session_ids()) - (1 if tutor is morning else 0)
        text = class_markdown(report)
        assert f"class {code} only" in text
        assert not ({"Ana", "Dee"} - people) & {w.strip("|,. ") for w in text.split()}
    empty = build_class_report(store, sessions=[], served_class="XXX-XXX")
    assert empty.sessions == 0 and empty.roles == ()


def test_class_report_command_takes_a_class_code(store, clock) -> None:
    from click.testing import CliRunner

    from roleplay.cli import cli

    library = sample_library()
    tutor, group = _triad(store, clock)
    start_group(tutor, library, group.id, clock=clock)
    other, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    runner = CliRunner()
    base = ["--database", store.database, "class-report", "--class"]
    mine = runner.invoke(cli, [*base, codes.show_code(tutor.state.code).lower()])
    assert mine.exit_code == 0, mine.output
    assert "1 session, 0 rounds played; " in mine.output
    assert f"class {codes.show_code(tutor.state.code)} only" in mine.output
    assert "Ana" in mine.output
    theirs = runner.invoke(cli, [*base, other.state.code])
    assert theirs.exit_code == 0 and "0 sessions" in theirs.output and "Ana" not in theirs.output
    wrong = runner.invoke(cli, [*base, "NOPE-00"])
    assert wrong.exit_code != 0 and "no class with the code 'NOPE-00'" in wrong.output


def _member_event_data(store, name: str) -> dict:
    import json

    rows = store._read("SELECT data FROM class_events WHERE type = 'member_joined'")
    return next(d for d in map(json.loads, (r[0] for r in rows)) if d["name"] == name)


def test_seat_keys_are_stored_hashed_and_shown_again_only_on_their_device(store, clock) -> None:
    import json

    room, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    _, _, key = join_class(store, room.state.code, "Ana", "phone-secret-id", clock=clock)
    stored = json.dumps(_member_event_data(store, "Ana"))
    assert key not in stored and "seat_key_hash" in stored and "pbkdf2-sha256$" in stored
    everything = " ".join(str(r) for r in store._read("SELECT * FROM class_events"))
    assert key not in everything
    # the device holding the seat reads its key back; the sealed copy opens for no other device
    from roleplay.storage import seat_keys

    member = ClassRoom(store, room.class_id, clock=clock).state.members["Ana"]
    assert seat_keys.unseal_seat_key(member.seat_key_sealed, "phone-secret-id") == key
    assert seat_keys.unseal_seat_key(member.seat_key_sealed, "laptop-secret-id") != key
    assert seat_keys.seat_key_matches(key, member.seat_key_hash)
    assert not seat_keys.seat_key_matches(key[:-1] + ("A" if key[-1] != "A" else "C"), member.seat_key_hash)
    assert not seat_keys.seat_key_matches(key, "sha256$" + codes.digest(key))
    assert not seat_keys.seat_key_matches(key, "")
    # moving to a laptop with the key: the laptop now shows that same key after a reload
    clock.now += AWAY_AFTER + 1
    _, _, moved_key = join_class(store, room.state.code, "Ana", "laptop-secret-id", key, clock=clock)
    _, _, again = join_class(store, room.state.code, "", "laptop-secret-id", clock=clock)
    assert moved_key == again == key


def test_schema_7_hashes_seat_keys_stored_as_typed(open_db, clock) -> None:
    """A class database from before version 7 kept seat keys as typed: opening it hashes them; the old key
    still moves the seat, and a device that cannot read a sealed copy is shown a new key that works."""
    import json

    with open_db() as store:
        room, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
        join_class(store, room.state.code, "Ana", "phone", clock=clock)
        join_class(store, room.state.code, "Ben", "tablet", clock=clock)
        code, class_id = room.state.code, room.class_id
        with store._transaction() as db:  # as version 6 wrote it: the key itself, nothing sealed
            for name, plain in (("Ana", "ACDEFH"), ("Ben", "KMNPQR")):
                data = _member_event_data(store, name)
                data = {"name": data["name"], "device": data["device"], "seat_key": plain}
                db.execute("UPDATE class_events SET data = ? WHERE type = 'member_joined' AND data LIKE ?",
                           (json.dumps(data), f'%"name": "{name}"%'))
            db.execute("PRAGMA user_version = 6" if store.kind == "sqlite" else "UPDATE schema_version SET version = 6")
        url, kind = store.database, store.kind
    if kind == "postgres":  # a server database is upgraded on purpose, once (SQLite's file on opening)
        from click.testing import CliRunner

        from roleplay.cli import cli

        upgraded = CliRunner().invoke(cli, ["--database", url, "db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert "7" in upgraded.output and "seat keys stored hashed" in upgraded.output
    with open_db() as store:
        for name, plain in (("Ana", "ACDEFH"), ("Ben", "KMNPQR")):
            data = _member_event_data(store, name)
            assert "seat_key" not in data and plain not in json.dumps(data)
        clock.now += AWAY_AFTER + 1
        _, ana, key = join_class(store, code, "ana", "laptop", "acd-efh", clock=clock)
        assert ana.name == "Ana" and key == "ACDEFH"
        _, ben, new_key = join_class(store, code, "", "tablet", clock=clock)  # Ben's own device, reloaded
        assert ben.name == "Ben" and new_key != "KMNPQR" and len(new_key) == codes.SEAT_KEY_LENGTH
        with pytest.raises(ClassError, match="already has a seat"):
            join_class(store, code, "Ben", "desk", "KMNPQR", clock=clock)
        _, _, same = join_class(store, code, "", "tablet", clock=clock)
        assert same == new_key
        room = ClassRoom(store, class_id, clock=clock)
        assert room.state.members["Ben"].seat_key_hash.startswith("pbkdf2-sha256$")


def test_joins_are_limited_per_network_address_too(store, clock) -> None:
    """A fresh device id costs nothing, so wrong codes are also counted per address the server saw."""
    from roleplay.classroom.room import ADDRESS_JOIN_LIMIT

    room, _ = ClassRoom.create(store, defaults=_defaults(), clock=clock)
    for i in range(ADDRESS_JOIN_LIMIT):
        with pytest.raises(ClassError, match="code is not right"):
            join_class(store, "WRONG1", "Ana", f"script-device-{i}", clock=clock, peer="10.0.0.66")
    with pytest.raises(ClassError, match=r"Too many wrong tries from this network\. Please wait 61 seconds"):
        join_class(store, room.state.code, "Ana", "yet-another-device", clock=clock, peer="10.0.0.66")
    # another address (another trainee's phone) is not held up; after a minute this one may try again
    _, ben, _ = join_class(store, room.state.code, "Ben", "ben-phone", clock=clock, peer="10.0.0.7")
    assert ben.name == "Ben"
    clock.now += 61
    _, ana, _ = join_class(store, room.state.code, "Ana", "yet-another-device", clock=clock, peer="10.0.0.66")
    assert ana.name == "Ana"
