"""Find the text files under a folder: sorted, lazily, and safely.

The walk is iterative (any depth) and yields Entries in sorted order. Symbolic
links to folders are not followed (no loops); links to files are read only when
they point inside the folder, unless follow_links is set. Hidden files and
folders and other extensions are skipped; special files, unreadable folders and
links out of the folder are yielded with the error, so the batch reports them
instead of hanging on them or reading outside the folder.
"""

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from framing.files import NOT_REGULAR, not_regular

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
LINK_OUT = "a link out of the folder (not followed; --follow-links reads it)"
FOLDER_LINK = "a folder behind a link (not followed)"


@dataclass(frozen=True)
class Entry:
    """A document to score: its id and either a file to read (`path`) or its
    `text`; or the `error` that says why it cannot be scored.

    `size` (bytes, 0 when unknown) bounds the work per chunk. `fields` holds the
    values of a corpus's extra columns (see framing.batch.rows.RowSchema.extra),
    for corpora such as tables that carry metadata with each document.
    """

    id: str
    path: str | None = None
    text: str | None = None
    size: int = 0
    error: str | None = None
    fields: tuple = ()


def display_name(name: str) -> str:
    """A relative path as valid UTF-8 text, one to one: a name that is UTF-8 and has
    no backslash is itself; otherwise backslashes are doubled and bytes that are
    not UTF-8 become \\xNN, so b"a\\xff" and the name "a\\\\xff" stay apart."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\\" not in text:
            return text
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def folder_identity(folder: Path) -> dict:
    """What names a folder across runs: its real path, device and inode (a folder
    deleted and made again, or another folder of the same name, differs)."""
    info = os.stat(folder)
    return {
        "path": os.path.realpath(folder),
        "device": info.st_dev,
        "inode": info.st_ino,
    }


def _files(root: str, suffixes) -> Iterator[tuple[str, os.DirEntry | str]]:
    """(relative path, DirEntry) for every candidate file in sorted depth-first
    order, or (relative path, error) for a folder that cannot be listed. A stack
    of listings instead of recursion: a folder 10,000 levels deep is fine."""
    stack: list[tuple[str, Iterator[os.DirEntry]]] = []
    listing = _listing(root)
    if isinstance(listing, str):
        yield ".", listing
        return
    stack.append(("", listing))
    while stack:
        prefix, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        if child.name.startswith("."):
            continue
        rel = prefix + child.name
        try:
            is_dir = child.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            listing = _listing(child.path)
            if isinstance(listing, str):
                yield rel, listing
            else:
                stack.append((rel + "/", listing))
        elif child.name.lower().endswith(suffixes):
            yield rel, child


def _listing(directory: str) -> Iterator[os.DirEntry] | str:
    try:
        with os.scandir(directory) as scan:
            return iter(sorted(scan, key=lambda e: os.fsencode(e.name)))
    except OSError as exc:
        return f"cannot list folder ({exc.strerror})"


def iter_entries(
    folder: Path, suffixes=TEXT_SUFFIXES, *, follow_links: bool = False
) -> Iterator[Entry]:
    root = os.fspath(folder)
    real_root = os.path.realpath(root)
    for rel, child in _files(root, suffixes):
        if isinstance(child, str):
            yield Entry(display_name(rel), os.path.join(root, rel), error=child)
        else:
            yield _file_entry(display_name(rel), child, real_root, follow_links)


def _file_entry(
    doc_id: str, child: os.DirEntry, real_root: str, follow_links: bool
) -> Entry:
    try:
        if child.is_file(follow_symlinks=False):  # from the listing: no system call
            size = child.stat(follow_symlinks=False).st_size
            return Entry(doc_id, child.path, size=size)
        if not child.is_symlink():  # a FIFO, socket or device
            return Entry(doc_id, child.path, error=NOT_REGULAR)
    except OSError as exc:
        return Entry(doc_id, child.path, error=f"cannot read ({exc.strerror})")
    # A link: read what it points to only inside the folder (or when asked), and
    # read the resolved path, never the link, so a swap after this check is seen.
    target = os.path.realpath(child.path)
    if not follow_links and not _inside(target, real_root):
        return Entry(doc_id, child.path, error=LINK_OUT)
    try:
        info = os.stat(child.path)
    except OSError as exc:
        return Entry(doc_id, child.path, error=f"cannot read ({exc.strerror})")
    if stat.S_ISDIR(info.st_mode):
        return Entry(doc_id, child.path, error=FOLDER_LINK)
    error = not_regular(info.st_mode)
    if error:
        return Entry(doc_id, child.path, error=error)
    return Entry(doc_id, target, size=info.st_size)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def count_entries(folder: Path, suffixes=TEXT_SUFFIXES) -> int:
    """How many entries iter_entries will yield (no file is opened or stat'ed)."""
    return sum(1 for _ in _files(os.fspath(folder), suffixes))
