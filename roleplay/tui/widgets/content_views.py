"""Tutor views of content files as plain-text Content: scenario overview and turns, rubric, agreement.

These are the tutor's view, so they include what trainees never see in play (trainer notes, the whole
script, branch notes). Every piece of file prose goes through :mod:`roleplay.tui.text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from roleplay.content.agreement import Agreement
from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
from roleplay.content.problems import Problem
from roleplay.content.rubric import Criterion, Level, Metric, Rubric
from roleplay.content.scenario import Example, Scenario, Turn
from roleplay.tui.text import bullets, heading, lines, plain, styled


def section(title: str) -> Content:
    """A section heading with a blank line above it."""
    return lines(["", styled(title, "bold underline")])


def _labelled(label: str, text: str) -> Content:
    return Content.assemble((f"{label}: ", "bold"), text)


def scenario_overview(scenario: Scenario) -> Content:
    """Summary, content notes, persona card, listener brief, observer focus and trainer notes."""
    persona = scenario.persona
    tags = ", ".join(scenario.tags) if scenario.tags else "no tags"
    branchy = sum(len(t.branches) for t in scenario.turns)
    facts = (f"{scenario.difficulty.value} · about {scenario.minutes} min · {len(scenario.turns)} turns · "
             f"{branchy} branch{'es' * (branchy != 1)} · id {scenario.id}")
    who = persona.name if persona.age is None else f"{persona.name}, {persona.age}"
    parts: list[Content | str] = [
        heading(scenario.title), styled(facts, "italic"), styled(f"Tags: {tags}", "dim"), "",
        plain(scenario.summary),
        section("Content notes (shown before play)"), bullets(scenario.content_notes),
        section(f"Persona card (speaker only): {who}"), plain(persona.background), "",
        _labelled("Wants", persona.wants), _labelled("How to play", ""), bullets(persona.how_to_play),
        section("Listener brief (listener only)"), plain(scenario.listener_brief),
        section("Observer focus"),
        bullets(scenario.observer_focus) if scenario.observer_focus else styled("(none given)", "dim"),
        section("Trainer notes (tutor view only: never shown to trainees)"),
        plain(scenario.trainer_notes) if scenario.trainer_notes else styled("(none given)", "dim"),
    ]
    return lines(parts)


def _examples(title: str, mark: str, examples: Sequence[Example], style: str) -> list[Content | str]:
    if not examples:
        return []
    out: list[Content | str] = [styled(title, "bold")]
    for example in examples:
        out.append(Content.assemble((f"{mark} ", style), example.text))
        out.append(styled(f"    why: {example.reason}", "dim"))
    return out


def turn_view(label: str, turn: Turn) -> Content:
    """Everything a tutor knows about one turn: line, cue, key points, feelings, pitfalls, examples, branches."""
    title = f"{label} {turn.id}" + ("  (branch only)" if turn.only_via_branch else "")
    parts: list[Content | str] = ["", styled(title, "bold reverse"), plain(f"“{turn.line}”")]
    if turn.cue:
        parts.append(_labelled("Cue (speaker only)", turn.cue))
    if turn.focus:
        parts.append(_labelled("Skill in focus", f"{turn.focus} ({CRITERION_CHECKS.get(turn.focus, 'unknown check')})"))
    if turn.key_points:
        parts += [styled("Key points", "bold"), bullets(turn.key_points)]
    if turn.feelings:
        parts.append(_labelled("Feelings", ", ".join(turn.feelings)))
    if turn.pitfalls:
        parts += [styled("Pitfalls", "bold"), bullets(turn.pitfalls)]
    parts += _examples("Strong examples", "✓", turn.strong_examples, "bold green")
    parts += _examples("Weak examples", "✗", turn.weak_examples, "bold red")
    for branch in turn.branches:
        text = f"when {branch.when.value} → {branch.goto}" + (f": {branch.note}" if branch.note else "")
        parts.append(_labelled("Branch", text))
    if turn.next:
        parts.append(_labelled("Next", turn.next))
    return lines(parts)


def scenario_turns(scenario: Scenario, numbers: dict[str, str]) -> Content:
    """Every turn in file order; ``numbers`` gives the play position of turns on the linear path."""
    return lines(turn_view(numbers.get(t.id, "⤷"), t) for t in scenario.turns)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _level_line(level: Level) -> str:
    return f"{level.value}  {level.label}" + (f": {level.meaning}" if level.meaning else "")


def criterion_view(criterion: Criterion, scale: Sequence[Level]) -> Content:
    """One criterion as the observer meets it: name, what to look for, and the words for each level."""
    facts = [criterion.scope.value.replace("_", " "), f"weight {criterion.weight:g}"]
    if criterion.observer_only:
        facts.append("observer only (never rated automatically)")
    elif not criterion.auto:
        facts.append("rated by people only (no automatic check)")
    if criterion.thresholds:
        facts.append(f"round score fair ≥ {criterion.thresholds.fair:g}, good ≥ {criterion.thresholds.good:g}")
    parts: list[Content | str] = ["", styled(f"{criterion.name} ({criterion.id})", "bold reverse"),
                                  styled(" · ".join(facts), "italic"), plain(criterion.description)]
    if criterion.hint:
        parts.append(_labelled("Look for", criterion.hint))
    if criterion.auto:
        what = CRITERION_CHECKS.get(criterion.auto, "unknown check")
        parts.append(_labelled("Automatic check", f"{criterion.auto} ({what})"))
    if criterion.examples and criterion.example_speaker:
        parts.append(_labelled("Examples answer", f"“{criterion.example_speaker}”"))
    for level in scale:
        descriptor = criterion.descriptors.get(level.value)
        parts.append(Content.assemble((f"  {level.value} {level.label}: ", "bold"),
                                      descriptor if descriptor else Content.styled("(no descriptor)", "dim")))
        example = criterion.examples.get(level.value)
        if example:
            parts.append(styled(f"      e.g. “{example}”", "italic"))
    return lines(parts)


def _metric_line(metric: Metric) -> Content:
    formula = f"{' + '.join(metric.numerator)} / {' + '.join(metric.denominator)}, as a {metric.kind}"
    text = f"{metric.name} ({metric.id}) = {formula}"
    if metric.thresholds:
        unit = "%" if metric.kind == "percent" else ":1"
        text += f" · fair ≥ {metric.thresholds.fair:g}{unit}, good ≥ {metric.thresholds.good:g}{unit}"
    parts: list[Content | str] = [Content.assemble(("• ", "bold"), text)]
    if metric.description:
        parts.append(styled(f"    {metric.description}", "dim"))
    return lines(parts)


def rubric_view(rubric: Rubric) -> Content:
    """The rubric as the observer will see it: scale, criteria with descriptors, tallies and metrics."""
    scale = sorted(rubric.scale, key=lambda lv: lv.value)
    per_turn = sum(c.scope.value == "per_turn" for c in rubric.criteria)
    facts = (f"{_count(len(rubric.criteria), 'criterion', 'criteria')} ({per_turn} per turn, "
             f"{len(rubric.criteria) - per_turn} per round) · {_count(len(rubric.tallies), 'tally', 'tallies')} · "
             f"{_count(len(rubric.metrics), 'metric', 'metrics')} · id {rubric.id}")
    parts: list[Content | str] = [heading(rubric.title), styled(facts, "italic"), "", plain(rubric.description),
                                  section("Scale (number keys give these levels)"),
                                  lines(plain(_level_line(lv)) for lv in scale)]
    if rubric.criteria:
        parts.append(section("Criteria"))
        parts += [criterion_view(c, scale) for c in rubric.criteria]
    if rubric.tallies:
        parts.append(section("Tallies (press the key to add one)"))
        for tally in rubric.tallies:
            key = f"[{tally.key}]" if tally.key else "[ ]"
            auto = f" · automatic: {tally.auto} ({TALLY_CHECKS.get(tally.auto, 'unknown check')})" if tally.auto else ""
            parts.append(Content.assemble((f"{key} {tally.name} ({tally.id})", "bold"), f": {tally.description}{auto}"))
    if rubric.metrics:
        parts.append(section("Metrics (from the tallies; thresholds are expert opinion, not norms)"))
        parts += [_metric_line(m) for m in rubric.metrics]
    return lines(parts)


def agreement_view(agreement: Agreement) -> Content:
    """The comfort agreement as the group sees it."""
    parts: list[Content | str] = [heading(agreement.title), "", plain(agreement.intro)]
    for item in agreement.items:
        parts += ["", styled(item.heading, "bold"), plain(item.text)]
    if agreement.closing:
        parts += ["", plain(agreement.closing)]
    return lines(parts)


def problem_line(problem: Problem) -> Content:
    """One problem as ``name:line:column: message`` with its hint on the next line."""
    where = f"{problem.path.name}:{problem.line}:{problem.column}: "
    parts: list[Content | str] = [Content.assemble((where, "bold"), problem.message)]
    if problem.suggestion:
        parts.append(styled(f"    hint: {problem.suggestion}", "italic"))
    return lines(parts)
