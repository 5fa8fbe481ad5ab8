"""The trained model as users call it: tag sentences and articles, explain a score.

A :class:`Tagger` knows nothing about training: it wraps a fitted
scikit-learn pipeline, the tag order, the per-tag thresholds and the
segmenter settings it was trained with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from asnclf.model.context import article_numbers, article_numbers_of
from asnclf.errors import InputError
from asnclf.text.segment import Segmenter, Sentence

if TYPE_CHECKING:
    from asnclf.model.context import ContextStage
    from asnclf.model.linear_scorer import LinearScorer


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
    scorer : LinearScorer or None
        The scikit-learn-free form of the pipeline that scores with it, when it has one.
    context : ContextStage or None
        The article-context stage over the pipeline's scores (see :mod:`asnclf.model.context`);
        None for a model that judges each sentence alone.
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
        scorer: LinearScorer | None = None,
        load_pipeline: Callable[[], object] | None = None,
        context: ContextStage | None = None,
    ) -> None:
        if pipeline is None and load_pipeline is None:
            raise ValueError("a Tagger needs a pipeline or a way to load one")
        self._pipeline = pipeline
        self._load_pipeline = load_pipeline
        self.scorer = scorer
        self.context = context
        self.labels = tuple(labels)
        self.thresholds = dict(zip(self.labels, (float(t) for t in thresholds)))
        self.segmenter_settings = dict(segmenter_settings or {})
        self.segmenter = Segmenter.from_settings(**self.segmenter_settings)
        self.manifest = dict(manifest or {})

    @classmethod
    def from_pipeline(cls, pipeline, labels: Sequence[str], *, segmenter_settings: Mapping | None = None) -> Tagger:
        """A tagger for a pipeline ending in a :class:`~asnclf.model.decision.TaggingClassifier`, with its
        thresholds and context stage: the estimator is the one place they are set."""
        decision = pipeline.steps[-1][1]
        return cls(pipeline, labels, decision.thresholds, segmenter_settings=segmenter_settings, context=decision.context)

    @property
    def pipeline(self):
        """The fitted scikit-learn pipeline (unpickled on first use when the model was loaded with a scoring form)."""
        if self._pipeline is None:
            self._pipeline = self._load_pipeline()
        return self._pipeline

    def predict_proba(self, sentences: Sequence[str], *, articles: Sequence | None = None) -> np.ndarray:
        """Scores in [0, 1], shape ``(len(sentences), len(labels))``.

        With no ``articles``, each sentence is judged alone: a model with the
        article-context stage then knows only what the sentence itself says
        about its topic ("Warga diminta tidak panik." could be about a flood
        or an election) and has no neighbours, so it is more cautious than on
        a whole article. Give ``articles`` (one article id per sentence;
        sentences with equal ids are one article, in reading order) to score
        with their articles' context, or use :meth:`tag_article` /
        :meth:`tag_articles` on article text.

        For logistic regression and naive Bayes these are probabilities; for
        the linear SVM they are a logistic squash of the margin (ordered, not calibrated).
        """
        sentences = _as_sentence_list(sentences)
        if articles is None:
            article_of = np.arange(len(sentences))
        else:
            articles = list(articles)
            if len(articles) != len(sentences):
                raise InputError(f"articles has {len(articles)} ids but there are {len(sentences)} sentences")
            article_of = article_numbers_of(articles)
        return self._final_scores(self._scores(sentences), article_of)

    def _final_scores(self, first_stage: np.ndarray, article_of: np.ndarray) -> np.ndarray:
        if self.context is None:
            return first_stage
        return self.context.scores(first_stage, article_of)

    def _scores(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, len(self.labels) + (self.context is not None)))
        if self.scorer is not None:
            return self.scorer.scores(sentences)
        return first_stage_scores(self.pipeline, sentences)

    def predict(self, sentences: Sequence[str], *, articles: Sequence | None = None) -> list[list[str]]:
        """The tags of each sentence (an empty list for none); ``articles`` as in :meth:`predict_proba`.

        >>> tagger.predict(["ASN dilarang ikut kampanye."])  # doctest: +SKIP
        [['prohibition']]
        """
        return self._labels_for(self.predict_proba(sentences, articles=articles))

    def _cuts(self) -> np.ndarray:
        """:attr:`thresholds` as an array in the order of :attr:`labels`."""
        return np.array([self.thresholds[label] for label in self.labels])

    def _labels_for(self, scores: np.ndarray) -> list[list[str]]:
        hits = scores >= self._cuts()
        return [[label for label, hit in zip(self.labels, row) if hit] for row in hits]

    def tag_article(self, text: str) -> list[dict]:
        """Every sentence of an article with ``text``, ``start``, ``end``, ``labels`` and ``scores`` (by tag)."""
        if not isinstance(text, str):
            raise InputError(f"tag_article expects article text as a string, found {type(text).__name__}")
        return self.tag_articles([text])[0]

    def tag_articles(self, texts: Sequence[str]) -> list[list[dict]]:
        """:meth:`tag_article` for many articles, scored in one batch (much faster than one by one)."""
        return self.score_texts(texts).sentence_dicts(self.labels)

    def score_texts(self, texts: Sequence[str]) -> ScoredArticles:
        """Segment and score many articles at once; the arrays behind :meth:`tag_articles` and ``asnclf score``."""
        segmented = [self.segmenter.segment(text) for text in texts]
        sentences = [sentence.text for sentence in chain.from_iterable(segmented)]
        first_stage = self._scores(sentences)  # the segmenter's sentences are strings: no need to check each
        scores = self._final_scores(first_stage, article_numbers([len(article) for article in segmented]))
        codes = (scores >= self._cuts()).astype(np.int64) @ (1 << np.arange(len(self.labels), dtype=np.int64))
        rounded = np.rint(scores * SCORE_SCALE).astype(np.int64)
        return ScoredArticles(segmented, rounded, codes)

    def explain(self, sentence: str, k: int = 5) -> dict[str, list[tuple[str, float]]]:
        """Per tag, the ``k`` features of ``sentence`` that moved its score most, with signed weights.

        A weight is the feature's value times the classifier's coefficient for
        that tag (for naive Bayes, its log-probability difference): positive
        pushes toward the tag. It explains the first stage, the sentence's own
        words; the article-context stage then weighs that score with the topic.
        """
        if not isinstance(sentence, str):
            raise InputError(f"explain expects one sentence as a string, found {type(sentence).__name__}")
        if k < 1:
            raise InputError(f"explain: k must be at least 1, found {k}")
        if self.scorer is not None:  # the scoring form has the same features and weights: no unpickling
            row = self.scorer.feature_row(sentence)
            names = self.scorer.feature_names()
            columns = list(self.scorer.weights.T)
        else:
            features = self.pipeline.named_steps["features"]
            row = features.transform([sentence]).tocsr()
            names = features.get_feature_names_out()
            columns = [_feature_weights(estimator) for estimator in first_stage_classifier(self.pipeline).estimators_]
        explanation = {}
        for label, weights in zip(self.labels, columns):
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

    def score_dataset(
        self, dataset, *, text_field: str = "text", id_field: str = "id", only_tagged: bool = False,
        num_proc: int | None = None, batch_size: int = 256,
    ):
        """Score a Hugging Face ``datasets.Dataset`` of articles: one row per sentence, as ``asnclf score --format parquet``.

        Returns a new Dataset with ``id`` (the ``id_field`` values as
        strings, or the row number when there is no such column), the
        dataset's other columns, then ``sentence``, ``start``, ``end``
        (int32), ``text``, ``labels`` (tags joined by ``|``) and one
        ``score_<tag>`` (float64) per tag. An article without sentences keeps
        one row, with empty sentence columns. With ``only_tagged``, only
        sentences with at least one tag are kept.

        Runs ``Dataset.map(batched=True, num_proc=num_proc)``, so corpora larger
        than memory are scored from disk in parallel.
        """
        import datasets

        from asnclf.model.sentence_table import arrow_fields, other_columns

        if text_field not in dataset.column_names:
            raise InputError(f"dataset has no column {text_field!r}; columns: {', '.join(dataset.column_names)}")
        others = other_columns(dataset.column_names, text_field, id_field, self.labels)
        value_types = {"int32": "int32", "string": "string", "double": "float64"}
        features = datasets.Features({
            "id": datasets.Value("string"),
            **{name: dataset.features[name] for name in others},
            **{field.name: datasets.Value(value_types[str(field.type)]) for field in arrow_fields(self.labels)},
        })
        return dataset.map(
            score_batch, batched=True, batch_size=batch_size, num_proc=num_proc, with_indices=True,
            remove_columns=dataset.column_names, features=features, desc="asnclf score",
            fn_kwargs={"tagger": self, "text_field": text_field, "id_field": id_field, "others": others,
                       "only_tagged": only_tagged},
        )


def score_batch(
    batch: Mapping[str, list], indices: Sequence[int], *, tagger: Tagger, text_field: str = "text", id_field: str = "id",
    others: Sequence[str] = (), only_tagged: bool = False,
) -> dict[str, list]:
    """``Dataset.map`` batch function of :meth:`Tagger.score_dataset`: a batch of articles -> their sentence rows."""
    from asnclf.model.sentence_table import article_rows

    ids = batch[id_field] if id_field in batch else [str(index) for index in indices]
    owners, columns = article_rows(tagger, ids, batch[text_field], only_tagged=only_tagged)
    return {"id": columns.pop("id"), **{name: [batch[name][k] for k in owners] for name in others}, **columns}


def first_stage_classifier(pipeline):
    """The fitted first-stage classifier at the end of ``pipeline``, unwrapped from its
    :class:`~asnclf.model.decision.TaggingClassifier` if it has one.

    Told apart by its ``first_stage_proba`` rather than its class: this
    module is on the scoring path and does not import scikit-learn.
    """
    classifier = pipeline.steps[-1][1]
    return classifier.estimator_ if hasattr(classifier, "first_stage_proba") else classifier


def first_stage_scores(pipeline, sentences: list[str]) -> np.ndarray:
    """The first stage's scores of ``sentences`` (tags, then the topic with a context stage) from a fitted pipeline."""
    classifier = pipeline.steps[-1][1]
    if hasattr(classifier, "first_stage_proba"):
        return classifier.first_stage_proba(pipeline[:-1].transform(sentences))
    return estimator_scores(pipeline, sentences)


def estimator_scores(estimator, X) -> np.ndarray:
    """Scores in [0, 1]: ``predict_proba``, or a logistic squash of the margin for estimators without it (linear SVM)."""
    try:
        return estimator.predict_proba(X)
    except AttributeError:
        return 1.0 / (1.0 + np.exp(-estimator.decision_function(X)))


SCORE_SCALE = 10_000  # scores in records are rounded to 4 decimals: stored as round(score * SCORE_SCALE)


class ScoredArticles(NamedTuple):
    """Articles segmented and scored, as arrays over all their sentences in order.

    ``rounded[i, j]`` is sentence i's score for tag j times :data:`SCORE_SCALE`,
    rounded; bit j of ``codes[i]`` is set when tag j is given.
    """

    segmented: list[list[Sentence]]
    rounded: np.ndarray
    codes: np.ndarray

    @staticmethod
    def label_lists(labels: Sequence[str]) -> list[list[str]]:
        """For each possible code, its tags in order (index with a code)."""
        return [[label for bit, label in enumerate(labels) if code >> bit & 1] for code in range(1 << len(labels))]

    def tag_counts(self, n_labels: int) -> np.ndarray:
        """Tagged sentences per article and tag, shape ``(articles, n_labels)``."""
        lengths = np.fromiter(map(len, self.segmented), dtype=np.int64, count=len(self.segmented))
        article_of = np.repeat(np.arange(len(self.segmented)), lengths)
        return np.column_stack([
            np.bincount(article_of, weights=(self.codes >> bit) & 1, minlength=len(self.segmented)).astype(np.int64)
            for bit in range(n_labels)
        ]) if n_labels else np.zeros((len(self.segmented), 0), dtype=np.int64)

    def sentence_dicts(self, labels: Sequence[str]) -> list[list[dict]]:
        """Per article, its sentences as dicts with ``text``, ``start``, ``end``, ``labels`` and ``scores``."""
        combos = self.label_lists(labels)
        scores = [dict(zip(labels, row)) for row in (self.rounded / SCORE_SCALE).tolist()]
        codes = self.codes.tolist()
        results, row = [], 0
        for sentences in self.segmented:
            tagged = []
            for text, start, end in sentences:
                tagged.append({"text": text, "start": start, "end": end, "labels": list(combos[codes[row]]),
                               "scores": scores[row]})
                row += 1
            results.append(tagged)
        return results


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
