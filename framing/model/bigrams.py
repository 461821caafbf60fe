"""Which column, if any, a pair of word ids has: a lookup in numpy alone.

A bigram is known by its key, first_id * dictionary size + second_id; the model
stores the keys sorted, with their columns. A binary search over them costs a
score run an eighth of its time, so a large batch looks its keys up in an
open-addressing hash table (multiplicative hashing, linear probing), built
from the sorted keys the first time a large batch needs it. A small batch, such
as `framing classify`'s one paragraph, keeps the binary search and does not pay
for the table.
"""

import numpy as np

EMPTY = -1
# Fibonacci hashing: the top bits of key x this odd constant, modulo 2**64.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Below this many keys a binary search is cheaper than building the table.
HASH_FROM = 20_000


class BigramTable:
    def __init__(self, keys: np.ndarray, columns: np.ndarray):
        self.keys = keys  # sorted, unique
        self.columns = columns
        self._slots: tuple[np.ndarray, np.ndarray] | None = None

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

    def _bits(self) -> int:
        # At most half full (the shipped model's is a quarter), so that most
        # lookups end at their first or second slot.
        return max((2 * len(self.keys) - 1).bit_length(), 4)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        shift = np.uint64(64 - self._bits())
        return ((keys.astype(np.uint64) * _MULTIPLIER) >> shift).astype(np.intp)

    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        if self._slots is None:
            self._slots = self._build()
        return self._slots

    def _build(self) -> tuple[np.ndarray, np.ndarray]:
        size = 1 << self._bits()
        slot_keys = np.full(size, EMPTY, dtype=np.int64)
        slot_columns = np.full(size, EMPTY, dtype=np.int64)
        pending = np.arange(len(self.keys))
        slot = self._home(self.keys)
        while len(pending):
            # Keys whose slot is free claim it; where several claim one slot, the
            # one written last holds it and the others move on, as do keys whose
            # slot was taken.
            free = slot_keys[slot] == EMPTY
            slot_keys[slot[free]] = self.keys[pending[free]]
            placed = np.zeros(len(pending), dtype=bool)
            placed[free] = slot_keys[slot[free]] == self.keys[pending[free]]
            slot_columns[slot[placed]] = self.columns[pending[placed]]
            pending, slot = pending[~placed], (slot[~placed] + 1) & (size - 1)
        return slot_keys, slot_columns

    def _probe(self, keys: np.ndarray) -> np.ndarray:
        slot_keys, slot_columns = self._table()
        found = np.full(len(keys), -1, dtype=np.int64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while len(pending):
            held = slot_keys[slot]
            hit = held == keys
            found[pending[hit]] = slot_columns[slot[hit]]
            going = (held != EMPTY) & ~hit  # an empty slot ends a miss
            pending, keys = pending[going], keys[going]
            slot = (slot[going] + 1) & (len(slot_keys) - 1)
        return found
