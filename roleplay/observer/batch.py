"""Many responses at once: the observer's stages for a batch, with the meaning work done together.

``roleplay observe`` reads responses in batches. Each response goes through the rule stages on its
own (``analyse.py``: cues, sentences, label); the replies that have key points then pay for the
embeddings together: one batch of matrix work per distinct set of key points (in practice, per
scenario turn), not one per reply (``meaning.point_matches_many``). Replies without key points or
feelings never touch the model. The results are those of :func:`analyse.observe`, reply for reply:
both run the same stages, and a reply alone is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from roleplay.observer.analyse import NO_SPEAKER, drop_speakers_words, label_response, observation, speaker_line
from roleplay.observer.cues import find_cues, read_sentences
from roleplay.observer.heard import Points, _meaning, feelings_stage, point_words, points_stage
from roleplay.observer.model import Observation
from roleplay.observer.signals import collect_signals, reading


class Request(NamedTuple):
    """One response to observe, with its turn (as :func:`analyse.observe` takes them)."""

    response: str
    speaker: str = ""
    key_points: Sequence[str] = ()
    feelings: Sequence[str] = ()
    pitfalls: Sequence[str] = ()


def observe_many(requests: Sequence[Request]) -> list[Observation]:
    """Observe every request; the same observations as :func:`analyse.observe` one at a time."""
    staged = []
    groups: dict[tuple[str, ...], list[int]] = {}
    word_lists: list[list[str]] = []
    for k, req in enumerate(requests):
        cues = find_cues(req.response)
        line = speaker_line(req.speaker) if req.speaker else NO_SPEAKER
        drop_speakers_words(cues, line)
        sents = read_sentences(cues)
        lab = label_response(cues, sents, line, req.key_points)
        r = reading(cues, sents, lab)
        staged.append((cues, sents, line, lab, r))
        words: list[str] = []
        if req.key_points:
            words = point_words(r)[0]
            groups.setdefault(tuple(req.key_points), []).append(k)
        word_lists.append(words)
    by_meaning: dict[int, list[tuple[float, int, int]] | None] = {}
    soft: dict[int, list[tuple[float, list[int]]] | None] = {}
    if groups:
        mean = _meaning()
        for pts, ks in groups.items():
            for k, found in zip(ks, mean.point_matches_many([word_lists[k] for k in ks], pts), strict=True):
                by_meaning[k] = found
                soft[k] = None
            near = [k for k in ks if by_meaning[k] is not None]  # as points_stage: only with the model
            for k, overlaps in zip(near, mean.soft_overlaps_many([word_lists[k] for k in near], pts), strict=True):
                soft[k] = overlaps
    out = []
    for k, (req, (cues, sents, line, lab, r)) in enumerate(zip(requests, staged, strict=True)):
        feel = feelings_stage(r, req.feelings)
        points = (points_stage(r, req.speaker, req.key_points, feel.emotions, by_meaning[k], soft[k])
                  if req.key_points else Points(0))
        sig = collect_signals(cues, sents, lab, line, req.speaker, req.key_points, req.feelings, req.pitfalls,
                              heard=(feel, points))
        out.append(observation(sents, line, lab, sig, req.key_points, req.feelings))
    return out
