"""`framing score TABLE --text-column COL`: one document per record of a CSV, TSV,
JSON Lines, JSON or .xlsx corpus, its other columns carried after the id
(framing.api.score, framing.batch.run.score_table)."""

import csv
import json

import pytest

from framing import api
from framing.cli import app
from framing.errors import OutputError

ABOLISH = "Abolish the police now: the police cannot be reformed, only ended."
PATROL = "Officers patrolled the town centre on Saturday, the force said."
REFORM = (
    "Reform the police with body cameras, independent oversight and better vetting."
    "\n\nThe inquiry found failures in vetting and called for reform of police "
    "training."
)
# An export from a news database: the text in `body`, metadata around it. The
# second record has no text; cells hold a comma, quotes and a formula-like title.
HEADER = ["url", "outlet", "date", "title", "body"]
RECORDS = [
    ["https://herald.example/1", "The Herald", "2024-03-12", "Abolish, now", ABOLISH],
    ["https://post.example/2", "The Post", "2024-03-13", '"Empty"', ""],
    ["https://post.example/3", "The Post", "2024-04-02", "Patrols", PATROL],
    ["https://gazette.example/4", "Valley Gazette", "14/04/2024", "Reform", REFORM],
]
EMPTY_TEXT = "row 3: the text cell (body) is empty"
LABELS = ("stance", "tone")


def write_csv(path, header=HEADER, records=RECORDS, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(records)
    return path


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def header_of(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def score(runner, *args):
    return runner.invoke(app, ["score", *map(str, args)])


def classified(text: str, model_dir) -> dict:
    result = api.classify(text, model_dir=model_dir)
    return {column: result[column]["label"] for column in LABELS}


def test_score_table_csv_carries_metadata_and_reports_the_empty_row(
    runner, model_dir, tmp_path
):
    out = tmp_path / "scores.csv"
    result = score(
        runner, write_csv(tmp_path / "export.csv"), "--text-column", "body",
        "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "1 of 4 records failed" in result.stderr
    # Every other column, in the file's order, after the id.
    assert header_of(out)[:6] == ["id", "url", "outlet", "date", "title", "stance"]
    rows = read_csv(out)
    # No --id-column: the id is the spreadsheet row number (the header is row 1).
    assert [row["id"] for row in rows] == ["2", "3", "4", "5"]
    assert [(row["outlet"], row["date"], row["title"]) for row in rows] == [
        ("The Herald", "2024-03-12", "Abolish, now"),
        ("The Post", "2024-03-13", '"Empty"'),
        ("The Post", "2024-04-02", "Patrols"),
        ("Valley Gazette", "14/04/2024", "Reform"),
    ]
    assert [row["url"] for row in rows] == [record[0] for record in RECORDS]
    assert [row["error"] for row in rows] == ["", EMPTY_TEXT, "", ""]
    assert rows[1]["stance"] == rows[1]["tone"] == "" and rows[1]["paragraphs"] == "0"
    for row, record in zip(rows, RECORDS):
        if record[4]:
            # One document per record, labelled as classify labels its text.
            assert {c: row[c] for c in LABELS} == classified(record[4], model_dir)
    assert [row["paragraphs"] for row in rows] == ["1", "0", "1", "2"]


def test_score_table_keep_carries_only_those_columns_in_that_order(
    runner, model_dir, tmp_path
):
    out = tmp_path / "scores.csv"
    result = score(
        runner, write_csv(tmp_path / "export.csv"), "--text-column", "body",
        "--keep", "date", "--keep", "outlet", "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert header_of(out)[:4] == ["id", "date", "outlet", "stance"]
    assert [(r["id"], r["date"], r["outlet"]) for r in read_csv(out)] == [
        ("2", "2024-03-12", "The Herald"),
        ("3", "2024-03-13", "The Post"),
        ("4", "2024-04-02", "The Post"),
        ("5", "14/04/2024", "Valley Gazette"),
    ]


def test_score_table_id_column_names_the_rows(runner, model_dir, tmp_path):
    out = tmp_path / "scores.tsv"
    table = write_csv(tmp_path / "export.tsv", delimiter="\t")
    result = score(
        runner, table, "--text-column", "body", "--id-column", "url",
        "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [row["id"] for row in rows] == [record[0] for record in RECORDS]
    assert "url" not in rows[0]
    assert list(rows[0])[:4] == ["id", "outlet", "date", "title"]
    assert [row["error"] for row in rows] == ["", EMPTY_TEXT, "", ""]


def test_score_table_jsonl_corpus_into_jsonl(runner, model_dir, tmp_path):
    corpus = tmp_path / "export.jsonl"
    corpus.write_text(
        "".join(
            json.dumps(dict(zip(HEADER, record))) + "\n"
            for record in RECORDS
            if record[4]
        )
        + "{not json\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.jsonl"
    result = score(
        runner, corpus, "--text-column", "body", "--id-column", "url",
        "--keep", "outlet", "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["outlet"]) for r in rows[:3]] == [
        ("https://herald.example/1", "The Herald"),
        ("https://post.example/3", "The Post"),
        ("https://gazette.example/4", "Valley Gazette"),
    ]
    assert {c: rows[1][c]["label"] for c in LABELS} == classified(PATROL, model_dir)
    assert rows[3]["id"] == "line 4" and rows[3]["outlet"] is None
    assert rows[3]["error"].startswith("line 4: not valid JSON")
    assert rows[3]["stance"] is None


def test_score_table_xlsx_corpus(runner, model_dir, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for record in RECORDS:
        sheet.append(record)
    corpus = tmp_path / "export.xlsx"
    book.save(corpus)
    out = tmp_path / "scores.csv"
    result = score(
        runner, corpus, "--text-column", "body", "--id-column", "url",
        "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    rows = read_csv(out)
    assert [(r["id"], r["outlet"], r["date"], r["title"]) for r in rows] == [
        tuple(record[:4]) for record in RECORDS
    ]
    assert [row["error"] for row in rows] == ["", EMPTY_TEXT, "", ""]
    assert rows[0]["stance"] == classified(ABOLISH, model_dir)["stance"]


def test_score_table_paragraph_rows(runner, model_dir, tmp_path):
    out = tmp_path / "paragraphs.csv"
    result = score(
        runner, write_csv(tmp_path / "export.csv"), "--text-column", "body",
        "--id-column", "url", "--keep", "outlet", "--paragraphs",
        "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert header_of(out)[:5] == ["id", "outlet", "paragraph", "text", "stance"]
    rows = read_csv(out)
    assert [(r["id"], r["outlet"], r["paragraph"], r["text"]) for r in rows] == [
        ("https://herald.example/1", "The Herald", "0", ABOLISH),
        ("https://post.example/2", "The Post", "", ""),
        ("https://post.example/3", "The Post", "0", PATROL),
        ("https://gazette.example/4", "Valley Gazette", "0", REFORM.split("\n\n")[0]),
        ("https://gazette.example/4", "Valley Gazette", "1", REFORM.split("\n\n")[1]),
    ]
    assert rows[1]["error"] == EMPTY_TEXT


def test_score_table_without_text_column_names_the_columns(runner, model_dir, tmp_path):
    table = write_csv(tmp_path / "export.csv")
    result = score(runner, table, "--model", model_dir)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {table}: give --text-column, the column that holds the text; the "
        "columns are 'url', 'outlet', 'date', 'title', 'body'"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    "options",
    [
        ["--text-column", "content"],
        ["--text-column", "body", "--id-column", "link"],
        ["--text-column", "body", "--keep", "section"],
    ],
)
def test_score_table_unknown_column_is_a_usage_error(
    runner, model_dir, tmp_path, options
):
    table = write_csv(tmp_path / "export.csv")
    out = tmp_path / "scores.csv"
    result = score(runner, table, *options, "--out", out, "--model", model_dir)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {table}: no column ")
    assert "the columns are 'url', 'outlet', 'date', 'title', 'body'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob("scores.csv*"))


def test_score_table_column_named_like_framings_own_is_refused(
    runner, model_dir, tmp_path
):
    table = write_csv(
        tmp_path / "export.csv",
        header=["id", "stance", "outlet", "body"],
        records=[["a", "pro-police", "The Herald", ABOLISH]],
    )
    out = tmp_path / "scores.csv"
    result = score(runner, table, "--text-column", "body", "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {table}: the column 'id' has the name of a column framing writes; "
        "name the columns to carry with --keep or give --id-column id"
    )
    result = score(runner, table, "--text-column", "body", "--id-column", "id")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {table}: the column 'stance' has the name of a column framing "
        "writes; name the columns to carry with --keep"
    )
    assert not out.exists()
    result = score(
        runner, table, "--text-column", "body", "--id-column", "id",
        "--keep", "outlet", "--out", out, "--model", model_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert [(r["id"], r["outlet"], r["stance"]) for r in rows] == [
        ("a", "The Herald", classified(ABOLISH, model_dir)["stance"])
    ]


def test_score_table_options_on_a_folder_are_a_usage_error(runner, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ABOLISH, encoding="utf-8")
    result = score(runner, folder, "--text-column", "body")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --text-column, --id-column and --keep read a table (.csv, .tsv, "
        f".jsonl, .json, .xlsx); {folder} is not one"
    )


class Stop(RuntimeError):
    """The failure the resume test injects."""


def stop_at_second_chunk():
    """An on_progress callback that fails the run when the second chunk is
    written, after the first chunk's checkpoint."""
    chunks = []

    def on_progress(documents, _warnings):
        chunks.append(documents)
        if len(chunks) == 2:
            raise Stop("disk on fire")

    return on_progress


def test_score_table_resume_continues_and_refuses_a_changed_file(model_dir, tmp_path):
    # 300 records: more than one chunk (256), so the first checkpoint keeps 256.
    many = [[f"u{n}", f"outlet {n % 3}", "2024-05-01", "t", PATROL] for n in range(300)]
    table = write_csv(tmp_path / "export.csv", records=many)
    out, part = tmp_path / "scores.csv", tmp_path / "scores.csv.part"
    options = dict(text_column="body", out=out, model_dir=model_dir, jobs=1)
    with pytest.raises(Stop):
        api.score(table, on_progress=stop_at_second_chunk(), **options)
    assert part.exists() and not out.exists()
    with pytest.raises(OutputError, match="--id-column, the metadata columns differ"):
        api.score(table, resume=True, **{**options, "id_column": "url"})
    summary = api.score(table, resume=True, **options)
    assert summary["resumed"] == 256 and summary["documents"] == 300
    reference = tmp_path / "reference.csv"
    api.score(table, **{**options, "out": reference})
    assert out.read_bytes() == reference.read_bytes()

    with pytest.raises(Stop):
        api.score(table, force=True, on_progress=stop_at_second_chunk(), **options)
    write_csv(table, records=many[:-1])
    with pytest.raises(OutputError, match=f"{table} changed since {part} was written"):
        api.score(table, resume=True, **options)
