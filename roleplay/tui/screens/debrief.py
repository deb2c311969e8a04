"""The debrief after each round (strengths first, then growth areas, scores, per-turn detail, notes,
observer agreement), then a short step out of role before the next round or the summary."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from roleplay.content.names import count_of
from roleplay.session.compare import round_comparison
from roleplay.session.debrief import Debrief, ObserverNote, round_debrief
from roleplay.session.state import ListenerMode
from roleplay.tui.base import RoleplayScreen
from roleplay.tui.text import heading, lines, plain, styled
from roleplay.tui.widgets.auto_view import comparison_content


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def debrief_content(debrief: Debrief, tally_names: Mapping[str, str] | None = None, *,
                    show_scenario: bool = False) -> Content:
    """The whole debrief as text; everything typed by people is plain text.

    ``tally_names`` maps tally ids to the names shown (the rubric's); ids are used without it. With
    ``show_scenario`` (rounds that play different scenarios) it says what this round played.
    """
    names = dict(tally_names or {})
    parts: list[Content | str] = [
        heading(f"Round {debrief.round_number}: {debrief.listener} listened to {debrief.speaker}"),
    ]
    if show_scenario and debrief.scenario_title:
        parts.append(plain(f"Scenario: {debrief.scenario_title}"))
    if debrief.ended_early:
        parts.append(styled("The round was stopped early; that is fine, it is all kept.", "italic"))
    parts += ["", heading("What went well")]
    rated = any(c.count for c in debrief.scores.criteria)
    parts += [plain(f"✓ {p.text}") for p in debrief.strengths] or [plain(
        "No rating reached the upper half of the scale yet: talk together about what felt good." if rated
        else "Nothing was rated this round: talk together about what felt good.")]
    parts += ["", heading("Something to try next time")]
    parts += [plain(f"→ {p.text}") for p in debrief.growth] or [plain("Nothing singled out this round.")]
    parts += ["", heading("Scores")]
    width = max((len(c.name) for c in debrief.scores.criteria), default=10)
    for score in debrief.scores.criteria:
        count = f"{score.count} rating{'s' * (score.count != 1)}"
        band = f"  {score.band_text}" if score.band_text else ""
        parts.append(plain(f"  {score.name.ljust(width)}  {_fmt(score.mean):>5}  ({count}){band}"))
    parts.append(plain(f"  {'Overall (weighted)'.ljust(width)}  {_fmt(debrief.scores.overall):>5}"))
    counted = {tid: n for tid, n in debrief.scores.tallies.items() if n}
    if debrief.scores.tallies:
        parts += ["", heading("Behaviour counts")]
        shown = [f"{names.get(tid, tid.replace('_', ' '))} {n}" for tid, n in counted.items()]
        parts.append(plain("  " + (", ".join(shown) or "Nothing was counted this round.")))
    for metric in debrief.scores.metrics:
        unit = "%" if metric.kind == "percent" else ":1"
        band = {"good": "good", "fair": "fair", "below": "below fair"}.get(metric.band or "", "")
        limits = (f"; fair from {metric.thresholds.fair:g}{unit}, good from {metric.thresholds.good:g}{unit}"
                  if metric.thresholds else "")
        value = metric.plain
        parts.append(plain(f"  {metric.name}: {value}" + (f" ({band}{limits})" if band else
                                                           (f" ({limits[2:]})" if limits else ""))))
    if debrief.agreement is not None:
        a = debrief.agreement
        parts += ["", heading("Agreement between the two observers")]
        if a.items:
            parts.append(plain(f"{a.rater_a} and {a.rater_b} both rated {count_of(a.items, 'item')}: "
                               f"{a.exact_percent:.0f}% the same, {a.within_one_percent:.0f}% within one "
                               f"level, mean difference {a.mean_abs_diff:.2f}."))
        else:
            parts.append(plain("The two observers did not rate the same items, so there is nothing to compare."))
    parts += ["", heading("Turn by turn")]
    criterion_names = {c.criterion_id: c.name for c in debrief.scores.criteria}
    for turn in debrief.turns:
        parts.append(styled(f"Turn {turn.index + 1}: “{turn.line}”", "bold"))
        if turn.response:
            parts.append(plain(f"  {debrief.listener}: {turn.response}"))
        if turn.move:
            parts.append(styled(f"  marked as: {turn.move.replace('_', ' ')}", "dim"))
        for rater, given in turn.ratings.items():
            levels = ", ".join(f"{criterion_names.get(cid, cid)} {v}" for cid, v in given.items())
            parts.append(plain(f"  {rater}: {levels}"))
    notes = debrief.notes
    parts += ["", heading("Observer notes")]
    parts += [plain(f"  {n.rater} ({_note_place(n, criterion_names)}): {n.text}")
              for n in notes] or [plain("  No notes this round.")]
    return lines(parts)


def _note_place(note: ObserverNote, criterion_names: dict[str, str]) -> str:
    """What a note is about, as the debrief names it: a turn, a per-round rating, or the whole round."""
    if note.turn_index is not None:
        return f"turn {note.turn_index + 1}"
    if note.criterion_id is not None:
        return f"on {criterion_names.get(note.criterion_id, note.criterion_id)}"
    return "whole round"


class _AfterRound(RoleplayScreen):
    """A step after round ``round_number`` (1-based): its debrief, then stepping out of role."""

    CSS_PATH = "flow.tcss"

    def __init__(self, round_number: int) -> None:
        """After round ``round_number``."""
        super().__init__()
        self.round_number = round_number


class DebriefScreen(_AfterRound):
    """One round's debrief."""

    BINDINGS = [Binding("enter,c", "carry_on", "Step out of role"), Binding("escape", "app.back_home", "Home")]

    def compose_body(self) -> ComposeResult:
        """The debrief text and a button to go on."""
        session = self.rp.session
        assert session is not None
        with VerticalScroll(id="debrief"):
            names = {t.id: t.name for t in session.rubric.tallies}
            yield Static(debrief_content(round_debrief(session, self.round_number), names,
                                         show_scenario=session.varied), id="debrief-text")
            if session.config.mode == ListenerMode.typed:  # the automatic observer's second opinion
                yield Static(comparison_content(round_comparison(session, self.round_number)),
                             id="debrief-compare")
        with Horizontal(classes="button-row"):
            yield Button("Step out of role (enter)", id="carry-on", variant="primary")

    def on_mount(self) -> None:
        """Focus the text so arrows scroll it."""
        self.query_one("#debrief").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The button mirrors enter."""
        event.stop()
        self.action_carry_on()

    def action_carry_on(self) -> None:
        """Go to the de-roling step."""
        self.rp.goto(DeroleScreen(self.round_number))


class DeroleScreen(_AfterRound):
    """A short step out of role before the next round (or the summary)."""

    BINDINGS = [Binding("enter", "next", "Next")]

    def compose_body(self) -> ComposeResult:
        """A few plain steps out of role."""
        session = self.rp.session
        assert session is not None
        speaker = session.rounds[self.round_number - 1].roles.speaker
        persona = session.scenario.persona.name
        text = lines([
            heading("Stepping out of role"),
            "",
            plain(f"{speaker}: you have been playing {persona}. Say out loud: “I am not {persona}, "
                  f"I am {speaker}.”"),
            plain("Everyone: stand up or stretch, and name one thing you can see in the room."),
            plain("If anything in the story touched something personal, it is fine to say so now, "
                  "or to a tutor later."),
        ])
        with VerticalScroll(id="derole"):
            yield Static(text, id="derole-text")
        label = "Next round (enter)" if session.next_round is not None else "See the summary (enter)"
        with Horizontal(classes="button-row"):
            yield Button(label, id="next", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The button mirrors enter."""
        event.stop()
        self.action_next()

    def action_next(self) -> None:
        """Roles for the next round, or the session summary."""
        self.rp.route(debriefed=True)
