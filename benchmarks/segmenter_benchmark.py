"""Compare asnclf's segmenter with nltk's Punkt (given the same abbreviations) on accuracy and speed.

Accuracy: exact sentence matches against the reviewed sentences of the
labeled corpus (data/built/sentences.jsonl; run `asnclf build-data` first).
Both splitters get the same lines after boilerplate removal, so only the
splitting itself is compared. Speed: MB/s on the raw articles, each segmented
on its own as `asnclf score` does, repeated to about --megabytes; median of
--repeats runs, ratio against Punkt measured in the same run. nltk is not a
dependency of asnclf: `pip install nltk` to include it.

    python benchmarks/segmenter_benchmark.py [--megabytes 8] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from asnclf.text.boilerplate import BoilerplateMatcher
from asnclf.text.segment import DEFAULT_ABBREVIATIONS, segment

ROOT = Path(__file__).resolve().parent.parent


def reference_sentences() -> dict[str, set[str]]:
    path = ROOT / "data" / "built" / "sentences.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} not found: run `asnclf build-data` first")
    by_article: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_article[row["article"]].add(row["sentence"])
    return by_article


def raw_articles() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").rglob("*.txt"))}


def punkt_splitter():
    try:
        from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    except ImportError:
        return None
    parameters = PunktParameters()
    parameters.abbrev_types = set(DEFAULT_ABBREVIATIONS)
    tokenizer = PunktSentenceTokenizer(parameters)
    matcher = BoilerplateMatcher()

    def split(text: str) -> list[str]:
        sentences, tail = [], False
        for line in text.splitlines():
            stripped = line.strip()
            rule = matcher.match(stripped) if stripped else None
            tail = tail or (rule is not None and matcher.drops_rest(rule))
            if stripped and rule is None and not tail:
                sentences.extend(s.strip() for s in tokenizer.tokenize(stripped))
        return sentences

    return split


def accuracy(split, articles: dict[str, str], reference: dict[str, set[str]]) -> tuple[float, float]:
    found = correct = expected = 0
    for article, gold in reference.items():
        produced = set(split(articles[article]))
        found += len(produced)
        expected += len(gold)
        correct += len(produced & gold)
    return correct / found, correct / expected


def megabytes_per_second(split, texts: list[str], repeats: int) -> float:
    # Article by article: one long text would be cut short by its first tail
    # rule ("Tags:"), after which every line is dropped unread.
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            split(text)
        times.append(time.perf_counter() - start)
    return sum(len(text.encode("utf-8")) for text in texts) / 1e6 / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=8.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    articles = raw_articles()
    reference = reference_sentences()
    size = sum(len(text.encode("utf-8")) for text in articles.values())
    large = list(articles.values()) * max(1, int(args.megabytes * 1e6 / size))
    splitters = {"asnclf segment": lambda text: [s.text for s in segment(text)]}
    punkt = punkt_splitter()
    if punkt is not None:
        splitters["nltk Punkt + same abbreviations"] = punkt
    rows = []
    for name, split in splitters.items():
        precision, recall = accuracy(split, articles, reference)
        rows.append((name, precision, recall, megabytes_per_second(split, large, args.repeats)))
    base = rows[-1][3]
    print(f"{len(reference)} articles, {sum(map(len, reference.values()))} reference sentences; "
          f"speed on {len(large)} articles ({sum(len(t.encode('utf-8')) for t in large) / 1e6:.1f} MB), median of {args.repeats} runs")
    print("| splitter | sentence precision | sentence recall | MB/s | speed vs last row |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, precision, recall, speed in rows:
        print(f"| {name} | {precision:.3f} | {recall:.3f} | {speed:.2f} | {speed / base:.2f}x |")
    if punkt is None:
        print("(nltk not installed: Punkt row skipped; pip install nltk)")


if __name__ == "__main__":
    main()
