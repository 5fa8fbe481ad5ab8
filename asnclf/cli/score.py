"""The ``asnclf score`` subcommand: parse, call :func:`asnclf.batch.run.score_files`, report.

Only what scoring needs is imported when it runs (no pydantic, ``datasets``
or matplotlib); tqdm is imported only when a progress bar is shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_RECORD_ERROR = 1
_SKIPS_SHOWN = 20  # on stderr; the skip report lists them all

DESCRIPTION = """\
Score articles: every sentence gets its tags (prohibition, appeal, statistic) and scores.

INPUT is a .txt file (one article), a folder (its .txt files, recursively, in
sorted order), a .jsonl / .csv / .parquet file (one article per line or row,
text in --text-field, id in --id-field; a missing id becomes FILE:LINE), or -
for standard input (one plain-text article, or JSONL with --stdin-format jsonl).

Malformed records are listed in the skip report (--skipped, default
OUTPUT.skipped.jsonl; with -o -, stderr only) and counted in the summary; --on-error fail stops at the
first one (exit status 1). Outputs are written to hidden partial files and
renamed when complete; an interrupted run continues with --resume. An output
that exists is replaced only with --force; no output may be an input; a
second run on the same output is refused while the first holds its lock.
"""


def add_score_command(subparsers) -> argparse.ArgumentParser:
    """Add ``score`` to the ``asnclf`` subcommands."""
    score = subparsers.add_parser(
        "score", help="tag the sentences of articles in files, folders or standard input",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, folder, .jsonl, .csv, .parquet, or -")
    score.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    score.add_argument("--output", "-o", required=True,
                       help="output file, or - for standard output (JSONL or CSV, streamed; no --html, --skipped or --resume)")
    score.add_argument("--format", choices=("jsonl", "csv", "parquet"), default=None, dest="output_format",
                       help="jsonl: one object per article; csv, parquet: one row per sentence "
                            "(default: as the output's extension says, else jsonl)")
    score.add_argument("--only-tagged", action="store_true", help="keep only sentences with at least one tag")
    score.add_argument("--html", type=Path, help="also write a page highlighting the tagged sentences")
    score.add_argument("--text-field", default="text", help="text field or column of JSONL/CSV/Parquet (default: text)")
    score.add_argument("--id-field", default="id", help="id field or column (default: id; missing -> FILE:LINE)")
    score.add_argument("--stdin-format", choices=("text", "jsonl"), default=None,
                       help="what - reads: one plain-text article (default; refused if it looks like JSONL) or JSONL records")
    score.add_argument("--skipped", type=Path, help="skip report, JSONL (default: OUTPUT.skipped.jsonl)")
    score.add_argument("--on-error", choices=("skip", "fail"), default="skip",
                       help="malformed record: skip and report it (default), or stop with exit status 1")
    score.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    score.add_argument("--chunk-size", type=int, default=1024,
                       help="articles scored, written and journaled together (default 1024)")
    score.add_argument("--resume", action="store_true", help="continue an interrupted run with the same arguments")
    score.add_argument("--force", action="store_true", help="replace outputs that already exist")
    score.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no per-record skip lines")
    score.set_defaults(handler=run_score)
    return score


def run_score(args) -> int:
    from asnclf.batch.allocator import keep_freed_memory
    from asnclf.batch.run import RecordError, ScoreOptions, one_math_thread, score_files
    from asnclf.batch.inputs import ReadOptions

    keep_freed_memory()  # this process is the command's own: see asnclf/batch/allocator.py
    one_math_thread()

    options = ScoreOptions(
        read=ReadOptions(text_field=args.text_field, id_field=args.id_field, stdin_format=args.stdin_format),
        output_format=args.output_format,
        only_tagged=args.only_tagged,
        on_error=args.on_error,
        jobs=args.jobs,
        chunk_size=args.chunk_size,
    )
    bar = _progress_bar(args.quiet)
    shown = [0]

    def on_skip(skip) -> None:
        shown[0] += 1
        if args.quiet or shown[0] > _SKIPS_SHOWN:
            return
        if bar is not None:
            bar.clear()
        print(f"asnclf score: skipped {skip.source}: {skip.reason.replace('_', ' ')} ({skip.detail})", file=sys.stderr)

    try:
        summary = score_files(
            args.inputs, args.output, model=args.model, options=options, html=args.html, skipped=args.skipped,
            resume=args.resume, force=args.force, on_progress=None if bar is None else bar.update, on_skip=on_skip,
        )
    except RecordError as exc:
        _close(bar)
        print(f"asnclf score: error: {exc}", file=sys.stderr)
        return EXIT_RECORD_ERROR
    except KeyboardInterrupt:
        _close(bar)
        print("asnclf score: interrupted; the partial results are kept: add --resume to the same command to continue",
              file=sys.stderr)
        return 130
    _close(bar)
    if shown[0] > _SKIPS_SHOWN and not args.quiet:
        print(f"asnclf score: … {shown[0] - _SKIPS_SHOWN:,} more skipped records", file=sys.stderr)
    for line in summary.lines():
        print(f"asnclf score: {line}", file=sys.stderr)
    return 0


def _progress_bar(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", desc="asnclf score", file=sys.stderr, smoothing=0.1, dynamic_ncols=True)


def _close(bar) -> None:
    if bar is not None:
        bar.close()
