"""What `framing score` writes: CSV with a byte-order mark and the formula guard
(or without it), TSV, real .xlsx workbooks (resumable), and a usage error for an
extension it does not know (issue 10, "Outputs")."""

import csv
import json
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from framing import api
from framing.batch.run import run_batch
from framing.batch.sink import part_paths
from framing.cli import app
from framing.corpus.walk import iter_entries
from framing.render.tables import write_table

BOM = b"\xef\xbb\xbf"
# A paragraph a spreadsheet would run as a formula, and one that is plain.
FORMULA = '=HYPERLINK("http://x") said the police chief, praising officers.'
PLAIN = "Campaigners called for independent oversight – and better vetting."


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{FORMULA}\n\n{PLAIN}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{PLAIN}\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def score(model_dir, folder, *args):
    return CliRunner().invoke(
        app, ["score", str(folder), "--model", str(model_dir), "--jobs", "1", *args]
    )


def read_csv(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def read_workbook(path):
    workbook = openpyxl.load_workbook(path)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def test_score_outputs_csv_file_has_a_bom_and_guards_formulas(model_dir, folder):
    out = folder.parent / "scores.csv"
    result = score(model_dir, folder, "--paragraphs", "--out", out)
    assert result.exit_code == 3, result.output  # empty.txt failed
    raw = out.read_bytes()
    assert raw.startswith(BOM + b"id,title,date,paragraph,text,stance,")
    rows = read_csv(out)
    texts = {(row[0], row[3]): row[4] for row in rows[1:]}
    assert texts[("a.txt", "0")] == "'" + FORMULA
    assert texts[("a.txt", "1")] == texts[("b.txt", "0")] == PLAIN
    assert texts[("empty.txt", "")] == ""


def test_score_outputs_no_formula_guard_leaves_cells_as_they_are(model_dir, folder):
    out = folder.parent / "scores.csv"
    result = score(
        model_dir, folder, "--paragraphs", "--no-formula-guard", "--out", out
    )
    assert result.exit_code == 3, result.output
    assert out.read_bytes().startswith(BOM)
    rows = read_csv(out)
    assert [row[4] for row in rows[1:3]] == [FORMULA, PLAIN]


def test_score_outputs_standard_output_has_no_bom(model_dir, folder):
    result = score(model_dir, folder)
    assert result.stdout.startswith("id,title,date,stance,")


def test_score_outputs_tsv_is_tab_separated_with_the_same_cells(model_dir, folder):
    as_csv, as_tsv = folder.parent / "scores.csv", folder.parent / "scores.tsv"
    assert score(model_dir, folder, "--paragraphs", "--out", as_csv).exit_code == 3
    assert score(model_dir, folder, "--paragraphs", "--out", as_tsv).exit_code == 3
    assert as_tsv.read_bytes().startswith(BOM + b"id\ttitle\tdate\tparagraph\ttext\t")
    assert read_csv(as_tsv, delimiter="\t") == read_csv(as_csv)


def test_score_outputs_xlsx_is_a_workbook_with_numbers_and_text(model_dir, folder):
    as_csv, as_xlsx = folder.parent / "scores.csv", folder.parent / "scores.xlsx"
    args = ("--paragraphs", "--no-formula-guard")
    assert score(model_dir, folder, *args, "--out", as_csv).exit_code == 3
    result = score(model_dir, folder, *args, "--out", as_xlsx)
    assert result.exit_code == 3, result.output
    assert f"Wrote {as_xlsx}" in result.output
    assert sorted(p.name for p in folder.parent.iterdir()) == [
        "articles",
        "scores.csv",
        "scores.xlsx",
    ]
    sheets = read_workbook(as_xlsx)
    assert list(sheets) == ["data"]
    rows = sheets["data"]
    expected = read_csv(as_csv)
    assert rows[0] == expected[0]
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert first["text"] == FORMULA  # stored as text, not run as a formula
    assert isinstance(first["paragraph"], int)
    assert isinstance(first["stance_confidence"], float)
    # Every cell is the CSV's cell; empty cells are empty.
    as_text = [["" if v is None else str(v) for v in row] for row in rows[1:]]
    assert as_text == [
        [str(float(v)) if _is_float(v) else v for v in row] for row in expected[1:]
    ]
    cell = openpyxl.load_workbook(as_xlsx)["data"].cell(row=2, column=5)
    assert cell.data_type == "s"


def _is_float(value: str) -> bool:
    return "." in value and value.replace(".", "", 1).isdigit()


def test_score_outputs_xlsx_resumes_from_its_part(model_dir, tmp_path):
    """A workbook cannot be appended to: the run writes a resumable part, and
    the workbook is made from it when the last row is in."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(40):
        (folder / f"doc{n:03d}.txt").write_text(
            f"The police said {n} officers attended the protest.\n"
        )
    model = api.load(model_dir)[0]
    reference = tmp_path / "reference.xlsx"
    run_batch(model, iter_entries(folder), out=reference)
    out = tmp_path / "scores.xlsx"
    seen = []

    def stop(documents, _warnings):
        seen.append(documents)
        if len(seen) == 3:
            raise KeyboardInterrupt

    options = {"out": out, "chunk_documents": 8, "checkpoint_every": 1}
    with pytest.raises(KeyboardInterrupt):
        run_batch(model, iter_entries(folder), on_progress=stop, **options)
    part, state = part_paths(out)
    assert not out.exists() and part.exists()
    assert json.loads(state.read_text())["documents"] == 16
    summary = run_batch(model, iter_entries(folder), resume=True, **options)
    assert summary["resumed"] == 16 and summary["documents"] == 40
    assert read_workbook(out) == read_workbook(reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "corpus",
        "reference.xlsx",
        "scores.xlsx",
    ]


def test_score_outputs_xlsx_without_openpyxl_is_refused(model_dir, folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl fails
    out = folder.parent / "scores.xlsx"
    result = score(model_dir, folder, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: writing .xlsx needs openpyxl: pip install 'framing[xlsx]' (in a "
        "checkout: pip install '.[xlsx]'), or write .csv"
    )
    assert sorted(p.name for p in folder.parent.iterdir()) == ["articles"]


@pytest.mark.parametrize(
    "name, shown",
    [("scores.txt", ".txt"), ("scores.xls", ".xls"), ("scores", "no extension")],
)
def test_score_outputs_unknown_extension_is_a_usage_error(
    model_dir, folder, name, shown
):
    out = folder.parent / name
    result = score(model_dir, folder, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {out}: cannot tell the format from {shown}; name the file .csv, "
        ".tsv, .jsonl, .xlsx"
    )
    assert sorted(p.name for p in folder.parent.iterdir()) == ["articles"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--format", "jsonl", "--out", "{dir}/scores.csv"],
            "--format jsonl does not match {dir}/scores.csv (csv); leave out "
            "--format or rename the file",
        ),
        (
            ["--format", "xlsx"],
            "xlsx cannot be written to standard output; give --out FILE.xlsx",
        ),
    ],
)
def test_score_outputs_contradictions_are_usage_errors(
    model_dir, folder, args, message
):
    args = [a.format(dir=folder.parent) for a in args]
    result = score(model_dir, folder, *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: " + message.format(dir=folder.parent)


def test_tables_xlsx_rows_beyond_a_sheet_continue_on_the_next(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [[f"r{n}", n] for n in range(5)]
    counts = write_table(path, ["id", "n"], rows, sheet_rows=3)
    assert counts == {"rows": 5, "truncated": 0, "sheets": 3}
    assert read_workbook(path) == {
        "data": [["id", "n"], ["r0", 0], ["r1", 1]],
        "data 2": [["id", "n"], ["r2", 2], ["r3", 3]],
        "data 3": [["id", "n"], ["r4", 4]],
    }
