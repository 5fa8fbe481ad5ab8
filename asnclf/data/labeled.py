"""The one file format for labeled sentences: JSONL, one object per line.

Required keys: ``sentence`` (string) and ``labels`` (list of tag names, ``[]``
for a sentence with no tag). Optional: ``article`` (group id, so that
cross-validation never puts one article on both sides), ``id`` and
``source`` (``seed`` or ``authored``; other values are kept as given).
Training data, extra data and external test files all use it.

This module imports nothing heavy: ``asnclf evaluate`` and scoring use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asnclf.errors import DataError
from asnclf.labels import TAGS


@dataclass(frozen=True)
class LabeledSentence:
    """One labeled sentence; ``labels`` are in :data:`asnclf.labels.TAGS` order."""

    sentence: str
    labels: tuple[str, ...]
    article: str
    id: str
    source: str


def read_labeled_jsonl(path: str | Path) -> list[LabeledSentence]:
    """Read and validate a labeled JSONL file.

    Raises :class:`DataError` naming the file and line of the first problem.
    A missing ``article`` becomes ``<file stem>:<line>`` (each sentence its own
    group); a missing ``id`` becomes ``<file stem>:<line>``.
    """
    path = Path(path)
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: labeled data file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    records = []
    for number, line in enumerate(raw_lines, start=1):
        if line.strip():
            records.append(parse_labeled_record(line, where=f"{path}:{number}", default_id=f"{path.stem}:{number}"))
    if not records:
        raise DataError(f"{path}: no labeled sentences (expected JSON lines with 'sentence' and 'labels')")
    return records


def parse_labeled_record(line: str, *, where: str, default_id: str) -> LabeledSentence:
    """Parse one JSONL line of the labeled format; ``where`` prefixes any error."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise DataError(f"{where}: expected a JSON object with 'sentence' and 'labels', found {type(record).__name__}")
    sentence = record.get("sentence")
    if not isinstance(sentence, str) or not sentence.strip():
        raise DataError(f"{where}: 'sentence' must be a non-empty string, found {sentence!r}")
    labels = record.get("labels")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise DataError(f"{where}: 'labels' must be a list of tag names (e.g. [] or [\"appeal\"]), found {labels!r}")
    return LabeledSentence(
        sentence=sentence,
        labels=normalize_labels(labels, where=where),
        article=_optional_string(record, "article", where) or default_id,
        id=_optional_string(record, "id", where) or default_id,
        source=_optional_string(record, "source", where) or "external",
    )


def normalize_labels(labels: list[str], *, where: str) -> tuple[str, ...]:
    """Check tag names and return them deduplicated in canonical order."""
    unknown = [label for label in labels if label not in TAGS]
    if unknown:
        raise DataError(f"{where}: unknown label {unknown[0]!r}; valid labels are {', '.join(TAGS)}")
    return tuple(tag for tag in TAGS if tag in labels)


def _optional_string(record: dict, key: str, where: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise DataError(f"{where}: '{key}' must be a string when given, found {value!r}")
    return value


def label_matrix(labels: list[tuple[str, ...]]) -> np.ndarray:
    """Multi-hot matrix (n, len(TAGS)) of 0/1 in :data:`TAGS` order."""
    return np.array([[int(tag in row) for tag in TAGS] for row in labels], dtype=np.int64).reshape(len(labels), len(TAGS))
