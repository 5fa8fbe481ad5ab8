"""The whole tagging decision as one scikit-learn classifier: first stage, article context, per-tag thresholds.

A saved model's pipeline ends in a :class:`TaggingClassifier`, so that
``pipeline.predict`` gives the tags :meth:`asnclf.Tagger.predict` gives, not
the first stage's cut at 0.5. Like scikit-learn's ``FixedThresholdClassifier``
it holds its thresholds as parameters and fitting refits only the wrapped
estimator; the context stage and thresholds are learned by training on
out-of-fold scores (:mod:`asnclf.training.evaluate`), which one ``fit`` on a
single training set cannot do honestly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from asnclf.model.context import ContextStage
from asnclf.model.tagger import estimator_scores


class TaggingClassifier(ClassifierMixin, BaseEstimator):
    """A multi-label first stage, then the optional context stage, then a threshold per tag.

    Each row is judged as a sentence on its own (an article of one sentence),
    as :meth:`asnclf.Tagger.predict` does without ``articles``.

    Parameters
    ----------
    estimator : classifier
        The first stage: one column per tag, and a last topic column when ``context`` is given.
    context : ContextStage or None
        The article-context stage over the first stage's scores.
    thresholds : sequence of float
        One cut per tag: a tag is predicted when its final score is at least its cut.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.multiclass import OneVsRestClassifier
    >>> X, Y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([[0, 0], [0, 1], [1, 1], [1, 1]])
    >>> model = TaggingClassifier(OneVsRestClassifier(LogisticRegression()), thresholds=[0.5, 0.9]).fit(X, Y)
    >>> model.predict_proba(np.array([[2.0]])).round(2).tolist()
    [[0.62, 0.85]]
    >>> model.predict(np.array([[2.0]])).tolist()    # the second tag's 0.85 is below its 0.9 cut
    [[1, 0]]
    """

    def __init__(self, estimator, context: ContextStage | None = None, thresholds: Sequence[float] = ()) -> None:
        self.estimator = estimator
        self.context = context
        self.thresholds = thresholds

    def fit(self, X, Y):
        """Fit a clone of ``estimator``; the context stage and thresholds stay as given."""
        return self.with_fitted(clone(self.estimator).fit(X, Y))

    def with_fitted(self, fitted_estimator) -> TaggingClassifier:
        """This classifier around an already fitted first stage (what training builds)."""
        self.estimator_ = fitted_estimator
        n_tags = len(self.thresholds)
        self.classes_ = np.arange(n_tags)
        return self

    def first_stage_proba(self, X) -> np.ndarray:
        """The first stage's scores: the tags', and the topic's last when there is a context stage."""
        check_is_fitted(self)
        return estimator_scores(self.estimator_, X)

    def predict_proba(self, X) -> np.ndarray:
        """Final scores per tag, each row judged as a one-sentence article."""
        first = self.first_stage_proba(X)
        if self.context is None:
            return first
        return self.context.scores(first, np.arange(first.shape[0]))

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= np.asarray(self.thresholds, dtype=float)).astype(int)


def tagging_pipeline(first_stage: Pipeline, context: ContextStage | None, thresholds: Sequence[float]) -> Pipeline:
    """A fitted first-stage pipeline (features, classifier) with its last step wrapped in a :class:`TaggingClassifier`."""
    (features_name, features), (classifier_name, classifier) = first_stage.steps
    decision = TaggingClassifier(clone(classifier), context=context, thresholds=[float(t) for t in thresholds])
    return Pipeline([(features_name, features), (classifier_name, decision.with_fitted(classifier))])

