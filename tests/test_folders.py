"""Hostile folders: loops, special and unreadable files, hidden files, odd names and
oversized files are skipped or become error rows; the batch always finishes and
every good file gets its row (issue 5)."""

import ctypes
import json
import os
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from framing.api import load
from framing.batch.workers import ScoreOptions, document_records
from framing.cli import app
from framing.corpus.walk import LINK_OUT, Entry, iter_entries
from framing.text.read import DEFAULT_MAX_BYTES

GOOD = "The police said officers attended the protest on Saturday.\n"
PARTIAL_FAILURE = 3
# Room for a cold start (imports) on a slow machine; a hang never finishes.
TIMEOUT = 120


def run_score(folder, model_dir, *options, preexec_fn=None):
    """`python -m framing score FOLDER --format jsonl` in a subprocess (so a hang
    is a timeout, not a stuck suite): (exit code, rows by id, stderr)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "framing", "score", os.fspath(folder)]
            + ["--format", "jsonl", "--jobs", "1", "--model", os.fspath(model_dir)]
            + list(options),
            capture_output=True,
            timeout=TIMEOUT,
            preexec_fn=preexec_fn,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"framing score hung on {folder}")
    stdout = done.stdout.decode("utf-8")  # ids with odd bytes must still be UTF-8
    rows = [json.loads(line) for line in stdout.splitlines()]
    return done.returncode, rows, done.stderr.decode("utf-8")


def write(path, text=GOOD):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_scored(row):
    assert row["error"] is None
    assert row["stance"]["label"] in ("abolitionist", "reformist", "institutional")
    assert row["paragraphs"] == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_cli_score_hostile_folder_finishes_with_error_rows(model_dir, tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "good1.txt")
    write(folder / "sub" / "good2.md")
    write(folder / "UPPER.TXT")
    # Symlink loops: a folder link to its parent (no text suffix: skipped), one
    # with a text suffix (reported), and a file link that points at itself.
    (folder / "loop").symlink_to(".")
    (folder / "sub" / "back.txt").symlink_to("..")
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "dangling.txt").symlink_to("missing.txt")
    # Special files: reading any of these would block or never end.
    os.mkfifo(folder / "x.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "null.md").symlink_to("/dev/null")
    # Skipped: hidden files and folders, other extensions.
    write(folder / ".hidden.txt")
    write(folder / ".git" / "notes.txt")
    write(folder / "sub" / ".DS_Store.md")
    for name in ("report.pdf", "table.csv", "page.docx", "data.json", "txt"):
        write(folder / name)
    # A name that is not UTF-8 (bytes API), with good text inside.
    with open(os.path.join(os.fsencode(folder), b"odd\xff\xfe name.txt"), "wb") as f:
        f.write(GOOD.encode("utf-8"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)

    code, rows, stderr = run_score(folder, model_dir)

    by_id = {row["id"]: row for row in rows}
    assert [row["id"] for row in rows] == [
        "UPPER.TXT",
        "binary.txt",
        "dangling.txt",
        "empty.txt",
        "good1.txt",
        "null.md",
        "odd\\xff\\xfe name.txt",
        "self.txt",
        "sub/back.txt",
        "sub/good2.md",
        "x.txt",
        "zero.txt",
    ]
    for good in ("UPPER.TXT", "good1.txt", "sub/good2.md", "odd\\xff\\xfe name.txt"):
        assert_scored(by_id[good])
    errors = {row["id"]: row["error"] for row in rows if row["error"]}
    assert errors == {
        "binary.txt": "binary file, not text",
        "dangling.txt": "cannot read (No such file or directory)",
        "empty.txt": "empty file",
        "null.md": LINK_OUT,
        "self.txt": "cannot read (Too many levels of symbolic links)",
        "sub/back.txt": "a folder behind a link (not followed)",
        "x.txt": "not a regular file",
        "zero.txt": LINK_OUT,
    }
    for row in rows:
        if row["error"]:
            assert row["stance"] is None and row["tone"] is None
    assert code == PARTIAL_FAILURE
    assert "8 of 12 files failed; see the error column" in stderr


def test_cli_score_clean_folder_exits_0(model_dir, tmp_path):
    write(tmp_path / "a.txt")
    write(tmp_path / "b" / "c.md", "Abolish the police, campaigners said.\n")
    code, rows, stderr = run_score(tmp_path, model_dir)
    assert code == 0, stderr
    assert [row["id"] for row in rows] == ["a.txt", "b/c.md"]
    for row in rows:
        assert_scored(row)


def test_cli_score_folder_with_only_skipped_files_is_one_line_error(
    model_dir, tmp_path
):
    write(tmp_path / ".hidden.txt")
    write(tmp_path / "notes.pdf")
    (tmp_path / "loop").symlink_to(".")
    result = CliRunner().invoke(
        app, ["score", str(tmp_path), "--model", str(model_dir)]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no files framing can read in {tmp_path}: 1 .pdf; it reads .txt, "
        ".md, .html"
    )


def _drop_root_powers():
    """In the child: give up root's right to read and search anything, so file
    modes bind as they do for every other user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.mark.skipif(sys.platform != "linux", reason="file modes and prctl: Linux")
def test_cli_score_unreadable_file_and_folder_are_error_rows(model_dir, tmp_path):
    write(tmp_path / "a.txt")
    secret = write(tmp_path / "secret.txt")
    locked = tmp_path / "locked"
    write(locked / "inner.txt")
    write(tmp_path / "z.txt")
    secret.chmod(0)
    locked.chmod(0)
    preexec_fn = None
    if os.geteuid() == 0:
        # Root reads mode-000 files; drop that power in the child only.
        preexec_fn = _drop_root_powers
    try:
        code, rows, _stderr = run_score(tmp_path, model_dir, preexec_fn=preexec_fn)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE: {exc}")
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    errors = {row["id"]: row["error"] for row in rows if row["error"]}
    assert errors == {
        "locked": "cannot list folder (Permission denied)",
        "secret.txt": "cannot read (Permission denied)",
    }
    assert [row["id"] for row in rows] == ["a.txt", "locked", "secret.txt", "z.txt"]
    assert_scored(rows[0])
    assert_scored(rows[-1])
    assert code == PARTIAL_FAILURE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_scoring_fifo_swapped_in_after_the_walk_does_not_block(model_dir, tmp_path):
    # The walk saw a regular file; by the time it is read it is a FIFO with no
    # writer. Opening it for reading would block forever without O_NONBLOCK.
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    entry = Entry("x.txt", os.fspath(fifo))
    model = load(model_dir)[0]
    results = []
    worker = threading.Thread(
        target=lambda: results.extend(document_records(model, [entry], ScoreOptions())),
        daemon=True,
    )
    worker.start()
    worker.join(TIMEOUT)
    assert not worker.is_alive(), "reading a FIFO blocked the batch"
    assert results[0][0]["error"] == "not a regular file"


def test_walk_does_not_follow_folder_links(tmp_path):
    write(tmp_path / "a" / "doc.txt")
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "b").symlink_to("a")
    assert [(e.id, e.error) for e in iter_entries(tmp_path)] == [("a/doc.txt", None)]


def test_cli_score_file_over_max_bytes_is_error_row(model_dir, tmp_path):
    write(tmp_path / "a.txt")
    big = write(tmp_path / "big.txt", GOOD * 40)
    write(tmp_path / "c.txt")
    code, rows, _stderr = run_score(tmp_path, model_dir, "--max-bytes", "1000")
    assert [row["id"] for row in rows] == ["a.txt", "big.txt", "c.txt"]
    assert rows[1]["error"] == (
        f"{big.stat().st_size:,} bytes is over the 1,000-byte limit; raise it with "
        "--max-bytes"
    )
    assert rows[1]["stance"] is None
    assert_scored(rows[0])
    assert_scored(rows[2])
    assert code == PARTIAL_FAILURE


def test_cli_score_default_size_limit_and_raising_it(model_dir, tmp_path):
    line = "the police said officers attended the protest " * 120_000
    big = write(tmp_path / "big.txt", line + ".\n")  # one line, about 5.6 MB
    assert big.stat().st_size > DEFAULT_MAX_BYTES
    write(tmp_path / "small.txt")

    code, rows, _stderr = run_score(tmp_path, model_dir)
    assert code == PARTIAL_FAILURE
    assert rows[0]["error"] == (
        f"{big.stat().st_size:,} bytes is over the {DEFAULT_MAX_BYTES:,}-byte "
        "limit; raise it with --max-bytes"
    )
    assert_scored(rows[1])

    code, rows, _stderr = run_score(tmp_path, model_dir, "--max-bytes", "6000000")
    assert code == 0
    assert_scored(rows[0])


def test_scoring_text_over_max_bytes_is_error_row(model_dir):
    model = load(model_dir)[0]
    chunk = [("long", GOOD * 100), ("short", GOOD)]
    records = document_records(model, chunk, ScoreOptions(max_bytes=1000))
    assert records[0][0]["error"] == "over the 1,000-character limit"
    assert records[1][0]["error"] is None
