"""Writers for the class report: Markdown, self-contained HTML (inline SVG chart) and CSV."""

from __future__ import annotations

import csv
import io

from roleplay.markdown_safe import html_text as escape
from roleplay.reports import html as h
from roleplay.reports.class_report import RATER_NAMES, ClassReport, Trend
from roleplay.reports.common import DASH, md, md_code, num, signed, table, when
from roleplay.reports.csv_out import safe_cell

#: CSV columns; ``section`` says which part a row belongs to (criterion, trainee, trainee-criterion, roles).
CSV_COLUMNS = (
    "section", "trainee", "rubric_id", "criterion_id", "criterion", "ratings", "mean", "scale_max",
    "percent_of_scale", "first_half", "second_half", "change", "hardest_rank", "sessions", "rounds_listened",
    "speaker_rounds", "listener_rounds", "observer_rounds", "missing_roles", "rater_kind",
)


def _scope(report: ClassReport) -> str:
    parts = [f"{report.sessions} session{'s' * (report.sessions != 1)}, "
             f"{report.rounds} round{'s' * (report.rounds != 1)} played"]
    if report.first_at is not None:
        parts.append(f"from {when(report.first_at)[:10]} to {when(report.last_at)[:10]}")
    if report.served_class:
        parts.append(f"class {report.served_class} only")
    if report.since:
        parts.append(f"filter: since {report.since.isoformat()}")
    if report.tag:
        parts.append(f"filter: scenario tag {report.tag}")
    return "; ".join(parts) + "."


def _raters_line(report: ClassReport) -> str:
    """Which ratings the figures rest on, kept apart (each row names its kind)."""
    shown = ", ".join(RATER_NAMES[k] for k in report.raters)
    return (f"Ratings by: {shown}; each row is one kind, never mixed. Observers are the people who rated "
            "the listener (observers, or the speaker in a pair); self is a trainee's rating of their own "
            "solo rehearsal; the automatic observer rates solo rehearsals and typed rounds. The hardest "
            "criteria come from observers' ratings.")


def _trend_cells(t: Trend, digits: int = 2) -> list[str]:
    return [num(t.first, digits), num(t.second, digits), signed(t.change, digits)]


def _criterion_name(report: ClassReport, rubric_id: str, name: str) -> str:
    # Name the rubric only when several are in play, so the common case stays short.
    return f"{name} ({rubric_id})" if len(report.rubrics) > 1 else name


def _tables(report: ClassReport) -> dict[str, tuple[list[str], list[list[str]]]]:
    # The mean on the whole scale, named from its lowest level: "3.00 of 4" read as 75% beside a 67%
    # counted from the lowest level 1, so the line says both ends (trial F23).
    hardest = [_criterion_name(report, c.rubric_id, c.name) + f": mean {num(c.mean)} on the "
               f"{c.scale_min}–{c.scale_max} scale, {num(c.percent, 0)}% of the way from {c.scale_min} to "
               f"{c.scale_max} ({c.ratings} rating{'' if c.ratings == 1 else 's'})" for c in report.hardest()]
    return {
        "hardest": ([], [[line] for line in hardest]),
        "criteria": (
            ["Criterion", "Rated by", "Ratings", "Trainees", "Mean", "% of scale", "First half", "Second half",
             "Change"],
            [[_criterion_name(report, c.rubric_id, c.name), RATER_NAMES[c.rater_kind], str(c.ratings), str(c.trainees),
              f"{num(c.mean)} / {c.scale_max}", num(c.percent, 0), *_trend_cells(c.trend)] for c in report.criteria],
        ),
        "trainees": (
            ["Trainee", "Rated by", "Sessions", "Rounds as listener", "Ratings", "% of scale", "First half",
             "Second half", "Change"],
            [[t.trainee, RATER_NAMES[t.rater_kind], str(t.sessions), str(t.rounds_listened), str(t.ratings),
              num(t.percent, 0), *_trend_cells(t.trend, 0)] for t in report.trainees],
        ),
        "trainee_criteria": (
            ["Trainee", "Criterion", "Rated by", "Ratings", "Mean", "First half", "Second half", "Change"],
            [[t.trainee, _criterion_name(report, t.rubric_id, t.name), RATER_NAMES[t.rater_kind], str(t.ratings),
              f"{num(t.mean)} / {t.scale_max}", *_trend_cells(t.trend)] for t in report.trainee_criteria],
        ),
        "roles": (
            ["Trainee", "Speaker", "Listener", "Observer", "Not yet played"],
            [[r.trainee, str(r.speaker), str(r.listener), str(r.observer), ", ".join(r.missing) or DASH]
             for r in report.roles],
        ),
    }


_NO_HARDEST = "Nothing has been rated by an observer yet."

_HEADINGS = {
    "hardest": "Hardest criteria for the class",
    "criteria": "Criteria across the class",
    "trainees": "Trainees as listener",
    "trainee_criteria": "Each trainee by criterion",
    "roles": "Roles played",
}

_NOTES = {
    "criteria": "Means are on each rubric's scale. A trend compares the first half of the rounds with the "
                "second half, in the order they were played.",
    "trainees": "Scores as % of scale (0 = lowest level, 100 = highest), from the ratings received as listener, "
                "one row per kind of rater.",
    "roles": "Rounds started in each role. Pairs have no observer; solo rehearsal has no speaker part.",
}


def class_markdown(report: ClassReport) -> str:
    """The class report as Markdown."""
    lines = ["# Class report", "", md(_scope(report)), "", md(_raters_line(report)), ""]
    if report.rubrics:
        lines += ["Rubrics: " + "; ".join(f"{md(title)} ({md_code(rid)})" for rid, title in report.rubrics), ""]
    for key, (header, rows) in _tables(report).items():
        lines += [f"## {_HEADINGS[key]}", ""]
        if key == "hardest":
            lines += [f"{i}. {md(row[0])}" for i, row in enumerate(rows, 1)] or [_NO_HARDEST]
        elif rows:
            lines += table(header, rows)
        else:
            lines.append("Nothing yet.")
        if key in _NOTES:
            lines += ["", _NOTES[key]]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def class_html(report: ClassReport) -> str:
    """The class report as one self-contained HTML file with an inline SVG chart of the criteria."""
    parts = ["<h1>Class report</h1>", f'<p class="meta">{escape(_scope(report))}</p>',
             f'<p class="meta">{escape(_raters_line(report))}</p>']
    if report.rubrics:
        parts.append('<p class="meta">Rubrics: ' + escape("; ".join(f"{t} ({r})" for r, t in report.rubrics))
                     + "</p>")
    for key, (header, rows) in _tables(report).items():
        parts.append(f"<h2>{escape(_HEADINGS[key])}</h2>")
        if key == "hardest":
            items = "".join(f"<li>{escape(row[0])}</li>" for row in rows)
            parts.append(f"<ol>{items}</ol>" if items else f"<p>{escape(_NO_HARDEST)}</p>")
            continue
        if key == "criteria" and report.criteria:
            parts.append(h.bar_chart(
                [(_criterion_name(report, c.rubric_id, c.name) + ("" if c.rater_kind == "observer" else
                  f" ({RATER_NAMES[c.rater_kind]})"), c.percent) for c in report.criteria],
                0, 100, "Class mean per criterion, % of scale"))
        parts.append(h.table(header, rows, numeric=tuple(range(1, len(header)))) if rows else "<p>Nothing yet.</p>")
        if key in _NOTES:
            parts.append(f'<p class="small">{escape(_NOTES[key])}</p>')
    return h.page("Class report", "\n".join(parts))


def class_csv(report: ClassReport) -> str:
    """The class report as one CSV table; the ``section`` column tells the kinds of row apart."""
    rank = {(c.rubric_id, c.criterion_id, c.rater_kind): i
            for i, c in enumerate(report.hardest(len(report.criteria)), 1)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)

    text_columns = {"trainee", "rubric_id", "criterion_id", "criterion"}

    def row(**values: object) -> None:
        # Only text people typed is defused; a signed figure such as -1.00 must stay a number.
        writer.writerow([safe_cell(values.get(c)) if c in text_columns else ("" if values.get(c) is None
                         else values[c]) for c in CSV_COLUMNS])

    def trend(t: Trend, digits: int) -> dict[str, str]:
        return {"first_half": num(t.first, digits).replace(DASH, ""),
                "second_half": num(t.second, digits).replace(DASH, ""),
                "change": signed(t.change, digits).replace(DASH, "")}

    for c in report.criteria:
        row(section="criterion", rubric_id=c.rubric_id, criterion_id=c.criterion_id, criterion=c.name,
            ratings=c.ratings, mean=num(c.mean).replace(DASH, ""), scale_max=c.scale_max,
            percent_of_scale=num(c.percent, 1).replace(DASH, ""),
            hardest_rank=rank.get((c.rubric_id, c.criterion_id, c.rater_kind)), rater_kind=c.rater_kind,
            **trend(c.trend, 2))
    for t in report.trainees:
        row(section="trainee", trainee=t.trainee, ratings=t.ratings,
            percent_of_scale=num(t.percent, 1).replace(DASH, ""), sessions=t.sessions,
            rounds_listened=t.rounds_listened, rater_kind=t.rater_kind, **trend(t.trend, 1))
    for tc in report.trainee_criteria:
        row(section="trainee-criterion", trainee=tc.trainee, rubric_id=tc.rubric_id, criterion_id=tc.criterion_id,
            criterion=tc.name, ratings=tc.ratings, mean=num(tc.mean).replace(DASH, ""), scale_max=tc.scale_max,
            rater_kind=tc.rater_kind, **trend(tc.trend, 2))
    for r in report.roles:
        row(section="roles", trainee=r.trainee, speaker_rounds=r.speaker, listener_rounds=r.listener,
            observer_rounds=r.observer, missing_roles=" ".join(r.missing))
    return out.getvalue()


#: format name -> writer
CLASS_FORMATS = {"md": class_markdown, "html": class_html, "csv": class_csv}
