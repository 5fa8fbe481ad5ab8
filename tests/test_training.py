import json

import numpy as np
import pytest

from asnclf.model.artifact import MODEL_FILE, file_sha256
from asnclf.training.config import ThresholdsConfig, load_config
from asnclf.training.evaluate import grouped_folds, multilabel_metrics
from asnclf.labels import TAGS
from asnclf.training.thresholds import choose_thresholds
from asnclf.training.train import train


def test_grouped_folds_never_split_an_article_and_cover_every_row():
    groups = [f"a{i // 3}" for i in range(40)]
    folds = grouped_folds(groups, 4, seed=1)
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(40))
    for train_rows, test_rows in folds:
        assert not {groups[i] for i in train_rows} & {groups[i] for i in test_rows}
    assert [t.tolist() for _, t in folds] == [t.tolist() for _, t in grouped_folds(groups, 4, seed=1)]
    assert [t.tolist() for _, t in folds] != [t.tolist() for _, t in grouped_folds(groups, 4, seed=2)]


def test_tuned_threshold_separates_separable_scores():
    y = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 1, 1]])
    scores = np.array([[0.9, 0.2, 0.1], [0.6, 0.3, 0.8], [0.4, 0.7, 0.2], [0.1, 0.9, 0.7]])
    cuts = choose_thresholds(ThresholdsConfig(strategy="tune_f1"), y, scores)
    assert np.array_equal((scores >= cuts).astype(int), y)


def test_target_precision_picks_the_most_recall_at_that_precision():
    y = np.array([[1], [1], [0], [1], [0]]).repeat(3, axis=1)
    scores = np.array([[0.9], [0.8], [0.7], [0.6], [0.1]]).repeat(3, axis=1)
    cuts = choose_thresholds(ThresholdsConfig(strategy="target_precision", target_precision=1.0), y, scores)
    assert 0.7 < cuts[0] <= 0.8
    relaxed = choose_thresholds(ThresholdsConfig(strategy="target_precision", target_precision=0.75), y, scores)
    assert 0.1 < relaxed[0] <= 0.6


def test_metrics_count_by_hand():
    y = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    pred = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 1]])
    metrics = multilabel_metrics(y, pred)
    assert metrics["per_tag"]["prohibition"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2, "tp": 1, "fp": 0, "fn": 1, "tn": 1})
    assert metrics["micro_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    assert metrics["exact_match"] == pytest.approx(1 / 3)


def test_metrics_pin_every_field_including_a_tag_never_seen():
    """``statistic`` is neither true nor predicted: its ratios are 0.0 (no warning), its negatives still counted."""
    y = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0], [0, 1, 0]])
    pred = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0]])
    metrics = multilabel_metrics(y, pred)
    assert metrics.pop("per_tag") == {
        "prohibition": {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2, "tp": 1, "fp": 0, "fn": 1, "tn": 2},
        "appeal": {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2, "tp": 2, "fp": 1, "fn": 0, "tn": 1},
        "statistic": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 4},
    }
    assert metrics == pytest.approx({"micro_f1": 0.75, "macro_f1": (2 / 3 + 0.8) / 3, "exact_match": 0.5, "sentences": 4})
    empty = multilabel_metrics(np.zeros((0, 3), dtype=int), np.zeros((0, 3), dtype=int))
    assert empty["sentences"] == 0 and empty["micro_f1"] == 0.0 and empty["per_tag"]["appeal"]["tn"] == 0


def test_training_writes_a_complete_artifact(tiny_trained):
    result, config = tiny_trained
    out = config.output_dir
    for name in ("model.joblib", "manifest.json", "README.md", "metrics.json", "report.md",
                 "plots/confusion.png", "plots/precision_recall.png", "learning_curve.json"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels"] == list(TAGS)
    assert manifest["model_sha256"] == file_sha256(out / MODEL_FILE)
    assert manifest["config"]["name"] == "tiny"
    assert set(manifest["versions"]) >= {"python", "scikit-learn", "numpy", "asnclf"}
    assert (out / "plots/confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cv = result.metrics["cross_validation"]
    assert cv["model"]["runs"] == 2 and set(cv["baseline"]["per_tag"]) == set(TAGS)
    assert [row["fraction"] for row in cv["learning_curve"]] == [0.5, 1.0]
    assert "baseline F1" in (out / "README.md").read_text()


def test_same_config_and_data_give_the_same_model_metrics_and_predictions(tiny_config_path, tiny_trained, tmp_path):
    first, _ = tiny_trained
    config = load_config(tiny_config_path, (f"output.dir={json.dumps(str(tmp_path / 'again'))}",))
    second = train(config)
    assert file_sha256(tmp_path / "again" / MODEL_FILE) == file_sha256(first.output_dir / MODEL_FILE)
    assert second.metrics == first.metrics
    probe = ["ASN dilarang berkampanye.", "Sebanyak 12 ASN dilaporkan.", "Hujan turun."]
    assert np.array_equal(second.tagger.predict_proba(probe), first.tagger.predict_proba(probe))


def test_held_out_sources_are_evaluated_after_training(tiny_config_path, tmp_path):
    # The tiny corpus is all 'authored'; relabel half of it as 'seed' and hold that out.
    config = load_config(tiny_config_path, (f"output.dir={json.dumps(str(tmp_path / 'm'))}",
                                            f"data.built_dir={json.dumps(str(tmp_path / 'b'))}"))
    annotations = config.data.annotations[0] / "tiny.jsonl"
    original = annotations.read_text(encoding="utf-8")
    try:
        rows = [json.loads(line) for line in original.splitlines()]
        for row in rows:
            if row["article"] in ("t00", "t01"):
                row["source"] = "seed"
        annotations.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        result = train(config)
    finally:
        annotations.write_text(original, encoding="utf-8")
    held = result.metrics["held_out"]
    assert held["sources"] == ["seed"]
    assert held["model"]["sentences"] == sum(r["article"] in ("t00", "t01") for r in rows)
    assert result.metrics["data"]["all"]["articles"] == 13  # 16, less 2 seed articles and 1 general-news article held out


def test_separate_processes_write_byte_identical_models(tiny_config_path, tmp_path):
    import os
    import subprocess
    import sys

    hashes = []
    for seed in ("1", "2"):
        out = tmp_path / f"model-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "asnclf.cli.main", "train", "--quiet", "--config", str(tiny_config_path),
             "--set", f"output.dir={json.dumps(str(out))}", "--set", f"data.built_dir={json.dumps(str(tmp_path / 'b'))}",
             "--set", "evaluation.plots=false"],
            check=True, env=env, capture_output=True,
        )
        hashes.append(file_sha256(out / MODEL_FILE))
    assert hashes[0] == hashes[1]


def test_the_pipeline_builder_is_public_and_follows_the_context_switch():
    import asnclf
    from asnclf.model.act_topic import ActTopicClassifier
    from asnclf.training.config import config_from_mapping
    from sklearn.multiclass import OneVsRestClassifier

    with_context = asnclf.build_pipeline(config_from_mapping({}, where="test"))
    without = asnclf.build_pipeline(config_from_mapping({"context": {"enabled": False}}, where="test"))
    assert isinstance(with_context.named_steps["classifier"], ActTopicClassifier)
    assert isinstance(without.named_steps["classifier"], OneVsRestClassifier)
    assert not hasattr(with_context.named_steps["classifier"], "estimators_")  # unfitted


def test_the_model_card_says_what_the_model_is_and_what_it_was_trained_on(monkeypatch):
    import asnclf.training.report as report
    from asnclf.training.report import model_card

    metrics = {"thresholds": {"prohibition": 0.5, "appeal": 0.4, "statistic": 0.6},
               "data": {"authored": {"articles": 120, "sentences": 1500}, "seed": {"articles": 5, "sentences": 68},
                        "all": {"articles": 125, "sentences": 1568}},
               "cross_validation": {"scheme": "5-fold", "model": {}, "baseline": {}}}
    features = {"word": {"enabled": True}, "char": {"enabled": False}, "cues": {"enabled": True}}
    config = {"model": {"name": "logistic_regression"}, "features": features,
              "context": {"enabled": True, "learner": "mlp"}, "data": {"train_sources": ["authored"]},
              "output": {"dir": None}}
    monkeypatch.setattr(report, "metrics_table", lambda cross_validation: "(table)")  # the table has its own tests
    card = model_card("x", metrics, config)
    assert "per tag (learned on articles about the theme)" in card and "a `mlp` second stage" in card
    assert "over features word, cues;" in card and "120 authored and 5 seed articles" in card
    card = model_card("x", metrics, {**config, "context": {"enabled": False, "learner": "mlp"}})
    assert "`logistic_regression` one-vs-rest over features word, cues." in card and "second stage" not in card


def test_folds_by_batch_keep_each_writers_folder_whole(tmp_path):
    from conftest import write_tiny_corpus

    from asnclf.data.dataset import prepare_training_data
    from asnclf.data.labeled import label_matrix
    from asnclf.errors import DataError
    from asnclf.training.evaluate import plan_evaluation

    config_path = write_tiny_corpus(tmp_path, articles=24)
    raw = tmp_path / "data" / "raw" / "authored"
    for k in range(24):  # four writers' batches of six articles, neutrality and general news in each
        (raw / f"w{k % 4}").mkdir(exist_ok=True)
        (raw / f"t{k:02d}.txt").rename(raw / f"w{k % 4}" / f"t{k:02d}.txt")
    config = load_config(config_path, ('evaluation.group_by="batch"', "evaluation.repeats=1"))
    data = prepare_training_data(config.data, config.segmenter, general_news_holdout_count=1)
    batch_of = [data.batches[item.article] for item in data.training]
    assert set(batch_of) == {"w0", "w1", "w2", "w3"}
    y = label_matrix([item.labels for item in data.training])
    groups = [item.article for item in data.training]
    plan = plan_evaluation(config, y, groups, batches=data.batches, with_learning_curve=True)
    for train_rows, test_rows in plan.splits:
        assert not {batch_of[i] for i in train_rows} & {batch_of[i] for i in test_rows}
    # The learning curve samples articles inside the same batch folds.
    assert [test.tolist() for _, test in plan.curve[0][2]] == [test.tolist() for _, test in plan.repeats[0]]
    # By article (the default), some batch is on both sides of a split.
    by_article = plan_evaluation(load_config(config_path, ("evaluation.repeats=1",)), y, groups, batches=data.batches)
    assert any({batch_of[i] for i in train_rows} & {batch_of[i] for i in test_rows} for train_rows, test_rows in by_article.splits)

    result = train(config.model_copy(update={"output": config.output.model_copy(update={"dir": tmp_path / "m"})}))
    assert "grouped by batch" in result.metrics["cross_validation"]["scheme"]
    assert "grouped by batch" in (tmp_path / "m" / "report.md").read_text(encoding="utf-8")
    with pytest.raises(DataError, match="needs at least 5 batches for 5 folds, found 4"):
        plan_evaluation(load_config(config_path, ('evaluation.group_by="batch"', "evaluation.folds=5")),
                        y, groups, batches=data.batches)
