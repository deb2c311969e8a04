"""The observer's version: a digest of its rules (code and data files), so that a stored observation says
which rules produced it.

The package version alone would not do: the word lists and phrase patterns change between releases, and
a tutor may edit them. The digest changes whenever any of them does, with nothing to remember to bump.
It is computed once per process (about a millisecond: some 30 small files).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def observer_version() -> str:
    """``<package version>+<first 12 hex digits of the rules' SHA-256>``, e.g. ``0.1.0+3f2a9c0d1e7b``."""
    digest = hashlib.sha256()
    # The model's table is 15 MB: its SOURCE.json (sha256 of every model file) stands for it.
    model = [_HERE / "model" / "SOURCE.json", _HERE / "model" / "centre.npy"]
    for path in sorted([*_HERE.glob("*.py"), *(_HERE / "data").glob("*"), *model]):
        if path.is_file():
            digest.update(path.relative_to(_HERE).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    try:
        package = metadata.version("roleplay")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        package = "0"
    return f"{package}+{digest.hexdigest()[:12]}"
