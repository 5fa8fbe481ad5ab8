"""From a config's ``[model]`` section to the scikit-learn classifiers training fits.

The model names and what each takes live in one map, :data:`asnclf.training.config.MODEL_CONFIGS`;
each section builds its own binary classifier.
"""

from __future__ import annotations

from sklearn.base import ClassifierMixin
from sklearn.multiclass import OneVsRestClassifier


def build_estimator(config, seed: int) -> ClassifierMixin:
    """The binary classifier for the model a config's ``[model]`` section describes."""
    return config.build(seed)


def build_classifier(config, seed: int) -> OneVsRestClassifier:
    """A one-vs-rest multi-label classifier for the model a config names."""
    return OneVsRestClassifier(build_estimator(config, seed))
