"""A fixed map from pairs of 64-bit keys to integers, looked up for a whole array of keys at once.

asnclf looks up tens of tokens and n-grams per sentence. Python's dict costs
a Python object and a call per key, and ``numpy.searchsorted`` about 100 ns a
key on a vocabulary of 16,000 n-grams (a binary search, one cache miss per
step). This is an open-addressing hash table (linear probing, at most a
quarter full) held in numpy arrays: a look-up is a few array operations over
all keys, and most keys are settled by the first probe.
"""

from __future__ import annotations

import numpy as np

# Fibonacci hashing: a multiply by an odd constant near 2**64 / golden ratio, keeping the top bits.
_MULTIPLIER_FIRST = np.uint64(0x9E3779B97F4A7C15)
_MULTIPLIER_SECOND = np.uint64(0xC2B2AE3D27D4EB4F)
_EMPTY = -1


class KeyIndex:
    """Maps each key ``(first[i], second[i])`` to ``values[i]``; :meth:`find` gives -1 for a key not in it.

    Keys are unsigned 64-bit pairs, or single ones (``second`` None: an
    int64 key, say, held alone, which keeps the table smaller); values are
    integers in ``[0, 2**31)``, held as int32 for the same reason. The table
    never changes after it is built, and equal keys and values build equal tables.
    """

    def __init__(self, first: np.ndarray, second: np.ndarray | None, values: np.ndarray) -> None:
        first = _keys(first)
        single = second is None
        second = np.zeros(len(first), dtype=np.uint64) if single else _keys(second)
        values = np.asarray(values, dtype=np.int64)
        if not len(first) == len(second) == len(values):
            raise ValueError(f"{len(first)} first keys, {len(second)} second keys, {len(values)} values: expected equal counts")
        if len(values) and values.min() < 0:
            raise ValueError("values must be non-negative: -1 means a key not in the index")
        if len(values) and values.max() >= 2**31:
            raise ValueError(f"value {int(values.max())} is too large: values must be below 2**31")
        order = np.lexsort((second, first))
        repeated = (first[order][1:] == first[order][:-1]) & (second[order][1:] == second[order][:-1])
        if repeated.any():
            at = order[1:][repeated][0]
            raise ValueError(f"key ({int(first[at])}, {int(second[at])}) is given twice")
        bits = max(4, int(len(values) * 4 - 1).bit_length())
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._first = np.zeros(1 << bits, dtype=np.uint64)
        self._second = None if single else np.zeros(1 << bits, dtype=np.uint64)
        # int32 halves the memory a look-up walks: the tables outgrow the processor's fast cache.
        self._values = np.full(1 << bits, _EMPTY, dtype=np.int32)
        slot = self._slots(first, second)
        pending = np.arange(len(values))
        # Placed in rounds: every pending key tries its current slot; of the keys that meet at a free
        # slot the first in input order takes it, and the others move one slot on. A key only ever
        # passes occupied slots, so a look-up walking from its home slot meets it before a free one.
        while len(pending):
            at = slot[pending]
            free = self._values[at] == _EMPTY
            taken_slots, first_claim = np.unique(at[free], return_index=True)
            winners = pending[free][first_claim]
            self._first[taken_slots] = first[winners]
            if not single:
                self._second[taken_slots] = second[winners]
            self._values[taken_slots] = values[winners]
            placed = np.zeros(len(values), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask

    def __len__(self) -> int:
        return int(np.count_nonzero(self._values != _EMPTY))

    def _slots(self, first: np.ndarray, second: np.ndarray | None) -> np.ndarray:
        mixed = first * _MULTIPLIER_FIRST  # uint64 products wrap, as intended
        if second is not None:
            mixed ^= second * _MULTIPLIER_SECOND
        return (mixed >> self._shift).astype(np.int64)

    def find(self, first: np.ndarray, second: np.ndarray | None = None) -> np.ndarray:
        """The value of each key (int32), or -1 where the key is not in the index; ``second`` None means zeros."""
        first = _keys(first)
        second = None if second is None else _keys(second)
        slot = self._slots(first, second)  # a zero second half leaves the slot as a single key's
        found: np.ndarray | None = None
        pending: np.ndarray | None = None  # positions still probing; None: all of them
        while True:
            values = self._values.take(slot)
            hit = (self._first.take(slot) == first) & (values != _EMPTY)
            if self._second is not None:
                hit &= self._second.take(slot) == (0 if second is None else second)
            elif second is not None:
                hit &= second == 0  # a single-key index holds keys whose second half is zero only
            if found is None:
                found = np.where(hit, values, _EMPTY)
            else:
                found[pending[hit]] = values[hit]
            onward = np.flatnonzero(~hit & (values != _EMPTY))  # another key sits here: probe the next slot
            if not len(onward):
                return found
            pending = onward if pending is None else pending[onward]
            slot = (slot[onward] + 1) & self._mask
            first = first[onward]
            if second is not None:
                second = second[onward]


def _keys(keys: np.ndarray) -> np.ndarray:
    keys = np.asarray(keys)
    if keys.dtype == np.int64:
        return keys.view(np.uint64)  # the same 64 bits: keys only need to be told apart
    return keys.astype(np.uint64, copy=False)
