"""The batch path of ``roleplay observe``: the same observations as one at a time, the key points'
embeddings done together and right, and a person typing lines into a pipe answered line by line."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

from benchmarks.bench_observer import generate
from benchmarks.replies import cases
from roleplay.observer import embed, observe
from roleplay.observer.batch import Request, observe_many
from roleplay.observer.embed import embedder, words
from roleplay.observer.meaning import _point_vectors, point_matches_many
from roleplay.observer.stream import observe_lines

MODEL = embedder()
needs_model = pytest.mark.skipif(MODEL is None, reason="the observer's model files are not installed")


def _requests() -> list[Request]:
    out = [Request(c.reply, c.speaker, c.key_points, c.feelings) for c in cases()]
    for line in generate(600, seed=11):
        r = json.loads(line)
        out.append(Request(r["response"], r["speaker"], tuple(r.get("key_points", ())), tuple(r.get("feelings", ()))))
    out.append(Request("", "", ("a point",), ("sad",)))  # an empty reply with a turn
    out.append(Request("?!", "", ("a point",)))  # no words at all
    return out


def test_a_batch_observes_as_one_at_a_time() -> None:
    requests = _requests()
    assert sum(1 for r in requests if r.key_points) > 300  # many replies pay for the embeddings together
    for req, got in zip(requests, observe_many(requests), strict=True):
        assert got == observe(*req), req.response


def test_the_stream_answers_as_observe_does() -> None:
    lines = generate(300, seed=3)
    out = list(observe_lines(lines))  # a list: cut into batches
    one = list(observe_lines(iter(lines)))  # an iterator: a line at a time
    assert out == one


@needs_model
def test_best_windows_are_the_brute_force_ones() -> None:
    assert MODEL is not None
    points = ("He retired in March after thirty-eight years.", "Coming was his wife's idea.", "lonely")
    kp = _point_vectors(points)
    replies = [words(t) for t in ("ok", "so you retired", "your wife suggested it and you went along",
                                  "it sounds like after all those years at the works the days feel empty now "
                                  "and coming along was not your own idea at all")]
    for reply, got in zip(replies, MODEL.best_windows(replies, kp), strict=True):
        vecs, spans = MODEL.windows(reply)  # every window's own centred unit vector
        sims = vecs @ kp.T
        for i, (sim, a, b) in enumerate(got):
            k = int(sims[:, i].argmax())
            assert sim == pytest.approx(float(sims[k, i]), abs=1e-5)
            at = next(j for j, s in enumerate(spans.tolist()) if s == [a, b])
            assert abs(float(sims[at, i]) - sim) < 1e-5


@needs_model
def test_the_word_table_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    model = embed.Embedder(MODEL.vectors, list(MODEL.tokenizer.index), None if MODEL.centre is None else
                           MODEL.centre)
    monkeypatch.setattr(embed, "_MAX_ROWS", 40)
    kp = _point_vectors(("the weekend was long",))
    reply = words("the weekend felt so long and quiet without anyone to talk to at all")
    first = model.best_windows([reply], kp)
    other = [words(f"word{i} another{i} more{i} and so on") for i in range(12)]  # more words than the table holds
    model.best_windows(other, kp)
    assert len(model._rows) <= 40
    assert model.best_windows([reply], kp) == first


def test_replies_without_key_points_never_load_the_model() -> None:
    code = ("import sys, json\nfrom roleplay.observer.stream import observe_lines\n"
            "list(observe_lines([json.dumps({'speaker': 'I feel stuck.', 'response': 'So you feel trapped?'})]))\n"
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_point_matches_many_keeps_empty_replies_apart() -> None:
    got = point_matches_many([[], words("you retired in march"), []], ("He retired in March.",))
    assert got[0] is None and got[2] is None
    assert (got[1] is None) is (MODEL is None)


def test_lines_typed_into_a_pipe_are_answered_one_by_one(tmp_path: object) -> None:
    """A person typing into ``roleplay observe`` gets each answer before typing the next line."""
    env = dict(os.environ, ROLEPLAY_CACHE_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "roleplay", "observe"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for n in (1, 2):
            proc.stdin.write((json.dumps({"speaker": "I feel stuck.", "response": "So you feel trapped?",
                                          "key_points": ["feels stuck"]}) + "\n").encode())
            proc.stdin.flush()
            deadline = time.monotonic() + 60
            ready = []
            while not ready and time.monotonic() < deadline:
                ready = select.select([proc.stdout], [], [], 1)[0]
            assert ready, f"no answer to line {n} while the input stays open"
            assert json.loads(proc.stdout.readline())["line"] == n
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def test_a_failing_batch_falls_back_to_one_line_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug that breaks the batch costs no line: each is observed alone, in order, errors in place."""
    from roleplay.observer import stream

    def broken(requests: object) -> list[object]:
        raise RuntimeError("a bug")

    lines = [json.dumps({"speaker": "I feel stuck.", "response": "So you feel trapped?"}), "not json",
             json.dumps({"speaker": "I lost my job.", "response": "That sounds hard."})]
    expected = list(observe_lines(iter(lines)))
    monkeypatch.setattr(stream, "observe_many", broken)
    got = list(observe_lines(lines))
    assert got == expected
    assert [ok for _, ok in got] == [True, False, True]
