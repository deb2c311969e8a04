"""Validation speed: 1,000 generated scenario files of 8 turns (target: under 1 s on one core)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from roleplay.content.validate import validate_paths


def scenario_dict(n: int, turns: int = 8) -> dict:
    """A complete, valid scenario with ``turns`` linear turns and one branch."""
    def turn(i: int) -> dict:
        t = {
            "id": f"turn-{i}",
            "line": f"I keep thinking about what happened on day {i}, and I can't settle to anything at all.",
            "cue": "Quietly, looking at the table.",
            "key_points": ["can't settle", f"thinking about day {i}"],
            "feelings": ["restless", "uneasy"],
            "pitfalls": ["jumping to advice"],
            "strong_examples": [
                {"text": "It keeps pulling you back, and nothing else gets a look in.", "reason": "Paraphrase."},
                {"text": "What is it about that day that stays with you?", "reason": "Open question."},
            ],
            "weak_examples": [{"text": "You should try to distract yourself.", "reason": "Unasked-for advice."}],
        }
        if i == 0:
            t["branches"] = [{"when": "advice", "goto": "closed-up"}]
        return t
    body = [turn(i) for i in range(turns)]
    closed = turn(99) | {"id": "closed-up", "only_via_branch": True, "next": "turn-1"}
    closed.pop("branches", None)
    body.insert(1, closed)
    return {
        "kind": "scenario", "id": f"generated-{n}", "title": f"Generated scenario {n}",
        "summary": "A generated scenario used to measure validation speed.", "tags": ["benchmark"],
        "difficulty": "intro", "minutes": 10, "content_notes": ["none: generated text"],
        "persona": {"name": "Sam", "age": 30, "background": "Someone generated for a benchmark.",
                    "wants": "To be heard.", "how_to_play": ["Speak slowly."]},
        "listener_brief": "Listen.", "observer_focus": ["Paraphrase."], "trainer_notes": "Generated.",
        "turns": body,
    }


def main() -> None:
    """Generate the files, validate them strictly, and print the time."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenarios"
        folder.mkdir()
        for n in range(1000):
            (folder / f"s{n}.yaml").write_text(yaml.safe_dump(scenario_dict(n), sort_keys=False), "utf-8")
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            problems = validate_paths([folder], strict=True)
            best = min(best, time.perf_counter() - start)
        assert not problems, problems[:3]
        verdict = "ok" if best < 1.0 else "SLOW"
        print(f"validate --strict, 1,000 scenario files x 8 turns: {best:.3f} s (best of 3; target < 1 s) {verdict}")


if __name__ == "__main__":
    main()
