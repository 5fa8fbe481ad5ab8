"""The array hash index behind token and n-gram look-ups: the same answers as a dict, for whole arrays."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asnclf.text.key_index import KeyIndex

UINT64 = st.integers(min_value=0, max_value=2**64 - 1)
# Small keys collide often in a small table; large ones exercise the full 64 bits.
KEY = st.tuples(st.integers(0, 40) | UINT64, st.integers(0, 3) | UINT64)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEY, st.integers(0, 2**31 - 1), max_size=300), st.lists(KEY, max_size=300))
def test_find_gives_each_key_its_value_and_minus_one_for_any_other(mapping, queries):
    keys = list(mapping)
    index = KeyIndex(
        np.array([k[0] for k in keys], dtype=np.uint64),
        np.array([k[1] for k in keys], dtype=np.uint64),
        np.array(list(mapping.values()), dtype=np.int64),
    )
    asked = keys + queries  # every stored key, and others that may or may not be stored
    found = index.find(np.array([k[0] for k in asked], dtype=np.uint64), np.array([k[1] for k in asked], dtype=np.uint64))
    assert found.tolist() == [mapping.get(k, -1) for k in asked]
    assert len(index) == len(mapping)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(0, 40) | UINT64, st.integers(0, 2**31 - 1), max_size=300), st.lists(KEY, max_size=300))
def test_a_single_key_index_finds_its_keys_with_or_without_a_zero_second_half(mapping, queries):
    keys = list(mapping)
    index = KeyIndex(np.array(keys, dtype=np.uint64), None, np.array(list(mapping.values()), dtype=np.int64))
    assert index._second is None
    assert index.find(np.array(keys, dtype=np.uint64)).tolist() == list(mapping.values())
    asked = [(key, 0) for key in keys] + queries
    found = index.find(np.array([k[0] for k in asked], dtype=np.uint64), np.array([k[1] for k in asked], dtype=np.uint64))
    assert found.tolist() == [mapping.get(first, -1) if second == 0 else -1 for first, second in asked]


def test_a_single_key_index_never_finds_a_key_with_a_second_half():
    # In a table of 16 slots, some of these second halves send the look-up to the stored key's own slot.
    index = KeyIndex(np.array([7], dtype=np.uint64), None, np.array([3]))
    seconds = np.arange(1, 200, dtype=np.uint64)
    assert index.find(np.full(len(seconds), 7, dtype=np.uint64), seconds).tolist() == [-1] * len(seconds)


def test_single_int64_keys_need_no_second_half():
    keys = np.array([5, -3, 2**62, 0], dtype=np.int64)
    index = KeyIndex(keys, None, np.arange(4))
    assert index.find(np.array([0, 5, 6, -3, 2**62], dtype=np.int64)).tolist() == [3, 0, -1, 1, 2]


def test_an_empty_index_finds_nothing():
    index = KeyIndex(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    assert index.find(np.array([0, 1], dtype=np.uint64)).tolist() == [-1, -1]


def test_equal_keys_build_equal_tables():
    keys = np.arange(1000, dtype=np.uint64) * np.uint64(7919)
    first = KeyIndex(keys, keys, np.arange(1000))
    second = KeyIndex(keys.copy(), keys.copy(), np.arange(1000))
    assert np.array_equal(first._first, second._first) and np.array_equal(first._values, second._values)


def test_a_repeated_key_or_a_value_out_of_range_is_refused_by_name():
    with pytest.raises(ValueError, match=r"key \(7, 1\) is given twice"):
        KeyIndex(np.array([7, 8, 7], dtype=np.uint64), np.array([1, 1, 1], dtype=np.uint64), np.arange(3))
    with pytest.raises(ValueError, match="non-negative"):
        KeyIndex(np.array([1], dtype=np.uint64), np.array([0], dtype=np.uint64), np.array([-1]))
    with pytest.raises(ValueError, match=r"value 2147483648 is too large"):
        KeyIndex(np.array([1], dtype=np.uint64), None, np.array([2**31]))
    with pytest.raises(ValueError, match="equal counts"):
        KeyIndex(np.array([1, 2], dtype=np.uint64), np.array([0], dtype=np.uint64), np.array([0, 1]))
