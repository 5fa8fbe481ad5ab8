"""Training end to end: data, cross-validation, final fit, thresholds, report, artifact."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asnclf.artifact import save_model
from asnclf.baseline import keyword_scores
from asnclf.config import TrainConfig
from asnclf.corpus import fingerprint
from asnclf.dataset import build_labeled_sentences, label_counts, save_dataset, training_sentences
from asnclf.evaluate import build_pipeline, cross_validate, learning_curve, multilabel_metrics
from asnclf.labeled import LabeledSentence, label_matrix
from asnclf.labels import TAGS
from asnclf.report import model_card, render_plots, render_report
from asnclf.tagger import Tagger
from asnclf.thresholds import choose_thresholds


@dataclass(frozen=True)
class TrainResult:
    tagger: Tagger
    metrics: dict
    output_dir: Path


def train(config: TrainConfig, *, progress: Callable[[str], None] = lambda message: None) -> TrainResult:
    """Build the data, cross-validate, fit the final model, save the artifact; return it with its metrics."""
    progress("building labeled data")
    corpus = build_labeled_sentences(config.data, config.segmenter)
    save_dataset(corpus, config.data.built_dir)
    training = training_sentences(corpus, config.data)
    sentences = [item.sentence for item in training]
    y = label_matrix([item.labels for item in training])
    groups = [item.article for item in training]

    cv = cross_validate(config, sentences, y, groups, progress=progress)
    cv.learning_curve = learning_curve(config, sentences, y, groups, progress=progress)
    thresholds = choose_thresholds(config.thresholds, y, cv.first_repeat_scores)

    progress("fitting the final model on all training sentences")
    pipeline = build_pipeline(config).fit(sentences, y)
    tagger = Tagger(
        pipeline,
        TAGS,
        thresholds,
        segmenter_settings={
            "extra_abbreviations": list(config.segmenter.extra_abbreviations),
            "extra_boilerplate": [rule.model_dump() for rule in config.segmenter.extra_boilerplate],
        },
    )
    metrics = {
        "cross_validation": cv.summary(),
        "thresholds": dict(zip(TAGS, (round(float(t), 6) for t in thresholds))),
        "data": label_counts(training),
    }
    held_out = [item for item in corpus if item.source not in config.data.train_sources]
    if held_out:
        metrics["held_out"] = evaluate_sentences(tagger, held_out)
        metrics["held_out"]["sources"] = sorted({item.source for item in held_out})

    plain_config = config.to_plain()
    extra_files = {"report.md": render_report(config.name, metrics, plots=config.evaluation.plots).encode("utf-8")}
    if config.evaluation.plots:
        extra_files.update(render_plots(y, cv.first_repeat_scores, thresholds))
    extra_files["learning_curve.json"] = (json.dumps(cv.learning_curve, indent=2) + "\n").encode("utf-8")
    progress(f"saving the model to {config.output_dir}")
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
    """The model's and the keyword baseline's metrics on labeled sentences."""
    sentences = [item.sentence for item in labeled]
    y = label_matrix([item.labels for item in labeled])
    cuts = np.array([tagger.thresholds[label] for label in tagger.labels])
    predicted = (tagger.predict_proba(sentences) >= cuts).astype(int)
    return {
        "model": multilabel_metrics(y, predicted),
        "baseline": multilabel_metrics(y, keyword_scores(sentences).astype(int)),
    }
