"""Files the tool writes: atomic replacement and checks before long work."""

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from framing.errors import OutputError


def check_parent(path: Path) -> None:
    """Fail before any long work if the folder that will hold `path` is unusable."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write to folder {parent}")


NOT_REGULAR = "not a regular file"


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read, or None for a regular file. The one
    regular-file check: a FIFO or a device would block or never end."""
    return None if stat.S_ISREG(mode) else NOT_REGULAR


def write_atomic(path: Path, fill: Callable, *, encoding: str = "utf-8") -> None:
    """Write `path` through `fill(handle)` so that readers never see a partial file:
    the content goes to a temporary file in the same folder, renamed when complete."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write to {parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
