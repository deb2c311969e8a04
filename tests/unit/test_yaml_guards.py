"""Issue 13, items 1-3: depth and size guards run before any parser, on every path that reads YAML.

The first tests run the command line in a child process: the original failure was a segfault (exit
139) that would take the test run down with it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplay.content.library import load_library
from roleplay.content.validate import load_content_file
from roleplay.content.yamlsafe import MAX_EXPANDED_CHARS, check_shape, load_yaml_text, plainly_small

REPO = Path(__file__).resolve().parents[2]
DEEP_BLOCK = "title:\n" + "- " * 11_400 + "x\n"  # 23 KB; segfaulted validate, list, preview and the app


def roleplay(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from roleplay.cli import main; main()", *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=60, cwd=REPO, check=False)


def decoded(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("depth", [10_000, 11_400])
def test_deep_block_sequence_is_refused_not_a_crash(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("title:\n" + "- " * depth + "x\n", "utf-8")
    result = roleplay("validate", str(path))
    out = decoded(result)
    assert result.returncode == 1, (result.returncode, out[-500:])
    assert f"{path}:2:" in out and "nesting deeper than 64 levels" in out
    assert "Traceback" not in out


def test_deep_file_in_the_library_folder_does_not_crash_list(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "deep.yaml").write_text(DEEP_BLOCK, "utf-8")
    result = roleplay("--library", str(tmp_path / "lib"), "list")
    assert result.returncode == 1, decoded(result)[-500:]
    assert "deep.yaml" in result.stderr.decode()


def test_app_library_scan_survives_a_deep_file(tmp_path: Path) -> None:
    """The app's library scan (the same loader as preview) in a child process: no segfault."""
    (tmp_path / "deep.yaml").write_text(DEEP_BLOCK, "utf-8")
    code = ("import sys; from pathlib import Path; from roleplay.content.library import load_library;"
            "lib = load_library([Path(sys.argv[1])], include_user=False);"
            "print([p.format() for p in lib.problems]); sys.exit(3 if lib.problems else 0)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, timeout=60,
                            cwd=REPO, check=False)
    assert result.returncode == 3, result
    assert b"nesting deeper than 64 levels" in result.stdout


@pytest.mark.parametrize("text", [
    "a: " + "[" * 12_000 + "]" * 12_000 + "\n",
    "a: " + "{b: " * 12_000 + "}" * 12_000 + "\n",
    "".join(" " * i + "k:\n" for i in range(900)),
    "- " * 3_000 + "x\n",
    "? " * 3_000 + "x\n",
    "".join("  " * i + "- !!seq\n" for i in range(400)),
    "".join("  " * i + ("- k:\n" if i % 2 else "k:\n") for i in range(400)),
], ids=["flow-seq", "flow-map", "indented-keys", "dashes", "complex-keys", "tagged-items", "mixed-block"])
def test_every_nesting_style_is_bounded_before_parsing(text: str) -> None:
    doc = load_yaml_text(Path("x.yaml"), text.encode())
    assert doc.data is None
    assert any("nesting deeper" in p.message for p in doc.problems), doc.problems


def test_alias_amplification_is_capped_by_expanded_size(tmp_path: Path) -> None:
    """95,000 aliases of a 4,000-character string: under the value cap, but 380 M characters."""
    text = "kind: scenario\nlong: &s " + "x" * 4_000 + "\nmany:\n" + "- *s\n" * 95_000
    path = tmp_path / "amplified.yaml"
    path.write_text(text, "utf-8")
    assert len(text) < 500_000
    start = time.monotonic()
    loaded = load_content_file(path)
    assert time.monotonic() - start < 5
    assert loaded.model is None
    assert any(f"more than {MAX_EXPANDED_CHARS:,} characters" in p.message for p in loaded.errors)
    line = next(p.line for p in loaded.errors if "characters" in p.message)
    assert 4 < line < 1_000  # where the budget ran out, not 1:1


def test_a_few_aliases_of_short_text_still_load() -> None:
    doc = load_yaml_text(Path("x.yaml"), b"a: &n Sam\nb: [*n, *n]\n")
    assert doc.data == {"a": "Sam", "b": ["Sam", "Sam"]} and not doc.problems


@pytest.mark.parametrize(("raw", "words"), [
    ("kind: rubric\nid: x\n".encode("utf-16"), "UTF-16"),
    ("kind: rubric\nid: x\n".encode("utf-16-le"), "UTF-16"),
    ("kind: rubric\ntitle: Caf\u00e9\n".encode("latin-1"), "invalid UTF-8"),
], ids=["utf16-bom", "utf16-le", "latin1"])
def test_other_encodings_are_named(raw: bytes, words: str) -> None:
    doc = load_yaml_text(Path("x.yaml"), raw)
    assert doc.data is None and words in doc.problems[0].message


def test_utf8_with_and_without_bom_read_the_same() -> None:
    plain = load_yaml_text(Path("x.yaml"), "a: café\n".encode())
    bom = load_yaml_text(Path("x.yaml"), "a: café\n".encode("utf-8-sig"))
    assert plain.data == bom.data == {"a": "café"}


BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("name", "content", "words"), [
    ("bomb.yaml", BOMB.encode(), "aliases expanded"),
    ("deep.yaml", ("kind: rubric\nscale: " + "[" * 12_000 + "\n").encode(), "nesting deeper"),
    ("utf16.yaml", "kind: rubric\nid: x\n".encode("utf-16"), "UTF-16"),
    ("latin1.yaml", "kind: rubric\ntitle: Caf\u00e9\n".encode("latin-1"), "invalid UTF-8"),
    ("big.yaml", b"kind: rubric\nid: '" + b"x" * 50_000_000 + b"'\n", "MB"),
], ids=["alias-bomb", "deep", "utf16", "latin1", "50MB"])
def test_observe_rubric_file_goes_through_the_safe_loader(tmp_path: Path, name: str, content: bytes,
                                                          words: str) -> None:
    """`observe --rubric FILE` used yaml.safe_load: a 1 KB alias bomb grew to 24 GB."""
    path = tmp_path / name
    path.write_bytes(content)
    start = time.monotonic()
    result = roleplay("observe", "--rubric", str(path), stdin=b'{"speaker": "hi", "response": "hello"}\n')
    err = result.stderr.decode()
    assert time.monotonic() - start < 20
    assert result.returncode == 1, err
    assert f"{path}:" in err and words in err
    assert "Traceback" not in err and not result.stdout


def test_observe_rubric_that_is_not_a_rubric(tmp_path: Path) -> None:
    result = roleplay("observe", "--rubric", str(REPO / "scenarios" / "first-meeting.yaml"), stdin=b"")
    assert result.returncode == 1 and "not a rubric" in result.stderr.decode()


_READERS = re.compile(
    r"\b(?:yaml|yaml_rs|ruamel|strictyaml|oyaml)\b\s*\.\s*(?:safe_load|load|full_load|unsafe_load|load_all|"
    r"safe_load_all|compose|compose_all|parse|scan|loads|YAML)\b"
    r"|\b(?:C?SafeLoader|C?FullLoader|C?UnsafeLoader|C?BaseLoader|CLoader|Loader)\b"
    r"|^\s*(?:import|from)\s+(?:yaml|yaml_rs|ruamel|strictyaml)\b",
    re.MULTILINE,
)


def test_yamlsafe_is_the_only_yaml_entry_point() -> None:
    """Every YAML file the project reads goes through roleplay/content/yamlsafe.py."""
    offenders = []
    for path in sorted((REPO / "roleplay").rglob("*.py")):
        if path.name == "yamlsafe.py" and path.parent.name == "content":
            continue
        for match in _READERS.finditer(path.read_text("utf-8")):
            line = path.read_text("utf-8").count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(REPO)}:{line}: {match.group(0).strip()}")
    assert not offenders, "YAML read outside roleplay/content/yamlsafe.py:\n" + "\n".join(offenders)


def test_the_entry_point_check_can_fail() -> None:
    assert _READERS.search("data = yaml.safe_load(text)")
    assert _READERS.search("import yaml_rs as fast")
    assert _READERS.search("yaml.load(t, Loader=yaml.CLoader)")
    assert not _READERS.search("from roleplay.content.yamlsafe import load_yaml_file")


def test_shipped_library_still_loads_cleanly() -> None:
    library = load_library(include_user=False)
    assert library.scenarios and library.rubrics and not library.problems


nested = st.recursive(st.one_of(st.text(max_size=5), st.integers()),
                      lambda kids: st.one_of(st.lists(kids, max_size=3),
                                             st.dictionaries(st.text(min_size=1, max_size=4), kids, max_size=3)),
                      max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(data=nested, flow=st.sampled_from([None, True, False]), indent=st.integers(2, 6))
def test_the_quick_bound_never_lets_deep_text_past(data: object, flow: bool | None, indent: int) -> None:
    """Whenever the string-search bound says "small", the exact walk agrees: it never under-counts."""
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, indent=indent)
    if plainly_small(text):
        assert check_shape(Path("x.yaml"), text) is None
