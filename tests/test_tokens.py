"""Tokens: the fast path equals the plain reference, and negation marks the words
a negation governs up to the end of its clause."""

from contextlib import contextmanager

import pytest
from conftest import modules_imported_by
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.model import tokens as tokens_module
from framing.model.tokens import (
    NEGATION_CUES,
    NEGATION_PAIRS,
    TokenIds,
    distinct_sorted,
    tokens,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "We oppose any attempt to defund the police; our officers deserve more.",
            "we oppose NOT_any NOT_attempt NOT_to NOT_defund NOT_the NOT_police "
            "our officers deserve more",
        ),
        ("Defund the police.", "defund the police"),
        ("Do not defund them, fund them", "do not NOT_defund NOT_them fund them"),
        ("We don't trust the force.", "we do not NOT_trust NOT_the NOT_force"),
        (
            "Not a reform but a rebrand",
            "not NOT_reform but rebrand",  # 'a' is one letter: not a token
        ),
        (
            "Fund housing rather than police",
            "fund housing rather than NOT_police",
        ),
        (
            "Nobody wants abolition. Abolish it!",
            "nobody NOT_wants NOT_abolition abolish it",
        ),
    ],
)
def test_tokens_negation_marks_its_clause(text, expected):
    assert tokens(text, negation=True) == expected.split()


def test_tokens_without_negation_are_scikit_learns():
    from sklearn.feature_extraction.text import CountVectorizer

    analyse = CountVectorizer().build_analyzer()
    text = "Don't defund the Met’s officers — ÉTAT, état, 2024, x_y, a b"
    assert tokens(text) == analyse(text)


def _dictionary(texts, negation):
    found = {t for text in texts for t in tokens(text, negation=negation)}
    found |= {t[4:] for t in found if t.startswith("NOT_")}
    found |= set(NEGATION_CUES) | {w for pair in NEGATION_PAIRS for w in pair}
    return sorted(found | {"but"})


# Capitals, typographic punctuation, and the characters whose lower case is
# special: İ (two characters), the Kelvin sign (an ASCII k), and Σ (final or
# not by its neighbours, across punctuation too); words of 8, 9, 16 and 17
# bytes (the key table reads a word as two 8-byte halves, and looks longer
# ones up in the dictionary), in ASCII and in two-byte characters.
PIECES = st.sampled_from(
    list("abcXYZ '’“”—£n't.,;:!?-_é\u00a0ñ1İ\u0301ΣσςΑ\u212a\n\u2028")
    + ["not ", "but ", "NEVER ", "rather than ", "POLICE", "DON'T ", "ΣΑΣ.Β"]
    + ["policing", "Policings", "abcdefghijklmnop", "abcdefghijklmnopq"]
    + ["éééééééé", "ééééééééé", "institutionalisation"]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=40)


@contextmanager
def key_table_from(size: int):
    """Make batches of `size` bytes and more use the key table."""
    saved = tokens_module._KEY_TABLE_FROM
    tokens_module._KEY_TABLE_FROM = size
    try:
        yield
    finally:
        tokens_module._KEY_TABLE_FROM = saved


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
@pytest.mark.parametrize("negation", [False, True])
@pytest.mark.parametrize("key_table", [False, True])
def test_tokens_fast_path_equals_the_reference(texts, negation, key_table):
    # The last text's new words are not in the dictionary: they must be -1.
    words = _dictionary(texts[:-1] or texts, negation)
    index = {word: i for i, word in enumerate(words)}
    ids = TokenIds(words, negation=negation)
    with key_table_from(0 if key_table else 10**9):
        stream = ids.stream(texts)
    feature_ids = ids.feature_ids(stream).tolist()
    for i, text in enumerate(texts):
        got = feature_ids[stream.starts[i] : stream.starts[i + 1]]
        expected = [index.get(t, -1) for t in tokens(text, negation=negation)]
        assert got == expected


def test_tokens_key_table_ignores_entries_no_piece_can_be():
    # A damaged model's dictionary may hold a space or a zero byte; no piece of
    # text does, so such entries must neither shift nor shadow the others.
    words = ["a b", "ab\0", "ab", "police", "x\0\0"]
    ids = TokenIds(words)
    texts = ["ab police", "police ab"] * 20_000
    with key_table_from(0):
        fast = ids.stream(texts).ids.tolist()
    assert fast == [2, 3, 3, 2] * 20_000


def test_tokens_unknown_words_are_minus_one():
    ids = TokenIds(["police"])
    stream = ids.stream(["police zebra", "", "police"])
    assert stream.ids.tolist() == [0, -1, 0]
    assert stream.starts.tolist() == [0, 2, 2, 3]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(-3, 3)))
def test_distinct_sorted_equals_numpy_unique(values):
    import numpy as np

    ordered = np.sort(np.array(values, dtype=np.intp))
    assert distinct_sorted(ordered).tolist() == np.unique(ordered).tolist()


def test_classify_imports_neither_sklearn_nor_scipy_nor_numpy_ma():
    """The prediction path is numpy only, and stays off np.unique, whose first
    call imports numpy.ma (a sixth of classify's start-up)."""
    code = (
        "from framing import api\n"
        "api.classify('Do not defund the police. Disband it, others say.')"
    )
    assert modules_imported_by(code, ("sklearn", "scipy", "numpy.ma")) == []
