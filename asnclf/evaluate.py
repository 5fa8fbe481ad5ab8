"""Honest evaluation: repeated cross-validation grouped by article, with nested threshold tuning.

No article is ever on both sides of a split, and thresholds are tuned inside
each training fold only, so the reported figures are what a new article
would get. A keyword-rule baseline is scored on the very same folds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.pipeline import Pipeline

from asnclf.baseline import keyword_scores
from asnclf.config import TrainConfig
from asnclf.errors import DataError
from asnclf.features import build_features
from asnclf.labels import TAGS
from asnclf.registry import build_classifier
from asnclf.tagger import estimator_scores
from asnclf.thresholds import choose_thresholds

Split = tuple[np.ndarray, np.ndarray]


def build_pipeline(config: TrainConfig) -> Pipeline:
    """The unfitted scikit-learn pipeline a config describes."""
    return Pipeline([("features", build_features(config.features)), ("classifier", build_classifier(config.model, config.seed))])


def grouped_folds(groups: Sequence[str], n_splits: int, seed: int) -> list[Split]:
    """K folds over whole groups (articles), shuffled by ``seed`` and balanced by sentence count."""
    names = sorted(set(groups))
    if len(names) < n_splits:
        raise DataError(f"cross-validation needs at least {n_splits} articles for {n_splits} folds, found {len(names)}")
    index_of = {name: i for i, name in enumerate(names)}
    group_ids = np.array([index_of[g] for g in groups])
    sizes = np.bincount(group_ids, minlength=len(names))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of_group = np.empty(len(names), dtype=int)
    fold_sizes = np.zeros(n_splits, dtype=int)
    for g in order:
        target = int(np.argmin(fold_sizes))
        fold_of_group[g] = target
        fold_sizes[target] += sizes[g]
    fold_of_row = fold_of_group[group_ids]
    everything = np.arange(len(groups))
    return [(everything[fold_of_row != k], everything[fold_of_row == k]) for k in range(n_splits)]


def fit_with_thresholds(
    config: TrainConfig, sentences: list[str], y: np.ndarray, groups: list[str]
) -> tuple[Pipeline, np.ndarray]:
    """Fit a pipeline on all given rows and tune its thresholds on inner out-of-fold scores."""
    if config.thresholds.strategy == "fixed":
        thresholds = choose_thresholds(config.thresholds, None, None)
    else:
        inner = grouped_folds(groups, min(config.evaluation.inner_folds, len(set(groups))), config.seed + 1)
        inner_scores = out_of_fold_scores(config, sentences, y, inner)
        thresholds = choose_thresholds(config.thresholds, y, inner_scores)
    pipeline = build_pipeline(config).fit(sentences, y)
    return pipeline, thresholds


def out_of_fold_scores(config: TrainConfig, sentences: list[str], y: np.ndarray, folds: list[Split]) -> np.ndarray:
    """Scores of each row from a pipeline that never saw its article."""
    scores = np.zeros(y.shape, dtype=float)
    for train, test in folds:
        pipeline = build_pipeline(config).fit([sentences[i] for i in train], y[train])
        scores[test] = estimator_scores(pipeline, [sentences[i] for i in test])
    return scores


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Per-tag precision/recall/F1/support, micro and macro F1, exact-match ratio."""
    per_tag = {}
    for j, tag in enumerate(TAGS):
        tp = int(np.sum((y_true[:, j] == 1) & (y_pred[:, j] == 1)))
        fp = int(np.sum((y_true[:, j] == 0) & (y_pred[:, j] == 1)))
        fn = int(np.sum((y_true[:, j] == 1) & (y_pred[:, j] == 0)))
        per_tag[tag] = {
            "precision": _ratio(tp, tp + fp),
            "recall": _ratio(tp, tp + fn),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "support": int(y_true[:, j].sum()),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": int(len(y_true) - tp - fp - fn),
        }
    tp = sum(m["tp"] for m in per_tag.values())
    fp = sum(m["fp"] for m in per_tag.values())
    fn = sum(m["fn"] for m in per_tag.values())
    return {
        "per_tag": per_tag,
        "micro_f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "macro_f1": float(np.mean([m["f1"] for m in per_tag.values()])),
        "exact_match": float(np.mean(np.all(y_true == y_pred, axis=1))) if len(y_true) else 0.0,
        "sentences": int(len(y_true)),
    }


def _ratio(numerator: int, denominator: int) -> float:
    return float(numerator / denominator) if denominator else 0.0


@dataclass
class CrossValidation:
    """What repeated grouped cross-validation measured, for the model and the baseline."""

    model_runs: list[dict]
    baseline_runs: list[dict]
    first_repeat_scores: np.ndarray
    first_repeat_thresholds: list[np.ndarray]
    folds: int
    repeats: int
    learning_curve: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "scheme": f"{self.repeats}x repeated {self.folds}-fold cross-validation grouped by article, "
            "thresholds tuned inside each training fold",
            "model": summarize_runs(self.model_runs),
            "baseline": summarize_runs(self.baseline_runs),
            "learning_curve": self.learning_curve,
        }


def cross_validate(
    config: TrainConfig,
    sentences: list[str],
    y: np.ndarray,
    groups: list[str],
    *,
    progress: Callable[[str], None] = lambda message: None,
    fold_seed: int | None = None,
) -> CrossValidation:
    """Repeated grouped K-fold cross-validation of the configured model and of the keyword baseline.

    ``fold_seed`` (default: the config's seed) fixes the folds, so that several
    configs can be compared on exactly the same splits.
    """
    evaluation = config.evaluation
    fold_seed = config.seed if fold_seed is None else fold_seed
    baseline_all = keyword_scores(sentences)
    model_runs, baseline_runs = [], []
    first_scores = np.zeros(y.shape)
    first_thresholds: list[np.ndarray] = []
    for repeat in range(evaluation.repeats):
        folds = grouped_folds(groups, evaluation.folds, fold_seed + 1000 * repeat)
        predictions = np.zeros(y.shape, dtype=int)
        for k, (train, test) in enumerate(folds):
            progress(f"cross-validation: repeat {repeat + 1}/{evaluation.repeats}, fold {k + 1}/{evaluation.folds}")
            pipeline, thresholds = fit_with_thresholds(
                config, [sentences[i] for i in train], y[train], [groups[i] for i in train]
            )
            scores = estimator_scores(pipeline, [sentences[i] for i in test])
            predictions[test] = (scores >= thresholds).astype(int)
            if repeat == 0:
                first_scores[test] = scores
                first_thresholds.append(thresholds)
        model_runs.append(multilabel_metrics(y, predictions))
        baseline_runs.append(multilabel_metrics(y, baseline_all.astype(int)))
    return CrossValidation(model_runs, baseline_runs, first_scores, first_thresholds, evaluation.folds, evaluation.repeats)


def learning_curve(
    config: TrainConfig,
    sentences: list[str],
    y: np.ndarray,
    groups: list[str],
    *,
    progress: Callable[[str], None] = lambda message: None,
) -> list[dict]:
    """Macro and per-tag F1 when training on a fraction of each fold's training articles (first repeat's folds)."""
    folds = grouped_folds(groups, config.evaluation.folds, config.seed)
    rows = []
    for fraction in config.evaluation.learning_curve:
        runs = []
        for k, (train, test) in enumerate(folds):
            progress(f"learning curve: {fraction:.0%} of training articles, fold {k + 1}/{len(folds)}")
            train_groups = sorted({groups[i] for i in train})
            keep_count = max(config.evaluation.inner_folds, math.ceil(fraction * len(train_groups)))
            rng = np.random.default_rng(config.seed + k)
            kept = {train_groups[i] for i in rng.permutation(len(train_groups))[:keep_count]}
            subset = np.array([i for i in train if groups[i] in kept])
            pipeline, thresholds = fit_with_thresholds(
                config, [sentences[i] for i in subset], y[subset], [groups[i] for i in subset]
            )
            scores = estimator_scores(pipeline, [sentences[i] for i in test])
            runs.append(multilabel_metrics(y[test], (scores >= thresholds).astype(int)))
        summary = summarize_runs(runs)
        rows.append({
            "fraction": fraction,
            "train_articles_per_fold": int(np.mean([math.ceil(fraction * len({groups[i] for i in tr})) for tr, _ in folds])),
            "macro_f1": summary["macro_f1"],
            "per_tag_f1": {tag: summary["per_tag"][tag]["f1"] for tag in TAGS},
        })
    return rows


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
