"""Grouped evaluation must tell the truth: high where the held-out article is
learnable, low where it is not, and never scored on training-only rows."""

import csv
import random

import pytest

from framing import api
from framing.dataset.diversity import (
    near_duplicates,
    shared_runs,
    strongest_ngrams,
    topic_register_shortcut,
)
from framing.dataset.training import training_set
from framing.errors import DataError
from framing.evaluation.grouped import held_out_section
from framing.evaluation.metrics import expected_calibration_error
from framing.evaluation.run import score_on_labels
from framing.model.extractor import FeatureConfig
from framing.render.report import write_report

# Each stance/tone pair has its own words, shared by every article: learnable.
WORDS = {
    ("abolitionist", "hostile"): "smash abolish disband the rotten gang",
    ("reformist", "critical"): "inquiry watchdog vetting failures accountability",
    ("institutional", "supportive"): "proud honour officers commissioner confidence",
    ("reformist", "neutral"): "report published figures recorded complaints",
}
FILLER = "the a of in on and to with for".split()


def _rows(articles: int, per_pair: int, *, scramble: str | None = None, seed=0):
    """A toy dataset; in article `scramble` the words belong to random labels."""
    rng = random.Random(seed)
    pairs = list(WORDS)
    rows = []
    for a in range(articles):
        article = f"art{a}.txt"
        for (stance, tone), words in WORDS.items():
            for k in range(per_pair):
                chosen = words.split()
                text = " ".join(rng.sample(chosen, 3) + rng.sample(FILLER, 3))
                text += f" paragraph {a} {k} {stance[:2]}"
                if article == scramble:
                    stance, tone = rng.choice(pairs)
                    text = " ".join(rng.sample(FILLER, 4)) + f" filler {len(rows)}"
                rows.append(
                    {
                        "id": f"{a}-{stance}-{k}",
                        "article": article,
                        "text": text,
                        "stance": stance,
                        "tone": tone,
                        "source": "seed",
                    }
                )
    return rows


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _procedure(path, rows, **options):
    """The held-out evaluation of the training procedure on toy rows."""
    training = training_set(_write(path, rows))
    options.setdefault("select", False)
    return held_out_section(
        training,
        features=FeatureConfig(),
        evaluable=training.evaluable,
        name="toy",
        bootstrap_samples=50,
        **options,
    )


def _stance_f1(section):
    return section["heads"]["stance"]["model"]["macro_f1"]


def test_evaluate_learnable_articles_score_high(tmp_path):
    section = _procedure(tmp_path / "d.csv", _rows(4, 3))
    assert _stance_f1(section) >= 0.9
    assert section["n"] == 4 * 4 * 3


def test_evaluate_unlearnable_held_out_article_scores_low(tmp_path):
    section = _procedure(tmp_path / "d.csv", _rows(4, 3, scramble="art3.txt"))
    folds = {f["held_out"]: f["macro_f1"] for f in section["folds"]}
    assert folds["art3.txt"]["stance"] < 0.5
    assert folds["art3.txt"]["tone"] < 0.5
    assert all(folds[a]["stance"] >= 0.9 for a in ("art0.txt", "art1.txt", "art2.txt"))
    assert _stance_f1(section) < 0.9


def test_evaluate_never_scores_authored_rows(tmp_path):
    rows = _rows(3, 3)
    for r in rows[:6]:
        r["source"] = "authored"
        r["article"] = ""
    section = _procedure(tmp_path / "d.csv", rows)
    assert section["heads"]["stance"]["model"]["n"] == len(rows) - 6
    assert "" not in {f["held_out"] for f in section["folds"]}


def test_evaluate_nested_selection_records_each_fold_and_baselines(tmp_path):
    # A cheap grid and few folds: the test checks what is recorded, not the grid.
    section = _procedure(
        tmp_path / "d.csv", _rows(6, 2), select=True, c_grid=(1.0, 4.0), folds=3
    )
    assert len(section["folds"]) == 3
    assert all(set(f["C"]) == {"stance", "tone"} for f in section["folds"])
    assert all(v in (1.0, 4.0) for f in section["folds"] for v in f["C"].values())
    tone = section["heads"]["tone"]
    assert set(tone["baselines"]) == {"majority", "VADER"}
    low, high = section["heads"]["stance"]["macro_f1_ci95"]
    assert low <= section["heads"]["stance"]["model"]["macro_f1"] <= high


def test_evaluate_report_writes_markdown_and_png_figures(tmp_path):
    section = _procedure(tmp_path / "d.csv", _rows(3, 3))
    page = write_report({"sections": [section]}, tmp_path / "report")
    text = page.read_text(encoding="utf-8")
    figures = sorted((tmp_path / "report").glob("*.png"))
    assert "macro-F1" in text and "majority (baseline)" in text
    assert len(figures) == 3  # two confusion matrices and a reliability diagram
    for figure in figures:
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert figure.name in text


def test_evaluate_a_model_on_labels_it_never_saw(tmp_path, tiny_model):
    scorer, card = api.load(tiny_model)
    rows = _rows(2, 2)
    section = score_on_labels(scorer, card, _write(tmp_path / "coded.csv", rows))[0]
    stance = section["heads"]["stance"]
    assert stance["model"]["n"] == len(rows)
    assert -1 <= stance["kappa"] <= 1
    assert set(stance["baselines"]) == {"majority"}


def test_evaluate_refuses_the_models_own_training_data(tmp_path, tiny_model, tiny_data):
    """The same file, or its paragraphs in another file (reordered, spaced
    differently): an evaluation on training data is refused, not reported."""
    scorer, card = api.load(tiny_model)
    with pytest.raises(DataError, match="trained on every document"):
        score_on_labels(scorer, card, tiny_data)
    rows = list(csv.DictReader(open(tiny_data, encoding="utf-8")))[::-1]
    for row in rows:
        row["text"] = "  " + row["text"].replace(" ", "  ")
    with pytest.raises(DataError, match="trained on every document"):
        score_on_labels(scorer, card, _write(tmp_path / "copy.csv", rows))


def test_evaluate_leaves_out_documents_the_model_trained_on(
    tmp_path, tiny_model, tiny_data
):
    """A document one of whose paragraphs the model trained on is left out
    whole (the model saw the article), and the section says how many."""
    scorer, card = api.load(tiny_model)
    unseen = _rows(2, 2)
    trained = next(csv.DictReader(open(tiny_data, encoding="utf-8")))
    seen = [
        dict(unseen[0], article="seen.txt", text=trained["text"]),
        dict(unseen[1], article="seen.txt", text="A paragraph of that article."),
    ]
    path = _write(tmp_path / "coded.csv", unseen + seen)
    section = score_on_labels(scorer, card, path)[0]
    assert section["left_out"] == 2
    assert section["heads"]["stance"]["model"]["n"] == len(unseen)
    assert (
        "left_out"
        not in score_on_labels(scorer, card, _write(tmp_path / "u.csv", unseen))[0]
    )


def test_evaluate_labels_the_model_does_not_know_are_a_clear_error(
    tmp_path, tiny_model
):
    scorer, card = api.load(tiny_model)
    rows = _rows(2, 1)
    for row in rows:
        row["stance"] = "pro-police"
    path = _write(tmp_path / "coded.csv", rows)
    with pytest.raises(DataError, match="'pro-police' is not one the model knows"):
        score_on_labels(scorer, card, path, own_labels=True)


def test_evaluate_metrics_of_one_label_warn_nothing(recwarn):
    """Coding with one label only (a first, tiny batch) gives its figures
    without scikit-learn's warning on stderr: the matrix has every label."""
    from framing.evaluation.metrics import classification_metrics

    metrics = classification_metrics(["a", "a"], ["a", "a"], ["a", "b"])
    assert metrics["confusion"]["matrix"] == [[2, 0], [0, 0]]
    assert not [w for w in recwarn if "single label" in str(w.message)]


def test_evaluate_calibration_error_is_zero_when_confidence_matches_accuracy():
    confidence = [0.75] * 4 + [0.5] * 4
    correct = [True, True, True, False, True, False, True, False]
    assert expected_calibration_error(confidence, correct) == 0.0
    assert expected_calibration_error([0.95] * 4, [False] * 4) == pytest.approx(0.95)


def test_diversity_flags_a_signature_word_and_near_copies():
    texts = [f"zebra report {i} on the vetting case today" for i in range(6)]
    texts += [f"ordinary report {i} on the vetting case today" for i in range(6)]
    labels = ["reformist"] * 6 + ["institutional"] * 6
    signature = strongest_ngrams(texts, labels, top=3)
    assert "zebra" in signature["reformist"]["ngrams"]
    assert signature["reformist"]["share_in_class"] == 1.0
    assert signature["reformist"]["share_elsewhere"] == 0.0

    ids = ["a", "b", "c"]
    pairs = near_duplicates(
        ids,
        [
            "The inquiry found the force failed victims of domestic abuse.",
            "The inquiry found the force failed the victims of domestic abuse.",
            "Officers arrested two men after a burglary in Leeds.",
        ],
    )
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]

    reused = shared_runs(
        ["x"],
        ["As one writer put it the Met is rotten from top to bottom today"],
        ["seed1"],
        ["Patel now believes that the Met is rotten from top to bottom and more"],
    )
    assert reused and reused[0][:2] == ("x", "seed1")


def _shortcut_rows(leaky: bool, seed: int = 0):
    """Topics x registers x stances; in the leaky set each register holds one
    stance (as 0.1's 'abolitionist_collective' did)."""
    rng = random.Random(seed)
    stances = ["abolitionist", "reformist", "institutional"]
    registers = ["column", "wire_report", "campaign_group_statement", "blog_post"]
    topics, regs, labels = [], [], []
    for t in range(12):
        for r, register in enumerate(registers):
            for k in range(3):
                stance = stances[r % 3] if leaky else stances[k]
                topics.append(f"topic{t}")
                regs.append(register)
                labels.append(stance)
    order = list(range(len(labels)))
    rng.shuffle(order)
    return (
        [topics[i] for i in order],
        [regs[i] for i in order],
        [labels[i] for i in order],
    )


def test_shortcut_check_fails_a_leaky_toy_set_and_passes_a_balanced_one():
    leaky = topic_register_shortcut(*_shortcut_rows(leaky=True))
    assert not leaky["passed"]
    assert leaky["macro_f1"] > leaky["majority_macro_f1"] + 0.3
    balanced = topic_register_shortcut(*_shortcut_rows(leaky=False))
    assert balanced["passed"]


def test_data_check_exits_1_and_names_the_shortcut(tmp_path, runner):
    from framing.cli import app

    topics, registers, labels = _shortcut_rows(leaky=True)
    tones = {
        "abolitionist": "hostile",
        "reformist": "critical",
        "institutional": "neutral",
    }
    rows = [
        {
            "id": f"r{i}",
            "text": f"paragraph {i} about {t} in a {r}",
            "stance": s,
            "tone": tones[s],
            "source": "authored",
            "register": r,
            "topic": t,
        }
        for i, (t, r, s) in enumerate(zip(topics, registers, labels))
    ]
    data = _write(tmp_path / "leaky.csv", rows)
    result = runner.invoke(
        app, ["data", "check", "--data", str(data), "--out", str(tmp_path / "d.md")]
    )
    assert result.exit_code == 1
    assert "topic and register alone predict stance" in result.stderr
    assert "| FAIL |" in (tmp_path / "d.md").read_text(encoding="utf-8")


def test_report_without_matplotlib_names_the_extra(tmp_path, monkeypatch):
    import sys

    from framing.errors import FramingError

    section = _procedure(tmp_path / "d.csv", _rows(3, 2))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    with pytest.raises(FramingError, match=r"pip install 'framing\[report\]'"):
        write_report({"sections": [section]}, tmp_path / "report")


def test_evaluate_shipped_scores_the_shipped_model_on_your_labels(tmp_path):
    from typer.testing import CliRunner

    from framing.cli import app

    path = _write(tmp_path / "coded.csv", _rows(2, 2))
    result = CliRunner().invoke(app, ["evaluate", "--shipped", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert "kappa" in result.output.lower()
    clash = CliRunner().invoke(
        app, ["evaluate", "--shipped", "--model", str(tmp_path), "--data", str(path)]
    )
    assert clash.exit_code == 2 and "give one" in clash.output
    alone = CliRunner().invoke(app, ["evaluate", "--shipped"])
    assert alone.exit_code == 2 and "--data" in alone.output
