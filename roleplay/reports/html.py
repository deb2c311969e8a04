"""The self-contained HTML report: one file, no network, inline CSS, charts as inline SVG, prints cleanly.

Nothing is fetched: there is no script, no external stylesheet, font or image. Every piece of text is
escaped, so a response containing markup shows as typed. :func:`page` and :func:`bar_chart` are shared
with the class report.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.content.names import count_of, move_label
from roleplay.markdown_safe import html_text as escape
from roleplay.reports.common import DASH, duration, no_strengths, num, rater_label, when
from roleplay.reports.record import RatingRecord, RoundRecord, ScenarioInfo, SessionRecord, TurnRecord

CSS = """
:root { --ink: #1d2330; --muted: #5b6473; --line: #d5d9e0; --accent: #2f6f9f; --soft: #eef3f8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem;
     margin-top: 2rem; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); } td.n { text-align: right; font-variant-numeric: tabular-nums; }
blockquote { margin: .3rem 0 .6rem; padding: .3rem .8rem; border-left: 4px solid var(--line);
             background: #fafbfc; white-space: pre-wrap; }
blockquote.said { border-left-color: var(--accent); }
.meta { color: var(--muted); } .turn { margin: .8rem 0; } .small { font-size: .9rem; color: var(--muted); }
ul.ratings { margin: .2rem 0 .4rem; }
svg { max-width: 100%; height: auto; } svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
section.session + section.session { border-top: 3px double var(--line); margin-top: 2.5rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; color: #000; }
  h2 { break-after: avoid; } .turn, table, svg, blockquote { break-inside: avoid; }
  section.session + section.session { break-before: page; border: 0; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg rect.bar { fill: #555 !important; }
}
"""


def page(title: str, body: str) -> str:
    """A complete HTML document with the inline stylesheet."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def bar_chart(items: Sequence[tuple[str, float | None]], low: float, high: float, title: str) -> str:
    """A horizontal bar chart as inline SVG: one bar per ``(label, value)`` on a ``low``-``high`` axis."""
    label_w, bar_w, row_h = 200, 320, 22
    height = row_h * len(items) + 28
    parts = [f'<svg viewBox="0 0 {label_w + bar_w + 60} {height}" '
             f'width="{label_w + bar_w + 60}" height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    span = (high - low) or 1.0
    for step in range(int(low), int(high) + 1):  # gridlines at each scale value
        x = label_w + bar_w * (step - low) / span
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 20}" stroke="#d5d9e0"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{step}</text>')
    for i, (name, value) in enumerate(items):
        y = 6 + i * row_h
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 13}">not rated</text>')
            continue
        width = max(1.0, bar_w * (min(max(value, low), high) - low) / span)
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row_h - 7}" '
                     'fill="#2f6f9f"/>')
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 13}">{value:.2f}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """An HTML table (no header row when ``header`` is empty); cells escaped; ``numeric`` columns right-aligned."""
    head = "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>\n" if header else ""
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>\n"
        for row in rows
    )
    return f"<table>\n{head}<tbody>\n{body}</tbody>\n</table>"


def _block(text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<blockquote{cls}>{escape(text)}</blockquote>"


def _ratings(ratings: Sequence[RatingRecord], rnd: RoundRecord) -> str:
    if not ratings:
        return ""
    items = []
    for r in ratings:
        label = f" ({escape(r.level_label)})" if r.level_label else ""
        note = _block(r.note) if r.note else ""
        who = rater_label(r.rater, rnd.listener, rnd.speaker)
        items.append(f"<li>{escape(who[:1].upper() + who[1:])}: {escape(r.criterion_name)} "
                     f"<b>{r.value}</b>{label}{note}</li>")
    return '<ul class="ratings">' + "".join(items) + "</ul>"


def _turn(record: SessionRecord, rnd: RoundRecord, turn: TurnRecord) -> str:
    parts = [f'<div class="turn"><h4>Turn {turn.index + 1} <span class="small">({escape(turn.turn_id)})</span></h4>',
             f"<div>{escape(rnd.scenario.persona)} (speaker):</div>", _block(turn.line, "said")]
    if turn.response is not None:
        parts += [f"<div>{escape(rnd.listener)} (listener):</div>", _block(turn.response)]
    if turn.move:
        parts.append(f"<div class=\"small\">Marked as: {escape(move_label(turn.move))}</div>")
    parts.append(_ratings(turn.ratings, rnd))
    if turn.tallies:
        counts = ", ".join(f"{t.rater}: {t.name} {t.count}" for t in turn.tallies)
        parts.append(f'<div class="small">Counts: {escape(counts)}</div>')
    for note in turn.notes:
        parts += [f"<div>Note from {escape(note.rater)}:</div>", _block(note.text)]
    parts.append("</div>")
    return "\n".join(p for p in parts if p)


def _round(record: SessionRecord, rnd: RoundRecord) -> str:
    parts = [f"<h2>Round {rnd.number}: {escape(rnd.listener)} listening</h2>"]
    if record.varied:
        parts.append(f'<p class="meta">Scenario: {escape(rnd.scenario_label)} ({escape(rnd.scenario.id)})</p>')
    if not rnd.played:
        return "\n".join(parts) + "\n<p>Not played.</p>"
    played = None
    if rnd.started_at is not None and rnd.ended_at is not None:
        played = rnd.ended_at - rnd.started_at - rnd.paused_seconds
    parts.append(f'<p class="meta">Speaker: {escape(rnd.speaker)}. Rated by: {escape(", ".join(rnd.raters))}. '
                 f"Started {escape(when(rnd.started_at))}, time in play {duration(played)}.</p>")
    parts.append("<h3>Transcript</h3>")
    parts += [_turn(record, rnd, t) for t in rnd.turns]
    if rnd.round_ratings:
        parts += ["<h3>Ratings for the whole round</h3>", _ratings(rnd.round_ratings, rnd)]
    if rnd.round_notes:
        parts.append("<h3>Notes on the whole round</h3>")
        for note in rnd.round_notes:
            parts += [f"<div>Note from {escape(note.rater)}:</div>", _block(note.text)]
    parts.append("<h3>Scores and debrief</h3>")
    if rnd.ended_early:
        parts.append("<p>The round was stopped before the end of the script.</p>")
    rubric = record.rubric
    parts.append(bar_chart([(c.name, c.mean) for c in rnd.criteria], rubric.scale_min, rubric.scale_max,
                           f"Round {rnd.number}: mean rating per criterion"))
    parts.append(table(["Criterion", f"Mean (of {rubric.scale_max})", "Ratings"],
                       [[c.name, num(c.mean) + (f" ({c.band})" if c.band else ""), str(c.count)]
                        for c in rnd.criteria], numeric=(1, 2)))
    parts.append(f"<p>Overall (weighted): <b>{num(rnd.overall)}</b></p>")
    if rnd.metrics:
        parts.append(table(["Metric", "Value", "Counts", "Band"],
                           [[m.name, m.text, f"{m.numerator}/{m.denominator}", m.band or DASH] for m in rnd.metrics],
                           numeric=(1, 2)))
    strengths = ("".join(f"<li>{escape(t)}</li>" for t in rnd.strengths)
                 or f"<li>({no_strengths(rnd.criteria)})</li>")
    growth = "".join(f"<li>{escape(t)}</li>" for t in rnd.growth) or "<li>(nothing singled out)</li>"
    parts += [f"<p>What went well:</p><ul>{strengths}</ul>", f"<p>To try next time:</p><ul>{growth}</ul>"]
    a = rnd.agreement
    if a is not None and a.items:
        parts.append(f"<p>Observer agreement ({escape(a.rater_a)} and {escape(a.rater_b)}, "
                     f"{count_of(a.items, 'item')}): "
                     f"{num(a.exact_percent, 0)}% exact, {num(a.within_one_percent, 0)}% within one level, "
                     f"mean difference {num(a.mean_abs_diff)}.</p>")
    return "\n".join(parts)


def _scenario_meta(record: SessionRecord) -> list[tuple[str, str]]:
    def about(s: ScenarioInfo) -> str:
        return f"({s.id}), {s.difficulty}" + (f"; tags: {', '.join(s.tags)}" if s.tags else "")

    if not record.varied:
        return [("Scenario", f"{record.scenario.title} {about(record.scenario)}")]
    return [(f"Round {r.number} scenario", f"{r.scenario_label} {about(r.scenario)}") for r in record.rounds]


def session_section(record: SessionRecord) -> str:
    """One session as an HTML ``<section>``."""
    s = record.scenario
    finished = f", finished {when(record.finished_at)}" if record.finished_at else ""
    ack = "acknowledged" if record.agreement_acknowledged else "not acknowledged"
    meta = [
        ("Session", f"{record.id} ({record.status})"),
        ("Date", when(record.created_at) + finished),
        ("People", ", ".join(record.people)),
        ("Kind", f"{record.kind}; listener mode: {record.mode}; {record.minutes} minutes per round"),
        *_scenario_meta(record),
        ("Rubric", f"{record.rubric.title} ({record.rubric.id}), scale "
                   + ", ".join(f"{lv.value} {lv.label}" for lv in record.rubric.scale)),
        ("Comfort agreement", f"{record.agreement_id} ({ack})"),
    ]
    parts = [f'<section class="session" id="session-{escape(record.id)}">',
             f"<h1>Practice session: {escape(record.title)}</h1>",
             table([], [[k, v] for k, v in meta]),
             _block(s.summary), "<h2>Roles</h2>",
             table(["Round", "Speaker", "Listener", "Observers", "Rated by"],
                   [[str(r.number), r.speaker, r.listener, ", ".join(r.observers) or DASH, ", ".join(r.raters)]
                    for r in record.rounds], numeric=(0,))]
    parts += [_round(record, r) for r in record.rounds]
    played = [r for r in record.rounds if r.played]
    if played:
        rows = [[c.name, *[num(r.criteria[i].mean) for r in played]] for i, c in enumerate(record.rubric.criteria)]
        rows.append(["Overall", *[num(r.overall) for r in played]])
        rows += [[m.name, *[r.metrics[j].text for r in played]] for j, m in enumerate(played[0].metrics)]
        parts += ["<h2>Results as listener</h2>",
                  table(["Criterion", *[r.listener for r in played]], rows, numeric=tuple(range(1, len(played) + 1)))]
    parts.append("</section>")
    return "\n".join(parts)


def sessions_html(records: Sequence[SessionRecord]) -> str:
    """One or more sessions as a single self-contained HTML document."""
    title = (f"Practice session: {records[0].title}" if len(records) == 1
             else f"{len(records)} practice sessions")
    return page(title, "\n".join(session_section(r) for r in records))
