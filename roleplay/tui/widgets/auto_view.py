"""The automatic observer as a second opinion in typed group practice: a small panel in play, and the
debrief's section on where the people and the observer agree.

Anchoring rule: the panel shows only turns already confirmed (:func:`auto_view_for` returns None before),
so the human observer has always rated a turn before seeing the automatic observer's view of it.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from roleplay.content.names import count_of
from roleplay.session.compare import AutoView, RoundComparison, auto_view_for
from roleplay.session.engine import PracticeSession
from roleplay.session.scoring import AgreementResult
from roleplay.tui.text import heading, lines, plain, shorten, styled
from roleplay.tui.widgets.feedback_card import label_text

#: Criterion names are cut to this width so each criterion stays on one line in the narrow panel.
NAME_WIDTH = 22


def latest_view(session: PracticeSession) -> AutoView | None:
    """The observer's view of the current round's most recently confirmed turn (None if there is none)."""
    current = session.current_round
    if current is None:
        return None
    for turn in reversed(current.turns):
        if turn.confirmed_at is not None and turn.response is not None:
            return auto_view_for(session, turn)
    return None


def view_content(view: AutoView) -> Content:
    """Turn k: the observer's label, then each criterion: the people's levels beside the observer's."""
    parts: list[Content | str] = [
        heading(f"Auto observer, turn {view.turn_index + 1}: {label_text(view.label, view.subtype)}"),
    ]
    for c in view.criteria:
        people = ", ".join(f"{who} {v}" for who, v in c.people.items()) or "not rated"
        auto = "–" if c.auto is None else str(c.auto)
        same = c.auto is not None and c.people and all(v == c.auto for v in c.people.values())
        mark = "=" if same else "≠"
        row = plain(f"{mark} {shorten(c.name, NAME_WIDTH)}: {people} · auto {auto}")
        parts.append(row if same else styled(row.plain, "$warning"))
    return lines(parts)


class AutoViewPanel(Static):
    """Shows :func:`latest_view` (hidden until a turn has been confirmed)."""

    DEFAULT_CSS = """
    AutoViewPanel { height: auto; max-height: 9; padding: 0 1; border: round $secondary 50%; }
    """

    def show_for(self, session: PracticeSession) -> None:
        """Refresh from the session."""
        view = latest_view(session)
        self.display = view is not None
        self.current_view = view
        if view is not None:
            self.update(view_content(view))


def _agreement(result: AgreementResult) -> str:
    if not result.items or result.exact_percent is None:
        return "nothing rated by both"
    return (f"{count_of(result.items, 'item')}, {result.exact_percent:.0f}% the same, "
            f"{result.within_one_percent:.0f}% within one level, mean difference {result.mean_abs_diff:.2f}")


def comparison_content(comparison: RoundComparison) -> Content:
    """The debrief section: the round's agreement figure, then each rater and criterion."""
    parts: list[Content | str] = [heading("You and the automatic observer")]
    overall = comparison.overall
    if not overall.items:
        parts.append(plain("Nothing was rated by both the observer and the automatic observer this round."))
        return lines(parts)
    parts.append(plain(f"Agreement this round: {overall.exact_percent:.0f}% "
                       f"({_agreement(overall)})."))
    for c in comparison.per_criterion:
        r = c.result
        close = (r.mean_abs_diff or 0) < 0.5
        word = "agree" if close else "differ"
        row = plain(f"  {c.name} ({c.rater}): {word}: {_agreement(r)}")
        parts.append(row if close else styled(row.plain, "$warning"))
    parts.append(styled("The automatic observer is a second opinion from the typed words only: it cannot see "
                        "tone, pauses or body language.", "dim"))
    return lines(parts)
