"""Fitting the article-context stage (:mod:`asnclf.context`) on out-of-fold first-stage scores."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from asnclf.context import ContextStage, context_features


def topic_targets(y: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """1 for every sentence of an article with at least one tagged sentence, else 0.

    An article is on the theme when it says anything the guide tags; this needs
    no metadata, so it holds for extra labeled files too.
    """
    article_of = np.asarray(article_of)
    _, dense = np.unique(article_of, return_inverse=True)
    tagged = np.bincount(dense, weights=np.asarray(y).any(axis=1).astype(float)) > 0
    return tagged[dense].astype(int)


def with_topic_column(y: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """The first stage's targets: the tags, then the topic (:func:`topic_targets`)."""
    return np.column_stack([y, topic_targets(y, article_of)])


def fit_context_stage(first_stage: np.ndarray, y: np.ndarray, article_of: np.ndarray, *, C: float, seed: int) -> ContextStage:
    """One logistic model per tag on :func:`~asnclf.context.context_features` of out-of-fold scores.

    ``first_stage`` must be out of fold (each row scored by a model that never
    saw its article), or the stage learns to trust the first stage too much.
    """
    features = context_features(first_stage, article_of)
    weights, intercepts = [], []
    for tag in range(y.shape[1]):
        truth = y[:, tag]
        if truth.min() == truth.max():  # one class only: nothing to learn, keep the constant answer
            weights.append(np.zeros(features.shape[2]))
            intercepts.append(12.0 if truth.size and truth[0] else -12.0)
            continue
        model = LogisticRegression(C=C, max_iter=1000, random_state=seed).fit(features[tag], truth)
        weights.append(model.coef_.ravel())
        intercepts.append(float(model.intercept_[0]))
    return ContextStage(np.array(weights), np.array(intercepts))
