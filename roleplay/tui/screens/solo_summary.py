"""The end of a solo rehearsal: strengths first, growth areas, R:Q and %CR against fair/good, last time.

The summary reads the person's earlier rehearsals from the store, so it is built in a worker. The
rehearsal is closed (finished) once the summary is on screen: it is complete, and no longer offered for
resuming.
"""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from roleplay.session.solo import SoloRehearsal
from roleplay.session.solo_summary import SoloSummary, plural, stopped_after
from roleplay.session.state import Phase
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import heading, lines, plain, styled

BANDS = {"good": "good", "fair": "fair", "below": "below fair"}


#: Behaviour codes in plain words for "Behaviours seen" (never "question open").
BEHAVIOUR_WORDS: dict[str, str] = {
    "question_open": "open questions", "question_closed": "closed questions",
    "reflection_simple": "simple reflections", "reflection_complex": "complex reflections",
    "affirmation": "affirmations", "seeking_collaboration": "seeking collaboration",
    "emphasizing_autonomy": "emphasising choice", "advice_without_permission": "advice without asking",
    "persuade": "persuading", "confront": "confronting", "giving_information": "giving information",
}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def metric_line(name: str, text: str, band: str | None, kind: str, fair: float | None, good: float | None) -> str:
    """``R:Q: 1.5:1 (fair; fair from 1:1, good from 2:1)``."""
    unit = "%" if kind == "percent" else ":1"
    limits = f"fair from {fair:g}{unit}, good from {good:g}{unit}" if fair is not None and good is not None else ""
    said = BANDS.get(band or "", "")
    inside = "; ".join(p for p in (said, limits) if p)
    return f"{name}: {text}" + (f" ({inside})" if inside else "")


def _change_value(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    if name.startswith("Percent"):
        return f"{value:.0f}%"
    if name.startswith("Reflection"):
        return f"{value:.1f}:1"
    return f"{value:.2f}"


def stopped_text(stopped: tuple[int, int] | None) -> str:
    """``stopped early after 2 of 5 lines`` (empty for a run that went to the end)."""
    if stopped is None:
        return ""
    answered, total = stopped
    return f"stopped early after {answered} of {plural(total, 'line')}"


def summary_content(summary: SoloSummary, title: str, stopped: tuple[int, int] | None = None) -> Content:
    """The summary as text (see the module notes); ``stopped``: see :func:`stopped_after`."""
    parts: list[Content | str] = [heading(f"{summary.name} rehearsed “{title}”")]
    done = (f"{plural(summary.turns_answered, 'line')} answered, "
            f"{plural(summary.attempts, 'response')} typed in all")
    early = stopped_text(stopped) or ("stopped early" if summary.ended_early else "")
    parts.append(styled(done + (f" · {early} (that is fine: it is all kept)" if early else ""), "italic"))
    parts += ["", heading("What went well")]
    parts += [plain(f"✓ {p.text}") for p in summary.strengths] or [
        plain("Nothing reached above the first level yet; every rehearsal builds the habit.")]
    parts += ["", heading("Something to try next time")]
    parts += [plain(f"→ {p.text}") for p in summary.growth] or [plain("Nothing singled out this time.")]
    parts += ["", heading("Scores from the automatic observer")]
    width = max((len(c.name) for c in summary.scores.criteria), default=10)
    mine = {c.criterion_id: c for c in summary.self_scores.criteria} if summary.self_scores else {}
    for score in summary.scores.criteria:
        own = mine.get(score.criterion_id)
        extra = f"   you: {_fmt(own.mean)}" if own is not None and own.count else ""
        band = f"  {score.band_text}" if score.band_text else ""
        parts.append(plain(f"  {score.name.ljust(width)}  {_fmt(score.mean):>5}{band}{extra}"))
    own_overall = f"   you: {_fmt(summary.self_scores.overall)}" if summary.self_scores else ""
    parts.append(plain(f"  {'Overall (weighted)'.ljust(width)}  {_fmt(summary.scores.overall):>5}{own_overall}"))
    source = "the rubric's metrics" if summary.metrics_source == "rubric" else "standard MITI thresholds"
    parts += ["", heading(f"Listening balance ({source})")]
    for m in summary.metrics:
        fair = m.thresholds.fair if m.thresholds else None
        good = m.thresholds.good if m.thresholds else None
        counted = f" [{m.numerator}/{m.denominator}]" if m.value is not None else ""
        parts.append(plain("  " + metric_line(m.name, m.plain, m.band, m.kind, fair, good) + counted))
    counts = ", ".join(f"{BEHAVIOUR_WORDS.get(code, code.replace('_', ' '))} {n}"
                       for code, n in sorted(summary.behaviour_counts.items()))
    parts.append(styled(f"  Behaviours seen: {counts or 'none'}", "dim"))
    parts += ["", heading("Compared with your earlier rehearsals of this scenario")]
    earlier = summary.earlier
    if earlier is None:
        parts.append(plain("This is your first rehearsal of this scenario: next time you will see the change."))
    else:
        parts.append(plain(f"{plural(earlier.count, 'earlier rehearsal')}; best earlier overall: "
                           f"{_fmt(earlier.best_overall)}."))
        arrows = {"better": "▲ better", "worse": "▼ lower", "same": "= same", None: ""}
        for change in earlier.changes:
            parts.append(plain(f"  {change.name}: {_change_value(change.name, change.before)} → "
                               f"{_change_value(change.name, change.now)} {arrows[change.direction]}".rstrip()))
        # A run that stopped early covers fewer lines: the arrows compare unlike with unlike, so say so.
        caveats = []
        if earlier.previous_early:
            caveats.append(f"the last one stopped early after {plural(earlier.previous_lines, 'line')}")
        if early:
            caveats.append(f"this run {early}")
        if caveats:
            parts.append(styled(f"  ({'; '.join(caveats)}: fewer lines, so read the change with care)",
                                "italic $warning"))
    return lines(parts)


class SoloSummaryScreen(RoleplayScreen):
    """The summary of one rehearsal."""

    CSS_PATH = "solo.tcss"

    BINDINGS = [
        Binding("h", "history", "Progress chart"),
        Binding("escape,enter", "home", "Done"),
    ]

    def __init__(self, solo: SoloRehearsal) -> None:
        """Summarise ``solo`` (its round has ended)."""
        super().__init__()
        self.solo = solo
        self.summary: SoloSummary | None = None

    def compose_body(self) -> ComposeResult:
        """The summary text and the buttons."""
        with VerticalScroll(id="solo-summary"):
            yield Static("Adding up your rehearsal…", id="solo-summary-text")
        with Horizontal(classes="button-row"):
            yield Button("See your progress (h)", id="solo-history", compact=True)
            yield Button("Done (enter)", id="solo-done", variant="primary", compact=True)

    def on_mount(self) -> None:
        """Close the rehearsal and build the summary."""
        if self.solo.phase != Phase.finished:
            self.rp.act(self.solo.finish)
        self.query_one("#solo-summary").focus()
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        """Build the summary (it reads earlier rehearsals) off the UI thread."""
        summary = await asyncio.to_thread(self.solo.summary)
        self.summary = summary
        stopped = stopped_after(self.solo.scenario, self.solo.round)
        self.query_one("#solo-summary-text", Static).update(
            summary_content(summary, self.solo.scenario.title, stopped))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the keys."""
        event.stop()
        (self.action_history if event.button.id == "solo-history" else self.action_home)()

    def action_home(self) -> None:
        """Back to home."""
        self.rp.back_home()

    def action_history(self) -> None:
        """The history screen for this person, charts included."""
        from roleplay.tui.screens.history import HistoryScreen

        self.rp.goto(HistoryScreen(person=self.solo.name))
