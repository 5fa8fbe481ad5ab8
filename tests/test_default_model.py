"""The model shipped inside the package must be the one configs/default.toml trains on today's data."""

from pathlib import Path

import asnclf
from asnclf.model.artifact import default_model_dir, read_manifest
from asnclf.features.probe import feature_fingerprint
from asnclf.training.config import load_config
from asnclf.data.corpus import fingerprint
from asnclf.data.dataset import prepare_training_data

RETRAIN = "stale shipped model; retrain: asnclf train --config configs/default.toml --set output.dir=asnclf/default_model"


def test_shipped_model_matches_current_data_config_and_feature_behaviour():
    manifest = read_manifest(default_model_dir())
    config = load_config(Path("configs/default.toml"))
    data = prepare_training_data(config.data, config.segmenter,
                                 general_news_holdout_count=config.evaluation.general_news_holdout)
    assert manifest["training_data_sha256"] == fingerprint(data.training), RETRAIN
    expected = config.to_plain()
    expected["output"] = manifest["config"]["output"]
    assert manifest["config"] == expected, RETRAIN
    assert manifest["feature_behaviour_sha256"] == feature_fingerprint(), RETRAIN


def test_shipped_model_loads_without_a_path():
    model = asnclf.load_model()
    assert model.labels == asnclf.TAGS
    assert model.predict_proba(["ASN dilarang ikut kampanye."]).shape == (1, 3)


def _fingerprint_of_a_copy(tmp_path, edit) -> str:
    """The feature fingerprint computed by a copy of the package whose source ``edit`` changed."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "copy"
    shutil.copytree(Path(asnclf.__file__).parent, copy / "asnclf", ignore=shutil.ignore_patterns("default_model", "__pycache__"))
    edit(copy / "asnclf")
    code = "from asnclf.features.probe import feature_fingerprint; print(feature_fingerprint())"
    done = subprocess.run([sys.executable, "-c", code], cwd=copy, capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    return done.stdout.strip()


def test_staleness_follows_what_the_feature_code_does_not_its_bytes(tmp_path):
    def docstring_only(package):
        cues = package / "features" / "cues.py"
        cues.write_text(cues.read_text(encoding="utf-8").replace('"""', '"""Edited docstring. ', 1), encoding="utf-8")

    def one_cue_word_less(package):  # "jangan" stands in the probe article
        cues = package / "features" / "cues.py"
        text = cues.read_text(encoding="utf-8")
        assert "terlarang jangan janganlah" in text
        cues.write_text(text.replace("terlarang jangan janganlah", "terlarang janganlah", 1), encoding="utf-8")

    assert _fingerprint_of_a_copy(tmp_path / "a", docstring_only) == feature_fingerprint()
    assert _fingerprint_of_a_copy(tmp_path / "b", one_cue_word_less) != feature_fingerprint()


def test_the_pipelines_own_predict_gives_the_taggers_tags_on_the_whole_corpus():
    """The thresholds and the context stage live in the fitted estimator: scikit-learn's predict is the tool's."""
    import numpy as np

    model = asnclf.load_model()
    config = load_config(Path("configs/default.toml"))
    data = prepare_training_data(config.data, config.segmenter, general_news_holdout_count=0)
    sentences = [item.sentence for item in data.corpus]
    predicted = model.pipeline.predict(sentences)
    tags = model.predict(sentences)
    assert predicted.shape == (len(sentences), len(asnclf.TAGS))
    assert [[tag for tag, hit in zip(model.labels, row) if hit] for row in predicted] == tags
    assert predicted.sum() > 0 and not predicted.all()  # tags given and withheld, so equality says something
    # The cuts are the tuned ones, not 0.5: at 0.5 some sentence would be tagged differently.
    assert not np.array_equal(predicted, (model.predict_proba(sentences) >= 0.5).astype(int))
