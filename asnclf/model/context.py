"""Article context: the second stage that decides a sentence's tags knowing what its article is about.

The first stage (the feature pipeline and its linear classifiers) scores each
sentence for every tag and for one more column, the *topic*: how likely the
sentence stands in an article about ASN neutrality or the election. A linear
bag of words adds the evidence of an act ("diimbau", "dilarang", "12 orang")
and of a topic separately, while the guide tags an act only when it is about
neutrality or the election; and a sentence alone often does not say what its
article is about ("Warga diminta tidak panik." in a flood report). The second
stage is one small model per tag (logistic, or a small neural network) over
the sentence's tag score, its topic score, its article's pooled topic scores,
their product and the other tags' scores (a negated request is both a
prohibition and an appeal), learned on out-of-fold first-stage scores, so it
learns how far to trust a tag score in an article on another subject.

This module needs numpy only: scoring imports it, training fits it
(:func:`asnclf.training.context_fit.fit_context_stage`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

FORMAT = "asnclf-context/2"

# The second stage's inputs, per tag, in column order.
FEATURE_NAMES = (
    "tag", "topic", "article_topic_mean", "article_topic_max", "tag_x_article_topic", "other_tags_max", "other_tags_min",
)

_LOGIT_BOUND = 12.0  # scores of exactly 0 or 1 (a margin squash can give them) stay finite


class TagModel:
    """One tag's second stage: standardise the features, then layers; ReLU between them, a logistic at the end.

    One layer is a logistic regression; more are a small neural network
    (scikit-learn's ``MLPClassifier``), the non-linear choice.
    """

    def __init__(self, mean: np.ndarray, scale: np.ndarray, layers: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.layers = [(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)) for w, b in layers]
        width = len(FEATURE_NAMES)
        if self.mean.shape != (width,) or self.scale.shape != (width,):
            raise ValueError(f"context mean and scale must have {width} values, found {self.mean.shape} and {self.scale.shape}")
        for weights, bias in self.layers:
            if weights.ndim != 2 or weights.shape[0] != width or bias.shape != (weights.shape[1],):
                raise ValueError(f"context layer of shape {weights.shape} does not take {width} inputs")
            width = weights.shape[1]
        if not self.layers or width != 1:
            raise ValueError("a context tag model needs layers ending in one output")

    def decision(self, features: np.ndarray) -> np.ndarray:
        values = (features - self.mean) / self.scale
        for weights, bias in self.layers[:-1]:
            values = np.maximum(values @ weights + bias, 0.0)
        weights, bias = self.layers[-1]
        return (values @ weights + bias)[:, 0]

    def to_json(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "layers": [{"weights": w.tolist(), "bias": b.tolist()} for w, b in self.layers]}

    @classmethod
    def from_json(cls, data: Mapping) -> TagModel:
        return cls(data["mean"], data["scale"], [(layer["weights"], layer["bias"]) for layer in data["layers"]])


class ContextStage:
    """One :class:`TagModel` per tag over :data:`FEATURE_NAMES`.

    Examples
    --------
    >>> import numpy as np
    >>> ones, zeros = np.ones(len(FEATURE_NAMES)), np.zeros(len(FEATURE_NAMES))
    >>> weights = np.array([[1.0], [0.0], [0.0], [0.0], [2.0], [0.0], [0.0]])
    >>> stage = ContextStage([TagModel(zeros, ones, [(weights, np.array([-1.0]))])])
    >>> first = np.array([[0.9, 0.95], [0.9, 0.05]])   # columns: one tag, then the topic
    >>> stage.scores(first, np.array([0, 1])).round(3).ravel().tolist()   # two one-sentence articles
    [0.995, 0.805]
    """

    def __init__(self, tags: Sequence[TagModel]) -> None:
        self.tags = list(tags)

    @property
    def n_tags(self) -> int:
        return len(self.tags)

    def scores(self, first_stage: np.ndarray, article_of: np.ndarray) -> np.ndarray:
        """Final scores in [0, 1], shape ``(sentences, n_tags)``.

        ``first_stage`` has the tags' scores and then the topic score in its
        last column; ``article_of[i]`` numbers sentence i's article (any
        non-negative integers; sentences of one article share the number).
        """
        features = context_features(first_stage, article_of)
        if len(features) != self.n_tags:
            raise ValueError(f"the first stage gives {len(features)} tags but the context stage has {self.n_tags}")
        decision = np.column_stack([model.decision(tag_features) for model, tag_features in zip(self.tags, features)]) \
            if self.n_tags else np.zeros((features.shape[1], 0))
        return 1.0 / (1.0 + np.exp(-decision))

    def to_json(self) -> dict:
        return {"format": FORMAT, "features": list(FEATURE_NAMES), "tags": [model.to_json() for model in self.tags]}

    @classmethod
    def from_json(cls, data: Mapping) -> ContextStage:
        if data.get("format") != FORMAT:
            raise ValueError(f"context stage format {data.get('format')!r}, expected {FORMAT!r}")
        if list(data.get("features", ())) != list(FEATURE_NAMES):
            raise ValueError(f"context stage features {data.get('features')!r}, expected {list(FEATURE_NAMES)!r}")
        return cls([TagModel.from_json(tag) for tag in data["tags"]])


def context_features(first_stage: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """The second stage's inputs, shape ``(n_tags, sentences, len(FEATURE_NAMES))``.

    Scores enter as logits. The article's topic is pooled two ways: the mean
    (what most of it is about) and the maximum (whether any part of it is).
    """
    first_stage = np.asarray(first_stage, dtype=np.float64)
    article_of = np.asarray(article_of, dtype=np.int64)
    n, columns = first_stage.shape
    logits = _logit(first_stage)
    topic = logits[:, -1]
    if n:
        _, dense = np.unique(article_of, return_inverse=True)
        sizes = np.bincount(dense)
        topic_mean = (np.bincount(dense, weights=topic) / sizes)[dense]
        topic_max = np.full(len(sizes), -np.inf)
        np.maximum.at(topic_max, dense, topic)
        topic_max = topic_max[dense]
    else:
        topic_mean = topic_max = topic
    article_weight = 1.0 / (1.0 + np.exp(-topic_mean))
    features = np.empty((columns - 1, n, len(FEATURE_NAMES)))
    for tag in range(columns - 1):
        others = np.delete(logits[:, :-1], tag, axis=1) if columns > 2 else np.zeros((n, 1))
        features[tag] = np.column_stack([logits[:, tag], topic, topic_mean, topic_max, logits[:, tag] * article_weight,
                                         others.max(axis=1), others.min(axis=1)])
    return features


def article_numbers_of(ids: Sequence) -> np.ndarray:
    """``article_of`` for rows given by their article ids (any order; equal ids are one article)."""
    return np.unique(np.asarray([str(article) for article in ids], dtype=object), return_inverse=True)[1]


def article_numbers(lengths: Sequence[int]) -> np.ndarray:
    """``article_of`` for articles given by their sentence counts, in order."""
    lengths = np.asarray(lengths, dtype=np.int64)
    return np.repeat(np.arange(len(lengths)), lengths)


def _logit(scores: np.ndarray) -> np.ndarray:
    clipped = np.clip(scores, 1e-12, 1.0 - 1e-12)
    return np.clip(np.log(clipped) - np.log1p(-clipped), -_LOGIT_BOUND, _LOGIT_BOUND)
