"""Which column, if any, a pair of word ids has: a lookup in numpy alone.

A bigram is known by its key, first_id * dictionary size + second_id; the model
stores the keys sorted, with their columns. A binary search over them costs a
score run an eighth of its time, so a large batch looks its keys up in an
open-addressing hash table (framing.model.keytable), built from the sorted
keys the first time a large batch needs it. A small batch, such
as `framing classify`'s one paragraph, keeps the binary search and does not pay
for the table.
"""

import numpy as np

from framing.model.keytable import KeyTable

# Below this many keys a binary search is cheaper than building the table.
HASH_FROM = 20_000


class BigramTable:
    def __init__(self, keys: np.ndarray, columns: np.ndarray):
        self.keys = keys  # sorted, unique
        self.columns = columns
        self._table: KeyTable | None = None

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, -1 where the model has no such bigram."""
        if not len(self.keys) or not len(keys):
            return np.full(len(keys), -1, dtype=np.int64)
        if len(keys) < HASH_FROM:
            return self._search(keys)
        return self._probe(keys)

    def _search(self, keys: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.keys, keys)
        np.minimum(at, len(self.keys) - 1, out=at)
        return np.where(self.keys[at] == keys, self.columns[at], -1)

    def _probe(self, keys: np.ndarray) -> np.ndarray:
        if self._table is None:
            # At most half full (4 MB for the shipped model's 70,000 bigrams).
            self._table = KeyTable((self.keys.view(np.uint64),), self.columns, spare=1)
        return self._table.lookup((keys.view(np.uint64),), -1)
