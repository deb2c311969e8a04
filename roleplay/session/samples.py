"""A tiny built-in scenario and rubric, for tests, benchmarks, snapshots and demos.

They are small on purpose (three linear turns and one branch-only turn; three per-turn criteria and one
per-round criterion on a 1-4 scale; four tallies and two metrics) so worked examples can be computed by
hand. The library's real scenarios and rubrics live in ``scenarios/`` and ``rubrics/``.
"""

from __future__ import annotations

from typing import Any

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.session.engine import PracticeSession
from roleplay.session.state import SessionConfig
from roleplay.storage.events import EventSink, MemorySink

_SCENARIO: dict[str, Any] = {
    "id": "sample-new-job",
    "title": "Sample: first weeks in a new job",
    "summary": "Robin started a new job a month ago and feels out of place. They want to talk it through.",
    "tags": ["work", "sample"],
    "difficulty": "intro",
    "minutes": 5,
    "content_notes": ["Feeling isolated at work"],
    "persona": {
        "name": "Robin",
        "age": 29,
        "background": "Robin moved to a bigger team a month ago and has not found their feet yet.",
        "wants": "To say out loud how the first weeks have felt, without being told what to do.",
        "how_to_play": ["Start guarded; open up if the listener follows your lead."],
    },
    "listener_brief": "Robin has asked for a few minutes to talk about work.",
    "observer_focus": ["Does the listener follow Robin's lead?"],
    "trainer_notes": "Watch for early advice about talking to the manager.",
    "turns": [
        {
            "id": "opening",
            "line": "It's only been a month, but honestly I feel like I don't fit in there.",
            "cue": "Quietly, looking down.",
            "key_points": ["a month in the new job", "does not feel they fit in"],
            "feelings": ["out of place", "discouraged"],
            "branches": [{"when": "advice", "goto": "pushback"}],
        },
        {
            "id": "lunch",
            "line": "Everyone already has their groups. I eat lunch at my desk most days.",
            "key_points": ["groups already formed", "eats alone"],
            "feelings": ["lonely"],
        },
        {
            "id": "pushback",
            "line": "Yeah, I know, I should just talk to people. It's not that simple.",
            "cue": "A little defensive.",
            "only_via_branch": True,
            "next": "closing",
        },
        {
            "id": "closing",
            "line": "I guess I'd just like one person there I could have a proper chat with.",
            "key_points": ["wants one real connection"],
            "feelings": ["hopeful", "wistful"],
        },
    ],
}

_RUBRIC: dict[str, Any] = {
    "id": "sample-listening",
    "title": "Sample listening rubric",
    "description": "A small rubric for worked examples: three per-turn skills and one per-round rating.",
    "scale": [
        {"value": 1, "label": "Not yet"},
        {"value": 2, "label": "Partly"},
        {"value": 3, "label": "Interchangeable"},
        {"value": 4, "label": "Adds depth"},
    ],
    "criteria": [
        {
            "id": "paraphrase",
            "name": "Paraphrase",
            "description": "Puts the speaker's key points into the listener's own words.",
            "weight": 2,
            "descriptors": {
                1: "Misses the key points or repeats the words back unchanged.",
                2: "Catches one key point but leaves others out.",
                3: "Restates the key points accurately in fresh words.",
                4: "Restates the key points and draws out what lies beneath them.",
            },
        },
        {
            "id": "feeling",
            "name": "Reflecting feeling",
            "description": "Names the feeling under what the speaker says.",
            "descriptors": {
                1: "Leaves feelings unnamed.",
                2: "Names a feeling loosely or a little off the mark.",
                3: "Names the feeling the speaker showed.",
                4: "Names the feeling shown and the one held back, gently.",
            },
        },
        {
            "id": "open-question",
            "name": "Open questions",
            "description": "Invites the speaker to say more, in their own direction.",
            "descriptors": {
                1: "Asks mostly yes/no questions or none at all.",
                2: "Asks an open question that steers the topic.",
                3: "Asks open questions that follow the speaker's lead.",
                4: "Asks open questions that help the speaker find their own next step.",
            },
        },
        {
            "id": "speaker-led",
            "name": "Speaker leads",
            "description": "The speaker sets the direction; no unasked-for advice.",
            "scope": "per_round",
            "descriptors": {
                1: "Takes over the conversation or gives advice nobody asked for.",
                2: "Mostly follows, with a nudge or two toward solutions.",
                3: "Follows the speaker's lead throughout.",
                4: "Follows the lead and asks what the speaker would like to do next.",
            },
        },
    ],
    "tallies": [
        {"id": "question_open", "name": "Open question", "description": "What, how, tell me more.", "key": "o"},
        {"id": "question_closed", "name": "Closed question", "description": "Yes/no or a fact.", "key": "c"},
        {"id": "reflection_simple", "name": "Simple reflection", "description": "Rephrases.", "key": "s"},
        {"id": "reflection_complex", "name": "Complex reflection", "description": "Adds meaning.", "key": "x"},
    ],
    "metrics": [
        {
            "id": "r_to_q",
            "name": "Reflection-to-question ratio",
            "kind": "ratio",
            "numerator": ["reflection_simple", "reflection_complex"],
            "denominator": ["question_open", "question_closed"],
            "thresholds": {"fair": 1, "good": 2},
        },
        {
            "id": "pct_cr",
            "name": "Percent complex reflections",
            "kind": "percent",
            "numerator": ["reflection_complex"],
            "denominator": ["reflection_simple", "reflection_complex"],
            "thresholds": {"fair": 40, "good": 50},
        },
    ],
}


def sample_scenario() -> Scenario:
    """The sample scenario (validated through the file model)."""
    return Scenario.model_validate(_SCENARIO)


def sample_rubric() -> Rubric:
    """The sample rubric (validated through the file model)."""
    return Rubric.model_validate(_RUBRIC)


def scored_sample_session(sink: EventSink | None = None, start: float = 1_700_000_000.0) -> PracticeSession:
    """A four-person session on the samples with round 1 played and scored (round 2 not started).

    Ana speaks, Ben listens, Cleo and Dev observe. Used for worked-example tests (the expected figures
    are computed by hand in ``tests/unit/test_scoring.py``) and for screen snapshots. The clock is fake:
    every action happens 10 seconds after the one before, from ``start``.
    """
    ticks = iter(range(10_000))

    def clock() -> float:
        return start + 10.0 * next(ticks)

    config = SessionConfig(("Ana", "Ben", "Cleo", "Dev"), sample_scenario(), sample_rubric(), minutes=5)
    session = PracticeSession.create(config, sink or MemorySink(), clock=clock, session_id="sample-four")
    session.acknowledge_agreement()
    session.start_round()
    session.reveal_card()
    plan = [
        # (Cleo's ratings, Dev's ratings, Cleo's tallies, Dev's tallies) for each turn
        ({"paraphrase": 3, "feeling": 2, "open-question": 1}, {"paraphrase": 3, "feeling": 3},
         {"reflection_simple": 1, "question_open": 1}, {"reflection_simple": 1}),
        ({"paraphrase": 4, "feeling": 2}, {"paraphrase": 2, "feeling": 2, "open-question": 3},
         {"reflection_complex": 2}, {"reflection_complex": 1, "question_open": 1}),
        ({"paraphrase": 3}, {"paraphrase": 4}, {"question_closed": 1}, {}),
    ]
    for cleo, dev, cleo_counts, dev_counts in plan:
        for rater, ratings, counts in (("Cleo", cleo, cleo_counts), ("Dev", dev, dev_counts)):
            for criterion_id, value in ratings.items():
                session.rate(rater, criterion_id, value)
            for tally_id, count in counts.items():
                session.change_tally(rater, tally_id, count)
        session.confirm_turn()
    session.rate("Cleo", "speaker-led", 3, note="Let Ben's pauses do the work.")
    session.rate("Dev", "speaker-led", 2)
    session.record_note("Cleo", "Warm tone throughout.", turn_index=0)
    session.end_round()
    return session
