"""Issue 13, items 5-6: `roleplay observe` on hostile standard input: every line gets an output line
(an error object when it cannot be read), output is always strict JSON, memory stays bounded."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOOD = json.dumps({"speaker": "I feel stuck at work", "response": "So work feels like a trap?"}).encode()
GIB = 1024**3


def _strict(name: str) -> float:
    raise AssertionError(f"{name} in output")


def observe(data: bytes | None = None, *args: str, memory: int = 3 * GIB,
            timeout: float = 60) -> tuple[int, list[dict], str]:
    """Run `roleplay observe` in a child with an address-space limit; output lines parsed strictly."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    result = subprocess.run([sys.executable, "-c", "from roleplay.cli import main; main()", "observe", *args],
                            input=data, capture_output=True, timeout=timeout, cwd=REPO, preexec_fn=limit,
                            check=False)
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-2000:]
    lines = [json.loads(line, parse_constant=_strict) for line in result.stdout.decode("utf-8").splitlines()]
    return result.returncode, lines, err


def test_one_bad_byte_costs_one_line() -> None:
    """10,001 lines with one bad byte on line 5,001 gave a traceback and 4,968 output lines."""
    rows = [GOOD] * 10_001
    rows[5_000] = b'{"speaker": "caf\xe9", "response": "ok"}'
    code, out, err = observe(b"\n".join(rows) + b"\n")
    assert code == 1 and "1 line(s) could not be read" in err
    assert len(out) == 10_001
    assert [o["line"] for o in out] == list(range(1, 10_002))
    assert out[5_000]["error"] == "not UTF-8 text: byte 0xe9 at column 17"
    assert all("label" in o for i, o in enumerate(out) if i != 5_000)


def test_utf16_input_is_an_error_per_line_not_a_traceback() -> None:
    code, out, _ = observe((GOOD.decode() + "\n" + GOOD.decode() + "\n").encode("utf-16"))
    assert code == 1 and out and all("error" in o for o in out)
    assert "UTF-16" in out[0]["error"]


def test_lone_surrogate_is_an_error_for_its_line() -> None:
    bad = b'{"speaker": "hi", "response": "so \\ud800 you"}'
    pair = b'{"speaker": "hi", "response": "so \\ud83d\\ude00 you"}'  # a real pair is a character
    code, out, _ = observe(b"\n".join([GOOD, bad, pair, GOOD]) + b"\n")
    assert code == 1
    assert [("error" in o) for o in out] == [False, True, False, False]
    assert "surrogate" in out[1]["error"]


def test_utf8_bom_on_line_one_is_allowed() -> None:
    code, out, _ = observe(b"\xef\xbb\xbf" + GOOD + b"\n" + GOOD + b"\n")
    assert code == 0 and len(out) == 2 and all("label" in o for o in out)


@pytest.mark.parametrize("value", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"[1, NaN]"])
def test_non_finite_ids_are_never_echoed(value: bytes) -> None:
    line = b'{"speaker": "hi", "response": "so you feel", "id": ' + value + b"}"
    code, out, _ = observe(GOOD + b"\n" + line + b"\n" + b'{"speaker": "a", "response": "b", "id": 7}\n')
    assert code == 1
    assert "error" in out[1] and "id" not in out[1]
    assert out[2]["id"] == 7


def test_huge_integer_id_is_an_error() -> None:
    line = b'{"speaker": "hi", "response": "so", "id": ' + b"9" * 5_000 + b"}"
    code, out, _ = observe(line + b"\n" + GOOD + b"\n")
    assert code == 1 and out[0]["error"] == "the line holds a number with more than 4,300 digits"
    assert "label" in out[1]


def test_deeply_nested_line_is_an_error() -> None:
    line = b'{"speaker": "hi", "response": "so", "id": ' + b"[" * 400_000 + b"]" * 400_000 + b"}"
    code, out, _ = observe(line + b"\n" + GOOD + b"\n")
    assert code == 1 and out[0]["error"] == "the line nests lists or objects too deeply"
    assert "label" in out[1]


def test_a_50_mb_line_is_capped_and_the_run_goes_on() -> None:
    """A 50 MB line took 2.3 GB; now it is an error line, read in bounded pieces, under 1 GB."""
    huge = b'{"speaker": "hi", "response": "' + b"x" * 50_000_000 + b'"}'
    start = time.monotonic()
    code, out, _ = observe(b"\n".join([GOOD, huge, GOOD]) + b"\n", memory=1 * GIB)
    assert time.monotonic() - start < 30
    assert code == 1 and len(out) == 3
    assert "longer than 1,000,000 bytes" in out[1]["error"]
    assert "label" in out[0] and "label" in out[2] and out[2]["line"] == 3


def test_dev_zero_ends_with_errors_in_bounded_time_and_memory() -> None:
    """`observe /dev/zero` ended in MemoryError; now: an error line, a stop, exit 1, under 1 GB."""
    start = time.monotonic()
    code, out, err = observe(None, "/dev/zero", memory=1 * GIB, timeout=30)
    assert time.monotonic() - start < 10
    assert code == 1 and "could not be read" in err
    assert len(out) == 2 and "longer than" in out[0]["error"] and "stopped reading" in out[1]["error"]
