"""The correction loop end to end, through the command line, on a small corpus:
score a folder by paragraph, sample a coding sheet, code it, check the model on
the coding (evaluate --model), ask for the paragraphs worth coding next
(suggest), code them, retrain with the project's data, and use the new model."""

import csv
import json

from conftest import TINY_CORPUS

from framing import api
from framing.cli import app

# The tiny corpus's paragraphs, and three more, as articles; each paragraph's
# labels are known, so the test can play the coder.
CORPUS = TINY_CORPUS + [
    (
        "a5.txt",
        "Marchers chanted that no cop is a good cop and the whole force must go.",
        "abolitionist",
        "hostile",
    ),
    (
        "a5.txt",
        "Councillors asked the watchdog to publish its findings on stop and search.",
        "reformist",
        "critical",
    ),
    (
        "a5.txt",
        "The force thanked the volunteers who helped search for the missing child.",
        "institutional",
        "supportive",
    ),
]
CODES = {text: (stance, tone) for _article, text, stance, tone in CORPUS}
SAMPLE, SUGGEST = 6, 5


def write_articles(folder):
    folder.mkdir()
    articles: dict[str, list[str]] = {}
    for article, text, _stance, _tone in CORPUS:
        articles.setdefault(article, []).append(text)
    for article, texts in articles.items():
        (folder / article).write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return folder


def read_sheet(path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def code(path, out=None) -> list[dict]:
    """Fill in a coding sheet's empty stance and tone columns as a coder would,
    in place (or into `out`); returns its rows."""
    header, rows = read_sheet(path)
    for row in rows:
        assert row["stance"] == row["tone"] == ""
        row["stance"], row["tone"] = CODES[row["text"]]
    with open(out or path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def run(runner, *args):
    result = runner.invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result


def test_loop_score_sample_code_evaluate_suggest_train(runner, model_dir, tmp_path):
    folder = write_articles(tmp_path / "articles")
    scores = tmp_path / "scores.csv"
    run(runner, "score", folder, "--paragraphs", "--model", model_dir,
        "--out", scores, "--jobs", 1)  # fmt: skip
    _header, scored = read_sheet(scores)
    assert sorted(row["text"] for row in scored) == sorted(CODES)

    # A random sample to code, and the model checked on that coding.
    tocode = tmp_path / "tocode.csv"
    run(runner, "sample", scores, "--n", SAMPLE, "--out", tocode)
    sample_header, _rows = read_sheet(tocode)
    assert sample_header[:5] == ["id", "paragraph", "text", "stance", "tone"]
    coded = code(tocode)
    assert len(coded) == SAMPLE
    assert len({row["text"] for row in coded}) == SAMPLE
    result = run(runner, "evaluate", "--model", model_dir, "--data", tocode)
    assert "macro-F1 (model)" in result.stdout
    assert "Cohen's kappa (model vs labels)" in result.stdout
    result = run(runner, "evaluate", "--model", model_dir, "--data", tocode, "--json")
    (section,) = json.loads(result.stdout)["sections"]
    # The model was trained on the tiny corpus: only a5.txt is new to it, and
    # the evaluation keeps only that article's paragraphs.
    unseen = [row for row in coded if row["id"] == "a5.txt"]
    assert unseen, "the sample (seed 0) holds a paragraph of a5.txt"
    assert section["unit"] == "paragraphs" and section["n"] == len(unseen)
    assert section["left_out"] == SAMPLE - len(unseen)
    predicted = {row["text"]: row["stance"] for row in scored}
    agree = sum(predicted[row["text"]] == row["stance"] for row in unseen)
    accuracy = section["heads"]["stance"]["model"]["accuracy"]
    assert accuracy == round(agree / len(unseen), 4)
    for head in ("stance", "tone"):
        figures = section["heads"][head]
        assert 0 <= figures["model"]["macro_f1"] <= 1
        assert -1 <= figures["kappa"] <= 1

    # The paragraphs worth coding next: a sheet like the sample's, none of the
    # coded ones, no repeats.
    nxt = tmp_path / "next.csv"
    run(runner, "suggest", scores, "--n", SUGGEST, "--exclude", tocode,
        "--out", nxt)  # fmt: skip
    next_header, suggested = read_sheet(nxt)
    assert next_header == sample_header
    assert len(suggested) == SUGGEST
    texts = [row["text"] for row in suggested]
    assert len(set(texts)) == SUGGEST
    assert not set(texts) & {row["text"] for row in coded}

    # Both sheets coded, in one file, and a model retrained on them with the
    # project's data (no C search: fast).
    code(nxt)
    both = tmp_path / "coded.csv"
    with open(both, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sample_header)
        writer.writeheader()
        writer.writerows(read_sheet(tocode)[1] + read_sheet(nxt)[1])
    mine = tmp_path / "models" / "mine"
    run(runner, "train", "--data", both, "--with-default-data", "--weight", 5,
        "--no-select", "--out", mine)  # fmt: skip
    card = api.info(mine)
    yours, project = card["training_data"]["files"]
    assert (yours["path"], yours["rows"], yours["weight"]) == (
        str(both),
        SAMPLE + SUGGEST,
        5,
    )
    assert project["path"] == "default training data" and project["rows"] > 8000

    result = run(runner, "classify", "--model", mine, "--json", CORPUS[-1][1])
    labels = json.loads(result.stdout)
    assert labels["stance"]["label"] in ("abolitionist", "institutional", "reformist")
    # The new model on the coding it was trained on is no evaluation: refused,
    # with the way to an honest one (the procedure, documents held out).
    result = runner.invoke(app, ["evaluate", "--model", str(mine), "--data", str(both)])
    assert result.exit_code == 1
    assert "the model was trained on every document" in result.stderr
    assert f"framing evaluate --data {both}" in result.stderr
