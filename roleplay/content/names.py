"""The names people see for things the files and records store as ids: listener moves, criteria, tallies.

Every screen and every saved document (the in-app Markdown, the reports) names things through these
helpers, so an id such as ``question_open`` or ``paraphrase`` never reaches a reader when a name exists.
"""

from __future__ import annotations

from roleplay.content.rubric import Rubric
from roleplay.content.scenario import ListenerMove

#: How each listener move is named for the person marking it and in saved records.
MOVE_LABELS: dict[ListenerMove, str] = {
    ListenerMove.reflection: "Reflected / paraphrased",
    ListenerMove.question_open: "Asked an open question",
    ListenerMove.question_closed: "Asked a closed question",
    ListenerMove.affirmation: "Affirmed a strength",
    ListenerMove.advice: "Gave advice",
    ListenerMove.reassurance: "Reassured too soon",
    ListenerMove.judgment: "Judged",
    ListenerMove.self_disclosure: "Talked about themselves",
    ListenerMove.information: "Gave information",
    ListenerMove.change_subject: "Changed the subject",
    ListenerMove.other: "Something else",
}


def move_label(move: ListenerMove | str) -> str:
    """The name of a listener move, e.g. ``question_open`` -> ``Asked an open question``.

    A move this version does not know (a newer app's record) is shown with spaces for underscores.
    """
    try:
        return MOVE_LABELS[ListenerMove(move)]
    except ValueError:
        return str(move).replace("_", " ")


def criterion_name(rubric: Rubric, criterion_id: str) -> str:
    """The name of a rubric criterion as the scoring panel shows it (the id if the rubric lacks it)."""
    return next((c.name for c in rubric.criteria if c.id == criterion_id), criterion_id)


def tally_name(rubric: Rubric, tally_id: str) -> str:
    """The name of a rubric tally as the counts panel shows it (the id if the rubric lacks it)."""
    return next((t.name for t in rubric.tallies if t.id == tally_id), tally_id)


def level_label(rubric: Rubric, value: int) -> str:
    """The label of a scale level, e.g. ``3`` -> ``Interchangeable`` (empty when not on the scale)."""
    return next((lv.label for lv in rubric.scale if lv.value == value), "")


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """``1 item``, ``2 items`` (``plural`` for irregular nouns)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
