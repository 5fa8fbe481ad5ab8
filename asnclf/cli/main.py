"""The ``asnclf`` command: parse arguments, call one library function, map errors to one line.

Each subcommand imports what it needs when it runs, so ``asnclf score`` does
not pay for pydantic, ``datasets`` or matplotlib.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asnclf.errors import AsnclfError, InputError
from asnclf.cli.score import add_score_command

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except AsnclfError as exc:
        print(f"asnclf {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"asnclf {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def build_parser() -> argparse.ArgumentParser:
    from asnclf import __version__

    parser = argparse.ArgumentParser(
        prog="asnclf", description="Tag sentences of Indonesian news about civil-servant (ASN) election neutrality: "
                                   "train, evaluate and compare models, and score articles.")
    parser.add_argument("--version", action="version", version=f"asnclf {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")

    build = command("build-data", "build the labeled sentence dataset from raw articles and annotations")
    _config_options(build)
    build.add_argument("--output", type=Path, help="folder for the dataset (default: data.built_dir of the config)")
    build.set_defaults(handler=run_build_data)

    train = command("train", "cross-validate, fit and save a model from a config")
    _config_options(train)
    _run_options(train)
    train.set_defaults(handler=run_train)

    evaluate = command("evaluate", "evaluate a saved model on a labeled JSONL file")
    evaluate.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    evaluate.add_argument("--data", type=Path, required=True, help="labeled JSONL (sentence, labels)")
    evaluate.add_argument("--output", "-o", help="also write the metrics as JSON here (- for standard output)")
    evaluate.set_defaults(handler=run_evaluate)

    compare = command("compare", "cross-validate several configs on the same folds, in one table")
    compare.add_argument("configs", nargs="+", type=Path, metavar="CONFIG",
                         help="TOML configs; the first fixes the folds, repeats and data")
    compare.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                         help="override a value in every config, e.g. --set evaluation.repeats=1 (repeatable)")
    compare.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    compare.add_argument("--output", "-o", help="also write the rows as JSON here (- for standard output, instead of the table)")
    _run_options(compare)
    compare.set_defaults(handler=run_compare)

    audit = command("audit-labels", "list the annotations cross-validated predictions disagree with most")
    _config_options(audit)
    audit.add_argument("--top", type=int, default=50, help="how many sentences to list (default 50)")
    audit.add_argument("--output", "-o", help="also write the findings as JSONL here (- for standard output, instead of the list)")
    _run_options(audit)
    audit.set_defaults(handler=run_audit_labels)

    stats = command("data-stats", "count sentences, articles and tags per source, topic and batch, with co-occurrence, lengths and repeated phrasing")
    _config_options(stats)
    stats.add_argument("--min-examples", type=int, default=250, help="warn for a tag with fewer positives (default 250)")
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")
    stats.set_defaults(handler=run_data_stats)

    explain = command("explain", "show the features that pushed a sentence's scores most")
    explain.add_argument("sentence", help="the sentence to score and explain (quote it)")
    explain.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    explain.add_argument("-k", type=int, default=5, help="features per tag (default 5)")
    explain.set_defaults(handler=run_explain)

    add_score_command(commands)
    return parser


DATA_DIR_HELP = "folder the config's relative [data] paths are relative to (default: the config file's folder)"


def _config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path("configs/default.toml"),
                        help="TOML config (default: configs/default.toml in the current folder); "
                             "relative paths inside it are relative to its own folder")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="override a config value, e.g. --set model.C=4 (repeatable); "
                             "a path given here is relative to the current folder")
    parser.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)


def _run_options(parser: argparse.ArgumentParser) -> None:
    from asnclf.training.parallel import available_cores

    cores = available_cores()
    parser.add_argument("--jobs", "-j", type=int, default=cores,
                        help=f"processes fitting folds side by side; results do not depend on it (default: the {cores} available cores)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _load(args):
    from asnclf.training.config import load_config

    return load_config(args.config, tuple(args.overrides), data_dir=args.data_dir)


@contextmanager
def _progress(args, command: str) -> Iterator:
    """A progress bar on standard error (none with --quiet or when stderr is not a terminal), closed at the end."""
    from asnclf.training.parallel import check_jobs
    from asnclf.training.progress import Progress, ProgressBar

    check_jobs(args.jobs)
    progress = Progress() if args.quiet else ProgressBar(command)
    try:
        yield progress
    finally:
        progress.close()


def _write_text(target: str, text: str, what: str) -> None:
    """``text`` to the file ``target`` (atomically), or to standard output for ``-``."""
    from asnclf.atomic import atomic_write_text

    if target == "-":
        sys.stdout.write(text)
        return
    atomic_write_text(Path(target), text)
    print(f"{what} written to {target}")


def run_build_data(args) -> int:
    from asnclf.data.dataset import build_labeled_sentences, check_extra_files, label_counts, save_dataset
    from asnclf.data.stats import data_counts_table

    config = _load(args)
    extra = check_extra_files(config.data)
    sentences = build_labeled_sentences(config.data, config.segmenter)
    out_dir = save_dataset(sentences, args.output or config.data.built_dir)
    print(f"wrote {len(sentences)} labeled sentences to {out_dir}/ (hf/ and sentences.jsonl)")
    if extra:
        print(f"data.extra_files: {extra} more labeled sentences, checked; train adds them")
    print(data_counts_table(label_counts(sentences)))
    return 0


def run_train(args) -> int:
    from asnclf.training.report import metrics_table
    from asnclf.training.train import train

    config = _load(args)
    with _progress(args, "train") as progress:
        result = train(config, jobs=args.jobs, progress=progress)
    metrics = result.metrics
    print(f"model {config.name!r} saved to {result.output_dir}/")
    print(f"{metrics['cross_validation']['scheme']}; model beside the keyword baseline:")
    print(metrics_table(metrics["cross_validation"]))
    print("thresholds: " + ", ".join(f"{tag} {value:.3f}" for tag, value in metrics["thresholds"].items()))
    if "held_out" in metrics:
        from asnclf.training.report import single_run_table

        held = metrics["held_out"]
        print(f"held-out sources {', '.join(held['sources'])} (never trained on):")
        print(single_run_table(held["model"], held["baseline"]))
    return 0


def run_evaluate(args) -> int:
    from asnclf.model.artifact import load_model
    from asnclf.data.labeled import read_labeled_jsonl
    from asnclf.training.report import single_run_table
    from asnclf.training.train import evaluate_sentences

    tagger = load_model(args.model)
    labeled = read_labeled_jsonl(args.data)
    metrics = evaluate_sentences(tagger, labeled)
    metrics["data"] = str(args.data)
    text = json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    print(f"{args.data}: {len(labeled)} sentences")
    print(single_run_table(metrics["model"], metrics["baseline"]))
    if args.output:
        _write_text(args.output, text, "metrics")
    else:
        print(text, end="")
    return 0


def run_compare(args) -> int:
    from asnclf.training.compare import compare_configs, comparison_table
    from asnclf.training.config import load_config

    configs = [load_config(path, tuple(args.overrides), data_dir=args.data_dir) for path in args.configs]
    with _progress(args, "compare") as progress:
        rows = compare_configs(configs, jobs=args.jobs, progress=progress)
    if args.output != "-":
        print(comparison_table(rows))
    if args.output:
        _write_text(args.output, json.dumps(rows, indent=2, ensure_ascii=False) + "\n", "rows")
    return 0


def run_audit_labels(args) -> int:
    from asnclf.training.audit import audit_labels
    from asnclf.data.dataset import build_labeled_sentences, training_sentences

    if args.top < 1:
        raise InputError(f"--top must be at least 1, found {args.top}")
    config = _load(args)
    labeled = training_sentences(build_labeled_sentences(config.data, config.segmenter), config.data)
    with _progress(args, "audit-labels") as progress:
        findings = audit_labels(config, labeled, top=args.top, jobs=args.jobs, progress=progress)
    lines = "".join(json.dumps(f.to_json(), ensure_ascii=False) + "\n" for f in findings)
    if args.output == "-":
        sys.stdout.write(lines)
        return 0
    for finding in findings:
        scores = " ".join(f"{tag[:4]}={value:.2f}" for tag, value in finding.scores.items())
        suspect = ",".join(finding.suspect_tags) or "-"
        print(f"{finding.rank:3d}. quality {finding.quality:.2f} suspect {suspect} | gold {list(finding.record.labels)} | {scores}")
        print(f"     {finding.record.id} ({finding.record.source}): {finding.record.sentence}")
    if args.output:
        _write_text(args.output, lines, "findings")
    return 0


def run_data_stats(args) -> int:
    from asnclf.data.corpus import read_article_topics, read_raw_articles
    from asnclf.data.stats import corpus_statistics, statistics_text
    from asnclf.data.dataset import build_labeled_sentences, check_extra_files

    config = _load(args)
    check_extra_files(config.data)
    batches = {article.id: article.path.parent.name for article in read_raw_articles(config.data.raw_dirs)}
    stats = corpus_statistics(build_labeled_sentences(config.data, config.segmenter),
                              topics=read_article_topics(config.data.raw_dirs), batches=batches,
                              min_examples=args.min_examples)
    print(json.dumps(stats, indent=2) if args.json else statistics_text(stats))
    return 0


def run_explain(args) -> int:
    from asnclf.model.artifact import load_model

    tagger = load_model(args.model)
    scores = tagger.predict_proba([args.sentence])[0]
    explanation = tagger.explain(args.sentence, k=args.k)
    for label, score in zip(tagger.labels, scores):
        verdict = "yes" if score >= tagger.thresholds[label] else "no"
        print(f"{label}: score {score:.3f} (threshold {tagger.thresholds[label]:.3f}) -> {verdict}")
        for feature, weight in explanation[label]:
            print(f"    {weight:+.3f}  {feature}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
