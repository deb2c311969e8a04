"""The observer's build cache: data built once from the readable files, then loaded fast.

Expanding the phrase patterns of ``data/`` into tries takes seconds; loading the result takes
milliseconds. So the built form is written once, at first use, to a JSON file in the user cache
folder (``platformdirs``; ``ROLEPLAY_CACHE_DIR`` overrides it, and tests point it at a temp folder),
stamped with the cache format and the sha256 of everything it was built from. A file whose stamp
does not match (the data files were edited, the package was upgraded) is rebuilt; a file that cannot
be read or written (corrupt, read-only disk) is rebuilt in memory and the run goes on. JSON, never
pickle: a cache file is data, loading it runs no code.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: Environment variable naming the cache folder (else the platform's user cache folder).
ENV_CACHE_DIR = "ROLEPLAY_CACHE_DIR"


def resolve_cache_dir() -> Path:
    """The cache folder: ``ROLEPLAY_CACHE_DIR`` when set, else ``platformdirs.user_cache_dir``."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir  # imported late: only needed when nothing overrides

    return Path(user_cache_dir("roleplay", appauthor=False))


def digest(parts: Iterable[bytes | str]) -> str:
    """The sha256 (hex) of several parts, each length-prefixed so that no two splits collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def load_cached(name: str, stamp: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The JSON object cached as ``name`` for ``stamp``, built (and saved) when there is none.

    ``stamp`` names the source and the format (a hash); a file with another stamp is ignored and
    replaced. Writing goes through a temp file and a rename, so a reader never sees half a file.
    """
    folder = resolve_cache_dir()
    path = folder / f"{name}.json"
    try:
        with path.open("rb") as fh:
            data = json.loads(fh.read())
        if isinstance(data, dict) and data.get("stamp") == stamp and isinstance(data.get("data"), dict):
            return data["data"]
    except (OSError, ValueError):
        pass  # missing, unreadable or corrupt: rebuild below
    built = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing (its imports cost more than reading the cache)

        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"stamp": stamp, "data": built}, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the data is still built, only slower next time
    return built
