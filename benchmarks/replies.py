"""The hand-annotated trainee replies (``benchmarks/data/replies.yaml``) and the observer's F1 on them.

Each reply is matched with its scenario turn (speaker line, key points, feelings) from the shipped
``scenarios/``. A third of the replies (every third, in file order) is held out: thresholds are
calibrated on the other two thirds only (``dev``), and figures are reported for both.

Scores: key points over every (reply, key point) pair (captured or not); a feeling conveyed per
reply (the observer's ``feelings_matched`` > 0 against the annotation ``f``); unasked advice per
reply (the observer's ``advice_without_permission`` signal against annotation ``a == "u"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from roleplay.observer import Observation, observe

ROOT = Path(__file__).resolve().parents[1]
REPLIES = ROOT / "benchmarks" / "data" / "replies.yaml"


@dataclass(frozen=True)
class Case:
    """One annotated reply with its turn."""

    turn: str
    speaker: str
    key_points: tuple[str, ...]
    feelings: tuple[str, ...]
    reply: str
    points: frozenset[int]
    feeling: bool
    advice: str
    held_out: bool


def _turns() -> dict[str, dict]:
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for turn in data.get("turns", []):
            out[f"{data['id']}/{turn['id']}"] = turn
    return out


def cases(path: Path = REPLIES) -> list[Case]:
    """Every annotated reply, in file order; every third one is held out."""
    turns = _turns()
    out: list[Case] = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")):
        turn = turns[block["turn"]]
        for r in block["replies"]:
            out.append(Case(block["turn"], " ".join(turn["line"].split()), tuple(turn.get("key_points", ())),
                            tuple(turn.get("feelings", ())), r["t"], frozenset(r["p"]), bool(r["f"]),
                            str(r["a"]), len(out) % 3 == 2))
    return out


def captured_points(obs: Observation) -> set[str]:
    """The key points the observer says the reply carries."""
    return {s.detail for s in obs.signals if s.name == "key_point_captured"}


def f1(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    """(precision, recall, F1) of (gold, predicted) pairs."""
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if p and not g)
    fn = sum(1 for g, p in pairs if g and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


Observe = Callable[[Case], Observation]


def _default(c: Case) -> Observation:
    return observe(c.reply, c.speaker, c.key_points, c.feelings)


def scores(selected: list[Case], run: Observe = _default) -> dict[str, tuple[float, float, float]]:
    """Key-point, feeling and unasked-advice (precision, recall, F1) on ``selected``."""
    kp: list[tuple[bool, bool]] = []
    feel: list[tuple[bool, bool]] = []
    adv: list[tuple[bool, bool]] = []
    for c in selected:
        obs = run(c)
        got = captured_points(obs)
        kp.extend((i in c.points, point in got) for i, point in enumerate(c.key_points))
        feel.append((c.feeling, obs.feelings_matched > 0))
        adv.append((c.advice == "u", obs.has("advice_without_permission")))
    return {"key points": f1(kp), "feeling": f1(feel), "unasked advice": f1(adv)}


def splits() -> Iterator[tuple[str, list[Case]]]:
    """("dev", two thirds) and ("held-out", the other third)."""
    all_cases = cases()
    yield "dev", [c for c in all_cases if not c.held_out]
    yield "held-out", [c for c in all_cases if c.held_out]


def main() -> None:
    """Print the three F1 figures on both parts."""
    for name, part in splits():
        s = scores(part)
        print(f"{name:<9} ({len(part)} replies): " + ", ".join(
            f"{k} F1 {v[2]:.3f} (P {v[0]:.2f} R {v[1]:.2f})" for k, v in s.items()))


if __name__ == "__main__":
    main()
