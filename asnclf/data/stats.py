"""Descriptive statistics of the labeled corpus: counts by source, topic and batch, repeated phrasing, warnings."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from asnclf.data.labeled import LabeledSentence
from asnclf.labels import TAGS


OVERLAP_N = 5  # word n-grams this long, shared by two writers' batches, are repeated phrasing, not chance


def corpus_statistics(
    labeled: list[LabeledSentence],
    *,
    topics: dict[str, str] | None = None,
    batches: dict[str, str] | None = None,
    min_examples: int = 250,
) -> dict:
    """Counts per source, per topic (desk) and per batch, tag co-occurrence, lengths, phrasing overlap, warnings.

    ``topics`` maps article ids to ``neutrality`` or ``other:<desk>``;
    ``batches`` maps them to the folder (batch) they came in. A tag with fewer
    than ``min_examples`` positive sentences overall is warned about.
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
    topics = topics or {}
    batches = batches or {}
    return {
        "per_source": per_source,
        "per_topic": _counts_by(labeled, lambda item: topics.get(item.article, "(no metadata)")),
        "per_batch": _counts_by(labeled, lambda item: batches.get(item.article, "(unknown)")),
        "phrase_overlap": phrase_overlap(labeled, batches),
        "cooccurrence": cooccurrence,
        "sentence_words": _spread(words),
        "sentences_per_article": _spread(per_article),
        "warnings": warnings,
    }


def natural_order(name: str) -> list:
    """A sort key that puts "b2" before "b10": runs of digits compare as numbers.

    >>> sorted(["b10", "b2", "g1", "b1"], key=natural_order)
    ['b1', 'b2', 'b10', 'g1']
    """
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _counts_by(labeled: list[LabeledSentence], key) -> dict[str, dict[str, int]]:
    rows_of: dict[str, list[LabeledSentence]] = {}
    for item in labeled:
        rows_of.setdefault(key(item), []).append(item)
    counts = {}
    for name in sorted(rows_of, key=natural_order):
        rows = rows_of[name]
        tags = Counter(tag for item in rows for tag in item.labels)
        counts[name] = {"articles": len({item.article for item in rows}), "sentences": len(rows),
                        **{tag: tags[tag] for tag in TAGS}, "other": sum(1 for item in rows if not item.labels)}
    return counts


def _ngrams(sentence: str) -> set[tuple[str, ...]]:
    words = ["0" * len(word) if word.isdigit() else word for word in re.findall(r"\w+", sentence.lower())]
    return {tuple(words[i:i + OVERLAP_N]) for i in range(len(words) - OVERLAP_N + 1)}


def phrase_overlap(labeled: list[LabeledSentence], batches: dict[str, str], *, shown: int = 10) -> dict:
    """How much of each batch's phrasing other batches repeat.

    Per batch: its distinct word 5-grams, and the share of them found in any
    other batch. ``common`` lists the 5-grams found in the most batches (the
    stock phrases a model could learn as a writer's habit).
    """
    grams_of: dict[str, set] = {}
    for item in labeled:
        batch = batches.get(item.article)
        if batch is not None:
            grams_of.setdefault(batch, set()).update(_ngrams(item.sentence))
    seen_in = Counter(gram for grams in grams_of.values() for gram in grams)
    per_batch = {
        batch: {"ngrams": len(grams), "shared_with_other_batches": sum(1 for g in grams if seen_in[g] > 1),
                "shared_share": (sum(1 for g in grams if seen_in[g] > 1) / len(grams)) if grams else 0.0}
        for batch, grams in sorted(grams_of.items(), key=lambda item: natural_order(item[0]))
    }
    common = [{"ngram": " ".join(gram), "batches": count}
              for gram, count in sorted(seen_in.items(), key=lambda kv: (-kv[1], kv[0]))[:shown] if count > 1]
    return {"n": OVERLAP_N, "per_batch": per_batch, "common": common}


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


def data_counts_table(counts: dict, *, first: str = "source") -> str:
    """A Markdown table of articles, sentences and per-tag counts, one row per source (or topic, batch)."""
    lines = [f"| {first} | articles | sentences | " + " | ".join(TAGS) + " | other |",
             "| --- | ---: | ---: | " + " | ".join("---:" for _ in TAGS) + " | ---: |"]
    for source, row in counts.items():
        lines.append(f"| {source} | {row['articles']} | {row['sentences']} | "
                     + " | ".join(str(row[t]) for t in TAGS) + f" | {row['other']} |")
    return "\n".join(lines)


def statistics_text(stats: dict) -> str:
    """Markdown tables of :func:`corpus_statistics`."""
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
    if len(stats["per_topic"]) > 1:
        lines += ["", "## Sentences and tags per topic (desk)", "", data_counts_table(stats["per_topic"], first="topic")]
    if len(stats["per_batch"]) > 1:
        lines += ["", "## Sentences and tags per batch", "", data_counts_table(stats["per_batch"], first="batch")]
    overlap = stats["phrase_overlap"]
    if overlap["per_batch"]:
        lines += ["", f"## Repeated phrasing: word {overlap['n']}-grams shared with other batches", "",
                  f"| batch | distinct {overlap['n']}-grams | shared with another batch | share |",
                  "| --- | ---: | ---: | ---: |"]
        lines += [f"| {batch} | {row['ngrams']} | {row['shared_with_other_batches']} | {row['shared_share']:.1%} |"
                  for batch, row in overlap["per_batch"].items()]
        if overlap["common"]:
            lines += ["", "Found in the most batches: " + "; ".join(
                f"\"{row['ngram']}\" ({row['batches']})" for row in overlap["common"])]
    lines += ["", "## Warnings", ""] + ([f"- {w}" for w in stats["warnings"]] or ["- none"])
    return "\n".join(lines)
