"""The one map from model names in a config to the scikit-learn classes that build them."""

from __future__ import annotations

from collections.abc import Callable

from sklearn.base import ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from asnclf.training.config import (
    MODEL_NAMES,
    ComplementNBConfig,
    LinearSVMConfig,
    LogisticRegressionConfig,
)
from asnclf.errors import ConfigError


def _logistic_regression(config: LogisticRegressionConfig, seed: int) -> ClassifierMixin:
    return LogisticRegression(
        C=config.C,
        class_weight=None if config.class_weight == "none" else "balanced",
        max_iter=config.max_iter,
        solver="liblinear",
        # Text has more features than sentences: liblinear's dual solver reaches the same optimum many times faster.
        dual=True,
        random_state=seed,
    )


def _linear_svm(config: LinearSVMConfig, seed: int) -> ClassifierMixin:
    return LinearSVC(
        C=config.C,
        class_weight=None if config.class_weight == "none" else "balanced",
        max_iter=config.max_iter,
        random_state=seed,
    )


def _complement_nb(config: ComplementNBConfig, seed: int) -> ClassifierMixin:
    return ComplementNB(alpha=config.alpha)


MODEL_BUILDERS: dict[str, Callable[..., ClassifierMixin]] = {
    "logistic_regression": _logistic_regression,
    "linear_svm": _linear_svm,
    "complement_nb": _complement_nb,
}
assert tuple(MODEL_BUILDERS) == MODEL_NAMES, "registry and config must name the same models"


def build_estimator(config, seed: int) -> ClassifierMixin:
    """The binary classifier for the model a config names."""
    try:
        builder = MODEL_BUILDERS[config.name]
    except KeyError:
        raise ConfigError(f"model.name: unknown model {config.name!r}; valid models: {', '.join(MODEL_BUILDERS)}") from None
    return builder(config, seed)


def build_classifier(config, seed: int) -> OneVsRestClassifier:
    """A one-vs-rest multi-label classifier for the model a config names."""
    return OneVsRestClassifier(build_estimator(config, seed))
