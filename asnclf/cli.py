"""The ``asnclf`` command: parse arguments, call one library function, map errors to one line.

Each subcommand imports what it needs when it runs, so ``asnclf score`` does
not pay for pydantic, ``datasets`` or matplotlib.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from asnclf.errors import AsnclfError, InputError
from asnclf.score_cli import add_score_command

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
    parser = argparse.ArgumentParser(prog="asnclf", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build-data", help="build the labeled sentence dataset from raw articles and annotations")
    _config_options(build)
    build.add_argument("--output", type=Path, help="folder for the dataset (default: data.built_dir of the config)")
    build.set_defaults(handler=run_build_data)

    train = commands.add_parser("train", help="cross-validate, fit and save a model from a config")
    _config_options(train)
    train.add_argument("--quiet", action="store_true", help="no progress messages")
    train.set_defaults(handler=run_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a saved model on a labeled JSONL file")
    evaluate.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    evaluate.add_argument("--data", type=Path, required=True, help="labeled JSONL (sentence, labels)")
    evaluate.add_argument("--output", type=Path, help="also write the metrics as JSON here")
    evaluate.set_defaults(handler=run_evaluate)

    compare = commands.add_parser("compare", help="cross-validate several configs on the same folds")
    compare.add_argument("configs", nargs="+", type=Path, metavar="CONFIG")
    compare.add_argument("--quiet", action="store_true", help="no progress messages")
    compare.set_defaults(handler=run_compare)

    audit = commands.add_parser("audit-labels", help="list the annotations cross-validated predictions disagree with most")
    _config_options(audit)
    audit.add_argument("--top", type=int, default=50, help="how many sentences to list (default 50)")
    audit.add_argument("--output", type=Path, help="also write the findings as JSONL here")
    audit.add_argument("--quiet", action="store_true", help="no progress messages")
    audit.set_defaults(handler=run_audit_labels)

    stats = commands.add_parser("data-stats", help="sentences, articles, tags per source, topic and batch; co-occurrence, lengths, repeated phrasing")
    _config_options(stats)
    stats.add_argument("--min-examples", type=int, default=250, help="warn for a tag with fewer positives (default 250)")
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")
    stats.set_defaults(handler=run_data_stats)

    explain = commands.add_parser("explain", help="show the features that pushed a sentence's scores most")
    explain.add_argument("sentence")
    explain.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    explain.add_argument("-k", type=int, default=5, help="features per tag (default 5)")
    explain.set_defaults(handler=run_explain)

    add_score_command(commands)
    return parser


def _config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path("configs/default.toml"), help="TOML config (default: configs/default.toml)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="override a config value, e.g. --set model.C=4 (repeatable)")


def _progress(quiet: bool):
    if quiet:
        return lambda message: None
    return lambda message: print(f"  {message}", file=sys.stderr, flush=True)


def run_build_data(args) -> int:
    from asnclf.config import load_config
    from asnclf.dataset import build_labeled_sentences, check_extra_files, label_counts, save_dataset
    from asnclf.report import data_counts_table

    config = load_config(args.config, tuple(args.overrides))
    extra = check_extra_files(config.data)
    sentences = build_labeled_sentences(config.data, config.segmenter)
    out_dir = save_dataset(sentences, args.output or config.data.built_dir)
    print(f"wrote {len(sentences)} labeled sentences to {out_dir}/ (hf/ and sentences.jsonl)")
    if extra:
        print(f"data.extra_files: {extra} more labeled sentences, checked; train adds them")
    print(data_counts_table(label_counts(sentences)))
    return 0


def run_train(args) -> int:
    from asnclf.config import load_config
    from asnclf.report import metrics_table
    from asnclf.training import train

    config = load_config(args.config, tuple(args.overrides))
    result = train(config, progress=_progress(args.quiet))
    metrics = result.metrics
    print(f"model {config.name!r} saved to {result.output_dir}/")
    print(f"{metrics['cross_validation']['scheme']}; model beside the keyword baseline:")
    print(metrics_table(metrics["cross_validation"]))
    print("thresholds: " + ", ".join(f"{tag} {value:.3f}" for tag, value in metrics["thresholds"].items()))
    if "held_out" in metrics:
        from asnclf.report import single_run_table

        held = metrics["held_out"]
        print(f"held-out sources {', '.join(held['sources'])} (never trained on):")
        print(single_run_table(held["model"], held["baseline"]))
    return 0


def run_evaluate(args) -> int:
    from asnclf.artifact import load_model
    from asnclf.atomic import atomic_write_text
    from asnclf.labeled import read_labeled_jsonl
    from asnclf.report import single_run_table
    from asnclf.training import evaluate_sentences

    tagger = load_model(args.model)
    labeled = read_labeled_jsonl(args.data)
    metrics = evaluate_sentences(tagger, labeled)
    metrics["data"] = str(args.data)
    print(f"{args.data}: {len(labeled)} sentences")
    print(single_run_table(metrics["model"], metrics["baseline"]))
    text = json.dumps(metrics, indent=2, ensure_ascii=False)
    if args.output:
        atomic_write_text(args.output, text + "\n")
        print(f"metrics written to {args.output}")
    else:
        print(text)
    return 0


def run_compare(args) -> int:
    from asnclf.comparison import compare_configs, comparison_table
    from asnclf.config import load_config

    configs = [load_config(path) for path in args.configs]
    rows = compare_configs(configs, progress=_progress(args.quiet))
    print(comparison_table(rows))
    return 0


def run_audit_labels(args) -> int:
    from asnclf.atomic import atomic_write_text
    from asnclf.audit import audit_labels
    from asnclf.config import load_config
    from asnclf.dataset import build_labeled_sentences, training_sentences

    if args.top < 1:
        raise InputError(f"--top must be at least 1, found {args.top}")
    config = load_config(args.config, tuple(args.overrides))
    labeled = training_sentences(build_labeled_sentences(config.data, config.segmenter), config.data)
    findings = audit_labels(config, labeled, top=args.top, progress=_progress(args.quiet))
    for finding in findings:
        scores = " ".join(f"{tag[:4]}={value:.2f}" for tag, value in finding.scores.items())
        suspect = ",".join(finding.suspect_tags) or "-"
        print(f"{finding.rank:3d}. quality {finding.quality:.2f} suspect {suspect} | gold {list(finding.record.labels)} | {scores}")
        print(f"     {finding.record.id} ({finding.record.source}): {finding.record.sentence}")
    if args.output:
        atomic_write_text(args.output, "".join(json.dumps(f.to_json(), ensure_ascii=False) + "\n" for f in findings))
        print(f"findings written to {args.output}")
    return 0


def run_data_stats(args) -> int:
    from asnclf.config import load_config
    from asnclf.corpus import read_article_topics, read_raw_articles
    from asnclf.data_stats import corpus_statistics, statistics_text
    from asnclf.dataset import build_labeled_sentences, check_extra_files

    config = load_config(args.config, tuple(args.overrides))
    check_extra_files(config.data)
    batches = {article.id: article.path.parent.name for article in read_raw_articles(config.data.raw_dirs)}
    stats = corpus_statistics(build_labeled_sentences(config.data, config.segmenter),
                              topics=read_article_topics(config.data.raw_dirs), batches=batches,
                              min_examples=args.min_examples)
    print(json.dumps(stats, indent=2) if args.json else statistics_text(stats))
    return 0


def run_explain(args) -> int:
    from asnclf.artifact import load_model

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
