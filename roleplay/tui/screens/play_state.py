"""Where the play screen's own view state stands after a resume: whose turn it is to rate.

With two observers the panel hands over from the first to the second; that hand-over is not an event
of its own, so after a crash it is worked out from what each rater has saved on the current turn (or,
once the script is over, on the round): the rater who acted last keeps the panel, unless they have
rated every criterion and a later observer has not started yet, in which case it is that observer's
turn. Plain Python, no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.content.rubric import Scope
from roleplay.session.engine import PracticeSession

#: Events that show a rater at work on a turn (or on the round's ratings).
RATER_EVENTS = {"rating_recorded", "tally_changed", "note_recorded", "round_note_recorded"}


def rater_position(session: PracticeSession) -> tuple[int, set[str]]:
    """The index (in the round's raters) of who rates now, and the raters already done with this item."""
    current = session.current_round
    if current is None or not current.playing:
        return 0, set()
    raters: Sequence[str] = current.roles.raters
    if len(raters) < 2:
        return 0, set()
    turn = current.current_turn
    turn_index = turn.index if turn is not None else None
    last: str | None = None
    for event in reversed(session.events):
        data = event.data
        if event.type == "turn_confirmed" or event.type == "round_started":
            break
        if (event.type in RATER_EVENTS and data.get("round") == current.number
                and data.get("turn_index") == turn_index and data.get("rater") in raters):
            last = data["rater"]
            break
    if last is None:
        return 0, set()
    position = raters.index(last)
    scope = Scope.per_turn if turn is not None else Scope.per_round
    wanted = {c.id for c in session.rubric.criteria if c.scope == scope}
    saved = turn.ratings if turn is not None else current.ratings
    given = {crit for (who, crit) in saved if who == last}
    if wanted and wanted <= given and position + 1 < len(raters):
        later = raters[position + 1]
        if not any(who == later for (who, _crit) in saved):
            position += 1
    return position, set(raters[:position])
