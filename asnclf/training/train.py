"""Training end to end: data, cross-validation, final fit, thresholds, report, artifact."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asnclf.model.artifact import save_model
from asnclf.training.baseline import keyword_scores
from asnclf.training.config import TrainConfig
from asnclf.data.corpus import fingerprint
from asnclf.data.dataset import label_counts, prepare_training_data, save_dataset
from asnclf.training.evaluate import (
    assemble_evaluation,
    fit_context_and_thresholds,
    fit_final_pipeline,
    fold_tasks,
    general_news_alarms,
    multilabel_metrics,
    plan_evaluation,
)
from asnclf.data.labeled import LabeledSentence, label_matrix
from asnclf.labels import TAGS
from asnclf.training.parallel import run_tasks
from asnclf.training.progress import Progress
from asnclf.training.report import model_card, render_plots, render_report
from asnclf.model.decision import tagging_pipeline
from asnclf.model.tagger import Tagger


@dataclass(frozen=True)
class TrainResult:
    tagger: Tagger
    metrics: dict
    output_dir: Path


def train(config: TrainConfig, *, jobs: int = 1, progress: Progress = Progress()) -> TrainResult:
    """Build the data, cross-validate, fit the final model, save the artifact; return it with its metrics.

    The cross-validation and learning-curve fits run in ``jobs`` processes;
    the model and metrics do not depend on ``jobs``. ``progress`` counts the
    fits (see :mod:`asnclf.training.progress`).
    """
    progress.describe("building labeled data")
    data = prepare_training_data(config.data, config.segmenter, general_news_holdout_count=config.evaluation.general_news_holdout)
    save_dataset(data.corpus, config.data.built_dir)
    training = data.training
    sentences = [item.sentence for item in training]
    y = label_matrix([item.labels for item in training])
    groups = [item.article for item in training]

    plan = plan_evaluation(config, y, groups, with_learning_curve=True, batches=data.batches)
    tasks = fold_tasks(config, sentences, y, groups, plan)
    progress.describe("cross-validation, learning curve and final fit")
    progress.add(len(tasks) + 1)
    # The final fit runs here while workers take the folds; fitted here, it saves to the same bytes whatever the jobs.
    *fold_results, pipeline = run_tasks(tasks, jobs=jobs, progress=progress,
                                        meanwhile=lambda: fit_final_pipeline(config, sentences, y, groups))
    cv = assemble_evaluation(config, plan, fold_results, sentences, y, groups, general=data.general)
    context, thresholds = fit_context_and_thresholds(config, cv.first_repeat_first_stage, y, groups)
    tagger = Tagger.from_pipeline(tagging_pipeline(pipeline, context, thresholds), TAGS,
                                  segmenter_settings=config.segmenter.settings())
    metrics = {
        "cross_validation": cv.summary(),
        "thresholds": dict(zip(TAGS, (round(float(t), 6) for t in thresholds))),
        "data": label_counts(training),
    }
    held_out = [item for item in data.corpus if item.source not in config.data.train_sources]
    if held_out:
        metrics["held_out"] = evaluate_sentences(tagger, held_out)
        metrics["held_out"]["sources"] = sorted({item.source for item in held_out})
    if data.held_out_general:
        metrics["general_news_held_out"] = general_news_alarms(tagger, data.held_out_general)

    plain_config = config.to_plain()
    extra_files = {"report.md": render_report(config.name, metrics, plots=config.evaluation.plots).encode("utf-8")}
    if config.evaluation.plots:
        extra_files.update(render_plots(y, cv.first_repeat_scores, thresholds))
    if cv.learning_curve:
        extra_files["learning_curve.json"] = (json.dumps(cv.learning_curve, indent=2) + "\n").encode("utf-8")
    progress.describe("saving the model")
    save_model(
        tagger,
        config.output_dir,
        config=plain_config,
        metrics=metrics,
        data_fingerprint=fingerprint(training),
        card=model_card(config.name, metrics, plain_config),
        extra_files=extra_files,
    )
    return TrainResult(tagger, metrics, config.output_dir)


def evaluate_sentences(tagger: Tagger, labeled: list[LabeledSentence]) -> dict:
    """The model's and the keyword baseline's metrics on labeled sentences, scored with their articles' context."""
    sentences = [item.sentence for item in labeled]
    y = label_matrix([item.labels for item in labeled])
    cuts = np.array([tagger.thresholds[label] for label in tagger.labels])
    articles = [item.article for item in labeled]
    predicted = (tagger.predict_proba(sentences, articles=articles) >= cuts).astype(int)
    return {
        "model": multilabel_metrics(y, predicted),
        "baseline": multilabel_metrics(y, keyword_scores(sentences).astype(int)),
    }
