"""From probabilities to labelled results (framing.labelling), through the plain API."""

import numpy as np
import pytest

from framing import api
from framing.errors import InputError
from framing.labelling import UNCERTAIN, label_documents, label_result
from framing.model.scorer import word_counts

ARTICLE = (
    "Abolish the police now: the police cannot be reformed.\n\n"
    "The chief constable praised officers for keeping the public safe on Saturday "
    "and said the force would recruit more officers next year."
)


def test_predict_label_result_picks_top_class():
    result = label_result(["a", "b", "c"], np.array([0.2, 0.5, 0.3]))
    assert result == {
        "label": "b",
        "confidence": 0.5,
        "scores": {"a": 0.2, "b": 0.5, "c": 0.3},
    }


@pytest.mark.parametrize(
    "threshold, label",
    [(0.0, "b"), (0.55, "b"), (0.55001, UNCERTAIN), (1.0, UNCERTAIN)],
)
def test_predict_label_result_uncertain_below_min_confidence(threshold, label):
    result = label_result(["a", "b"], np.array([0.45, 0.55]), threshold)
    assert result["label"] == label
    assert result["confidence"] == 0.55
    assert result["scores"] == {"a": 0.45, "b": 0.55}


def test_predict_word_counts_are_at_least_one():
    assert word_counts(["one two three", "", "four"]).tolist() == [3.0, 1.0, 1.0]


def test_predict_document_without_a_document_model_is_the_length_weighted_mean(
    tiny_model,
):
    model, _card = api.load(tiny_model)
    paragraphs = ["Abolish the police now.", "Officers kept the public safe today."]
    probabilities = model.predict_proba(paragraphs)
    whole, method = model.document_probabilities(probabilities, paragraphs)
    assert method == "length-weighted mean"
    weights = np.array([4.0, 6.0])  # words per paragraph
    for column, p in probabilities.items():
        np.testing.assert_allclose(whole[column], weights @ p / weights.sum())
    single, method = model.document_probabilities(
        {c: p[:1] for c, p in probabilities.items()}, paragraphs[:1]
    )
    assert method == "single paragraph"
    assert all(np.array_equal(single[c], p[0]) for c, p in probabilities.items())


def test_predict_long_paragraph_outvotes_short_one(tiny_model):
    model, _card = api.load(tiny_model)
    short = "Abolish the police."
    long = (
        "The chief constable praised officers for keeping the public safe, "
        "thanked brave officers for their work and said the force would recruit "
        "more officers to keep the town centre safe."
    )
    alone = {p: label_documents(model, [[p]])[0] for p in (short, long)}
    both = label_documents(model, [[short, long]])[0]
    assert alone[short]["stance"]["label"] != alone[long]["stance"]["label"]
    assert both["stance"]["label"] == alone[long]["stance"]["label"]


def test_predict_label_documents_matches_model_probabilities(tiny_model):
    model, _card = api.load(tiny_model)
    paragraphs = ["Abolish the police now.", "Officers kept the public safe."]
    result = label_documents(model, [paragraphs])[0]
    probabilities = model.predict_proba(paragraphs)
    for column in ("stance", "tone"):
        classes = model.classes(column)
        for index, row in enumerate(result["paragraphs"]):
            expected = probabilities[column][index]
            assert row[column]["label"] == classes[int(np.argmax(expected))]
            assert row[column]["scores"] == pytest.approx(
                dict(zip(classes, expected)), abs=1e-4
            )


def test_predict_label_documents_refuses_a_document_without_paragraphs(tiny_model):
    model, _card = api.load(tiny_model)
    with pytest.raises(InputError, match="no paragraphs to classify"):
        label_documents(model, [["Abolish the police."], []])


def test_predict_api_classify_splits_and_labels(tiny_model):
    result = api.classify(ARTICLE, model_dir=tiny_model)
    assert [row["index"] for row in result["paragraphs"]] == [0, 1]
    assert result["paragraphs"][0]["text"] == (
        "Abolish the police now: the police cannot be reformed."
    )
    assert set(result) == {"stance", "tone", "method", "paragraphs"}
    assert result["method"] == "length-weighted mean"  # the tiny model has none


@pytest.mark.parametrize("text", ["", "   \n\n\t", "0\n\n687\n\n---"])
def test_predict_api_classify_refuses_empty_or_junk_text(tiny_model, text):
    with pytest.raises(InputError, match="no text to classify"):
        api.classify(text, model_dir=tiny_model)


def test_predict_api_classify_explain_limits_features(tiny_model):
    result = api.classify(ARTICLE, model_dir=tiny_model, explain=2)
    for row in result["paragraphs"]:
        for column in ("stance", "tone"):
            features = row["explanation"][column]
            assert 1 <= len(features) <= 2
            weights = [f["weight"] for f in features]
            assert weights == sorted(weights, reverse=True)
            assert all(w > 0 for w in weights)
    assert (
        "explanation"
        not in api.classify(ARTICLE, model_dir=tiny_model)["paragraphs"][0]
    )
