import json
import warnings

import numpy as np
import pytest

import asnclf
from asnclf.model.artifact import (
    FORMAT,
    MANIFEST_FILE,
    MODEL_FILE,
    SCORING_FILE,
    VersionMismatchWarning,
    load_model,
    save_model,
    seal_digest,
)
from asnclf.errors import ArtifactError, InputError

PROBE = ["ASN dilarang memasang foto bersama calon.", "Sebanyak 40 ASN dilaporkan melanggar netralitas.",
         "Warga diimbau waspada banjir.", "Camat diimbau menjaga netralitas selama pilkada."]


def test_round_trip_keeps_predictions_and_probabilities(tiny_trained):
    result, _ = tiny_trained
    loaded = asnclf.load_model(result.output_dir)
    assert np.array_equal(loaded.predict_proba(PROBE), result.tagger.predict_proba(PROBE))
    assert loaded.predict(PROBE) == result.tagger.predict(PROBE)
    assert loaded.labels == asnclf.TAGS
    assert loaded.thresholds == pytest.approx(result.tagger.thresholds, abs=1e-6)
    assert loaded.pipeline.named_steps.keys() == {"features", "classifier"}
    # The pickle holds rebuilt text vectorizers (see artifact._without_process_state): they score alike.
    assert np.array_equal(loaded.pipeline.predict_proba(PROBE), result.tagger.pipeline.predict_proba(PROBE))


def test_tampered_model_file_is_refused(model_copy):
    with open(model_copy / MODEL_FILE, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ArtifactError, match=r"model\.joblib: SHA-256 .* does not match the manifest"):
        load_model(model_copy)


def test_tampered_scoring_file_is_refused(model_copy):
    data = bytearray((model_copy / SCORING_FILE).read_bytes())
    data[-1] ^= 1
    (model_copy / SCORING_FILE).write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match=r"scoring\.bin: SHA-256 .* does not match the manifest"):
        load_model(model_copy)


def test_truncated_model_file_is_refused(model_copy):
    data = (model_copy / MODEL_FILE).read_bytes()
    (model_copy / MODEL_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(ArtifactError, match="changed or truncated"):
        load_model(model_copy)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.update(format="other/9"), rf"format 'other/9' is not '{FORMAT}'"),
        (lambda m: m.update(format="asnclf-model/1"), r"format 'asnclf-model/1' is not sealed .*; retrain the model"),
        (lambda m: m.update(thresholds={"appeal": 0.5}), r"'thresholds' must give one number for each of"),
        (lambda m: m.update(labels="appeal"), r"'labels' must be a non-empty list"),
    ],
)
def test_malformed_manifest_is_refused(model_copy, edit, message):
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    edit(manifest)
    (model_copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match=message):
        load_model(model_copy)


def test_missing_directory_and_manifest_are_named(tmp_path):
    with pytest.raises(ArtifactError, match=r"nowhere: model directory not found"):
        load_model(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArtifactError, match=r"manifest missing"):
        load_model(tmp_path / "empty")


def test_version_mismatch_warns_once_naming_both_versions(model_copy):
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    manifest["versions"]["scikit-learn"] = "0.0.1"
    manifest["seal_sha256"] = seal_digest(manifest)  # as that version would have sealed it
    (model_copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model(model_copy)
    assert len(caught) == 1 and caught[0].category is VersionMismatchWarning
    assert "scikit-learn 0.0.1 (saved)" in str(caught[0].message) and "(installed)" in str(caught[0].message)


def test_failed_save_leaves_the_old_artifact_intact(tiny_trained, model_copy, monkeypatch):
    result, _ = tiny_trained
    before = {p.name: p.read_bytes() for p in model_copy.iterdir() if p.is_file()}

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("asnclf.model.linear_scorer.LinearScorer.save", crash)  # after model.joblib is written
    with pytest.raises(KeyboardInterrupt):
        save_model(result.tagger, model_copy, config={}, metrics={}, data_fingerprint="x", card="")
    after = {p.name: p.read_bytes() for p in model_copy.iterdir() if p.is_file()}
    assert after == before
    assert [p.name for p in model_copy.parent.iterdir() if p.name.startswith(".")] == []


def test_tag_article_gives_exact_offsets_tags_and_scores(tiny_trained):
    tagger = tiny_trained[0].tagger
    text = "Netralitas ASN\nASN dilarang memasang foto bersama calon. Warga diimbau waspada banjir.\nBACA JUGA: x"
    tagged = tagger.tag_article(text)
    assert [s["text"] for s in tagged] == ["Netralitas ASN", PROBE[0], PROBE[2]]
    for sentence in tagged:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        assert set(sentence["scores"]) == set(asnclf.TAGS)
        assert sentence["labels"] == [t for t in asnclf.TAGS if sentence["scores"][t] >= round(tagger.thresholds[t], 4) - 1e-4]


def test_explain_gives_signed_weights_that_sum_toward_the_score(tiny_trained):
    tagger = tiny_trained[0].tagger
    explanation = tagger.explain(PROBE[0], k=3)
    assert set(explanation) == set(asnclf.TAGS)
    assert all(len(items) <= 3 for items in explanation.values())
    top_feature, top_weight = explanation["prohibition"][0]
    assert top_weight > 0 and isinstance(top_feature, str)
    weights = [abs(w) for _, w in explanation["prohibition"]]
    assert weights == sorted(weights, reverse=True)


def test_api_rejects_a_bare_string_and_non_strings(tiny_trained):
    tagger = tiny_trained[0].tagger
    with pytest.raises(InputError, match="found one string; wrap it"):
        tagger.predict("ASN dilarang kampanye.")
    with pytest.raises(InputError, match="sentence 1 must be a string, found int"):
        tagger.predict(["ok", 5])
    assert tagger.predict([]) == []
