"""Batch scoring of article files: read, score and write in chunks, in one or several processes.

:func:`score_files` is what ``asnclf score`` calls. Memory stays flat: at
most a few chunks are in flight at once, whatever the size of the input.
With ``jobs > 1`` worker processes score chunks while the main process reads
and writes; results are written in input order, so the output is the same
whatever the number of jobs.

Every input record ends up in exactly one place: the output (scored) or the
skip report (with its source and reason). See :mod:`asnclf.batch.outputs`
for how interrupted runs are resumed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from asnclf.batch.allocator import keep_freed_memory
from asnclf.errors import InputError
from asnclf.model.artifact import load_model
from asnclf.batch.locking import locked_outputs
from asnclf.batch.output_paths import check_outputs_apart, check_replaceable, output_format_for
from asnclf.batch.inputs import Article, ReadOptions, Skip, fingerprint, iter_items, plan_inputs
from asnclf.batch.outputs import OUTPUT_FORMATS, OutputFormat, Renderer, StagedRun, Targets
from asnclf.batch.html import page_head, page_tail


class RecordError(InputError):
    """A malformed record under ``on_error="fail"``: the run stops at it (the CLI exits with status 1)."""

    def __init__(self, skip: Skip) -> None:
        self.skip = skip
        super().__init__(f"{skip.source}: {skip.reason.replace('_', ' ')} ({skip.detail}); stopped because of --on-error fail")


@dataclass(frozen=True)
class ScoreOptions:
    """How a scoring run reads, writes and parallelises.

    ``on_error`` is ``"skip"`` (report the record and go on) or ``"fail"``
    (stop at the first malformed record); ``chunk_size`` articles are scored
    and written together, and journaled for ``--resume``.
    """

    read: ReadOptions = ReadOptions()
    output_format: OutputFormat | None = None  # None: from the output's extension (JSONL if it names none)
    only_tagged: bool = False
    on_error: Literal["skip", "fail"] = "skip"
    jobs: int = 1
    chunk_size: int = 1024

    def __post_init__(self) -> None:
        if self.output_format is not None and self.output_format not in OUTPUT_FORMATS:
            raise InputError(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, found {self.output_format!r}")
        if self.on_error not in ("skip", "fail"):
            raise InputError(f"--on-error must be 'skip' or 'fail', found {self.on_error!r}")
        if not 1 <= self.jobs <= 256:
            raise InputError(f"--jobs must be between 1 and 256, found {self.jobs}")
        if self.chunk_size < 1:
            raise InputError(f"chunk size must be at least 1, found {self.chunk_size}")


@dataclass
class ScoreSummary:
    """What a run did: articles and sentences scored, tagged sentences per tag, records skipped per reason."""

    articles: int = 0
    sentences: int = 0
    tags: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    resumed_at: int = 0
    targets: Targets | None = None

    def as_state(self) -> dict:
        return {"articles": self.articles, "sentences": self.sentences, "tags": dict(self.tags), "skipped": dict(self.skipped)}

    @classmethod
    def from_state(cls, state: dict, labels: Sequence[str]) -> ScoreSummary:
        tags = {label: int(state.get("tags", {}).get(label, 0)) for label in labels}
        return cls(int(state.get("articles", 0)), int(state.get("sentences", 0)), tags, dict(state.get("skipped", {})))

    def lines(self) -> list[str]:
        """The summary printed on stderr at the end of a run."""
        lines = [f"{self.articles:,} articles, {self.sentences:,} sentences scored"]
        if self.targets is not None:
            lines[0] += f" -> {self.targets.output}"
            if self.targets.html is not None:
                lines[0] += f" (page: {self.targets.html})"
        if self.resumed_at:
            lines.append(f"resumed after {self.resumed_at:,} records done by the interrupted run")
        lines.append("tagged sentences: " + ", ".join(f"{tag} {count:,}" for tag, count in self.tags.items()))
        total = sum(self.skipped.values())
        if total:
            reasons = ", ".join(f"{reason.replace('_', ' ')} {count:,}" for reason, count in sorted(self.skipped.items()))
            where = f"; listed in {self.targets.skipped}" if self.targets is not None else ""
            lines.append(f"skipped {total:,} records ({reasons}){where}")
        else:
            lines.append("skipped 0 records")
        return lines


def default_skipped_path(output: Path) -> Path:
    """Where the skip report goes unless told: ``<output>.skipped.jsonl``."""
    return output.with_name(output.name + ".skipped.jsonl")


def score_files(
    inputs: Sequence[str | Path],
    output: str | Path,
    *,
    model: str | Path | None = None,
    options: ScoreOptions = ScoreOptions(),
    html: str | Path | None = None,
    skipped: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_skip: Callable[[Skip], None] | None = None,
) -> ScoreSummary:
    """Score every article of ``inputs`` with the model at ``model`` (default: the shipped one) into ``output``.

    Also writes the skip report (default ``<output>.skipped.jsonl``) and,
    with ``html``, a page highlighting the tagged sentences. ``on_progress``
    is called with the number of records done after each chunk; ``on_skip``
    with each skipped record. Returns the run's :class:`ScoreSummary`.

    No output may name an input, and an existing output is replaced only with
    ``force`` (or continued with ``resume``). Each output is locked for the
    run's life, so a second run on it is refused.

    Raises :class:`InputError` for inputs that cannot be read as asked,
    :class:`OutputError` for outputs that cannot be written as asked (an
    input's path, existing, locked by another run, full disk, read-only folder),
    :class:`RecordError` at the first malformed record when
    ``options.on_error == "fail"``, :class:`asnclf.ArtifactError` for a bad model.
    """
    if str(output) == STDOUT:
        return _score_to_stdout(inputs, model, options, html=html, skipped=skipped, resume=resume,
                                on_progress=on_progress, on_skip=on_skip)
    output = Path(output)
    targets = Targets(output, Path(skipped) if skipped else default_skipped_path(output), Path(html) if html else None)
    output_format = output_format_for(output, options.output_format)
    sources = plan_inputs(inputs, options.read)
    check_outputs_apart(targets.finals(), inputs, sources)
    files = fingerprint(sources, options.read)
    if resume and files is None:
        raise InputError("--resume cannot continue a run that read standard input (-): it cannot be read again")
    with locked_outputs(targets.finals().values()):
        check_replaceable(targets.finals(), force=force, resuming=resume)
        tagger = load_model(model)
        renderer = Renderer(tagger.labels, output_format, options.only_tagged, html is not None)
        # A digest, not the list: the journal is rewritten after every chunk and a folder may hold 100,000 files.
        run_key = None if files is None else hashlib.sha256(json.dumps(
            [files, tagger.manifest.get("model_sha256"), renderer.output_format, renderer.only_tagged]
        ).encode("utf-8")).hexdigest()
        staged, resumed = StagedRun.start(targets, run_key, renderer.header(), resume=resume)
        summary = ScoreSummary.from_state(staged.state, tagger.labels) if resumed else ScoreSummary(tags=dict.fromkeys(tagger.labels, 0))
        summary.targets, summary.resumed_at = targets, staged.done if resumed else 0
        if staged.finishing is not None:
            staged.complete()  # the interrupted run had scored everything and was renaming its outputs
            return summary
        _score_into(staged, summary, tagger, renderer, sources, options, model, on_progress, on_skip)
        staged.finish(renderer, (page_head(tagger.labels, summary.as_state()), page_tail()) if html else None)
    return summary


STDOUT = "-"  # the output name that writes to standard output


def _score_to_stdout(inputs, model, options: ScoreOptions, *, html, skipped, resume, on_progress, on_skip) -> ScoreSummary:
    """Score into standard output, chunk by chunk: no lock, no staged file, nothing to replace or resume.

    Only a text format streams (JSONL, CSV); the skip report and the HTML page,
    which are files, need a file output too.
    """
    import sys

    output_format = options.output_format or "jsonl"
    if output_format == "parquet":
        raise InputError("-o -: Parquet is a binary file format; write it to a file, or choose --format jsonl or csv")
    for flag, value in (("--html", html), ("--skipped", skipped), ("--resume", resume)):
        if value:
            raise InputError(f"-o - writes to standard output: {flag} needs an output file")
    sources = plan_inputs(inputs, options.read)
    tagger = load_model(model)
    renderer = Renderer(tagger.labels, output_format, options.only_tagged, False)
    summary = ScoreSummary(tags=dict.fromkeys(tagger.labels, 0))
    sys.stdout.write(renderer.header())
    scored = _scored_chunks(iter_items(sources, options.read, start=0), tagger, renderer, options, model)
    collector = _FewerCollections()
    try:
        for chunk, (main, _, articles, sentences, tags) in scored:
            for skip in (item for item in chunk if isinstance(item, Skip)):
                summary.skipped[skip.reason] = summary.skipped.get(skip.reason, 0) + 1
                if on_skip is not None:
                    on_skip(skip)
            summary.articles += articles
            summary.sentences += sentences
            for label, count in zip(tagger.labels, tags):
                summary.tags[label] += count
            sys.stdout.write(main)
            sys.stdout.flush()
            if on_progress is not None:
                on_progress(len(chunk))
    finally:
        scored.close()
        collector.restore()
    return summary


def _score_into(staged: StagedRun, summary: ScoreSummary, tagger, renderer: Renderer, sources, options: ScoreOptions,
                model, on_progress, on_skip) -> None:
    """Score every record after those ``staged`` has done, committing each chunk to it and counting into ``summary``."""
    scored = _scored_chunks(iter_items(sources, options.read, start=staged.done), tagger, renderer, options, model)
    collector = _FewerCollections()
    try:
        for chunk, result in scored:
            skips = [item for item in chunk if isinstance(item, Skip)]
            for skip in skips:
                summary.skipped[skip.reason] = summary.skipped.get(skip.reason, 0) + 1
                if on_skip is not None:
                    on_skip(skip)
            main, page, articles, sentences, tags = result
            summary.articles += articles
            summary.sentences += sentences
            for label, count in zip(tagger.labels, tags):
                summary.tags[label] += count
            report = "".join(json.dumps(skip.as_dict(), ensure_ascii=False) + "\n" for skip in skips)
            staged.commit({"main": main, "html": page, "skipped": report}, done=chunk[-1].position + 1, state=summary.as_state())
            if on_progress is not None:
                on_progress(len(chunk))
    except RecordError:
        staged.discard()  # the input must be fixed first; a resume could not continue it
        raise
    except BaseException:
        staged.abandon()  # partial files and journal stay for --resume
        raise
    finally:
        scored.close()  # stops the worker processes at once, whatever happened
        collector.restore()


ChunkResult = tuple[str, str, int, int, list[int]]


class _FewerCollections:
    """Run Python's cyclic garbage collector less often while chunks are scored, and put the model out of its sight.

    Scoring a chunk allocates hundreds of thousands of small container
    objects (sentences, their records' dicts and lists) that die with the chunk and
    form no cycles. At the default thresholds the collector rescans them, and the
    loaded model's large dicts, every few hundred allocations.
    Freezing moves everything alive now (the model) out of the collector's
    generations; the higher first threshold lets the chunk's
    objects die before they are scanned. Both are undone by :meth:`restore`.
    """

    FIRST_GENERATION_THRESHOLD = 50_000

    def __init__(self) -> None:
        import gc

        self._thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(max(self._thresholds[0], self.FIRST_GENERATION_THRESHOLD), *self._thresholds[1:])

    def restore(self) -> None:
        import gc

        gc.set_threshold(*self._thresholds)
        gc.unfreeze()


def _chunks(items: Iterator[Article | Skip], size: int, on_error: str) -> Iterator[list[Article | Skip]]:
    """Groups of items holding up to ``size`` articles (skips ride along with them)."""
    chunk: list[Article | Skip] = []
    articles = 0
    for item in items:
        if isinstance(item, Skip) and on_error == "fail":
            raise RecordError(item)
        chunk.append(item)
        if isinstance(item, Article):
            articles += 1
            if articles >= size:
                yield chunk
                chunk, articles = [], 0
    if chunk:
        yield chunk


def _scored_chunks(items, tagger, renderer: Renderer, options: ScoreOptions, model) -> Iterator[tuple[list, ChunkResult]]:
    chunks = _chunks(items, options.chunk_size, options.on_error)
    if options.jobs == 1:
        for chunk in chunks:
            yield chunk, score_chunk(tagger, renderer, [item for item in chunk if isinstance(item, Article)])
        return
    # Fork where it exists: workers inherit the loaded model instead of unpickling it again.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _WORKER["tagger"] = tagger
    pool = multiprocessing.get_context(method).Pool(options.jobs, initializer=_init_worker, initargs=(model, renderer))
    try:
        pending: deque = deque()
        # A bounded window of chunks in flight keeps memory flat and the output in input order.
        for chunk in chunks:
            articles = [item for item in chunk if isinstance(item, Article)]
            pending.append((chunk, pool.apply_async(_score_in_worker, (articles,))))
            if len(pending) > 2 * options.jobs:
                done, future = pending.popleft()
                yield done, future.get()
        while pending:
            done, future = pending.popleft()
            yield done, future.get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _WORKER.clear()


def score_chunk(tagger, renderer: Renderer, articles: list[Article]) -> ChunkResult:
    """Score a chunk of articles and render it: output text, HTML text, articles, sentences, tagged sentences per tag."""
    scored = tagger.score_texts([article.text for article in articles])
    counts = scored.tag_counts(len(tagger.labels))
    main, page = renderer.render(articles, scored, counts)
    return main, page, len(articles), len(scored.codes), counts.sum(axis=0).tolist()


_WORKER: dict = {}


def one_math_thread() -> None:
    """Keep numpy's BLAS to one thread in this process: one job is one core.

    The context stage's small matrix products gain nothing from a second
    thread, which otherwise spins on the other core (or on another job's).
    Only the scoring command's own processes call it, never a program that
    imports asnclf.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def _init_worker(model, renderer: Renderer) -> None:
    import signal

    # Ctrl-C reaches the whole process group; the main process alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "tagger" not in _WORKER:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the main process already warned about versions
            _WORKER["tagger"] = load_model(model)
    _WORKER["renderer"] = renderer
    _FewerCollections()  # for the worker's whole life
    keep_freed_memory()  # a worker is the scoring command's own process: see asnclf/batch/allocator.py
    one_math_thread()


def _score_in_worker(articles: list[Article]) -> ChunkResult:
    return score_chunk(_WORKER["tagger"], _WORKER["renderer"], articles)
