"""The JSON-lines writer of ``roleplay observe`` and the batch set-up of the garbage collector."""

from __future__ import annotations

import gc
import json

from roleplay.content.rubric import Rubric
from roleplay.observer import stream
from roleplay.observer.lexicon import lexicon
from roleplay.observer.stream import observe_lines, observe_record, prepare_batch

RECORDS = [
    {"speaker": "I feel stuck at work and my boss ignores me.", "response": "So you feel trapped there?"},
    {"speaker": "I lost my job last week.", "response": "Have you tried applying elsewhere? Don't worry.",
     "id": {"n": [1, 2.5, None, True]}, "key_points": ["lost job"], "feelings": ["worried", "ashamed"],
     "pitfalls": ["jumps to fixing"]},
    {"speaker": "Mon frère dit que je suis « paresseux ».", "response": "Ça a l’air \"dur\"\n\tà entendre 😟, non?",
     "id": "é-1"},
    {"speaker": "", "response": ""},
    {"speaker": "My sister never calls.", "response": "I had the same thing with my brother; I called him every "
     "week and I told him how I felt, and I think I finally understood my own part in it. You are not crazy."},
]

RUBRIC = Rubric.model_validate({
    "id": "mini", "title": "Mini", "description": "A test rubric.",
    "scale": [{"value": 1, "label": "Low"}, {"value": 2, "label": "Mid"}, {"value": 3, "label": "High"}],
    "criteria": [{"id": "led", "name": "Speaker-led", "description": "d", "auto": "speaker_led"}],
    "tallies": [{"id": "unasked", "name": "Unasked advice", "description": "d", "auto": "advice_without_permission"}],
})


def _expected(number: int, record: dict, rubric: Rubric | None = None) -> str:
    """What ``json.dumps`` writes for the output object, compact and UTF-8."""
    return json.dumps({"line": number, **observe_record(record, rubric)}, ensure_ascii=False,
                      separators=(",", ":"))


def test_each_output_line_is_exactly_the_json_of_the_output_object() -> None:
    out = list(observe_lines(json.dumps(r) for r in RECORDS))
    assert [ok for _, ok in out] == [True] * len(RECORDS)
    for number, ((line, _), record) in enumerate(zip(out, RECORDS, strict=True), start=1):
        assert line == _expected(number, record)
        assert json.loads(line)["line"] == number


def test_output_with_a_rubric_adds_ratings_and_tallies_after_the_id() -> None:
    (line, ok), = observe_lines([json.dumps(RECORDS[1])], RUBRIC)
    assert ok
    assert line == _expected(1, RECORDS[1], RUBRIC)
    assert list(json.loads(line))[-3:] == ["id", "ratings", "tallies"]


def test_blank_lines_are_skipped_but_counted() -> None:
    out = list(observe_lines(["", "  \n", json.dumps(RECORDS[0]) + "\n"]))
    assert len(out) == 1 and json.loads(out[0][0])["line"] == 3


def test_loading_the_lexicon_does_not_freeze_the_process() -> None:
    # The Textual app loads the lexicon too: freezing there would pin every object the app holds.
    before = gc.get_freeze_count()
    lexicon.__wrapped__()  # the uncached loader
    assert gc.get_freeze_count() == before


def test_prepare_batch_moves_the_phrase_tries_out_of_the_collectors_generations() -> None:
    gc.unfreeze()
    stream._prepared = False
    try:
        prepare_batch()
        trie = lexicon().anywhere
        # gc.get_objects() lists the three generations only, not the frozen (permanent) one.
        assert not any(obj is trie for obj in gc.get_objects())
    finally:
        gc.unfreeze()
