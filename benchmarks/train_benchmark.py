"""Benchmark ``asnclf train``: wall time of the default config, against variants given as ``--set`` overrides.

Each run is a fresh child process, ``asnclf train --quiet --jobs J`` into a
temporary folder. The variants run in rounds (the default, then each variant,
then again), so that a slow spell of a shared machine falls on every variant
alike. The table gives each variant's median wall time over the rounds, its
macro F1 (one 5-fold run; the same in every round, training being
deterministic) and the median over the rounds of its time divided by the
default's time in the same round.

    python benchmarks/train_benchmark.py                                  # the default config, 3 rounds
    python benchmarks/train_benchmark.py --variant inner3=evaluation.inner_folds=3 --variant tol4=model.tol=1e-4
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(config: Path, overrides: list[str], jobs: int, out: Path) -> tuple[float, float]:
    """Wall seconds and cross-validated macro F1 of one ``asnclf train``."""
    command = [sys.executable, "-m", "asnclf.cli.main", "train", "--config", str(config), "--quiet",
               "--jobs", str(jobs), "--set", f"output.dir={json.dumps(str(out))}"]
    for override in overrides:
        command += ["--set", override]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return wall, metrics["cross_validation"]["model"]["macro_f1"]["mean"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "default.toml")
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=KEY=VALUE[,KEY=VALUE…]: a variant of the config (repeatable)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per variant; the median is shown (default 3)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    variants = {"default": []}
    for text in args.variant:
        name, _, overrides = text.partition("=")
        if not name or not overrides:
            parser.error(f"--variant {text!r}: expected NAME=KEY=VALUE")
        variants[name] = overrides.split(",")
    times = {name: [] for name in variants}
    ratios = {name: [] for name in variants}
    f1 = {}
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(args.rounds):
            for name, overrides in variants.items():
                wall, f1[name] = run_once(args.config, overrides, args.jobs, Path(folder) / f"{name}-{round_number}")
                times[name].append(wall)
                print(f"  round {round_number + 1} {name}: {wall:.2f} s", file=sys.stderr)
            for name in variants:
                ratios[name].append(times[name][-1] / times["default"][-1])
    print(f"{args.config.name}; --jobs {args.jobs}; median of {args.rounds} rounds")
    print("| variant | overrides | wall (s) | runs (s) | macro F1 | × default |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for name, overrides in variants.items():
        runs = ", ".join(f"{t:.1f}" for t in times[name])
        print(f"| {name} | {' '.join(overrides) or '-'} | {statistics.median(times[name]):.1f} | {runs} | "
              f"{f1[name]:.4f} | {statistics.median(ratios[name]):.2f} |")


if __name__ == "__main__":
    main()
