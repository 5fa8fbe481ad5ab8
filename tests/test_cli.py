import json
import subprocess
import sys

import numpy as np
import pytest

from asnclf.training.audit import rank_label_issues
from asnclf.cli.main import main
from asnclf.data.labeled import LabeledSentence


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_data_prints_counts_per_tag_and_source(tiny_config_path, tmp_path, capsys):
    code, out, _ = run(["build-data", "--config", str(tiny_config_path), "--output", str(tmp_path / "d")], capsys)
    assert code == 0
    assert "wrote 112 labeled sentences" in out
    assert "| authored | 16 | 112 | 16 | 16 | 8 | 80 |" in out
    assert (tmp_path / "d" / "sentences.jsonl").read_text().count("\n") == 112


def test_evaluate_prints_table_and_writes_json(tiny_trained, tmp_path, capsys):
    result, _ = tiny_trained
    data = tmp_path / "test.jsonl"
    data.write_text(
        '{"sentence": "ASN dilarang memasang foto bersama calon.", "labels": ["prohibition"]}\n'
        '{"sentence": "Warga diimbau waspada banjir.", "labels": []}\n', encoding="utf-8")
    code, out, _ = run(["evaluate", "--model", str(result.output_dir), "--data", str(data), "--output", str(tmp_path / "m.json")], capsys)
    assert code == 0 and "| prohibition | 1 |" in out
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert metrics["model"]["sentences"] == 2 and set(metrics) >= {"model", "baseline"}


def test_compare_uses_same_folds_and_prints_one_row_per_config(tiny_config_path, tmp_path, capsys):
    other = tmp_path / "nb.toml"
    other.write_text(tiny_config_path.read_text().replace('name = "tiny"', 'name = "tiny-nb"')
                     .replace('name = "logistic_regression"\nC = 2.0', 'name = "complement_nb"'), encoding="utf-8")
    code, out, _ = run(["compare", str(tiny_config_path), str(other), "--quiet"], capsys)
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("| tiny") or line.startswith("| keyword")]
    assert [row.split("|")[1].strip() for row in rows] == ["tiny", "tiny-nb", "keyword baseline"]


def test_explain_prints_scores_and_signed_features(tiny_trained, capsys):
    result, _ = tiny_trained
    code, out, _ = run(["explain", "--model", str(result.output_dir), "-k", "2", "ASN dilarang memasang foto bersama calon."], capsys)
    assert code == 0
    assert out.count("threshold") == 3 and "prohibition: score" in out
    assert any(line.strip().startswith("+") for line in out.splitlines())


def test_data_stats_reports_cooccurrence_and_warns_on_thin_tags(tiny_config_path, capsys):
    code, out, _ = run(["data-stats", "--config", str(tiny_config_path), "--json"], capsys)
    stats = json.loads(out)
    assert code == 0
    assert stats["cooccurrence"]["prohibition"]["appeal"] == 8
    assert stats["per_source"]["all"]["two_or_more_tags"] == 8
    assert len(stats["warnings"]) == 3 and "at least 250 are wanted" in stats["warnings"][0]


def test_audit_ranks_a_flipped_label_first():
    labeled = [LabeledSentence(f"s{i}", ("appeal",) if i % 2 else (), "a", f"id{i}", "authored") for i in range(6)]
    y = np.array([[0, i % 2, 0] for i in range(6)])
    scores = np.array([[0.1, 0.9 if i % 2 else 0.1, 0.1] for i in range(6)])
    scores[2, 1] = 0.95  # gold says no appeal, every fold's model says appeal
    findings = rank_label_issues(labeled, y, scores, top=2)
    assert findings[0].record.id == "id2" and findings[0].suspect_tags == ("appeal",)
    assert findings[0].quality == pytest.approx(0.05)


def test_audit_labels_command_lists_findings(tiny_config_path, tmp_path, capsys):
    code, out, _ = run(["audit-labels", "--config", str(tiny_config_path), "--top", "3", "--quiet",
                        "--output", str(tmp_path / "a.jsonl")], capsys)
    assert code == 0 and out.count("quality") == 3
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert rows[0]["quality"] <= rows[1]["quality"] <= rows[2]["quality"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--config", "missing.toml"], "asnclf train: error: missing.toml: config file not found"),
        (["train", "--set", "model.C=-2"], "asnclf train: error: configs/default.toml: model.C: invalid value -2"),
        (["evaluate", "--model", "nowhere", "--data", "x.jsonl"], "asnclf evaluate: error: nowhere: model directory not found"),
        (["audit-labels", "--top", "0"], "asnclf audit-labels: error: --top must be at least 1, found 0"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(argv, message, capsys):
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.strip() == err.strip().splitlines()[0] and err.startswith(message)


def test_train_script_matches_the_cli_and_shows_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "train.py", "--config", str(tmp_path / "none.toml")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "config file not found" in done.stderr


@pytest.mark.parametrize("command", ["build-data", "data-stats"])
def test_build_data_and_data_stats_check_extra_files_as_train_does(tiny_config_path, tmp_path, capsys, command):
    missing = tmp_path / "missing.jsonl"
    argv = [command, "--config", str(tiny_config_path), "--set", f'data.extra_files=["{missing.as_posix()}"]']
    if command == "build-data":
        argv += ["--output", str(tmp_path / "d")]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err == f"asnclf {command}: error: {missing}: labeled data file not found\n"
    assert not (tmp_path / "d").exists()
