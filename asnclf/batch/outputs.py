"""Writers for ``asnclf score``: rendering scored articles, staging files, the resume journal.

Nothing is written at a final path until the run is complete. Each output
(the result, the skip report, the HTML page) grows in a hidden partial file
beside it (``.NAME.partial``). After every chunk the partial files are
flushed and a journal (``.NAME.journal.json`` beside the output) records how
many input records are done, the size of each partial file and the running
totals. ``--resume`` truncates each partial file back to its journaled size,
so a chunk half-written when the run was killed is dropped and scored again,
and reading restarts after the last journaled record: nothing is scored twice
and nothing is duplicated. At the end the partial files are finished
(Parquet converted, HTML wrapped) and flushed to disk, the journal says so,
and they are renamed into place; the journal goes last, so a run killed
while finishing is completed by ``--resume``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import orjson

from asnclf.atomic import fsync_directory, fsync_file, named_os_errors
from asnclf.errors import InputError
from asnclf.batch.html import article_html
from asnclf.model.sentence_table import arrow_fields, arrow_table, sentence_fields, sentence_rows

if TYPE_CHECKING:
    from asnclf.model.tagger import ScoredArticles

OutputFormat = Literal["jsonl", "csv", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
JOURNAL_FORMAT = "asnclf-score-journal/1"
_PARQUET_ROWS_PER_GROUP = 50_000


@dataclass(frozen=True)
class Renderer:
    """Turns scored articles into the text appended to the output (and the HTML page)."""

    labels: tuple[str, ...]
    output_format: OutputFormat = "jsonl"
    only_tagged: bool = False
    html: bool = False

    def header(self) -> str:
        """What the output starts with (the CSV header row; nothing for JSONL and staged Parquet)."""
        if self.output_format != "csv":
            return ""
        return _csv_text([sentence_columns(self.labels)])

    def render(self, articles: Sequence, scored: ScoredArticles, counts: np.ndarray) -> tuple[str, str]:
        """The output text and HTML text for a chunk of scored articles and their per-tag counts (articles × tags)."""
        tagged = scored.sentence_dicts(self.labels)
        count_dicts = [dict(zip(self.labels, row)) for row in counts.tolist()]
        main = self._jsonl(articles, tagged, count_dicts) if self.output_format == "jsonl" else self._table(articles, tagged)
        page = ""
        if self.html:
            page = "".join(
                article_html(a.id, a.source, a.text, sentences, n, self.labels, only_tagged=self.only_tagged)
                for a, sentences, n in zip(articles, tagged, count_dicts)
            )
        return main, page

    def _jsonl(self, articles: Sequence, tagged: Sequence[list[dict]], count_dicts: Sequence[dict]) -> str:
        lines = []
        for article, sentences, counts in zip(articles, tagged, count_dicts):
            if self.only_tagged:
                sentences = [sentence for sentence in sentences if sentence["labels"]]
            record = {"id": article.id, "source": article.source, "sentences": sentences, "counts": counts}
            lines.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        return b"".join(lines).decode("utf-8")

    def _table(self, articles: Sequence, tagged: Sequence[list[dict]]) -> str:
        rows = [row for a, sentences in zip(articles, tagged) for row in self._rows(a, sentences)]
        if self.output_format == "csv":
            return _csv_text(rows)
        # Parquet is staged as JSON arrays, one row per line, and converted at the end.
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        return "".join(dumps(row) + "\n" for row in rows)

    def _rows(self, article, sentences: list[dict]) -> list[list]:
        return sentence_rows([article.id, article.source], sentences, self.labels, only_tagged=self.only_tagged)


def sentence_columns(labels: Sequence[str]) -> list[str]:
    """The columns of the CSV and Parquet outputs, one row per sentence."""
    return ["id", "source"] + sentence_fields(labels)


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class Targets:
    """The final paths of one run; the journal lives beside ``output``."""

    output: Path
    skipped: Path
    html: Path | None = None

    @property
    def journal(self) -> Path:
        return _hidden(self.output, "journal.json")

    def finals(self) -> dict[str, Path]:
        paths = {"main": self.output, "skipped": self.skipped}
        if self.html is not None:
            paths["html"] = self.html
        return paths

    def check(self) -> None:
        for path in self.finals().values():
            if path.is_dir():
                raise InputError(f"{path}: is a folder; give a file name")


def _hidden(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}.{suffix}")


@dataclass
class StagedRun:
    """The partial files and journal of one run (see the module docstring).

    Every file operation that fails for the system's reasons (full disk,
    read-only folder) raises :class:`OutputError` naming the file; the partial
    files and the journal are then left as they were after the last chunk,
    so the run can be resumed.
    """

    targets: Targets
    fingerprint: str | None
    header: str
    done: int = 0
    state: dict = field(default_factory=dict)
    finishing: dict[str, str] | None = None  # output -> name of its finished staged file, once scoring is over
    _handles: dict = field(default_factory=dict)

    @classmethod
    def start(cls, targets: Targets, fingerprint: str | None, header: str, *, resume: bool) -> tuple[StagedRun, bool]:
        """Open the partial files: continue the journaled run when ``resume`` (returns True), else start afresh.

        Raises :class:`InputError` when ``resume`` finds no journal: there is nothing to resume.
        """
        targets.check()
        run = cls(targets, fingerprint, header)
        if resume:
            journal = read_journal(targets.journal)
            if journal is None:
                state = f"{targets.output} is complete" if targets.output.exists() else f"no interrupted run writes {targets.output}"
                raise InputError(f"nothing to resume: {state} (no journal {targets.journal}); run without --resume")
            run._continue(journal)
            return run, True
        run._fresh()
        return run, False

    def _partials(self) -> dict[str, Path]:
        return {name: _hidden(path, "partial") for name, path in self.targets.finals().items()}

    def _fresh(self) -> None:
        for name, path in self._partials().items():
            with named_os_errors(path):
                path.parent.mkdir(parents=True, exist_ok=True)
                self._handles[name] = open(path, "wb")
        with named_os_errors(self._partials()["main"]):
            self._handles["main"].write(self.header.encode("utf-8"))
        self._write_journal()

    def _continue(self, journal: dict) -> None:
        if journal.get("fingerprint") is None or journal["fingerprint"] != self.fingerprint:
            raise InputError(
                f"cannot resume: the inputs, fields or model differ from the interrupted run's ({self.targets.journal}); "
                "run again without --resume to start over"
            )
        sizes = journal["sizes"]
        if set(sizes) != set(self._partials()):
            raise InputError("cannot resume: the interrupted run wrote other outputs (--html or --skipped differ); run without --resume")
        self.done = journal["done"]
        self.state = journal["state"]
        if journal.get("finishing") is not None:
            self.finishing = journal["finishing"]  # scoring was over: only the renames remain (see complete)
            return
        for name, path in self._partials().items():
            if not path.is_file() or path.stat().st_size < sizes[name]:
                raise InputError(f"cannot resume: {path} is missing or shorter than the journal says; run again without --resume")
            with named_os_errors(path):
                handle = open(path, "r+b")
                handle.truncate(sizes[name])
                handle.seek(sizes[name])
            self._handles[name] = handle

    def commit(self, texts: Mapping[str, str], *, done: int, state: dict) -> None:
        """Append a chunk's text to each partial file, flush, and journal that records before ``done`` are written."""
        partials = self._partials()
        for name, text in texts.items():
            if text and name in self._handles:
                with named_os_errors(partials[name]):
                    self._handles[name].write(text.encode("utf-8"))
        for name, handle in self._handles.items():
            with named_os_errors(partials[name]):
                handle.flush()
        self.done, self.state = done, state
        self._write_journal()

    def _write_journal(self, *, durable: bool = False) -> None:
        if self.fingerprint is None:
            return  # standard input cannot be read again: nothing to resume
        journal = {
            "format": JOURNAL_FORMAT,
            "fingerprint": self.fingerprint,
            "done": self.done,
            "sizes": {name: handle.tell() for name, handle in self._handles.items()},
            "state": self.state,
        }
        if self.finishing is not None:
            journal["sizes"] = dict.fromkeys(self._partials(), 0)
            journal["finishing"] = self.finishing
        temporary = _hidden(self.targets.output, "journal.tmp")
        with named_os_errors(temporary):
            temporary.write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8")
            if durable:
                fsync_file(temporary)
            os.replace(temporary, self.targets.journal)
            if durable:
                fsync_directory(self.targets.journal.parent)

    def finish(self, renderer: Renderer, page: tuple[str, str] | None) -> None:
        """Complete every output and rename it into place; ``page`` is the HTML head and tail.

        The finished files are staged and flushed to disk first, then the
        journal says so, then they are renamed: a run killed at any point of
        this step is completed by ``--resume``, and only then is the journal removed.
        """
        self.close()
        partials = self._partials()
        staged = dict(partials)
        if renderer.output_format == "parquet":
            staged["main"] = _hidden(self.targets.output, "ready")
            with named_os_errors(staged["main"]):
                _staged_rows_to_parquet(partials["main"], staged["main"], renderer.labels)
        if self.targets.html is not None and page is not None:
            staged["html"] = _hidden(self.targets.html, "ready")
            with named_os_errors(staged["html"]):
                _wrap(partials["html"], staged["html"], *page)
        for path in staged.values():
            with named_os_errors(path):
                fsync_file(path)
        self.finishing = {name: path.name for name, path in staged.items()}
        self._write_journal(durable=True)
        self.complete()

    def complete(self) -> None:
        """Rename each finished file into place, flush the folders, then remove the partial files and the journal."""
        finals = self.targets.finals()
        for name, final in finals.items():
            staged = final.with_name(self.finishing[name])
            with named_os_errors(final):
                if staged.exists():  # else renamed by the run that was interrupted
                    os.replace(staged, final)
        for folder in {final.parent for final in finals.values()}:
            with named_os_errors(folder):
                fsync_directory(folder)
        for path in self._partials().values():
            path.unlink(missing_ok=True)
        self.targets.journal.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the partial files (their buffered bytes are written: a full disk raises :class:`OutputError`)."""
        partials = self._partials()
        handles, self._handles = self._handles, {}
        for name, handle in handles.items():
            with named_os_errors(partials[name]):
                handle.close()

    def abandon(self) -> None:
        """Close the partial files after a failure, keeping them and the journal for ``--resume``.

        Bytes that cannot be written now (a full disk) are lost without a
        second error: the journal, not the files' ends, says what is done,
        and a resume cuts each file back to its journaled size.
        """
        handles, self._handles = self._handles, {}
        for handle in handles.values():
            try:
                handle.close()
            except OSError:
                pass  # see the docstring: the first error is the one to report

    def discard(self) -> None:
        """Remove every partial file and the journal (after a failure that a resume could not continue)."""
        self.abandon()
        for path in [*self._partials().values(), self.targets.journal]:
            path.unlink(missing_ok=True)


def read_journal(path: Path) -> dict | None:
    """The journal of an interrupted run, or None when there is none."""
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(f"cannot resume: {path} is damaged; run again without --resume") from None
    if not isinstance(journal, dict) or journal.get("format") != JOURNAL_FORMAT:
        raise InputError(f"cannot resume: {path} is not an asnclf score journal; run again without --resume")
    return journal


def _wrap(body: Path, target: Path, head: str, tail: str) -> None:
    with open(target, "wb") as out, open(body, "rb") as source:
        out.write(head.encode("utf-8"))
        while block := source.read(1 << 20):
            out.write(block)
        out.write(tail.encode("utf-8"))


def _staged_rows_to_parquet(staged: Path, target: Path, labels: Sequence[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field("id", pa.string()), pa.field("source", pa.string()), *arrow_fields(labels)])
    with pq.ParquetWriter(target, schema) as writer, open(staged, encoding="utf-8") as lines:
        rows: list[list] = []
        for line in lines:
            rows.append(json.loads(line))
            if len(rows) >= _PARQUET_ROWS_PER_GROUP:
                writer.write_table(arrow_table(rows, schema))
                rows = []
        if rows:
            writer.write_table(arrow_table(rows, schema))
