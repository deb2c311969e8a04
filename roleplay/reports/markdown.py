"""The Markdown report of one or more sessions: set-up, roles, transcripts with ratings, debriefs, results.

Text trainees typed is copied exactly inside block quotes; table cells are escaped so a response cannot
break a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.content.names import move_label
from roleplay.reports.common import DASH, duration, num, quote, table, when
from roleplay.reports.record import RatingRecord, RoundRecord, ScenarioInfo, SessionRecord, TurnRecord
from roleplay.session.roles import AUTO_RATER

#: How a solo report names the automatic observer (rater id ``auto-observer``).
AUTO_NAME = "the automatic observer"


def _rating_text(r: RatingRecord) -> str:
    label = f" ({r.level_label})" if r.level_label else ""
    return f"{r.criterion_name} {r.value}{label}"


def _ratings_lines(ratings: Sequence[RatingRecord]) -> list[str]:
    lines: list[str] = []
    by_rater: dict[str, list[RatingRecord]] = {}
    for r in ratings:
        by_rater.setdefault(r.rater, []).append(r)
    for rater, given in by_rater.items():
        rater = AUTO_NAME if rater == AUTO_RATER else rater
        lines.append(f"- {rater[:1].upper()}{rater[1:]} rated: " + "; ".join(_rating_text(r) for r in given))
        for r in given:
            if r.note:
                lines += [f"- Note from {rater} on {r.criterion_name}:", "", quote(r.note), ""]
    return lines


def _turn_lines(record: SessionRecord, rnd: RoundRecord, turn: TurnRecord) -> list[str]:
    lines = [f"**Turn {turn.index + 1}** (`{turn.turn_id}`), {rnd.scenario.persona} (speaker):", "",
             quote(turn.line), ""]
    if turn.response is not None:
        lines += [f"{rnd.listener} (listener):", "", quote(turn.response), ""]
    if turn.move:
        lines.append(f"- Marked as: {move_label(turn.move)}")
    lines += _ratings_lines(turn.ratings)
    if turn.tallies:
        counts: dict[str, list[str]] = {}
        for t in turn.tallies:
            counts.setdefault(t.rater, []).append(f"{t.name} {t.count}")
        lines += [f"- {rater} counted: " + ", ".join(items) for rater, items in counts.items()]
    for note in turn.notes:
        lines += [f"- Note from {note.rater}:", "", quote(note.text), ""]
    if lines[-1]:
        lines.append("")
    return lines


def _debrief_lines(record: SessionRecord, rnd: RoundRecord) -> list[str]:
    lines = ["### Scores and debrief", ""]
    if record.kind == "solo":
        lines += [f"Scores, strengths and growth areas are {AUTO_NAME}'s ratings (the observer in solo "
                  f"rehearsal); {rnd.listener}'s own ratings are in the transcript.", ""]
    if rnd.ended_early:
        lines += ["The round was stopped before the end of the script.", ""]
    top = record.rubric.scale_max
    lines += table(["Criterion", f"Mean (of {top})", "Ratings"],
                   [[c.name, num(c.mean) + (f" ({c.band})" if c.band else ""), str(c.count)] for c in rnd.criteria])
    lines += ["", f"Overall (weighted): {num(rnd.overall)}", ""]
    for m in rnd.metrics:
        band = f", {m.band}" if m.band else ""
        lines.append(f"- {m.name}: {m.text} ({m.numerator}/{m.denominator}{band})")
    if rnd.metrics:
        lines.append("")
    lines.append("What went well:")
    lines += [f"- {text}" for text in rnd.strengths] or ["- (no rating above the lowest level yet)"]
    lines += ["", "To try next time:"]
    lines += [f"- {text}" for text in rnd.growth] or ["- (nothing singled out)"]
    a = rnd.agreement
    if a is not None and a.items:
        lines += ["", f"Observer agreement ({a.rater_a} and {a.rater_b}, {a.items} items): "
                  f"{num(a.exact_percent, 0)}% exact, {num(a.within_one_percent, 0)}% within one level, "
                  f"mean difference {num(a.mean_abs_diff)}."]
    lines.append("")
    return lines


def _round_lines(record: SessionRecord, rnd: RoundRecord) -> list[str]:
    lines = [f"## Round {rnd.number}: {rnd.listener} listening", ""]
    if record.varied:
        lines += [f"Scenario: {rnd.scenario_label} (`{rnd.scenario.id}`)", ""]
    if not rnd.played:
        return [*lines, "Not played.", ""]
    played = None
    if rnd.started_at is not None and rnd.ended_at is not None:
        played = rnd.ended_at - rnd.started_at - rnd.paused_seconds
    lines += [f"Speaker: {rnd.speaker}. Rated by: {', '.join(rnd.raters)}. Started {when(rnd.started_at)}, "
              f"time in play {duration(played)}.", "", "### Transcript", ""]
    for turn in rnd.turns:
        lines += _turn_lines(record, rnd, turn)
    if rnd.round_ratings:
        lines += ["### Ratings for the whole round", "", *_ratings_lines(rnd.round_ratings)]
        if lines[-1]:
            lines.append("")
    return lines + _debrief_lines(record, rnd)


def _results_lines(record: SessionRecord) -> list[str]:
    played = [r for r in record.rounds if r.played]
    if not played:
        return []
    rows = [[c.name, *[num(r.criteria[i].mean) for r in played]] for i, c in enumerate(record.rubric.criteria)]
    rows.append(["Overall", *[num(r.overall) for r in played]])
    for j, metric in enumerate(played[0].metrics):
        rows.append([metric.name, *[r.metrics[j].text for r in played]])
    return ["## Results as listener", "", *table(["Criterion", *[r.listener for r in played]], rows), ""]


def _scenario_lines(record: SessionRecord) -> list[str]:
    def about(s: ScenarioInfo) -> str:
        return f"(`{s.id}`), {s.difficulty}" + (f"; tags: {', '.join(s.tags)}" if s.tags else "")

    if not record.varied:
        return [f"- Scenario: {record.scenario.title} {about(record.scenario)}"]
    return ["- Scenarios:", *[f"  - Round {r.number}: {r.scenario_label} {about(r.scenario)}" for r in record.rounds]]


def session_markdown(record: SessionRecord) -> str:
    """One session as a Markdown document."""
    s = record.scenario
    ack = " (acknowledged)" if record.agreement_acknowledged else " (not acknowledged)"
    lines = [
        f"# Practice session: {record.title}",
        "",
        f"- Session: `{record.id}` ({record.status})",
        f"- Date: {when(record.created_at)}" + (f", finished {when(record.finished_at)}" if record.finished_at
                                                 else ""),
        f"- People: {', '.join(record.people)}",
        f"- Kind: {record.kind}; listener mode: {record.mode}; {record.minutes} minutes per round",
        *_scenario_lines(record),
        f"- Rubric: {record.rubric.title} (`{record.rubric.id}`), scale "
        + ", ".join(f"{lv.value} {lv.label}" for lv in record.rubric.scale),
        f"- Comfort agreement: `{record.agreement_id}`{ack}",
        "",
        quote(s.summary),
        "",
        "## Roles",
        "",
        *table(["Round", "Speaker", "Listener", "Observers", "Rated by"],
               [[str(r.number), r.speaker, r.listener, ", ".join(r.observers) or DASH, ", ".join(r.raters)]
                for r in record.rounds]),
        "",
    ]
    for rnd in record.rounds:
        lines += _round_lines(record, rnd)
    lines += _results_lines(record)
    return "\n".join(lines).rstrip("\n") + "\n"


def sessions_markdown(records: Sequence[SessionRecord]) -> str:
    """Several sessions as one Markdown document, separated by rules."""
    return "\n---\n\n".join(session_markdown(r) for r in records)

