"""Benchmark the automatic observer: accuracy on ESConv and throughput of ``roleplay observe``.

Run ``python -m benchmarks.bench_observer`` from the project root (``--accuracy-only`` skips the
throughput part). Accuracy needs
``../shared/data/esconv-dev.jsonl`` (or the path in ``ROLEPLAY_ESCONV``); it is skipped with a
message when the file is absent. ESConv labels questions without open/closed, so both are folded
into ``question``; the figures are printed for the whole file and for its odd and even lines apart
(rules are checked on both halves, so a change that helps one and hurts the other shows).

Throughput is measured two ways on generated input, start-up excluded:

- in-process: the ``roleplay observe FILE`` command itself (the click command, reading the file and
  writing every output line to ``/dev/null``), called once on a one-line file to load everything,
  then timed on the big file;
- whole command: ``python -m roleplay observe FILE`` as a child process, on the big file and on a
  one-line file; the difference of the two times is the cost of the lines.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from roleplay.cli import cli
from roleplay.observer import observe

ESCONV = Path(os.environ.get("ROLEPLAY_ESCONV", Path(__file__).resolve().parents[2] / "shared/data/esconv-dev.jsonl"))
GOLD = ("reflection", "question", "advice", "affirmation", "self_disclosure", "information", "other")


#: ESConv files reassurance with affirmation ("Affirmation and Reassurance"), and has no code for a
#: judgment: a verdict on the speaker is read as the suggestion it implies ("Providing Suggestions").
_ESCONV = {"reassurance": "affirmation", "judgment": "advice"}


def fold(label: str) -> str:
    """Map the observer's labels onto ESConv's seven."""
    return "question" if label.startswith("question") else _ESCONV.get(label, label)


def evaluate(path: Path, parity: int | None = None) -> dict[str, object]:
    """Accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix on one file.

    With ``parity`` 1 or 0, only the odd or even line numbers (counting from 1) are read.
    """
    confusion: Counter[tuple[str, str]] = Counter()
    for number, line in enumerate(path.open(encoding="utf-8"), start=1):
        if parity is not None and number % 2 != parity:
            continue
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
    print("\nhalves (F1 per label)")
    print(f"{'lines':<7}{'accuracy':>9}{'macro-F1':>9}" + "".join(f"{s:>8}" for s in short))
    for name, parity in (("all", None), ("odd", 1), ("even", 0)):
        h = r if parity is None else evaluate(path, parity)
        per: dict[str, tuple[float, float, float, int]] = h["per_label"]  # type: ignore[assignment]
        print(f"{name:<7}{h['accuracy']:>9.3f}{h['macro_f1']:>9.3f}" + "".join(f"{per[g][2]:>8.3f}" for g in GOLD))


_SPEAKERS = [
    "I've been so tired since the new job started and my manager keeps piling on more work.",
    "My sister hasn't called me in weeks and I don't know if I did something wrong.",
    "I failed my driving test again and honestly I feel like giving up on it.",
    "Since we moved here I haven't made a single friend and the evenings feel really long.",
    "Money is tight this month and I keep lying awake adding up the bills in my head.",
    "My dad is getting more forgetful and I'm the one who has to sort everything out for him.",
    "I went back to college this year but everyone else seems younger and more sure of themselves.",
    "We argued again last night and I just don't know whether this relationship is good for me anymore.",
]
_KEY_POINTS = [["tired since the new job", "manager adds work"],
               ["sister stopped calling", "worried it is their fault"],
               ["failed the test again", "wants to give up"], ["no friends since the move", "long evenings"]]
_FEELINGS = [["exhausted", "unappreciated"], ["hurt", "confused"], ["discouraged"], ["lonely"]]

# Pieces of listener responses, written for this benchmark; each response joins one to three of them.
_OPENERS = ["", "", "So ", "Okay, ", "I see. ", "Hmm, ", "Right. ", "Thanks for telling me. ", "I hear you. "]
_BODIES = [
    "it sounds like you're worn out and feel that nobody notices how much you carry every day",
    "you feel stuck between wanting to speak up and being afraid of making things worse",
    "part of you wants to walk away from it all, and part of you still cares a great deal",
    "that must be exhausting, especially when you have so little time left for yourself",
    "you kept going after every setback, and that takes a real kind of determination",
    "you have already done a lot just by noticing this and wanting to talk it through",
    "I went through something similar a few years ago and it took me a long time to feel settled",
    "when I moved cities I spent most evenings alone too, so I know a little of how that feels",
    "lots of people find the first months in a new place the loneliest part of the change",
    "many colleges run evening groups for returning students where people swap notes and worries",
    "you should tell your manager plainly that you cannot take on any more this month",
    "maybe you could write down the bills and pick one small thing to sort out this week",
    "try calling her this weekend and just asking how she has been",
    "at least you still have a job, so don't worry too much about it for now",
    "it's completely understandable to feel this way after everything that has happened",
    "I'm sure things will get easier once you find your feet again",
]
_QUESTIONS = [
    "What has that been like for you?", "How are the evenings at the moment?", "What would you like to happen next?",
    "Is that close to how it feels?", "Have you tried talking to someone at work about it?",
    "Do you still want to pass the test?", "What matters most to you in all of this?",
    "Would it help to talk about what you could say to her?", "Have I got that right?",
    "Tell me more about what a normal day looks like for you.",
    "How did you cope the last time something like this happened?",
]
_CLOSERS = ["", "", "", " Take care.", " Thank you for sharing this with me.", " I'm really glad you told me."]


_LEADS = ["That sounds like a lot to hold at once.", "I can hear how much this matters to you.",
          "Thanks for trusting me with something this personal.", "It sounds like this week has been heavy."]


def _response(rng: random.Random) -> str:
    """One invented listener response of 10 to 40 words."""
    while True:
        text = _draft(rng)
        if 10 <= len(text.split()) <= 40:
            return text


def _draft(rng: random.Random) -> str:
    """One response: a statement, a statement and a question, two statements, or a lead-in and a question."""
    kind = rng.random()
    body = rng.choice(_BODIES)
    opener = rng.choice(_OPENERS)
    text = opener + (body[0].upper() if opener in ("",) or opener.endswith(". ") else body[0]) + body[1:] + "."
    if kind < 0.35:
        text += " " + rng.choice(_QUESTIONS)
    elif kind < 0.5:
        text = rng.choice(_LEADS) + " " + rng.choice(_QUESTIONS)
    elif kind < 0.65:
        other = rng.choice(_BODIES)
        text += " " + other[0].upper() + other[1:] + "."
    return text + rng.choice(_CLOSERS)


def generate(n: int, seed: int = 5) -> list[str]:
    """``n`` JSON lines of invented speaker/response pairs: a few scenario lines, many varied responses.

    As in a class or a solo session, a speaker line comes back for many responses, a third of the
    records carry the turn's key points and feelings, and responses mix one to three sentences.
    """
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        s = rng.randrange(len(_SPEAKERS))
        rec: dict[str, object] = {"speaker": _SPEAKERS[s], "response": _response(rng)}
        if i % 3 == 0 and s < len(_KEY_POINTS):
            rec["key_points"] = _KEY_POINTS[s]
            rec["feelings"] = _FEELINGS[s]
        lines.append(json.dumps(rec))
    return lines


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run_command(path: Path) -> None:
    """``roleplay observe PATH`` in this process, its output thrown away (as to a file)."""
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        cli.main(["observe", str(path)], prog_name="roleplay", standalone_mode=False)


def throughput(n: int = 50_000, runs: int = 3) -> tuple[float, float]:
    """Median responses per second (wall clock, CPU time) over ``runs`` runs of ``roleplay observe``.

    The click command itself runs in this process on a file of ``n`` generated lines: reading,
    JSON parsing, observing, JSON output and writing are all timed. A first run on a one-line file
    does the start-up (loading the data files). CPU time is this process's time on its one core,
    which other busy processes inflate less.
    """
    with tempfile.TemporaryDirectory() as tmp:
        big = _write(Path(tmp), "big.jsonl", generate(n))
        _run_command(_write(Path(tmp), "one.jsonl", generate(1)))  # start-up, not timed
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            _run_command(big)
            walls.append(n / (time.perf_counter() - wall))
            cpus.append(n / (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def whole_command(n: int = 100_000, runs: int = 3) -> float:
    """Responses per second of ``python -m roleplay observe FILE`` as a child process.

    The median time on a one-line file (start-up: interpreter, imports, data files) is taken from
    the median time on an ``n``-line file; wall clock, output to ``/dev/null``.
    """
    def timed(path: Path) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "roleplay", "observe", str(path)], check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        big = _write(Path(tmp), "big.jsonl", generate(n))
        one = _write(Path(tmp), "one.jsonl", generate(1))
        t_big = statistics.median(timed(big) for _ in range(runs))
        t_one = statistics.median(timed(one) for _ in range(runs))
    return (n - 1) / (t_big - t_one)


#: The figures before issue 17 (main at bf63600, measured on this machine the same day with this script
#: and ``benchmarks/replies.py``; the ESConv figures are unchanged by the issue's work).
BEFORE = {
    "key points F1 dev": 0.660, "key points F1 held-out": 0.614,
    "feeling F1 dev": 0.701, "feeling F1 held-out": 0.714,
    "unasked advice F1 dev": 0.928, "unasked advice F1 held-out": 0.875,
    "ESConv macro-F1": 0.502, "ESConv macro-F1 odd": 0.501, "ESConv macro-F1 even": 0.503,
    "first answer (s)": 2.95, "throughput per CPU second": 13_354,
}


def first_answer(runs: int = 5, points: bool = True) -> tuple[tuple[float, float], tuple[float, float]]:
    """Seconds from a fresh process to its first answer, as (wall clock, CPU) medians:
    ``python -m roleplay observe`` on one line (with key points and feelings: the cached lexicon and
    the model load), then the same with an empty cache folder (the lexicon cache is built first).

    As an installed package runs: the child may write its bytecode (into a temporary folder, not
    the source tree), and a first, untimed run writes it. CPU is the child's user + system time,
    which a busy machine inflates far less than the wall clock.
    """
    fields = {"key_points": _KEY_POINTS[0], "feelings": _FEELINGS[0]} if points else {}
    record = json.dumps({"speaker": _SPEAKERS[0], "response": "So you're worn out and nobody notices?", **fields})

    def timed(cache: str, pyc: str) -> tuple[float, float]:
        env = dict(os.environ, ROLEPLAY_CACHE_DIR=cache, PYTHONPYCACHEPREFIX=pyc)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "roleplay", "observe"], input=record + "\n", text=True, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)

    with tempfile.TemporaryDirectory() as tmp:
        pyc = str(Path(tmp) / "pyc")
        timed(str(Path(tmp) / "warm"), pyc)  # writes the bytecode and the cache, not timed
        warm = median([timed(str(Path(tmp) / "warm"), pyc) for _ in range(runs)])
        cold = []
        for k in range(max(1, runs // 2)):
            cold.append(timed(str(Path(tmp) / f"cold{k}"), pyc))  # an empty cache folder each time
    return warm, median(cold)


def print_replies() -> None:
    """Key-point, feeling and unasked-advice F1 on the annotated replies, dev and held-out, beside before."""
    from benchmarks.replies import scores, splits

    print("annotated trainee replies (benchmarks/data/replies.yaml): F1 (precision, recall), before issue 17")
    for name, part in splits():
        for kind, (p, r, f) in scores(part).items():
            before = BEFORE.get(f"{kind} F1 {name}")
            print(f"  {name:<9} {kind:<15} F1 {f:.3f} (P {p:.2f}, R {r:.2f})   before {before:.3f}")


def main() -> None:
    """Print the replies' F1, the accuracy tables (when the data is there), time to first answer and
    both throughput figures, each beside the figure before issue 17.

    Arguments: an optional line count for the throughput runs; ``--accuracy-only`` skips them.
    """
    args = sys.argv[1:]
    print_replies()
    print(f"\nbefore issue 17: ESConv macro-F1 {BEFORE['ESConv macro-F1']} (odd {BEFORE['ESConv macro-F1 odd']}, "
          f"even {BEFORE['ESConv macro-F1 even']})")
    print_accuracy(ESCONV)
    if "--accuracy-only" in args:
        return
    counts = [a for a in args if not a.startswith("--")]
    n = int(counts[0]) if counts else 50_000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    (warm, warm_cpu), (cold, cold_cpu) = first_answer()
    (plain, plain_cpu), _ = first_answer(points=False)
    print(f"\nfirst answer (fresh process, median wall clock / CPU; target <= 0.3 s; load average {load:.1f} on "
          f"{os.cpu_count()} cores): {warm:.2f} s / {warm_cpu:.2f} s CPU with key points (cached lexicon, model "
          f"loaded), {plain:.2f} s / {plain_cpu:.2f} s CPU without (no model, no numpy); before "
          f"{BEFORE['first answer (s)']} s every time")
    print(f"fresh cache (empty cache folder: the lexicon cache is built, then the answer): {cold:.2f} s / "
          f"{cold_cpu:.2f} s CPU")
    wall, cpu = throughput(n)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nthroughput in-process: {wall:,.0f} responses/second wall clock, {cpu:,.0f} per CPU second "
          f"(the observe command on {n:,} generated lines of 10-40 words, median of 3 runs, one core, "
          f"start-up excluded, load average {load:.1f}); before {BEFORE['throughput per CPU second']:,} "
          "per CPU second; target 20,000")
    whole = whole_command(2 * n)
    print(f"throughput whole command: {whole:,.0f} responses/second wall clock "
          f"(python -m roleplay observe on {2 * n:,} lines minus on 1 line, median of 3 runs each)")


if __name__ == "__main__":
    main()
