"""The plain Markdown record of a session, and each person's results as listener side by side.

Every name, note, response and content text is made inert Markdown (:mod:`roleplay.markdown_safe`):
rendered it reads exactly as typed, and no markup, link or HTML in it takes effect. Responses and notes
are quoted blocks; table cells cannot be broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from roleplay.content.names import criterion_name, level_label, move_label, tally_name
from roleplay.content.rubric import Rubric
from roleplay.markdown_safe import md, md_cell, md_code, md_quote
from roleplay.session.debrief import Debrief, build_debrief
from roleplay.session.plan import describe, session_title
from roleplay.session.scoring import RoundScores

if TYPE_CHECKING:
    from roleplay.session.engine import PracticeSession


@dataclass(frozen=True, slots=True)
class ListenerResult:
    """One person's results from the round in which they were the listener."""

    name: str
    round_number: int
    played: bool
    """False when the round was never started."""
    scores: RoundScores | None


def listener_results(session: PracticeSession) -> list[ListenerResult]:
    """Each round's listener with their scores, in round order (for the side-by-side summary)."""
    results = []
    for round_state in session.rounds:
        played = round_state.started
        scenario = session.scenario_for(round_state.number)
        scores = build_debrief(session.rubric, scenario, round_state).scores if played else None
        results.append(ListenerResult(round_state.roles.listener, round_state.number, played, scores))
    return results


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def _rated(rubric: Rubric, criterion_id: str, value: int) -> str:
    label = level_label(rubric, value)
    return f"{md(criterion_name(rubric, criterion_id))} {value}" + (f" ({md(label)})" if label else "")


def _debrief_lines(debrief: Debrief) -> list[str]:
    lines = ["#### Debrief", ""]
    if debrief.ended_early:
        lines += ["The round was stopped before the end of the script.", ""]
    lines.append("What went well:")
    lines += [f"- {md(p.text)}" for p in debrief.strengths] or ["- (no ratings above the lowest level)"]
    lines += ["", "To try next time:"]
    lines += [f"- {md(p.text)}" for p in debrief.growth] or ["- (nothing singled out)"]
    lines += ["", "| Criterion | Score | Ratings |", "|---|---|---|"]
    lines += [f"| {md_cell(c.name)} | {_fmt(c.mean)}{' ' + c.band_text if c.band_text else ''} | {c.count} |"
              for c in debrief.criteria]
    lines += ["", f"Overall (weighted): {_fmt(debrief.scores.overall)}", ""]
    for metric in debrief.scores.metrics:
        band = f" ({metric.band})" if metric.band else ""
        lines.append(f"- {md(metric.name)}: {md(metric.text)}{band} ({metric.numerator}/{metric.denominator})")
    if debrief.agreement is not None and debrief.agreement.items:
        a = debrief.agreement
        lines += ["", f"Observer agreement ({md_cell(a.rater_a)} and {md_cell(a.rater_b)}, {a.items} items): "
                  f"{a.exact_percent:.0f}% exact, {a.within_one_percent:.0f}% within one level, "
                  f"mean difference {a.mean_abs_diff:.2f}."]
    lines.append("")
    return lines


def _round_lines(session: PracticeSession, number: int) -> list[str]:
    round_state = session.rounds[number - 1]
    roles = round_state.roles
    lines = [f"## Round {number}: {md(roles.listener)} listening", ""]
    if session.varied:
        lines += [f"Scenario: {md(session.play_for(number).label)}", ""]
    if not round_state.started:
        return [*lines, "Not played.", ""]
    rater_names = md(", ".join(roles.raters))
    lines += [f"Speaker: {md(roles.speaker)}. Rated by: {rater_names}.", "", "### Transcript", ""]
    rubric = session.rubric
    debrief = build_debrief(rubric, session.scenario_for(number), round_state)
    for turn in debrief.turns:
        lines += [f"**Turn {turn.index + 1}** ({md_code(turn.turn_id)}), speaker:", "", md_quote(turn.line), ""]
        if turn.response is not None:
            lines += [f"{md(roles.listener)} (listener):", "", md_quote(turn.response), ""]
        if turn.move:
            lines.append(f"- Marked as: {move_label(turn.move)}")
        for rater, given in turn.ratings.items():
            pairs = ", ".join(_rated(rubric, cid, value) for cid, value in given.items())
            lines.append(f"- {md(rater)} rated: {pairs}")
        if turn.tallies:
            lines.append("- Counts: " + ", ".join(f"{md(tally_name(rubric, k))} {v}" for k, v in turn.tallies.items()))
        for note in turn.notes:
            about = f" on {md(criterion_name(rubric, note.criterion_id))}" if note.criterion_id else ""
            lines += [f"- Note from {md(note.rater)}{about}:", "", md_quote(note.text)]
        lines.append("")
    per_round = [n for n in debrief.notes if n.turn_index is None]
    for note in per_round:
        about = md(criterion_name(rubric, note.criterion_id)) if note.criterion_id else "the round"
        lines += [f"Note from {md(note.rater)} on {about}:", "", md_quote(note.text), ""]
    return lines + _debrief_lines(debrief)


def _scenario_lines(session: PracticeSession) -> list[str]:
    if not session.varied:
        return [f"- Scenario: {md(session.config.scenario.title)} ({md_code(session.config.scenario.id)})"]
    return ["- Scenarios:"] + [f"  - {md(line)} ({md_code(play.scenario.id)})"
                               for line, play in zip(describe(session.plays), session.plays, strict=True)]


def session_markdown(session: PracticeSession) -> str:
    """The whole session as Markdown: set-up, roles per round, transcripts, ratings, debriefs, summary."""
    config = session.config
    lines = [
        f"# Practice session: {md(session_title(session.plays))}",
        "",
        f"- Date: {_when(session.created_at)}",
        f"- People: {md(', '.join(session.order))}",
        f"- Kind: {config.kind}; listener mode: {config.mode}; {config.minutes} minutes per round",
        *_scenario_lines(session),
        f"- Rubric: {md(session.rubric.title)} ({md_code(session.rubric.id)})",
        f"- Comfort agreement: {md_code(config.agreement_id)}"
        + (" (acknowledged)" if session.agreement_acknowledged else ""),
        "",
        "## Roles",
        "",
        "| Round | Speaker | Listener | Observers |",
        "|---|---|---|---|",
    ]
    for r in session.rounds:
        observers = ", ".join(r.roles.observers) or "–"
        cells = (md_cell(r.roles.speaker), md_cell(r.roles.listener), md_cell(observers))
        lines.append(f"| {r.number} | " + " | ".join(cells) + " |")
    lines.append("")
    for r in session.rounds:
        lines += _round_lines(session, r.number)
    results = [res for res in listener_results(session) if res.scores is not None]
    if results:
        lines += ["## Results as listener", ""]
        lines.append("| Criterion | " + " | ".join(md_cell(res.name) for res in results) + " |")
        lines.append("|---" * (len(results) + 1) + "|")
        for i, criterion in enumerate(session.rubric.criteria):
            cells = [_fmt(res.scores.criteria[i].mean) for res in results if res.scores]
            lines.append(f"| {md_cell(criterion.name)} | " + " | ".join(cells) + " |")
        lines.append("| **Overall** | " + " | ".join(_fmt(res.scores.overall) for res in results if res.scores) + " |")
        for j, metric in enumerate(session.rubric.metrics):
            cells = [res.scores.metrics[j].text for res in results if res.scores]
            lines.append(f"| {md_cell(metric.name)} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
