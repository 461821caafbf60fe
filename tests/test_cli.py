"""What a user sees from `framing classify`, `train`, `evaluate` and `info`: output,
one-line errors and exit codes (framing.cli)."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_csv

from framing.cli import app

ARTICLE = (
    "Police chief praised\n\n"
    "Abolish the police now: the police cannot be reformed, only ended.\n\n"
    "The chief constable praised officers for keeping the public safe and said the\n"
    "force would recruit more officers next year.\n\n"
    "Campaigners called for independent oversight and better vetting."
)


def classify_json(runner, tiny_model, *args, **kwargs) -> dict:
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--json", *args], **kwargs
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_error(result, code: int, *parts: str) -> None:
    """One `Error: ...` line on stderr naming each part, the exit code, no trace."""
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    # One line of text, and nothing else (no blank line from a progress bar).
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.stderr


def model_labels(tiny_model) -> dict:
    card = json.loads((tiny_model / "card.json").read_text())
    return {column: head["labels"] for column, head in card["heads"].items()}


# classify: the documented JSON


def test_cli_classify_json_has_documented_shape(runner, tiny_model):
    result = classify_json(runner, tiny_model, ARTICLE)
    labels = model_labels(tiny_model)
    assert list(result) == ["stance", "tone", "method", "paragraphs"]
    assert [row["index"] for row in result["paragraphs"]] == [0, 1, 2, 3]
    assert result["paragraphs"][2]["text"] == (
        "The chief constable praised officers for keeping the public safe and said "
        "the force would recruit more officers next year."
    )
    for item in [result, *result["paragraphs"]]:
        for column in ("stance", "tone"):
            head = item[column]
            assert set(head) == {"label", "confidence", "scores"}
            assert sorted(head["scores"]) == sorted(labels[column])
            assert sum(head["scores"].values()) == pytest.approx(1.0, abs=1e-3)
            assert head["label"] == max(head["scores"], key=head["scores"].get)
            assert head["confidence"] == max(head["scores"].values())
    for row in result["paragraphs"]:
        assert set(row) == {"index", "text", "stance", "tone"}


def test_cli_classify_document_is_length_weighted_mean(runner, tiny_model):
    result = classify_json(runner, tiny_model, ARTICLE)
    weights = [len(row["text"].split()) for row in result["paragraphs"]]
    for column in ("stance", "tone"):
        for label, score in result[column]["scores"].items():
            mean = sum(
                w * row[column]["scores"][label]
                for w, row in zip(weights, result["paragraphs"])
            ) / sum(weights)
            assert score == pytest.approx(mean, abs=1e-3)


def test_cli_classify_reads_stdin_with_dash(runner, tiny_model):
    from_argument = classify_json(runner, tiny_model, ARTICLE)
    from_stdin = classify_json(runner, tiny_model, "-", input=ARTICLE)
    assert from_stdin == from_argument


def test_cli_classify_reads_stdin_without_argument(runner, tiny_model):
    result = classify_json(runner, tiny_model, input="Abolish the police now.\n")
    assert [row["text"] for row in result["paragraphs"]] == ["Abolish the police now."]


def test_cli_classify_reads_file(runner, tiny_model, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert classify_json(runner, tiny_model, "--file", str(path)) == classify_json(
        runner, tiny_model, ARTICLE
    )


def test_cli_classify_file_in_windows_1252_warns(runner, tiny_model, tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(b"The officers\x92 union said the inquiry \x93failed\x94.")
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--json", "--file", str(path)]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["paragraphs"][0]["text"] == (
        "The officers\u2019 union said the inquiry \u201cfailed\u201d."
    )
    assert result.stderr == f"warning: {path}: not UTF-8; decoded as Windows-1252\n"


def test_cli_classify_min_confidence_gives_uncertain(runner, tiny_model):
    plain = classify_json(runner, tiny_model, ARTICLE)
    strict = classify_json(runner, tiny_model, "--min-confidence", "0.99", ARTICLE)
    pairs = [(plain, strict)] + list(zip(plain["paragraphs"], strict["paragraphs"]))
    uncertain = 0
    for before, after in pairs:
        for column in ("stance", "tone"):
            # Scores are unchanged; only a label below the threshold is withheld.
            assert after[column]["scores"] == before[column]["scores"]
            if before[column]["confidence"] < 0.99:
                assert after[column]["label"] == "uncertain"
                uncertain += 1
            else:
                assert after[column]["label"] == before[column]["label"]
    assert uncertain > 0  # a tiny model is never 99% sure of everything


def test_cli_classify_explain_adds_features_from_the_text(runner, tiny_model):
    result = classify_json(runner, tiny_model, "--explain", "--top", "3", ARTICLE)
    explained = 0
    for row in result["paragraphs"]:
        words = set(re.findall(r"\w\w+", row["text"].lower()))
        for column in ("stance", "tone"):
            features = row["explanation"][column]
            assert len(features) <= 3
            for feature in features:
                assert set(feature) == {"feature", "weight"}
                assert feature["weight"] > 0
                if feature["feature"].startswith("["):
                    continue  # a dense column such as [sentiment: compound]
                # Word n-grams of this paragraph (negated words marked NOT_).
                grams = feature["feature"].replace("NOT_", "").split()
                assert set(grams) <= words
            explained += len(features)
    assert explained > 0


def test_cli_classify_table_shows_paragraphs_and_whole(runner, tiny_model):
    result = runner.invoke(app, ["classify", "--model", str(tiny_model), ARTICLE])
    assert result.exit_code == 0
    as_json = classify_json(runner, tiny_model, ARTICLE)
    assert "paragraph by paragraph" in result.stdout
    assert "(whole text:" in result.stdout
    whole = as_json["stance"]
    assert f"{whole['label']} ({whole['confidence']:.2f})" in result.stdout


def test_cli_classify_explain_table_has_why_column(runner, tiny_model):
    args = ["classify", "--model", str(tiny_model), "--explain", ARTICLE]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "why" in result.stdout


# classify: bad input


@pytest.mark.parametrize(
    "args, stdin",
    [
        ([""], None),
        (["   \n\t"], None),
        (["-"], ""),
        ([], "  \n\n "),
        (["0\n\n687"], None),
    ],
)
def test_cli_classify_empty_text(runner, tiny_model, args, stdin):
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), *args], input=stdin
    )
    assert_error(result, 1, "no text to classify", "--file", "standard input")
    assert result.stdout == ""


def test_cli_classify_missing_file(runner, tiny_model, tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--file", str(missing)]
    )
    assert_error(result, 1)
    assert result.stderr == f"Error: {missing}: no such file\n"


def test_cli_classify_binary_file(runner, tiny_model, tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(64))
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--file", str(path)]
    )
    assert_error(result, 1)
    assert result.stderr == f"Error: {path}: binary file, not text\n"


def test_cli_classify_empty_file(runner, tiny_model, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--file", str(path)]
    )
    assert_error(result, 1, f"{path}: empty file")


def test_cli_classify_text_and_file_together_is_usage_error(
    runner, tiny_model, tmp_path
):
    path = tmp_path / "a.txt"
    path.write_text("Police said no.")
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--file", str(path), "words"]
    )
    assert_error(result, 2, "not both")


@pytest.mark.parametrize(
    "args, message",
    [
        (["classify", "--no-such-option", "text"], "No such option"),
        (["score"], "Missing argument"),
        (["classify", "--min-confidence", "1.5", "text"], "--min-confidence"),
        (["frobnicate"], "No such command"),
    ],
)
def test_cli_usage_error_exits_2(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


# model directories that cannot be used


@pytest.fixture
def model_copy(tiny_model, tmp_path):
    """A copy of the tiny model that a test may damage."""
    return shutil.copytree(tiny_model, tmp_path / "model")


def classify_with(runner, model_dir):
    return runner.invoke(app, ["classify", "--model", str(model_dir), "Police."])


def test_cli_model_directory_missing(runner, tmp_path):
    missing = tmp_path / "no-model"
    result = classify_with(runner, missing)
    assert_error(result, 1, f"model directory {missing} does not exist")
    assert "pass --model DIR or train one with 'framing train'" in result.stderr


def test_cli_model_without_arrays(runner, model_copy):
    (model_copy / "model.npz").unlink()
    result = classify_with(runner, model_copy)
    assert_error(result, 1, f"{model_copy} has no model.npz")
    assert "copy the whole model directory" in result.stderr


def test_cli_model_without_card(runner, model_copy):
    (model_copy / "card.json").unlink()
    result = classify_with(runner, model_copy)
    assert_error(result, 1, "has no card.json; it is not a complete framing model")


@pytest.mark.parametrize(
    "damage", ['{"format": "framing-model/1", ', "", "\xff\xfe not text", "[1, 2]"]
)
def test_cli_model_damaged_card(runner, model_copy, damage):
    (model_copy / "card.json").write_text(damage, encoding="latin-1")
    result = classify_with(runner, model_copy)
    assert_error(result, 1, f"{model_copy / 'card.json'}", "retrain")


def test_cli_model_arrays_altered(runner, model_copy):
    arrays = model_copy / "model.npz"
    raw = bytearray(arrays.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    arrays.write_bytes(bytes(raw))
    result = classify_with(runner, model_copy)
    assert_error(
        result, 1, f"{arrays} does not match its card (SHA-256 differs)", "retrain"
    )


def test_cli_model_arrays_truncated_with_matching_digest(runner, model_copy):
    # Someone "fixed" the digest: the file is still no model, and says so.
    arrays = model_copy / "model.npz"
    arrays.write_bytes(arrays.read_bytes()[:100])
    card = json.loads((model_copy / "card.json").read_text())
    card["files"]["model.npz"] = hashlib.sha256(arrays.read_bytes()).hexdigest()
    (model_copy / "card.json").write_text(json.dumps(card))
    result = classify_with(runner, model_copy)
    assert_error(result, 1, f"{arrays} is not a valid framing model", "retrain")


def test_cli_model_from_another_scikit_learn_still_predicts_and_says_so(
    runner, model_copy
):
    # Prediction uses only the stored arrays, so another scikit-learn does not
    # matter to it; the card says so, for whoever wants to retrain.
    card = json.loads((model_copy / "card.json").read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    (model_copy / "card.json").write_text(json.dumps(card))
    assert classify_with(runner, model_copy).exit_code == 0
    info = runner.invoke(app, ["info", "--model", str(model_copy)])
    assert info.exit_code == 0
    assert "trained with scikit-learn 0.24.2" in " ".join(info.stdout.split())


@pytest.mark.parametrize("command", ["classify", "info", "evaluate", "score"])
def test_cli_every_model_command_checks_the_model(runner, tmp_path, command):
    missing = tmp_path / "no-model"
    (tmp_path / "a.txt").write_text("Police.")
    args = {"classify": ["Police."], "score": [str(tmp_path)]}.get(command, [])
    result = runner.invoke(app, [command, "--model", str(missing), *args])
    assert_error(result, 1, f"model directory {missing} does not exist")


def test_cli_info_shows_card(runner, tiny_model):
    result = runner.invoke(app, ["info", "--model", str(tiny_model), "--json"])
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert card.pop("location") == str(tiny_model.resolve())
    assert card == json.loads((tiny_model / "card.json").read_text())
    shipped = json.loads(runner.invoke(app, ["info", "--json"]).stdout)
    assert (Path(shipped["location"]) / "model.npz").is_file()
    table = runner.invoke(app, ["info", "--model", str(tiny_model)])
    assert table.exit_code == 0
    assert card["training_data"]["sha256"] in table.stdout


# train


def test_cli_train_writes_model_and_card(runner, tiny_csv, tmp_path):
    out = tmp_path / "new-model"
    result = runner.invoke(
        app, ["train", "--data", str(tiny_csv), "--out", str(out), "--no-select"]
    )
    assert result.exit_code == 0, result.output
    assert f"Saved to {out}" in result.stdout
    card = json.loads((out / "card.json").read_text())
    assert card["training_data"]["sha256"] == (
        hashlib.sha256(tiny_csv.read_bytes()).hexdigest()
    )
    assert card["training_data"]["rows"] == 13
    assert card["heads"]["tone"]["labels"] == [
        "critical",
        "hostile",
        "neutral",
        "supportive",
    ]
    assert card["files"]["model.npz"] == (
        hashlib.sha256((out / "model.npz").read_bytes()).hexdigest()
    )


def test_cli_train_is_deterministic(runner, tiny_csv, tmp_path, tiny_model):
    out = tmp_path / "again"
    args = ["train", "--data", str(tiny_csv), "--out", str(out), "--no-select"]
    assert runner.invoke(app, args).exit_code == 0
    first = classify_json(runner, tiny_model, ARTICLE)
    assert classify_json(runner, out, ARTICLE) == first


def test_cli_train_refuses_to_overwrite_before_reading_data(runner, tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    # The data does not even exist: the output is checked first.
    args = ["train", "--data", str(tmp_path / "missing.csv"), "--out", str(out)]
    result = runner.invoke(app, args)
    assert_error(result, 1, f"{out} already holds files; pass --force to overwrite")
    assert (out / "keep.txt").read_text() == "mine"


def test_cli_train_checks_output_before_training(
    runner, tiny_csv, tmp_path, monkeypatch
):
    import framing.dataset.load

    def slow_load(*args, **kwargs):
        raise AssertionError("the dataset was read before the output was checked")

    monkeypatch.setattr(framing.dataset.load, "load_dataset", slow_load)
    out = tmp_path / "model"
    out.mkdir()
    (out / "card.json").write_text("{}")
    result = runner.invoke(app, ["train", "--data", str(tiny_csv), "--out", str(out)])
    assert_error(result, 1, "already holds files; pass --force to overwrite")


def test_cli_train_out_is_a_file(runner, tiny_csv, tmp_path):
    out = tmp_path / "model.txt"
    out.write_text("x")
    result = runner.invoke(app, ["train", "--data", str(tiny_csv), "--out", str(out)])
    assert_error(result, 1, f"{out} is a file; give a directory for the model")


def test_cli_train_out_in_missing_folder_is_created(runner, tiny_csv, tmp_path):
    out = tmp_path / "nowhere" / "model"
    args = ["train", "--data", str(tiny_csv), "--out", str(out), "--no-select"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "card.json").is_file() and (out / "model.npz").is_file()


def test_cli_train_out_under_a_file_is_refused(runner, tiny_csv, tmp_path):
    (tmp_path / "plain").write_text("x")
    out = tmp_path / "plain" / "model"
    result = runner.invoke(app, ["train", "--data", str(tiny_csv), "--out", str(out)])
    assert_error(result, 1, f"cannot create {out}: ")


def test_cli_train_needs_out(runner, tiny_csv):
    result = runner.invoke(app, ["train", "--data", str(tiny_csv)])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_cli_train_force_overwrites(runner, tiny_csv, tiny_model, tmp_path):
    out = shutil.copytree(tiny_model, tmp_path / "model")
    (out / "card.json").write_text("damaged")
    args = ["train", "--data", str(tiny_csv), "--out", str(out), "--no-select"]
    assert runner.invoke(app, args).exit_code == 1
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "card.json").read_text())["format"] == "framing-model/2"


# evaluate


def test_cli_evaluate_single_article(runner, tiny_model, tiny_rows, tmp_path):
    for row in tiny_rows:
        row["article"] = "only.txt"
    data = write_csv(tmp_path / "one-article.csv", tiny_rows)
    result = runner.invoke(app, ["evaluate", "--data", str(data), "--no-select"])
    assert_error(
        result,
        1,
        "needs evaluable rows from at least 2, got 1",
        "name each row's document in an 'article' column",
    )


# python -m framing


def test_cli_python_m_framing_help():
    result = subprocess.run(
        [sys.executable, "-m", "framing", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for command in ("train", "classify", "score", "evaluate", "info"):
        assert command in result.stdout
