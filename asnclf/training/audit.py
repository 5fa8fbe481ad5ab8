"""Label audit: the sentences whose annotation cross-validated predictions disagree with most.

Confident-learning style: every sentence is scored by a model that never
saw its article; per tag, the *self-confidence* of the given label is the
score for a positive label and 1 - score for a negative one. A sentence's
label quality is its lowest self-confidence over the tags, and a tag is
*suspect* when the out-of-fold score crosses the average score of the other
class (the per-class thresholds of confident learning).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from asnclf.training.config import TrainConfig
from asnclf.model.context import article_numbers_of
from asnclf.training.evaluate import grouped_folds, score_fold
from asnclf.data.labeled import LabeledSentence, label_matrix
from asnclf.labels import TAGS
from asnclf.training.parallel import run_tasks
from asnclf.training.progress import Progress


@dataclass(frozen=True)
class AuditFinding:
    rank: int
    quality: float
    suspect_tags: tuple[str, ...]
    record: LabeledSentence
    scores: dict[str, float]

    def to_json(self) -> dict:
        return {
            "rank": self.rank,
            "quality": round(self.quality, 4),
            "suspect_tags": list(self.suspect_tags),
            "id": self.record.id,
            "article": self.record.article,
            "source": self.record.source,
            "sentence": self.record.sentence,
            "labels": list(self.record.labels),
            "scores": self.scores,
        }


def audit_labels(
    config: TrainConfig,
    labeled: list[LabeledSentence],
    *,
    top: int = 50,
    jobs: int = 1,
    progress: Progress = Progress(),
) -> list[AuditFinding]:
    """The ``top`` sentences with the lowest label quality, scores averaged over the config's repeats.

    The folds' fits run in ``jobs`` processes; the findings do not depend on ``jobs``.
    """
    sentences = [item.sentence for item in labeled]
    y = label_matrix([item.labels for item in labeled])
    groups = [item.article for item in labeled]
    splits = [split for repeat in range(config.evaluation.repeats)
              for split in grouped_folds(groups, config.evaluation.folds, config.seed + 1000 * repeat, y=y)]
    progress.describe("out-of-fold scores")
    progress.add(len(splits))
    article_of = article_numbers_of(groups)
    # The whole model per fold (first stage, context stage), scoring test articles whole, as users get them.
    fold_scores = run_tasks([(score_fold, (config, sentences, y, groups, article_of, split)) for split in splits],
                            jobs=jobs, progress=progress)
    scores = np.zeros(y.shape)
    for (_, test), fold in zip(splits, fold_scores):
        scores[test] += fold.scores
    scores /= config.evaluation.repeats
    return rank_label_issues(labeled, y, scores, top=top)


def rank_label_issues(labeled: list[LabeledSentence], y: np.ndarray, scores: np.ndarray, *, top: int) -> list[AuditFinding]:
    """Order sentences by lowest self-confidence of their given labels (ties: by id)."""
    self_confidence = np.where(y == 1, scores, 1.0 - scores)
    quality = self_confidence.min(axis=1)
    positive_mean = np.array([scores[y[:, j] == 1, j].mean() if y[:, j].any() else 1.0 for j in range(len(TAGS))])
    negative_mean = np.array([scores[y[:, j] == 0, j].mean() if (y[:, j] == 0).any() else 0.0 for j in range(len(TAGS))])
    suspect = ((y == 0) & (scores >= positive_mean)) | ((y == 1) & (scores <= negative_mean))
    order = sorted(range(len(labeled)), key=lambda i: (quality[i], labeled[i].id))[:top]
    return [
        AuditFinding(
            rank=rank,
            quality=float(quality[i]),
            suspect_tags=tuple(tag for j, tag in enumerate(TAGS) if suspect[i, j]),
            record=labeled[i],
            scores={tag: round(float(scores[i, j]), 4) for j, tag in enumerate(TAGS)},
        )
        for rank, i in enumerate(order, start=1)
    ]
