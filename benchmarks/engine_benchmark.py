"""Benchmark the engines: Dask and Spark beside ``asnclf score --jobs 2``, on one Parquet file of articles.

Builds a Parquet file of N articles (default 100,000; id and text, in row
groups of ``--row-group`` articles) by recombining the dataset's sentences as
``score_benchmark.py`` does, then runs, each in a fresh child process, in
interleaved rounds:

- ``command``: ``asnclf score corpus.parquet --format parquet --jobs 2``;
- ``dask``: a LocalCluster of 2 workers (1 thread each) reads the file, one
  partition per row group, and writes ``score_dask``'s rows to Parquet;
- ``spark``: Spark in ``local[2]`` mode reads the file, split by row groups
  (``spark.sql.files.maxPartitionBytes``), and writes ``score_spark``'s rows.

Each writes the same rows (the benchmark checks the row counts). Times are
wall seconds from starting the child process to its end (so they include
starting Python, the cluster or the JVM); the median of ``--repeats``
rounds is shown. Peak memory is the largest sum of the resident sets of the
child and all its descendants (workers, the JVM), sampled every 0.1 s.

    python benchmarks/engine_benchmark.py                      # 100k articles, 3 rounds
    python benchmarks/engine_benchmark.py --articles 10000 --repeats 1 --engines command,dask

Needs ``pip install -e '.[spark,dask]'`` and Java for Spark.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_benchmark import build_corpus, corpus_sentences  # noqa: E402

DASK = """
import sys
import dask.dataframe as dd
from dask.distributed import Client
from asnclf.batch.engines import score_dask

corpus, model, out = sys.argv[1:]
client = Client(n_workers=2, threads_per_worker=1)
score_dask(dd.read_parquet(corpus, split_row_groups=True), model=model).to_parquet(out, write_index=False)
client.close()
"""

SPARK = """
import sys
from pyspark.sql import SparkSession
from asnclf.batch.engines import score_spark

corpus, model, out = sys.argv[1:]
spark = (SparkSession.builder.master("local[2]")
         .config("spark.sql.files.maxPartitionBytes", "4m").getOrCreate())
score_spark(spark.read.parquet(corpus), model=model).write.parquet(out)
spark.stop()
"""


def to_parquet(jsonl: Path, target: Path, row_group: int) -> None:
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    pq.write_table(pj.read_json(jsonl), target, row_group_size=row_group)


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and the peak summed RSS (MiB) of the child and its descendants."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                total = 0
                for member in tree:
                    try:
                        total += member.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
                peak[0] = max(peak[0], total)
            except psutil.NoSuchProcess:
                return
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors = process.stderr.read().decode("utf-8", "replace")
    process.wait()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}):\n{errors[-3000:]}")
    return elapsed, peak[0] / 2**20


def scored_rows(path: Path) -> tuple[int, int]:
    """Rows written, and rows that are sentences (an article without sentences has one row with none)."""
    import pyarrow.dataset as ds

    table = ds.dataset(path, format="parquet").to_table(columns=["sentence"])
    return len(table), len(table) - table.column("sentence").null_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the corpus (default 100,000)")
    parser.add_argument("--row-group", type=int, default=5_000, help="articles per Parquet row group (default 5,000)")
    parser.add_argument("--engines", default="command,dask,spark", help="which runs, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the median is shown (default 3)")
    parser.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    parser.add_argument("--workdir", type=Path, help="where the corpus and outputs go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="asnclf-engines-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.model:
        model = str(args.model.resolve())
    else:
        from asnclf.model.artifact import default_model_dir

        model = str(default_model_dir())
    corpus = workdir / f"corpus-{args.articles}.parquet"
    build_corpus(workdir / "corpus.jsonl", args.articles, corpus_sentences(), args.seed)
    to_parquet(workdir / "corpus.jsonl", corpus, args.row_group)
    runs = {
        "command": [sys.executable, "-m", "asnclf.cli.main", "score", str(corpus), "--model", model, "--format", "parquet",
                    "-o", str(workdir / "command.parquet"), "--jobs", "2", "--quiet", "--force"],
        "dask": [sys.executable, "-c", DASK, str(corpus), model, str(workdir / "dask")],
        "spark": [sys.executable, "-c", SPARK, str(corpus), model, str(workdir / "spark")],
    }
    outputs = {"command": workdir / "command.parquet", "dask": workdir / "dask", "spark": workdir / "spark"}
    chosen = args.engines.split(",")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    print(f"{args.articles:,} articles in row groups of {args.row_group:,}; model {model}; median of {args.repeats}; "
          f"{os.cpu_count()} cores", file=sys.stderr)
    times: dict[str, list[float]] = {name: [] for name in chosen}
    peaks: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(args.repeats):
        for name in chosen:
            subprocess.run(["rm", "-rf", str(outputs[name])], check=True)
            elapsed, peak = timed(runs[name], env)
            times[name].append(elapsed)
            peaks[name].append(peak)
            print(f"  {name}: {elapsed:.1f} s, {peak:,.0f} MiB", file=sys.stderr)
    counts = {name: scored_rows(outputs[name]) for name in chosen}
    if len(set(counts.values())) != 1:
        raise SystemExit(f"the runs wrote different numbers of rows: {counts}")
    rows, sentences = next(iter(counts.values()))
    print(f"{rows:,} rows, {sentences:,} sentences", file=sys.stderr)
    print("| run | how | time (s) | articles/s | sentences/s | peak RSS, all processes (MiB) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    how = {"command": "`asnclf score --format parquet --jobs 2`", "dask": "LocalCluster, 2 workers × 1 thread",
           "spark": "`local[2]`"}
    for name in chosen:
        median = statistics.median(times[name])
        print(f"| {name} | {how[name]} | {median:.1f} | {args.articles / median:,.0f} | {sentences / median:,.0f} | "
              f"{max(peaks[name]):,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
