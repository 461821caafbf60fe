"""Table corpora in (framing.corpus.tables) and tables out (framing.render.tables):
real CSV, TSV, JSON Lines, JSON and .xlsx files made here, and the records or
cells that come back."""

import csv
import json
import sys
from datetime import date, datetime

import pytest

from framing.corpus.tables import Record, cell_text, open_table, table_format
from framing.errors import InputError, OutputError
from framing.render.tables import (
    UnknownFormatError,
    guard_formula,
    output_format,
    write_table,
)

openpyxl = pytest.importorskip("openpyxl")

# An export from a news database: one article per row, the text in `body`, and
# outlet, date, title and url beside it. Cells hold commas, quotes, line breaks
# and non-ASCII text.
EXPORT_HEADER = ["url", "outlet", "date", "title", "body"]
EXPORT_ROWS = [
    [
        "https://herald.example/1",
        "The Herald",
        "2024-03-12",
        "Met chief resigns",
        "Met chief resigns\n\nThe Commissioner stepped down on Monday, the force said.",
    ],
    [
        "https://post.example/2",
        "The Post",
        "2024-03-13",
        "“Disband it”",
        'Campaigners said: "disband it" – and marched on Whitehall.',
    ],
    [
        "https://gazette.example/3",
        "Valley Gazette",
        "14/03/2024",
        "Station closes",
        "Residents questioned the commander about the closure.",
    ],
]


def write_export(path, header=EXPORT_HEADER, rows=EXPORT_ROWS, **kwargs):
    with open(path, "w", encoding=kwargs.pop("encoding", "utf-8"), newline="") as out:
        writer = csv.writer(out, **kwargs)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def good(records) -> list[tuple]:
    return [(r.row, r.id, r.text, r.metadata) for r in records if not r.error]


def errors(records) -> list[tuple]:
    return [(r.row, r.id, r.error) for r in records if r.error]


def test_tables_csv_export_gives_one_record_per_row_with_metadata(tmp_path):
    corpus = open_table(
        write_export(tmp_path / "export.csv"), text_column="body", id_column="url"
    )
    assert corpus.metadata_columns == ["outlet", "date", "title"]
    assert corpus.warnings == []
    assert list(corpus) == [
        Record(
            row=2,
            id="https://herald.example/1",
            text=EXPORT_ROWS[0][4],
            metadata={
                "outlet": "The Herald",
                "date": "2024-03-12",
                "title": "Met chief resigns",
            },
        ),
        Record(
            row=3,
            id="https://post.example/2",
            text=EXPORT_ROWS[1][4],
            metadata={
                "outlet": "The Post",
                "date": "2024-03-13",
                "title": "“Disband it”",
            },
        ),
        Record(
            row=4,
            id="https://gazette.example/3",
            text=EXPORT_ROWS[2][4],
            metadata={
                "outlet": "Valley Gazette",
                "date": "14/03/2024",
                "title": "Station closes",
            },
        ),
    ]


def test_tables_without_id_column_the_row_number_is_the_id(tmp_path):
    corpus = open_table(write_export(tmp_path / "e.csv"), text_column="body")
    assert corpus.metadata_columns == ["url", "outlet", "date", "title"]
    assert [(r.id, r.metadata["url"]) for r in corpus] == [
        ("2", "https://herald.example/1"),
        ("3", "https://post.example/2"),
        ("4", "https://gazette.example/3"),
    ]


def test_tables_keep_names_the_metadata_columns_in_its_order(tmp_path):
    corpus = open_table(
        write_export(tmp_path / "e.csv"),
        text_column="body",
        id_column="url",
        keep=["date", "outlet"],
    )
    assert corpus.metadata_columns == ["date", "outlet"]
    assert [r.metadata for r in corpus][0] == {
        "date": "2024-03-12",
        "outlet": "The Herald",
    }


def test_tables_corpus_can_be_read_twice(tmp_path):
    corpus = open_table(write_export(tmp_path / "e.csv"), text_column="body")
    assert list(corpus) == list(corpus)


def test_tables_bad_rows_are_named_and_the_good_ones_kept(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(
        "url,outlet,body\n"
        "u1,Herald,First good text.\n"
        "u2,Post,\n"  # empty text
        "u1,Mirror,Same id again.\n"  # repeated id
        ",Star,No id here.\n"  # empty id
        "\n"  # a blank line: skipped
        "u5,Sun,Text, with an unquoted comma\n"  # one cell too many
        'u6,Times,"A quote that never closes\n'  # broken quote
        "u7,Echo,Still read after the broken quote.\n"
        "u8,Mail,Last good text.\n",
        encoding="utf-8",
    )
    records = list(open_table(path, text_column="body", id_column="url"))
    assert good(records) == [
        (2, "u1", "First good text.", {"outlet": "Herald"}),
        (9, "u7", "Still read after the broken quote.", {"outlet": "Echo"}),
        (10, "u8", "Last good text.", {"outlet": "Mail"}),
    ]
    assert errors(records) == [
        (3, "u2", "row 3: the text cell (body) is empty"),
        (4, "u1 (row 4)", "row 4: the id 'u1' is also row 2"),
        (5, "row 5", "row 5: the id cell (url) is empty"),
        (
            7,
            "row 7",
            "row 7: 4 cells, but the header has 3; quote cells that "
            "contain the separator",
        ),
        (8, "row 8", 'row 8: a quoted cell is not closed properly (a stray " ?)'),
    ]


def test_tables_short_rows_have_empty_cells(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("body,outlet,date\nPolice said.,Herald\n", encoding="utf-8")
    assert good(open_table(path, text_column="body")) == [
        (2, "2", "Police said.", {"outlet": "Herald", "date": ""})
    ]


def test_tables_text_over_the_limit_is_a_row_error(tmp_path):
    path = write_export(tmp_path / "e.csv")
    records = list(open_table(path, text_column="body", max_chars=60))
    assert [r.error for r in records] == [
        "row 2: the text is 75 characters, over the 60 limit",
        None,
        None,
    ]


def test_tables_cell_longer_than_csv_default_limit_is_read(tmp_path):
    long_text = "The police said. " * 10_000  # 170,000 characters
    path = write_export(tmp_path / "long.csv", ["id", "body"], [["a", long_text]])
    assert [r.text for r in open_table(path, text_column="body")] == [long_text]


def test_tables_semicolon_csv_from_a_european_spreadsheet(tmp_path):
    path = write_export(tmp_path / "e.csv", delimiter=";")
    assert len(good(open_table(path, text_column="body", id_column="url"))) == 3


def test_tables_separators_inside_quoted_header_names_do_not_count(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(
        'body,"Section; Subsection; Page"\nPolice said.,News; Crime; 4\n',
        encoding="utf-8",
    )
    corpus = open_table(path, text_column="body")
    assert corpus.columns == ["body", "Section; Subsection; Page"]
    assert good(corpus) == [
        (2, "2", "Police said.", {"Section; Subsection; Page": "News; Crime; 4"})
    ]


def test_tables_header_name_with_a_line_break(tmp_path):
    path = write_export(
        tmp_path / "e.csv",
        ["body", "page\nnumber"],
        [["Police said.", "4"], ["Officers said.", "5"]],
    )
    corpus = open_table(path, text_column="body")
    assert corpus.columns == ["body", "page\nnumber"]
    assert good(corpus) == [
        (2, "2", "Police said.", {"page\nnumber": "4"}),
        (3, "3", "Officers said.", {"page\nnumber": "5"}),
    ]


def test_tables_tsv(tmp_path):
    path = write_export(tmp_path / "e.tsv", delimiter="\t")
    assert good(open_table(path, text_column="body", id_column="url")) == good(
        open_table(
            write_export(tmp_path / "e.csv"), text_column="body", id_column="url"
        )
    )


def test_tables_tsv_cells_that_open_with_a_quotation_are_read_as_they_stand(
    tmp_path,
):
    """Database TSV exports do not quote cells: a text that opens with a
    quotation was a broken quoted cell, and its record was lost. A properly
    quoted cell is still unquoted."""
    path = tmp_path / "q.tsv"
    path.write_text(
        "id\tbody\toutlet\n"
        '1\t"We will not back down," the chief said.\tX\n'
        "2\tOfficers were praised.\tY\n"
        '3\t"Defund" was the chant.\tZ\n'
        '4\t"A ""quoted"" cell"\tW\n',
        encoding="utf-8",
    )
    records = list(open_table(path, text_column="body", id_column="id"))
    assert errors(records) == []
    assert [(r.id, r.text, r.metadata) for r in records] == [
        ("1", '"We will not back down," the chief said.', {"outlet": "X"}),
        ("2", "Officers were praised.", {"outlet": "Y"}),
        ("3", '"Defund" was the chant.', {"outlet": "Z"}),
        ("4", 'A "quoted" cell', {"outlet": "W"}),
    ]


@pytest.mark.parametrize(
    ("encoding", "warning"),
    [
        ("utf-8-sig", None),
        ("cp1252", "not UTF-8; decoded as Windows-1252"),
        ("utf-16", "decoded as UTF-16"),
    ],
)
def test_tables_encodings_of_exports(tmp_path, encoding, warning):
    path = write_export(tmp_path / "e.csv", encoding=encoding)
    corpus = open_table(path, text_column="body", id_column="url")
    assert corpus.warnings == ([f"{path}: {warning}"] if warning else [])
    assert [r.text for r in corpus] == [row[4] for row in EXPORT_ROWS]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"text_column": "text"},
            "no column 'text' for --text-column; the columns "
            "are 'url', 'outlet', 'date', 'title', 'body'",
        ),
        (
            {"text_column": "body", "id_column": "link"},
            "no column 'link' for --id-column",
        ),
        (
            {"text_column": "body", "keep": ["outlet", "section"]},
            "no column 'section' for --keep",
        ),
    ],
)
def test_tables_unknown_column_is_an_error_before_any_row(tmp_path, options, message):
    path = write_export(tmp_path / "e.csv")
    with pytest.raises(InputError) as caught:
        open_table(path, **options)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_tables_header_problems(tmp_path):
    twice = tmp_path / "twice.csv"
    twice.write_text("body,outlet,outlet\nx,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="the column 'outlet' appears twice"):
        open_table(twice, text_column="body")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="the first row is empty"):
        open_table(empty, text_column="body")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corpus.xls", "old Excel (.xls) files are not read; save as .xlsx"),
        ("corpus.txt", "not a table corpus; use one of .csv, .json, .jsonl"),
    ],
)
def test_tables_unknown_suffix(tmp_path, name, message):
    with pytest.raises(
        InputError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        table_format(tmp_path / name)


def test_tables_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_table(tmp_path / "gone.csv", text_column="body")


def test_tables_jsonl_export_with_bad_lines(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [
        json.dumps({"id": "a", "outlet": "Herald", "words": 120, "body": "First."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b", "outlet": "Post"}),  # no body field
        "",
        json.dumps(
            {
                "id": "c",
                "outlet": None,
                "words": 80.0,
                "tags": ["met", "vetting"],
                "body": "Second.",
            }
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = open_table(path, text_column="body", id_column="id")
    assert corpus.metadata_columns == ["outlet", "words"]
    records = list(corpus)
    assert good(records) == [
        (1, "a", "First.", {"outlet": "Herald", "words": "120"}),
        (6, "c", "Second.", {"outlet": "", "words": "80"}),
    ]
    assert errors(records) == [
        (
            2,
            "line 2",
            "line 2: not valid JSON (Expecting property name enclosed in "
            "double quotes, column 2)",
        ),
        (3, "line 3", "line 3: not a JSON object"),
        (4, "line 4", "line 4: no 'body' field"),
    ]


def test_tables_json_array(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps([{"body": "First.", "outlet": "Herald"}, {"body": ""}]),
        encoding="utf-8",
    )
    records = list(open_table(path, text_column="body"))
    assert good(records) == [(1, "1", "First.", {"outlet": "Herald"})]
    assert errors(records) == [(2, "2", "record 2: the text cell (body) is empty")]


def test_tables_json_that_is_not_a_list_is_an_error(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"body": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="must be a list of objects"):
        open_table(path, text_column="body")


def test_tables_deeply_nested_json_line_is_a_row_error(tmp_path):
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    lines = ['{"body": "First."}', '{"body": ' + deep + "}", '{"body": "Second."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(open_table(path, text_column="body"))
    assert good(records) == [(1, "1", "First.", {}), (3, "3", "Second.", {})]
    assert errors(records) == [(2, "2", "line 2: not valid JSON (nested too deeply)")]


def test_tables_json_field_too_deep_to_write_as_a_cell_is_a_row_error(tmp_path):
    # Near the recursion limit json reads some lists that it cannot write back as
    # a cell's text; one of these depths is such a list, wherever the limit is.
    limit = sys.getrecursionlimit()
    path = tmp_path / "deep.jsonl"
    lines = [json.dumps({"body": "First.", "tags": 1})]
    for depth in range(limit - 200, limit + 1):
        lines.append('{"body": "Nested.", "tags": ' + "[" * depth + "]" * depth + "}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(open_table(path, text_column="body"))
    assert len(records) == len(lines)
    assert good(records)[0] == (1, "1", "First.", {"tags": "1"})
    assert len(good(records)) > 1
    assert errors(records)
    assert all(
        error == f"line {row}: not valid JSON (nested too deeply)"
        for row, _id, error in errors(records)
    )


def test_tables_deeply_nested_json_file_is_an_input_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid JSON \(nested too deeply\)"):
        open_table(path, text_column="body")


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_tables_json_field_names_with_spaces_around_them(tmp_path, suffix):
    objects = [{"body ": "First.", " outlet": "Herald"}, {" body": "Second."}]
    path = tmp_path / f"export{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(objects), encoding="utf-8")
    else:
        path.write_text("\n".join(map(json.dumps, objects)), encoding="utf-8")
    corpus = open_table(path, text_column="body", keep=["outlet"])
    assert corpus.columns == ["body", "outlet"]
    assert good(corpus) == [
        (1, "1", "First.", {"outlet": "Herald"}),
        (2, "2", "Second.", {"outlet": ""}),
    ]


def test_tables_json_text_that_is_a_list_or_object_is_a_row_error(tmp_path):
    path = tmp_path / "export.jsonl"
    objects = [{"body": ["not", "text"]}, {"body": {"a": "b"}}, {"body": "Text."}]
    path.write_text("\n".join(map(json.dumps, objects)), encoding="utf-8")
    records = list(open_table(path, text_column="body"))
    assert good(records) == [(3, "3", "Text.", {})]
    assert errors(records) == [
        (1, "1", "line 1: the text cell (body) is a JSON list, not text"),
        (2, "2", "line 2: the text cell (body) is a JSON object, not text"),
    ]


def make_workbook(path, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_tables_xlsx_export_with_dates_numbers_and_blank_rows(tmp_path):
    path = make_workbook(
        tmp_path / "export.xlsx",
        ["id", "outlet", "published", "words", "body"],
        [
            [101, "The Herald", datetime(2024, 3, 12), 412, EXPORT_ROWS[0][4]],
            [None, None, None, None, None],  # a blank row: skipped
            [102, "The Post", datetime(2024, 3, 13, 9, 30), 3.5, "Officers said."],
            [103, "The Star", date(2024, 3, 14), None, None],
        ],
    )
    records = list(open_table(path, text_column="body", id_column="id"))
    assert good(records) == [
        (
            2,
            "101",
            EXPORT_ROWS[0][4],
            {"outlet": "The Herald", "published": "2024-03-12", "words": "412"},
        ),
        (
            4,
            "102",
            "Officers said.",
            {"outlet": "The Post", "published": "2024-03-13 09:30:00", "words": "3.5"},
        ),
    ]
    assert errors(records) == [(5, "103", "row 5: the text cell (body) is empty")]


def test_tables_xlsx_without_openpyxl_names_the_extra(tmp_path, monkeypatch):
    path = make_workbook(tmp_path / "e.xlsx", ["body"], [["x"]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(InputError, match=r"pip install 'framing\[xlsx\]'"):
        open_table(path, text_column="body")


def test_tables_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("body\nnot a zip\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        open_table(path, text_column="body")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (3.0, "3"),
        (3.25, "3.25"),
        (datetime(2024, 1, 2), "2024-01-02"),
        (datetime(2024, 1, 2, 3, 4), "2024-01-02 03:04:00"),
        ({"a": "é"}, '{"a": "é"}'),
    ],
)
def test_tables_cell_text(value, text):
    assert cell_text(value) == text


# Writing tables

HEADER = ["id", "paragraph", "text", "stance_confidence"]
ROWS = [
    ["a.txt", 0, "Police – “reform” now, é", 0.71],
    ["b.txt", 1, '=HYPERLINK("http://x")', 0.5],
    ["c.txt", 2, "-the force said", None],
]


def test_tables_csv_has_a_bom_and_guards_formulas(tmp_path):
    path = tmp_path / "out.csv"
    assert write_table(path, HEADER, ROWS) == {"rows": 3, "truncated": 0}
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,paragraph,text")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            HEADER,
            ["a.txt", "0", "Police – “reform” now, é", "0.71"],
            ["b.txt", "1", '\'=HYPERLINK("http://x")', "0.5"],
            ["c.txt", "2", "'-the force said", ""],
        ]


def test_tables_csv_for_analysis_without_bom_or_guard(tmp_path):
    path = tmp_path / "out.csv"
    write_table(path, HEADER, ROWS, bom=False, formula_guard=False)
    assert path.read_bytes().startswith(b"id,")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[2] for row in rows[1:]] == [row[2] for row in ROWS]


def test_tables_tsv_is_tab_separated(tmp_path):
    path = tmp_path / "out.tsv"
    write_table(path, HEADER, ROWS)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "id\tparagraph\ttext\tstance_confidence"
    assert lines[1] == "a.txt\t0\tPolice – “reform” now, é\t0.71"


def test_tables_xlsx_is_a_real_workbook_with_text_as_text(tmp_path):
    path = tmp_path / "out.xlsx"
    long_text = "x" * 40_000
    rows = [*ROWS, ["d.txt", 3, "bell\x07 inside", 1], ["e.txt", 4, long_text, 0]]
    assert write_table(path, HEADER, rows) == {"rows": 5, "truncated": 1, "sheets": 1}
    sheet = openpyxl.load_workbook(path).active
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert [value for value, _type in cells[0]] == HEADER
    assert cells[2][2] == ('=HYPERLINK("http://x")', "s")  # text, not a formula
    assert cells[2][3] == (0.5, "n")
    assert cells[3][2] == ("-the force said", "s")
    assert cells[4][2][0] == "bell inside"
    assert len(cells[5][2][0]) == 32_767


@pytest.mark.parametrize("name", ["out.xls", "out.json", "out"])
def test_tables_unknown_output_extension_is_a_usage_error(tmp_path, name):
    with pytest.raises(UnknownFormatError) as caught:
        output_format(tmp_path / name)
    assert caught.value.exit_code == 2
    assert "name the file .csv, .tsv or .xlsx" in str(caught.value)


def test_tables_output_into_a_missing_folder(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_table(tmp_path / "no" / "out.csv", HEADER, ROWS)


def test_tables_a_failed_write_leaves_no_file(tmp_path):
    def rows():
        yield ROWS[0]
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "out.csv", HEADER, rows())
    assert list(tmp_path.iterdir()) == []


def test_tables_guard_formula_leaves_numbers_and_prose():
    assert guard_formula(-1) == -1
    assert guard_formula("@user said") == "'@user said"
    assert guard_formula("Police said") == "Police said"
