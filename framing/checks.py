"""Argument checks for the Python API, run before any work.

framing.api's functions call these first, so that a wrong type or value is an
ArgumentError (a FramingError) naming the argument, what was expected and what
was given, instead of a TypeError from deep inside, or a wrong value accepted.
The command line parses its options into the right types already; a library
caller gets the same one-line errors.
"""

import math
import os
from numbers import Real
from pathlib import Path

from framing.errors import FramingError


class ArgumentError(FramingError):
    """An argument of the wrong type or out of range (a mistyped option)."""

    exit_code = 2


def _kind(value) -> str:
    return "None" if value is None else type(value).__name__


def _fail(name: str, expected: str, value, hint: str = "") -> ArgumentError:
    return ArgumentError(
        f"{name} must be {expected}. Got {_kind(value)} {value!r:.60} instead"
        + (f"; {hint}" if hint else "")
    )


def text(name: str, value) -> str:
    if isinstance(value, bytes | bytearray):
        raise _fail(name, "a str", value, "decode the bytes first")
    if not isinstance(value, str):
        raise _fail(name, "a str", value)
    return value


def path(name: str, value) -> Path:
    """A str or os.PathLike naming a file or folder."""
    if isinstance(value, bytes | bytearray) or not isinstance(value, str | os.PathLike):
        raise _fail(name, "a path (str or pathlib.Path)", value)
    result = Path(value)
    if not str(value):
        raise _fail(name, "a path (str or pathlib.Path)", value, "it is empty")
    return result


def optional_path(name: str, value) -> Path | None:
    return None if value is None else path(name, value)


def flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, "True or False", value)
    return value


def count(name: str, value, *, minimum: int, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, f"an int of at least {minimum}", value)
    if value < minimum:
        raise _fail(name, f"an int of at least {minimum}", value)
    return value


def probability(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise _fail(name, "a number from 0 to 1", value)
    number = float(value)
    if not (math.isfinite(number) and 0.0 <= number <= 1.0):
        raise _fail(name, "a number from 0 to 1", value)
    return number


def flags(**values) -> None:
    for name, value in values.items():
        flag(name, value)


def callbacks(**values) -> None:
    for name, value in values.items():
        callback(name, value)


def optional_text(name: str, value) -> str | None:
    return None if value is None else text(name, value)


def optional_texts(name: str, value) -> list[str] | None:
    """None, or a list or tuple of str (a lone str is refused: it would be read
    as its letters)."""
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise _fail(name, "a list of str or None", value)
    for item in value:
        if not isinstance(item, str):
            raise _fail(name, "a list of str or None", item)
    return list(value)


def callback(name: str, value):
    if value is not None and not callable(value):
        raise _fail(name, "a function or None", value)
    return value


def writable(name: str, value):
    if value is not None and not callable(getattr(value, "write", None)):
        raise _fail(name, "a file-like object with write() or None", value)
    return value


def jobs(value) -> int:
    """The number of worker processes: `value`, or one per core this process may
    run on when None (taskset or a container's cpuset can allow fewer cores than
    the machine has; more workers than cores only compete)."""
    if value is None:
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0)) or 1
        return os.cpu_count() or 1
    result = count("jobs", value, minimum=1)
    assert result is not None
    return result
