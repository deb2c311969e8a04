"""Benchmark the automatic observer: accuracy on ESConv and throughput of ``roleplay observe``.

Run ``python -m benchmarks.bench_observer`` from the project root. Accuracy needs
``../shared/data/esconv-dev.jsonl`` (or the path in ``ROLEPLAY_ESCONV``); it is skipped with a
message when the file is absent. ESConv labels questions without open/closed, so both are folded
into ``question``. Throughput is timed inside one process on generated input (start-up excluded),
through the same streaming function the command uses.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from roleplay.observer import observe, observe_lines

ESCONV = Path(os.environ.get("ROLEPLAY_ESCONV", Path(__file__).resolve().parents[2] / "shared/data/esconv-dev.jsonl"))
GOLD = ("reflection", "question", "advice", "affirmation", "self_disclosure", "information", "other")


def fold(label: str) -> str:
    """Map the observer's labels onto ESConv's seven."""
    return "question" if label.startswith("question") else label


def evaluate(path: Path) -> dict[str, object]:
    """Accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix on one file."""
    confusion: Counter[tuple[str, str]] = Counter()
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        predicted = fold(observe(row["response"], row.get("prev_speaker_text", "")).label)
        confusion[(row["label"], predicted)] += 1
    total = sum(confusion.values())
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    per: dict[str, tuple[float, float, float, int]] = {}
    for lab in GOLD:
        tp = confusion[(lab, lab)]
        pred = sum(n for (_, p), n in confusion.items() if p == lab)
        gold = sum(n for (g, _), n in confusion.items() if g == lab)
        prec = tp / pred if pred else 0.0
        rec = tp / gold if gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = (prec, rec, f1, gold)
    return {
        "n": total,
        "accuracy": correct / total if total else 0.0,
        "macro_f1": sum(v[2] for v in per.values()) / len(per),
        "per_label": per,
        "confusion": confusion,
    }


def print_accuracy(path: Path) -> None:
    """Print the accuracy table and the confusion matrix."""
    if not path.exists():
        print(f"accuracy: skipped, {path} not found")
        return
    r = evaluate(path)
    print(f"ESConv ({r['n']} responses): accuracy {r['accuracy']:.3f}, macro-F1 {r['macro_f1']:.3f}")
    print(f"{'label':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    for lab, (p, rec, f1, n) in r["per_label"].items():  # type: ignore[union-attr]
        print(f"{lab:<16}{p:>10.3f}{rec:>8.3f}{f1:>7.3f}{n:>9}")
    conf: Counter[tuple[str, str]] = r["confusion"]  # type: ignore[assignment]
    short = [g[:6] for g in GOLD]
    print("\nconfusion (rows gold, columns predicted)")
    print(f"{'':<16}" + "".join(f"{s:>8}" for s in short))
    for g in GOLD:
        print(f"{g:<16}" + "".join(f"{conf[(g, p)]:>8}" for p in GOLD))


_SPEAKERS = [
    "I've been so tired since the new job started and my manager keeps piling on more work.",
    "My sister hasn't called me in weeks and I don't know if I did something wrong.",
    "I failed my driving test again and honestly I feel like giving up on it.",
    "Since we moved here I haven't made a single friend and the evenings feel really long.",
]
_RESPONSES = [
    "It sounds like you're worn out and feel nobody at work sees how much you carry.",
    "Have you tried talking to your manager about the workload?",
    "What would you like to happen with your sister?",
    "Do you still want to pass the test?",
    "You kept going even after two tries, that takes real determination.",
    "I moved cities a few years ago and it took me ages to find my people.",
    "Lots of towns have evening clubs where newcomers meet each other.",
    "Thanks for telling me all this.",
    "So you're wondering whether you upset her?",
    "At least you have a job, don't worry, it will be fine.",
]


def generate(n: int, seed: int = 5) -> list[str]:
    """``n`` JSON lines of invented speaker/response pairs, with key points on some."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        rec: dict[str, object] = {"speaker": rng.choice(_SPEAKERS), "response": rng.choice(_RESPONSES)}
        if i % 3 == 0:
            rec["key_points"] = ["tired since the new job", "manager adds work"]
            rec["feelings"] = ["exhausted", "unappreciated"]
        lines.append(json.dumps(rec))
    return lines


def throughput(n: int = 50_000) -> tuple[float, float]:
    """Responses per second (wall clock, CPU time) through the function behind ``roleplay observe``.

    CPU time is this process's time on its one core, which other busy processes do not inflate.
    """
    lines = generate(n)
    observe("warm up", "warm up the lexicon")  # loading the data files is start-up, not per response
    wall, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in observe_lines(lines))
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def main() -> None:
    """Print the accuracy table (when the data is there) and the throughput."""
    print_accuracy(ESCONV)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    wall, cpu = throughput(n)
    print(f"\nthroughput: {wall:,.0f} responses/second wall clock, {cpu:,.0f} per CPU second "
          f"({n:,} generated lines, one process, one core, start-up excluded)")


if __name__ == "__main__":
    main()
