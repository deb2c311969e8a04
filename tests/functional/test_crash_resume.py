"""Kill a real process with SIGKILL in the middle of a session: every acknowledged action survives.

The child process drives a triad session through the public API against the store (on both backends:
the SQLite file in the data folder, or a PostgreSQL database named by ROLEPLAY_DATABASE) and prints an
``ack`` line after each action returns (with the event's number and kind). The test kills it without
warning part-way through, resumes the session in this process and checks that each acknowledged action
is in the stored log, that the state replays, and that play can carry on.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.state import Phase
from roleplay.storage import open_store
from tests.functional import kill_child

CHILD = textwrap.dedent(
    """
    import itertools, sys, time
    from roleplay.content.scenario import ListenerMove
    from roleplay.session.engine import PracticeSession
    from roleplay.session.samples import sample_rubric, sample_scenario
    from roleplay.session.state import ListenerMode, SessionConfig
    from roleplay.storage import open_store

    store = open_store()  # ROLEPLAY_DATA_DIR points at the test's folder (ROLEPLAY_DATABASE, if set, wins)
    config = SessionConfig(("Ana", "Ben", "Cleo"), sample_scenario(), sample_rubric(),
                           mode=ListenerMode.typed, minutes=5)
    session = PracticeSession.create(config, store, session_id="crash")

    def ack(note):
        last = session.events[-1]
        print(f"ack {last.seq} {last.type} {note}", flush=True)
        time.sleep(0.003)  # pace the child so the kill lands mid-session, not after it

    ack("created")
    session.acknowledge_agreement(); ack("agreement")
    for number in itertools.count():
        current = session.current_round
        if current is None or not current.playing:
            if session.next_round is None:
                break
            current = session.start_round(); ack("round")
            session.reveal_card(); ack("card")
        observer = current.roles.observers[0]
        turn = session.current_turn
        if turn is None:
            session.rate(observer, "speaker-led", 1 + number % 4); ack("per-round")
            session.end_round(); ack("end")
            continue
        session.record_response(f"response {number} [bold]kept[/] 😀"); ack("response")
        for value in (1, 2, 3, 4, 1 + number % 4):
            session.rate(observer, "paraphrase", value, note=f"note {number}-{value}"); ack(f"rate {value}")
        session.change_tally(observer, "question_open"); ack("tally")
        session.pause(); ack("pause")
        session.unpause(); ack("unpause")
        session.mark_move(ListenerMove.advice if number % 2 else ListenerMove.reflection); ack("move")
        session.confirm_turn(); ack("confirm")
    # Every round played: keep re-rating the last round until killed.
    for value in itertools.cycle((1, 2, 3, 4)):
        session.rate("Ana", "speaker-led", value); ack(f"rerate {value}")
    """
)


def run_and_kill(data_dir: Path, kill_after: int) -> list[tuple[int, str, str]]:
    """Run the child until it has acknowledged ``kill_after`` actions, then SIGKILL it at once (no chance
    to clean up, flush or close anything); its acknowledgements, parsed."""
    acks: list[tuple[int, str, str]] = []
    for ack in kill_child.run_and_kill(CHILD, data_dir, count=kill_after, linger=0):
        seq, kind, note = ack.split(" ", 2)
        acks.append((int(seq), kind, note))
    return acks


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [37, 95])
def test_nothing_acknowledged_is_lost_after_sigkill(tmp_path: Path, kill_after: int,
                                                    database_env: dict[str, str]) -> None:
    acks = run_and_kill(tmp_path, kill_after)  # the child inherits ROLEPLAY_DATABASE (database_env)
    with open_store(tmp_path) as store:
        assert store.kind == ("postgres" if database_env else "sqlite")
        assert [s.id for s in store.unfinished_sessions()] == ["crash"]
        stored = {e.seq: e for e in store.load_events("crash")}
        session = PracticeSession.resume(store, "crash")
    for seq, kind, note in acks:
        assert seq in stored and stored[seq].type == kind, f"acknowledged action {seq} ({note}) lost"
    # The state reflects the last acknowledged rating, response and confirmation.
    last_seq = acks[-1][0]
    assert len(session.events) >= last_seq
    replayed_to_ack = PracticeSession.from_events(list(session.events[:last_seq]), store)
    last_rating = next((s for s, k, _ in reversed(acks) if k == "rating_recorded"), None)
    assert last_rating is not None
    data = stored[last_rating].data
    current = replayed_to_ack.rounds[data["round"] - 1]
    bucket = current.ratings if data["turn_index"] is None else current.turns[data["turn_index"]].ratings
    assert bucket[(data["rater"], data["criterion_id"])].value == data["value"]
    # And play carries on from where it stopped.
    with open_store(tmp_path) as store:
        session = PracticeSession.resume(store, "crash")
        assert session.phase in (Phase.playing, Phase.ready, Phase.done)
        if kill_after < 80:  # killed in round 1: the child (paced) cannot have finished every round
            assert session.phase != Phase.done and session.next_round is not None
        if session.phase == Phase.playing and session.current_turn is not None:
            session.record_response("after the crash")
            assert PracticeSession.resume(store, "crash").current_turn.response == "after the crash"  # type: ignore[union-attr]
