"""Several configs cross-validated on exactly the same folds, in one table."""

from __future__ import annotations

from collections.abc import Callable

from asnclf.config import TrainConfig
from asnclf.corpus import fingerprint
from asnclf.dataset import prepare_training_data
from asnclf.errors import ConfigError
from asnclf.evaluate import cross_validate, fit_with_thresholds, general_news_alarms
from asnclf.labeled import label_matrix
from asnclf.labels import TAGS
from asnclf.tagger import Tagger


def compare_configs(configs: list[TrainConfig], *, progress: Callable[[str], None] = lambda m: None) -> list[dict]:
    """One summary row per config plus the baseline; the first config fixes folds, repeats and data.

    Each row holds the cross-validated metrics, the out-of-fold false-alarm
    rate on general news, and the rate on the held-out general-news articles
    of a model fitted on all training rows.
    """
    first = configs[0]
    rows, baseline = [], None
    reference = None
    for config in configs:
        data = prepare_training_data(config.data, config.segmenter,
                                     general_news_holdout_count=first.evaluation.general_news_holdout)
        training = data.training
        data_print = fingerprint(training)
        if reference is None:
            reference = data_print
        elif data_print != reference:
            raise ConfigError(f"config {config.name!r} trains on other data than {first.name!r}; compare needs the same data")
        same_folds = config.model_copy(update={"evaluation": first.evaluation})
        progress(f"config {config.name}")
        sentences = [item.sentence for item in training]
        y = label_matrix([item.labels for item in training])
        groups = [item.article for item in training]
        cv = cross_validate(same_folds, sentences, y, groups, general=data.general, progress=progress, fold_seed=first.seed)
        summary = cv.summary()
        row = {"name": config.name, **summary["model"], "general_news": summary.get("general_news")}
        if data.held_out_general:
            progress(f"config {config.name}: fitting on all training rows for the held-out general news")
            model = fit_with_thresholds(same_folds, sentences, y, groups)
            tagger = Tagger(model.pipeline, TAGS, model.thresholds, context=model.context,
                            segmenter_settings=config.segmenter.settings())
            alarms = general_news_alarms(tagger, data.held_out_general)
            row["general_news_held_out"] = {k: v for k, v in alarms.items() if k != "alarms"}
        rows.append(row)
        baseline = summary["baseline"]
    rows.append({"name": "keyword baseline", **baseline})
    return rows


def comparison_table(rows: list[dict]) -> str:
    """Markdown: F1 figures and general-news false alarms (tagged sentences per 50 articles) per config."""
    lines = ["| config | micro F1 | macro F1 | exact match | " + " | ".join(f"{t} F1" for t in TAGS)
             + " | general news /50 (CV) | general news /50 (held out) |",
             "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in TAGS) + " | ---: | ---: |"]
    for row in rows:
        cells = [f"{row[k]['mean']:.3f} ± {row[k]['std']:.3f}" for k in ("micro_f1", "macro_f1", "exact_match")]
        cells += [f"{row['per_tag'][t]['f1']['mean']:.3f}" for t in TAGS]
        general = row.get("general_news")
        cells.append(f"{general['tagged_per_50_articles']['mean']:.1f}" if general else "")
        held = row.get("general_news_held_out")
        cells.append(f"{held['tagged_per_50_articles']:.1f}" if held else "")
        lines.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
