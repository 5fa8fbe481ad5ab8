"""Descriptive statistics of the labeled corpus, with warnings for thin tags."""

from __future__ import annotations

from collections import Counter

import numpy as np

from asnclf.labeled import LabeledSentence
from asnclf.labels import TAGS


def corpus_statistics(labeled: list[LabeledSentence], *, min_examples: int = 250) -> dict:
    """Counts per source, tag co-occurrence, sentence-length spread, and warnings.

    A tag with fewer than ``min_examples`` positive sentences overall is
    warned about (the corpus target is 250 per tag).
    """
    sources = sorted({item.source for item in labeled})
    per_source = {}
    for source in [*sources, "all"]:
        rows = [item for item in labeled if source in ("all", item.source)]
        tags = Counter(tag for item in rows for tag in item.labels)
        per_source[source] = {
            "articles": len({item.article for item in rows}),
            "sentences": len(rows),
            **{tag: tags[tag] for tag in TAGS},
            "other": sum(1 for item in rows if not item.labels),
            "two_or_more_tags": sum(1 for item in rows if len(item.labels) >= 2),
        }
    cooccurrence = {a: {b: sum(1 for item in labeled if a in item.labels and b in item.labels) for b in TAGS} for a in TAGS}
    words = np.array([len(item.sentence.split()) for item in labeled])
    per_article = np.array(list(Counter(item.article for item in labeled).values()))
    warnings = [
        f"tag {tag!r} has {per_source['all'][tag]} positive sentences; at least {min_examples} are wanted"
        for tag in TAGS
        if per_source["all"][tag] < min_examples
    ]
    return {
        "per_source": per_source,
        "cooccurrence": cooccurrence,
        "sentence_words": _spread(words),
        "sentences_per_article": _spread(per_article),
        "warnings": warnings,
    }


def _spread(values: np.ndarray) -> dict:
    if values.size == 0:
        return {}
    return {
        "min": int(values.min()),
        "p10": float(np.percentile(values, 10)),
        "median": float(np.median(values)),
        "p90": float(np.percentile(values, 90)),
        "max": int(values.max()),
    }


def statistics_text(stats: dict) -> str:
    """Markdown tables of :func:`corpus_statistics`."""
    from asnclf.report import data_counts_table

    lines = ["## Sentences and tags per source", "", data_counts_table(stats["per_source"]), "",
             "Sentences with two or more tags: " + ", ".join(
                 f"{source} {row['two_or_more_tags']}" for source, row in stats["per_source"].items()), "",
             "## Tag co-occurrence (sentences)", "", "| | " + " | ".join(TAGS) + " |",
             "| --- | " + " | ".join("---:" for _ in TAGS) + " |"]
    for a in TAGS:
        lines.append(f"| {a} | " + " | ".join(str(stats["cooccurrence"][a][b]) for b in TAGS) + " |")
    lines += ["", "## Lengths", "", "| measure | min | p10 | median | p90 | max |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, key in (("words per sentence", "sentence_words"), ("sentences per article", "sentences_per_article")):
        s = stats[key]
        lines.append(f"| {name} | {s['min']} | {s['p10']:.0f} | {s['median']:.0f} | {s['p90']:.0f} | {s['max']} |")
    lines += ["", "## Warnings", ""] + ([f"- {w}" for w in stats["warnings"]] or ["- none"])
    return "\n".join(lines)
