"""CLI start-up: `roleplay --version` against `python -c "import click"`, side by side (target <= 2x)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(runs: int = 21) -> None:
    """Interleave the two commands so machine noise hits both alike; print medians and the ratio."""
    baseline_cmd = [sys.executable, "-c", "import click"]
    script = Path(sys.executable).with_name("roleplay")  # the console script people type
    ours_cmd = [str(script), "--version"] if script.exists() else [sys.executable, "-m", "roleplay", "--version"]
    _time(ours_cmd, 2)  # warm the file cache and bytecode
    base, ours = [], []
    for _ in range(runs):
        base.append(_time(baseline_cmd, 1))
        ours.append(_time(ours_cmd, 1))
    b, o = statistics.median(base), statistics.median(ours)
    verdict = "ok" if o <= 2 * b else "SLOW"
    print(f"roleplay --version: {o * 1000:.1f} ms; python -c 'import click': {b * 1000:.1f} ms; "
          f"ratio {o / b:.2f}x (target <= 2x) {verdict}")


if __name__ == "__main__":
    main()
