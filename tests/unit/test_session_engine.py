"""The session engine: phases, actions, validation, timer and pause, and exact resume from events."""

from __future__ import annotations

import dataclasses

import pytest

from roleplay.content.scenario import ListenerMove
from roleplay.session.engine import PracticeSession
from roleplay.session.roles import AUTO_RATER
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import ListenerMode, Phase, SessionConfig, SessionError
from roleplay.storage.events import EventType, MemorySink


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make(names: tuple[str, ...] = ("Ana", "Ben", "Cleo"), minutes: int = 5, **kw: object):
    sink, clock = MemorySink(), FakeClock()
    config = SessionConfig(names, sample_scenario(), sample_rubric(), minutes=minutes, **kw)  # type: ignore[arg-type]
    return PracticeSession.create(config, sink, clock=clock, session_id="s1"), sink, clock


def replayed(session: PracticeSession, sink: MemorySink, clock: FakeClock) -> PracticeSession:
    return PracticeSession.resume(sink, session.id, clock=clock)  # type: ignore[arg-type]


def state_of(session: PracticeSession) -> tuple:
    return (session.config, session.order, session.rounds, session.agreement_acknowledged,
            session.paused_since, session.finished_at, session.created_at, session.events, session.phase)


def test_phases_from_agreement_to_finished() -> None:
    session, _, _ = make(("Ana", "Ben"))
    assert session.phase == Phase.agreement
    with pytest.raises(SessionError, match="agreement"):
        session.start_round()
    session.acknowledge_agreement()
    assert session.phase == Phase.ready
    for _ in range(2):
        session.start_round()
        assert session.phase == Phase.playing
        session.end_round()
    assert session.phase == Phase.done
    session.finish()
    assert session.phase == Phase.finished
    with pytest.raises(SessionError):
        session.rate("Ana", "paraphrase", 3)


def test_turns_follow_the_marked_branch_and_the_script_ends() -> None:
    session, _, _ = make()
    session.acknowledge_agreement()
    session.start_round()
    assert session.current_turn is not None and session.current_turn.turn_id == "opening"
    assert session.turn_progress() == (1, 3)
    session.mark_move(ListenerMove.advice)
    following = session.confirm_turn()
    assert following is not None and following.turn_id == "pushback"
    assert session.turn_progress() == (2, 3)
    session.confirm_turn()
    assert session.current_turn is not None and session.current_turn.turn_id == "closing"
    assert session.confirm_turn() is None
    current = session.current_round
    assert current is not None and current.script_done and session.phase == Phase.playing
    with pytest.raises(SessionError, match="no turn"):
        session.confirm_turn()
    session.rate("Cleo", "speaker-led", 2)  # per-round rating once the script is over
    ended = session.end_round()
    assert not ended.ended_early
    assert [t.turn_id for t in ended.turns] == ["opening", "pushback", "closing"]


def test_rerating_replaces_and_none_clears() -> None:
    session, _, _ = make()
    session.acknowledge_agreement()
    session.start_round()
    session.rate("Cleo", "paraphrase", 2, note="first go")
    session.rate("Cleo", "paraphrase", 4)
    turn = session.current_turn
    assert turn is not None
    assert turn.ratings[("Cleo", "paraphrase")].value == 4
    assert turn.ratings[("Cleo", "paraphrase")].note is None
    assert len(turn.ratings) == 1
    session.rate("Cleo", "paraphrase", None)
    assert turn.ratings == {}


def test_ratings_are_validated() -> None:
    session, _, _ = make()
    session.acknowledge_agreement()
    session.start_round()
    with pytest.raises(SessionError, match="not rating"):
        session.rate("Ben", "paraphrase", 3)  # the listener does not rate themself in a triad
    with pytest.raises(SessionError, match="no criterion"):
        session.rate("Cleo", "nope", 3)
    with pytest.raises(SessionError, match="scale"):
        session.rate("Cleo", "paraphrase", 7)
    session.rate(AUTO_RATER, "paraphrase", 3)  # the automatic observer may always suggest
    assert len(session.events) == 4


def test_in_a_pair_the_speaker_rates() -> None:
    session, _, _ = make(("Ana", "Ben"))
    session.acknowledge_agreement()
    session.start_round()
    assert session.raters() == ("Ana",)
    session.rate("Ana", "paraphrase", 3)
    with pytest.raises(SessionError):
        session.rate("Ben", "paraphrase", 3)


def test_round_notes_are_kept_replaced_cleared_and_replayed() -> None:
    session, sink, clock = make()
    session.acknowledge_agreement()
    with pytest.raises(SessionError, match="No round"):
        session.record_round_note("Cleo", "too soon")
    first = session.start_round()
    session.record_round_note("Cleo", "calm from the start")  # any time in the round, mid-turn too
    with pytest.raises(SessionError, match="not rating"):
        session.record_round_note("Ben", "the listener does not note their own round")
    while session.current_turn is not None:
        session.confirm_turn()
    session.record_round_note("Cleo", "[b]kept[/b] the pace gentle")  # replaces; kept exactly as typed
    assert first.notes == {"Cleo": "[b]kept[/b] the pace gentle"}
    assert all(turn.notes == {} for turn in first.turns)  # round notes are not on any turn
    event = session.events[-1]
    assert event.type == EventType.round_note_recorded
    assert event.data == {"round": 1, "rater": "Cleo", "text": "[b]kept[/b] the pace gentle"}
    with pytest.raises(SessionError, match="not rating"):
        session.record_round_note("Ana", "the speaker does not rate in a triad")
    session.end_round()
    session.record_round_note("Cleo", "added in the debrief")  # until the next round starts
    again = replayed(session, sink, clock)
    assert again.rounds[0].notes == {"Cleo": "added in the debrief"}
    assert state_of(again) == state_of(session)
    session.record_round_note("Cleo", "")
    assert first.notes == {}
    second = session.start_round()
    with pytest.raises(SessionError, match="not rating"):
        session.record_round_note("Cleo", "round 2's listener")
    session.record_round_note(second.roles.observers[0], "round two")
    assert first.notes == {} and second.notes == {second.roles.observers[0]: "round two"}


def test_tallies_count_up_and_down_but_never_below_zero() -> None:
    session, _, _ = make()
    session.acknowledge_agreement()
    session.start_round()
    assert session.change_tally("Cleo", "question_open") == 1
    assert session.change_tally("Cleo", "question_open") == 2
    assert session.change_tally("Cleo", "question_open", -1) == 1
    assert session.change_tally("Cleo", "question_open", -5) == 0
    before = len(session.events)
    assert session.change_tally("Cleo", "question_open", -1) == 0
    assert len(session.events) == before  # a no-op writes nothing


def test_timer_excludes_pauses_warns_near_the_end_and_never_ends_a_turn() -> None:
    session, _, clock = make(minutes=5)
    session.acknowledge_agreement()
    session.start_round()
    clock.advance(100)
    session.pause()
    clock.advance(1_000)  # paused time does not count
    assert session.timer().elapsed == 100
    session.unpause()
    clock.advance(130)
    timer = session.timer()
    assert (timer.elapsed, timer.remaining, timer.near_end) == (230, 70, False)  # 20% of 300 s is 60 s
    assert timer.clock_text() == "1:10"
    clock.advance(10)
    assert session.timer().near_end
    clock.advance(120)
    timer = session.timer()
    assert timer.overtime and timer.clock_text() == "+1:00"
    assert session.phase == Phase.playing and session.current_turn is not None
    session.end_round()
    clock.advance(500)
    assert session.timer().elapsed == 360  # frozen once the round ends


def test_near_end_is_one_minute_for_long_rounds() -> None:
    session, _, clock = make(minutes=20)
    session.acknowledge_agreement()
    session.start_round()
    clock.advance(20 * 60 - 61)
    assert not session.timer().near_end
    clock.advance(1)
    assert session.timer().near_end


def test_a_pause_running_when_the_round_ends_is_charged_to_that_round_only() -> None:
    session, _, clock = make()
    session.acknowledge_agreement()
    session.start_round()
    clock.advance(30)
    session.pause()
    clock.advance(20)
    session.end_round()
    assert session.timer().elapsed == 30
    clock.advance(100)
    session.start_round()  # still paused: the new round's pause counts from its start
    clock.advance(40)
    session.unpause()
    clock.advance(5)
    assert session.timer().elapsed == 5


def test_ending_early_is_recorded() -> None:
    session, _, _ = make()
    session.acknowledge_agreement()
    session.start_round()
    assert session.end_round().ended_early


def test_order_changes_only_before_the_first_round() -> None:
    session, _, _ = make()
    roles = session.set_order(["Cleo", "Ana", "Ben"])
    assert session.rounds[0].roles == roles[0] and roles[0].speaker == "Cleo"
    with pytest.raises(SessionError, match="same people"):
        session.set_order(["Cleo", "Ana", "Zed"])
    session.reshuffle(seed=3)
    assert sorted(session.order) == ["Ana", "Ben", "Cleo"]
    session.acknowledge_agreement()
    session.start_round()
    with pytest.raises(SessionError, match="before the first round"):
        session.reshuffle()


@pytest.mark.parametrize(
    "text", ["[bold]not bold[/]", "[/]", "😀🙏🏽 thanks", "שלום, מה שלומך?", "مرحبا", "x" * 10_000, "  padded\n"]
)
def test_typed_text_is_kept_exactly(text: str) -> None:
    session, sink, clock = make(mode=ListenerMode.typed)
    session.acknowledge_agreement()
    session.start_round()
    session.record_response(text)
    session.record_note("Cleo", text)
    session.rate("Cleo", "paraphrase", 3, note=text)
    again = replayed(session, sink, clock)
    turn = again.current_turn
    assert turn is not None
    assert turn.response == text and turn.notes["Cleo"] == text
    assert turn.ratings[("Cleo", "paraphrase")].note == text


def test_a_failed_write_changes_nothing() -> None:
    session, sink, _ = make()
    session.acknowledge_agreement()
    session.start_round()

    def refuse(session_id: str, event: object) -> None:
        raise OSError("disk full")

    sink.append_event = refuse  # type: ignore[method-assign]
    with pytest.raises(OSError):
        session.rate("Cleo", "paraphrase", 3)
    assert session.current_turn is not None and session.current_turn.ratings == {}
    assert len(session.events) == 3


def play_a_busy_session(session: PracticeSession, clock: FakeClock) -> None:
    session.reshuffle(seed=1)
    session.acknowledge_agreement()
    first = session.start_round()
    observer = first.roles.observers[0]
    session.reveal_card()
    clock.advance(12)
    session.record_response("You feel like an outsider there.")
    session.rate(observer, "paraphrase", 3, note="good")
    session.change_tally(observer, "reflection_complex")
    session.mark_move(ListenerMove.advice)
    session.confirm_turn()
    session.pause()
    clock.advance(60)
    session.unpause()
    session.record_note(observer, "steady voice")
    session.confirm_turn()
    session.confirm_turn()
    session.rate(observer, "speaker-led", 4)
    session.record_round_note(observer, "kept the pace gentle")
    session.end_round()
    second = session.start_round()
    clock.advance(7)
    session.rate(second.roles.observers[0], "feeling", 2)


def test_resume_rebuilds_exactly_the_same_state() -> None:
    session, sink, clock = make()
    play_a_busy_session(session, clock)
    again = replayed(session, sink, clock)
    assert state_of(again) == state_of(session)
    assert again.timer() == session.timer()
    # Resumed sessions keep working and stay equal.
    for copy in (session, again):
        copy.confirm_turn()
    assert dataclasses.asdict(again.rounds[1]) == dataclasses.asdict(session.rounds[1])


def test_every_action_writes_exactly_one_event_in_order() -> None:
    session, sink, clock = make()
    play_a_busy_session(session, clock)
    stored = sink.load_events("s1")
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert stored[0].type == EventType.session_created
    assert stored[0].data["scenario"]["id"] == "sample-new-job"  # the snapshot travels with the session
    assert tuple(stored) == session.events


def test_resume_refuses_a_log_without_a_beginning() -> None:
    session, sink, clock = make()
    session.acknowledge_agreement()
    sink.events["s1"] = sink.events["s1"][1:]
    with pytest.raises(SessionError, match="beginning"):
        replayed(session, sink, clock)
