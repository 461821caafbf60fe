"""Read one text file defensively: size limit, binary detection, encoding fallback."""

import codecs
import os
import re
from pathlib import Path
from typing import BinaryIO

from framing.errors import InputError
from framing.files import not_regular

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

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
    mixed = _mostly_utf8(raw)
    if mixed is not None:
        return mixed
    try:
        return raw.decode("cp1252"), "not UTF-8; decoded as Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "not UTF-8; decoded as Latin-1"


# A byte UTF-8 could not read, as surrogateescape leaves it; and a character
# that only valid UTF-8 gives (non-ASCII, not such a byte).
_STRAY = re.compile("[\udc80-\udcff]")
_DECODED = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _stray_byte(match: "re.Match[str]") -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")


def _mostly_utf8(raw: bytes) -> tuple[str, str] | None:
    """UTF-8 text with a few stray Windows-1252 bytes (an apostrophe pasted from
    an old system into a UTF-8 export), each stray byte read as Windows-1252:
    reading the whole file as Windows-1252 garbled every UTF-8 character in it.
    None when no character at all is valid multi-byte UTF-8 (an old file)."""
    text = raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    if not _DECODED.search(text):
        return None
    text, stray = _STRAY.subn(_stray_byte, text)
    bytes_ = "byte" if stray == 1 else "bytes"
    return text, f"not all UTF-8; {stray} stray {bytes_} read as Windows-1252"


def looks_binary(raw: bytes) -> bool:
    head = raw[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > len(head) * 0.05


def _read_fd(fd: int, size: int, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of an open file that fstat said holds `size`.
    size + 1 are asked for first: a file that has not grown since takes one read
    and one that finds its end; one that grew is read on, up to the limit. (With
    os.read rather than a buffered file object, which cost more than the reading
    itself on a folder of small files.)"""
    parts = []
    total, wanted = 0, size + 1
    while total <= max_bytes:
        part = os.read(fd, min(wanted, max_bytes + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        wanted = 1 << 20
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _problem(path: Path | str, reason: str) -> InputError:
    return InputError(f"{path}: {reason}", reason)


def read_text(
    path: Path | str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    follow_links: bool = True,
) -> tuple[str, str | None]:
    """Text of a regular file and an encoding warning (or None); InputError if the
    file is missing, special, too large, binary or empty.

    With follow_links=False (files found by the folder walk) a link at `path` is
    refused, so a file swapped for a link after the walk is not read through it.
    """
    if follow_links:
        # A named file may be a link to a device: check what it is before opening
        # (opening some devices has effects).
        try:
            error = not_regular(os.stat(path).st_mode)
        except FileNotFoundError:
            raise _problem(path, "no such file") from None
        except OSError as exc:
            raise _problem(path, f"cannot read ({exc.strerror})") from None
        if error:
            raise _problem(path, error)
    flags = os.O_RDONLY | _CLOEXEC | (0 if follow_links else _NOFOLLOW)
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the checks must not hang us.
        fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _problem(path, "no such file") from None
    except OSError as exc:
        raise _problem(path, f"cannot read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)  # what was opened, whatever the name points at now
        error = not_regular(info.st_mode)
        if error:
            raise _problem(path, error)
        if info.st_size > max_bytes:
            raise _problem(
                path,
                f"{info.st_size:,} bytes is over the {max_bytes:,}-byte limit; "
                "raise it with --max-bytes",
            )
        raw = _read_fd(fd, info.st_size, max_bytes)
    except OSError as exc:
        raise _problem(path, f"cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise _problem(path, f"over the {max_bytes:,}-byte limit")
    if not raw or raw.isspace():
        raise _problem(path, "empty file")
    if looks_binary(raw):
        raise _problem(path, "binary file, not text")
    return decode(raw)


def read_stream(
    stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES, name: str = "standard input"
) -> tuple[str, str | None]:
    """Text of a byte stream (standard input), read like a file: at most
    `max_bytes`, and binary data refused."""
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(
            f"{name} is over the {max_bytes:,}-byte limit; raise it with --max-bytes"
        )
    if looks_binary(raw):
        raise InputError(f"{name} is binary, not text")
    return decode(raw)
