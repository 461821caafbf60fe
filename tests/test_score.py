"""`framing score FOLDER`: one row per file (or paragraph), bad files as error rows,
CSV and JSON Lines, --out (framing.cli, framing.api.score, framing.batch.run)."""

import csv
import io
import json

import pytest

from framing import api
from framing.batch.formats import Encoder
from framing.batch.run import run_batch
from framing.cli import app
from framing.corpus.walk import Entry, iter_entries
from framing.text.segment import split_paragraphs

GOOD = (
    "Police chief praised\n\n"
    "The chief constable praised officers for keeping the public safe.\n\n"
    "Campaigners called for independent oversight and better vetting."
)
NESTED = "Abolish the police now: the police cannot be reformed, only ended."
# Windows-1252: 0x92 right single quote, 0x93/0x94 curly double quotes.
CP1252 = (
    b"The officers\x92 union said \x93failed\x94 reforms had let the public down.\n\n"
    b"The force said the inquiry would report next year."
)
CP1252_FIRST = (
    "The officers\u2019 union said \u201cfailed\u201d reforms had let the public down."
)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(100)

# Every row of a folder's scores; title and date are those a web page or Markdown
# front matter gives (None for these plain files).
DOCUMENT_FIELDS = {"id", "title", "date", "stance", "tone", "paragraphs", "warning"}
DOCUMENT_FIELDS |= {"error"}
PARAGRAPH_FIELDS = {"id", "title", "date", "paragraph", "text", "stance", "tone"}
PARAGRAPH_FIELDS |= {"warning", "error"}


@pytest.fixture
def mixed_folder(tmp_path):
    """Two good files (one in a subfolder), an empty file, a binary file and a
    Windows-1252 file, plus files that are not articles."""
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "nested.md").write_text(NESTED, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(BINARY)
    (folder / "old.txt").write_bytes(CP1252)
    (folder / "notes.csv").write_text("not,an,article\n")
    (folder / ".hidden.txt").write_text("A hidden file is skipped.")
    return folder


@pytest.fixture
def good_folder(tmp_path):
    folder = tmp_path / "good"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "nested.md").write_text(NESTED, encoding="utf-8")
    return folder


MIXED_IDS = ["binary.txt", "empty.txt", "good.txt", "old.txt", "sub/nested.md"]
MIXED_TEXTS = {
    "good.txt": GOOD,
    "old.txt": CP1252.decode("cp1252"),
    "sub/nested.md": NESTED,
}


def score(runner, tiny_model, folder, *args):
    return runner.invoke(app, ["score", str(folder), "--model", str(tiny_model), *args])


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def assert_head(result: dict, labels: list[str]) -> None:
    assert set(result) == {"label", "confidence", "scores"}
    assert sorted(result["scores"]) == sorted(labels)
    assert sum(result["scores"].values()) == pytest.approx(1.0, abs=1e-3)
    assert result["label"] == max(result["scores"], key=result["scores"].get)


def model_labels(tiny_model) -> dict:
    card = json.loads((tiny_model / "card.json").read_text())
    return {column: head["labels"] for column, head in card["heads"].items()}


def test_score_jsonl_mixed_folder(runner, tiny_model, mixed_folder):
    result = score(runner, tiny_model, mixed_folder, "--format", "jsonl")
    assert result.exit_code == 3, result.output
    rows = jsonl(result.stdout)
    assert [row["id"] for row in rows] == MIXED_IDS
    by_id = {row["id"]: row for row in rows}
    labels = model_labels(tiny_model)
    for row in rows:
        assert set(row) == DOCUMENT_FIELDS
    assert by_id["empty.txt"]["error"] == "empty file"
    assert by_id["binary.txt"]["error"] == "binary file, not text"
    for bad in ("empty.txt", "binary.txt"):
        assert by_id[bad]["stance"] is None and by_id[bad]["tone"] is None
        assert by_id[bad]["paragraphs"] == 0
    for doc_id, text in MIXED_TEXTS.items():
        row = by_id[doc_id]
        assert row["error"] is None
        assert row["paragraphs"] == len(split_paragraphs(text))
        for column in ("stance", "tone"):
            assert_head(row[column], labels[column])
    assert by_id["old.txt"]["warning"] == "not UTF-8; decoded as Windows-1252"
    assert by_id["good.txt"]["warning"] is None
    assert "warning: old.txt: not UTF-8; decoded as Windows-1252" in result.stderr
    assert "2 of 5 files failed; see the error column" in result.stderr


def test_score_windows_1252_file_is_decoded(runner, tiny_model, mixed_folder):
    result = score(
        runner, tiny_model, mixed_folder, "--format", "jsonl", "--paragraphs"
    )
    assert result.exit_code == 3
    texts = [row["text"] for row in jsonl(result.stdout) if row["id"] == "old.txt"]
    assert texts == [
        CP1252_FIRST,
        "The force said the inquiry would report next year.",
    ]


def test_score_rows_match_classify_json(runner, tiny_model, good_folder):
    result = score(runner, tiny_model, good_folder, "--format", "jsonl")
    assert result.exit_code == 0
    for row in jsonl(result.stdout):
        path = good_folder / row["id"]
        classified = runner.invoke(
            app, ["classify", "--model", str(tiny_model), "--json", "--file", str(path)]
        )
        expected = json.loads(classified.stdout)
        assert row["stance"] == expected["stance"]
        assert row["tone"] == expected["tone"]
        assert row["paragraphs"] == len(expected["paragraphs"])


def test_score_all_good_folder_exits_0(runner, tiny_model, good_folder):
    result = score(runner, tiny_model, good_folder, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    assert [row["id"] for row in rows] == ["good.txt", "sub/nested.md"]
    assert all(row["error"] is None for row in rows)
    assert "failed;" not in result.stderr


def test_score_clean_run_into_a_file_says_nothing_on_stderr(
    runner, tiny_model, good_folder, tmp_path
):
    """Off a terminal there is no progress bar, not even the empty line a
    vanishing one leaves; the table and "Wrote" go to standard output."""
    out = tmp_path / "scores.csv"
    result = score(runner, tiny_model, good_folder, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"Wrote {out}" in result.stdout


def test_score_csv_parses_with_same_ids_and_values(runner, tiny_model, mixed_folder):
    as_csv = score(runner, tiny_model, mixed_folder)  # csv is the default
    as_jsonl = score(runner, tiny_model, mixed_folder, "--format", "jsonl")
    assert as_csv.exit_code == 3
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    expected = {row["id"]: row for row in jsonl(as_jsonl.stdout)}
    assert [row["id"] for row in rows] == MIXED_IDS
    labels = model_labels(tiny_model)
    header = ["id", "title", "date"]
    for column in ("stance", "tone"):
        header += [column, f"{column}_confidence"]
        header += [f"{column}_{label}" for label in labels[column]]
    assert list(rows[0]) == header + ["paragraphs", "warning", "error"]
    for row in rows:
        want = expected[row["id"]]
        assert row["error"] == (want["error"] or "")
        assert row["warning"] == (want["warning"] or "")
        assert int(row["paragraphs"]) == want["paragraphs"]
        if want["error"]:
            assert row["stance"] == row["tone_confidence"] == ""
            continue
        for column in ("stance", "tone"):
            assert row[column] == want[column]["label"]
            assert float(row[f"{column}_confidence"]) == want[column]["confidence"]
            for label in labels[column]:
                assert float(row[f"{column}_{label}"]) == want[column]["scores"][label]


def test_score_walks_recursively_in_sorted_order(runner, tiny_model, tmp_path):
    folder = tmp_path / "corpus"
    for name in [
        "b.txt",
        "a.md",
        "m/z.txt",
        "m/a.txt",
        "m/deeper/c.txt",
        "z.txt",
        "notes.csv",
        "image.png",
        ".hidden.txt",
        ".git/HEAD.txt",
        "m/.draft.md",
    ]:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Police statement number {len(name)} was published.")
    result = score(runner, tiny_model, folder, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in jsonl(result.stdout)] == [
        "a.md",
        "b.txt",
        "m/a.txt",
        "m/deeper/c.txt",
        "m/z.txt",
        "z.txt",
    ]


def test_score_paragraph_rows(runner, tiny_model, mixed_folder):
    result = score(
        runner, tiny_model, mixed_folder, "--format", "jsonl", "--paragraphs"
    )
    assert result.exit_code == 3
    rows = jsonl(result.stdout)
    labels = model_labels(tiny_model)
    for row in rows:
        assert set(row) == PARAGRAPH_FIELDS
    for doc_id, text in MIXED_TEXTS.items():
        mine = [row for row in rows if row["id"] == doc_id]
        assert [row["text"] for row in mine] == split_paragraphs(text)
        assert [row["paragraph"] for row in mine] == list(range(len(mine)))
        for row in mine:
            assert row["error"] is None
            for column in ("stance", "tone"):
                assert_head(row[column], labels[column])
    errors = {row["id"]: row["error"] for row in rows if row["error"]}
    assert errors == {"empty.txt": "empty file", "binary.txt": "binary file, not text"}
    # Paragraph rows keep the documents' order.
    assert list(dict.fromkeys(row["id"] for row in rows)) == MIXED_IDS


def test_score_paragraph_rows_csv(runner, tiny_model, good_folder):
    result = score(runner, tiny_model, good_folder, "--paragraphs")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["id"], row["paragraph"], row["text"]) for row in rows] == [
        ("good.txt", str(i), p) for i, p in enumerate(split_paragraphs(GOOD))
    ] + [("sub/nested.md", "0", NESTED)]


def test_score_min_confidence(runner, tiny_model, good_folder):
    result = score(
        runner, tiny_model, good_folder, "--format", "jsonl", "--min-confidence", "0.99"
    )
    assert result.exit_code == 0
    uncertain = 0
    for row in jsonl(result.stdout):
        for column in ("stance", "tone"):
            if row[column]["confidence"] < 0.99:
                assert row[column]["label"] == "uncertain"
                uncertain += 1
            else:
                assert row[column]["label"] != "uncertain"
    assert uncertain > 0


def test_score_out_writes_file_and_refuses_to_overwrite(
    runner, tiny_model, good_folder, tmp_path
):
    out = tmp_path / "scores.jsonl"
    args = ["--format", "jsonl", "--out", str(out)]
    result = score(runner, tiny_model, good_folder, *args)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stdout
    assert '"id"' not in result.stdout  # the rows went to the file
    written = out.read_text(encoding="utf-8")
    assert [row["id"] for row in jsonl(written)] == ["good.txt", "sub/nested.md"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["scores.jsonl"]

    again = score(runner, tiny_model, good_folder, *args)
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Error: {out} exists; pass --force to overwrite it"
    assert out.read_text(encoding="utf-8") == written

    forced = score(runner, tiny_model, good_folder, *args, "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text(encoding="utf-8") == written


def test_score_missing_folder(runner, tiny_model, tmp_path):
    missing = tmp_path / "nope"
    result = score(runner, tiny_model, missing)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {missing} does not exist; give the folder of articles"
    )
    assert result.stdout == ""


def test_score_folder_without_text_files(runner, tiny_model, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    (tmp_path / ".hidden.txt").write_text("Hidden text.")
    (tmp_path / "image.png").write_bytes(BINARY)
    result = score(runner, tiny_model, tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no files framing can read in {tmp_path}: 1 .csv, 1 .png; it reads "
        ".txt, .md, .html"
    )
    assert result.stdout == ""


def test_score_unknown_format_is_a_usage_error(runner, tiny_model, good_folder):
    # README: exit code 2 for a mistyped option.
    result = score(runner, tiny_model, good_folder, "--format", "xml")
    assert result.exit_code == 2
    assert "unknown format 'xml'; use one of csv, tsv, jsonl, xlsx" in result.stderr
    assert result.stdout == ""


def test_score_api_returns_summary(tiny_model, mixed_folder):
    stream = io.StringIO()
    summary = api.score(mixed_folder, stream=stream, fmt="jsonl", model_dir=tiny_model)
    assert (summary["documents"], summary["failed"], summary["total"]) == (5, 2, 5)
    rows = jsonl(stream.getvalue())
    assert summary["paragraphs"] == sum(row["paragraphs"] for row in rows)
    stance_counts = summary["counts"]["stance"]
    assert sum(stance_counts.values()) == 3
    for row in rows:
        if row["stance"]:
            assert stance_counts[row["stance"]["label"]] >= 1


def test_score_entries_with_extra_fields_get_extra_columns(tiny_model):
    # A corpus whose documents carry metadata (a table, say) gets one column per
    # field after the id, in documents and error rows alike.
    model = api.load(tiny_model)[0]
    entries = [
        Entry("a", text=GOOD, fields=("Daily Post", "2024-05-01")),
        Entry("b", text="", fields=("=cmd()", "")),
    ]
    stream = io.StringIO()
    run_batch(model, entries, stream=stream, fields=("outlet", "date"))
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0])[:3] == ["id", "outlet", "date"]
    assert [(r["id"], r["outlet"], r["date"]) for r in rows] == [
        ("a", "Daily Post", "2024-05-01"),
        ("b", "'=cmd()", ""),
    ]
    assert rows[0]["error"] == "" and rows[1]["error"].startswith("no prose")
    stream = io.StringIO()
    run_batch(model, entries[:1], stream=stream, fmt="jsonl", fields=("outlet", "date"))
    assert list(json.loads(stream.getvalue())) == [
        "id",
        "outlet",
        "date",
        "stance",
        "tone",
        "paragraphs",
        "warning",
        "error",
    ]


class Pipes(Encoder):
    """A format added by registering one encoder: pipe-separated labels."""

    name = "pipes"

    def header(self, schema):
        return "id|" + "|".join(schema.columns) + "\n"

    def rows(self, schema, records):
        return "".join(
            "|".join(
                [r["id"]] + [(r[c] or {}).get("label", "") for c in schema.columns]
            )
            + "\n"
            for r in records
        )


def test_score_a_new_format_is_one_encoder(tiny_model, good_folder):
    model = api.load(tiny_model)[0]
    stream = io.StringIO()
    run_batch(model, iter_entries(good_folder), stream=stream, fmt=Pipes())
    lines = stream.getvalue().splitlines()
    assert lines[0] == "id|stance|tone"
    assert [line.split("|")[0] for line in lines[1:]] == ["good.txt", "sub/nested.md"]
