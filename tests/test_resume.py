"""Interrupted batches lose nothing: `score --out FILE --resume` continues where a
killed or failed run stopped, scoring no document twice and missing none
(issue 5, "Nothing lost")."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.api import score
from framing.cli import app

TIMEOUT = 300


def make_corpus(folder: Path, count: int, *, empty_first: int = 0) -> Path:
    """`count` tiny articles named in sorted order; the first `empty_first` are
    empty (error rows), and one empty file sorts last."""
    folder.mkdir(parents=True)
    for i in range(count):
        text = (
            ""
            if i < empty_first
            else f"The police said {i} officers attended the protest.\n\n"
            f"Campaigners said reform of police vetting is overdue, day {i % 7}.\n"
        )
        (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
    (folder / "zz-empty.txt").write_text("", encoding="utf-8")
    return folder


def reference(folder, model_dir, out, fmt) -> bytes:
    """The output of one uninterrupted run."""
    score(folder, out=out, fmt=fmt, model_dir=model_dir, jobs=1)
    return out.read_bytes()


def framing_score(folder, out, model_dir, fmt, *extra) -> list[str]:
    return [
        sys.executable,
        "-m",
        "framing",
        "score",
        os.fspath(folder),
        "--out",
        os.fspath(out),
        "--format",
        fmt,
        "--jobs",
        "1",
        "--model",
        os.fspath(model_dir),
        *extra,
    ]


def read_state(state: Path) -> dict | None:
    try:
        return json.loads(state.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def kill_mid_run(command, part, state, sig, when, header_size, log):
    """Start `command`, send `sig` once the run is under way, wait for it to end.
    Returns (killed, exit code); killed is False when the run finished before it
    could be interrupted. Output goes to files: a full pipe would stall the run."""
    with open(log, "w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink)
    deadline = time.monotonic() + TIMEOUT
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if when == "first-rows":
                ready = part.exists() and part.stat().st_size > header_size
            else:  # "after-checkpoint": some scored documents are on record
                ready = (read_state(state) or {}).get("documents", 0) > 0
            if ready:
                process.send_signal(sig)
                return True, process.wait(timeout=TIMEOUT)
            time.sleep(0.002)
        return False, process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "fmt", "when"),
    [
        (signal.SIGKILL, "jsonl", "after-checkpoint"),
        (signal.SIGKILL, "csv", "first-rows"),
        (signal.SIGINT, "jsonl", "first-rows"),
        (signal.SIGINT, "csv", "after-checkpoint"),
        (signal.SIGTERM, "jsonl", "after-checkpoint"),
    ],
    ids=["kill-jsonl", "kill-csv-early", "ctrl-c-jsonl-early", "ctrl-c-csv", "term"],
)
def test_cli_score_resume_after_killed_subprocess_equals_uninterrupted_run(
    model_dir, tmp_path, sig, fmt, when
):
    count = 2000
    for attempt in range(4):
        folder = make_corpus(tmp_path / f"corpus{attempt}", count)
        out = tmp_path / f"run{attempt}" / f"OUT.{fmt}"
        out.parent.mkdir()
        part = out.with_name(out.name + ".part")
        state = out.with_name(out.name + ".part.json")
        expected = reference(folder, model_dir, tmp_path / f"ref{attempt}.{fmt}", fmt)
        header_size = len(expected.split(b"\n", 1)[0]) + 1 if fmt == "csv" else 0
        command = framing_score(folder, out, model_dir, fmt)
        log = tmp_path / f"run{attempt}.log"
        killed, code = kill_mid_run(command, part, state, sig, when, header_size, log)
        if killed and not out.exists():
            break
        count *= 2  # this machine scored everything before the signal: more files
    else:
        pytest.fail("could not interrupt a run: every run finished first")

    assert not out.exists()  # nothing that looks complete
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
        assert part.exists() and state.exists()  # at least the first checkpoint
    else:
        assert code == (130 if sig == signal.SIGINT else 143)
        last = log.read_text().strip().splitlines()[-1]
        if state.exists():
            assert last == (
                f"Error: interrupted; what was scored is kept in {part}: run the "
                "same command with --resume to continue"
            )
        else:  # interrupted before its first checkpoint: nothing to resume
            assert when == "first-rows"
            assert last == "Error: interrupted; nothing was kept"
            assert not part.exists()
    if when == "after-checkpoint":
        assert read_state(state)["documents"] > 0

    resume = ["--resume"] if state.exists() else []
    resumed = subprocess.run(
        command + resume, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert resumed.returncode == 3, resumed.stderr  # zz-empty.txt is an error row
    assert out.read_bytes() == expected  # none twice, none missing, same order
    assert not part.exists() and not state.exists()


class Disk(RuntimeError):
    """The failure the tests inject."""


def stop_after(chunks: int, error: BaseException | None = None):
    """An on_progress callback that fails the run after `chunks` chunks (the
    checkpoint after the last of them is then not taken), and records how many
    documents each run reported."""

    def on_progress(documents, _warnings):
        on_progress.documents += documents
        on_progress.chunks += 1
        if on_progress.chunks > chunks:
            raise error or Disk("disk on fire")

    on_progress.documents = 0
    on_progress.chunks = 0
    return on_progress


def interrupted_run(folder, out, model_dir, **options):
    """Score `folder` into `out`, failing after the first chunk (256 documents,
    so the first checkpoint holds 256)."""
    with pytest.raises(Disk, match="disk on fire"):
        score(
            folder,
            out=out,
            model_dir=model_dir,
            jobs=1,
            checkpoint_every=64,
            on_progress=stop_after(1),
            **options,
        )
    state = json.loads(out.with_name(out.name + ".part.json").read_text())
    assert state["documents"] == 256
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_batch_resume_scores_only_what_the_failed_run_did_not_keep(
    model_dir, tmp_path, fmt
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / f"scores.{fmt}"
    interrupted_run(folder, out, model_dir, fmt=fmt)

    progress = stop_after(10**9)
    summary = score(
        folder,
        out=out,
        fmt=fmt,
        model_dir=model_dir,
        jobs=1,
        resume=True,
        on_progress=progress,
    )
    assert progress.documents == 601 - 256  # nothing scored twice, none skipped
    assert summary["resumed"] == 256 and summary["documents"] == 601
    expected = reference(folder, model_dir, tmp_path / f"ref.{fmt}", fmt)
    assert out.read_bytes() == expected


def test_cli_score_resume_exit_code_counts_failures_before_the_interruption(
    model_dir, tmp_path
):
    # The checkpoint carries the counts so far, so after --resume the exit code
    # and the summary describe the whole output file: here the two empty files
    # are among the rows kept from the interrupted run.
    folder = make_corpus(tmp_path / "corpus", 600, empty_first=2)
    (folder / "zz-empty.txt").unlink()
    out = tmp_path / "scores.jsonl"
    interrupted_run(folder, out, model_dir)
    args = ["score", str(folder), "--out", str(out), "--format", "jsonl"]
    args += ["--jobs", "1", "--model", str(model_dir)]
    result = CliRunner().invoke(app, [*args, "--resume"])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 600
    assert sum(1 for row in rows if row["error"]) == 2
    assert "2 of 600 files failed" in result.stderr
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("other", "differ"),
    [
        (["--paragraphs"], "--paragraphs"),
        (["--no-formula-guard"], "--no-formula-guard"),
        (["--max-bytes", "99"], "--max-bytes"),
        (["--min-confidence", "0.5"], "--min-confidence"),
        (["--follow-links"], "--follow-links"),
    ],
)
def test_cli_score_resume_with_other_options_is_refused(
    model_dir, tmp_path, other, differ
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "scores.csv"
    interrupted_run(folder, out, model_dir)
    part = out.with_name("scores.csv.part")
    kept = part.read_bytes()
    args = ["score", str(folder), "--out", str(out), "--jobs", "1"]
    result = CliRunner().invoke(
        app, [*args, "--model", str(model_dir), "--resume", *other]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {part} was written with other options ({differ} differ); resume "
        "with the same options, or start again with --force"
    )
    assert part.read_bytes() == kept


def test_cli_score_resume_with_another_model_is_refused(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "scores.csv"
    interrupted_run(folder, out, model_dir)
    other = shutil.copytree(model_dir, tmp_path / "other-model")
    card = json.loads((other / "card.json").read_text())
    card["created"] = "2001-01-01T00:00:00+00:00"
    (other / "card.json").write_text(json.dumps(card))
    result = CliRunner().invoke(
        app,
        ["score", str(folder), "--out", str(out), "--model", str(other), "--resume"],
    )
    assert result.exit_code == 1
    assert "was written with another model" in result.stderr


def test_cli_score_resume_after_the_folder_changed_is_refused(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "scores.csv"
    interrupted_run(folder, out, model_dir)
    (folder / "doc00005.txt").unlink()  # among the documents already written
    args = ["score", str(folder), "--out", str(out), "--jobs", "1"]
    result = CliRunner().invoke(app, [*args, "--model", str(model_dir), "--resume"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the folder changed since the interrupted run; start again with --force"
    )
    assert not out.exists()


def test_cli_score_resume_without_an_interrupted_run(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        app, ["score", str(folder), "--out", str(out), "--resume"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: nothing to resume: no interrupted run left {out}.part; run without "
        "--resume"
    )
    result = CliRunner().invoke(app, ["score", str(folder), "--resume"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: --resume needs --out FILE: a stream cannot be resumed"
    )


@pytest.mark.parametrize("resume", [False, True])
def test_cli_score_a_part_without_its_checkpoint_says_force(
    model_dir, tmp_path, resume
):
    """FILE.part with no FILE.part.json beside it cannot be resumed: both ways of
    running again say so and name --force (they said "pass --resume", then
    "nothing to resume")."""
    folder = make_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "scores.csv"
    Path(f"{out}.part").write_bytes(b"id,stance\n")
    args = ["score", str(folder), "--out", str(out), "--model", str(model_dir)]
    result = CliRunner().invoke(app, args + (["--resume"] if resume else []))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {out}.part was left by a run that kept no checkpoint "
        "(scores.csv.part.json is missing), so it cannot be resumed; pass --force "
        "to start again"
    )
    forced = CliRunner().invoke(app, args + ["--force"])
    assert "Error" not in forced.stderr and out.exists()


def test_batch_a_run_that_kept_nothing_removes_its_part_before_its_state(
    model_dir, tmp_path, monkeypatch
):
    """A second Ctrl-C while a run that kept nothing cleans up, just after the
    first of its two steps, must not leave a part without a checkpoint: the
    part goes first."""
    from framing.batch import sink
    from framing.files import AtomicFile

    folder = make_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "scores.csv"
    discard, unlink = AtomicFile.discard, Path.unlink

    def discard_then_interrupted(self):
        discard(self)
        raise KeyboardInterrupt

    def unlink_then_interrupted(self, missing_ok=False):
        unlink(self, missing_ok=missing_ok)
        if self.name.endswith(".part.json"):
            raise KeyboardInterrupt

    def first_interruption(documents, warnings):
        monkeypatch.setattr(AtomicFile, "discard", discard_then_interrupted)
        monkeypatch.setattr(Path, "unlink", unlink_then_interrupted)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        score(
            folder, out=out, model_dir=model_dir, jobs=1, on_progress=first_interruption
        )
    monkeypatch.undo()
    part, _state = sink.part_paths(out)
    assert not part.exists()
