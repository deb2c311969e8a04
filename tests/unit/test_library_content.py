"""Guards on the depth and quality of the shipped library, so it cannot silently thin out.

These tests load the whole shipped library (scenarios, rubrics, agreements) exactly as the app does and
check that it still has the breadth the course needs, that every turn carries what an observer needs to
score it, that the rubrics keep their criteria and thresholds, and that strong examples model
peer-support language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from roleplay.content.agreement import Agreement
from roleplay.content.checks import CRITERION_CHECKS, TALLY_CHECKS
from roleplay.content.library import Library, load_library
from roleplay.content.rubric import Rubric, Scope
from roleplay.content.scenario import Difficulty, Scenario, Turn
from roleplay.content.validate import iter_content_files, validate_paths

REPO = Path(__file__).resolve().parents[2]
SHIPPED_FOLDERS = [REPO / "scenarios", REPO / "rubrics", REPO / "agreements"]

#: Topics the course relies on, by scenario id.
REQUIRED_SCENARIOS = [
    "quiet-flat", "back-to-study", "nights-and-days", "my-own-plan", "the-label", "first-meeting",
    "what-should-i-do", "they-let-me-down", "good-run-ended", "after-the-knee", "rent-day",
    "my-turn-to-speak",
]
MIN_SCENARIOS = 24
#: Enough of each level for a course: a triad takes three per session, and classes repeat levels.
MIN_PER_DIFFICULTY = {Difficulty.intro: 8, Difficulty.intermediate: 8, Difficulty.advanced: 6}
LINEAR_TURNS = range(6, 11)
#: At least this share of all scenarios react to what the listener does (a branch on a listener move).
MIN_BRANCHING_SHARE = 1 / 3
#: The kinds of conversation peer-support courses practise (issue 18), by the scenario that covers each,
#: with a word its observer_focus must use to name the skill it trains.
SCENARIO_KINDS = {
    "tell-work": ("what would you do?", "shared power"),
    "did-you-ever": ("has this happened to you?", "self-disclosure"),
    "in-my-notes": ("clinical or deficit self-description", "strengths-based"),
    "not-much-to-say": ("quiet, short answers", "silence"),
    "year-on-thursday": ("material that may trigger the listener", "comfort"),
    "fourth-worker": ("angry at services", "anger at services"),
    "four-lengths": ("a small win", "strengths without cheerleading"),
    "safer-with-mia": ("feeling unsafe, mentioned in passing", "noticing and checking"),
    "go-to-the-papers": ("advanced mix: anger at services and 'what would you do?'", "shared power"),
    "third-go": ("a first class", "paraphrase"),
    "the-quiet-house": ("gentle intro: mixed feelings", "mixed feelings"),
}
REQUIRED_SCENARIOS += list(SCENARIO_KINDS)

#: Clinical or stigmatising labels that must never appear in a strong example.
CLINICAL_LABELS = re.compile(
    r"\b(disorders?|disordered|non-?compliant|non-?compliance|addicts?|junkies?|crazy|psychos?|"
    r"schizo|lunatics?|insane|attention[- ]seeking|manipulative|in denial)\b",
    re.IGNORECASE,
)
#: Openings that turn a response into advice the speaker did not ask for.
ADVICE_OPENING = re.compile(
    r"^(you should|you need to|you must|you have to|you ought to|you'd better|why don't you|why not just|"
    r"have you tried|i think you should|i'd suggest|my advice|if i were you|just )",
    re.IGNORECASE,
)
FILLER = re.compile(r"^(?:[\s\"'“‘(….,-]|so\b|well\b|ok\b|okay\b|right\b|hmm\b)+", re.IGNORECASE)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The shipped library only, loaded strictly, with the user data folder pointed at a temp dir."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEPLAY_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        mp.delenv("ROLEPLAY_LIBRARY", raising=False)
        yield load_library(include_user=False, strict=True)


def scenarios(library: Library) -> list[Scenario]:
    """Every loaded scenario model."""
    return [entry.model for entry in library.scenarios.values()]


def rubric(library: Library, rubric_id: str) -> Rubric:
    """A shipped rubric by id (fails the test if it is missing)."""
    have = sorted(library.rubrics)
    assert rubric_id in have, f"rubric '{rubric_id}' is missing"
    return library.rubrics[rubric_id].model


def all_turns(library: Library) -> Iterator[tuple[Scenario, Turn]]:
    """Every turn of every scenario, with its scenario."""
    for scenario in scenarios(library):
        for turn in scenario.turns:
            yield scenario, turn


def default_next(scenario: Scenario, index: int) -> int | None:
    """Where play goes after turn ``index`` when no branch is taken (``next``, else the next linear turn)."""
    turns = scenario.turns
    turn = turns[index]
    if turn.next is not None:
        return next(i for i, t in enumerate(turns) if t.id == turn.next)
    return next((j for j in range(index + 1, len(turns)) if not turns[j].only_via_branch), None)


# --- the library as a whole ---------------------------------------------------------------------------


def test_library_loads_without_problems_or_strict_warnings(library: Library) -> None:
    """Every shipped file is valid, and clean even under --strict."""
    assert [p.format() for p in library.problems] == []
    assert [p.format() for p in library.warnings] == []


def test_validate_paths_finds_nothing_in_shipped_folders() -> None:
    """``roleplay validate --strict`` on the shipped folders reports nothing."""
    assert [p.format() for p in validate_paths(SHIPPED_FOLDERS, strict=True)] == []


def test_every_shipped_file_is_in_the_library(library: Library) -> None:
    """No file is silently dropped or shadowed by another with the same id."""
    loaded = {e.path.resolve() for table in (library.scenarios, library.rubrics, library.agreements)
              for e in table.values()}
    on_disk = {p.resolve() for p in iter_content_files(SHIPPED_FOLDERS)}
    assert on_disk - loaded == set()
    assert library.notices == []
    assert {e.source for e in library.scenarios.values()} <= {"shipped"}


def test_schema_comments_point_at_existing_schemas() -> None:
    """A ``yaml-language-server`` schema line, where present, names a schema file that exists."""
    pattern = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
    broken = []
    for path in iter_content_files(SHIPPED_FOLDERS):
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        match = pattern.match(first[0]) if first else None
        if match and not (path.parent / match.group(1)).resolve().is_file():
            broken.append(f"{path.name}: {match.group(1)}")
    assert broken == []


# --- scenarios ----------------------------------------------------------------------------------------


def test_enough_scenarios(library: Library) -> None:
    """The course needs at least a dozen scenarios to rotate through."""
    have = sorted(library.scenarios)
    assert len(have) >= MIN_SCENARIOS, have


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_enough_scenarios_per_difficulty(library: Library, difficulty: Difficulty) -> None:
    """Every difficulty has enough scenarios for a triad to each take one."""
    ids = [s.id for s in scenarios(library) if s.difficulty is difficulty]
    assert len(ids) >= MIN_PER_DIFFICULTY[difficulty], f"{difficulty}: {ids}"


@pytest.mark.parametrize("scenario_id", REQUIRED_SCENARIOS)
def test_required_topic_is_covered(library: Library, scenario_id: str) -> None:
    """Each topic the course relies on has its scenario."""
    have = sorted(library.scenarios)
    assert scenario_id in have, f"missing scenario '{scenario_id}'"


def test_scenarios_have_six_to_ten_linear_turns(library: Library) -> None:
    """A round is long enough to practise in and short enough for a class slot."""
    wrong = {s.id: n for s in scenarios(library)
             if (n := sum(not t.only_via_branch for t in s.turns)) not in LINEAR_TURNS}
    assert wrong == {}


def test_default_path_through_every_scenario_ends(library: Library) -> None:
    """Following ``next`` (or list order) from any turn reaches the end: no round loops forever."""
    looping = []
    for scenario in scenarios(library):
        for start in range(len(scenario.turns)):
            seen: set[int] = set()
            index: int | None = start
            while index is not None and index not in seen:
                seen.add(index)
                index = default_next(scenario, index)
            if index is not None:
                looping.append(f"{scenario.id}: from '{scenario.turns[start].id}'")
    assert looping == []


def test_every_turn_is_fully_annotated(library: Library) -> None:
    """Every turn carries what the speaker and the observer need: cue, key points, feelings, examples."""
    thin = []
    for scenario, turn in all_turns(library):
        gaps = [name for name, ok in [
            ("cue", bool(turn.cue)),
            (">=2 key_points", len(turn.key_points) >= 2),
            ("feelings", len(turn.feelings) >= 1),
            ("pitfalls", len(turn.pitfalls) >= 1),
            (">=2 strong_examples", len(turn.strong_examples) >= 2),
            (">=1 weak_examples", len(turn.weak_examples) >= 1),
        ] if not ok]
        if gaps:
            thin.append(f"{scenario.id}/{turn.id}: {', '.join(gaps)}")
    assert thin == []


def test_enough_scenarios_use_branches(library: Library) -> None:
    """At least a third of the scenarios react to what the listener does, not just play a fixed script."""
    every = scenarios(library)
    branching = [s.id for s in every if any(t.branches for t in s.turns)]
    assert len(branching) >= MIN_BRANCHING_SHARE * len(every), branching


def test_branches_lead_to_a_different_line(library: Library) -> None:
    """A branch goes to a branch-only turn (a reaction written for that move), so taking it changes the talk."""
    flat = []
    for scenario, turn in all_turns(library):
        only = {t.id for t in scenario.turns if t.only_via_branch}
        flat += [f"{scenario.id}/{turn.id} when {b.when} -> {b.goto}" for b in turn.branches if b.goto not in only]
    assert flat == []


@pytest.mark.parametrize("scenario_id", sorted(SCENARIO_KINDS))
def test_each_kind_names_the_skill_it_trains(library: Library, scenario_id: str) -> None:
    """The scenario for each kind of conversation says, in its observer focus, which skill it trains."""
    kind, skill = SCENARIO_KINDS[scenario_id]
    focus = " ".join(library.scenarios[scenario_id].model.observer_focus).lower()
    assert "skill" in focus and skill in focus, f"{scenario_id} ({kind}): {focus}"


def test_examples_come_with_reasons_and_differ(library: Library) -> None:
    """Two strong and a weak example per turn, each with its own reason, none repeated within a turn."""
    wrong = []
    for scenario, turn in all_turns(library):
        examples = [*turn.strong_examples, *turn.weak_examples]
        texts = [e.text for e in examples]
        if len(set(texts)) != len(texts) or any(len(e.reason) < 20 for e in examples):
            wrong.append(f"{scenario.id}/{turn.id}")
    assert wrong == []


def test_turn_focus_names_a_check(library: Library) -> None:
    """A turn's ``focus`` names an automatic observer check, and the new scenarios use it."""
    wrong = [f"{s.id}/{t.id}: {t.focus}" for s, t in all_turns(library) if t.focus and t.focus not in CRITERION_CHECKS]
    assert wrong == []
    unfocused = [sid for sid in SCENARIO_KINDS if not any(t.focus for t in library.scenarios[sid].model.turns)]
    assert unfocused == []


def test_voices_differ(library: Library) -> None:
    """Speakers of many ages, and no two scenarios share a speaker's name."""
    people = [s.persona for s in scenarios(library)]
    names = [p.name for p in people]
    assert len(set(names)) == len(names), names
    ages = sorted(p.age for p in people if p.age is not None)
    assert ages[0] < 25 and ages[-1] >= 65, ages
    assert len({age // 10 for age in ages}) >= 6, ages


def test_branch_targets_and_next_links_exist(library: Library) -> None:
    """Every ``goto`` and ``next`` names a turn in the same scenario."""
    dangling = []
    for scenario, turn in all_turns(library):
        ids = {t.id for t in scenario.turns}
        targets = [b.goto for b in turn.branches] + ([turn.next] if turn.next else [])
        dangling += [f"{scenario.id}/{turn.id} -> {t}" for t in targets if t not in ids]
    assert dangling == []


def test_branch_only_turns_are_reachable(library: Library) -> None:
    """A turn marked ``only_via_branch`` is the target of some branch or ``next``; otherwise it is dead."""
    dead = []
    for scenario in scenarios(library):
        targets = {b.goto for t in scenario.turns for b in t.branches}
        targets |= {t.next for t in scenario.turns if t.next}
        dead += [f"{scenario.id}/{t.id}" for t in scenario.turns if t.only_via_branch and t.id not in targets]
    assert dead == []


def test_scenarios_have_content_and_trainer_notes(library: Library) -> None:
    """People can choose before they play, and tutors know what the scenario is for."""
    missing = [s.id for s in scenarios(library) if not s.content_notes or not s.trainer_notes]
    assert missing == []


# --- content hygiene ----------------------------------------------------------------------------------


def test_strong_examples_use_no_clinical_labels(library: Library) -> None:
    """Strong examples model non-clinical, non-stigmatising language."""
    hits = [f"{s.id}/{t.id}: {ex.text!r}" for s, t in all_turns(library) for ex in t.strong_examples
            if CLINICAL_LABELS.search(ex.text)]
    assert hits == []


def test_strong_examples_do_not_open_with_advice(library: Library) -> None:
    """A strong example never starts by telling the speaker what to do."""
    hits = [f"{s.id}/{t.id}: {ex.text!r}" for s, t in all_turns(library) for ex in t.strong_examples
            if ADVICE_OPENING.match(FILLER.sub("", ex.text)) or "if i were you" in ex.text.lower()]
    assert hits == []


#: A capitalised word that does not start a sentence: in a persona's background, a name.
_MID_SENTENCE_NAME = re.compile(r"(?<![.!?:\"“] )(?<!^)\b[A-Z][a-z]+\b")


#: Capitalised words that are not anyone's name.
_NOT_NAMES = re.compile(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?|January|February|March|April|May|June|"
                        r"July|August|September|October|November|December|Christmas|Easter|English")


def card_only_names(scenario: Scenario) -> set[str]:
    """Names on the speaker's card (background, mid-sentence) other than the speaker's own."""
    words = set(_MID_SENTENCE_NAME.findall(scenario.persona.background)) - {scenario.persona.name}
    return {w for w in words if not _NOT_NAMES.fullmatch(w)}


def names_before_heard(scenario: Scenario) -> list[str]:
    """Examples that use a name from the speaker's card before any speaker line (in file order, which
    follows play order) or the listener's brief has said it: the listener could not know it yet."""
    names = card_only_names(scenario)
    heard = {w for w in names if re.search(rf"\b{w}\b", scenario.listener_brief)}
    hits = []
    for turn in scenario.turns:
        heard |= {w for w in names if re.search(rf"\b{w}\b", turn.line)}
        for ex in turn.strong_examples + turn.weak_examples:
            hits += [f"{scenario.id}/{turn.id}: {w!r} in {ex.text!r}" for w in sorted(names - heard)
                     if re.search(rf"\b{w}\b", ex.text)]
    return hits


def test_examples_use_only_names_the_listener_has_heard(library: Library) -> None:
    """The listener never sees the speaker's card, so an example response cannot use a name from it that
    the speaker has not said yet (a daughter called "Ola" the speaker only ever calls "her")."""
    hits = [hit for s in scenarios(library) for hit in names_before_heard(s)]
    assert hits == []


def test_hygiene_patterns_catch_what_they_should() -> None:
    """The hygiene patterns themselves work, so the two tests above cannot pass vacuously."""
    assert CLINICAL_LABELS.search("It sounds like the disorder talking")
    assert CLINICAL_LABELS.search("they called you non-compliant")
    assert not CLINICAL_LABELS.search("That sounds like a lot to carry.")
    assert ADVICE_OPENING.match(FILLER.sub("", '"So, you should call them.'))
    assert ADVICE_OPENING.match(FILLER.sub("", "Well... have you tried a list?"))
    assert not ADVICE_OPENING.match(FILLER.sub("", "You sound worn out. What would you like to do?"))
    card = Scenario.model_validate({
        "kind": "scenario", "id": "x", "title": "X", "summary": "s", "difficulty": "intro", "minutes": 5,
        "content_notes": ["n"], "listener_brief": "Your speaker is Sam.",
        "persona": {"name": "Sam", "background": "Sam lives with Ola. The flat is on Mill Road.", "wants": "w",
                    "how_to_play": ["p"]},
        "turns": [{"id": "a", "line": "My daughter moved out."},
                  {"id": "b", "line": "Ola rang last night."}],
    })
    assert card_only_names(card) == {"Ola", "Mill", "Road"}
    early = Scenario.model_validate({**card.model_dump(mode="json"), "turns": [
        {"id": "a", "line": "My daughter moved out on Tuesday.",
         "strong_examples": [{"text": "Ola moved out.", "reason": "r"}]},
        {"id": "b", "line": "Ola rang last night.", "strong_examples": [{"text": "Ola rang.", "reason": "r"}]}]})
    assert names_before_heard(early) == ["x/a: 'Ola' in 'Ola moved out.'"]


# --- rubrics ------------------------------------------------------------------------------------------

ACTIVE_LISTENING = {
    # criterion id: (scope, auto)
    "paraphrase": (Scope.per_turn, "paraphrase"),
    "reflect_feeling": (Scope.per_turn, "reflect_feeling"),
    "open_question": (Scope.per_turn, "open_question"),
    "check_understanding": (Scope.per_turn, "check_understanding"),
    "speaker_led": (Scope.per_turn, "speaker_led"),
    "non_judgmental": (Scope.per_turn, "non_judgmental"),
    "summary": (Scope.per_round, None),
    "attending": (Scope.per_round, None),
    "felt_heard": (Scope.per_round, "empathy"),
}
PEER_VALUES_AUTO = {"shared_power", "strengths_language", "non_judgmental"}
PEER_VALUES_IDS = {"mutuality", "shared_power", "strengths_language", "hope", "respect"}
BEHAVIOUR_TALLIES = {
    "question_open", "question_closed", "reflection_simple", "reflection_complex", "affirmation",
    "seeking_collaboration", "emphasizing_autonomy", "advice_without_permission", "persuade", "confront",
    "giving_information",
}


def test_active_listening_rubric(library: Library) -> None:
    """The core rubric keeps its criteria, scopes, wiring and four-level interchangeable scale."""
    r = rubric(library, "active-listening")
    assert [level.value for level in r.scale] == [1, 2, 3, 4]
    assert r.scale[2].label.lower() == "interchangeable"
    crits = {c.id: c for c in r.criteria}
    assert {cid: (c.scope, c.auto) for cid, c in crits.items() if cid in ACTIVE_LISTENING} == ACTIVE_LISTENING
    assert crits["attending"].observer_only
    others = [c.weight for cid, c in crits.items() if cid not in ("paraphrase", "reflect_feeling")]
    assert min(crits["paraphrase"].weight, crits["reflect_feeling"].weight) > max(others)
    assert all(c.hint for c in r.criteria)


def test_peer_values_rubric(library: Library) -> None:
    """The values rubric covers each value per turn and has round-level items."""
    r = rubric(library, "peer-values")
    assert len(r.scale) == 4
    per_turn = {c.id for c in r.criteria if c.scope is Scope.per_turn}
    assert per_turn >= PEER_VALUES_IDS
    assert any(c.scope is Scope.per_round for c in r.criteria)
    assert {c.auto for c in r.criteria} >= PEER_VALUES_AUTO


def test_behaviour_counts_rubric(library: Library) -> None:
    """The MITI-style tallies keep their keys and wiring, and the metrics their expert thresholds."""
    r = rubric(library, "behaviour-counts")
    tallies = {t.id: t for t in r.tallies}
    assert set(tallies) >= BEHAVIOUR_TALLIES
    assert all(tallies[t].key and tallies[t].auto == t for t in BEHAVIOUR_TALLIES)
    metrics = {m.id: m for m in r.metrics}
    r_to_q, pct = metrics["r_to_q"], metrics["percent_complex"]
    assert (r_to_q.kind, set(r_to_q.numerator), set(r_to_q.denominator)) == (
        "ratio", {"reflection_simple", "reflection_complex"}, {"question_open", "question_closed"})
    assert r_to_q.thresholds is not None
    assert (r_to_q.thresholds.fair, r_to_q.thresholds.good) == (1.0, 2.0)
    assert (pct.kind, pct.numerator, set(pct.denominator)) == (
        "percent", ["reflection_complex"], {"reflection_simple", "reflection_complex"})
    assert pct.thresholds is not None
    assert (pct.thresholds.fair, pct.thresholds.good) == (40, 50)
    assert "not norms" in r.description
    if r.criteria:
        assert [level.value for level in r.scale] == [1, 2, 3, 4, 5]


def test_every_criterion_describes_every_level(library: Library) -> None:
    """Every score a trainee can get comes with words: one distinct, real descriptor per level."""
    gaps = []
    for rid, entry in library.rubrics.items():
        levels = {level.value for level in entry.model.scale}
        for c in entry.model.criteria:
            texts = list(c.descriptors.values())
            if set(c.descriptors) != levels or len(set(texts)) != len(texts) or min(map(len, texts)) < 40:
                gaps.append(f"{rid}/{c.id}")
    assert gaps == []


def test_rubric_wiring_is_consistent(library: Library) -> None:
    """``auto`` names exist, metrics use real tallies, tally keys are unique letters."""
    wrong = []
    for rid, entry in library.rubrics.items():
        r = entry.model
        wrong += [f"{rid}/{c.id}: {c.auto}" for c in r.criteria if c.auto and c.auto not in CRITERION_CHECKS]
        wrong += [f"{rid}/{c.id}: observer_only with auto" for c in r.criteria if c.observer_only and c.auto]
        wrong += [f"{rid}/{t.id}: {t.auto}" for t in r.tallies if t.auto and t.auto not in TALLY_CHECKS]
        tally_ids = {t.id for t in r.tallies}
        wrong += [f"{rid}/{m.id}: {ref}" for m in r.metrics for ref in m.numerator + m.denominator
                  if ref not in tally_ids]
        keys = [t.key.lower() for t in r.tallies if t.key]
        if len(keys) != len(set(keys)) or any(not k.isalpha() for k in keys):
            wrong.append(f"{rid}: tally keys {keys}")
    assert wrong == []


# --- agreement ----------------------------------------------------------------------------------------

AGREEMENT_ITEMS = {
    "confidentiality", "respect", "no-judgment", "no-unasked-advice", "no-graphic-detail", "pause-or-stop",
    "shared-time-keeping", "revisit-agreement",
}


def test_default_agreement_covers_every_topic(library: Library) -> None:
    """The comfort agreement keeps each point a group needs, and says how to pause in the app."""
    assert "default" in sorted(library.agreements)
    agreement: Agreement = library.agreements["default"].model
    items = {item.id: item for item in agreement.items}
    assert set(items) >= AGREEMENT_ITEMS
    assert re.search(r"\bpress ctrl\+p\b", items["pause-or-stop"].text, re.IGNORECASE)  # the app's pause key


# --- the global-ratings and empathy-levels rubrics (issue 18) -------------------------------------------


def test_global_ratings_rubric(library: Library) -> None:
    """MITI-style globals in peer-support terms: once per round, 1-5, anchors and fair/good thresholds."""
    r = rubric(library, "global-ratings")
    assert [level.value for level in r.scale] == [1, 2, 3, 4, 5]
    assert "not norms" in r.description
    crits = {c.id: c for c in r.criteria}
    assert {"empathy", "partnership", "strengths_focus"} <= set(crits)
    assert all(c.scope is Scope.per_round for c in r.criteria)
    for c in r.criteria:
        assert c.thresholds is not None, c.id
        assert 1 <= c.thresholds.fair <= c.thresholds.good <= 5, c.id
        assert set(c.descriptors) == {1, 2, 3, 4, 5}, c.id
    assert (crits["empathy"].thresholds.fair, crits["empathy"].thresholds.good) == (3.5, 4)  # MITI relational
    assert {c.auto for c in r.criteria if c.auto} == {"empathy", "shared_power", "strengths_language"}
    assert any(c.observer_only for c in r.criteria), "one rating only a person in the room can judge"


def test_empathy_levels_rubric(library: Library) -> None:
    """Carkhuff-style levels per listener turn, from subtracting to interchangeable to adding, each with an example."""
    r = rubric(library, "empathy-levels")
    labels = [level.label.lower() for level in r.scale]
    assert len(labels) == 5 and "subtract" in labels[0] and labels[2] == "interchangeable" and "add" in labels[-1]
    level = next(c for c in r.criteria if c.scope is Scope.per_turn)
    assert level.auto == "empathy"
    assert level.example_speaker and set(level.examples) == {lv.value for lv in r.scale}
    assert len(set(level.examples.values())) == len(level.examples)
    person = [c for c in r.criteria if c.observer_only]
    assert person and all(c.scope is Scope.per_round for c in person)


def test_observer_orders_the_empathy_level_examples(library: Library) -> None:
    """The observer, read at run time, rates the level examples in order: never a lower level above a
    higher one, and the subtracting examples below the interchangeable and adding ones."""
    from roleplay.observer import observe, suggest_ratings

    r = rubric(library, "empathy-levels")
    level = next(c for c in r.criteria if c.id == "empathy_level")
    assert level.example_speaker is not None
    rated = {}
    for value, text in sorted(level.examples.items()):
        observation = observe(text, speaker=level.example_speaker)
        given = [s for s in suggest_ratings(observation, r) if s.criterion_id == level.id]
        assert given, f"no rating for the level-{value} example"
        rated[value] = given[0].value
    values = [rated[v] for v in sorted(rated)]
    assert values == sorted(values), rated
    assert max(rated[1], rated[2]) < min(rated[3], rated[4], rated[5]), rated
