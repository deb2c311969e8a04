"""Kill a real process driving a solo rehearsal (SIGKILL): every acknowledged action and card survives.

The child drives :class:`SoloRehearsal` against the SQLite store and prints an ``ack`` line after each
action returns; after a response it also prints a digest of the feedback card it was shown. The test kills
it part-way, resumes, and checks that each acknowledged action is stored, that every card shown is
recomputed identically (attempts included), and that the rehearsal can be finished.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from roleplay.session.feedback_card import Feedback
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import Phase
from roleplay.storage import MemorySink, open_store
from tests.functional import kill_child
from tests.unit.test_solo_support import auto_rubric, example_scenario

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from roleplay.session.solo import SoloRehearsal
    from roleplay.storage import open_store
    from tests.functional.test_solo_resume import digest
    from tests.unit.test_solo_support import auto_rubric, example_scenario

    store = open_store()  # ROLEPLAY_DATA_DIR points at the test's folder
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), store, session_id="solo-crash")

    def ack(note, card=None):
        last = solo.session.events[-1]
        extra = json.dumps(digest(card)) if card is not None else "-"
        print(f"ack {last.seq} {last.type} {note} {extra}", flush=True)
        time.sleep(0.003)

    solo.start(); ack("start")
    answers = {
        "opening": ["So it has been a month and you feel you don't fit in?", "Have you tried talking to your manager?"],
        "pushback": ["Everyone tells you to just talk to people, and it is harder than that.", "It sounds tiring."],
        "lunch": ["Eating lunch alone at your desk sounds lonely.", "Do you sit with anyone?"],
        "closing": ["What would a proper chat with someone there look like for you?", "One real friend there."],
    }
    while solo.line is not None:
        first, second = answers[solo.line.id]
        card = solo.respond(first); ack("respond", card)
        solo.self_rate("paraphrase", 2); ack("self")
        solo.try_again(); ack("again")
        card = solo.respond(second); ack("respond", card)
        solo.next(); ack("next")
    solo.end_round(); ack("end")
    while True:  # keep busy until killed
        solo.pause(); ack("pause")
        solo.unpause(); ack("unpause")
    """
)


def digest(card: Feedback) -> dict[str, object]:
    """What the child saw on a card, to compare with the card recomputed after the crash."""
    return {
        "turn": card.turn_index, "attempt": card.attempt, "label": card.label, "subtype": card.subtype,
        "move": str(card.move), "suggestions": [[s.criterion_id, s.value, s.reason] for s in card.suggestions],
        "flags": [str(f.kind) for f in card.flags],
        "captured": [k.point for k in card.captured],
    }


def run_and_kill(data_dir: Path, kill_after: int) -> list[tuple[int, str, str, str]]:
    """Run the child until it has acknowledged ``kill_after`` actions, then SIGKILL it at once (no chance
    to clean up, flush or close anything); its acknowledgements, parsed."""
    acks: list[tuple[int, str, str, str]] = []
    for ack in kill_child.run_and_kill(CHILD, data_dir, count=kill_after, linger=0):
        seq, kind, note, extra = ack.split(" ", 3)
        acks.append((int(seq), kind, note, extra))
    return acks


def finish_from_here(solo: SoloRehearsal) -> None:
    while solo.line is not None:
        if not solo.answered:
            solo.respond("What would help most right now?")
        solo.next()
    solo.end_round()
    solo.finish()


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [4, 11, 17])
def test_solo_rehearsal_survives_sigkill(tmp_path: Path, kill_after: int, database_env: dict[str, str]) -> None:
    acks = run_and_kill(tmp_path, kill_after)  # on both backends: the child inherits ROLEPLAY_DATABASE
    with open_store(tmp_path) as store:
        assert store.kind == ("postgres" if database_env else "sqlite")
        assert [s.id for s in store.unfinished_sessions()] == ["solo-crash"]
        stored = {e.seq: e for e in store.load_events("solo-crash")}
        for seq, kind, note, _ in acks:
            assert seq in stored and stored[seq].type == kind, f"acknowledged {note} ({seq}) lost"
        solo = SoloRehearsal.resume(store, "solo-crash")
        shown = [json.loads(extra) for _, _, note, extra in acks if note == "respond"]
        assert shown, "the kill should come after at least one response"
        for seen in shown:  # every card shown is recomputed identically, attempts included
            assert digest(solo.feedback_for(seen["turn"], seen["attempt"])) == seen
        # Attempts are all there: one turn with two answered attempts has both.
        for seen in shown:
            if seen["attempt"] == 2:
                assert len(solo.attempts(seen["turn"])) == 2
        assert solo.phase in (Phase.playing, Phase.done)
        finish_from_here(solo)
        summary = solo.summary()
        assert summary.turns_answered == len(solo.round.turns)
    with open_store(tmp_path) as store:
        assert store.unfinished_sessions() == []


def test_a_response_saved_without_its_feedback_is_completed_on_resume() -> None:
    sink = MemorySink()
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), sink, session_id="half")
    solo.start()
    solo.session.record_response("Have you tried talking to your manager?")  # then the app died
    assert solo.current_turn is not None and solo.current_turn.observed is None
    again = SoloRehearsal.resume(sink, "half")
    turn = again.current_turn
    assert turn is not None and turn.observed is not None and turn.move is not None
    card = again.feedback
    assert card is not None and str(turn.move) == str(card.move) == "advice"
    assert {cid for (rater, cid) in turn.ratings if rater == "auto-observer"} == {
        s.criterion_id for s in card.suggestions}
    assert again.next().id == "pushback"  # type: ignore[union-attr]
