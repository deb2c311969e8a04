"""The safe YAML reader: hostile and broken files become located problems, never exceptions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.content.validate import load_content_file
from roleplay.content.yamlsafe import MAX_BYTES, load_yaml_text

BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "only-comments": b"# nothing here\n\n",
    "top-level-list": b"- a\n- b\n",
    "top-level-string": b"just a sentence\n",
    "tabs": b"kind: scenario\nturns:\n\t- id: a\n",
    "unclosed-quote": b'kind: scenario\ntitle: "never closed\nid: x\n',
    "binary": bytes(range(256)) * 4,
    "invalid-utf8": b"kind: scenario\ntitle: caf\xe9\n",
    "nul-bytes": b"kind: scenario\x00\nid: x\n",
    "python-tag": b"kind: scenario\nid: !!python/object/apply:os.system ['echo hacked']\n",
    "python-name": b"!!python/name:os.system\n",
    "alias-bomb": BOMB.encode(),
    "deep-flow": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep-block": "".join("  " * i + "- \n" for i in range(3000)).encode(),
    "huge-value": b"kind: scenario\nsummary: '" + b"x" * (20 * 1024 * 1024) + b"'\n",
    "two-documents": b"kind: scenario\n---\nkind: rubric\n",
    "merge-key": b"base: &b {title: x}\nother:\n  <<: *b\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_a_located_problem(tmp_path: Path, name: str) -> None:
    """Each hostile file gives at least one problem with a line number, quickly, without raising."""
    path = tmp_path / "scenarios" / f"{name}.yaml"
    path.parent.mkdir()
    path.write_bytes(HOSTILE[name])
    start = time.monotonic()
    loaded = load_content_file(path)
    assert time.monotonic() - start < 5
    assert loaded.model is None
    assert loaded.errors, name
    for problem in loaded.errors:
        assert problem.line >= 1 and problem.column >= 1
        assert str(path) in problem.format()


def test_specific_messages(tmp_path: Path) -> None:
    """The messages say what is wrong in a tutor's words."""
    def first(name: str) -> str:
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(HOSTILE[name])
        return "\n".join(p.format() for p in load_content_file(path).errors)

    assert "file is empty" in first("empty")
    assert "tabs" in first("tabs")
    assert "quote" in first("unclosed-quote")
    assert "invalid UTF-8" in first("invalid-utf8") and ":2:" in first("invalid-utf8")
    assert "NUL" in first("nul-bytes")
    assert "not allowed" in first("python-tag") and ":2:" in first("python-tag")
    assert "MB" in first("huge-value")
    assert "nesting" in first("deep-flow")
    assert "mapping" in first("top-level-list")
    assert "merge keys" in first("merge-key")


def test_duplicate_keys_are_errors_with_both_lines(tmp_path: Path) -> None:
    """Plain YAML would keep the last value silently; here both places are named."""
    path = tmp_path / "dup.yaml"
    path.write_text("kind: scenario\nid: a\ntitle: First\ntitle: Second\n", "utf-8")
    problems = [p.format() for p in load_content_file(path).errors]
    assert any(":4:1:" in p and "duplicate key 'title' (first at line 3)" in p for p in problems), problems


def test_yes_no_are_words_not_booleans() -> None:
    """Unquoted yes/no stay text (YAML 1.2), so a speaker line 'no' is not turned into False."""
    doc = load_yaml_text(Path("x.yaml"), b"a: no\nb: true\n")
    assert doc.data == {"a": "no", "b": True}


def test_oversized_file_reads_bounded_bytes(tmp_path: Path) -> None:
    """A file over the limit is refused from its size without reading it all."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10))
    assert "MB" in load_content_file(path).errors[0].message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000))
def test_any_bytes_never_raise(tmp_path: Path, raw: bytes) -> None:
    """Arbitrary bytes: a result, never an exception; invalid input always has a located problem."""
    path = tmp_path / "scenarios" / "fuzz.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    loaded = load_content_file(path)
    assert loaded.model is None  # random bytes are never a complete scenario
    assert all(p.line >= 1 for p in loaded.problems)


yaml_text = st.recursive(
    st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["kind", "id", "title", "turns", "persona", "scale", "criteria",
                                              "tittle", "difficulty", "items"]), yaml_text, max_size=6))
def test_structured_garbage_gives_problems(tmp_path: Path, data: dict) -> None:
    """Mappings with the right keys but wrong shapes: every error is located and the loader never raises."""
    import yaml

    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    loaded = load_content_file(path)
    if loaded.model is None:
        assert loaded.errors
        assert all(p.line >= 1 and p.message for p in loaded.errors)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=500))
def test_any_text_never_raises(tmp_path: Path, text: str) -> None:
    """Arbitrary Unicode text (control characters, odd quotes, indentation) never raises."""
    path = tmp_path / "rubrics" / "fuzz.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    loaded = load_content_file(path)
    assert loaded.model is None or not loaded.errors
