"""Train a model from a config: ``python train.py --config configs/default.toml [--set key=value ...]``.

The same as ``asnclf train``.
"""

import sys

from asnclf.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
