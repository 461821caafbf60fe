"""What a newcomer ran into: markup in scraped text, losing labels on a rebuild,
formats and options that did not do what their names say."""

import csv
import json

from conftest import corpus_rows, write_csv

from framing import api
from framing.cli import app
from framing.dataset.build import build_dataset


def test_cli_classify_table_shows_bracketed_text_literally(runner, tiny_model):
    text = '[caption id="a1"] Officers[/caption]\n\nThe chief praised them [/] [bold]x.'
    result = runner.invoke(
        app, ["classify", text, "--model", str(tiny_model), "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert "[/caption]" in result.stdout and "[bold]x." in result.stdout


def test_cli_score_bracketed_names_and_warnings_do_not_stop_the_batch(
    runner, tiny_model, tmp_path
):
    # The id "a[/]b.txt" holds a closing tag across the path separator.
    (tmp_path / "a[").mkdir()
    (tmp_path / "a[" / "]b.txt").write_bytes(b"The officers\x92 union said it failed.")
    (tmp_path / "[bold]d").mkdir()
    (tmp_path / "[bold]d" / "e.txt").write_bytes(b"The chief\x92s plan was praised.")
    result = runner.invoke(app, ["score", str(tmp_path), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "warning: a[/]b.txt: not UTF-8" in result.stderr
    assert "warning: [bold]d/e.txt: not UTF-8" in result.stderr


def test_data_build_refuses_to_drop_labelled_rows(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text(
        "Police made two arrests.\n\nThe chief thanked them."
    )
    out = tmp_path / "paragraphs.csv"
    build_dataset(articles, out)
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, stance="institutional", tone="neutral"))
    (articles / "one.txt").write_text("Something else entirely.")
    before = out.read_bytes()
    try:
        build_dataset(articles, out)
    except Exception as exc:  # DataError
        assert "would drop 2 labelled seed rows" in str(exc)
    else:
        raise AssertionError("labelled rows were dropped without --force")
    assert out.read_bytes() == before
    build_dataset(articles, out, force=True)
    assert len(list(csv.DictReader(open(out, encoding="utf-8-sig")))) == 1


def test_cli_score_format_follows_the_out_extension(runner, tiny_model, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The inquiry found serious failings in vetting.")
    out = tmp_path / "scores.jsonl"
    args = ["score", str(folder), "--model", str(tiny_model), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert json.loads(out.read_text().splitlines()[0])["id"] == "a.txt"


def test_cli_score_bad_scheduler_fails_before_any_output(runner, tiny_model, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The inquiry found serious failings in vetting.")
    result = runner.invoke(
        app, ["score", str(folder), "--model", str(tiny_model), "--scheduler", "foo"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "'foo' is not a scheduler address" in result.stderr


def test_cli_evaluate_report_onto_a_file_is_a_clear_error(runner, tiny_csv, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("x")
    result = runner.invoke(
        app,
        ["evaluate", "--data", str(tiny_csv), "--report", str(report), "--no-select"],
    )
    assert result.exit_code == 1
    assert f"Error: {report} is a file; give a folder for the report" in result.stderr


def test_cli_classify_max_bytes_is_an_option(runner, tiny_model, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("The police said nothing. " * 100)
    args = ["classify", "--file", str(big), "--model", str(tiny_model)]
    refused = runner.invoke(app, [*args, "--max-bytes", "100"])
    assert refused.exit_code == 1 and "--max-bytes" in refused.stderr
    assert runner.invoke(app, [*args, "--max-bytes", "100000"]).exit_code == 0


def test_evaluate_own_tone_labels_get_no_vader_baseline(tmp_path):
    rows = corpus_rows()
    mapping = {
        "hostile": "angry",
        "critical": "cross",
        "neutral": "flat",
        "supportive": "warm",
    }
    for row in rows:
        row["tone"] = mapping[row["tone"]]
    data = write_csv(tmp_path / "own.csv", rows)
    result = api.evaluate(
        data=data, own_labels=True, select=False, bootstrap_samples=20, model_dir=None
    )
    tone = result["sections"][0]["heads"]["tone"]
    assert "VADER" not in tone["baselines"]
    assert "majority" in tone["baselines"]


def test_train_without_article_column_says_what_cross_validation_held_out(tmp_path):
    rows = corpus_rows()
    data = write_csv(
        tmp_path / "noarticle.csv", rows, columns=("text", "stance", "tone")
    )
    card = api.train(data=data, out=tmp_path / "model")
    assert "names no documents" in card["selection"]["reason"]
    assert "single paragraphs" in card["selection"]["reason"]


def test_cli_version(runner):
    from framing import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"framing {__version__}"


def test_dataset_semicolons_and_workbooks_get_a_hint(runner, tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_text("article;text;stance;tone\na;b;c;d\n", encoding="utf-8")
    # A workbook saved under a .csv name; a damaged one under its own name.
    book = tmp_path / "book.csv"
    book.write_bytes(b"PK\x03\x04 not really a workbook")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    for path, hint in (
        (semi, "seems to use ';' between columns"),
        (book, "looks like an Excel workbook"),
        (broken, "not a readable .xlsx workbook"),
    ):
        result = runner.invoke(
            app, ["train", "--data", str(path), "--out", str(tmp_path / "m")]
        )
        assert result.exit_code == 1
        assert hint in result.stderr


def test_cli_messages_name_what_is_wrong(runner, tiny_model, tiny_data, tmp_path):
    """Each names the real problem: a file given as a model directory, the
    option of a missing documents file, a folder given as --out, an old .xls
    table given with its --text-column."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The chief said the force would change.")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    expected = {
        ("info", "--model", afile): "is a file, not a model directory",
        ("train", "--data", tiny_data, "--documents", tmp_path / "gone.csv",
         "--out", tmp_path / "m"): "does not exist; pass --documents PATH",
        ("score", folder, "--out", tmp_path, "--model", tiny_model):
            "is a folder; give a file name for --out",
        ("score", tmp_path / "old.xls", "--text-column", "body"):
            "old Excel (.xls) files are not read; save as .xlsx",
    }  # fmt: skip
    for args, message in expected.items():
        result = runner.invoke(app, [str(arg) for arg in args])
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: ") and message in result.stderr
