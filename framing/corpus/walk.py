"""Find the text files under a folder: sorted, lazily, and safely.

Symlinked folders are not followed (no loops); hidden files and folders and other
extensions are skipped; special files and unreadable folders are yielded with the
reason, so the batch reports them instead of hanging on them.
"""

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")


@dataclass(frozen=True)
class Entry:
    """A document to score: its id (path relative to the folder) and where it is,
    or why it cannot be read."""

    id: str
    path: str
    problem: str | None = None


def display_name(name: str) -> str:
    """A file name as valid UTF-8 text: undecodable bytes become \\xNN escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def iter_entries(folder: Path, suffixes=TEXT_SUFFIXES) -> Iterator[Entry]:
    root = os.fspath(folder)
    yield from _walk(root, "", suffixes)


def _walk(directory: str, prefix: str, suffixes) -> Iterator[Entry]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield Entry(
            display_name(prefix.rstrip("/") or "."),
            directory,
            f"cannot list folder ({exc.strerror})",
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        rel = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, rel + "/", suffixes)
                continue
        except OSError:
            pass
        if not entry.name.lower().endswith(suffixes):
            continue
        # A plain regular file (known from the directory entry, no system call) is
        # checked once, when it is read; links and special files are checked here.
        problem = (
            None if entry.is_file(follow_symlinks=False) else _file_problem(entry.path)
        )
        yield Entry(display_name(rel), entry.path, problem)


def _file_problem(path: str) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder behind a link (not followed)"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def count_entries(folder: Path, suffixes=TEXT_SUFFIXES) -> int:
    return sum(1 for _ in iter_entries(folder, suffixes))
