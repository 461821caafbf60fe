"""Hostile text: arbitrary Unicode and bytes never crash segmentation, classify or
score, and hostile training data is rejected with its row numbers (issue 5)."""

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import TINY_CORPUS, corpus_rows, write_csv
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from framing.api import load, score
from framing.batch.workers import ScoreOptions, document_records
from framing.cli import app
from framing.errors import InputError
from framing.labelling import classify_text
from framing.text.read import decode, looks_binary, read_text
from framing.text.segment import split_paragraphs

WORDS = ["police", "officers", "abolish", "reform", "public", "the", "said", "Met"]
# Characters scrapers and archives really produce, plus the ones that break naive
# code: NUL and other controls, zero-width and bidi marks, BOMs, Unicode line
# separators, lone surrogates, private use, emoji with modifiers and joiners.
SPECIALS = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    ".",
    "!",
    "?",
    "…",
    '"',
    "-",
    "=",
    "—",
    "😀",
    "👮🏽‍♀️",
    "🇬🇧",
    "\ud800",
    "\udfff",
    "\ue000",
    "\U0010ffff",
]
any_character = st.characters(exclude_categories=())  # surrogates included
pieces = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(SPECIALS), any_character, st.just(" ")
)
hostile_text = st.one_of(
    st.lists(pieces, max_size=80).map("".join),
    st.text(alphabet=any_character, max_size=200),
)
# Bytes as files hold them: hostile text in several encodings (lone surrogates
# survive only as invalid UTF-8), or anything at all.
hostile_bytes = st.one_of(
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("cp1252", "replace")),
    st.binary(max_size=300),
)

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_LETTER = re.compile(r"[^\W\d_]")
# Always tried, whatever hypothesis draws: each hostile kind next to real words.
EXAMPLES = [
    "The police\ud800 said\udfff officers attended.",
    "The\x00 police\x01 said\x1b officers\x7f attended.\x85",
    "Police\u200b said\u200d officers\u202e attended\u2066 the\ufeff protest.",
    "Police said\u2028officers attended.\u2029The crowd left.\r\rIt rained.",
    "👮🏽‍♀️ The police said 🇬🇧 officers attended. 😀",
]


def with_examples(test):
    for text in EXAMPLES:
        test = example(text=text)(test)
    return test


NO_TEXT = "no text to classify: give some words as an argument, with --file, or on"


@pytest.fixture(scope="session")
def model(model_dir):
    return load(model_dir)[0]


def assert_label_result(result, classes):
    assert set(result) == {"label", "confidence", "scores"}
    assert list(result["scores"]) == classes
    assert result["label"] in classes
    assert 0.0 <= result["confidence"] <= 1.0
    assert result["confidence"] == max(result["scores"].values())
    assert abs(sum(result["scores"].values()) - 1.0) < 1e-3


def assert_clean_paragraph(paragraph):
    assert isinstance(paragraph, str)
    assert paragraph and paragraph == paragraph.strip()
    assert "  " not in paragraph
    assert not any(ch.isspace() and ch != " " for ch in paragraph)
    assert not any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in paragraph
    )
    assert _LETTER.search(paragraph)
    paragraph.encode("utf-8")  # no lone surrogates: writable to any output


@PROPERTY
@given(text=hostile_text)
@with_examples
def test_segment_split_paragraphs_hostile_text_gives_clean_paragraphs(text):
    paragraphs = split_paragraphs(text)
    assert isinstance(paragraphs, list)
    for paragraph in paragraphs:
        assert_clean_paragraph(paragraph)
    assert len({p.casefold() for p in paragraphs}) == len(paragraphs)
    # What segmentation keeps is stable: segmenting its own output changes nothing.
    assert split_paragraphs("\n\n".join(paragraphs)) == paragraphs


@PROPERTY
@given(text=hostile_text)
@with_examples
def test_predict_classify_text_hostile_text_is_well_formed_or_input_error(model, text):
    try:
        result = classify_text(model, text)
    except InputError as exc:
        assert str(exc).startswith(NO_TEXT)
        assert split_paragraphs(text) == []
        return
    assert set(result) == {"stance", "tone", "method", "paragraphs"}
    for column in ("stance", "tone"):
        assert_label_result(result[column], model.classes(column))
    paragraphs = split_paragraphs(text)
    assert [row["index"] for row in result["paragraphs"]] == list(
        range(len(paragraphs))
    )
    assert [row["text"] for row in result["paragraphs"]] == paragraphs
    for row in result["paragraphs"]:
        for column in ("stance", "tone"):
            assert_label_result(row[column], model.classes(column))
    encoded = json.dumps(result, ensure_ascii=False).encode("utf-8")
    assert json.loads(encoded) == result


@PROPERTY
@given(texts=st.lists(hostile_text, min_size=1, max_size=5))
def test_scoring_document_records_hostile_texts_give_one_row_each(model, texts):
    chunk = [(f"doc{i}", text) for i, text in enumerate(texts)]
    results = document_records(model, chunk, ScoreOptions())
    assert len(results) == len(chunk)
    for (doc_id, text), records in zip(chunk, results):
        assert len(records) == 1
        record = records[0]
        assert record["id"] == doc_id
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            assert record["error"].startswith("no prose paragraphs")
            assert record["stance"] is None and record["tone"] is None
            continue
        assert record["error"] is None
        assert record["paragraphs"] == len(paragraphs)
        for column in ("stance", "tone"):
            assert_label_result(record[column], model.classes(column))
        json.dumps(record, ensure_ascii=False).encode("utf-8")


@PROPERTY
@given(texts=st.lists(hostile_text, min_size=1, max_size=4))
def test_scoring_document_records_paragraph_rows_for_hostile_texts(model, texts):
    chunk = [(f"doc{i}", text) for i, text in enumerate(texts)]
    results = document_records(model, chunk, ScoreOptions(paragraphs=True))
    for (doc_id, text), records in zip(chunk, results):
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            assert [r["error"] for r in records] == [records[0]["error"]]
            assert records[0]["error"]
            continue
        assert [r["text"] for r in records] == paragraphs
        assert [r["paragraph"] for r in records] == list(range(len(paragraphs)))
        assert all(r["id"] == doc_id and r["error"] is None for r in records)


@PROPERTY
@given(raw=hostile_bytes)
def test_textio_decode_arbitrary_bytes_gives_writable_text(raw):
    text, warning = decode(raw)
    assert isinstance(text, str)
    assert warning is None or isinstance(warning, str)
    text.encode("utf-8")  # a lone surrogate here would break every output format


@PROPERTY
@given(text=st.text())
def test_textio_decode_utf8_round_trips(text):
    expected = text[1:] if text.startswith("\ufeff") else text
    assert decode(text.encode("utf-8")) == (expected, None)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


@PROPERTY
@given(raw=hostile_bytes)
def test_textio_read_text_arbitrary_bytes_is_text_or_input_error(scratch, raw):
    path = scratch / "doc.txt"
    path.write_bytes(raw)
    try:
        text, _warning = read_text(path)
    except InputError as exc:
        assert exc.reason in ("empty file", "binary file, not text")
        return
    text.encode("utf-8")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(contents=st.lists(hostile_bytes, min_size=1, max_size=4))
def test_api_score_folder_of_hostile_files_gives_one_row_per_file(
    model_dir, scratch, contents
):
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        for i, raw in enumerate(contents):
            Path(folder, f"doc{i}.txt").write_bytes(raw)
        for fmt in ("jsonl", "csv"):
            stream = io.StringIO()
            summary = score(
                Path(folder), stream=stream, fmt=fmt, model_dir=model_dir, jobs=1
            )
            lines = stream.getvalue().splitlines()
            if fmt == "csv":
                lines = lines[1:]
            assert len(lines) == len(contents) == summary["documents"]
            if fmt == "jsonl":
                rows = [json.loads(line) for line in lines]
                assert [r["id"] for r in rows] == [
                    f"doc{i}.txt" for i in range(len(contents))
                ]
                failed = [r for r in rows if r["error"]]
                assert len(failed) == summary["failed"]
                assert all(r["stance"] is None for r in failed)


@settings(max_examples=25, deadline=None)
@given(text=hostile_text.filter(lambda t: not t.startswith("-")))
def test_cli_classify_hostile_text_is_json_or_one_line_error(model_dir, text):
    # An argument starting with "-" would be read as an option; stdin covers it.
    # argv can carry lone surrogates (from undecodable bytes); stdin carries bytes.
    for args, stdin in (([text], None), (["-"], text.encode("utf-8", "replace"))):
        result = CliRunner().invoke(
            app, ["classify", "--json", "--model", str(model_dir), *args], input=stdin
        )
        if result.exit_code == 0:
            assert json.loads(result.stdout)["paragraphs"]
        elif result.exit_code == 2:  # a file or folder name given as the text
            assert result.stderr.startswith("Error: ") and "framing " in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
        else:
            assert result.exit_code == 1, result.output
            if stdin is not None and looks_binary(stdin):
                expected = "Error: standard input is binary, not text"
            else:
                expected = "Error: " + NO_TEXT
            assert result.stderr.startswith(expected)
            assert len(result.stderr.strip().splitlines()) == 1


FIVE_MB = 5 * 1024 * 1024


def one_line(unit: str, size: int = FIVE_MB) -> str:
    return unit * (size // len(unit))


@pytest.mark.parametrize(
    "text",
    [
        one_line("the police said officers attended the protest "),
        one_line("x"),
        "Officers were praised. " + one_line("🚓\u200b\u202e") + " The end.",
    ],
    ids=["words", "one-word", "emoji-and-marks"],
)
def test_predict_classify_text_one_5mb_line(model, text):
    result = classify_text(model, text)
    assert len(result["paragraphs"]) == 1
    assert_label_result(result["stance"], model.classes("stance"))


@pytest.mark.parametrize(
    "text",
    [
        one_line("!?.,;:-"),
        "... !!! ??? ,,, ;;; --- ***",
        one_line(" \t\n\u00a0\u3000\r\n"),
        "   \n\n\t  ",
        "\x00\x00\x00",
        "\u200b\u200e\u202e\ufeff",
        "😀 🚓 👮🏽‍♀️",
    ],
    ids=[
        "5mb-punctuation",
        "punctuation",
        "5mb-whitespace",
        "whitespace",
        "nul",
        "invisible",
        "emoji",
    ],
)
def test_predict_classify_text_without_words_is_input_error(model, text):
    with pytest.raises(InputError, match="no text to classify"):
        classify_text(model, text)


@pytest.mark.parametrize(
    "text",
    ["... !!! ??? ,,, ;;;", "   \n\n\t  ", "\u200b\u202e", "😀 🚓"],
)
def test_cli_classify_text_without_words_is_one_line_error(model_dir, text):
    result = CliRunner().invoke(
        app, ["classify", "--model", str(model_dir)], input=text
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: " + NO_TEXT)
    assert "Traceback" not in result.output


def test_cli_classify_stdin_in_windows_1252_is_decoded(model_dir):
    # Under a strict UTF-8 locale (a desktop en_US.UTF-8, simulated with
    # PYTHONIOENCODING) text stdin would raise UnicodeDecodeError; under C.UTF-8
    # the undecodable byte would silently vanish. Piped bytes decode like --file.
    raw = "The officers’ union said the police attended.\n".encode("cp1252")
    for io_encoding in ("utf-8:strict", "utf-8:surrogateescape"):
        done = subprocess.run(
            [sys.executable, "-m", "framing", "classify", "-", "--json"]
            + ["--model", str(model_dir)],
            input=raw,
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": io_encoding},
            timeout=120,
        )
        assert b"Traceback" not in done.stderr
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["paragraphs"][0]["text"].startswith("The officers’ union")


def test_scoring_document_records_only_punctuation_and_whitespace_are_error_rows(model):
    chunk = [
        ("punct", one_line("!?.,", 100_000)),
        ("space", " \n\t" * 1000),
        ("good", "The police said officers attended the protest."),
    ]
    records = [r[0] for r in document_records(model, chunk, ScoreOptions())]
    assert [r["error"] is None for r in records] == [False, False, True]
    assert records[0]["error"] == records[1]["error"]
    assert records[0]["error"].startswith("no prose paragraphs")


# Training data: rejected with the row numbers (the header is row 1).


def train_on(tmp_path, rows=None, raw=None):
    data = tmp_path / "data.csv"
    if raw is not None:
        data.write_text(raw, encoding="utf-8")
    else:
        write_csv(data, corpus_rows(rows))
    out = tmp_path / "model"
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(out), "--no-select"]
    )
    return result, out


def assert_rejected(result, out, *phrases):
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: dataset ")
    assert len(result.stderr.strip().splitlines()) == 1
    for phrase in phrases:
        assert phrase in result.stderr
    assert not out.exists()  # nothing written for a rejected dataset


def test_dataset_same_text_under_two_labels_is_rejected_with_rows(tmp_path):
    article, text, _stance, _tone = TINY_CORPUS[1]
    rows = [*TINY_CORPUS, (article, text.upper() + "  ", "reformist", "neutral")]
    result, out = train_on(tmp_path, rows)
    assert_rejected(
        result,
        out,
        f"rows 3 and {len(rows) + 1} have the same text with different labels",
    )


def test_dataset_empty_rows_are_rejected_with_rows(tmp_path):
    rows = list(TINY_CORPUS)
    rows[3] = ("", "", "", "")
    rows[6] = ("  ", " \t ", " ", " ")
    result, out = train_on(tmp_path, rows)
    assert_rejected(result, out, "rows 5, 8 have an empty text")


@pytest.mark.parametrize(
    "bad", ["pro-police", "reformist?", "Reform"]
)  # case is matched
def test_dataset_stance_outside_codebook_is_rejected_with_rows(tmp_path, bad):
    rows = list(TINY_CORPUS)
    for i in (2, 9):
        article, text, _stance, tone = rows[i]
        rows[i] = (article, text, bad, tone)
    result, out = train_on(tmp_path, rows)
    assert_rejected(
        result,
        out,
        f"rows 4, 11 have a stance outside the codebook ({bad!r}; expected one of "
        "abolitionist, reformist, institutional)",
        "--own-labels",
    )


def test_dataset_many_bad_rows_are_listed_then_counted(tmp_path):
    rows = [(a, t, s, "furious") for a, t, s, _tone in TINY_CORPUS]
    result, out = train_on(tmp_path, rows)
    assert_rejected(
        result, out, "rows 2, 3, 4, 5, 6, 7, 8, 9 and 5 more have a tone outside"
    )
