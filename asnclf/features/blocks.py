"""Sentence features: word and character n-gram TF-IDF, cue words, numbers.

The two hand-made transformers follow scikit-learn's estimator contract
(``__init__`` stores its arguments, ``fit`` returns ``self``, learned state
ends in ``_``), so ``clone``, ``Pipeline`` and ``GridSearchCV`` work on them.
All features are non-negative, which complement naive Bayes requires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from asnclf.features.cues import CUE_INTERACTIONS, FAMILY_NAMES, cue_matrix
from asnclf.features.number_kinds import NUMBER_FEATURES, number_matrix
from asnclf.text.tokens import TokenBatch, tokenize_digits_as_zero, tokenize_keeping_digits

if TYPE_CHECKING:  # scoring unpickles these transformers and must not import pydantic
    from asnclf.training.config import FeaturesConfig

class CueWordFeatures(TransformerMixin, BaseEstimator):
    """Binary indicators of Indonesian cue-word families and of their key pairs.

    Parameters
    ----------
    weight : float
        Value of a present indicator; scales this block against TF-IDF.
    interactions : bool
        Whether to add the :data:`CUE_INTERACTIONS` pair indicators.
    """

    block_name = "cues.v1"  # see asnclf.features.registry

    def __init__(self, weight: float = 1.0, interactions: bool = True) -> None:
        self.weight = weight
        self.interactions = interactions

    def fit(self, X, y=None):
        names = [f"cue:{name}" for name in FAMILY_NAMES]
        if self.interactions:
            names += [f"cue:{a}&{b}" for a, b in CUE_INTERACTIONS]
        self.feature_names_ = np.array(names, dtype=object)
        return self

    def transform(self, X):
        return cue_matrix(TokenBatch(list(X)), self.weight, self.interactions)

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


class NumberFeatures(TransformerMixin, BaseEstimator):
    """What kinds of number a sentence holds: counts and percentages versus dates, law numbers, money, phones.

    The annotation guide tags counts, not dates or regulation numbers; these
    indicators let a linear model learn that difference.
    """

    block_name = "numbers.v1"  # see asnclf.features.registry

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, X, y=None):
        self.feature_names_ = np.array([f"num:{name}" for name in NUMBER_FEATURES], dtype=object)
        return self

    def transform(self, X):
        return number_matrix(TokenBatch(list(X)), self.weight)

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


def build_features(config: FeaturesConfig) -> FeatureUnion:
    """The feature union a config asks for, blocks named word/char/cues/numbers."""
    blocks = []
    if config.word.enabled:
        word = config.word
        blocks.append(
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, word.ngram_max),
                    min_df=word.min_df,
                    max_features=word.max_features,
                    sublinear_tf=word.sublinear_tf,
                    tokenizer=tokenize_digits_as_zero if word.normalize_numbers else tokenize_keeping_digits,
                    token_pattern=None,
                    lowercase=False,  # the tokenizer lower-cases
                    dtype=np.float64,
                ),
            )
        )
    if config.char.enabled:
        char = config.char
        blocks.append(
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(char.ngram_min, char.ngram_max),
                    min_df=char.min_df,
                    max_features=char.max_features,
                    sublinear_tf=True,
                    lowercase=True,
                    dtype=np.float64,
                ),
            )
        )
    if config.cues.enabled:
        blocks.append(("cues", CueWordFeatures(weight=config.cues.weight)))
    if config.numbers.enabled:
        blocks.append(("numbers", NumberFeatures(weight=config.numbers.weight)))
    return FeatureUnion(blocks)
