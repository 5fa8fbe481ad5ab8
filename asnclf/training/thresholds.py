"""Per-tag decision thresholds: fixed, or tuned on out-of-fold scores."""

from __future__ import annotations

import numpy as np

from asnclf.training.config import ThresholdsConfig
from asnclf.labels import TAGS


def choose_thresholds(config: ThresholdsConfig, y_true: np.ndarray | None, scores: np.ndarray | None) -> np.ndarray:
    """Thresholds in :data:`TAGS` order.

    ``tune_f1`` picks, per tag, the score cut that maximises F1 on
    ``(y_true, scores)``; ``target_precision`` the lowest cut whose precision
    reaches the target (the best-F1 cut when none does). Out-of-fold scores
    must be passed for the tuned strategies, so the cut is not fitted to
    the training sentences themselves.
    """
    if config.strategy == "fixed":
        return np.array([config.fixed[tag] for tag in TAGS])
    if y_true is None or scores is None:
        raise ValueError(f"threshold strategy {config.strategy!r} needs out-of-fold scores")
    return np.array([
        _tune(y_true[:, j], scores[:, j], config.strategy, config.target_precision) for j in range(len(TAGS))
    ])


def _tune(truth: np.ndarray, score: np.ndarray, strategy: str, target_precision: float) -> float:
    if truth.sum() == 0:
        return 0.5
    order = np.argsort(-score, kind="stable")
    sorted_scores = score[order]
    hits = np.cumsum(truth[order])
    predicted = np.arange(1, len(score) + 1)
    # Only cut where the score changes, so tied scores fall on one side.
    last_of_run = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    precision = (hits / predicted)[last_of_run]
    recall = (hits / truth.sum())[last_of_run]
    cut_scores = sorted_scores[last_of_run]
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    if strategy == "target_precision":
        reaching = np.flatnonzero(precision >= target_precision)
        if reaching.size:
            best = reaching[np.argmax(recall[reaching])]
            return _between(cut_scores, best)
    best = int(np.argmax(f1))
    return _between(cut_scores, best)


def _between(cut_scores: np.ndarray, index: int) -> float:
    """A threshold halfway between the chosen cut and the next lower score, clipped into (0, 1)."""
    upper = cut_scores[index]
    lower = cut_scores[index + 1] if index + 1 < len(cut_scores) else upper - 1e-3
    return float(np.clip((upper + lower) / 2, 1e-4, 1 - 1e-4))
