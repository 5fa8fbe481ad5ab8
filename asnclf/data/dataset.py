"""The labeled sentence dataset: built from raw articles and annotations, saved as a Hugging Face dataset.

``datasets`` is imported only inside the functions that need it, so that
scoring, which never builds data, does not pay for the import.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from asnclf.atomic import staged_directory
from asnclf.data.corpus import (
    RawArticle,
    align_annotations,
    annotation_files,
    is_general_news,
    read_annotations,
    read_article_topics,
    read_raw_articles,
)
from asnclf.errors import DataError
from asnclf.data.labeled import LabeledSentence, read_labeled_jsonl
from asnclf.labels import TAGS
from asnclf.text.segment import Segmenter

if TYPE_CHECKING:  # the data layer takes config sections as values; it does not depend on training
    from asnclf.training.config import DataConfig, SegmenterConfig


def segmenter_for(config: SegmenterConfig) -> Segmenter:
    """The segmenter a config's ``[segmenter]`` section describes."""
    return Segmenter.from_settings(**config.settings())


def build_labeled_sentences(data: DataConfig, segmenter_config: SegmenterConfig) -> list[LabeledSentence]:
    """All annotated corpus sentences (every source), in a fixed order."""
    return _articles_and_corpus(data, segmenter_config)[1]


def _articles_and_corpus(data: DataConfig, segmenter_config: SegmenterConfig) -> tuple[list[RawArticle], list[LabeledSentence]]:
    articles = read_raw_articles(data.raw_dirs)
    annotations = read_annotations(annotation_files(data.annotations))
    return articles, align_annotations(articles, annotations, segmenter_for(segmenter_config))


def training_sentences(corpus: list[LabeledSentence], data: DataConfig) -> list[LabeledSentence]:
    """The corpus sentences of the configured sources plus every extra labeled file."""
    chosen = [item for item in corpus if item.source in data.train_sources]
    for path in data.extra_files:
        chosen.extend(read_labeled_jsonl(path))
    if not chosen:
        raise DataError(f"no training sentences: data.train_sources={list(data.train_sources)} selects none")
    return chosen


@dataclass(frozen=True)
class TrainingData:
    """What a config trains and is evaluated on.

    ``training`` are the rows of cross-validation and the final fit;
    ``general`` marks those of general-news articles; ``held_out_general``
    maps the general-news articles kept out of both to their raw text;
    ``batches`` maps each raw article to its batch, the name of the folder
    its file is in (one writer's batch in the bundled data).
    """

    corpus: list[LabeledSentence]
    training: list[LabeledSentence]
    general: list[bool]
    held_out_general: dict[str, str]
    batches: dict[str, str]


def prepare_training_data(data: DataConfig, segmenter_config: SegmenterConfig, *, general_news_holdout_count: int) -> TrainingData:
    """Build the corpus, pick the training rows and hold out general-news articles."""
    articles, corpus = _articles_and_corpus(data, segmenter_config)
    topics = read_article_topics(data.raw_dirs)
    held = set(general_news_holdout(
        topics, [item.article for item in corpus if item.source in data.train_sources], general_news_holdout_count
    ))
    training = [item for item in training_sentences(corpus, data) if item.article not in held]
    return TrainingData(
        corpus=corpus,
        training=training,
        general=[is_general_news(topics.get(item.article)) for item in training],
        held_out_general={article.id: article.text for article in articles if article.id in held},
        batches={article.id: article.path.parent.name for article in articles},
    )


def general_news_holdout(topics: dict[str, str], articles, count: int) -> list[str]:
    """The ``count`` general-news articles kept out of training and cross-validation, sorted.

    They are the first in the order of their ids' SHA-256, a fixed choice that
    spreads over desks and batches and does not move when articles are added
    elsewhere.
    """
    general = {article for article in articles if is_general_news(topics.get(article))}
    chosen = sorted(general, key=lambda article: hashlib.sha256(article.encode("utf-8")).hexdigest())[:count]
    return sorted(chosen)


def check_extra_files(data: DataConfig) -> int:
    """Read every ``data.extra_files`` file as training will; returns how many sentences they hold.

    Raises :class:`DataError` for a missing or malformed file, so that
    ``build-data`` and ``data-stats`` fail where ``train`` would.
    """
    return sum(len(read_labeled_jsonl(path)) for path in data.extra_files)


def label_counts(sentences: list[LabeledSentence]) -> dict[str, dict[str, int]]:
    """Per source: sentences, articles, and sentences per tag (plus 'other' for no tag)."""
    counts: dict[str, dict[str, int]] = {}
    for source in sorted({item.source for item in sentences}) + ["all"]:
        rows = [item for item in sentences if source in ("all", item.source)]
        tags = Counter(tag for item in rows for tag in item.labels)
        counts[source] = {
            "sentences": len(rows),
            "articles": len({item.article for item in rows}),
            **{tag: tags[tag] for tag in TAGS},
            "other": sum(1 for item in rows if not item.labels),
        }
    return counts


def to_hf_dataset(sentences: list[LabeledSentence]):
    """A ``datasets.Dataset`` with ``labels`` as ``Sequence(ClassLabel(TAGS))``."""
    import datasets

    features = datasets.Features({
        "id": datasets.Value("string"),
        "article": datasets.Value("string"),
        "source": datasets.Value("string"),
        "sentence": datasets.Value("string"),
        "labels": datasets.Sequence(datasets.ClassLabel(names=list(TAGS))),
    })
    columns = {
        "id": [item.id for item in sentences],
        "article": [item.article for item in sentences],
        "source": [item.source for item in sentences],
        "sentence": [item.sentence for item in sentences],
        "labels": [[TAGS.index(tag) for tag in item.labels] for item in sentences],
    }
    return datasets.Dataset.from_dict(columns, features=features)


def save_dataset(sentences: list[LabeledSentence], out_dir: Path) -> Path:
    """Write the Hugging Face dataset (``hf/``) and a reviewable ``sentences.jsonl`` to ``out_dir``, atomically."""
    out_dir = Path(out_dir)
    with staged_directory(out_dir) as staging:
        _save_quietly(to_hf_dataset(sentences), staging / "hf")
        _normalize_state(staging / "hf")
        with open(staging / "sentences.jsonl", "w", encoding="utf-8") as handle:
            for item in sentences:
                record = {"id": item.id, "article": item.article, "sentence": item.sentence,
                          "labels": list(item.labels), "source": item.source}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out_dir


def _save_quietly(dataset, target: Path) -> None:
    # A progress bar for a few thousand rows is noise; restore the user's setting after.
    from datasets.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        dataset.save_to_disk(str(target))
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _normalize_state(hf_dir: Path) -> None:
    # save_to_disk records a random fingerprint; pin it to the content so
    # that building twice gives byte-identical output.
    state_path = hf_dir / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for arrow in sorted(hf_dir.glob("*.arrow")):
        digest.update(arrow.read_bytes())
    state["_fingerprint"] = digest.hexdigest()[:16]
    state_path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
