"""Find the documents under a folder: sorted, lazily, and safely.

The walk is iterative (any depth) and yields Entries in sorted order, each with
the format its name gives (text, Markdown or HTML; framing.text.document).
Symbolic links to folders are not followed (no loops); links to files are read
only when they point inside the folder, unless follow_links is set. Hidden files
and folders and other extensions are skipped (survey() counts the files skipped,
by extension); special files, unreadable folders and links out of the folder are
yielded with the error, so the batch reports them instead of hanging on them or
reading outside the folder.
"""

import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from framing.files import NOT_REGULAR, not_regular
from framing.text.document import DOCUMENT_SUFFIXES, format_of

TEXT_SUFFIXES = DOCUMENT_SUFFIXES
# What an error names as the files framing reads (README lists every suffix).
READS = ".txt, .md, .html"
LINK_OUT = "a link out of the folder (not followed; --follow-links reads it)"
FOLDER_LINK = "a folder behind a link (not followed)"


@dataclass
class Entry:
    """A document to score: its id and either a file to read (`path`) or its
    `text`; or the `error` that says why it cannot be scored.

    `size` (bytes, 0 when unknown) bounds the work per chunk. `fields` holds the
    values of a corpus's extra columns (see framing.batch.rows.RowSchema.extra),
    for corpora such as tables that carry metadata with each document. `format`
    says how a file is read: "text", "markdown" or "html".

    Not frozen, though nothing changes an Entry: a frozen dataclass sets each
    field through object.__setattr__, and making the Entry was a twentieth of
    the parent's work per document (1.0 us against 0.3).
    """

    id: str
    path: str | None = None
    text: str | None = None
    size: int = 0
    error: str | None = None
    fields: tuple = ()
    format: str = "text"


@dataclass
class Survey:
    """What a walk of a folder will find, counted without opening a file: the
    entries it yields (`total`), how many of each format, and the files it
    skips, by extension (hidden ones counted apart)."""

    total: int = 0
    formats: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    hidden: int = 0

    def skipped_phrase(self) -> str:
        """ "12 .pdf, 3 .docx", most frequent first."""
        ranked = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{count:,} {suffix}" for suffix, count in ranked)


def display_name(name: str) -> str:
    """A relative path as valid UTF-8 text, one to one: a name that is UTF-8 and has
    no backslash is itself; otherwise backslashes are doubled and bytes that are
    not UTF-8 become \\xNN, so b"a\\xff" and the name "a\\\\xff" stay apart."""
    if name.isascii() and "\\" not in name:  # the usual name, at once
        return name
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


def extension(name: str) -> str:
    """A file name's extension as a survey counts it: ".pdf", or "no extension"."""
    return os.path.splitext(name)[1].lower() or "no extension"


def _files(
    root: str, suffixes, survey: Survey | None = None
) -> Iterator[tuple[str, os.DirEntry | str]]:
    """(relative path, DirEntry) for every candidate file in sorted depth-first
    order, or (relative path, error) for a folder that cannot be listed. A stack
    of listings instead of recursion: a folder 10,000 levels deep is fine.
    `survey`, when given, counts the files left out."""
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
            if survey is not None:
                survey.hidden += 1
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
        elif survey is not None and not _folder_link(child):
            survey.skipped[extension(child.name)] += 1


def _folder_link(child: os.DirEntry) -> bool:
    try:
        return child.is_symlink() and child.is_dir()
    except OSError:
        return False


def _listing(directory: str) -> Iterator[os.DirEntry] | str:
    """The folder's entries in the byte order of their names."""
    try:
        with os.scandir(directory) as scan:
            children = list(scan)
    except OSError as exc:
        return f"cannot list folder ({exc.strerror})"
    names = [child.name for child in children]
    if all(map(str.isascii, names)):  # the usual folder: bytes order is str order
        order = sorted(range(len(names)), key=names.__getitem__)
    else:
        order = sorted(range(len(names)), key=lambda i: os.fsencode(names[i]))
    return iter([children[i] for i in order])


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
    # The name in the folder says the format, not a link's target.
    form = format_of(child.name)
    try:
        if child.is_file(follow_symlinks=False):  # from the listing: no system call
            size = child.stat(follow_symlinks=False).st_size
            return Entry(doc_id, child.path, size=size, format=form)
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
    return Entry(doc_id, target, size=info.st_size, format=form)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def survey(folder: Path, suffixes=TEXT_SUFFIXES) -> Survey:
    """What iter_entries will yield and what it skips (no file is opened, and
    only links are stat'ed)."""
    result = Survey()
    for rel, child in _files(os.fspath(folder), suffixes, result):
        result.total += 1
        if not isinstance(child, str):
            result.formats[format_of(rel)] += 1
    return result


def count_entries(folder: Path, suffixes=TEXT_SUFFIXES) -> int:
    """How many entries iter_entries will yield (no file is opened or stat'ed)."""
    return sum(1 for _ in _files(os.fspath(folder), suffixes))
