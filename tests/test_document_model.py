"""Whole documents by the document rule: a document model trained on documents
whose thesis sits in their conclusion labels a new such document by its thesis,
where the length-weighted mean of its paragraphs goes with the majority."""

import csv
import random

from framing import api
from framing.labelling import label_documents

WORDS = {
    "abolitionist": "abolish disband dismantle defund smash oppression".split(),
    "reformist": "inquiry watchdog vetting accountability failures review".split(),
    "institutional": "commissioner operation confidence honour procedure plan".split(),
}
TONES = {"abolitionist": "hostile", "reformist": "critical", "institutional": "neutral"}
FILLER = "the of and to in on with for at by".split()


def _paragraph(rng, stance, n):
    words = rng.sample(WORDS[stance], 3) + rng.sample(FILLER, 4)
    rng.shuffle(words)
    return " ".join(words) + f" item{n}."


def _write(tmp_path, documents: int, seed: int):
    """Paragraph rows and document rows: each document has three paragraphs of one
    stance and a conclusion of another, and is labelled by its conclusion."""
    rng = random.Random(seed)
    stances = sorted(WORDS)
    paragraphs, labels = [], []
    for d in range(documents):
        body, thesis = rng.sample(stances, 2)
        doc = f"doc{d}"
        for p, stance in enumerate([body, body, body, thesis]):
            paragraphs.append(
                {
                    "id": f"{doc}-{p}",
                    "article": doc,
                    "paragraph": p,
                    "text": _paragraph(rng, stance, len(paragraphs)),
                    "stance": stance,
                    "tone": TONES[stance],
                }
            )
        labels.append({"id": doc, "stance": thesis, "tone": TONES[thesis]})
    for name, rows in (("paragraphs.csv", paragraphs), ("documents.csv", labels)):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path / "paragraphs.csv"


def test_documents_conclusion_calling_for_abolition_beats_the_mean(tmp_path):
    data = _write(tmp_path, documents=60, seed=1)
    # One C and one process: the test is about documents, not the search.
    card = api.train(data=data, out=tmp_path / "model", c_grid=(8.0,), jobs=1)
    assert card["document_model"] == ["stance", "tone"]
    figures = card["selection"]["document"]["stance"]
    assert figures["used"]
    assert figures["macro_f1_document_model"] > figures["macro_f1_length_weighted_mean"]

    model, _card = api.load(tmp_path / "model")
    rng = random.Random(99)
    document = [_paragraph(rng, "reformist", 1000 + i) for i in range(3)]
    document.append(_paragraph(rng, "abolitionist", 2000))
    result = label_documents(model, [document])[0]
    assert [p["stance"]["label"] for p in result["paragraphs"]] == [
        "reformist",
        "reformist",
        "reformist",
        "abolitionist",
    ]
    assert result["method"] == "document model"
    assert result["stance"]["label"] == "abolitionist"
    probabilities = model.predict_proba(document)
    mean = probabilities["stance"].mean(axis=0)  # the paragraphs are equally long
    assert model.classes("stance")[int(mean.argmax())] == "reformist"


def test_documents_file_beside_the_data_is_used_and_recorded(tmp_path):
    data = _write(tmp_path, documents=30, seed=2)
    card = api.train(data=data, out=tmp_path / "model", select=False)
    assert card["training_data"]["documents"]["documents"] == 30
    (tmp_path / "documents.csv").unlink()
    card = api.train(data=data, out=tmp_path / "model2", select=False)
    assert card["training_data"]["documents"] is None
    assert card["document_model"] == []


def test_train_families_option_switches_families_and_the_card_says_so(tmp_path):
    data = _write(tmp_path, documents=12, seed=3)
    card = api.train(
        data=data, out=tmp_path / "m1", select=False, families=["negation", "voice"]
    )
    assert card["feature_families"] == ["negation", "voice"]
    card = api.train(data=data, out=tmp_path / "m2", select=False, families=[])
    assert card["feature_families"] == []
    import pytest

    from framing.errors import InputError

    with pytest.raises(InputError, match="no feature family 'stemming'"):
        api.train(data=data, out=tmp_path / "m3", families=["stemming"])


def test_document_model_batch_summaries_match_each_document_alone():
    import numpy as np

    from framing.model.scorer import batch_summaries

    rng = np.random.default_rng(3)
    counts = np.array([1, 4, 2, 7, 1, 3])
    logits = rng.normal(size=(counts.sum(), 3))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    weights = rng.integers(1, 40, size=counts.sum()).astype(float)
    batch = batch_summaries(probabilities, weights, counts)
    start = 0
    for row, count in zip(batch, counts):
        p, w = probabilities[start : start + count], weights[start : start + count]
        wins = np.bincount(p.argmax(axis=1), minlength=3) / count
        expected = np.concatenate([w @ p / w.sum(), p.max(0), p[0], p[-1], wins])
        np.testing.assert_allclose(row, expected, rtol=1e-12)
        start += count


def test_document_model_labels_without_paragraph_rows_are_the_same(tmp_path):
    data = _write(tmp_path, documents=60, seed=1)
    api.train(data=data, out=tmp_path / "model", c_grid=(8.0,), jobs=1)
    model, _card = api.load(tmp_path / "model")
    assert model.document_heads  # the document model, not only the mean
    documents = [["Abolish it.", "Review the force."], ["Thank the officers."]]
    full = label_documents(model, documents)
    bare = label_documents(model, documents, paragraph_rows=False)
    for whole, lean in zip(full, bare):
        assert "paragraphs" not in lean
        assert lean["paragraph_count"] == len(whole["paragraphs"])
        assert all(lean[c] == whole[c] for c in ("stance", "tone", "method"))
