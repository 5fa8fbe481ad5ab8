"""Several configs cross-validated on exactly the same folds, in one table."""

from __future__ import annotations

from collections.abc import Callable

from asnclf.config import TrainConfig
from asnclf.corpus import fingerprint
from asnclf.dataset import build_labeled_sentences, training_sentences
from asnclf.errors import ConfigError
from asnclf.evaluate import cross_validate
from asnclf.labeled import label_matrix
from asnclf.labels import TAGS


def compare_configs(configs: list[TrainConfig], *, progress: Callable[[str], None] = lambda m: None) -> list[dict]:
    """One summary row per config plus the baseline; the first config fixes folds, repeats and data."""
    first = configs[0]
    rows, baseline = [], None
    reference = None
    for config in configs:
        corpus = build_labeled_sentences(config.data, config.segmenter)
        training = training_sentences(corpus, config.data)
        data_print = fingerprint(training)
        if reference is None:
            reference = data_print
        elif data_print != reference:
            raise ConfigError(f"config {config.name!r} trains on other data than {first.name!r}; compare needs the same data")
        same_folds = config.model_copy(update={"evaluation": first.evaluation})
        progress(f"config {config.name}")
        cv = cross_validate(
            same_folds,
            [item.sentence for item in training],
            label_matrix([item.labels for item in training]),
            [item.article for item in training],
            progress=progress,
            fold_seed=first.seed,
        )
        summary = cv.summary()
        rows.append({"name": config.name, **summary["model"]})
        baseline = summary["baseline"]
    rows.append({"name": "keyword baseline", **baseline})
    return rows


def comparison_table(rows: list[dict]) -> str:
    lines = ["| config | micro F1 | macro F1 | exact match | " + " | ".join(f"{t} F1" for t in TAGS) + " |",
             "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in TAGS) + " |"]
    for row in rows:
        cells = [f"{row[k]['mean']:.3f} ± {row[k]['std']:.3f}" for k in ("micro_f1", "macro_f1", "exact_match")]
        cells += [f"{row['per_tag'][t]['f1']['mean']:.3f}" for t in TAGS]
        lines.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
