"""One observation per response, stored: the observer runs once per response sent, its whole view is saved
with the response, and later cards, debriefs and views show what was stored even after the rules change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import roleplay.observer.version as version
import roleplay.session.feedback as feedback
from roleplay.observer import SuggestedRating
from roleplay.session.compare import auto_view_for, confirm_turn_with_observer
from roleplay.session.debrief import round_debrief
from roleplay.session.engine import PracticeSession
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, ObservedRecord, SessionConfig
from roleplay.storage import AUTO_RATER, MemorySink, open_store
from roleplay.storage.events import EventType
from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

REFLECT = "A month in and you still feel you don't belong there. That sounds lonely."
QUESTION = "What has that month been like for you?"


def change_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later version of the observer: other reasons, another label, another version string."""
    real_suggest = feedback.suggest_ratings
    real_observe = feedback.observe

    def suggest(obs, rubric):  # type: ignore[no-untyped-def]
        return [SuggestedRating(s.criterion_id, s.value, "NEW RULE " + s.reason) for s in real_suggest(obs, rubric)]

    def observe(response: str, **kwargs: object):  # type: ignore[no-untyped-def]
        obs = real_observe(response, **kwargs)  # type: ignore[arg-type]
        obs.label = "advice"
        return obs

    monkeypatch.setattr(feedback, "suggest_ratings", suggest)
    monkeypatch.setattr(feedback, "observe", observe)
    monkeypatch.setattr(feedback, "observer_version", lambda: "9.9+changed")


def test_solo_runs_the_observer_once_per_response_sent(observer_calls: list[str]) -> None:
    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    solo.start()
    card = solo.respond(REFLECT)
    assert observer_calls == [REFLECT]
    # Reading the card again, rating yourself (each number key), differences: no new run, the same card.
    for value in (1, 2, 3, 4):
        solo.self_rate("paraphrase", value)
        assert solo.feedback is card
        solo.differences()
        solo.attempts()
    solo.try_again()
    second = solo.respond(QUESTION)
    assert [f.response for f in solo.attempts()] == [REFLECT, QUESTION]
    assert solo.attempts()[0] is card and solo.attempts()[1] is second
    solo.next()
    while solo.line is not None:
        solo.respond(QUESTION)
        solo.next()
    solo.end_round()  # the per-round ratings come from the stored ratings, not a new run
    solo.summary()
    turns = solo.round.turns
    assert len(observer_calls) == 2 + (len(turns) - 1)
    assert all(t.observed is not None and t.observed.complete for t in turns)


def test_the_whole_observation_is_stored_with_the_response(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), store, clock=fake_clock(),
                                    session_id="solo1")
        solo.start()
        card = solo.respond(REFLECT)
        events = store.load_events("solo1")
    stored = [e for e in events if e.type == EventType.observation_recorded]
    assert len(stored) == 1
    data = stored[0].data
    assert data["observer"] == version.observer_version()
    assert data["label"] == card.label
    assert [s[0] for s in data["signals"]] == [s.name for s in card.observation.signals]
    reasons = {cid: reason for cid, _, reason in data["ratings"]}
    assert {s.criterion_id: s.reason for s in card.suggestions}.items() <= reasons.items()
    assert data["move"] == card.move.value and data["move_reason"] == card.move_reason
    assert ObservedRecord.from_payload(data) == card.record  # a round trip keeps every part


def test_a_resumed_rehearsal_shows_the_stored_view_after_a_rule_change(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(tmp_path) as store:
        solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), store, clock=fake_clock(),
                                    session_id="solo1")
        solo.start()
        before = solo.respond(REFLECT)
        solo.next()
        change_the_rules(monkeypatch)
        again = SoloRehearsal.resume(store, "solo1")
        after = again.feedback_for(0)
        assert (after.label, after.move_reason) == (before.label, before.move_reason)
        assert [s.reason for s in after.suggestions] == [s.reason for s in before.suggestions]
        assert not any("NEW RULE" in s.reason for s in after.suggestions)
        assert after.record.observer == version.observer_version.__wrapped__()  # the version of that day
        # The debrief's observer notes are the stored reasons too.
        notes = [n.text for n in round_debrief(again.session, 1).notes if n.rater == AUTO_RATER]
        assert notes and not any("NEW RULE" in n for n in notes)
        assert set(notes) >= {s.reason for s in before.suggestions}


def test_a_group_debrief_view_shows_the_stored_reasons_after_a_rule_change(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(tmp_path) as store:
        config = SessionConfig(("Ana", "Ben", "Cleo"), example_scenario(), auto_rubric(), mode=ListenerMode.typed)
        session = PracticeSession.create(config, store, clock=fake_clock(), session_id="triad")
        session.acknowledge_agreement()
        session.start_round()
        turn = session.current_turn
        session.record_response(REFLECT)
        session.rate("Cleo", "paraphrase", 3)
        confirm_turn_with_observer(session)
        before = auto_view_for(session, turn)
        assert before is not None and any(c.reason for c in before.criteria)
        calls: list[str] = []
        change_the_rules(monkeypatch)
        monkeypatch.setattr(feedback, "observe_turn", lambda response, line: calls.append(response))
        again = PracticeSession.resume(store, "triad")
        after = auto_view_for(again, again.rounds[0].turns[0])
        assert after is not None and calls == []  # read from storage: the observer is not run
        assert (after.label, [c.reason for c in after.criteria]) == (before.label, [c.reason for c in before.criteria])


def test_a_record_saved_before_views_were_stored_is_worked_out_again() -> None:
    old = ObservedRecord.from_payload({"label": "reflection", "subtype": "simple", "confidence": 0.8,
                                       "behaviours": ["reflection_simple"]})
    assert not old.complete and old.payload() == {"label": "reflection", "subtype": "simple", "confidence": 0.8,
                                                  "behaviours": ["reflection_simple"]}
    line = example_scenario().turns[0]
    record = feedback.stored_or_observed(old, REFLECT, line, auto_rubric())
    assert record.complete and record.observer == version.observer_version()


def test_an_export_with_stored_observations_imports_unchanged(tmp_path: Path) -> None:
    from roleplay.reports.transfer import export_text, import_bytes

    with open_store(tmp_path / "a") as source, open_store(tmp_path / "b") as target:
        solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), source, clock=fake_clock(),
                                    session_id="solo1")
        solo.start()
        solo.respond(REFLECT)
        result = import_bytes(target, export_text(source, "solo1").encode())
        assert result.outcome == "imported"  # replayed as the app's own actions, whole observation included
        assert target.load_events("solo1") == source.load_events("solo1")
