"""Feature blocks carry versioned names; a model names the versions it was made with, and a missing one is refused."""

import json

import pytest

from asnclf.errors import ArtifactError
from asnclf.features.registry import BLOCKS, union_block_names
from asnclf.model.artifact import MANIFEST_FILE, SEAL_FIELD, load_model, seal_digest


def test_a_saved_model_names_its_blocks_versions(model_copy):
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    assert manifest["feature_blocks"] == {"word": "word_tfidf.v1", "cues": "cues.v1", "numbers": "numbers.v1"}
    assert set(manifest["feature_blocks"].values()) <= set(BLOCKS)


def test_a_model_naming_a_block_version_this_code_lacks_is_refused_by_name(model_copy):
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    manifest["feature_blocks"]["cues"] = "cues.v9"
    manifest[SEAL_FIELD] = seal_digest(manifest)  # a model sealed by a later asnclf, not a tampered one
    (model_copy / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
    with pytest.raises(ArtifactError, match=r"feature block 'cues' is 'cues.v9', which this asnclf does not have"):
        load_model(model_copy)


def test_every_block_a_config_can_build_has_a_registered_version():
    from asnclf.features.blocks import build_features
    from asnclf.training.config import config_from_mapping

    config = config_from_mapping({"features": {"char": {"enabled": True}}}, where="test")
    union = build_features(config.features)
    assert union_block_names(union) == {"word": "word_tfidf.v1", "char": "char_tfidf.v1", "cues": "cues.v1",
                                        "numbers": "numbers.v1"}
