"""The model shipped inside the package must be the one configs/default.toml trains on today's data."""

from pathlib import Path

import asnclf
from asnclf.artifact import default_model_dir, feature_code_fingerprint, read_manifest
from asnclf.config import load_config
from asnclf.corpus import fingerprint
from asnclf.dataset import prepare_training_data

RETRAIN = "stale shipped model; retrain: asnclf train --config configs/default.toml --set output.dir=asnclf/default_model"


def test_shipped_model_matches_current_data_config_and_feature_code():
    manifest = read_manifest(default_model_dir())
    config = load_config(Path("configs/default.toml"))
    data = prepare_training_data(config.data, config.segmenter,
                                 general_news_holdout_count=config.evaluation.general_news_holdout)
    assert manifest["training_data_sha256"] == fingerprint(data.training), RETRAIN
    expected = config.to_plain()
    expected["output"] = manifest["config"]["output"]
    assert manifest["config"] == expected, RETRAIN
    assert manifest["feature_code_sha256"] == feature_code_fingerprint(), RETRAIN


def test_shipped_model_loads_without_a_path():
    model = asnclf.load_model()
    assert model.labels == asnclf.TAGS
    assert model.predict_proba(["ASN dilarang ikut kampanye."]).shape == (1, 3)
