"""Human-readable evaluation: metric tables, the Markdown report, PNG plots and the model card.

matplotlib is imported only inside :func:`render_plots`, so nothing on the
scoring path pays for it.
"""

from __future__ import annotations

import io

import numpy as np

from asnclf.data.stats import data_counts_table
from asnclf.labels import TAGS


def _cell(spread: dict, *, with_spread: bool = True) -> str:
    """A mean, and its standard deviation unless there was only one run to spread over."""
    return f"{spread['mean']:.3f} ± {spread['std']:.3f}" if with_spread else f"{spread['mean']:.3f}"


def metrics_table(summary: dict) -> str:
    """Markdown table: per tag P/R/F1 for the model beside the keyword baseline, then micro/macro/exact."""
    model, baseline = summary["model"], summary["baseline"]
    lines = [
        "| tag | support | precision | recall | F1 | baseline F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with_spread = model["runs"] > 1
    for tag in TAGS:
        m, b = model["per_tag"][tag], baseline["per_tag"][tag]
        cells = " | ".join(_cell(m[name], with_spread=with_spread) for name in ("precision", "recall", "f1"))
        lines.append(f"| {tag} | {m['support']} | {cells} | {b['f1']['mean']:.3f} |")
    for name in ("micro_f1", "macro_f1", "exact_match"):
        lines.append(f"| **{name.replace('_', ' ')}** | | | | {_cell(model[name], with_spread=with_spread)} | {baseline[name]['mean']:.3f} |")
    return "\n".join(lines)


def single_run_table(metrics: dict, baseline: dict | None = None) -> str:
    """Markdown table for one evaluation (no spread), optionally beside the baseline."""
    header = "| tag | support | precision | recall | F1 |" + (" baseline F1 |" if baseline else "")
    rule = "| --- | ---: | ---: | ---: | ---: |" + (" ---: |" if baseline else "")
    lines = [header, rule]
    for tag in TAGS:
        m = metrics["per_tag"][tag]
        extra = f" {baseline['per_tag'][tag]['f1']:.3f} |" if baseline else ""
        lines.append(f"| {tag} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |{extra}")
    for name in ("micro_f1", "macro_f1", "exact_match"):
        extra = f" {baseline[name]:.3f} |" if baseline else ""
        lines.append(f"| **{name.replace('_', ' ')}** | | | | {metrics[name]:.3f} |{extra}")
    return "\n".join(lines)


def learning_curve_table(rows: list[dict]) -> str:
    lines = ["| training articles | per fold | macro F1 | " + " | ".join(f"{t} F1" for t in TAGS) + " |",
             "| ---: | ---: | ---: | " + " | ".join("---:" for _ in TAGS) + " |"]
    for row in rows:
        tags = " | ".join(_cell(row["per_tag_f1"][t]) for t in TAGS)
        lines.append(f"| {row['fraction']:.0%} | {row['train_articles_per_fold']} | {_cell(row['macro_f1'])} | {tags} |")
    return "\n".join(lines)


def _table_text(text: str) -> str:
    return text.replace("|", "\\|")


def general_news_text(metrics: dict) -> str:
    """The false-alarm rate on general news: out of fold in cross-validation, and on the held-out articles."""
    lines = []
    cv = metrics["cross_validation"].get("general_news")
    if cv:
        rate = cv["tagged_per_50_articles"]
        spread = f" ± {rate['std']:.1f}" if metrics["cross_validation"]["model"]["runs"] > 1 else ""
        lines.append(f"- Cross-validation (out of fold, {cv['articles']} articles, {cv['sentences']} sentences): "
                     f"**{rate['mean']:.1f}{spread}** tagged sentences per 50 articles.")
    held = metrics.get("general_news_held_out")
    if held:
        per_tag = ", ".join(f"{tag} {count}" for tag, count in held["per_tag"].items())
        lines.append(f"- Held out (never trained on, scored as whole articles; {held['articles']} articles, "
                     f"{held['sentences']} sentences): **{held['tagged_per_50_articles']:.1f}** tagged sentences "
                     f"per 50 articles ({held['tagged_sentences']} in all; {per_tag}).")
    return "\n".join(lines)


def render_report(name: str, metrics: dict, *, plots: bool) -> str:
    """The Markdown evaluation report saved beside the model."""
    cv = metrics["cross_validation"]
    spread = " Mean ± standard deviation across repeats." if cv["model"]["runs"] > 1 else ""
    parts = [
        f"# Evaluation report: `{name}`",
        "",
        f"Scheme: {cv['scheme']}.{spread} The keyword-rule baseline is scored on the same sentences.",
        "",
        metrics_table(cv),
        "",
        "## Thresholds",
        "",
        " ".join(f"`{tag}` {value:.3f}" for tag, value in metrics["thresholds"].items()),
    ]
    if cv["learning_curve"]:
        parts += ["", "## Learning curve", "", learning_curve_table(cv["learning_curve"])]
    general = general_news_text(metrics)
    if general:
        parts += ["", "## False alarms on general news", "",
                  "Every sentence of a general-news article (another subject than ASN neutrality) is untagged, "
                  "so every tag there is a false alarm.", "", general]
        alarms = metrics.get("general_news_held_out", {}).get("alarms", [])
        if alarms:
            parts += ["", "| article | tags | sentence |", "| --- | --- | --- |"]
            parts += [f"| {a['article']} | {', '.join(a['labels'])} | {_table_text(a['text'])} |" for a in alarms]
    held_out = metrics.get("held_out")
    if held_out:
        parts += [
            "",
            f"## Held out: sources {', '.join(held_out['sources'])} (never trained on)",
            "",
            single_run_table(held_out["model"], held_out["baseline"]),
        ]
    if plots:
        parts += ["", "## Plots", "", "![confusion counts](plots/confusion.png)", "",
                  "![precision-recall curves](plots/precision_recall.png)"]
    parts += ["", "## Data", "", data_counts_table(metrics["data"])]
    return "\n".join(parts) + "\n"


def render_plots(y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> dict[str, bytes]:
    """PNG bytes of per-tag confusion counts and precision-recall curves (chosen thresholds marked)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    predictions = (scores >= thresholds).astype(int)
    figure, axes = plt.subplots(1, len(TAGS), figsize=(4 * len(TAGS), 3.6))
    for j, (tag, axis) in enumerate(zip(TAGS, axes)):
        counts = np.array([[np.sum((y[:, j] == a) & (predictions[:, j] == b)) for b in (1, 0)] for a in (1, 0)])
        axis.imshow(counts, cmap="Blues")
        for (r, c), value in np.ndenumerate(counts):
            colour = "white" if value > counts.max() / 2 else "black"
            axis.text(c, r, str(value), ha="center", va="center", fontsize=12, color=colour)
        axis.set_xticks([0, 1], ["predicted yes", "predicted no"])
        axis.set_yticks([0, 1], ["gold yes", "gold no"])
        axis.set_title(tag)
    figure.suptitle("Out-of-fold confusion counts (first repeat) at the saved thresholds")
    figure.tight_layout()
    confusion = _png(figure, plt)

    figure, axis = plt.subplots(figsize=(6, 4.5))
    for j, tag in enumerate(TAGS):
        if y[:, j].sum() == 0:
            continue
        precision, recall, cuts = precision_recall_curve(y[:, j], scores[:, j])
        (line,) = axis.plot(recall, precision, label=tag)
        chosen = min(np.searchsorted(cuts, thresholds[j]), len(cuts) - 1)
        axis.plot(recall[chosen], precision[chosen], "o", color=line.get_color(), markersize=8)
    axis.set_xlabel("recall")
    axis.set_ylabel("precision")
    axis.set_xlim(0, 1.02)
    axis.set_ylim(0, 1.02)
    axis.set_title("Precision-recall, out-of-fold (dot: chosen threshold)")
    axis.legend(loc="lower left")
    figure.tight_layout()
    return {"plots/confusion.png": confusion, "plots/precision_recall.png": _png(figure, plt)}


def _png(figure, plt) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def model_line(config: dict) -> str:
    """What the model is, in one line of the model card: its classifier, features and article context."""
    features = ", ".join(name for name, block in config["features"].items() if block["enabled"])
    model, context = config["model"]["name"], config["context"]
    if not context["enabled"]:
        return f"`{model}` one-vs-rest over features {features}"
    return (f"`{model}` per tag (learned on articles about the theme) and for the topic (learned on all articles) "
            f"over features {features}; article context: a `{context['learner']}` second stage over those scores, "
            "the article's pooled scores and the neighbouring sentences' scores")


def model_card(name: str, metrics: dict, config: dict) -> str:
    """The model's README: what it tags, data, metrics beside the baseline, limits, how to load."""
    sources = metrics["data"]
    return f"""# asnclf model `{name}`

Tags sentences of Indonesian regional news about the political neutrality of
civil servants (ASN) with zero or more of `prohibition` (conduct ASN must not
engage in), `appeal` (someone urging ASN, officials or the public to do or keep
something in the election context) and `statistic` (counts, percentages,
rankings or explicit zeros about neutrality, ASN or the election).

- Model: {model_line(config)}.
- Thresholds: {', '.join(f'{t} {v:.3f}' for t, v in metrics['thresholds'].items())}.
- Training data: sources {', '.join(config['data']['train_sources'])}; {metrics['data']['all']['sentences']} sentences
  from {metrics['data']['all']['articles']} articles (fingerprint in `manifest.json`).

## Cross-validated quality

{metrics['cross_validation']['scheme']}.

{metrics_table(metrics['cross_validation'])}

## False alarms on general news

{general_news_text(metrics) or 'Not measured: the training data had no general-news articles.'}

## Limits

- Trained on {_article_counts(sources)}; apart from real seed
  articles, the text was written for the project in the style of regional news
  sites: expect lower scores on very different outlets or text.
- Sentence-level only: a prohibition spread over two sentences is tagged in
  neither or one of them. Segmentation errors (unusual abbreviations) carry over.
- Scores are probabilities for logistic regression and naive Bayes, squashed
  margins for the linear SVM; thresholds were tuned on out-of-fold scores.

## How to load

```python
import asnclf
model = asnclf.load_model("{config['output']['dir'] or 'models/' + name}")
model.predict(["ASN dilarang ikut kampanye."])
```

`model.joblib` is a pickle: loading it runs code. Load only artifacts you trust.
"""


def _article_counts(data: dict) -> str:
    """"5 seed and 1778 authored articles", from the training data's counts by source."""
    parts = [f"{counts['articles']} {source}" for source, counts in data.items() if source != "all"]
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + " articles"
