"""``asnclf score --resume`` after a real kill: same bytes as an uninterrupted run, nothing scored twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import asnclf.batch.run
from asnclf.cli.main import main
from test_score_support import articles, tiny_model, write_jsonl  # noqa: F401

ARTICLES = 6000
CHUNK = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("resume-corpus")
    texts = articles(ARTICLES)
    texts[7] = "   "  # a skipped record, to check the skip report resumes too
    return write_jsonl(folder / "corpus.jsonl", texts)


@pytest.fixture(scope="module")
def reference(tiny_model, corpus, tmp_path_factory) -> Path:
    """An uninterrupted run's outputs."""
    folder = tmp_path_factory.mktemp("reference")
    assert main(["score", str(corpus), "--model", str(tiny_model), "-o", str(folder / "out.jsonl"),
                 "--html", str(folder / "page.html"), "--chunk-size", str(CHUNK), "--quiet"]) == 0
    return folder


def start_run(tiny_model, corpus, folder: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "asnclf.cli.main", "score", str(corpus), "--model", str(tiny_model),
               "-o", str(folder / "out.jsonl"), "--html", str(folder / "page.html"), "--chunk-size", str(CHUNK), *extra]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_ctrl_c)


def _default_ctrl_c() -> None:
    # A test run started in the background (``cmd &`` in a script) ignores SIGINT, and its children
    # inherit that: the run would never see the Ctrl-C this test sends.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_progress(process: subprocess.Popen, journal: Path, at_least: int) -> int:
    """Block until the journal says ``at_least`` records are done; return that count."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the run ended before it could be interrupted: {process.stderr.read()}"
        try:
            done = json.loads(journal.read_text())["done"]
        except (FileNotFoundError, json.JSONDecodeError):
            done = 0
        if done >= at_least:
            return done
        time.sleep(0.005)
    raise AssertionError("no progress within 120 s")


def resume_counting_scored(tiny_model, corpus, folder: Path, monkeypatch, capsys) -> int:
    scored = []
    real = asnclf.batch.run.score_chunk

    def counting(tagger, renderer, chunk):
        scored.extend(article.position for article in chunk)
        return real(tagger, renderer, chunk)

    monkeypatch.setattr(asnclf.batch.run, "score_chunk", counting)
    capsys.readouterr()
    assert main(["score", str(corpus), "--model", str(tiny_model), "-o", str(folder / "out.jsonl"),
                 "--html", str(folder / "page.html"), "--chunk-size", str(CHUNK), "--resume"]) == 0
    assert len(scored) == len(set(scored))
    return len(scored)


def assert_same_outputs(folder: Path, reference: Path) -> None:
    for name in ("out.jsonl", "page.html", "out.jsonl.skipped.jsonl"):
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name
    assert sorted(p.name for p in folder.iterdir()) == ["out.jsonl", "out.jsonl.skipped.jsonl", "page.html"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_resume_after_sigkill_gives_the_uninterrupted_output(tiny_model, corpus, reference, tmp_path, monkeypatch, capsys, jobs):
    process = start_run(tiny_model, corpus, tmp_path, "--jobs", jobs)
    wait_for_progress(process, tmp_path / ".out.jsonl.journal.json", at_least=10 * CHUNK)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "page.html").exists()
    done = json.loads((tmp_path / ".out.jsonl.journal.json").read_text())["done"]
    assert 0 < done < ARTICLES

    scored = resume_counting_scored(tiny_model, corpus, tmp_path, monkeypatch, capsys)
    assert scored == ARTICLES - 1 - (done - 1)  # the rest, minus the blank record at position 7
    err = capsys.readouterr().err
    assert f"resumed after {done:,} records" in err
    assert f"{ARTICLES - 1:,} articles" in err and "skipped 1 records (empty text 1)" in err
    assert_same_outputs(tmp_path, reference)


def test_resume_after_ctrl_c(tiny_model, corpus, reference, tmp_path, monkeypatch, capsys):
    process = start_run(tiny_model, corpus, tmp_path)
    wait_for_progress(process, tmp_path / ".out.jsonl.journal.json", at_least=5 * CHUNK)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted; the partial results are kept: add --resume" in err
    resume_counting_scored(tiny_model, corpus, tmp_path, monkeypatch, capsys)
    assert_same_outputs(tmp_path, reference)


def test_resume_refuses_changed_inputs(tiny_model, corpus, tmp_path, capsys):
    copy = write_jsonl(tmp_path / "corpus.jsonl", articles(50))
    out = tmp_path / "out" / "out.jsonl"
    journal = out.with_name(".out.jsonl.journal.json")
    args = ["score", str(copy), "--model", str(tiny_model), "-o", str(out), "--chunk-size", "5"]

    def crash(*_):
        raise KeyboardInterrupt

    # Interrupt after the first chunk, then change the input.
    real = asnclf.batch.run.score_chunk
    calls = []

    def interrupt_second(*args):
        calls.append(1)
        if len(calls) == 2:
            crash()
        return real(*args)

    asnclf.batch.run.score_chunk = interrupt_second
    try:
        assert main(args) == 130
    finally:
        asnclf.batch.run.score_chunk = real
    assert json.loads(journal.read_text())["done"] == 5
    write_jsonl(copy, articles(51))
    capsys.readouterr()
    assert main([*args, "--resume"]) == 2
    assert "cannot resume: the inputs, fields or model differ" in capsys.readouterr().err
    assert main(args) == 0  # without --resume it starts over
    assert len(out.read_text().splitlines()) == 51 and not journal.exists()


def test_resume_refuses_standard_input(tiny_model, tmp_path, capsys):
    assert main(["score", "-", "--model", str(tiny_model), "-o", str(tmp_path / "o.jsonl"), "--resume"]) == 2
    assert "--resume cannot continue a run that read standard input" in capsys.readouterr().err


def test_truncated_journaled_partial_file_is_refused(tiny_model, tmp_path, capsys, monkeypatch):
    corpus = write_jsonl(tmp_path / "c.jsonl", articles(20))
    out = tmp_path / "out.jsonl"
    real = asnclf.batch.run.score_chunk
    calls = []

    def interrupt_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(asnclf.batch.run, "score_chunk", interrupt_third)
    args = ["score", str(corpus), "--model", str(tiny_model), "-o", str(out), "--chunk-size", "5"]
    assert main(args) == 130
    partial = tmp_path / ".out.jsonl.partial"
    os.truncate(partial, partial.stat().st_size - 3)
    monkeypatch.setattr(asnclf.batch.run, "score_chunk", real)
    assert main([*args, "--resume"]) == 2
    assert "is missing or shorter than the journal says" in capsys.readouterr().err
