"""The held-out style bad-input check (issue 13, "Done when"): every hostile file or stream, given to the
command line in a child process under a 4 GB address-space limit, ends within 10 s with exit 1 or 2, the
file named in standard error, and no traceback.

Run as a script (``python -m tests.functional.test_hostile_inputs``) it prints each case's time and peak
memory, the figures quoted in the issue's closing note.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIMIT_BYTES = 4 * 1024**3
LIMIT_SECONDS = 10.0
GOOD_LINE = b'{"speaker": "I feel stuck", "response": "So you feel trapped?"}\n'


@dataclass(frozen=True)
class Case:
    """One hostile input: the files it writes, the command, optional standard input, what must be named."""

    name: str
    make: Callable[[Path], tuple[list[str], bytes | None, str]]
    """Given a scratch folder: (command arguments, standard input or None, text stderr must contain)."""


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _file_case(name: str, data: bytes | Callable[[], bytes], *command: str) -> Case:
    def make(folder: Path) -> tuple[list[str], bytes | None, str]:
        path = _write(folder, name, data() if callable(data) else data)
        args = [part.replace("{}", str(path)) for part in command] if command else ["validate", str(path)]
        return args, None, str(path)
    return Case(f"{' '.join(command[:1]) or 'validate'} {name}", make)


def _bomb() -> bytes:
    text = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi",
                                                                                        strict=True))
    return text.encode()


def _amplified() -> bytes:
    return ("kind: scenario\nlong: &s " + "x" * 4_000 + "\nmany:\n" + "- *s\n" * 95_000).encode()


def _cycle() -> bytes:
    import yaml

    from benchmarks.bench_validate import scenario_dict

    data = scenario_dict(1, turns=3)
    closed = next(t for t in data["turns"] if t["id"] == "closed-up")
    closed.pop("next")
    closed["branches"] = [{"when": "advice", "goto": "turn-0"}]
    return yaml.safe_dump(data, sort_keys=False).encode()


DEEP = b"title:\n" + b"- " * 11_400 + b"x\n"
YAML_CASES = {
    "deep-11400.yaml": DEEP,
    "deep-10000.yaml": b"title:\n" + b"- " * 10_000 + b"x\n",
    "deep-flow.yaml": b"a: " + b"[" * 12_000 + b"]" * 12_000 + b"\n",
    "deep-indent.yaml": b"".join(b" " * i + b"k:\n" for i in range(900)),
    "bomb.yaml": _bomb,
    "amplified.yaml": _amplified,
    "utf16.yaml": "kind: rubric\nid: x\n".encode("utf-16"),
    "latin1.yaml": "kind: rubric\ntitle: Caf\u00e9\n".encode("latin-1"),
    "big-50mb.yaml": lambda: b"kind: rubric\nid: '" + b"x" * 50_000_000 + b"'\n",
    "binary.yaml": bytes(range(256)) * 64,
    "python-tag.yaml": b"kind: scenario\nid: !!python/object/apply:os.system ['echo hacked']\n",
    "cycle.yaml": _cycle,
}


def _library_case(name: str, build: Callable[[Path], str]) -> Case:
    def make(folder: Path) -> tuple[list[str], bytes | None, str]:
        lib = folder / "lib"
        lib.mkdir()
        named = build(lib)
        return ["--library", str(lib), "list"], None, named
    return Case(f"list {name}", make)


def _deep_in_library(lib: Path) -> str:
    return str(_write(lib, "deep.yaml", DEEP))


def _loop_in_library(lib: Path) -> str:
    (lib / "loop").symlink_to(lib)
    return str(lib / "loop")


def _folder_in_library(lib: Path) -> str:
    (lib / "x.yaml").mkdir()
    return str(lib / "x.yaml")


def _stdin_case(name: str, data: bytes | Callable[[], bytes]) -> Case:
    def make(folder: Path) -> tuple[list[str], bytes | None, str]:
        return ["observe"], data() if callable(data) else data, "standard input"
    return Case(f"observe stdin {name}", make)


def _export(folder: Path, edit: Callable[[dict], None] | None = None) -> dict:
    from roleplay.reports.sample import play_group
    from roleplay.reports.transfer import checksum, export_document
    from roleplay.storage import open_store

    with open_store(folder / "laptop") as store:
        play_group(store, ("Ana", "Ben", "Cleo"), session_id="triad0001")
        doc = export_document(store, "triad0001")
    if edit is not None:
        edit(doc)
    doc["checksum"] = {"algorithm": "sha256", "value": checksum(doc)}
    return doc


def _rating(value: object, key: str = "value") -> Callable[[dict], None]:
    def edit(doc: dict) -> None:
        next(e for e in doc["session"]["events"] if e["type"] == "rating_recorded")["data"][key] = value
    return edit


def _import_case(name: str, build: Callable[[Path], bytes | None]) -> Case:
    def make(folder: Path) -> tuple[list[str], bytes | None, str]:
        path = folder / name
        data = build(folder)
        if data is None:  # a sparse 2 GB file: no disk used, nothing to read
            with path.open("wb") as handle:
                handle.truncate(2 * 1024**3)
        else:
            path.write_bytes(data)
        return ["--data-dir", str(folder / "tutor"), "import", str(path)], None, str(path)
    return Case(f"import {name}", make)


def _pipe_case(*command: str) -> Case:
    """A named pipe no one writes to: opening it to read would wait for ever."""
    def make(folder: Path) -> tuple[list[str], bytes | None, str]:
        path = folder / "pipe.yaml"
        os.mkfifo(path)
        prefix = ["--data-dir", str(folder / "tutor")] if command[0] == "import" else []
        return [*prefix, *command, str(path)], None, str(path)
    return Case(f"{command[0]} a named pipe", make)


CASES: list[Case] = [
    Case("validate /dev/zero", lambda folder: (["validate", "/dev/zero"], None, "/dev/zero")),
    _pipe_case("validate"),
    _pipe_case("import"),
    _stdin_case("deep JSON line", b'{"speaker": "a", "response": "b", "id": ' + b"[" * 400_000 + b"]" * 400_000
                + b"}\n"),
    *[_file_case(name, data) for name, data in YAML_CASES.items()],
    *[_file_case(f"rubric-{name}", YAML_CASES[name], "observe", "--rubric", "{}")
      for name in ("deep-11400.yaml", "deep-flow.yaml", "bomb.yaml", "amplified.yaml", "utf16.yaml", "latin1.yaml",
                   "big-50mb.yaml")],
    _library_case("deep file", _deep_in_library),
    _library_case("symlink loop", _loop_in_library),
    _library_case("folder named x.yaml", _folder_in_library),
    _stdin_case("invalid UTF-8", GOOD_LINE * 1_000 + b'{"speaker": "caf\xe9", "response": "x"}\n' + GOOD_LINE * 1_000),
    _stdin_case("UTF-16", GOOD_LINE.decode().encode("utf-16") * 3),
    _stdin_case("lone surrogate", b'{"speaker": "a", "response": "\\ud800"}\n'),
    _stdin_case("NaN id", b'{"speaker": "a", "response": "b", "id": NaN}\n'
                          b'{"speaker": "a", "response": "b", "id": 1e999}\n'),
    _stdin_case("50 MB line", lambda: b'{"speaker": "a", "response": "' + b"x" * 50_000_000 + b'"}\n' + GOOD_LINE),
    Case("observe /dev/zero", lambda folder: (["observe", "/dev/zero"], None, "/dev/zero")),
    _import_case("deep.json",
                 lambda f: b'{"format": "roleplay-session", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    _import_case("huge-int.json", lambda f: b'{"format": "roleplay-session", "version": ' + b"9" * 5_000 + b"}"),
    _import_case("huge-2gb.json", lambda f: None),
    _import_case("rating-99.json", lambda f: json.dumps(_export(f, _rating(99))).encode()),
    _import_case("outsider.json", lambda f: json.dumps(_export(f, _rating("Mallory", "rater"))).encode()),
    _import_case("nan.json", lambda f: b'{"format": "roleplay-session", "version": NaN}'),
    _import_case("utf16.json", lambda f: json.dumps(_export(f)).encode("utf-16")),
]


@dataclass(frozen=True)
class Outcome:
    code: int
    seconds: float
    peak_mb: float
    stderr: str


def run_case(case: Case, folder: Path) -> tuple[Outcome, str]:
    """Run one case in a child with the limits; wait4 gives that child's own peak memory."""
    args, stdin, named = case.make(folder)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))

    stdin_path = folder / "stdin"
    stdin_path.write_bytes(stdin or b"")
    env = {**os.environ, "ROLEPLAY_DATA_DIR": str(folder / "data")}
    with stdin_path.open("rb") as fin, (folder / "out").open("wb") as fout, (folder / "err").open("wb") as ferr:
        start = time.monotonic()
        child = subprocess.Popen([sys.executable, "-c", "from roleplay.cli import main; main()", *args],
                                 stdin=fin, stdout=fout, stderr=ferr, cwd=REPO, env=env, preexec_fn=limit)
        killer = threading.Timer(3 * LIMIT_SECONDS, child.kill)
        killer.start()
        _, status, usage = os.wait4(child.pid, 0)
        killer.cancel()
        seconds = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = (folder / "err").read_bytes().decode("utf-8", "replace")
    return Outcome(child.returncode, seconds, usage.ru_maxrss / 1024, err), named


_warmed: set[str] = set()


@pytest.fixture
def warm_cache() -> None:
    """Build the observer's lexicon cache (in the test's cache folder) once, as any first run does: the
    cases time hostile input, not that one-off build (a few CPU seconds on a fresh machine)."""
    folder = os.environ.get("ROLEPLAY_CACHE_DIR", "")
    if folder not in _warmed:
        subprocess.run([sys.executable, "-c", "from roleplay.cli import main; main()", "observe"],
                       input=GOOD_LINE, capture_output=True, cwd=REPO, check=True, timeout=120)
        _warmed.add(folder)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case, warm_cache: None) -> None:
    outcome, named = run_case(case, tmp_path)
    assert outcome.code in (1, 2), (outcome.code, outcome.stderr[-2000:])
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert named in outcome.stderr, outcome.stderr[-2000:]
    assert outcome.seconds < LIMIT_SECONDS, outcome.seconds


def main() -> None:
    """Print every case's exit code, time and peak memory (resident set) as a table."""
    import tempfile

    subprocess.run([sys.executable, "-c", "from roleplay.cli import main; main()", "observe"], input=GOOD_LINE,
                   capture_output=True, cwd=REPO, check=True, timeout=120)  # the one-off lexicon cache build
    print(f"{'case':<44} {'exit':>4} {'seconds':>8} {'peak MB':>8}  named  traceback")
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            outcome, named = run_case(case, Path(tmp))
        print(f"{case.name:<44} {outcome.code:>4} {outcome.seconds:>8.2f} {outcome.peak_mb:>8.0f}  "
              f"{'yes' if named in outcome.stderr else 'NO':<5}  {'YES' if 'Traceback' in outcome.stderr else 'no'}")


if __name__ == "__main__":
    main()
