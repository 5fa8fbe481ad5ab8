"""Honest evaluation: repeated cross-validation grouped by article, with nested threshold tuning.

No article is ever on both sides of a split, and thresholds are tuned inside
each training fold only, so the reported figures are what a new article
would get. A keyword-rule baseline is scored on the very same folds.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, multilabel_confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from asnclf.training.baseline import keyword_scores
from asnclf.model.act_topic import ActTopicClassifier
from asnclf.training.config import TrainConfig
from asnclf.model.context import ContextStage, article_numbers_of
from asnclf.training.context_fit import fit_context_stage, topic_targets, with_topic_column
from asnclf.training.corpus_counts import CorpusWordCounts, PrecountedWordTfidf
from asnclf.errors import DataError
from asnclf.features.blocks import build_features
from asnclf.labels import TAGS
from asnclf.training.parallel import Task
from asnclf.training.registry import build_classifier, build_estimator
from asnclf.model.tagger import estimator_scores
from asnclf.training.thresholds import choose_thresholds

Split = tuple[np.ndarray, np.ndarray]


def build_pipeline(config: TrainConfig, corpus: CorpusWordCounts | None = None) -> Pipeline:
    """The unfitted scikit-learn pipeline a config describes.

    With the context stage on, the classifier is an :class:`ActTopicClassifier`
    (tags learned on on-topic articles, the topic on all); else one-vs-rest.
    With ``corpus`` (cross-validation's fits), the word block takes its counts
    from it instead of reading the text again: see :mod:`asnclf.training.corpus_counts`.
    """
    if config.context.enabled:
        classifier = ActTopicClassifier(build_estimator(config.model, config.seed))
    else:
        classifier = build_classifier(config.model, config.seed)
    features = build_features(config.features)
    if corpus is not None:
        features.set_params(word=PrecountedWordTfidf.like(dict(features.transformer_list)["word"], corpus))
    return Pipeline([("features", features), ("classifier", classifier)])


def corpus_counts(config: TrainConfig, sentences: list[str]) -> CorpusWordCounts | None:
    """The word block's counts of ``sentences`` for cross-validation's fits, or None without a word block."""
    if not config.features.word.enabled:
        return None
    return CorpusWordCounts(sentences, dict(build_features(config.features).transformer_list)["word"])


def grouped_folds(groups: Sequence[str], n_splits: int, seed: int, *, y: np.ndarray | None = None,
                  unit: str = "articles") -> list[Split]:
    """K folds over whole groups (articles, or batches: ``unit`` names them in errors), shuffled by ``seed``.

    With ``y``, scikit-learn's ``StratifiedGroupKFold`` keeps the share of
    on-topic articles (with a tagged sentence) and general-news articles alike
    in every fold, so that each training fold can learn the topic.
    """
    names = sorted(set(groups))
    if len(names) < n_splits:
        raise DataError(f"cross-validation needs at least {n_splits} {unit} for {n_splits} folds, found {len(names)}")
    article_of = article_numbers_of(groups)
    strata = np.zeros(len(groups), dtype=int) if y is None else topic_targets(y, article_of)
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # Fewer articles of one kind than folds is allowed: those folds simply lack that kind.
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        splits = list(splitter.split(np.zeros(len(groups)), strata, article_of))
    # Ordered by each test fold's first row, so the folds do not depend on scikit-learn's internal order.
    return sorted(((train, test) for train, test in splits), key=lambda split: int(split[1][0]))


@dataclass(frozen=True)
class FittedModel:
    """A fitted first stage, its article-context stage (or None) and per-tag thresholds."""

    pipeline: Pipeline
    context: ContextStage | None
    thresholds: np.ndarray


def first_stage_targets(config: TrainConfig, y: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """What the pipeline learns: the tags, plus the topic column when the context stage is on.

    The topic can only be learned from both kinds of article: raises
    :class:`DataError` when every article, or none, has a tagged sentence.
    """
    if not config.context.enabled:
        return y
    targets = with_topic_column(y, article_numbers_of(groups))
    if targets[:, -1].min() == targets[:, -1].max():
        kind = "no tagged sentence (general news)" if targets[0, -1] else "a tagged sentence"
        raise DataError(f"context.enabled = true needs training articles with {kind} to learn the topic, "
                        "found none; add such articles or set context.enabled = false")
    return targets


def fit_context_and_thresholds(
    config: TrainConfig, first_stage: np.ndarray, y: np.ndarray, groups: Sequence[str]
) -> tuple[ContextStage | None, np.ndarray]:
    """The context stage and thresholds learned from out-of-fold first-stage scores."""
    article_of = article_numbers_of(groups)
    context = None
    scores = first_stage
    if config.context.enabled:
        context = fit_context_stage(first_stage, y, article_of, learner=config.context.learner, C=config.context.C,
                                    hidden=config.context.hidden, seed=config.seed)
        scores = context.scores(first_stage, article_of)
    return context, choose_thresholds(config.thresholds, y, scores)


def fit_with_thresholds(config: TrainConfig, sentences: list[str], y: np.ndarray, groups: list[str],
                        corpus: CorpusWordCounts | None = None) -> FittedModel:
    """Fit a pipeline on all given rows; learn its context stage and thresholds on inner out-of-fold scores.

    ``corpus``, if given, holds the word counts of every given sentence (see :func:`build_pipeline`).
    """
    targets = first_stage_targets(config, y, groups)
    if config.thresholds.strategy == "fixed" and not config.context.enabled:
        context, thresholds = None, choose_thresholds(config.thresholds, None, None)
    else:
        inner = grouped_folds(groups, min(config.evaluation.inner_folds, len(set(groups))), config.seed + 1, y=y)
        inner_scores = out_of_fold_scores(config, sentences, targets, inner, corpus)
        context, thresholds = fit_context_and_thresholds(config, inner_scores, y, groups)
    pipeline = build_pipeline(config, corpus).fit(sentences, targets)
    return FittedModel(pipeline, context, thresholds)


def fit_final_pipeline(config: TrainConfig, sentences: list[str], y: np.ndarray, groups: list[str]) -> Pipeline:
    """The first stage fitted on every training row (the shipped model's pipeline)."""
    return build_pipeline(config).fit(sentences, first_stage_targets(config, y, groups))


def out_of_fold_scores(config: TrainConfig, sentences: list[str], y: np.ndarray, folds: list[Split],
                       corpus: CorpusWordCounts | None = None) -> np.ndarray:
    """First-stage scores of each row from a pipeline that never saw its article."""
    scores = np.zeros(y.shape, dtype=float)
    for split in folds:
        scores[split[1]] = first_stage_fold_scores(config, sentences, y, split, corpus)
    return scores


def first_stage_fold_scores(config: TrainConfig, sentences: list[str], y: np.ndarray, split: Split,
                            corpus: CorpusWordCounts | None = None) -> np.ndarray:
    """First-stage scores of the split's test rows from a pipeline fitted on its training rows."""
    train, test = split
    pipeline = build_pipeline(config, corpus).fit([sentences[i] for i in train], y[train])
    return estimator_scores(pipeline, [sentences[i] for i in test])


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Per-tag precision/recall/F1/support and counts, micro and macro F1, exact-match ratio.

    ``y_true`` and ``y_pred`` are 0/1 arrays of shape ``(sentences, len(TAGS))``.
    A ratio with nothing to count (no predicted or no true sentences) is 0.0.
    """
    if not len(y_true):  # scikit-learn refuses empty arrays
        empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 0}
        return {"per_tag": {tag: dict(empty) for tag in TAGS}, "micro_f1": 0.0, "macro_f1": 0.0,
                "exact_match": 0.0, "sentences": 0}
    labels = list(range(len(TAGS)))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0.0)
    counts = multilabel_confusion_matrix(y_true, y_pred, labels=labels)  # per tag [[tn, fp], [fn, tp]]
    per_tag = {
        tag: {"precision": float(precision[j]), "recall": float(recall[j]), "f1": float(f1[j]),
              "support": int(support[j]), "tp": int(counts[j, 1, 1]), "fp": int(counts[j, 0, 1]),
              "fn": int(counts[j, 1, 0]), "tn": int(counts[j, 0, 0])}
        for j, tag in enumerate(TAGS)
    }
    return {
        "per_tag": per_tag,
        "micro_f1": float(f1_score(y_true, y_pred, labels=labels, average="micro", zero_division=0.0)),
        "macro_f1": float(np.mean(f1)),
        "exact_match": float(accuracy_score(y_true, y_pred)),
        "sentences": int(len(y_true)),
    }


@dataclass
class CrossValidation:
    """What repeated grouped cross-validation measured, for the model and the baseline.

    ``first_repeat_first_stage`` holds the first repeat's out-of-fold first-stage
    scores (with the topic column when the context stage is on): what the final
    context stage and thresholds are learned from.
    """

    model_runs: list[dict]
    baseline_runs: list[dict]
    first_repeat_scores: np.ndarray
    first_repeat_first_stage: np.ndarray
    folds: int
    repeats: int
    general_news_runs: list[dict] = field(default_factory=list)
    learning_curve: list[dict] = field(default_factory=list)
    group_by: str = "article"

    def summary(self) -> dict:
        summary = {
            "scheme": (f"{self.repeats}x repeated " if self.repeats > 1 else "") + f"{self.folds}-fold cross-validation grouped by {self.group_by}"
            + (" (the folder an article's file is in: no writer's batch on both sides)" if self.group_by == "batch" else "")
            + ", "
            "context stage and thresholds learned inside each training fold",
            "model": summarize_runs(self.model_runs),
            "baseline": summarize_runs(self.baseline_runs),
            "learning_curve": self.learning_curve,
        }
        if self.general_news_runs:
            summary["general_news"] = summarize_false_alarms(self.general_news_runs)
        return summary


def false_alarms(predicted: np.ndarray, general: np.ndarray, groups: Sequence[str]) -> dict:
    """Tagged sentences in general-news rows (every one a false alarm), per 50 general-news articles."""
    general = np.asarray(general, dtype=bool)
    articles = len({groups[i] for i in np.flatnonzero(general)})
    tagged = int(np.asarray(predicted)[general].any(axis=1).sum()) if articles else 0
    per_tag = {tag: int(np.asarray(predicted)[general, j].sum()) if articles else 0 for j, tag in enumerate(TAGS)}
    return {
        "articles": articles,
        "sentences": int(general.sum()),
        "tagged_sentences": tagged,
        "per_tag": per_tag,
        "tagged_per_50_articles": 50.0 * tagged / articles if articles else 0.0,
    }


def summarize_false_alarms(runs: list[dict]) -> dict:
    """Mean and spread of :func:`false_alarms` over repeats."""
    rates = [run["tagged_per_50_articles"] for run in runs]
    return {
        "articles": runs[0]["articles"],
        "sentences": runs[0]["sentences"],
        "tagged_per_50_articles": {"mean": float(np.mean(rates)), "std": float(np.std(rates))},
        "per_tag": {tag: float(np.mean([run["per_tag"][tag] for run in runs])) for tag in TAGS},
    }


@dataclass(frozen=True)
class EvaluationPlan:
    """The splits one config's evaluation fits, fixed before any fit.

    ``repeats`` holds each repeat's cross-validation folds, ``curve`` each
    learning-curve fraction with its training articles per fold and splits,
    and ``splits`` every distinct split once: the learning curve's 100% point
    is the first repeat's folds, fitted once for both.
    """

    repeats: list[list[Split]]
    curve: list[tuple[float, int, list[Split]]]
    splits: list[Split]


def plan_evaluation(config: TrainConfig, y: np.ndarray, groups: list[str], *, fold_seed: int | None = None,
                    with_learning_curve: bool = False, batches: Mapping[str, str] | None = None) -> EvaluationPlan:
    """The cross-validation folds (seeded by ``fold_seed``, default the config's seed) and, if asked, the learning curve's splits.

    The folds keep whole what ``evaluation.group_by`` says: each article
    (``groups``), or each article's batch, from ``batches`` (article id ->
    batch, see :class:`asnclf.data.dataset.TrainingData`; an article with
    none is a batch of its own).
    """
    evaluation = config.evaluation
    fold_seed = config.seed if fold_seed is None else fold_seed
    if evaluation.group_by == "batch":
        if batches is None:
            raise ValueError("evaluation.group_by = 'batch' needs the articles' batches")
        fold_groups, unit = [batches.get(article, f"article {article}") for article in groups], "batches"
    else:
        fold_groups, unit = groups, "articles"
    repeats = [grouped_folds(fold_groups, evaluation.folds, fold_seed + 1000 * repeat, y=y, unit=unit)
               for repeat in range(evaluation.repeats)]
    curve = learning_curve_splits(config, y, groups, repeats[0]) if with_learning_curve and evaluation.learning_curve else []
    unique: dict[tuple[bytes, bytes], Split] = {}
    for split in [split for folds in repeats for split in folds] + [split for *_, splits in curve for split in splits]:
        unique.setdefault(_split_key(split), split)
    return EvaluationPlan(repeats, curve, list(unique.values()))


def fold_tasks(config: TrainConfig, sentences: list[str], y: np.ndarray, groups: list[str], plan: EvaluationPlan) -> list[Task]:
    """One :func:`score_fold` task per distinct split of ``plan``, for :func:`asnclf.training.parallel.run_tasks`.

    Raises :class:`DataError` for data the context stage cannot learn from, before any fit.
    """
    first_stage_targets(config, y, groups)
    article_of = article_numbers_of(groups)
    corpus = corpus_counts(config, sentences)
    return [(score_fold, (config, sentences, y, groups, article_of, split, corpus)) for split in plan.splits]


def assemble_evaluation(config: TrainConfig, plan: EvaluationPlan, results: list[FoldScores], sentences: list[str],
                        y: np.ndarray, groups: list[str], *, general: Sequence[bool] | None = None) -> CrossValidation:
    """Metrics of the model and the baseline from the folds' scores (``results``, in the order of ``plan.splits``)."""
    result_of = {_split_key(split): result for split, result in zip(plan.splits, results)}
    baseline_all = multilabel_metrics(y, keyword_scores(sentences).astype(int))
    model_runs, baseline_runs, general_runs = [], [], []
    first_scores = np.zeros(y.shape)
    first_stage = np.zeros((len(y), results[0].first_stage.shape[1]))
    for repeat, folds in enumerate(plan.repeats):
        predictions = np.zeros(y.shape, dtype=int)
        for train, test in folds:
            fold = result_of[_split_key((train, test))]
            predictions[test] = (fold.scores >= fold.thresholds).astype(int)
            if repeat == 0:
                first_scores[test] = fold.scores
                first_stage[test] = fold.first_stage
        model_runs.append(multilabel_metrics(y, predictions))
        baseline_runs.append(baseline_all)
        if general is not None and any(general):
            general_runs.append(false_alarms(predictions, np.asarray(general), groups))
    rows = []
    for fraction, articles_per_fold, splits in plan.curve:
        runs = []
        for train, test in splits:
            fold = result_of[_split_key((train, test))]
            runs.append(multilabel_metrics(y[test], (fold.scores >= fold.thresholds).astype(int)))
        summary = summarize_runs(runs)
        rows.append({
            "fraction": fraction,
            "train_articles_per_fold": articles_per_fold,
            "macro_f1": summary["macro_f1"],
            "per_tag_f1": {tag: summary["per_tag"][tag]["f1"] for tag in TAGS},
        })
    return CrossValidation(model_runs, baseline_runs, first_scores, first_stage,
                           config.evaluation.folds, config.evaluation.repeats, general_news_runs=general_runs,
                           learning_curve=rows, group_by=config.evaluation.group_by)


@dataclass(frozen=True)
class FoldScores:
    """What one outer fold's model gives its test rows: final and first-stage scores, and its thresholds."""

    scores: np.ndarray
    first_stage: np.ndarray
    thresholds: np.ndarray


def score_fold(config: TrainConfig, sentences: list[str], y: np.ndarray, groups: list[str], article_of: np.ndarray,
               split: Split, corpus: CorpusWordCounts | None = None) -> FoldScores:
    """Fit on the split's training rows (with context stage and thresholds), score its test rows."""
    train, test = split
    model = fit_with_thresholds(config, [sentences[i] for i in train], y[train], [groups[i] for i in train], corpus)
    test_sentences = [sentences[i] for i in test]
    first = estimator_scores(model.pipeline, test_sentences)
    scores = first if model.context is None else model.context.scores(first, article_of[test])
    return FoldScores(scores, first, model.thresholds)


def learning_curve_splits(config: TrainConfig, y: np.ndarray, groups: list[str],
                          folds: list[Split]) -> list[tuple[float, int, list[Split]]]:
    """Per learning-curve fraction: the fraction, the mean count of training articles
    it keeps per fold, and the first repeat's folds with that fraction of each
    training fold's articles.

    The training articles are sampled alike from on-topic and general-news
    articles; the 100% point is the first repeat's folds themselves (``folds``).
    """
    topics = topic_targets(y, article_numbers_of(groups))
    curve = []
    for fraction in config.evaluation.learning_curve:
        splits = []
        for k, (train, test) in enumerate(folds):
            kept = _article_sample(train, groups, topics, fraction, config.evaluation.inner_folds, config.seed + k)
            splits.append((np.array([i for i in train if groups[i] in kept]), test))
        per_fold = int(np.mean([math.ceil(fraction * len({groups[i] for i in train})) for train, _ in folds]))
        curve.append((fraction, per_fold, splits))
    return curve


def _split_key(split: Split) -> tuple[bytes, bytes]:
    train, test = split
    return np.asarray(train, dtype=np.int64).tobytes(), np.asarray(test, dtype=np.int64).tobytes()


def general_news_alarms(tagger, texts: dict[str, str]) -> dict:
    """Whole general-news articles tagged as users score them; every tagged sentence is a false alarm."""
    ids = sorted(texts)
    alarms = []
    sentences = 0
    for article, tagged in zip(ids, tagger.tag_articles([texts[article] for article in ids])):
        sentences += len(tagged)
        alarms.extend({"article": article, "text": s["text"], "labels": s["labels"]} for s in tagged if s["labels"])
    return {
        "articles": len(ids),
        "sentences": sentences,
        "tagged_sentences": len(alarms),
        "tagged_per_50_articles": 50.0 * len(alarms) / len(ids) if ids else 0.0,
        "per_tag": {tag: sum(tag in alarm["labels"] for alarm in alarms) for tag in TAGS},
        "alarms": alarms,
    }


def _article_sample(rows: np.ndarray, groups: Sequence[str], topics: np.ndarray, fraction: float,
                    minimum: int, seed: int) -> set[str]:
    """A ``fraction`` of the articles of ``rows``, taken alike from on-topic and general-news articles."""
    rng = np.random.default_rng(seed)
    kept: set[str] = set()
    for kind in (1, 0):
        names = sorted({groups[i] for i in rows if topics[i] == kind})
        count = min(len(names), max(math.ceil(fraction * len(names)), math.ceil(minimum / 2)))
        kept.update(names[i] for i in rng.permutation(len(names))[:count])
    return kept


def summarize_runs(runs: list[dict]) -> dict:
    """Mean and standard deviation of each metric across runs (repeats or folds)."""
    def spread(values: list[float]) -> dict:
        return {"mean": float(np.mean(values)), "std": float(np.std(values))}

    return {
        "per_tag": {
            tag: {
                **{name: spread([run["per_tag"][tag][name] for run in runs]) for name in ("precision", "recall", "f1")},
                "support": int(round(np.mean([run["per_tag"][tag]["support"] for run in runs]))),
            }
            for tag in TAGS
        },
        "micro_f1": spread([run["micro_f1"] for run in runs]),
        "macro_f1": spread([run["macro_f1"] for run in runs]),
        "exact_match": spread([run["exact_match"] for run in runs]),
        "runs": len(runs),
    }
