"""A sealed artifact: every file, the manifest's own fields included, is verified on load; no unpickling unless asked."""

import json

import numpy as np
import pytest

from asnclf.model.artifact import MANIFEST_FILE, MODEL_FILE, load_model, save_model
from asnclf.errors import ArtifactError

PROBE = ["ASN dilarang memasang foto bersama calon.", "Sebanyak 40 ASN dilaporkan melanggar netralitas."]


def edit_manifest(directory, change) -> None:
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    change(manifest)
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))


def test_a_changed_threshold_is_refused_naming_the_manifest(model_copy):
    edit_manifest(model_copy, lambda m: m["thresholds"].update(appeal=0.05))
    with pytest.raises(ArtifactError, match=rf"^{model_copy / MANIFEST_FILE}: the manifest was changed after saving"):
        load_model(model_copy)


@pytest.mark.parametrize("change", [
    lambda m: m["metrics"].update(note="better"),
    lambda m: m.update(created="2020-01-01T00:00:00+00:00"),
    lambda m: m["files"].update({"README.md": "0" * 64}),
    lambda m: m.pop("files"),
])
def test_any_change_to_the_manifest_is_refused(model_copy, change):
    edit_manifest(model_copy, change)
    with pytest.raises(ArtifactError, match=rf"{MANIFEST_FILE}: (the manifest was changed|'files' and 'seal_sha256' are required)"):
        load_model(model_copy)


def test_the_manifest_rewritten_with_the_same_fields_still_loads(model_copy):
    edit_manifest(model_copy, lambda m: None)  # other indentation and key spacing: the same fields
    assert load_model(model_copy).labels


@pytest.mark.parametrize("name", ["README.md", "metrics.json", "report.md", "learning_curve.json", "plots/confusion.png"])
def test_every_file_of_the_artifact_is_verified(model_copy, name):
    path = model_copy / name
    assert path.is_file(), sorted(p.name for p in model_copy.rglob("*"))
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(ArtifactError, match=rf"{path}: SHA-256 .* does not match the manifest"):
        load_model(model_copy)


def test_a_removed_or_added_file_is_refused(model_copy):
    (model_copy / "notes.txt").write_text("added later")
    with pytest.raises(ArtifactError, match=r"notes\.txt: not part of the saved artifact"):
        load_model(model_copy)
    (model_copy / "notes.txt").unlink()
    (model_copy / ".DS_Store").write_bytes(b"copy tool")  # hidden files are not part of it
    (model_copy / "report.md").unlink()
    with pytest.raises(ArtifactError, match=r"report\.md: file missing"):
        load_model(model_copy)


@pytest.fixture
def no_unpickling(monkeypatch):
    import joblib

    def refuse(*args, **kwargs):
        raise AssertionError("model.joblib was unpickled")

    monkeypatch.setattr(joblib, "load", refuse)


def test_scoring_predict_and_explain_never_unpickle_a_model_with_a_scoring_form(model_copy, tiny_trained, no_unpickling):
    result, _ = tiny_trained
    for allow_pickle in (True, False):
        tagger = load_model(model_copy, allow_pickle=allow_pickle)
        assert np.array_equal(tagger.predict_proba(PROBE), result.tagger.predict_proba(PROBE))
        assert tagger.predict(PROBE) == result.tagger.predict(PROBE)
        assert tagger.tag_article(" ".join(PROBE))[0]["labels"] == ["prohibition"]
        assert len(list(tagger.score_articles(PROBE))) == 2
        # explain reads the scoring form's features and weights: the same as the pipeline's.
        assert tagger.explain(PROBE[0], k=4) == result.tagger.explain(PROBE[0], k=4)
        assert tagger.explain(PROBE[0], k=4)["prohibition"]


def test_allow_pickle_false_never_unpickles(model_copy):
    tagger = load_model(model_copy, allow_pickle=False)
    with pytest.raises(ArtifactError, match=r"model\.joblib: the scikit-learn pipeline is needed here .* allow_pickle=False"):
        tagger.pipeline


def test_allow_pickle_false_refuses_a_model_that_needs_unpickling(tiny_trained, tmp_path):
    from asnclf.training.config import config_from_mapping
    from asnclf.training.evaluate import build_pipeline
    from asnclf.data.labeled import label_matrix
    from asnclf.model.tagger import Tagger

    result, _ = tiny_trained
    # A naive Bayes classifier has no scikit-learn-free scoring form.
    sentences = PROBE * 4 + ["Camat diimbau menjaga netralitas.", "Warga bergotong royong."] * 4
    labels = [("prohibition",), ("statistic",)] * 4 + [("appeal",), ()] * 4
    pipeline = build_pipeline(config_from_mapping({"model": {"name": "complement_nb"}, "context": {"enabled": False}}, where="test"))
    pipeline.fit(sentences, label_matrix(labels))
    tagger = Tagger(pipeline, result.tagger.labels, [0.5] * 3)
    directory = save_model(tagger, tmp_path / "nb", config={}, metrics={}, data_fingerprint="x", card="nb\n")
    with pytest.raises(ArtifactError, match=rf"{directory}: this model has no pickle-free scoring\.bin .* allow_pickle=True"):
        load_model(directory, allow_pickle=False)
    assert load_model(directory).predict(PROBE[:1]) == [["prohibition"]]
    assert np.array_equal(load_model(directory).predict_proba(PROBE), tagger.predict_proba(PROBE))
    assert (directory / MODEL_FILE).is_file()
