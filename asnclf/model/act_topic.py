"""The first stage when the article-context stage is on: tag columns learned on on-topic articles, the topic on all.

A bag of words cannot say "an appeal *about neutrality*": trained on every
article, a tag's weights must also push "diimbau" down because flood and tax
reports use it, and so it misses the appeals of neutrality news worded in
ways it has seen less. Here each tag is learned only from articles on the
theme (those with at least one tagged sentence), where it needs to tell an
act from its absence, and the last column learns the topic from every
article. The context stage (:mod:`asnclf.model.context`) then joins the two.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted


class ActTopicClassifier(ClassifierMixin, BaseEstimator):
    """One binary classifier per tag, fitted on on-topic rows, and one for the topic, fitted on all rows.

    ``Y`` has the tags' columns and then the topic column (1 for a sentence of
    an on-topic article). ``estimators_`` lists the fitted binary classifiers
    in column order, as ``OneVsRestClassifier.estimators_`` does.

    Parameters
    ----------
    estimator : binary classifier
        Cloned for every column.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> Y = np.array([[1, 1], [0, 1], [1, 1], [0, 0]])   # one tag, then the topic
    >>> model = ActTopicClassifier(LogisticRegression()).fit(X, Y)
    >>> len(model.estimators_), model.predict_proba(X).shape
    (2, (4, 2))
    """

    def __init__(self, estimator) -> None:
        self.estimator = estimator

    def fit(self, X, Y):
        Y = np.asarray(Y)
        if Y.ndim != 2 or Y.shape[1] < 2:
            raise ValueError(f"Y must have the tags' columns and a topic column, found shape {Y.shape}")
        on_topic = np.flatnonzero(Y[:, -1] == 1)
        if on_topic.size == 0 or on_topic.size == Y.shape[0]:
            raise ValueError("the topic column needs both on-topic and other rows")
        self.estimators_ = [clone(self.estimator).fit(X[on_topic], Y[on_topic, column]) for column in range(Y.shape[1] - 1)]
        self.estimators_.append(clone(self.estimator).fit(X, Y[:, -1]))
        self.classes_ = np.arange(Y.shape[1])
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Per column, the positive class's probability (a logistic squash of the margin for a classifier without one)."""
        check_is_fitted(self)
        return np.column_stack([_positive_score(estimator, X) for estimator in self.estimators_])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)


def _positive_score(estimator, X) -> np.ndarray:
    if hasattr(estimator, "predict_proba"):
        return estimator.predict_proba(X)[:, 1]
    return 1.0 / (1.0 + np.exp(-estimator.decision_function(X)))
