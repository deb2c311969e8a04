"""The observer's build cache: built once, stamped, rebuilt when the source changes, safe to load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from roleplay.observer import lexicon as lexmod
from roleplay.observer.cache import ENV_CACHE_DIR, load_cached, resolve_cache_dir
from roleplay.observer.scan import build_trie, flatten_trie, scan, tokenize, unflatten_trie


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_cache_folder_follows_the_environment(cache_dir: Path) -> None:
    assert resolve_cache_dir() == cache_dir


def test_built_once_then_loaded_from_the_file(cache_dir: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, object]:
        calls.append(1)
        return {"value": [1, 2, 3]}

    assert load_cached("thing", "stamp-a", build) == {"value": [1, 2, 3]}
    assert load_cached("thing", "stamp-a", build) == {"value": [1, 2, 3]}
    assert len(calls) == 1
    on_disk = json.loads((cache_dir / "thing.json").read_text(encoding="utf-8"))
    assert on_disk["stamp"] == "stamp-a"


def test_a_new_stamp_rebuilds_and_replaces_the_file(cache_dir: Path) -> None:
    load_cached("thing", "old", lambda: {"v": 1})
    assert load_cached("thing", "new", lambda: {"v": 2}) == {"v": 2}
    assert json.loads((cache_dir / "thing.json").read_text(encoding="utf-8"))["stamp"] == "new"


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"stamp": "s", "data": 5}', b"\xff\xfe"])
def test_a_corrupt_file_is_rebuilt(cache_dir: Path, content: bytes) -> None:
    cache_dir.mkdir(parents=True)
    (cache_dir / "thing.json").write_bytes(content)
    assert load_cached("thing", "s", lambda: {"v": 3}) == {"v": 3}
    assert load_cached("thing", "s", lambda: {"v": 4}) == {"v": 3}  # the rebuilt file is used


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_a_read_only_folder_still_gives_the_data(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    cache_dir.chmod(0o500)
    try:
        assert load_cached("thing", "s", lambda: {"v": 5}) == {"v": 5}
    finally:
        cache_dir.chmod(0o700)


def test_a_cache_folder_that_is_a_file_still_gives_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocker))
    assert load_cached("thing", "s", lambda: {"v": 6}) == {"v": 6}


def test_the_stamp_changes_when_a_data_file_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    before = lexmod.data_stamp()
    real = lexmod._load_text
    monkeypatch.setattr(lexmod, "_load_text", lambda name: real(name) + ("\n# edited" if name == "words.yaml" else ""))
    assert lexmod.data_stamp() != before


def test_the_lexicon_cache_file_is_plain_json_with_its_stamp(cache_dir: Path) -> None:
    data = lexmod._data()  # the in-process copy; write it as the first use would
    load_cached("lexicon", lexmod.data_stamp(), lambda: data)
    raw = json.loads((cache_dir / "lexicon.json").read_text(encoding="utf-8"))
    assert raw["stamp"] == lexmod.data_stamp()
    assert set(raw["data"]["tries"]) == {"anywhere", "at_start", "speaker", "synonyms"}


def test_a_flattened_trie_finds_what_the_built_trie_finds() -> None:
    sections = {"a": [("(you|u) (really |so )?(seem|sound) (tired|worn out)", None)],
                "b": [("(so|really) \\w+", "p"), ("really tired\\w*", None), ("worn [^.?!]* out", None)]}
    built = build_trie(sections)
    flat = flatten_trie(built)
    again = unflatten_trie(json.loads(json.dumps(flat)))
    for text in ("so you really seem tired", "u sound worn out today", "really tiredness", "worn it all out."):
        toks, _ = tokenize(text)
        assert scan(again, toks) == scan(built, toks), text
    assert len(flat[1]) < 40  # shared tails stored once


def test_the_shipped_cue_trie_is_small_once_shared() -> None:
    root, nodes = lexmod._data()["tries"]["anywhere"]
    assert 0 <= root < len(nodes) < 20_000
