"""Output files are safe: no spreadsheet formulas, every field escaped, and a
failed run never leaves a file that looks complete (issue 5)."""

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from framing.api import score
from framing.batch.formats import csv_line, json_line
from framing.cli import app
from framing.text.segment import split_paragraphs

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DANGEROUS = ("=", "+", "-", "@")
GOOD = "The police said officers attended the protest on Saturday.\n"


def neutralised(value: str) -> str:
    """What a cell holding `value` must contain in our CSV."""
    return "'" + value if value.startswith(FORMULA_START) else value


def read_exact(path: Path) -> str:
    """The file's text with newlines as written (no universal-newline mapping),
    without the byte-order mark of a CSV file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_jsonl(text: str) -> list[dict]:
    # JSON Lines: records are separated by "\n" only (not str.splitlines, which
    # also splits on characters JSON may leave raw, such as U+2028).
    assert text.endswith("\n")
    return [json.loads(line) for line in text[:-1].split("\n")]


cell_text = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(FORMULA_START), st.text()).map("".join),
    st.sampled_from(['=HYPERLINK("http://evil","x")', "@SUM(A1)", "-2+3", "+1"]),
)


@settings(max_examples=100, deadline=None)
@given(fields=st.lists(st.one_of(cell_text, st.floats(allow_nan=False)), max_size=8))
def test_output_csv_line_neutralises_formulas_and_round_trips(fields):
    line = csv_line(fields)
    assert line.endswith("\r\n")
    (parsed,) = list(csv.reader(io.StringIO(line, newline="")))
    if not fields:
        return
    assert len(parsed) == len(fields)
    for value, cell in zip(fields, parsed):
        if isinstance(value, float):
            assert float(cell) == value
        else:
            assert cell == neutralised(value)
            assert not cell.startswith(FORMULA_START)


@settings(max_examples=100, deadline=None)
@given(
    record=st.dictionaries(st.text(), st.one_of(st.text(), st.none(), st.integers()))
)
def test_output_json_line_is_one_line_that_round_trips(record):
    line = json_line(record)
    assert line.endswith("\n") and "\n" not in line[:-1] and "\r" not in line
    assert json.loads(line) == record


# Names a spreadsheet would run, and names with every character CSV must quote.
FORMULA_NAMES = [
    '=HYPERLINK("http:evil.example","click").txt',
    "+SUM(1,2).txt",
    "-2+3.txt",
    "@cmd.txt",
    "\t=1+1.txt",
]
QUOTING_NAMES = [
    'he said, "stop"\nnow.txt',
    "comma,separated.txt",
    "carriage\rreturn.txt",
    "semi;colon 'quote'.md",
]
PARAGRAPHS = [
    "=1+2 said the police officers at the protest, and nobody laughed.",
    "@police said officers attended the protest on Saturday.",
    '- Officers said, "move along", and the crowd said "no, never".',
    "+ Reform of police vetting is overdue, the review found.",
]


@pytest.fixture
def hostile_names(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in FORMULA_NAMES + QUOTING_NAMES:
        (folder / name).write_text(GOOD, encoding="utf-8")
    (folder / "paragraphs.txt").write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    return folder


def test_cli_score_csv_neutralises_formula_names(model_dir, hostile_names, tmp_path):
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        app,
        ["score", str(hostile_names), "--out", str(out), "--model", str(model_dir)],
    )
    assert result.exit_code == 0, result.output
    text = read_exact(out)
    rows = read_csv(text)
    names = sorted(FORMULA_NAMES + QUOTING_NAMES + ["paragraphs.txt"])
    assert sorted(row["id"] for row in rows) == sorted(neutralised(n) for n in names)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(DANGEROUS), row


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_cli_score_paragraph_text_and_names_round_trip(
    model_dir, hostile_names, tmp_path, fmt
):
    out = tmp_path / f"scores.{fmt}"
    result = CliRunner().invoke(
        app,
        ["score", str(hostile_names), "--out", str(out), "--paragraphs"]
        + ["--format", fmt, "--model", str(model_dir)],
    )
    assert result.exit_code == 0, result.output
    text = read_exact(out)
    rows = read_csv(text) if fmt == "csv" else read_jsonl(text)
    cell = neutralised if fmt == "csv" else (lambda value: value)
    expected_ids = sorted(FORMULA_NAMES + QUOTING_NAMES)
    by_id: dict[str, list[dict]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    assert set(by_id) == {cell(n) for n in expected_ids + ["paragraphs.txt"]}
    assert split_paragraphs("\n\n".join(PARAGRAPHS)) == PARAGRAPHS
    assert [row["text"] for row in by_id["paragraphs.txt"]] == [
        cell(p) for p in PARAGRAPHS
    ]
    for name in QUOTING_NAMES:
        assert [row["text"] for row in by_id[cell(name)]] == [GOOD.strip()]


def test_cli_score_error_and_warning_fields_round_trip(model_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    big = folder / 'big, "huge".txt'
    big.write_text(GOOD * 30, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(
        "The officers’ union said, “no”.".encode("cp1252")
    )
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        app,
        ["score", str(folder), "--out", str(out), "--max-bytes", "1000"]
        + ["--model", str(model_dir)],
    )
    assert result.exit_code == 3
    rows = read_csv(read_exact(out))
    assert rows[0]["id"] == big.name
    assert rows[0]["error"] == (
        f"{big.stat().st_size:,} bytes is over the 1,000-byte limit; raise it with "
        "--max-bytes"
    )
    assert rows[1]["warning"] == "not UTF-8; decoded as Windows-1252"
    assert rows[1]["error"] == ""


filename = (
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"),
        min_size=1,
        max_size=30,
    )
    .filter(lambda name: not name.startswith("."))
    .map(lambda name: name + ".txt")
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(names=st.sets(filename, min_size=1, max_size=4))
def test_api_score_any_file_name_round_trips_in_csv_and_jsonl(
    model_dir, tmp_path_factory, names
):
    names = {n for n in names if len(os.fsencode(n)) < 250}
    if not names:
        return
    with tempfile.TemporaryDirectory(dir=tmp_path_factory.getbasetemp()) as folder:
        for name in names:
            Path(folder, name).write_text(GOOD, encoding="utf-8")
        outputs = {}
        for fmt in ("csv", "jsonl"):
            stream = io.StringIO(newline="")
            score(Path(folder), stream=stream, fmt=fmt, model_dir=model_dir, jobs=1)
            outputs[fmt] = stream.getvalue()
    # Ids are the names, with a backslash written as two (so that no name can
    # look like another's \xNN escape of bytes that are not UTF-8).
    ids = [n.replace("\\", "\\\\") for n in sorted(names, key=os.fsencode)]
    assert [row["id"] for row in read_jsonl(outputs["jsonl"])] == ids
    csv_rows = read_csv(outputs["csv"])
    assert [row["id"] for row in csv_rows] == [neutralised(n) for n in ids]
    assert all(row["error"] == "" for row in csv_rows)


# Atomic output: a run that fails midway leaves only FILE.part.


class Disk(RuntimeError):
    pass


def fail_on_second_chunk():
    """An on_progress callback that fails the run at its second chunk, after the
    first chunk's checkpoint."""
    chunks = []

    def on_progress(documents, _warnings):
        chunks.append(documents)
        if len(chunks) == 2:
            raise Disk("disk on fire")

    return on_progress


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(600):  # a bit over two chunks of 256
        (folder / f"doc{i:03d}.txt").write_text(
            f"The police said {i} officers attended the protest.\n", encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_cli_score_failure_midway_leaves_no_output_file(
    model_dir, corpus, tmp_path, fmt
):
    out = tmp_path / f"scores.{fmt}"
    part = tmp_path / f"scores.{fmt}.part"
    with pytest.raises(Disk):
        score(
            corpus,
            out=out,
            fmt=fmt,
            model_dir=model_dir,
            jobs=1,
            on_progress=fail_on_second_chunk(),
        )
    assert not out.exists()
    assert part.exists()
    part_size = part.stat().st_size
    assert part_size > 1000  # the first chunk's rows are there

    args = ["score", str(corpus), "--out", str(out), "--format", fmt]
    args += ["--jobs", "1", "--model", str(model_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: an interrupted run left {part}; pass --resume to continue it or "
        "--force to start again"
    )
    assert not out.exists()
    assert part.stat().st_size == part_size  # the refusal touched nothing


def test_cli_score_failed_forced_run_keeps_previous_output(model_dir, corpus, tmp_path):
    out = tmp_path / "scores.csv"
    args = ["score", str(corpus), "--out", str(out), "--jobs", "1"]
    args += ["--model", str(model_dir)]
    assert CliRunner().invoke(app, args).exit_code == 0
    complete = out.read_bytes()
    assert len(read_csv(complete.decode("utf-8"))) == 600

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {out} exists; pass --force to overwrite it"

    with pytest.raises(Disk):
        score(
            corpus,
            out=out,
            model_dir=model_dir,
            jobs=1,
            force=True,
            on_progress=fail_on_second_chunk(),
        )
    assert out.read_bytes() == complete


def test_output_json_line_is_one_line_for_every_unicode_line_break():
    from framing.batch.formats import json_line

    record = {"id": "a\u2028b\u2029c\x85d.txt", "text": "x\ny"}
    line = json_line(record)
    assert len(line.splitlines()) == 1
    assert json.loads(line) == record
