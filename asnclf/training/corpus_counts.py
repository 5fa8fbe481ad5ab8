"""The word block's n-gram counts of a whole corpus, counted once for every cross-validation fit.

Cross-validation fits the pipeline about twenty times (five outer folds, each
with its inner folds), and each fit's ``TfidfVectorizer`` reads the same
sentences again to build its n-grams: a third of the whole of ``train``.
:class:`CorpusWordCounts` counts every n-gram of the corpus once;
:class:`PrecountedWordTfidf` stands in for the word block inside a fit, taking
its training rows' counts and keeping the columns that scikit-learn's own
``fit`` would keep (n-grams seen in the training rows, ``min_df``,
``max_features`` with the same tie order), then scikit-learn's
``TfidfTransformer`` for the weights. Its vocabulary, idf and ``transform``
equal the vectorizer's (tests/test_corpus_counts.py). The saved model's word
block is always a real ``TfidfVectorizer``: only cross-validation uses this.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted


class CorpusWordCounts:
    """Every word n-gram count of ``sentences``, one row per distinct sentence, columns in alphabetical order.

    ``vectorizer`` is the word block as a config builds it (its tokenizer and
    n-gram range are used).
    """

    def __init__(self, sentences: Sequence[str], vectorizer) -> None:
        distinct = list(dict.fromkeys(sentences))
        self.row_of = {sentence: row for row, sentence in enumerate(distinct)}
        counter = CountVectorizer(ngram_range=vectorizer.ngram_range, tokenizer=vectorizer.tokenizer,
                                  token_pattern=None, lowercase=False, dtype=np.float64)
        self.counts = counter.fit_transform(distinct).tocsr()
        self.counts.sort_indices()
        self.features = counter.get_feature_names_out()

    def rows(self, sentences: Sequence[str]):
        """The counts of ``sentences`` (each must be one of the corpus's)."""
        return self.counts[[self.row_of[sentence] for sentence in sentences]]


class PrecountedWordTfidf(TransformerMixin, BaseEstimator):
    """A word-block ``TfidfVectorizer`` (``min_df``, ``max_features``, ``sublinear_tf``) fitted from corpus counts."""

    def __init__(self, corpus: CorpusWordCounts, min_df: int = 1, max_features: int | None = None,
                 sublinear_tf: bool = True) -> None:
        self.corpus = corpus
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    @classmethod
    def like(cls, vectorizer, corpus: CorpusWordCounts) -> PrecountedWordTfidf:
        """The stand-in for the word block's ``vectorizer``, with its settings."""
        return cls(corpus, min_df=vectorizer.min_df, max_features=vectorizer.max_features,
                   sublinear_tf=vectorizer.sublinear_tf)

    def fit(self, X, y=None):
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        # The training rows' counts are selected once, for the idf and for the matrix the classifier learns from.
        selected = self._fit(X)
        return self.tfidf_.transform(selected)

    def _fit(self, X):
        """Learn the columns and idf of the training rows ``X``; their selected counts."""
        counts = self.corpus.rows(X)
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        # The training rows' vocabulary, in the alphabetical order scikit-learn sorts it into before limiting it.
        seen = np.flatnonzero(document_frequency > 0)
        keep = document_frequency[seen] >= self.min_df
        if self.max_features is not None and keep.sum() > self.max_features:
            # scikit-learn's _limit_features: the most frequent terms, ties in the order argsort leaves them.
            term_frequency = np.asarray(counts.sum(axis=0)).ravel()[seen]
            most = (-term_frequency[keep]).argsort()[:self.max_features]
            limited = np.zeros(len(seen), dtype=bool)
            limited[np.flatnonzero(keep)[most]] = True
            keep = limited
        self.columns_ = seen[keep]
        selected = counts[:, self.columns_]
        selected.sort_indices()
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(selected)
        return selected

    def transform(self, X):
        check_is_fitted(self)
        return self.tfidf_.transform(self._counts(X))

    def _counts(self, X):
        selected = self.corpus.rows(X)[:, self.columns_]
        selected.sort_indices()
        return selected

    def get_feature_names_out(self, input_features=None):
        return self.corpus.features[self.columns_]
