"""Several configs cross-validated on exactly the same folds, in one table."""

from __future__ import annotations

from asnclf.training.config import TrainConfig
from asnclf.data.corpus import fingerprint
from asnclf.data.dataset import prepare_training_data
from asnclf.errors import ConfigError
from asnclf.training.evaluate import assemble_evaluation, fit_with_thresholds, fold_tasks, general_news_alarms, plan_evaluation
from asnclf.data.labeled import label_matrix
from asnclf.labels import TAGS
from asnclf.training.parallel import run_tasks
from asnclf.training.progress import Progress
from asnclf.model.tagger import Tagger


def compare_configs(configs: list[TrainConfig], *, jobs: int = 1, progress: Progress = Progress()) -> list[dict]:
    """One summary row per config plus the baseline; the first config fixes folds, repeats and data.

    Each row holds the cross-validated metrics, the out-of-fold false-alarm
    rate on general news, and the rate on the held-out general-news articles
    of a model fitted on all training rows. Every config's fits run together
    in ``jobs`` processes; the rows do not depend on ``jobs``.
    """
    first = configs[0]
    progress.describe("reading the data")
    data = prepare_training_data(first.data, first.segmenter, general_news_holdout_count=first.evaluation.general_news_holdout)
    reference = fingerprint(data.training)
    sentences = [item.sentence for item in data.training]
    y = label_matrix([item.labels for item in data.training])
    groups = [item.article for item in data.training]
    runs, tasks = [], []
    for config in configs:
        if config is not first:
            other = prepare_training_data(config.data, config.segmenter,
                                          general_news_holdout_count=first.evaluation.general_news_holdout)
            if fingerprint(other.training) != reference:
                raise ConfigError(f"config {config.name!r} trains on other data than {first.name!r}; compare needs the same data")
        same_folds = config.model_copy(update={"evaluation": first.evaluation})
        plan = plan_evaluation(same_folds, y, groups, fold_seed=first.seed, batches=data.batches)
        config_tasks = fold_tasks(same_folds, sentences, y, groups, plan)
        if data.held_out_general:
            config_tasks.insert(0, (fit_with_thresholds, (same_folds, sentences, y, groups)))
        runs.append((same_folds, plan, len(tasks), len(config_tasks)))
        tasks.extend(config_tasks)
    progress.describe(f"cross-validating {len(configs)} configs")
    progress.add(len(tasks))
    results = run_tasks(tasks, jobs=jobs, progress=progress)

    rows = []
    for config, plan, start, count in runs:
        done = results[start:start + count]
        model = done.pop(0) if data.held_out_general else None
        summary = assemble_evaluation(config, plan, done, sentences, y, groups, general=data.general).summary()
        row = {"name": config.name, **summary["model"], "general_news": summary.get("general_news")}
        if model is not None:
            tagger = Tagger(model.pipeline, TAGS, model.thresholds, context=model.context,
                            segmenter_settings=config.segmenter.settings())
            alarms = general_news_alarms(tagger, data.held_out_general)
            row["general_news_held_out"] = {k: v for k, v in alarms.items() if k != "alarms"}
        rows.append(row)
    rows.append({"name": "keyword baseline", **summary["baseline"]})
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
