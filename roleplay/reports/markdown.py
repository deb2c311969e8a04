"""The Markdown report of one or more sessions: set-up, roles, transcripts with ratings, debriefs, results.

Text trainees typed is copied exactly inside block quotes; table cells are escaped so a response cannot
break a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.content.names import count_of, move_label
from roleplay.reports.common import DASH, duration, md, md_code, no_strengths, num, quote, rater_label, table, when
from roleplay.reports.record import RatingRecord, RoundRecord, ScenarioInfo, SessionRecord, TurnRecord

#: How a solo report names the automatic observer (rater id ``auto-observer``).
AUTO_NAME = "the automatic observer"


def _rating_text(r: RatingRecord) -> str:
    label = f" ({md(r.level_label)})" if r.level_label else ""
    return f"{md(r.criterion_name)} {r.value}{label}"


def _ratings_lines(ratings: Sequence[RatingRecord], rnd: RoundRecord) -> list[str]:
    lines: list[str] = []
    by_rater: dict[str, list[RatingRecord]] = {}
    for r in ratings:
        by_rater.setdefault(r.rater, []).append(r)
    for rater, given in by_rater.items():
        who = rater_label(rater, rnd.listener, rnd.speaker)
        lines.append(f"- {md(who[:1].upper() + who[1:])} rated: " + "; ".join(_rating_text(r) for r in given))
        for r in given:
            if r.note:
                lines += [f"- Note from {md(who)} on {md(r.criterion_name)}:", "", quote(r.note), ""]
    return lines


def _turn_lines(record: SessionRecord, rnd: RoundRecord, turn: TurnRecord) -> list[str]:
    lines = [f"**Turn {turn.index + 1}** ({md_code(turn.turn_id)}), {md(rnd.scenario.persona)} (speaker):", "",
             quote(turn.line), ""]
    if turn.response is not None:
        lines += [f"{md(rnd.listener)} (listener):", "", quote(turn.response), ""]
    if turn.move:
        lines.append(f"- Marked as: {move_label(turn.move)}")
    lines += _ratings_lines(turn.ratings, rnd)
    if turn.tallies:
        counts: dict[str, list[str]] = {}
        for t in turn.tallies:
            counts.setdefault(t.rater, []).append(f"{md(t.name)} {t.count}")
        lines += [f"- {md(rater)} counted: " + ", ".join(items) for rater, items in counts.items()]
    for note in turn.notes:
        lines += [f"- Note from {md(note.rater)}:", "", quote(note.text), ""]
    if lines[-1]:
        lines.append("")
    return lines


def _debrief_lines(record: SessionRecord, rnd: RoundRecord) -> list[str]:
    lines = ["### Scores and debrief", ""]
    if record.kind == "solo":
        lines += [f"Scores, strengths and growth areas are {AUTO_NAME}'s ratings (the observer in solo "
                  f"rehearsal); {md(rnd.listener)}'s own ratings are in the transcript.", ""]
    if rnd.ended_early:
        lines += ["The round was stopped before the end of the script.", ""]
    top = record.rubric.scale_max
    lines += table(["Criterion", f"Mean (of {top})", "Ratings"],
                   [[c.name, num(c.mean) + (f" ({c.band})" if c.band else ""), str(c.count)] for c in rnd.criteria])
    lines += ["", f"Overall (weighted): {num(rnd.overall)}", ""]
    for m in rnd.metrics:
        band = f", {m.band}" if m.band else ""
        lines.append(f"- {md(m.name)}: {md(m.text)} ({m.numerator}/{m.denominator}{band})")
    if rnd.metrics:
        lines.append("")
    lines.append("What went well:")
    lines += [f"- {md(text)}" for text in rnd.strengths] or [f"- ({no_strengths(rnd.criteria)})"]
    lines += ["", "To try next time:"]
    lines += [f"- {md(text)}" for text in rnd.growth] or ["- (nothing singled out)"]
    a = rnd.agreement
    if a is not None and a.items:
        lines += ["", f"Observer agreement ({md(a.rater_a)} and {md(a.rater_b)}, {count_of(a.items, 'item')}): "
                  f"{num(a.exact_percent, 0)}% exact, {num(a.within_one_percent, 0)}% within one level, "
                  f"mean difference {num(a.mean_abs_diff)}."]
    lines.append("")
    return lines


def _round_lines(record: SessionRecord, rnd: RoundRecord) -> list[str]:
    lines = [f"## Round {rnd.number}: {md(rnd.listener)} listening", ""]
    if record.varied:
        lines += [f"Scenario: {md(rnd.scenario_label)} ({md_code(rnd.scenario.id)})", ""]
    if not rnd.played:
        return [*lines, "Not played.", ""]
    played = None
    if rnd.started_at is not None and rnd.ended_at is not None:
        played = rnd.ended_at - rnd.started_at - rnd.paused_seconds
    lines += [f"Speaker: {md(rnd.speaker)}. Rated by: {md(', '.join(rnd.raters))}. Started {when(rnd.started_at)}, "
              f"time in play {duration(played)}.", "", "### Transcript", ""]
    for turn in rnd.turns:
        lines += _turn_lines(record, rnd, turn)
    if rnd.round_ratings:
        lines += ["### Ratings for the whole round", "", *_ratings_lines(rnd.round_ratings, rnd)]
        if lines[-1]:
            lines.append("")
    if rnd.round_notes:
        lines += ["### Notes on the whole round", ""]
        for note in rnd.round_notes:
            lines += [f"- Note from {md(note.rater)}:", "", quote(note.text), ""]
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
        return f"({md_code(s.id)}), {md(s.difficulty)}" + (f"; tags: {md(', '.join(s.tags))}" if s.tags else "")

    if not record.varied:
        return [f"- Scenario: {md(record.scenario.title)} {about(record.scenario)}"]
    return ["- Scenarios:", *[f"  - Round {r.number}: {md(r.scenario_label)} {about(r.scenario)}"
                              for r in record.rounds]]


def session_markdown(record: SessionRecord) -> str:
    """One session as a Markdown document."""
    s = record.scenario
    ack = " (acknowledged)" if record.agreement_acknowledged else " (not acknowledged)"
    lines = [
        f"# Practice session: {md(record.title)}",
        "",
        f"- Session: {md_code(record.id)} ({record.status})",
        f"- Date: {when(record.created_at)}" + (f", finished {when(record.finished_at)}" if record.finished_at
                                                 else ""),
        f"- People: {md(', '.join(record.people))}",
        f"- Kind: {record.kind}; listener mode: {record.mode}; {record.minutes} minutes per round",
        *_scenario_lines(record),
        f"- Rubric: {md(record.rubric.title)} ({md_code(record.rubric.id)}), scale "
        + ", ".join(f"{lv.value} {md(lv.label)}" for lv in record.rubric.scale),
        f"- Comfort agreement: {md_code(record.agreement_id)}{ack}",
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

