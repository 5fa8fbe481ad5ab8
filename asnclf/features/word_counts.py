"""Word n-gram counts of a fitted vocabulary over asnclf's tokens, for a whole batch of sentences at once.

The counts are exactly those of scikit-learn's ``CountVectorizer.transform``
with :func:`asnclf.text.tokens.tokenize_digits_as_zero` (or
:func:`~asnclf.text.tokens.tokenize_keeping_digits`) as tokenizer, but are built
by numpy: every token of the vocabulary gets an integer id, an n-gram is the
integer key of :meth:`~asnclf.text.tokens.TokenBatch.ngrams`, and the keys are
looked up in one :class:`~asnclf.text.key_index.KeyIndex` per n, for the whole
batch at once, instead of one dict look-up per n-gram.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp

from asnclf.text.key_index import KeyIndex
from asnclf.text.tokens import TokenBatch, tokenize_digits_as_zero, tokenize_keeping_digits

_TOKENIZERS = {tokenize_digits_as_zero: True, tokenize_keeping_digits: False}  # tokenizer -> digits_as_zero


class WordNgramCounter:
    """Counts of the n-grams of ``features`` (column order), n in ``ngram_range``."""

    def __init__(self, digits_as_zero: bool, ngram_range: tuple[int, int], n_features: int,
                 token_ids: dict[bytes, int], tables: dict[int, tuple[np.ndarray, np.ndarray]]) -> None:
        self.digits_as_zero = digits_as_zero
        self.min_n, self.max_n = ngram_range
        self.n_features = n_features
        self.token_ids = token_ids
        self.base = len(token_ids) + 1  # ids are shifted by one: 0 is a token outside the vocabulary
        self.indexes = {n: KeyIndex(keys, None, columns)
                        for n, (keys, columns) in tables.items() if n > 1}
        # int32, as scipy's own index arrays: rows and columns then reach the matrix without a copy.
        self.unigram_columns = np.full(self.base, -1, dtype=np.int32)  # indexed by id + 1
        if 1 in tables:
            keys, columns = tables[1]
            self.unigram_columns[keys] = columns
        # Tokens that begin some n-gram of the vocabulary (n > 1): only those positions are looked up.
        self.starts_ngram = np.zeros(self.base, dtype=bool)
        for n, (keys, _) in tables.items():
            if n > 1 and len(keys):
                self.starts_ngram[keys // self.base ** (n - 1)] = True

    @classmethod
    def build(cls, features: Sequence[str], ngram_range: tuple[int, int], digits_as_zero: bool) -> WordNgramCounter | None:
        """A counter for the n-gram ``features`` (space-joined tokens), or None if their keys would overflow int64."""
        min_n, max_n = ngram_range
        # Built with arrays, not a loop per n-gram: this runs every time a model is loaded.
        split = [feature.split(" ") for feature in features]
        names = list(dict.fromkeys(chain.from_iterable(split)))  # in order of first appearance
        token_ids = {name.encode("ascii"): index for index, name in enumerate(names)}
        base = len(token_ids) + 1
        if base ** max_n >= 2**62:
            return None
        shifted = dict(zip(names, range(1, base)))  # id + 1
        sizes = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        ids = np.fromiter(map(shifted.__getitem__, chain.from_iterable(split)), dtype=np.int64, count=int(sizes.sum()))
        firsts = np.cumsum(sizes) - sizes
        tables = {}
        for n in range(min_n, max_n + 1):
            columns = np.flatnonzero(sizes == n)
            keys = np.zeros(len(columns), dtype=np.int64)
            for k in range(n):
                keys = keys * base + ids[firsts[columns] + k]
            order = np.argsort(keys, kind="stable")
            tables[n] = (keys[order], columns[order])
        return cls(digits_as_zero, ngram_range, len(features), token_ids, tables)

    def counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """A CSR matrix (sentences × features) of n-gram counts, indices sorted within each row."""
        ids = batch.ids(self.token_ids) + 1  # 0 for a token outside the vocabulary
        rows, columns = [], []
        for n in range(self.min_n, self.max_n + 1):
            if n == 1:  # a unigram's column is read straight off its id
                found = self.unigram_columns[ids]
                positions = np.flatnonzero(found >= 0)
                rows.append(batch.sentence_of[positions])
                columns.append(found[positions])
                continue
            positions, key = batch.ngrams(ids, n, self.base, self.starts_ngram)
            found = self.indexes[n].find(key)
            hit = np.flatnonzero(found >= 0)
            rows.append(batch.sentence_of[positions[hit]])
            columns.append(found[hit])
        return _count_matrix(np.concatenate(rows), np.concatenate(columns), (batch.n_sentences, self.n_features))


def _count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """The CSR matrix counting each (row, column) pair given, its indices sorted within each row."""
    # One entry per occurrence. Gathered by column first (duplicates summed), then turned into rows:
    # each is a linear pass in scipy, and the second leaves every row's indices in column order.
    # Gathering by row and summing there sorts each row instead, which took about twice the time;
    # sorting a combined row-column key with numpy was no faster than that.
    return sp.csc_matrix((np.ones(len(rows)), (rows, columns)), shape=shape).tocsr()


def counter_for_vectorizer(vectorizer) -> WordNgramCounter | None:
    """A counter standing in for a fitted word ``TfidfVectorizer``'s counting step, or None if it cannot."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # only called on a loaded scikit-learn pipeline

    eligible = (
        type(vectorizer) is TfidfVectorizer
        and vectorizer.analyzer == "word" and vectorizer.input == "content"
        and vectorizer.tokenizer in _TOKENIZERS and vectorizer.preprocessor is None
        and not vectorizer.lowercase and vectorizer.strip_accents is None and vectorizer.stop_words is None
        and not vectorizer.binary and vectorizer.dtype == np.float64
        and hasattr(vectorizer, "vocabulary_")
    )
    if not eligible:
        return None
    features = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return WordNgramCounter.build(features, vectorizer.ngram_range, _TOKENIZERS[vectorizer.tokenizer])
