"""Reading one text file defensively (framing.text.read)."""

import codecs
import os

import pytest

from framing.errors import InputError
from framing.text.read import decode, looks_binary, read_text

# Windows-1252: 0x92 is a right single quote, 0x93/0x94 curly double quotes,
# 0x96 an en dash; none of them is valid UTF-8 on its own.
CP1252_BYTES = b"The officers\x92 union said \x93failed\x94 \x96 again."
CP1252_TEXT = "The officers\u2019 union said \u201cfailed\u201d \u2013 again."


def test_textio_decode_utf8_has_no_warning():
    assert decode("Officers’ “union”".encode()) == ("Officers’ “union”", None)


def test_textio_decode_strips_utf8_bom():
    assert decode(codecs.BOM_UTF8 + b"Police.") == ("Police.", None)


def test_textio_decode_windows_1252_with_warning():
    text, warning = decode(CP1252_BYTES)
    assert text == CP1252_TEXT
    assert warning == "not UTF-8; decoded as Windows-1252"


def test_textio_decode_latin1_when_not_windows_1252():
    # 0x81 is undefined in Windows-1252; Latin-1 accepts every byte.
    text, warning = decode(b"caf\xe9 \x81")
    assert text == "café \x81"
    assert warning == "not UTF-8; decoded as Latin-1"


def test_textio_decode_utf8_with_stray_windows_1252_bytes():
    """A UTF-8 export with one apostrophe from an older system: the UTF-8
    characters stay as they are (the whole file read as Windows-1252 or
    Latin-1 garbled each into two or three), the stray byte is read alone."""
    raw = "Police said “no” and “never”.\n\nThe force".encode() + b"\x92s budget"
    text, warning = decode(raw)
    assert text == "Police said “no” and “never”.\n\nThe force’s budget"
    assert warning == "not all UTF-8; 1 stray byte read as Windows-1252"
    text, warning = decode(codecs.BOM_UTF8 + "“a”".encode() + b"\x93b\x94")
    assert (text, warning[-34:]) == ("“a”“b”", "2 stray bytes read as Windows-1252")


def test_textio_decode_utf16_with_bom():
    raw = "Police said “no”.".encode("utf-16")
    assert decode(raw) == ("Police said “no”.", "decoded as UTF-16")


@pytest.mark.parametrize(
    "raw, binary",
    [
        (b"Plain text.\nSecond line.\r\n", False),
        (CP1252_BYTES, False),
        ("Police said “no”.".encode("utf-16"), False),
        (b"PK\x03\x04\x00\x00zip", True),
        (bytes(range(1, 9)) * 20, True),
    ],
)
def test_textio_looks_binary(raw, binary):
    assert looks_binary(raw) is binary


def test_textio_read_text_utf8_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The chief resigned.\n", encoding="utf-8")
    assert read_text(path) == ("The chief resigned.\n", None)


def test_textio_read_text_windows_1252_file(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(CP1252_BYTES)
    assert read_text(path) == (CP1252_TEXT, "not UTF-8; decoded as Windows-1252")


def _read_error(path, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        read_text(path, **kwargs)
    return info.value


def test_textio_read_text_missing_file(tmp_path):
    error = _read_error(tmp_path / "nope.txt")
    assert error.reason == "no such file"
    assert str(error) == f"{tmp_path / 'nope.txt'}: no such file"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_textio_read_text_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _read_error(path).reason == "empty file"


def test_textio_read_text_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert _read_error(path).reason == "binary file, not text"


def test_textio_read_text_folder_is_not_a_regular_file(tmp_path):
    assert _read_error(tmp_path).reason == "not a regular file"


def test_textio_read_text_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    reason = _read_error(path, max_bytes=100).reason
    assert "500 bytes is over the 100-byte limit" in reason
    assert "--max-bytes" in reason
    # At the limit exactly, the file is read.
    assert read_text(path, max_bytes=500)[0] == "word " * 100


@pytest.mark.parametrize("limit, whole", [(10_000, True), (1_000, False)])
def test_textio_read_text_file_that_grew_after_its_size_was_taken(
    tmp_path, monkeypatch, limit, whole
):
    # fstat tells the size when the file was opened; a file still being written
    # is longer when it is read: it is read on, up to the limit, never cut short.
    path = tmp_path / "growing.txt"
    path.write_text("word " * 600)
    real_fstat = os.fstat

    class Smaller:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(os, "fstat", lambda fd: Smaller(real_fstat(fd)))
    if whole:
        assert read_text(path, max_bytes=limit)[0] == "word " * 600
    else:
        assert _read_error(path, max_bytes=limit).reason == (
            "over the 1,000-byte limit"
        )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_textio_read_text_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _read_error(fifo).reason == "not a regular file"
