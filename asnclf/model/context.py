"""Article context: the second stage that decides a sentence's tags knowing what its article is about.

The first stage (the feature pipeline and its linear classifiers) scores each
sentence for every tag and for one more column, the *topic*: how likely the
sentence stands in an article about ASN neutrality or the election. A linear
bag of words adds the evidence of an act ("diimbau", "dilarang", "12 orang")
and of a topic separately, while the guide tags an act only when it is about
neutrality or the election; and a sentence alone often does not say what its
article is about ("Warga diminta tidak panik." in a flood report). The second
stage is one small model (logistic per tag, or a small neural network with
one output per tag) over every tag's score, the sentence's topic score, its
article's pooled topic scores, each tag's score weighted by the article's
topic, the tag scores of the sentences before and after it and the article's
highest, and where the sentence stands in its article. It is learned on
out-of-fold first-stage scores, so it learns how far to trust a tag score in
an article on another subject, and that an item under "ASN dilarang:" or a
count after "Dari jumlah itu" takes its meaning from its neighbours.

This module needs numpy only: scoring imports it, training fits it
(:func:`asnclf.training.context_fit.fit_context_stage`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

FORMAT = "asnclf-context/4"  # /3 had no neighbours, position or pooled tag scores

# The inputs shared by every tag, then those per tag (see :func:`feature_names`).
ARTICLE_FEATURES = ("topic", "article_topic_mean", "article_topic_max", "first_sentence", "relative_position",
                    "log_article_length")
PER_TAG_FEATURES = ("score", "score_x_article_topic", "previous_score", "next_score", "article_max")

_LOGIT_BOUND = 12.0  # scores of exactly 0 or 1 (a margin squash can give them) stay finite


def feature_names(n_tags: int) -> list[str]:
    """The second stage's inputs, in column order, for a first stage of ``n_tags`` tags (and the topic)."""
    return list(ARTICLE_FEATURES) + [f"tag{j}_{name}" for j in range(n_tags) for name in PER_TAG_FEATURES]


class ContextStage:
    """One small model over :func:`feature_names` with one output per tag.

    The inputs are standardised, then pass through ``layers``: ReLU between
    them, a logistic at the end. One layer is a logistic regression per tag;
    two are a small neural network (scikit-learn's ``MLPClassifier``) whose
    hidden units every tag shares. Each tag sees every tag's score, so a
    negated request can be both a prohibition and an appeal.

    Examples
    --------
    >>> import numpy as np
    >>> width = len(feature_names(1))
    >>> weights = np.zeros((width, 1)); weights[6:8, 0] = [1.0, 2.0]   # the tag's score and its product with the topic
    >>> stage = ContextStage(np.zeros(width), np.ones(width), [(weights, np.array([-1.0]))])
    >>> first = np.array([[0.9, 0.95], [0.9, 0.05]])   # columns: one tag, then the topic
    >>> stage.scores(first, np.array([0, 1])).round(3).ravel().tolist()   # two one-sentence articles
    [0.995, 0.805]
    """

    def __init__(self, mean: np.ndarray, scale: np.ndarray, layers: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.layers = [(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)) for w, b in layers]
        if not self.layers:
            raise ValueError("a context stage needs at least one layer")
        self.n_tags = self.layers[-1][0].shape[1] if self.layers[-1][0].ndim == 2 else 0
        width = len(feature_names(self.n_tags))
        if self.mean.shape != (width,) or self.scale.shape != (width,):
            raise ValueError(f"context mean and scale must have {width} values, found {self.mean.shape} and {self.scale.shape}")
        for weights, bias in self.layers:
            if weights.ndim != 2 or weights.shape[0] != width or bias.shape != (weights.shape[1],):
                raise ValueError(f"context layer of shape {weights.shape} does not take {width} inputs")
            width = weights.shape[1]

    def scores(self, first_stage: np.ndarray, article_of: np.ndarray) -> np.ndarray:
        """Final scores in [0, 1], shape ``(sentences, n_tags)``.

        ``first_stage`` has the tags' scores and then the topic score in its
        last column; ``article_of[i]`` numbers sentence i's article (any
        non-negative integers; sentences of one article share the number).
        """
        first_stage = np.asarray(first_stage)
        if first_stage.shape[1] - 1 != self.n_tags:
            raise ValueError(f"the first stage gives {first_stage.shape[1] - 1} tags but the context stage has {self.n_tags}")
        values = (context_features(first_stage, article_of) - self.mean) / self.scale
        for weights, bias in self.layers[:-1]:
            values = np.maximum(values @ weights + bias, 0.0)
        weights, bias = self.layers[-1]
        return 1.0 / (1.0 + np.exp(-(values @ weights + bias)))

    def to_json(self) -> dict:
        return {"format": FORMAT, "features": feature_names(self.n_tags), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "layers": [{"weights": w.tolist(), "bias": b.tolist()} for w, b in self.layers]}

    @classmethod
    def from_json(cls, data: Mapping) -> ContextStage:
        if data.get("format") != FORMAT:
            raise ValueError(f"context stage format {data.get('format')!r}, expected {FORMAT!r}")
        stage = cls(data["mean"], data["scale"], [(layer["weights"], layer["bias"]) for layer in data["layers"]])
        if list(data.get("features", ())) != feature_names(stage.n_tags):
            raise ValueError(f"context stage features {data.get('features')!r}, expected {feature_names(stage.n_tags)!r}")
        return stage


def context_features(first_stage: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """The second stage's inputs, shape ``(sentences, len(feature_names(n_tags)))``.

    Rows of one article must come in reading order (they need not be
    contiguous: the previous sentence is the article's previous row). Scores
    enter as logits. The article's topic is pooled two ways: the mean (what
    most of it is about) and the maximum (whether any part of it is). Each
    tag's score also enters weighted by the article's mean topic, the "act
    and topic together" that a sum of the two cannot express. A missing
    neighbour (the first or last sentence) counts as a score of 0.
    """
    first_stage = np.asarray(first_stage, dtype=np.float64)
    article_of = np.asarray(article_of, dtype=np.int64)
    n, n_tags = first_stage.shape[0], first_stage.shape[1] - 1
    if n == 0:
        return np.zeros((0, len(feature_names(n_tags))))
    logits = _logit(first_stage)
    topic, tags = logits[:, -1], logits[:, :-1]
    _, dense = np.unique(article_of, return_inverse=True)
    sizes = np.bincount(dense)
    topic_mean = (np.bincount(dense, weights=topic) / sizes)[dense]
    topic_max = _article_max(topic[:, None], dense, len(sizes))[:, 0]
    tag_max = _article_max(tags, dense, len(sizes))
    # Reading order within each article: a stable sort by article keeps the rows' order.
    order = np.argsort(dense, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n) - starts[dense[order]]
    previous = np.full_like(tags, -_LOGIT_BOUND)
    following = np.full_like(tags, -_LOGIT_BOUND)
    same = dense[order[1:]] == dense[order[:-1]]
    previous[order[1:][same]] = tags[order[:-1][same]]
    following[order[:-1][same]] = tags[order[1:][same]]
    size = sizes[dense]
    article_weight = 1.0 / (1.0 + np.exp(-topic_mean))
    per_tag = np.stack([tags, tags * article_weight[:, None], previous, following, tag_max], axis=2)
    return np.column_stack([topic, topic_mean, topic_max, (position == 0).astype(np.float64),
                            position / np.maximum(size - 1, 1), np.log(size), per_tag.reshape(n, -1)])


def _article_max(values: np.ndarray, dense: np.ndarray, n_articles: int) -> np.ndarray:
    """Each row's article's column-wise maximum of ``values``."""
    out = np.full((n_articles, values.shape[1]), -np.inf)
    np.maximum.at(out, dense, values)
    return out[dense]


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
