"""A config works from any folder; parallel folds give the serial result; CLI conventions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from asnclf.model.artifact import MODEL_FILE, file_sha256
from asnclf.cli.main import build_parser, main
from asnclf.training.config import load_config
from asnclf.training.evaluate import plan_evaluation
from conftest import write_tiny_corpus


def relative_tiny_project(root: Path) -> Path:
    """The tiny corpus under ``root``, its config in ``root/configs`` with paths relative to that folder."""
    config = write_tiny_corpus(root)
    text = config.read_text(encoding="utf-8").replace(f'"{root.as_posix()}/', '"../')
    text = "\n".join(line for line in text.splitlines() if not line.startswith("dir = "))  # default output folder
    (root / "configs").mkdir()
    moved = root / "configs" / "tiny.toml"
    moved.write_text(text, encoding="utf-8")
    config.unlink()
    return moved


def test_relative_paths_resolve_against_the_config_folder_wherever_it_runs(tmp_path, monkeypatch):
    config_path = relative_tiny_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    config = load_config(config_path)
    assert config.data.raw_dirs == (tmp_path / "project" / "data" / "raw" / "authored",)
    assert config.data.built_dir == tmp_path / "project" / "built"
    assert config.to_plain()["data"]["raw_dirs"] == ["../data/raw/authored"]  # as written: the manifest does not depend on the checkout
    assert config.output_dir == Path("models/tiny")  # outputs: relative to the current folder


def test_data_dir_replaces_the_config_folder_for_data_paths(tmp_path):
    config_path = relative_tiny_project(tmp_path / "project")
    config = load_config(config_path, data_dir=tmp_path / "elsewhere" / "configs")
    assert config.data.annotations == (tmp_path / "elsewhere" / "data" / "annotations",)


def test_set_paths_are_relative_to_the_current_folder(tmp_path, monkeypatch):
    config_path = relative_tiny_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    config = load_config(config_path, ('data.extra_files=["more.jsonl"]', 'output.dir="out/m"'))
    assert config.data.extra_files == (tmp_path / "more.jsonl",)
    assert config.output_dir == tmp_path / "out" / "m"


def test_output_dir_in_the_file_is_relative_to_the_config_folder(tmp_path):
    path = tmp_path / "c" / "x.toml"
    path.parent.mkdir()
    path.write_text('[output]\ndir = "../models/x"\n', encoding="utf-8")
    assert load_config(path).output_dir == tmp_path / "models" / "x"


def test_shipped_configs_find_the_bundled_data_from_any_folder(tmp_path, monkeypatch):
    configs = Path("configs").absolute()
    monkeypatch.chdir(tmp_path)
    config = load_config(configs / "default.toml")
    assert all(folder.is_dir() for folder in config.data.raw_dirs + config.data.annotations)


def test_a_missing_data_folder_names_where_it_looked(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cfg" / "c.toml"
    path.parent.mkdir()
    path.write_text('[data]\nraw_dirs = ["nowhere"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build-data", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"asnclf build-data: error: {tmp_path / 'cfg' / 'nowhere'}: raw article folder not found")
    assert err.count("\n") == 1


def test_a_missing_config_names_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["train"]) == 2
    assert f"configs/default.toml: config file not found (looked for {tmp_path / 'configs' / 'default.toml'})" in capsys.readouterr().err


def test_train_from_another_folder_with_an_absolute_config(tmp_path, monkeypatch, capsys):
    config_path = relative_tiny_project(tmp_path / "project")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["train", "--quiet", "--jobs", "1", "--config", str(config_path), "--set", "evaluation.plots=false"]) == 0
    assert "model 'tiny' saved to models/tiny/" in capsys.readouterr().out
    assert (work / "models" / "tiny" / MODEL_FILE).is_file()
    assert (tmp_path / "project" / "built" / "sentences.jsonl").is_file()


def test_installed_entry_point_trains_from_another_folder(tmp_path):
    # The console script of the environment running the tests (installed by pip, nothing installed here).
    entry = Path(sys.executable).parent / "asnclf"
    if not entry.exists():
        pytest.skip("the asnclf console script is not installed beside this Python")
    config_path = relative_tiny_project(tmp_path / "project")
    work = tmp_path / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([str(entry), "train", "--quiet", "--config", str(config_path), "--set", "evaluation.plots=false"],
                          cwd=work, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (work / "models" / "tiny" / MODEL_FILE).is_file()
    version = subprocess.run([str(entry), "--version"], cwd=work, capture_output=True, text=True)
    assert version.stdout.startswith("asnclf ")


def test_parallel_folds_give_the_serial_model_and_metrics(tiny_config_path, tmp_path):
    from asnclf.training.train import train

    results = {}
    for jobs in (1, 2):
        config = load_config(tiny_config_path, (f"output.dir={json.dumps(str(tmp_path / f'm{jobs}'))}",
                                                f"data.built_dir={json.dumps(str(tmp_path / 'b'))}", "evaluation.plots=false"))
        results[jobs] = train(config, jobs=jobs)
    assert file_sha256(tmp_path / "m1" / MODEL_FILE) == file_sha256(tmp_path / "m2" / MODEL_FILE)
    assert results[1].metrics == results[2].metrics
    assert (tmp_path / "m1" / "learning_curve.json").read_bytes() == (tmp_path / "m2" / "learning_curve.json").read_bytes()


def test_audit_and_compare_do_not_depend_on_jobs(tiny_config_path, capsys):
    outputs = []
    for jobs in ("1", "2"):
        assert main(["audit-labels", "--config", str(tiny_config_path), "--top", "5", "-q", "-j", jobs, "-o", "-"]) == 0
        assert main(["compare", str(tiny_config_path), "-q", "-j", jobs, "--set", "evaluation.repeats=1", "-o", "-"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_learning_curve_full_point_reuses_the_first_repeat_folds():
    groups = [f"a{i // 3}" for i in range(60)]
    y = np.array([[i % 2, 0, i % 3 == 0] for i in range(60)]) * np.array([[1, 1, 1]] * 60)
    y[::6] = 0
    from asnclf.training.config import TrainConfig

    config = TrainConfig().model_copy(update={"evaluation": TrainConfig().evaluation.model_copy(
        update={"folds": 3, "repeats": 2, "learning_curve": (0.5, 1.0)})})
    plan = plan_evaluation(config, y, groups, with_learning_curve=True)
    assert len(plan.splits) == 2 * 3 + 3  # the 100% point adds no fit
    full = plan.curve[-1][2]
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(full, plan.repeats[0]))


def test_jobs_must_be_positive(tiny_config_path, capsys):
    assert main(["train", "--config", str(tiny_config_path), "--jobs", "0"]) == 2
    assert "--jobs must be between 1 and 256, found 0" in capsys.readouterr().err


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("asnclf 0.")


def test_every_subcommand_has_a_description_and_every_argument_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]
    for name, sub in commands.choices.items():
        assert sub.description, name
        assert next(a for a in commands._choices_actions if a.dest == name).help, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"


def test_evaluate_writes_json_to_standard_output(tiny_trained, tmp_path, capsys):
    result, _ = tiny_trained
    data = tmp_path / "t.jsonl"
    data.write_text('{"sentence": "ASN dilarang berkampanye.", "labels": ["prohibition"]}\n', encoding="utf-8")
    assert main(["evaluate", "--model", str(result.output_dir), "--data", str(data), "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["model"]["sentences"] == 1
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_compare_writes_its_rows_as_json(tiny_config_path, tmp_path, capsys):
    out = tmp_path / "rows.json"
    assert main(["compare", str(tiny_config_path), "-q", "-j", "1", "--set", "evaluation.repeats=1", "--output", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [row["name"] for row in rows] == ["tiny", "keyword baseline"]
    assert "| tiny |" in capsys.readouterr().out


def test_score_streams_to_standard_output_without_lock_or_staged_file(tiny_trained, tmp_path, monkeypatch, capsys):
    result, _ = tiny_trained
    article = tmp_path / "a.txt"
    article.write_text("ASN dilarang memasang foto bersama calon. Hujan turun.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(article), "--model", str(result.output_dir), "-o", "-", "-q"]) == 0
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert len(record["sentences"]) == 2 and "1 articles, 2 sentences scored" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no lock, journal, partial or skip report
    assert main(["score", str(article), "--model", str(result.output_dir), "-o", "-", "--format", "csv", "-q"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("id,source,sentence,")


@pytest.mark.parametrize(("extra", "message"), [
    (["--format", "parquet"], "Parquet is a binary file format"),
    (["--html", "p.html"], "--html needs an output file"),
    (["--resume"], "--resume needs an output file"),
])
def test_score_to_standard_output_refuses_what_needs_a_file(tiny_trained, tmp_path, capsys, extra, message):
    result, _ = tiny_trained
    article = tmp_path / "a.txt"
    article.write_text("Hujan turun.\n", encoding="utf-8")
    assert main(["score", str(article), "--model", str(result.output_dir), "-o", "-", "-q", *extra]) == 2
    assert message in capsys.readouterr().err


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"})


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_fit_runs_with_one_blas_thread(jobs):
    # OpenBLAS rounds liblinear's sums differently with 1 or 2 threads: fits are pinned to one, wherever they run.
    from asnclf.training.parallel import run_tasks

    assert run_tasks([(_blas_threads, ()), (_blas_threads, ())], jobs=jobs, meanwhile=_blas_threads) in ([[1]] * 3, [[]] * 3)
