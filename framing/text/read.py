"""Read one text file defensively: size limit, binary detection, encoding fallback."""

import codecs
import os
import stat
from pathlib import Path

from framing.errors import InputError

DEFAULT_MAX_BYTES = 5_000_000
_SNIFF = 8192
# Bytes below 0x20 other than \t \n \f \r (and ESC, seen in terminal logs).
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def decode(raw: bytes) -> tuple[str, str | None]:
    """Text of `raw` and a warning when it was not UTF-8.

    UTF-8 first (it rejects almost everything else); then Windows-1252, the usual
    encoding of older newsroom exports; Latin-1 last, because it accepts any byte.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "decoded as UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "not UTF-8; decoded as Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "not UTF-8; decoded as Latin-1"


def looks_binary(raw: bytes) -> bool:
    head = raw[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > len(head) * 0.05


def _problem(path: Path, reason: str) -> InputError:
    return InputError(f"{path}: {reason}", reason)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str | None]:
    """Text of a regular file and an encoding warning (or None); InputError if the
    file is missing, special, too large, binary or empty."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _problem(path, "no such file") from None
    except OSError as exc:
        raise _problem(path, f"cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise _problem(path, "not a regular file")
    if info.st_size > max_bytes:
        raise _problem(
            path,
            f"{info.st_size:,} bytes is over the {max_bytes:,}-byte limit; "
            "raise it with --max-bytes",
        )
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the stat must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _problem(path, f"cannot read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise _problem(path, f"over the {max_bytes:,}-byte limit")
    if not raw.strip():
        raise _problem(path, "empty file")
    if looks_binary(raw):
        raise _problem(path, "binary file, not text")
    return decode(raw)
