"""Loading, validating and rebuilding the labelled dataset (framing.dataset.load), and
what `framing train` says about a dataset it cannot use."""

import csv
import hashlib

import pytest
from conftest import DATASET_COLUMNS, write_csv

from framing.cli import app
from framing.dataset.build import build_dataset, paragraph_id
from framing.dataset.load import load_dataset, load_documents, read_rows
from framing.errors import DataError

ARTICLE_ONE = """Police chief resigns

By Jane Smith

The chief resigned on Monday after the inquiry.

The force said a successor would follow.
"""

ARTICLE_TWO = """Campaigners march on the Met

Thousands marched to demand an end to stop and search.

687
"""


def train_with(runner, data, tmp_path, *extra):
    """`framing train` on `data` into a fresh folder; returns the CliRunner result."""
    args = ["train", "--data", str(data), "--out", str(tmp_path / "model")]
    return runner.invoke(app, [*args, "--no-select", *extra])


def assert_data_error(result, *parts):
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: dataset ")
    assert result.stderr.count("\n") == 1  # one line, no traceback
    for part in parts:
        assert part in result.stderr
    assert result.stdout == ""


def test_dataset_load_tiny_corpus(tiny_csv, tiny_rows):
    dataset = load_dataset(tiny_csv)
    assert dataset.texts == [row["text"] for row in tiny_rows]
    assert dataset.labels("tone") == [row["tone"] for row in tiny_rows]
    assert dataset.documents == [row["article"] for row in tiny_rows]
    assert dataset.groups == [f"document:{row['article']}" for row in tiny_rows]
    assert dataset.lines == list(range(2, len(tiny_rows) + 2))
    assert dataset.sha256 == hashlib.sha256(tiny_csv.read_bytes()).hexdigest()
    assert all(dataset.evaluable)


def test_dataset_spreadsheet_export_with_bom_and_padded_header(tmp_path, tiny_rows):
    path = tmp_path / "excel.csv"
    write_csv(path, tiny_rows)
    header, body = path.read_text(encoding="utf-8").split("\n", 1)
    padded = ", ".join(header.split(","))
    path.write_text(padded + "\n" + body, encoding="utf-8-sig")
    dataset = load_dataset(path)
    assert dataset.texts[0] == tiny_rows[0]["text"]
    assert dataset.labels("stance")[0] == tiny_rows[0]["stance"]


@pytest.mark.parametrize("suffix", [".tsv", ".xlsx"])
def test_dataset_coding_sheets_in_tsv_and_xlsx_read_as_the_csv(
    tmp_path, tiny_rows, suffix
):
    """sample and suggest write .csv, .tsv or .xlsx sheets; once coded, each
    reads back for evaluate and train as its CSV does (.tsv was one column,
    .xlsx refused)."""
    from framing.render.tables import write_table

    csv_path = write_csv(tmp_path / "coded.csv", tiny_rows)
    path = tmp_path / f"coded{suffix}"
    rows = [[row[name] for name in DATASET_COLUMNS] for row in tiny_rows]
    write_table(path, DATASET_COLUMNS, rows[:3] + [[""] * 0] + rows[3:])
    expected = load_dataset(csv_path)
    loaded = load_dataset(path)
    assert loaded.rows == expected.rows
    assert loaded.lines[:3] == expected.lines[:3]


def test_dataset_authored_rows_are_not_evaluable(tmp_path, tiny_rows):
    tiny_rows[0]["source"] = "authored"
    dataset = load_dataset(write_csv(tmp_path / "d.csv", tiny_rows))
    assert dataset.evaluable == [False] + [True] * (len(tiny_rows) - 1)


def test_dataset_codebook_labels_in_another_case_are_taken(tmp_path, tiny_rows):
    """A coder typing Reformist or SUPPORTIVE in a spreadsheet means the
    codebook's label; it was refused, with advice (--own-labels) that made it
    a label of its own."""
    for row in tiny_rows[:2]:
        row["stance"], row["tone"] = row["stance"].title(), row["tone"].upper()
    dataset = load_dataset(write_csv(tmp_path / "cased.csv", tiny_rows))
    assert dataset.labels("stance")[:2] == [r["stance"].lower() for r in tiny_rows[:2]]
    assert dataset.labels("tone")[:2] == [r["tone"].lower() for r in tiny_rows[:2]]
    tiny_rows[0]["stance"] = "pro-police"
    with pytest.raises(DataError, match="outside the codebook"):
        load_dataset(write_csv(tmp_path / "bad.csv", tiny_rows))


def test_dataset_documents_file_errors_name_the_rows_a_spreadsheet_shows(tmp_path):
    """A row without an id is left out, but the rows after it keep their
    numbers (they were shifted up); an empty label is called empty."""
    path = tmp_path / "documents.csv"
    path.write_text("id,stance,tone\n,,\na.txt,Reform,neutral\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 3 has a stance outside the codebook"):
        load_documents(path)
    path.write_text("id,stance,tone\n,,\na.txt,reformist,\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 3 has an empty tone"):
        load_documents(path)


def test_dataset_own_labels_accepts_any_label_set(tmp_path, tiny_rows):
    for row in tiny_rows:
        row["stance"] = "pro" if row["stance"] == "institutional" else "anti"
    path = write_csv(tmp_path / "own.csv", tiny_rows)
    with pytest.raises(DataError, match="outside the codebook"):
        load_dataset(path)
    assert set(load_dataset(path, codebook=False).labels("stance")) == {"pro", "anti"}


def test_dataset_missing_file(runner, tmp_path):
    result = train_with(runner, tmp_path / "nope.csv", tmp_path)
    assert_data_error(result, "nope.csv does not exist; pass --data PATH")


def test_dataset_not_utf8(runner, tmp_path, tiny_rows):
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    path.write_bytes(
        path.read_bytes() + "x,a9.txt,0,caf\u00e9 crème,,,".encode("cp1252")
    )
    result = train_with(runner, path, tmp_path)
    assert_data_error(result, "is not UTF-8; save it as CSV UTF-8")


def test_dataset_missing_column(runner, tmp_path, tiny_rows):
    columns = [c for c in DATASET_COLUMNS if c != "tone"]
    path = write_csv(tmp_path / "d.csv", tiny_rows, columns)
    result = train_with(runner, path, tmp_path)
    assert_data_error(
        result,
        "has no column tone; it needs text, stance, tone",
        "(got: id, article, paragraph, text, stance, source)",
    )
    assert not (tmp_path / "model").exists()


def test_dataset_header_only(runner, tmp_path):
    path = write_csv(tmp_path / "d.csv", [])
    assert_data_error(train_with(runner, path, tmp_path), "has no rows")


def test_dataset_unknown_label_names_rows(runner, tmp_path, tiny_rows):
    tiny_rows[1]["stance"] = "radical"
    tiny_rows[4]["stance"] = "radical"
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    result = train_with(runner, path, tmp_path)
    # Data rows 1 and 4 are spreadsheet rows 3 and 6 (the header is row 1).
    assert_data_error(
        result,
        "rows 3, 6 have a stance outside the codebook ('radical'; expected one of "
        "abolitionist, reformist, institutional)",
        "--own-labels",
    )


def test_dataset_unknown_label_accepted_with_own_labels(runner, tmp_path, tiny_rows):
    for row in tiny_rows:
        if row["tone"] == "supportive":
            row["tone"] = "warm"
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    assert_data_error(train_with(runner, path, tmp_path), "row")
    result = train_with(runner, path, tmp_path, "--own-labels", "--json")
    assert result.exit_code == 0, result.output
    assert "warm" in result.stdout


def test_dataset_only_one_class_in_a_column(runner, tmp_path, tiny_rows):
    for row in tiny_rows:
        row["tone"] = "neutral"
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    assert_data_error(
        train_with(runner, path, tmp_path),
        "tone has only one label (neutral); a classifier needs at least two",
    )


def test_dataset_class_with_one_example(runner, tmp_path, tiny_rows):
    supportive = [row for row in tiny_rows if row["tone"] == "supportive"]
    for row in supportive[1:]:
        row["tone"] = "neutral"
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    assert_data_error(
        train_with(runner, path, tmp_path),
        "tone label supportive has fewer than 2 examples; add examples or merge",
    )


def test_dataset_same_text_under_two_labels_names_rows(runner, tmp_path, tiny_rows):
    clash = dict(tiny_rows[2], id="dup", tone="neutral")
    # Case and spacing do not make it another text.
    clash["text"] = "  " + clash["text"].upper().replace(" ", "  ")
    tiny_rows.append(clash)
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    row_numbers = f"rows 4 and {len(tiny_rows) + 1}"
    assert_data_error(
        train_with(runner, path, tmp_path),
        f"{row_numbers} have the same text with different labels",
    )


def test_dataset_same_text_with_same_labels_is_accepted(tmp_path, tiny_rows):
    tiny_rows.append(dict(tiny_rows[2], id="dup"))
    dataset = load_dataset(write_csv(tmp_path / "d.csv", tiny_rows))
    assert len(dataset.rows) == len(tiny_rows)


def test_dataset_empty_cells_name_rows(runner, tmp_path, tiny_rows):
    tiny_rows[2]["stance"] = ""
    tiny_rows[7]["stance"] = "   "
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    assert_data_error(
        train_with(runner, path, tmp_path),
        "rows 4, 9 have an empty stance; fill them in or delete those rows",
    )


def test_dataset_empty_row_names_it(runner, tmp_path, tiny_rows):
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([""] * len(DATASET_COLUMNS))
    assert_data_error(
        train_with(runner, path, tmp_path),
        f": row {len(tiny_rows) + 2} ",
        "an empty text; fill them in or delete those rows",
    )


def test_dataset_row_numbers_count_blank_lines(tmp_path, tiny_rows):
    tiny_rows[1]["stance"] = "radical"
    path = write_csv(tmp_path / "d.csv", tiny_rows)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Header (line 1), first row (line 2), a blank line (line 3), then the rest:
    # the bad row is on line 4.
    path.write_text("".join(lines[:2] + ["\n"] + lines[2:]), encoding="utf-8")
    _rows, numbers, _header, _digest = read_rows(path)
    with pytest.raises(DataError) as error:
        load_dataset(path)
    # BUG: framing/dataset.py read_rows numbers a row as "the previous row's last
    # line + 1", but csv.DictReader skips blank lines, so the first row after a
    # blank line is reported too low by the number of blank lines (here 3 instead
    # of 4; rows after it are right again). An error message then names the wrong
    # row. The row is on line 4 of the file and row 4 of a spreadsheet; number it
    # from where it starts (e.g. csv.reader over the lines, counting the skipped
    # blank lines, or the reader's line_num minus the lines the record spans).
    assert ": row 4 " in str(error.value)
    assert "stance outside the codebook" in str(error.value)
    assert numbers == [2] + list(range(4, len(tiny_rows) + 3))


def test_dataset_build_keeps_labels_by_id_and_drops_junk(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (articles / "two.txt").write_text(ARTICLE_TWO, encoding="utf-8")
    (articles / "notes.csv").write_text("not an article")
    out = tmp_path / "paragraphs.csv"

    summary = build_dataset(articles, out)
    rows = read_rows(out)[0]
    assert [(r["article"], r["paragraph"], r["text"]) for r in rows] == [
        ("one.txt", "0", "Police chief resigns"),
        ("one.txt", "1", "The chief resigned on Monday after the inquiry."),
        ("one.txt", "2", "The force said a successor would follow."),
        ("two.txt", "0", "Campaigners march on the Met"),
        ("two.txt", "1", "Thousands marched to demand an end to stop and search."),
    ]
    assert (summary["rows"], summary["seed_rows"], summary["unlabelled"]) == (5, 5, 5)
    assert rows[1]["id"] == paragraph_id("one.txt", rows[1]["text"])

    # Label one row and add a row of another source, then rebuild after an edit
    # that inserts a paragraph: the label follows the text, the other row stays.
    rows[1].update(stance="institutional", tone="neutral")
    extra = dict(rows[0], id="auth-1", source="authored", text="Written here.")
    write_csv(out, rows + [extra], (*DATASET_COLUMNS, "register"))
    (articles / "one.txt").write_text(
        ARTICLE_ONE.replace("By Jane Smith", "A new opening paragraph was added."),
        encoding="utf-8",
    )
    build_dataset(articles, out)
    rebuilt = read_rows(out)[0]
    by_text = {r["text"]: r for r in rebuilt}
    kept = by_text["The chief resigned on Monday after the inquiry."]
    assert (kept["paragraph"], kept["stance"], kept["tone"]) == (
        "2",
        "institutional",
        "neutral",
    )
    assert by_text["A new opening paragraph was added."]["stance"] == ""
    assert by_text["Written here."]["source"] == "authored"
    assert len(rebuilt) == 7


def test_dataset_build_cli_on_folder_without_articles(runner, tmp_path):
    result = runner.invoke(
        app,
        [
            "data",
            "build",
            "--articles",
            str(tmp_path),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == f"Error: no .txt articles in {tmp_path}\n"


# Hostile training CSVs (reliability issue, items 12, 13 and 16)


@pytest.mark.parametrize("separator", ["\u2028", "\x0c", "\x85", "\u2029", "\x1c"])
def test_dataset_line_separators_inside_a_cell_stay_in_it(
    tmp_path, tiny_rows, separator
):
    # Python's csv writer leaves these unquoted; they must not split a row.
    tiny_rows[1]["text"] = f"Abolish{separator}the police now."
    data = write_csv(tmp_path / "d.csv", tiny_rows)
    dataset = load_dataset(data)
    assert len(dataset.rows) == len(tiny_rows)
    assert dataset.texts[1] == f"Abolish{separator}the police now."
    assert dataset.lines == list(range(2, len(tiny_rows) + 2))


def test_dataset_huge_cell_is_read_and_named_when_too_huge(tmp_path, tiny_rows):
    tiny_rows[0]["text"] = "word " * 40_000  # 200,000 characters: over csv's default
    data = write_csv(tmp_path / "d.csv", tiny_rows)
    assert len(load_dataset(data).texts[0]) > 131_072
    tiny_rows[0]["text"] = "x" * 10_000_001
    data = write_csv(tmp_path / "huge.csv", tiny_rows)
    with pytest.raises(DataError, match=r"row 2 cannot be read"):
        load_dataset(data)


def test_dataset_duplicated_column_is_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("text,stance,tone,stance\nPolice.,reformist,neutral,abolitionist\n")
    with pytest.raises(DataError, match="has the column stance more than once"):
        load_dataset(path)


def test_dataset_build_guards_formulas_and_reading_undoes_it(tmp_path):
    from framing.dataset.build import write_rows
    from framing.dataset.load import read_rows

    rows = [{"id": "a", "text": "=HYPERLINK(\"http://x\")", "stance": "reformist"},
            {"id": "b", "text": "-1 officers", "stance": "@institutional"}]  # fmt: skip
    write_rows(tmp_path / "d.csv", rows)
    raw = (tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'-1 officers" in raw and "'@institutional" in raw
    back, _lines, _header, _digest = read_rows(tmp_path / "d.csv")
    assert [r["text"] for r in back] == [rows[0]["text"], rows[1]["text"]]
    assert back[1]["stance"] == "@institutional"
