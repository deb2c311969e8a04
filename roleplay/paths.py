"""Where roleplay keeps people's data: an explicit option, else ROLEPLAY_DATA_DIR, else platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "ROLEPLAY_DATA_DIR"


def resolve_data_dir(explicit: Path | str | None = None) -> Path:
    """The data folder: ``--data-dir`` wins, then the ROLEPLAY_DATA_DIR env var, then the OS default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # imported late: only needed when nothing overrides

    return Path(user_data_dir("roleplay", appauthor=False))
