"""Our feature extractor: TF-IDF equal to scikit-learn's on the plain
configuration, and every feature family can be switched off."""

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.model.extractor import FAMILIES, FeatureConfig, FeatureExtractor
from framing.model.lexicon import boosters, lexicon

CORPUS = [
    "The Commissioner said the force would root out every rogue officer.",
    "Abolish the police: no reform can fix an institution built on violence.",
    "The review found the Met institutionally racist, misogynist and homophobic.",
    "Officers patrolled the town centre on Saturday, the force said.",
    "We oppose any attempt to defund the police; our officers deserve more.",
    "Defund the police and fund housing, schools and care instead.",
    "A ‘great success’ for the Met: three arrests, one broken arm!!",
    "Did the inquiry change anything? Not for the families it failed.",
] * 3


def _hostile(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    pieces = "police POLICE défund état ’ — \u00a0 \u2028 \x00 \ud800 İ ß _x_ 42 a !!"
    pieces = pieces.split(" ") + ["  ", "\n\n", "Σς"]
    return [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(n)
    ]


def test_extractor_plain_tfidf_equals_scikit_learn():
    train = CORPUS + _hostile(1, 200)
    test = CORPUS[:5] + _hostile(2, 300) + ["", "a", "!!!"]
    ours = FeatureExtractor.fit(train, FeatureConfig())
    reference = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, max_df=0.9, sublinear_tf=True
    ).fit(train)
    assert ours.terms == reference.get_feature_names_out().tolist()
    np.testing.assert_allclose(ours.idf, reference.idf_, rtol=0, atol=1e-12)
    a, b = ours.transform(test).to_scipy(), reference.transform(test)
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    np.testing.assert_allclose(a.data, b.data, rtol=0, atol=1e-12)


def test_extractor_a_paragraph_gets_the_same_features_in_any_batch():
    extractor = FeatureExtractor.fit(
        CORPUS, FeatureConfig(negation=True, sentiment=True)
    )
    alone = extractor.transform([CORPUS[4]])
    batch = extractor.transform(CORPUS[:8])
    assert np.array_equal(
        alone.indices, batch.indices[batch.indptr[4] : batch.indptr[5]]
    )
    assert np.array_equal(alone.data, batch.data[batch.indptr[4] : batch.indptr[5]])
    assert np.array_equal(alone.dense[0], batch.dense[4])


@pytest.mark.parametrize("family", FAMILIES)
def test_extractor_each_family_can_be_switched_off(family):
    everything = FeatureConfig(**{f: True for f in FAMILIES})
    without = FeatureConfig(**{f: f != family for f in FAMILIES})
    on = FeatureExtractor.fit(CORPUS, everything, lexicon(), boosters())
    off = FeatureExtractor.fit(CORPUS, without, lexicon(), boosters())
    assert family in everything.families and family not in without.families
    if family == "negation":
        assert any(t.startswith("NOT_") for t in on.terms)
        assert not any(t.startswith("NOT_") for t in off.terms)
    else:
        assert any(n.startswith(f"[{family}:") for n in on.names())
        assert not any(n.startswith(f"[{family}:") for n in off.names())
    assert off.transform(CORPUS).dense.shape[1] == len(off.dense_names)


def test_extractor_dense_families_read_voice_and_markers():
    extractor = FeatureExtractor.fit(
        CORPUS,
        FeatureConfig(negation=True, voice=True, markers=True, sentiment=True),
        lexicon(),
        boosters(),
    )
    rows = extractor.transform(
        [
            "Defund the police now!",
            "We oppose any attempt to defund the police.",
            '"We will not rest," the chief said.',
            "A ‘great success’, apparently.",
        ]
    )
    names = extractor.dense_names
    value = {name: rows.dense[:, names.index(name)] for name in names}
    assert value["[markers: abolition]"].tolist()[:2] == [pytest.approx(1 / 3), 0.0]
    assert value["[markers: abolition negated]"][1] > 0
    assert value["[voice: exclamation]"][0] > 0
    assert (
        value["[voice: attribution]"][2] > 0 and value["[voice: quote share]"][2] > 0.3
    )
    assert value["[voice: scare quotes]"][3] > 0
    assert value["[sentiment: positive]"][3] > 0
