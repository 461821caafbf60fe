"""Files the tool writes: the one atomic writer, and the checks before long work.

Every finished file (scores, reports, datasets, models) is written by AtomicFile:
under a temporary name in the target's folder, created exclusively and never
through a symbolic link, made durable, then renamed over the target. A reader sees
the old file or the complete new one, never a part; a link planted at the
temporary name is refused, not written through. A resumable batch keeps its
temporary file under a fixed name (FILE.part) and holds a lock on it, so that a
second run on the same output is refused instead of writing over the first.
"""

import errno
import io
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO

from framing.errors import OutputError

try:
    import fcntl
except ImportError:  # not POSIX: no advisory locks (see docs/security.md)
    fcntl = None  # type: ignore[assignment]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NEW = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC


def folder_of(path: Path) -> Path:
    """The folder that holds `path` ('.' for a bare file name)."""
    return path.parent if str(path.parent) else Path(".")


def check_parent(path: Path) -> None:
    """Fail before any long work if the folder that will hold `path` is unusable."""
    parent = folder_of(Path(path))
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write to folder {parent}")


NOT_REGULAR = "not a regular file"


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read, or None for a regular file. The one
    regular-file check: a FIFO or a device would block or never end."""
    return None if stat.S_ISREG(mode) else NOT_REGULAR


def _lock(fd: int) -> bool:
    """Take the exclusive lock on an open file without waiting; False if another
    open of the file holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def is_locked(path: Path) -> bool:
    """Whether a running batch holds the lock on `path` (without taking it)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return not _lock(fd)
    finally:
        os.close(fd)  # closing releases the lock if we took it


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX: fsync the folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename still happened
    finally:
        os.close(fd)


class AtomicFile:
    """`path` written through a temporary file beside it, renamed over `path` by
    commit(). Use create() or reopen(); `handle` is a binary file."""

    def __init__(self, path: Path, temp: Path, fd: int):
        self.path = Path(path)
        self.temp = Path(temp)
        self.handle: IO[bytes] = os.fdopen(fd, "r+b")

    @classmethod
    def create(cls, path: Path, temp: Path | None = None) -> "AtomicFile":
        """A new, empty, locked temporary file: `temp`, or a fresh random name in
        the target's folder. Never follows a link; OutputError if `temp` exists."""
        path = Path(path)
        if temp is not None:
            try:
                fd = _open_new(Path(temp))
            except FileExistsError:
                raise _busy(path, Path(temp)) from None
        else:
            for _attempt in range(100):
                temp = folder_of(path) / f".{path.name}.{secrets.token_hex(4)}.tmp"
                try:
                    fd = _open_new(temp)
                    break
                except FileExistsError:
                    continue
            else:  # pragma: no cover - 100 collisions of 32 random bits
                raise OutputError(f"cannot create a temporary file beside {path}")
        assert temp is not None
        if not _lock(fd) or not _same_file(fd, temp):
            os.close(fd)
            raise _busy(path, temp)
        return cls(path, temp, fd)

    @classmethod
    def reopen(cls, path: Path, temp: Path) -> "AtomicFile":
        """The existing temporary file `temp` of an interrupted run, locked."""
        temp = Path(temp)
        try:
            fd = os.open(temp, os.O_RDWR | _NOFOLLOW | _CLOEXEC | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OutputError(
                    f"{temp} is a symbolic link, not a file framing wrote; remove it "
                    "or start again with --force"
                ) from None
            raise OutputError(f"cannot open {temp}: {exc.strerror}") from None
        if not_regular(os.fstat(fd).st_mode):
            os.close(fd)
            raise OutputError(f"{temp} is not a regular file; remove it")
        if not _lock(fd):
            os.close(fd)
            raise _busy(path, temp)
        return cls(path, temp, fd)

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.discard()
        else:
            self.close()

    def sync(self) -> int:
        """Make everything written so far durable; returns its length in bytes."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        return self.handle.tell()

    def commit(self) -> None:
        """Rename the complete temporary file over the target, durably. os.replace
        replaces a link at the target; it never writes through one."""
        self.sync()
        os.replace(self.temp, self.path)
        _sync_folder(folder_of(self.path))
        self.close()

    def discard(self) -> None:
        """Remove the temporary file (the target is untouched)."""
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass
        self.close()

    def close(self) -> None:
        """Close the file (releasing the lock). After a failed write, what the
        buffer still holds cannot be written either: that is not a second error."""
        if not self.handle.closed:
            try:
                self.handle.close()
            except OSError:
                pass  # the raw file is closed all the same


def _open_new(temp: Path) -> int:
    try:
        return os.open(temp, _NEW, 0o666)
    except FileExistsError:
        raise
    except OSError as exc:
        raise OutputError(
            f"cannot write to {folder_of(temp)}: {exc.strerror}"
        ) from None


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file open as `fd` (no one swapped it)."""
    try:
        named = os.lstat(path)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _busy(path: Path, temp: Path) -> OutputError:
    return OutputError(
        f"another framing run is writing {path} (it holds {temp}); wait for it to "
        "finish, or give another output file"
    )


def write_atomic(
    path: Path, fill: Callable[[IO[str]], object], *, encoding: str = "utf-8"
) -> None:
    """Write the text file `path` through `fill(handle)`, atomically."""
    with AtomicFile.create(Path(path)) as target:
        text = io.TextIOWrapper(target.handle, encoding=encoding, newline="")
        fill(text)
        text.flush()
        text.detach()
        target.commit()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path`, atomically (for model storage and other binaries)."""
    with AtomicFile.create(Path(path)) as target:
        target.handle.write(data)
        target.commit()


def check_model_dir(path: Path, *, force: bool) -> None:
    """Fail before training if the model directory cannot be written."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file; give a directory for the model")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise OutputError(f"{path} already holds files; pass --force to overwrite")
    # The directory and its parents are created when saving; the nearest folder
    # that exists must be writable.
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise OutputError(f"cannot create {path}: {existing} is not a writable folder")
