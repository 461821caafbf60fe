"""Write result files safely: atomically, and without spreadsheet formula injection."""

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from framing.errors import OutputError

# A spreadsheet evaluates a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_parent(path: Path) -> None:
    """Fail before any long work if the folder that will hold `path` is unusable."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write to folder {parent}")


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


def safe_cell(value):
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP advice:
    prefix a single quote); numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_line(fields: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(v) for v in fields])
    return buffer.getvalue()


# Valid in JSON strings, but line breaks to readers that split on Unicode lines
# (Python's str.splitlines, many editors): escaped so one record is one line.
_UNICODE_BREAKS = str.maketrans(
    {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
)


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_UNICODE_BREAKS) + "\n"


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
