"""The plain Markdown record of a session, and each person's results as listener side by side.

Text people typed is copied exactly; only table cells are escaped (``|`` and line breaks) so a response
cannot break a table. Responses and notes are quoted blocks so markup in them stays text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from roleplay.content.names import criterion_name, level_label, move_label, tally_name
from roleplay.content.rubric import Rubric
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


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def _rated(rubric: Rubric, criterion_id: str, value: int) -> str:
    label = level_label(rubric, value)
    return f"{criterion_name(rubric, criterion_id)} {value}" + (f" ({label})" if label else "")


def _debrief_lines(debrief: Debrief) -> list[str]:
    lines = ["#### Debrief", ""]
    if debrief.ended_early:
        lines += ["The round was stopped before the end of the script.", ""]
    lines.append("What went well:")
    lines += [f"- {p.text}" for p in debrief.strengths] or ["- (no ratings above the lowest level)"]
    lines += ["", "To try next time:"]
    lines += [f"- {p.text}" for p in debrief.growth] or ["- (nothing singled out)"]
    lines += ["", "| Criterion | Score | Ratings |", "|---|---|---|"]
    lines += [f"| {_cell(c.name)} | {_fmt(c.mean)}{' ' + c.band_text if c.band_text else ''} | {c.count} |"
              for c in debrief.criteria]
    lines += ["", f"Overall (weighted): {_fmt(debrief.scores.overall)}", ""]
    for metric in debrief.scores.metrics:
        band = f" ({metric.band})" if metric.band else ""
        lines.append(f"- {metric.name}: {metric.text}{band} ({metric.numerator}/{metric.denominator})")
    if debrief.agreement is not None and debrief.agreement.items:
        a = debrief.agreement
        lines += ["", f"Observer agreement ({_cell(a.rater_a)} and {_cell(a.rater_b)}, {a.items} items): "
                  f"{a.exact_percent:.0f}% exact, {a.within_one_percent:.0f}% within one level, "
                  f"mean difference {a.mean_abs_diff:.2f}."]
    lines.append("")
    return lines


def _round_lines(session: PracticeSession, number: int) -> list[str]:
    round_state = session.rounds[number - 1]
    roles = round_state.roles
    lines = [f"## Round {number}: {roles.listener} listening", ""]
    if session.varied:
        lines += [f"Scenario: {session.play_for(number).label}", ""]
    if not round_state.started:
        return [*lines, "Not played.", ""]
    rater_names = ", ".join(roles.raters)
    lines += [f"Speaker: {roles.speaker}. Rated by: {rater_names}.", "", "### Transcript", ""]
    rubric = session.rubric
    debrief = build_debrief(rubric, session.scenario_for(number), round_state)
    for turn in debrief.turns:
        lines += [f"**Turn {turn.index + 1}** (`{turn.turn_id}`), speaker:", "", _quote(turn.line), ""]
        if turn.response is not None:
            lines += [f"{roles.listener} (listener):", "", _quote(turn.response), ""]
        if turn.move:
            lines.append(f"- Marked as: {move_label(turn.move)}")
        for rater, given in turn.ratings.items():
            pairs = ", ".join(_rated(rubric, cid, value) for cid, value in given.items())
            lines.append(f"- {rater} rated: {pairs}")
        if turn.tallies:
            lines.append("- Counts: " + ", ".join(f"{tally_name(rubric, k)} {v}" for k, v in turn.tallies.items()))
        for note in turn.notes:
            about = f" on {criterion_name(rubric, note.criterion_id)}" if note.criterion_id else ""
            lines += [f"- Note from {note.rater}{about}:", "", _quote(note.text)]
        lines.append("")
    per_round = [n for n in debrief.notes if n.turn_index is None]
    for note in per_round:
        about = criterion_name(rubric, note.criterion_id) if note.criterion_id else "the round"
        lines += [f"Note from {note.rater} on {about}:", "", _quote(note.text), ""]
    return lines + _debrief_lines(debrief)


def _scenario_lines(session: PracticeSession) -> list[str]:
    if not session.varied:
        return [f"- Scenario: {session.config.scenario.title} (`{session.config.scenario.id}`)"]
    return ["- Scenarios:"] + [f"  - {line} (`{play.scenario.id}`)"
                               for line, play in zip(describe(session.plays), session.plays, strict=True)]


def session_markdown(session: PracticeSession) -> str:
    """The whole session as Markdown: set-up, roles per round, transcripts, ratings, debriefs, summary."""
    config = session.config
    lines = [
        f"# Practice session: {session_title(session.plays)}",
        "",
        f"- Date: {_when(session.created_at)}",
        f"- People: {', '.join(session.order)}",
        f"- Kind: {config.kind}; listener mode: {config.mode}; {config.minutes} minutes per round",
        *_scenario_lines(session),
        f"- Rubric: {session.rubric.title} (`{session.rubric.id}`)",
        f"- Comfort agreement: `{config.agreement_id}`"
        + (" (acknowledged)" if session.agreement_acknowledged else ""),
        "",
        "## Roles",
        "",
        "| Round | Speaker | Listener | Observers |",
        "|---|---|---|---|",
    ]
    for r in session.rounds:
        observers = ", ".join(r.roles.observers) or "–"
        lines.append(f"| {r.number} | {_cell(r.roles.speaker)} | {_cell(r.roles.listener)} | {_cell(observers)} |")
    lines.append("")
    for r in session.rounds:
        lines += _round_lines(session, r.number)
    results = [res for res in listener_results(session) if res.scores is not None]
    if results:
        lines += ["## Results as listener", ""]
        lines.append("| Criterion | " + " | ".join(_cell(res.name) for res in results) + " |")
        lines.append("|---" * (len(results) + 1) + "|")
        for i, criterion in enumerate(session.rubric.criteria):
            cells = [_fmt(res.scores.criteria[i].mean) for res in results if res.scores]
            lines.append(f"| {_cell(criterion.name)} | " + " | ".join(cells) + " |")
        lines.append("| **Overall** | " + " | ".join(_fmt(res.scores.overall) for res in results if res.scores) + " |")
        for j, metric in enumerate(session.rubric.metrics):
            cells = [res.scores.metrics[j].text for res in results if res.scores]
            lines.append(f"| {_cell(metric.name)} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
