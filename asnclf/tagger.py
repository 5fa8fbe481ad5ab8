"""The trained model as users call it: tag sentences and articles, explain a score.

A :class:`Tagger` knows nothing about training: it wraps a fitted
scikit-learn pipeline, the tag order, the per-tag thresholds and the
segmenter settings it was trained with.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from asnclf.errors import InputError
from asnclf.segment import Segmenter


class Tagger:
    """A fitted sentence tagger.

    Attributes
    ----------
    labels : tuple of str
        Tag names, in the order of score columns.
    thresholds : dict
        Per-tag score at or above which the tag is given.
    pipeline : sklearn.pipeline.Pipeline
        The fitted feature + classifier pipeline.
    manifest : dict
        What the saved artifact recorded (empty for an unsaved tagger).
    """

    def __init__(
        self,
        pipeline,
        labels: Sequence[str],
        thresholds: Sequence[float],
        *,
        segmenter_settings: Mapping | None = None,
        manifest: Mapping | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.labels = tuple(labels)
        self._threshold_array = np.asarray(thresholds, dtype=float)
        self.thresholds = dict(zip(self.labels, (float(t) for t in self._threshold_array)))
        self.segmenter_settings = dict(segmenter_settings or {})
        self.segmenter = Segmenter.from_settings(**self.segmenter_settings)
        self.manifest = dict(manifest or {})

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1], shape ``(len(sentences), len(labels))``.

        For logistic regression and naive Bayes these are probabilities; for
        the linear SVM they are a logistic squash of the margin (ordered, not calibrated).
        """
        sentences = _as_sentence_list(sentences)
        if not sentences:
            return np.zeros((0, len(self.labels)))
        try:
            return self.pipeline.predict_proba(sentences)
        except AttributeError:
            margins = self.pipeline.decision_function(sentences)
            return 1.0 / (1.0 + np.exp(-margins))

    def predict(self, sentences: Sequence[str]) -> list[list[str]]:
        """The tags of each sentence (an empty list for none).

        >>> tagger.predict(["ASN dilarang ikut kampanye."])  # doctest: +SKIP
        [['prohibition']]
        """
        return self._labels_for(self.predict_proba(sentences))

    def _labels_for(self, scores: np.ndarray) -> list[list[str]]:
        hits = scores >= self._threshold_array
        return [[label for label, hit in zip(self.labels, row) if hit] for row in hits]

    def tag_article(self, text: str) -> list[dict]:
        """Every sentence of an article with ``text``, ``start``, ``end``, ``labels`` and ``scores`` (by tag)."""
        if not isinstance(text, str):
            raise InputError(f"tag_article expects article text as a string, found {type(text).__name__}")
        return self.tag_articles([text])[0]

    def tag_articles(self, texts: Sequence[str]) -> list[list[dict]]:
        """:meth:`tag_article` for many articles, scored in one batch (much faster than one by one)."""
        segmented = [self.segmenter.segment(text) for text in texts]
        flat = [sentence.text for sentences in segmented for sentence in sentences]
        scores = self.predict_proba(flat)
        labels = self._labels_for(scores)
        results, row = [], 0
        for sentences in segmented:
            tagged = []
            for sentence in sentences:
                tagged.append({
                    "text": sentence.text,
                    "start": sentence.start,
                    "end": sentence.end,
                    "labels": labels[row],
                    "scores": {label: round(float(score), 4) for label, score in zip(self.labels, scores[row])},
                })
                row += 1
            results.append(tagged)
        return results

    def explain(self, sentence: str, k: int = 5) -> dict[str, list[tuple[str, float]]]:
        """Per tag, the ``k`` features of ``sentence`` that moved its score most, with signed weights.

        A weight is the feature's value times the classifier's coefficient for
        that tag (for naive Bayes, its log-probability difference): positive
        pushes toward the tag.
        """
        if not isinstance(sentence, str):
            raise InputError(f"explain expects one sentence as a string, found {type(sentence).__name__}")
        if k < 1:
            raise InputError(f"explain: k must be at least 1, found {k}")
        features = self.pipeline.named_steps["features"]
        row = features.transform([sentence]).tocsr()
        names = features.get_feature_names_out()
        explanation = {}
        for label, estimator in zip(self.labels, self.pipeline.named_steps["classifier"].estimators_):
            weights = _feature_weights(estimator)
            if weights is None:
                explanation[label] = []
                continue
            contributions = [(str(names[j]), float(value * weights[j])) for j, value in zip(row.indices, row.data)]
            contributions.sort(key=lambda item: (-abs(item[1]), item[0]))
            explanation[label] = [(name, round(weight, 4)) for name, weight in contributions[:k] if weight != 0.0]
        return explanation

    def score_articles(
        self, articles: Iterable[str | Mapping], *, text_field: str = "text", id_field: str = "id", batch_size: int = 256
    ) -> Iterator[dict]:
        """Lazily yield one record per article: ``id``, ``sentences`` and per-tag ``counts``.

        Items are strings (ids are their position) or mappings with
        ``text_field`` and, optionally, ``id_field``.
        """
        batch: list[tuple[str, str]] = []
        for position, item in enumerate(articles):
            if isinstance(item, str):
                batch.append((str(position), item))
            elif isinstance(item, Mapping):
                text = item.get(text_field)
                if not isinstance(text, str):
                    raise InputError(f"article {position}: field {text_field!r} must be a string, found {type(text).__name__}")
                batch.append((str(item.get(id_field, position)), text))
            else:
                raise InputError(f"article {position}: expected a string or a mapping, found {type(item).__name__}")
            if len(batch) >= batch_size:
                yield from self._records(batch)
                batch = []
        if batch:
            yield from self._records(batch)

    def _records(self, batch: list[tuple[str, str]]) -> Iterator[dict]:
        for (article_id, _), sentences in zip(batch, self.tag_articles([text for _, text in batch])):
            yield {"id": article_id, "sentences": sentences, "counts": count_tags(sentences, self.labels)}

    def score_dataset(self, dataset, *, text_field: str = "text", num_proc: int | None = None, batch_size: int = 256):
        """Score a Hugging Face ``datasets.Dataset``; adds ``sentences`` (JSON text) and one count column per tag.

        Runs ``Dataset.map(batched=True, num_proc=num_proc)``, so corpora larger
        than memory are scored from disk in parallel.
        """
        if text_field not in dataset.column_names:
            raise InputError(f"dataset has no column {text_field!r}; columns: {', '.join(dataset.column_names)}")
        return dataset.map(
            score_batch, batched=True, batch_size=batch_size, num_proc=num_proc,
            fn_kwargs={"tagger": self, "text_field": text_field}, desc="asnclf score",
        )


def score_batch(batch: Mapping[str, list], *, tagger: Tagger, text_field: str = "text") -> dict[str, list]:
    """Columnar batch function: ``{text_field: [...]}`` -> sentences as JSON and per-tag counts.

    The same function serves ``Dataset.map``, Spark ``mapInPandas`` and Dask
    ``map_partitions`` (see the README).
    """
    import json

    tagged = tagger.tag_articles([text if isinstance(text, str) else "" for text in batch[text_field]])
    out: dict[str, list] = {"sentences": [json.dumps(sentences, ensure_ascii=False) for sentences in tagged]}
    for label in tagger.labels:
        out[f"n_{label}"] = [sum(label in s["labels"] for s in sentences) for sentences in tagged]
    return out


def count_tags(sentences: list[dict], labels: Sequence[str]) -> dict[str, int]:
    """How many sentences carry each tag."""
    return {label: sum(label in sentence["labels"] for sentence in sentences) for label in labels}


def _feature_weights(estimator) -> np.ndarray | None:
    if hasattr(estimator, "coef_"):
        return np.asarray(estimator.coef_).ravel()
    if hasattr(estimator, "feature_log_prob_") and estimator.feature_log_prob_.shape[0] == 2:
        # ComplementNB's joint log-likelihood is X @ feature_log_prob_.T, so the
        # difference between the two rows is the per-feature push toward the tag.
        log_prob = estimator.feature_log_prob_
        return log_prob[1] - log_prob[0]
    return None


def _as_sentence_list(sentences: Sequence[str]) -> list[str]:
    if isinstance(sentences, str):
        raise InputError("expected a list of sentences, found one string; wrap it: predict([sentence])")
    sentences = list(sentences)
    for position, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise InputError(f"sentence {position} must be a string, found {type(sentence).__name__}")
    return sentences
