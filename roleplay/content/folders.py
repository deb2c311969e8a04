"""Finding the content files in library folders, and saying what was skipped and why.

A library folder may hold things that are not content: a symlink that loops back to a folder above it,
a folder whose name ends in ``.yaml``, a subfolder this user may not read, a link to a file that is gone.
Each is skipped with a problem naming it, so ``validate`` and ``list`` (and the app) say what they left
out instead of passing over it without a word.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from roleplay.content.problems import Problem

SUFFIXES = (".yaml", ".yml")


def _skip(path: Path, why: str, hint: str | None = None) -> Problem:
    return Problem(path, 1, 1, f"skipped: {why}", hint)


def find_content_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and every .yaml/.yml file below named folders (in a stable order), with a
    problem for each thing skipped. Symlinked folders are followed once; a link back into a folder
    already being walked is a loop and is skipped."""
    files: list[Path] = []
    skipped: list[Problem] = []
    for path in paths:
        if path.is_dir():
            _walk(path, files, skipped)
        else:
            files.append(path)
    return files, skipped


def _walk(root: Path, out: list[Path], skipped: list[Problem]) -> None:
    files: list[Path] = []
    try:
        start = root.stat()
    except OSError as error:
        skipped.append(_skip(root, f"the folder cannot be read ({error.strerror or error})"))
        return
    # (folder, identities of the folders above it and itself): a link to any of those is a loop.
    todo: list[tuple[Path, frozenset[tuple[int, int]]]] = [(root, frozenset({(start.st_dev, start.st_ino)}))]
    while todo:
        folder, above = todo.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            skipped.append(_skip(folder, f"the folder cannot be read ({error.strerror or error})",
                                 "check its permissions, or move it out of the library folder"))
            continue
        below: list[tuple[Path, frozenset[tuple[int, int]]]] = []
        for entry in entries:
            path = Path(entry.path)
            content = path.suffix in SUFFIXES
            try:
                info = entry.stat()  # follows links
            except OSError as error:
                if error.errno == errno.ELOOP:  # a link that leads back to itself, directly or not
                    skipped.append(_skip(path, "a symlink loop (the link leads back to itself)",
                                         "remove the link or point it elsewhere"))
                elif entry.is_symlink() and content:
                    skipped.append(_skip(path, "a link to a file that does not exist"))
                elif content:
                    skipped.append(_skip(path, f"cannot be read ({error.strerror or error})"))
                continue
            if entry.is_dir():
                identity = (info.st_dev, info.st_ino)
                if identity in above:
                    skipped.append(_skip(path, f"a symlink loop (it leads back to {os.path.realpath(path)}, "
                                               "a folder above it)", "remove the link or point it elsewhere"))
                elif content:
                    skipped.append(_skip(path, f"a folder named like a content file ('{entry.name}')",
                                         "rename the folder: only files ending in .yaml or .yml are read"))
                    below.append((path, above | {identity}))
                else:
                    below.append((path, above | {identity}))
            elif content:
                if entry.is_file():
                    files.append(path)
                else:
                    skipped.append(_skip(path, "not a regular file (a device, pipe or socket)"))
        todo.extend(reversed(below))
    out.extend(sorted(files))
