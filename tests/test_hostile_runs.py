"""What a hostile folder, a planted file, an interrupted run or a careless caller
can no longer break (issue 11, "Reliability 2"). One test or table per item, named
after it, so that this file reads as the list of what is promised:

- resume continues only the same run: same folder, same ids already written,
  same options and model, and the bytes its checkpoint vouched for (items 1, 2, 18);
- links to files outside the folder are not read unless --follow-links (3);
- FILE.part and the checkpoint are never opened through a planted link (4);
- work is bounded by bytes and paragraphs, not documents (6);
- workers die with the parent (7); any depth of folders is walked (8);
- two runs on one output: the second is refused (9);
- nothing printed can drive the terminal (10); classify's stdin is bounded (11);
- ids are one to one with file names (17); an unreachable scheduler leaves
  nothing behind (19); mistyped formats, closed and broken pipes (20);
- the Python API checks its arguments (21); disk full and a killed worker say so
  and how to resume (22).

Items 5 and 12-16 (model loading, dataset reading) are tested with the model and
dataset code.
"""

import csv
import io
import json
import math
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import corpus_rows, write_csv
from typer.testing import CliRunner

from framing import api
from framing.batch.formats import get_format
from framing.batch.rows import RowSchema
from framing.batch.run import FOLDER_FIELDS, run_batch
from framing.batch.sink import part_paths
from framing.batch.workers import (
    Job,
    ScoreOptions,
    chunked,
    document_records,
    score_chunk,
)
from framing.cli import app
from framing.corpus.walk import LINK_OUT, Entry, iter_entries
from framing.errors import FramingError, OutputError

GOOD = "The police said {n} officers attended the protest on Saturday.\n"
# Room for a cold start on a machine busy with other work; only a hang hits it.
TIMEOUT = 300


def make_corpus(folder: Path, count: int, text: str = GOOD) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"doc{n:05d}.txt").write_text(text.format(n=n), encoding="utf-8")
    return folder


def cli(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def framing(*args, **kwargs) -> subprocess.CompletedProcess:
    """`python -m framing ARGS` in a subprocess (a hang is a timeout)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "framing", *map(str, args)],
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        **kwargs,
    )


class Stop(RuntimeError):
    pass


def stop_at_chunk(number: int, error: BaseException | None = None):
    """An on_progress callback that fails the run at its `number`-th chunk, before
    that chunk's checkpoint."""
    seen = []

    def on_progress(documents, _warnings):
        seen.append(documents)
        if len(seen) == number:
            raise error or Stop("stopped")

    return on_progress


def interrupt(folder, out, model_dir, **options) -> None:
    """An --out run stopped after its first checkpoint (256 documents)."""
    with pytest.raises(Stop):
        api.score(
            folder,
            out=out,
            model_dir=model_dir,
            jobs=1,
            on_progress=stop_at_chunk(2),
            **options,
        )
    assert json.loads(part_paths(out)[1].read_text())["documents"] == 256


def reference(folder, model_dir, tmp_path, **options) -> bytes:
    out = tmp_path / "reference.csv"
    api.score(folder, out=out, model_dir=model_dir, jobs=1, fmt="csv", **options)
    return out.read_bytes()


# 1, 2, 18: resume continues the same run or refuses, with a clear message.


def test_hostile_1_resume_with_another_folder_of_the_same_names_is_refused(
    model_dir, tmp_path
):
    first = make_corpus(tmp_path / "A", 600)
    other = make_corpus(tmp_path / "B", 600, "Abolish the police, said {n} people.\n")
    out = tmp_path / "o.csv"
    interrupt(first, out, model_dir)
    part = part_paths(out)[0]
    kept = part.read_bytes()
    result = cli("score", other, "--out", out, "--model", model_dir, "--resume")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {part} holds the scores of another folder ({first.resolve()}); "
        "resume with the same folder, or start again with --force"
    )
    assert part.read_bytes() == kept and not out.exists()


def test_hostile_2_resume_after_a_scored_file_was_renamed_is_refused(
    model_dir, tmp_path
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    interrupt(folder, out, model_dir)
    # Same count and the same last id at the checkpoint: only the ids tell.
    (folder / "doc00100.txt").rename(folder / "doc00100x.txt")
    result = cli("score", folder, "--out", out, "--model", model_dir, "--resume")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the folder changed since the interrupted run; start again with --force"
    )


def test_hostile_2_resume_after_the_rest_changed_continues(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    interrupt(folder, out, model_dir)
    (folder / "doc00500.txt").rename(folder / "doc00500x.txt")  # not yet scored
    assert (
        cli("score", folder, "--out", out, "--model", model_dir, "--resume").exit_code
        == 0
    )
    assert out.read_bytes() == reference(folder, model_dir, tmp_path)


def test_hostile_18_interrupted_before_any_checkpoint_leaves_nothing(
    model_dir, tmp_path
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    with pytest.raises(KeyboardInterrupt):
        api.score(
            folder,
            out=out,
            model_dir=model_dir,
            jobs=1,
            on_progress=stop_at_chunk(1, KeyboardInterrupt()),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
    # So the next identical run is not told to --resume what does not exist.
    result = cli("score", folder, "--out", out, "--model", model_dir)
    assert result.exit_code == 0, result.output


def damage_state_empty(part, state):
    state.write_text("")


def damage_state_offset(part, state):
    saved = json.loads(state.read_text())
    saved["offset"] = part.stat().st_size + 4096
    state.write_text(json.dumps(saved))


def damage_part_bytes(part, state):
    data = bytearray(part.read_bytes())
    data[200] ^= 1
    part.write_bytes(bytes(data))


def damage_state_counts(part, state):
    saved = json.loads(state.read_text())
    saved["progress"]["summary"]["failed"] = "many"
    state.write_text(json.dumps(saved))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (damage_state_empty, "is damaged (not JSON)"),
        (damage_state_offset, "does not match its checkpoint"),
        (damage_part_bytes, "does not match its checkpoint"),
        (damage_state_counts, "is damaged (its counts do not agree)"),
    ],
    ids=["empty-state", "offset-past-the-end", "edited-rows", "bad-counts"],
)
def test_hostile_18_resume_from_a_damaged_checkpoint_is_refused(
    model_dir, tmp_path, damage, message
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    interrupt(folder, out, model_dir)
    damage(*part_paths(out))
    result = cli("score", folder, "--out", out, "--model", model_dir, "--resume")
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "start again with --force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


# 3: links to files outside the folder.


def test_hostile_3_links_out_of_the_folder_are_not_read(model_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret password is swordfish, the officer said.\n")
    folder = make_corpus(tmp_path / "corpus", 1)
    (folder / "x.txt").symlink_to(secret)
    (folder / "p.txt").symlink_to("/proc/self/status")
    (folder / "inside.txt").symlink_to("doc00000.txt")  # inside: read

    result = cli(
        "score", folder, "--paragraphs", "--format", "jsonl", "--model", model_dir
    )
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["x.txt"]["error"] == rows["p.txt"]["error"] == LINK_OUT
    assert "swordfish" not in result.stdout and "VmRSS" not in result.stdout
    assert rows["inside.txt"]["text"] == GOOD.format(n=0).strip()
    assert result.exit_code == 3

    allowed = cli(
        "score",
        folder,
        "--paragraphs",
        "--format",
        "jsonl",
        "--follow-links",
        "--model",
        model_dir,
    )
    assert allowed.exit_code == 0, allowed.output
    assert "swordfish" in allowed.stdout


# 4: planted links at FILE.part and the checkpoint's temporary name.


def test_hostile_4_a_link_planted_at_the_part_file_is_never_written_through(
    model_dir, tmp_path
):
    folder = make_corpus(tmp_path / "corpus", 3)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    missing = tmp_path / "created-through-a-link.txt"
    out = tmp_path / "o.csv"
    part, state = part_paths(out)
    part.symlink_to(missing)  # dangling: open("w") would create it

    refused = cli("score", folder, "--out", out, "--model", model_dir)
    assert refused.exit_code == 1
    assert "cannot be resumed; pass --force" in refused.stderr  # no checkpoint
    assert not missing.exists()

    part.unlink()
    part.symlink_to(victim)
    state.with_name(state.name + ".tmp").symlink_to(victim)
    forced = cli("score", folder, "--out", out, "--model", model_dir, "--force")
    assert forced.exit_code == 0, forced.output
    assert victim.read_text() == "precious" and not missing.exists()
    assert out.is_file() and not out.is_symlink()
    assert out.read_bytes() == reference(folder, model_dir, tmp_path)


def test_hostile_4_resume_never_opens_the_part_through_a_link(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    interrupt(folder, out, model_dir)
    part = part_paths(out)[0]
    victim = tmp_path / "victim.csv"
    part.rename(victim)
    part.symlink_to(victim)
    before = victim.read_bytes()
    result = cli("score", folder, "--out", out, "--model", model_dir, "--resume")
    assert result.exit_code == 1
    assert "is a symbolic link, not a file framing wrote" in result.stderr
    assert victim.read_bytes() == before


# 6: bounded work.


def test_hostile_6_chunks_are_bounded_by_bytes_as_well_as_documents():
    entries = [
        Entry(f"d{n}", text="x", size=size)
        for n, size in enumerate([400, 400, 400, 5_000, 10, 10, 10, 10, 10])
    ]
    chunks = list(chunked(entries, documents=3, size=1_000))
    assert [[e.id for e in chunk] for chunk in chunks] == [
        ["d0", "d1"],
        ["d2"],
        ["d3"],
        ["d4", "d5", "d6"],
        ["d7", "d8"],
    ]


@pytest.mark.parametrize("paragraph_rows", [True, False])
def test_hostile_6_a_long_document_is_labelled_in_bounded_batches_with_the_same_rows(
    model_dir, paragraph_rows
):
    model = api.load(model_dir)[0]
    long = "\n\n".join(f"Officer number {n} attended the protest." for n in range(50))
    chunk = [Entry("long", text=long, size=len(long)), Entry("short", text=GOOD)]
    options = ScoreOptions(paragraphs=paragraph_rows)
    schema = RowSchema.for_model(model, paragraphs=paragraph_rows)
    whole = score_chunk(model, Job(schema, get_format("csv"), options), chunk)
    sliced = score_chunk(
        model, Job(schema, get_format("csv"), options, batch_paragraphs=7), chunk
    )
    assert sliced.data == whole.data
    assert sliced.tally == whole.tally
    assert whole.tally.documents == 2


@pytest.mark.slow
def test_hostile_6_one_huge_file_of_short_paragraphs_stays_within_memory(
    model_dir, tmp_path
):
    # 5 MB of one-word paragraphs (the worst case per byte) with paragraph rows:
    # 0.1 peaked at 810 MB here; labelling in bounded slices keeps it far lower.
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(folder / "big.txt", "w") as handle:
        for n in range(450_000):
            handle.write(f"w{n}.\n")
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
        " stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            sys.executable,
            "-m",
            "framing",
            "score",
            str(folder),
            "--paragraphs",
            "--jobs",
            "1",
            "--model",
            str(model_dir),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    assert int(done.stdout) < 450_000  # KB


# 7: workers exit when the parent dies.


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_hostile_7_workers_exit_when_the_parent_is_killed(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 20_000)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "framing",
            "score",
            str(folder),
            "--jobs",
            "2",
            "--out",
            str(tmp_path / "o.csv"),
            "--model",
            str(model_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = children(process.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the workers never started"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "workers outlived their parent"
    finally:
        if process.poll() is None:
            process.kill()


# 8: any depth.


def test_hostile_8_a_folder_1200_levels_deep_is_walked(model_dir, tmp_path):
    folders = [os.path.join(tmp_path, "corpus")]
    for _ in range(1200):  # pathlib and os.makedirs would recurse
        folders.append(os.path.join(folders[-1], "d"))
    for folder in folders:
        os.mkdir(folder)
    bottom = os.path.join(folders[-1], "bottom.txt")
    Path(bottom).write_text(GOOD.format(n=1))
    try:
        ids = [entry.id for entry in iter_entries(Path(folders[0]))]
        assert ids == ["d/" * 1200 + "bottom.txt"]
        stream = io.StringIO()
        summary = api.score(folders[0], stream=stream, model_dir=model_dir)
        assert summary["documents"] == 1 and summary["failed"] == 0
    finally:
        os.unlink(bottom)
        for folder in reversed(folders):  # shutil.rmtree would recurse too
            os.rmdir(folder)


# 9: two runs on one output.


def test_hostile_9_a_second_run_on_the_same_output_is_refused(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 300)
    out = tmp_path / "o.csv"
    model = api.load(model_dir)[0]
    second: list = []

    def entries():
        for n, entry in enumerate(iter_entries(folder)):
            if n == 280:  # the first run holds o.csv.part now
                for force in (False, True):
                    with pytest.raises(OutputError) as refused:
                        api.score(folder, out=out, model_dir=model_dir, force=force)
                    second.append(str(refused.value))
            yield entry

    run_batch(
        model, entries(), out=out, chunk_documents=16, document_fields=FOLDER_FIELDS
    )
    assert (
        second
        == [
            f"another framing run is writing {out} (it holds {out}.part); wait for it "
            "to finish, or give another output file"
        ]
        * 2
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "o.csv"]
    assert out.read_bytes() == reference(folder, model_dir, tmp_path)


# 10: nothing printed drives the terminal.


def test_hostile_10_file_names_in_warnings_are_escaped(model_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "\x1b[2J\x1b]0;owned\x07.txt").write_bytes(b"The officers\x92 union.")
    result = cli("score", folder, "--model", model_dir)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "warning: \\x1b[2J\\x1b]0;owned\\x07.txt: not UTF-8" in result.stderr


def test_hostile_10_model_cards_are_shown_escaped(model_dir, tmp_path):
    model = shutil.copytree(model_dir, tmp_path / "model")
    card = json.loads((model / "card.json").read_text())
    card["created"] = "\x1b[2J\x1b[8m"  # clear the screen, hide what follows
    card["training_data"]["path"] = "data\x9b31m.csv"
    (model / "card.json").write_text(json.dumps(card))
    result = cli("info", "--model", model)
    assert result.exit_code == 0, result.output
    for control in ("\x1b", "\x9b"):
        assert control not in result.stdout
    assert card["training_data"]["sha256"] in result.stdout


def test_hostile_10_own_label_names_with_escapes_are_refused(tmp_path):
    # A label is a name for a class, not a place for terminal escapes: training
    # refuses it (and loading refuses a card whose labels hold one), so no
    # label can reach a terminal raw.
    rows = corpus_rows()
    for row in rows:
        row["tone"] = "\x1b[31m" + row["tone"]
    data = write_csv(tmp_path / "own.csv", rows)
    result = cli("train", "--data", data, "--out", tmp_path / "model", "--own-labels")
    assert result.exit_code == 1
    assert "a tone with control characters; labels must be plain text" in result.stderr
    assert "\x1b" not in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="needs a pseudo-terminal")
def test_hostile_10_rows_shown_on_a_terminal_are_escaped(model_dir, tmp_path):
    import pty

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "\x1b[2Jclear.txt").write_text(GOOD.format(n=1))
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "framing",
            "score",
            str(folder),
            "--model",
            str(model_dir),
        ],
        stdout=terminal,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not data:
            break
        shown += data
    os.close(main)
    assert process.wait(timeout=TIMEOUT) == 0
    assert b"\x1b" not in shown
    assert b"\\x1b[2Jclear.txt" in shown


# 11: classify's standard input.


def test_hostile_11_classify_stdin_is_bounded_by_max_bytes(model_dir):
    text = ("The police said officers attended the protest. " * 10).encode()
    refused = cli("classify", "--model", model_dir, "--max-bytes", 100, input=text)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: standard input is over the 100-byte limit; raise it with --max-bytes"
    )
    assert cli("classify", "--model", model_dir, input=text).exit_code == 0


def test_hostile_11_classify_refuses_binary_stdin(model_dir):
    elf = b"\x7fELF\x02\x01\x01\x00" + bytes(64) + b"\x03\x00>\x00police" * 20
    result = cli("classify", "--model", model_dir, input=elf)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: standard input is binary, not text"


# 17: ids are one to one with file names.


def test_hostile_17_undecodable_bytes_and_a_literal_escape_get_different_ids(
    model_dir, tmp_path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/a\xff.txt", "w") as handle:
        handle.write(GOOD.format(n=1))
    (folder / "a\\xff.txt").write_text(GOOD.format(n=2))
    (folder / "plain.txt").write_text(GOOD.format(n=3))
    ids = [entry.id for entry in iter_entries(folder)]
    assert ids == ["a\\\\xff.txt", "a\\xff.txt", "plain.txt"]
    assert len(set(ids)) == 3


# 19: an unreachable scheduler leaves nothing behind.


def test_hostile_19_unreachable_scheduler_leaves_no_part_file(model_dir, tmp_path):
    pytest.importorskip("distributed")
    folder = make_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "o.csv"
    args = ["score", folder, "--out", out, "--model", model_dir]
    result = cli(*args, "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert (
        "Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
    assert cli(*args).exit_code == 0  # the next identical run is not blocked


# 20: mistyped formats, closed and broken pipes.


def test_hostile_20_an_unknown_format_is_a_usage_error(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 1)
    result = cli("score", folder, "--format", "xml", "--model", model_dir)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: unknown format 'xml'; use one of csv, tsv, jsonl, xlsx"
    )


def test_hostile_20_score_into_a_pipe_closed_early_stops_quietly(model_dir, tmp_path):
    folder = make_corpus(tmp_path / "corpus", 3000)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "framing",
            "score",
            str(folder),
            "--jobs",
            "1",
            "--model",
            str(model_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=TIMEOUT) == 141
    assert "Error" not in stderr and "Exception" not in stderr, stderr


def close_stdout():
    os.close(1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "{folder}"], "give --out FILE for the rows"),
        (["classify", "Police said so."], "nowhere to show the result"),
    ],
)
def test_hostile_20_closed_standard_output_is_an_error(
    model_dir, tmp_path, args, message
):
    folder = make_corpus(tmp_path / "corpus", 1)
    args = [a.format(folder=folder) for a in args]
    done = framing(*args, "--model", model_dir, preexec_fn=close_stdout)
    assert done.returncode == 1
    assert done.stderr.decode().strip() == (
        f"Error: standard output is closed; {message}"
    )


# 21: the Python API checks its arguments before any work.

# (function, arguments, the argument the error names). Every call would fail
# fast even without the checks (a missing model, no data), so none of them can
# write anything.
S, NOWHERE = io.StringIO, {"model_dir": "no-such-model"}
NO_DATA = {"out": "no-such-folder/m", "data": "no-such.csv"}
WRONG_CALLS = [
    (api.classify, (123,), {}, "text"),
    (api.classify, (b"The police said so.",), {}, "text"),
    (api.classify, (None,), {}, "text"),
    (api.classify, (["a"],), {}, "text"),
    (api.classify, ("t",), {"model_dir": 123}, "model_dir"),
    (api.classify, ("t",), {**NOWHERE, "min_confidence": 5}, "min_confidence"),
    (api.classify, ("t",), {**NOWHERE, "min_confidence": -0.1}, "min_confidence"),
    (api.classify, ("t",), {**NOWHERE, "min_confidence": "0.5"}, "min_confidence"),
    (api.classify, ("t",), {**NOWHERE, "min_confidence": math.nan}, "min_confidence"),
    (api.classify, ("t",), {**NOWHERE, "explain": -1}, "explain"),
    (api.classify, ("t",), {**NOWHERE, "explain": "3"}, "explain"),
    (api.score, (None,), {"stream": S()}, "folder"),
    (api.score, (123,), {"stream": S()}, "folder"),
    (api.score, (b"tests",), {"stream": S()}, "folder"),
    (api.score, ("tests",), {**NOWHERE, "out": 123}, "out"),
    (api.score, ("tests",), {**NOWHERE, "stream": object()}, "stream"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "fmt": 3}, "fmt"),
    (
        api.score,
        ("tests",),
        {**NOWHERE, "stream": S(), "paragraphs": "y"},
        "paragraphs",
    ),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "jobs": 0}, "jobs"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "jobs": "2"}, "jobs"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "jobs": 1.5}, "jobs"),
    (
        api.score,
        ("tests",),
        {**NOWHERE, "stream": S(), "min_confidence": 5},
        "min_confidence",
    ),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "max_bytes": -1}, "max_bytes"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "max_bytes": 0}, "max_bytes"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "resume": 1}, "resume"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "on_start": 5}, "on_start"),
    (api.score, ("tests",), {**NOWHERE, "stream": S(), "scheduler": 8786}, "scheduler"),
    (api.score, ("tests",), {"stream": S(), "model_dir": ["x"]}, "model_dir"),
    (api.train, (), {"out": None}, "out"),
    (api.train, (), {"out": 123}, "out"),
    (api.train, (), {"out": "no-such-folder/m", "data": None}, "data"),
    (api.train, (), {**NO_DATA, "force": "no"}, "force"),
    (api.train, (), {**NO_DATA, "jobs": 0}, "jobs"),
    (api.train, (), {**NO_DATA, "select": None}, "select"),
    (api.evaluate, (), {**NOWHERE, "data": 123}, "data"),
    (api.evaluate, (), {**NOWHERE, "report_dir": 5}, "report_dir"),
    (api.evaluate, (), {**NOWHERE, "bootstrap_samples": 0}, "bootstrap_samples"),
    (api.evaluate, (), {**NOWHERE, "bootstrap_samples": "9"}, "bootstrap_samples"),
    (api.evaluate, (), {**NOWHERE, "jobs": -1}, "jobs"),
    (api.evaluate, (), {"model_dir": 1.5}, "model_dir"),
    (api.info, (123,), {}, "model_dir"),
    (api.info, (b"models/default",), {}, "model_dir"),
]


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "name"),
    WRONG_CALLS,
    ids=[f"{f.__name__}-{name}-{i}" for i, (f, _a, _k, name) in enumerate(WRONG_CALLS)],
)
def test_hostile_21_wrong_api_arguments_are_framing_errors(
    function, args, kwargs, name
):
    with pytest.raises(FramingError) as raised:
        function(*args, **kwargs)
    assert str(raised.value).startswith(f"{name} must be "), raised.value
    assert " instead" in str(raised.value)


def test_hostile_21_an_unknown_format_from_python_is_the_same_error(tmp_path):
    with pytest.raises(FramingError, match="unknown format 'xml'; use one of"):
        api.score("tests", stream=io.StringIO(), fmt="xml", model_dir="no-such-model")


# 22: disk full and a killed worker say what happened and how to resume.


def test_hostile_22_standard_output_on_a_full_disk(model_dir, tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    folder = make_corpus(tmp_path / "corpus", 3)
    with open("/dev/full", "w") as full:
        done = framing("score", folder, "--model", model_dir, stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode().strip() == (
        "Error: cannot write standard output: No space left on device"
    )


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_hostile_22_an_output_file_that_cannot_grow_says_how_to_resume(
    model_dir, tmp_path
):
    folder = make_corpus(tmp_path / "corpus", 600)
    out = tmp_path / "o.csv"
    args = ["score", folder, "--out", out, "--jobs", "1", "--model", model_dir]
    done = framing(*args, preexec_fn=limit_file_size)
    part, state = part_paths(out)
    kept = json.loads(state.read_text())["documents"]
    assert done.returncode == 1 and 0 < kept < 600
    assert done.stderr.decode().strip().splitlines()[-1] == (
        f"Error: {part} is larger than this system allows a file to be; the {kept} "
        f"documents scored so far are kept in {part}: run the same command with "
        "--resume to continue"
    )
    assert framing(*args, "--resume").returncode == 0
    assert out.read_bytes() == reference(folder, model_dir, tmp_path)


class Poison(str):
    """Text whose unpickling ends the worker process that receives it."""

    def __reduce__(self):
        return (os._exit, (9,))


def test_hostile_22_a_killed_worker_says_how_to_resume(model_dir, tmp_path):
    model = api.load(model_dir)[0]
    out = tmp_path / "o.jsonl"
    good = [(f"doc{n:04d}", GOOD.format(n=n)) for n in range(200)]
    poisoned = [*good, Entry("poison", text=Poison("x"), size=1)]
    options = {"fmt": "jsonl", "chunk_documents": 8, "checkpoint_every": 8}
    with pytest.raises(FramingError) as died:
        run_batch(model, iter(poisoned), out=out, jobs=2, **options)
    message = str(died.value)
    assert message.startswith(
        "a worker process died (killed by a signal, or by the system for lack of "
        "memory); the "
    )
    assert message.endswith(
        f"documents scored so far are kept in {out}.part: run the same command "
        "with --resume to continue"
    )
    run_batch(model, iter(good), out=out, resume=True, jobs=1, **options)
    rows = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert rows == [doc_id for doc_id, _text in good]


class Faulty(str):
    """Text that makes scoring fail with an error of its own (a bug, say)."""

    def replace(self, *args, **kwargs):
        raise LookupError("scoring failed here")


def test_hostile_22_an_error_in_a_worker_reaches_the_caller(model_dir, tmp_path):
    model = api.load(model_dir)[0]
    good = [(f"doc{n:04d}", GOOD.format(n=n)) for n in range(40)]
    faulty = [*good, Entry("faulty", text=Faulty("x"), size=1), *good[:5]]
    options = {"fmt": "jsonl", "chunk_documents": 8, "checkpoint_every": 8}
    with pytest.raises(LookupError, match="scoring failed here"):
        run_batch(model, iter(faulty), out=tmp_path / "o.jsonl", jobs=2, **options)
    # The pool was closed, its workers ended, and the same model scores on.
    assert not [p for p in multiprocessing.active_children() if "framing" in p.name]
    run_batch(model, iter(good), out=tmp_path / "p.jsonl", jobs=2, **options)
    assert len((tmp_path / "p.jsonl").read_text().splitlines()) == len(good)


def test_hostile_document_records_of_pairs_match_the_batch_rows(model_dir):
    # The records API and the batch's bytes come from the same rows.
    model = api.load(model_dir)[0]
    pairs = [("a", GOOD.format(n=1)), ("b", "")]
    records = document_records(model, pairs, ScoreOptions())
    assert [r[0]["id"] for r in records] == ["a", "b"]
    assert records[1][0]["error"].startswith("no prose paragraphs")


def test_hostile_closed_stdout_ends_the_workers_without_a_traceback(
    model_dir, tmp_path
):
    """`framing score DIR | head`: the parent stops with 141 and terminates the
    workers that still hold chunks. They die quietly: they had inherited the
    parent's SIGTERM handler, and each printed a traceback."""
    folder = make_corpus(tmp_path / "A", 3000)
    process = subprocess.Popen(
        [sys.executable, "-m", "framing", "score", str(folder), "--model",
         str(model_dir), "--format", "jsonl", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.read(100)
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141, err.decode()
    assert b"Traceback" not in err, err.decode()


def test_hostile_large_table_records_on_two_jobs_do_not_deadlock(model_dir, tmp_path):
    """A table's chunks carry their texts (up to 1 MB each) and paragraph rows
    carry them back: the parent must never wait to send a chunk to a worker
    that waits to send it a result, both pipes full (this hung for good)."""
    body = " ".join(["Police said the review of stop and search would report."] * 60)
    table = tmp_path / "export.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "body"])
        for n in range(1500):
            writer.writerow([f"https://news.example/{n}", f"{body}\n\nStory {n}."])
    out = tmp_path / "rows.jsonl"
    done = framing(
        "score", table, "--text-column", "body", "--id-column", "url",
        "--paragraphs", "--jobs", 2, "--model", model_dir, "--out", out,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3000


@pytest.mark.parametrize("command", ["score", "info"])
def test_hostile_closed_stdout_for_the_summary_table_is_141(
    model_dir, tmp_path, command
):
    """`framing score DIR --out FILE | true`: the rows are in FILE and only the
    label table meets the closed pipe; rich's own handling exited 1 with no word,
    which reads as an error."""
    folder = make_corpus(tmp_path / "A", 3)
    args = {
        "score": ["score", folder, "--out", tmp_path / "o.csv", "--model", model_dir],
        "info": ["info", "--model", model_dir],
    }[command]
    process = subprocess.Popen(
        [sys.executable, "-m", "framing", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141, err.decode()
    assert err == b""
