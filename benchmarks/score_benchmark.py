"""Benchmark ``asnclf score``: throughput and peak memory against the floors of reading and segmenting.

Builds a JSONL corpus of N articles by recombining the dataset's sentences
(``data/built/sentences.jsonl`` if present, else the sentences of the seed
articles in ``data/raw/seeds/``), then times, in a fresh child process per
run, for each size:

- ``read``: reading and decoding the input with the scoring readers (floor 1);
- ``segment``: reading + segmenting every article (floor 2);
- ``score``: the whole ``asnclf score`` command, with 1 and with 2 jobs.

The steps run in rounds (read, segment, score with each job count, then
again), so that a slow spell of a shared machine falls on every step alike.
Each time is the median of ``--repeats`` rounds; the last column is the
median, over the rounds, of the step's time divided by the segmentation time
of the same round. Peak memory is the largest resident set of the run's
processes (``wait4``'s ``ru_maxrss``).

    python benchmarks/score_benchmark.py                       # 1k, 10k, 100k; the shipped model
    python benchmarks/score_benchmark.py --sizes 1000 --repeats 1 --model models/default
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "data" / "built" / "sentences.jsonl"
SEEDS = ROOT / "data" / "raw" / "seeds"

READ_ONLY = """
import sys
from asnclf.batch.inputs import Article, ReadOptions, iter_items, plan_inputs
options = ReadOptions()
n = sum(isinstance(item, Article) for item in iter_items(plan_inputs([sys.argv[1]], options), options))
print(n, 0)
"""

SEGMENT_ONLY = """
import json, sys
from pathlib import Path
from asnclf.batch.inputs import Article, ReadOptions, iter_items, plan_inputs
from asnclf.text.segment import Segmenter
model = sys.argv[2]
settings = json.loads((Path(model) / "manifest.json").read_text()).get("segmenter", {}) if model else {}
segmenter = Segmenter.from_settings(**settings)
options = ReadOptions()
articles = sentences = 0
for item in iter_items(plan_inputs([sys.argv[1]], options), options):
    if isinstance(item, Article):
        articles += 1
        sentences += len(segmenter.segment(item.text))
print(articles, sentences)
"""


def corpus_sentences() -> list[str]:
    """The sentences to recombine: the built dataset's, else the seed articles' own."""
    if BUILT.is_file():
        with open(BUILT, encoding="utf-8") as handle:
            return [json.loads(line)["sentence"] for line in handle if line.strip()]
    from asnclf.text.segment import segment

    return [s.text for path in sorted(SEEDS.glob("*.txt")) for s in segment(path.read_text(encoding="utf-8"))]


def build_corpus(path: Path, articles: int, sentences: list[str], seed: int) -> None:
    """``articles`` JSONL records of 6–14 sentences in paragraphs of 1–3, drawn with ``seed``."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for number in range(articles):
            wanted, paragraphs = rng.randint(6, 14), []
            while wanted > 0:
                size = min(wanted, rng.randint(1, 3))
                paragraphs.append(" ".join(rng.choice(sentences) for _ in range(size)))
                wanted -= size
            out.write(json.dumps({"id": f"bench-{number}", "text": "\n\n".join(paragraphs)}, ensure_ascii=False) + "\n")


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (largest process of the run) and stdout of a child process."""
    with tempfile.TemporaryFile() as captured:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=captured, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode("utf-8", "replace")
        process.stderr.close()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
        captured.seek(0)
        return elapsed, usage.ru_maxrss / 1024, captured.read().decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="article counts, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="job counts for the score runs, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    parser.add_argument("--workdir", type=Path, help="where corpora and outputs go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    jobs = [int(n) for n in args.jobs.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="asnclf-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    model = str(args.model.resolve()) if args.model else ""
    if not model:
        from asnclf.model.artifact import default_model_dir

        model = str(default_model_dir())
    pool = corpus_sentences()
    print(f"{len(pool):,} sentences to recombine ({BUILT if BUILT.is_file() else SEEDS}); model {model}; "
          f"median of {args.repeats}; {os.cpu_count()} cores", file=sys.stderr)

    rows = []
    for size in sizes:
        corpus = workdir / f"corpus-{size}.jsonl"
        build_corpus(corpus, size, pool, args.seed)
        runs = {
            ("read", 1): [sys.executable, "-c", READ_ONLY, str(corpus)],
            ("segment", 1): [sys.executable, "-c", SEGMENT_ONLY, str(corpus), model],
        }
        for n in jobs:
            runs[("score", n)] = [sys.executable, "-m", "asnclf.cli.main", "score", str(corpus), "--model", model,
                                  "-o", str(workdir / f"out-{size}-{n}.jsonl"), "--jobs", str(n), "--quiet", "--force"]
        times: dict[tuple[str, int], list[float]] = {key: [] for key in runs}
        peaks: dict[tuple[str, int], list[int]] = {key: [] for key in runs}
        sentences = 0
        for _ in range(args.repeats):
            for key, command in runs.items():
                elapsed, peak, out = timed(command)
                times[key].append(elapsed)
                peaks[key].append(peak)
                if key[0] == "segment":
                    sentences = int(out.split()[1])
        floors = times[("segment", 1)]
        for (step, n), seconds in times.items():
            median = statistics.median(seconds)
            ratio = statistics.median(t / floor for t, floor in zip(seconds, floors))
            print(f"  {size:>7,} {step:<8} jobs {n}: {median:.2f} s ({', '.join(f'{t:.2f}' for t in seconds)})",
                  file=sys.stderr)
            rows.append((size, step, n if step == "score" else "-", median, size / median, sentences / median,
                         max(peaks[(step, n)]), ratio))
    print("| articles | step | jobs | time (s) | articles/s | sentences/s | peak RSS (MiB) | × segmentation |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, step, n, seconds, per_article, per_sentence, peak, ratio in rows:
        print(f"| {size:,} | {step} | {n} | {seconds:.2f} | {per_article:,.0f} | {per_sentence:,.0f} | {peak:,.0f} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
