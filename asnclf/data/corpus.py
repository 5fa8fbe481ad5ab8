"""Raw articles + sentence annotations -> labeled sentences, checked against the segmenter.

Annotations are keyed by article id and exact sentence text, not by offsets,
so a reviewer can read and edit them. The price is that a change to the
segmenter can make annotations stale; :func:`align_annotations` finds every
such case and reports them all at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asnclf.errors import DataError
from asnclf.data.labeled import LabeledSentence, parse_labeled_record
from asnclf.text.segment import Segmenter

SOURCES = ("seed", "authored")


@dataclass(frozen=True)
class RawArticle:
    id: str
    path: Path
    text: str


@dataclass(frozen=True)
class Annotation:
    record: LabeledSentence
    where: str


def read_raw_articles(raw_dirs: Iterable[Path]) -> list[RawArticle]:
    """Every ``*.txt`` below the given folders, sorted by id (the file stem, unique)."""
    articles: dict[str, RawArticle] = {}
    for folder in raw_dirs:
        if not folder.is_dir():
            raise DataError(f"{folder}: raw article folder not found")
        for path in sorted(folder.rglob("*.txt")):
            if path.stem in articles:
                raise DataError(f"{path}: article id {path.stem!r} is also used by {articles[path.stem].path}")
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
            articles[path.stem] = RawArticle(path.stem, path, text)
    return [articles[key] for key in sorted(articles)]


METADATA_FILE = "metadata.jsonl"
NEUTRALITY_TOPIC = "neutrality"
GENERAL_NEWS_PREFIX = "other:"  # "other:<desk>": an article on another subject, every sentence untagged


def read_article_topics(raw_dirs: Iterable[Path]) -> dict[str, str]:
    """Article id -> topic, from every ``metadata.jsonl`` below the raw folders.

    A topic is ``neutrality`` or ``other:<desk>``. Articles without a metadata
    line are simply absent; a malformed line is a :class:`DataError`.
    """
    topics: dict[str, str] = {}
    for folder in raw_dirs:
        for path in sorted(Path(folder).rglob(METADATA_FILE)):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
                article, topic = (record.get("id"), record.get("topic")) if isinstance(record, dict) else (None, None)
                if not isinstance(article, str) or not isinstance(topic, str):
                    raise DataError(f"{where}: metadata needs string 'id' and 'topic' (e.g. \"neutrality\" or \"other:health\")")
                if topic != NEUTRALITY_TOPIC and not (topic.startswith(GENERAL_NEWS_PREFIX) and len(topic) > len(GENERAL_NEWS_PREFIX)):
                    raise DataError(f"{where}: topic {topic!r} must be 'neutrality' or 'other:<desk>'")
                topics[article] = topic
    return topics


def is_general_news(topic: str | None) -> bool:
    """Whether an article's topic marks it as general news (another subject than neutrality)."""
    return topic is not None and topic.startswith(GENERAL_NEWS_PREFIX)


def annotation_files(paths: Iterable[Path]) -> list[Path]:
    """The JSONL files named, folders expanded to their ``*.jsonl`` (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise DataError(f"{path}: annotation file or folder not found")
    return files


def read_annotations(files: Iterable[Path]) -> list[Annotation]:
    """Parse annotation lines; each must name its ``article`` and a ``source`` of seed/authored."""
    annotations = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            record = parse_labeled_record(line, where=where, default_id="")
            if not record.article:
                raise DataError(f"{where}: annotation needs an 'article' id")
            if record.source not in SOURCES:
                raise DataError(f"{where}: 'source' must be one of {', '.join(SOURCES)}, found {record.source!r}")
            annotations.append(Annotation(record, where))
    return annotations


def align_annotations(
    articles: list[RawArticle], annotations: list[Annotation], segmenter: Segmenter
) -> list[LabeledSentence]:
    """Match every segmented sentence with its annotation.

    Returns the labeled sentences in article order, then sentence order; a
    sentence repeated within an article counts once. Raises one
    :class:`DataError` listing every problem: a sentence with no annotation,
    an annotation that matches no sentence (or no article), a sentence
    annotated twice.
    """
    by_key: dict[tuple[str, str], Annotation] = {}
    problems: list[str] = []
    for annotation in annotations:
        key = (annotation.record.article, annotation.record.sentence)
        if key in by_key:
            problems.append(f"{annotation.where}: sentence annotated twice (first at {by_key[key].where}): {_short(key[1])}")
        else:
            by_key[key] = annotation
    article_ids = {article.id for article in articles}
    used: set[tuple[str, str]] = set()
    labeled: list[LabeledSentence] = []
    for article in articles:
        seen: set[str] = set()
        for position, sentence in enumerate(segmenter.segment(article.text), start=1):
            if sentence.text in seen:
                continue
            seen.add(sentence.text)
            key = (article.id, sentence.text)
            annotation = by_key.get(key)
            if annotation is None:
                problems.append(f"{article.path}: sentence {position} has no annotation: {_short(sentence.text)}")
                continue
            used.add(key)
            record = annotation.record
            labeled.append(
                LabeledSentence(
                    sentence=sentence.text,
                    labels=record.labels,
                    article=article.id,
                    id=record.id or f"{article.id}-{position:02d}",
                    source=record.source,
                )
            )
    for key, annotation in by_key.items():
        if key in used:
            continue
        if key[0] not in article_ids:
            problems.append(f"{annotation.where}: annotation names article {key[0]!r}, which has no raw text file")
        else:
            problems.append(f"{annotation.where}: annotation matches no sentence of article {key[0]!r}: {_short(key[1])}")
    if problems:
        raise DataError(f"{len(problems)} annotation problem(s):\n" + "\n".join(problems))
    return labeled


def fingerprint(sentences: Iterable[LabeledSentence]) -> str:
    """SHA-256 of the labeled sentences in order: equal data, equal fingerprint."""
    digest = hashlib.sha256()
    for item in sentences:
        row = [item.id, item.article, item.source, item.sentence, list(item.labels)]
        digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _short(text: str, limit: int = 90) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "\u2026")
