"""``asnclf score`` at the edges: outputs that never destroy inputs, locked runs, no silent overwrite,
a final step that a kill cannot lose, durable writes, and one-line failures for unwritable outputs."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import asnclf.batch.outputs
from asnclf.cli.main import main
from test_score_support import ARTICLE, articles, read_jsonl, tiny_model, write_jsonl  # noqa: F401


def score(*argv) -> int:
    return main(["score", *map(str, argv)])


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("asnclf score: error: ")
    return err.strip()


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE, encoding="utf-8")
    write_jsonl(folder / "a.jsonl", articles(3))
    return folder


# --- outputs never name an input ------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["-o", "--skipped", "--html"])
def test_an_output_naming_an_input_file_is_refused_and_the_input_kept(tiny_model, inputs, tmp_path, capsys, flag):
    before = {path.name: path.read_bytes() for path in inputs.iterdir()}
    target = inputs / "a.jsonl" if flag == "-o" else inputs / "one.txt"
    argv = [inputs / "a.jsonl", inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--force"]
    if flag == "-o":
        argv[argv.index("-o") + 1] = target
    else:
        argv += [flag, target]
    assert score(*argv) == 2
    role = {"-o": "output", "--skipped": "skip report", "--html": "HTML page"}[flag]
    assert one_error_line(capsys).endswith(
        f"{target}: the {role} is an input file; writing it would destroy that input; choose another path")
    assert {path.name: path.read_bytes() for path in inputs.iterdir()} == before


def test_output_through_a_link_or_a_relative_path_to_an_input_is_refused(tiny_model, inputs, tmp_path, capsys):
    link = tmp_path / "link.jsonl"
    link.symlink_to(inputs / "a.jsonl")
    hard = tmp_path / "hard.jsonl"
    os.link(inputs / "a.jsonl", hard)
    for output in (link, hard, inputs / ".." / "in" / "a.jsonl"):
        assert score(inputs / "a.jsonl", "--model", tiny_model, "-o", output, "--force") == 2
        assert "is an input file" in one_error_line(capsys)


def test_a_txt_output_inside_an_input_folder_is_refused(tiny_model, inputs, capsys):
    assert score(inputs, "--model", tiny_model, "-o", inputs / "scores.jsonl", "--skipped", inputs / "sub" / "skips.txt") == 2
    assert "skips.txt: the skip report is a .txt file inside the input folder" in one_error_line(capsys)
    assert not (inputs / "sub").exists()
    # A .jsonl output in the folder is never read back as an article: allowed.
    assert score(inputs, "--model", tiny_model, "-o", inputs / "scores.jsonl") == 0


def test_two_outputs_that_are_the_same_file_are_refused(tiny_model, inputs, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out, "--html", tmp_path / "x" / ".." / "out.jsonl") == 2
    assert "the HTML page is the same file as the output" in one_error_line(capsys)


# --- no silent overwrite ------------------------------------------------------------------------

def test_an_existing_output_is_replaced_only_with_force(tiny_model, inputs, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text("a finished output\n")
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out) == 2
    assert one_error_line(capsys).endswith(f"{out}: already exists; add --force to replace it")
    assert out.read_text() == "a finished output\n"
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out, "--force") == 0
    assert len(read_jsonl(out)) == 1


def test_an_existing_skip_report_or_page_is_not_replaced_silently_either(tiny_model, inputs, tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<p>mine</p>")
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--html", page) == 2
    assert f"{page}: already exists" in one_error_line(capsys)
    assert page.read_text() == "<p>mine</p>" and not (tmp_path / "out.jsonl").exists()


def test_resume_with_nothing_to_resume_says_so(tiny_model, inputs, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out, "--resume") == 2
    assert "nothing to resume: no interrupted run writes" in one_error_line(capsys)
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out) == 0
    capsys.readouterr()
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out, "--resume") == 2
    assert f"nothing to resume: {out} is complete" in one_error_line(capsys)


# --- one run per output -------------------------------------------------------------------------

HOLD = """
import sys
from pathlib import Path
from asnclf.batch.locking import locked_outputs
with locked_outputs([Path(sys.argv[1])]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_run_on_a_locked_output_is_refused_naming_the_lock(tiny_model, inputs, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        partial = tmp_path / ".out.jsonl.partial"
        partial.write_text("the other run's records\n")
        assert score(inputs / "one.txt", "--model", tiny_model, "-o", out) == 2
        line = one_error_line(capsys)
        assert f"another asnclf score run (process {holder.pid}) is writing it and holds {tmp_path / '.out.jsonl.lock'}" in line
        assert partial.read_text() == "the other run's records\n" and not out.exists()
    finally:
        holder.communicate("")
    # Released when the holder ends: the same command now runs, and leaves no lock file.
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", out) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in", "out.jsonl", "out.jsonl.skipped.jsonl"]


def test_the_page_and_skip_report_are_locked_too(tiny_model, inputs, tmp_path, capsys):
    page = tmp_path / "page.html"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(page)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "other.jsonl", "--html", page) == 2
        assert f"{page}: another asnclf score run" in one_error_line(capsys)
    finally:
        holder.communicate("")


# --- the final step keeps the journal until every output is in place ----------------------------

def run_args(inputs: Path, tiny_model: Path, folder: Path, *extra) -> list:
    return [inputs / "a.jsonl", inputs / "one.txt", "--model", tiny_model, "-o", folder / "out.parquet",
            "--html", folder / "page.html", "--chunk-size", "1", "--quiet", *extra]


def outputs_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def reference(tiny_model, inputs, tmp_path) -> dict[str, bytes]:
    folder = tmp_path / "reference"
    assert score(*run_args(inputs, tiny_model, folder)) == 0
    return outputs_of(folder)


def interrupt(monkeypatch, name: str, after: int = 0):
    calls = []
    real = getattr(asnclf.batch.outputs, name)

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) > after:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(asnclf.batch.outputs, name, interrupted)


@pytest.mark.parametrize("step, after", [("_staged_rows_to_parquet", 0), ("_wrap", 0), ("fsync_file", 1)])
def test_a_kill_while_finishing_keeps_the_journal_and_resume_completes(
        tiny_model, inputs, tmp_path, reference, monkeypatch, capsys, step, after):
    folder = tmp_path / "run"
    interrupt(monkeypatch, step, after)
    assert score(*run_args(inputs, tiny_model, folder)) == 130
    assert (folder / ".out.parquet.journal.json").is_file() and not (folder / "out.parquet").exists()
    monkeypatch.undo()
    assert score(*run_args(inputs, tiny_model, folder, "--resume")) == 0
    assert outputs_of(folder) == reference


def test_a_kill_between_the_renames_is_completed_by_resume(tiny_model, inputs, tmp_path, reference, monkeypatch):
    folder = tmp_path / "run"
    real = os.replace
    renames = []

    def replace(source, target):
        if Path(target).parent == folder and not Path(target).name.startswith("."):
            renames.append(target)
            if len(renames) == 2:
                raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(asnclf.batch.outputs.os, "replace", replace)
    assert score(*run_args(inputs, tiny_model, folder)) == 130
    assert (folder / "out.parquet").is_file() and (folder / ".out.parquet.journal.json").is_file()
    monkeypatch.undo()
    assert score(*run_args(inputs, tiny_model, folder, "--resume")) == 0
    assert outputs_of(folder) == reference


# --- durable writes -----------------------------------------------------------------------------

@pytest.fixture
def disk_log(monkeypatch) -> list[tuple[str, str]]:
    """Every fsync (of the path it flushed) and rename, in order."""
    log: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        log.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        return real_fsync(descriptor)

    def replace(source, target):
        log.append(("rename", f"{os.path.realpath(source)} -> {os.path.realpath(target)}"))
        return real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return log


def flushed_before_renamed(log: list[tuple[str, str]], final: Path) -> None:
    final = os.path.realpath(final)
    [position] = [i for i, (kind, what) in enumerate(log) if kind == "rename" and what.endswith(f" -> {final}")]
    staged = log[position][1].split(" -> ")[0]
    assert ("fsync", staged) in log[:position], f"{staged} renamed to {final} before it was flushed"
    assert ("fsync", os.path.dirname(final)) in log[position:], f"{os.path.dirname(final)} not flushed after the rename"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads descriptors' paths from /proc")
def test_score_outputs_are_flushed_to_disk_before_and_after_their_rename(tiny_model, inputs, tmp_path, disk_log):
    folder = tmp_path / "run"
    assert score(*run_args(inputs, tiny_model, folder)) == 0
    for name in ("out.parquet", "page.html", "out.parquet.skipped.jsonl"):
        flushed_before_renamed(disk_log, folder / name)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads descriptors' paths from /proc")
def test_the_artifact_and_the_dataset_are_flushed_to_disk_before_their_rename(tmp_path, disk_log):
    from asnclf.data.dataset import save_dataset
    from asnclf.data.labeled import LabeledSentence
    from test_score_support import build_tiny_model

    for directory in (build_tiny_model(tmp_path / "model"),
                      save_dataset([LabeledSentence("ASN dilarang ikut kampanye.", ("prohibition",), "a1", "a1-1", "authored")],
                                   tmp_path / "built")):
        flushed_before_renamed(disk_log, directory)
        staged = [what.split(" -> ")[0] for kind, what in disk_log if kind == "rename" and what.endswith(f" -> {directory}")][0]
        files = {str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file()}
        flushed = {what[len(staged) + 1:] for kind, what in disk_log if kind == "fsync" and what.startswith(staged + "/")}
        assert files <= flushed, files - flushed


# --- one line for outputs that cannot be written ------------------------------------------------

def test_an_output_under_proc_is_one_line_naming_the_path(tiny_model, inputs, capsys):
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", "/proc/asnclf-no/out.jsonl") == 2
    line = one_error_line(capsys)
    assert "/proc/asnclf-no" in line and "cannot" in line


def test_an_unwritable_lock_is_one_line_naming_it(tiny_model, inputs, tmp_path, capsys):
    (tmp_path / ".out.jsonl.lock").mkdir()
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 2
    assert one_error_line(capsys).endswith(f"{tmp_path / '.out.jsonl.lock'}: cannot take the lock (Is a directory)")


class FullDisk:
    """A partial file whose writes fail with ENOSPC once ``room`` bytes are written."""

    def __init__(self, handle, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, data: bytes) -> int:
        if self.handle.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


def test_a_full_disk_is_one_line_and_leaves_the_run_resumable(tiny_model, tmp_path, monkeypatch, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", articles(12))
    args = [corpus, "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--chunk-size", "2", "--quiet"]
    assert score(*args[:-3], "-o", tmp_path / "ref.jsonl") == 0
    capsys.readouterr()
    real_open = open

    def small_disk(path, mode="r", *rest, **kwargs):
        handle = real_open(path, mode, *rest, **kwargs)
        return FullDisk(handle, 3000) if Path(path).name == ".out.jsonl.partial" else handle

    monkeypatch.setattr(asnclf.batch.outputs, "open", small_disk, raising=False)
    assert score(*args) == 2
    assert one_error_line(capsys).endswith(f"{tmp_path / '.out.jsonl.partial'}: cannot write (No space left on device)")
    assert json.loads((tmp_path / ".out.jsonl.journal.json").read_text())["done"] > 0
    monkeypatch.undo()
    assert score(*args, "--resume") == 0
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()


# --- the format follows the extension -----------------------------------------------------------

def test_the_output_format_follows_the_extension(tiny_model, inputs, tmp_path):
    import pyarrow.parquet as pq

    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "s.csv") == 0
    assert (tmp_path / "s.csv").read_text().startswith("id,source,sentence,start,end,text,labels,")
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "s.parquet") == 0
    assert pq.read_table(tmp_path / "s.parquet").num_rows == 5
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "s.out") == 0
    assert read_jsonl(tmp_path / "s.out")[0]["id"] == "one.txt"


def test_a_format_contradicting_the_extension_is_refused(tiny_model, inputs, tmp_path, capsys):
    assert score(inputs / "one.txt", "--model", tiny_model, "-o", tmp_path / "s.csv", "--format", "parquet") == 2
    assert "s.csv: the extension '.csv' says csv but --format is parquet" in one_error_line(capsys)
