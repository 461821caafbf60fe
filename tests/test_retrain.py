"""The shipped model must be exactly what `framing train` makes from data/."""

from pathlib import Path

import numpy as np
import pytest

from framing import api
from framing.codebook import LABEL_COLUMNS
from framing.dataset.load import load_dataset
from framing.model.storage import default_model_dir, load_model

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "paragraphs.csv"


@pytest.mark.slow
def test_retrain_reproduces_the_shipped_model(tmp_path):
    card = api.train(data=DATA, out=tmp_path / "model")
    shipped, shipped_card = load_model(default_model_dir())
    retrained, _ = load_model(tmp_path / "model")
    dataset = load_dataset(DATA)

    assert shipped_card["training_data"]["sha256"] == dataset.sha256, (
        "models/default was trained on other data: run `make model`"
    )
    assert retrained.extractor.config == shipped.extractor.config
    assert card["heads"] == shipped_card["heads"]
    assert card["document_model"] == shipped_card["document_model"]
    expected = shipped.predict_proba(dataset.texts)
    actual = retrained.predict_proba(dataset.texts)
    for column in LABEL_COLUMNS:
        assert shipped.classes(column) == retrained.classes(column)
        assert np.array_equal(expected[column].argmax(1), actual[column].argmax(1))
        np.testing.assert_allclose(actual[column], expected[column], atol=1e-9)


def test_retrain_default_model_is_found_from_the_package():
    assert (default_model_dir() / "card.json").is_file()


def test_retrain_data_build_reproduces_the_committed_dataset(tmp_path):
    from framing.dataset.build import build_dataset

    out = tmp_path / "paragraphs.csv"
    out.write_bytes(DATA.read_bytes())  # labels are kept by id from here
    build_dataset(
        REPO / "data" / "articles",
        out,
        REPO / "data" / "authored",
        documents_dir=[REPO / "data" / "documents", REPO / "data" / "realistic"],
    )
    assert out.read_bytes() == DATA.read_bytes()
    documents = REPO / "data" / "documents.csv"
    assert (tmp_path / "documents.csv").read_bytes() == documents.read_bytes()
