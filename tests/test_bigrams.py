"""The bigram hash table finds exactly what a binary search over the sorted keys
finds, whatever the keys (clustered ones collide in the table)."""

import numpy as np
import pytest

from framing.model.bigrams import HASH_FROM, BigramTable


@pytest.mark.parametrize("spread", [1, 7, 1 << 20, 1 << 40])
def test_bigram_table_probe_equals_binary_search(spread):
    rng = np.random.default_rng(spread)
    keys = np.unique(rng.integers(0, 5000, 3000) * spread)
    columns = rng.permutation(len(keys)).astype(np.int64)
    table = BigramTable(keys, columns)
    # Half present, half absent, more than HASH_FROM so that the table is used.
    wanted = np.concatenate(
        [rng.choice(keys, HASH_FROM), rng.integers(0, 5000 * spread, HASH_FROM)]
    )
    expected = table._search(wanted)
    assert (expected >= 0).sum() >= HASH_FROM
    assert np.array_equal(table.lookup(wanted), expected)
    assert np.array_equal(table._probe(wanted[:10]), expected[:10])


def test_bigram_table_without_keys_finds_nothing():
    table = BigramTable(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert table.lookup(np.arange(HASH_FROM + 5)).tolist() == [-1] * (HASH_FROM + 5)
