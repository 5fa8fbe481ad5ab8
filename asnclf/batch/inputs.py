"""Readers for ``asnclf score``: every input record, in a fixed order, as an article or a reported skip.

An input is a ``.txt`` file (one article), a folder (its ``.txt`` files,
recursively, in sorted order), a JSONL / CSV / Parquet file (one article per
line or row) or ``-`` (standard input). :func:`plan_inputs` checks them all
before anything is scored; :func:`iter_items` then streams them.

Every record becomes exactly one :class:`Article` or one :class:`Skip`, and
each gets the next ``position`` (0, 1, 2, … across all inputs). The position
is what ``--resume`` counts, so the order must never depend on anything but
the inputs: folders are walked in sorted order.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from asnclf.errors import InputError
from asnclf.text.encoding import narrow_encoding, wide_encoding

STDIN = "-"
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")

Kind = Literal["text", "jsonl", "csv", "parquet", "stdin-text", "stdin-jsonl"]

# Why a record was skipped; the summary and the skip report use these names.
SKIP_REASONS: dict[str, str] = {
    "bad_json": "line is not valid JSON",
    "not_an_object": "JSON line is not an object",
    "missing_text": "text field missing",
    "null_text": "text field is null",
    "non_string_text": "text field is not a string",
    "undecodable": "bytes are not valid UTF-8 (the likely encoding is named)",
    "empty_text": "text is empty or only white space",
    "binary_file": "file is binary (contains NUL bytes)",
    "unreadable": "file cannot be read (or is a broken link)",
}

_BINARY_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Article:
    """An article to score: ``source`` says where it came from (``path`` or ``path:line``)."""

    position: int
    id: str
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class Skip:
    """A record that could not be scored, and why (a key of :data:`SKIP_REASONS`)."""

    position: int
    source: str
    reason: str
    detail: str

    def as_dict(self) -> dict:
        return {"position": self.position, "source": self.source, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class InputSource:
    """One file (or standard input) to read, with the id it gives its records by default."""

    kind: Kind
    path: Path | None
    name: str  # shown in sources and default ids
    default_id: str  # for a text file: its path relative to the folder given


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: field names (JSONL, CSV, Parquet) and the format of standard input."""

    text_field: str = "text"
    id_field: str = "id"
    stdin_format: Literal["text", "jsonl"] | None = None  # None: text, unless it looks like JSONL (then an error)

    def __post_init__(self) -> None:
        if not self.text_field:
            raise InputError("--text-field must not be empty")
        if self.stdin_format not in (None, "text", "jsonl"):
            raise InputError(f"--stdin-format must be 'text' or 'jsonl', found {self.stdin_format!r}")


def plan_inputs(inputs: Sequence[str | Path], options: ReadOptions) -> list[InputSource]:
    """Expand and check the inputs before reading any record.

    Raises :class:`InputError` for a missing path, a file of an unknown kind,
    standard input named twice, or a CSV / Parquet file without the text column.
    """
    if not inputs:
        raise InputError("no input given: name .txt, .jsonl, .csv or .parquet files, folders, or - for standard input")
    sources: list[InputSource] = []
    for given in inputs:
        if str(given) == STDIN:
            if any(source.path is None for source in sources):
                raise InputError("standard input (-) is named more than once")
            if options.stdin_format is None:
                _refuse_unannounced_jsonl(sys.stdin.buffer, options)
            sources.append(InputSource(f"stdin-{options.stdin_format or 'text'}", None, "<stdin>", "stdin"))  # type: ignore[arg-type]
            continue
        path = Path(given)
        if path.is_dir():
            # A broken link is kept: reading it gives a skip record, so it is not silently left out.
            files = sorted(
                (found for found in path.rglob("*")
                 if found.suffix.lower() in TEXT_SUFFIXES and (found.is_file() or (found.is_symlink() and not found.exists()))),
                key=lambda found: found.relative_to(path).as_posix(),
            )
            if not files:
                raise InputError(f"{path}: the folder holds no {' or '.join(TEXT_SUFFIXES)} file to score")
            sources.extend(InputSource("text", found, str(found), found.relative_to(path).as_posix()) for found in files)
        elif path.is_file():
            sources.append(_file_source(path, options))
        else:
            raise InputError(f"{path}: no such file or folder")
    return sources


def _refuse_unannounced_jsonl(stream, options: ReadOptions) -> None:
    """Refuse JSONL piped to ``-`` without ``--stdin-format``: it would be scored as one article."""
    if hasattr(stream, "peek"):
        head = stream.peek(_BINARY_SNIFF)[:_BINARY_SNIFF]  # peek reads nothing away
    elif stream.seekable():
        where = stream.tell()
        head = stream.read(_BINARY_SNIFF)
        stream.seek(where)
    else:
        return
    first, complete, _ = head.lstrip().partition(b"\n")
    if not first.startswith(b"{"):
        return
    if complete:
        try:
            looks_like_jsonl = isinstance(json.loads(first), dict)
        except (json.JSONDecodeError, UnicodeDecodeError):
            looks_like_jsonl = False
    else:
        looks_like_jsonl = first.startswith(b'{"')
    if looks_like_jsonl:
        raise InputError(
            "standard input (-) looks like JSONL (its first line is a JSON object); add --stdin-format jsonl "
            f"to score each line's {options.text_field!r}, or --stdin-format text to score it as one article"
        )


def _file_source(path: Path, options: ReadOptions) -> InputSource:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return InputSource("text", path, str(path), path.name)
    if suffix in JSONL_SUFFIXES:
        return InputSource("jsonl", path, str(path), path.name)
    if suffix in CSV_SUFFIXES:
        _check_csv_header(path, options)
        return InputSource("csv", path, str(path), path.name)
    if suffix in PARQUET_SUFFIXES:
        _check_parquet_schema(path, options)
        return InputSource("parquet", path, str(path), path.name)
    kinds = ", ".join(TEXT_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + PARQUET_SUFFIXES)
    raise InputError(f"{path}: unknown input kind {suffix or '(no suffix)'!r}; expected one of {kinds}, a folder, or -")


def _check_csv_header(path: Path, options: ReadOptions) -> None:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    if options.text_field not in header:
        found = ", ".join(header) or "(none: the file is empty)"
        raise InputError(f"{path}: no column {options.text_field!r}; columns: {found}; choose one with --text-field")


def _check_parquet_schema(path: Path, options: ReadOptions) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    if options.text_field not in schema.names:
        raise InputError(f"{path}: no column {options.text_field!r}; columns: {', '.join(schema.names)}; choose one with --text-field")
    kind = schema.field(options.text_field).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputError(f"{path}: column {options.text_field!r} holds {kind}, not text; choose a text column with --text-field")


def iter_items(sources: Sequence[InputSource], options: ReadOptions, *, start: int = 0) -> Iterator[Article | Skip]:
    """Every record of every source, in order, numbered from 0.

    Records before position ``start`` (already done in an interrupted run)
    are counted but not decoded or yielded.
    """
    counter = _Counter(start)
    for source in sources:
        if source.kind == "text":
            yield from _read_text_file(source, counter)
        elif source.kind == "jsonl":
            with open(source.path, "rb") as handle:  # type: ignore[arg-type]
                yield from _read_jsonl(handle, source, options, counter)
        elif source.kind == "csv":
            yield from _read_csv(source, options, counter)
        elif source.kind == "parquet":
            yield from _read_parquet(source, options, counter)
        elif source.kind == "stdin-jsonl":
            yield from _read_jsonl(sys.stdin.buffer, source, options, counter)
        else:
            position = counter.next()
            if position >= counter.start:
                yield _text_item(sys.stdin.buffer.read(), position, source.default_id, source.name)


class _Counter:
    """Hands out positions; records below ``start`` were done by an interrupted run."""

    __slots__ = ("value", "start")

    def __init__(self, start: int) -> None:
        self.value = 0
        self.start = start

    def next(self) -> int:
        self.value += 1
        return self.value - 1


def _read_text_file(source: InputSource, counter: _Counter) -> Iterator[Article | Skip]:
    position = counter.next()
    if position < counter.start:
        return
    try:
        data = source.path.read_bytes()  # type: ignore[union-attr]
    except OSError as exc:
        detail = exc.strerror or str(exc)
        if source.path.is_symlink() and not source.path.exists():  # type: ignore[union-attr]
            detail = f"broken link to {os.readlink(source.path)}"  # type: ignore[arg-type]
        yield Skip(position, source.name, "unreadable", detail)
        return
    yield _text_item(data, position, source.default_id, source.name)


def _text_item(data: bytes, position: int, article_id: str, where: str) -> Article | Skip:
    wide = wide_encoding(data[:_BINARY_SNIFF])
    if wide is not None:
        return Skip(position, where, "undecodable", f"text is {wide}, not UTF-8; convert it, e.g. iconv -f {wide} -t UTF-8")
    if b"\x00" in data[:_BINARY_SNIFF]:
        return Skip(position, where, "binary_file", "NUL byte in the first 8 KiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Skip(position, where, "undecodable", f"invalid UTF-8 at byte {exc.start}; likely {narrow_encoding(data)}")
    if not text.strip():
        return Skip(position, where, "empty_text", "no text")
    return Article(position, article_id, where, text)


def _read_jsonl(handle, source: InputSource, options: ReadOptions, counter: _Counter) -> Iterator[Article | Skip]:
    first = True
    for number, raw in enumerate(handle, start=1):
        if first:
            first = False
            wide = wide_encoding(raw[:_BINARY_SNIFF])
            if wide is not None:
                detail = f"file is {wide}, not UTF-8; convert it, e.g. iconv -f {wide} -t UTF-8"
                yield Skip(counter.next(), source.name, "undecodable", detail)
                return
            if b"\x00" in raw[:_BINARY_SNIFF]:
                yield Skip(counter.next(), source.name, "binary_file", "NUL byte on line 1; not a JSONL file")
                return
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue  # blank lines hold no record
        position = counter.next()
        if position < counter.start:
            continue
        where = f"{source.name}:{number}"
        try:
            line = raw.rstrip(b"\r\n").decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Skip(position, where, "undecodable", f"invalid UTF-8 at byte {exc.start} of the line; likely {narrow_encoding(raw)}")
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(position, where, "bad_json", f"{exc.msg} at column {exc.colno}")
            continue
        if not isinstance(item, dict):
            yield Skip(position, where, "not_an_object", f"found a JSON {type(item).__name__}")
            continue
        if item.get(options.text_field, ...) is None:
            yield Skip(position, where, "null_text", f"{options.text_field!r} is null")
            continue
        yield _field_item(item.get(options.text_field), item.get(options.id_field), position, where,
                          f"{source.default_id}:{number}", options)


def _field_item(text, article_id, position: int, where: str, default_id: str, options: ReadOptions) -> Article | Skip:
    if text is None:
        return Skip(position, where, "missing_text", f"no {options.text_field!r} field")
    if not isinstance(text, str):
        return Skip(position, where, "non_string_text", f"{options.text_field!r} is a {type(text).__name__}")
    if not text.strip():
        return Skip(position, where, "empty_text", f"{options.text_field!r} is empty")
    if article_id is None or article_id == "":
        article_id = default_id
    article_id = str(article_id)
    # A lone surrogate (a JSON escape such as "\\ud800", or bad bytes kept in a CSV row) is no
    # character: no output could write it as UTF-8.
    if _has_surrogates(text) or _has_surrogates(article_id):
        return Skip(position, where, "undecodable", "not valid Unicode: a lone surrogate (invalid UTF-8 or a \\ud800-style escape)")
    return Article(position, article_id, where, text)


def _read_csv(source: InputSource, options: ReadOptions, counter: _Counter) -> Iterator[Article | Skip]:
    # surrogateescape keeps undecodable bytes in the row, so one bad row is
    # skipped instead of the file failing half way.
    with open(source.path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:  # type: ignore[arg-type]
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=1):
            position = counter.next()
            if position < counter.start:
                continue
            where = f"{source.name}:{number}"
            yield _field_item(row.get(options.text_field), row.get(options.id_field), position, where,
                              f"{source.default_id}:{number}", options)


def _has_surrogates(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_parquet(source: InputSource, options: ReadOptions, counter: _Counter) -> Iterator[Article | Skip]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(source.path)
    columns = [options.text_field] + ([options.id_field] if options.id_field in parquet.schema_arrow.names else [])
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=columns):
        texts = batch.column(options.text_field).to_pylist()
        ids = batch.column(options.id_field).to_pylist() if len(columns) > 1 else [None] * len(texts)
        for text, article_id in zip(texts, ids):
            number += 1
            position = counter.next()
            if position < counter.start:
                continue
            if text is None:
                yield Skip(position, f"{source.name}:{number}", "null_text", f"{options.text_field!r} is null")
                continue
            yield _field_item(text, article_id, position, f"{source.name}:{number}", f"{source.default_id}:{number}", options)


def fingerprint(sources: Sequence[InputSource], options: ReadOptions) -> list | None:
    """What must not change between an interrupted run and its ``--resume``: files, sizes, times, fields.

    None when standard input is among the sources: it cannot be read again, so that run cannot be resumed.
    """
    if any(source.path is None for source in sources):
        return None
    files = []
    for source in sources:
        try:
            stat = os.stat(source.path)  # type: ignore[arg-type]
        except FileNotFoundError:
            stat = os.lstat(source.path)  # type: ignore[arg-type]  # a broken link, reported as a skip
        files.append([str(source.path.resolve()), source.kind, stat.st_size, stat.st_mtime_ns])  # type: ignore[union-attr]
    return [files, options.text_field, options.id_field]
