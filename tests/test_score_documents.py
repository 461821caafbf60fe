"""`framing score FOLDER` on a folder of documents: web pages and Markdown are read
as documents (their text, with title and date as columns), other files are
skipped and counted by extension, and a folder with nothing framing can read is
a one-line error that names what it holds (issue 10, "Inputs")."""

import csv
import json
import sys

import pytest
from _pages import MARKDOWN_POST, MARKDOWN_POST_PARAGRAPHS, NEWS
from typer.testing import CliRunner

from framing import api
from framing.cli import app

PLAIN = (
    "Police chief praised\n\n"
    "The chief constable praised officers for keeping the public safe.\n\n"
    "Campaigners called for independent oversight and better vetting."
)
PLAIN_PARAGRAPHS = PLAIN.split("\n\n")


@pytest.fixture
def mixed(tmp_path):
    """A researcher's folder: a plain article, a saved web page, a Markdown post
    (in a subfolder), and files framing does not read."""
    folder = tmp_path / "corpus"
    (folder / "blog").mkdir(parents=True)
    (folder / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "met.html").write_text(NEWS.html, encoding="utf-8")
    (folder / "blog" / "march.md").write_text(MARKDOWN_POST, encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n" + bytes(200))
    (folder / "minutes.docx").write_bytes(b"PK\x03\x04" + bytes(200))
    (folder / "blog" / "draft.docx").write_bytes(b"PK\x03\x04" + bytes(200))
    (folder / ".notes.txt").write_text("A hidden file.", encoding="utf-8")
    return folder


def score(model_dir, folder, *args):
    return CliRunner().invoke(
        app, ["score", str(folder), "--model", str(model_dir), "--jobs", "1", *args]
    )


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_score_documents_folder_mixing_text_markdown_html_and_pdf(model_dir, mixed):
    out = mixed.parent / "paragraphs.csv"
    result = score(model_dir, mixed, "--paragraphs", "--out", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert list(rows[0])[:5] == ["id", "title", "date", "paragraph", "text"]
    by_id: dict[str, list[dict]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    assert list(by_id) == ["blog/march.md", "met.html", "plain.txt"]
    # The page's article (its title first, as `classify --file` reads it), none
    # of its navigation, cookie banner, captions or footer.
    page = by_id["met.html"]
    assert [row["text"] for row in page] == [NEWS.title, *NEWS.paragraphs]
    assert {(row["title"], row["date"]) for row in page} == {(NEWS.title, NEWS.date)}
    post = by_id["blog/march.md"]
    assert [row["text"] for row in post] == MARKDOWN_POST_PARAGRAPHS
    assert {(row["title"], row["date"]) for row in post} == {
        ("Why we are marching on Saturday", "2024-05-20")
    }
    plain = by_id["plain.txt"]
    assert [row["text"] for row in plain] == PLAIN_PARAGRAPHS
    assert {(row["title"], row["date"]) for row in plain} == {("", "")}
    assert all(row["error"] == "" and row["stance"] for row in rows)
    # The summary says what was left out, by extension.
    table = " ".join(result.stdout.split())
    assert "skipped files │ .docx │ 2" in table
    assert "skipped files │ .pdf │ 1" in table


def test_score_documents_rows_match_classify_file(model_dir, mixed):
    result = score(model_dir, mixed, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    for doc_id in ("met.html", "blog/march.md"):
        classified = CliRunner().invoke(
            app,
            ["classify", "--model", str(model_dir), "--json"]
            + ["--file", str(mixed / doc_id)],
        )
        expected = json.loads(classified.stdout)
        row = rows[doc_id]
        assert (row["stance"], row["tone"]) == (expected["stance"], expected["tone"])
        assert row["paragraphs"] == len(expected["paragraphs"])
        assert row["title"] == expected["document"]["title"]
        assert row["date"] == expected["document"]["date"]


def test_score_documents_api_summary_counts_skipped_files(model_dir, mixed):
    out = mixed.parent / "scores.jsonl"
    summary = api.score(mixed, out=out, model_dir=model_dir, jobs=1)
    assert (summary["total"], summary["documents"], summary["failed"]) == (3, 3, 0)
    assert summary["skipped"] == {".docx": 2, ".pdf": 1}


def test_score_documents_folder_of_only_other_files_names_them(model_dir, tmp_path):
    folder = tmp_path / "exports"
    (folder / "old").mkdir(parents=True)
    for n in range(12):
        (folder / f"story{n}.pdf").write_bytes(b"%PDF")
    for n in range(3):
        (folder / "old" / f"memo{n}.DOCX").write_bytes(b"PK")
    (folder / "README").write_text("notes")
    result = score(model_dir, folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no files framing can read in {folder}: 12 .pdf, 3 .docx, 1 no "
        "extension; it reads .txt, .md, .html"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    "hidden, what", [(False, "it is empty"), (True, "only hidden files and folders")]
)
def test_score_documents_empty_folder(model_dir, tmp_path, hidden, what):
    folder = tmp_path / "empty"
    folder.mkdir()
    if hidden:
        (folder / ".draft.txt").write_text("Police said.")
    result = score(model_dir, folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no files framing can read in {folder}: {what}; it reads .txt, "
        ".md, .html"
    )


def test_score_documents_web_pages_without_the_html_extra_are_refused(
    model_dir, mixed, monkeypatch
):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails
    out = mixed.parent / "scores.csv"
    result = score(model_dir, mixed, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {mixed} holds web pages: reading HTML needs trafilatura: pip "
        "install 'framing[html]' (in a checkout: pip install '.[html]')"
    )
    assert not out.exists()
