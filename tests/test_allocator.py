"""The scoring command keeps freed memory for its next chunk instead of faulting in fresh pages."""

import os
import subprocess
import sys

import pytest

from asnclf.cli.main import main
from test_score_support import ARTICLE, tiny_model  # noqa: F401

GLIBC = (getattr(os, "confstr", lambda name: None)("CS_GNU_LIBC_VERSION") or "").startswith("glibc")

# Allocates and frees blocks of 2-8 MB six times, printing the page faults of each round.
PROBE = """
import resource, sys
import numpy as np
from asnclf.batch.allocator import keep_freed_memory
print(keep_freed_memory())
for _ in range(6):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    blocks = [np.ones(n) for n in (300_000, 700_000, 200_000, 1_000_000)]
    del blocks
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not GLIBC, reason="the settings are glibc's; elsewhere keep_freed_memory changes nothing")
def test_memory_freed_by_one_round_serves_the_next_without_new_pages():
    lines = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.split()
    assert lines[0] == "True"
    first, *later = map(int, lines[1:])
    assert first > 1000  # the first round faults in its 8 MB (about 2,000 pages)
    assert sum(later) < 100  # every later round reuses them


def test_the_score_command_applies_the_settings(tiny_model, tmp_path, monkeypatch):
    import asnclf.batch.allocator

    calls = []
    monkeypatch.setattr(asnclf.batch.allocator, "keep_freed_memory", lambda: calls.append(True) or True)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["score", str(article), "--model", str(tiny_model), "-o", str(tmp_path / "out.jsonl"), "--quiet"]) == 0
    assert calls == [True]
