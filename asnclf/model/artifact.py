"""A saved model: a directory with fixed file names, a manifest that vouches for it, and a model card.

The artifact is sealed: the manifest lists the SHA-256 of every other file
(``files``) and carries a digest over all its own fields (``seal_sha256``).
Loading checks the seal, every file's hash, and that no file was added,
before reading anything else, so a changed threshold, card or metric is
refused like a changed model. joblib files run code when loaded, so the
pipeline is unpickled only when it is asked for (scoring, predict and tags
use the pickle-free ``scoring.bin`` when there is one), and
``load_model(..., allow_pickle=False)`` never unpickles. The seal catches
corruption and tampering after saving, not a malicious author: load only
artifacts you trust.
"""

from __future__ import annotations

import hashlib
import json
import platform
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from asnclf.atomic import staged_directory
from asnclf.errors import ArtifactError
from asnclf.features.probe import feature_fingerprint
from asnclf.features.registry import check_known_blocks, union_block_names
from asnclf.model.tagger import Tagger

MODEL_FILE = "model.joblib"
SCORING_FILE = "scoring.bin"  # the scikit-learn-free form of a linear model (asnclf.model.linear_scorer)
MANIFEST_FILE = "manifest.json"
CARD_FILE = "README.md"
METRICS_FILE = "metrics.json"
FORMAT = "asnclf-model/2"  # /1 had no seal (files, seal_sha256)
SEAL_FIELD = "seal_sha256"


class VersionMismatchWarning(UserWarning):
    """The artifact was written with other library versions than are installed."""


def save_model(
    tagger: Tagger,
    directory: str | Path,
    *,
    config: dict,
    metrics: dict,
    data_fingerprint: str,
    card: str,
    extra_files: dict[str, bytes] | None = None,
) -> Path:
    """Write the artifact atomically: a complete new directory replaces the old one, or nothing changes."""
    from asnclf import __version__

    import joblib

    from asnclf.model.linear_scorer import LinearScorer

    directory = Path(directory)
    with staged_directory(directory) as staging:
        joblib.dump(_without_process_state(tagger.pipeline), staging / MODEL_FILE)
        scorer = LinearScorer.from_pipeline(tagger.pipeline)
        if scorer is not None:
            scorer.save(staging / SCORING_FILE)
        _write_json(staging / METRICS_FILE, metrics)
        (staging / CARD_FILE).write_text(card, encoding="utf-8")
        for name, content in (extra_files or {}).items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        blocks = _feature_blocks(tagger.pipeline)
        manifest = {
            "format": FORMAT,
            "labels": list(tagger.labels),
            "thresholds": tagger.thresholds,
            **({"context": tagger.context.to_json()} if tagger.context is not None else {}),
            "segmenter": tagger.segmenter_settings,
            "config": config,
            "metrics": metrics,
            "training_data_sha256": data_fingerprint,
            "feature_behaviour_sha256": feature_fingerprint(),
            **({"feature_blocks": blocks} if blocks else {}),
            "model_sha256": file_sha256(staging / MODEL_FILE),
            **({"scoring_sha256": file_sha256(staging / SCORING_FILE)} if scorer is not None else {}),
            "versions": installed_versions(__version__),
            "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "files": {name: file_sha256(staging / name) for name in artifact_files(staging)},
        }
        manifest[SEAL_FIELD] = seal_digest(manifest)
        _write_json(staging / MANIFEST_FILE, manifest)
    return directory


def _feature_blocks(pipeline) -> dict[str, str]:
    """The versioned names of the pipeline's feature blocks (see :mod:`asnclf.features.registry`), when it has a union."""
    from sklearn.pipeline import FeatureUnion

    union = pipeline.steps[0][1] if hasattr(pipeline, "steps") else None
    return union_block_names(union) if isinstance(union, FeatureUnion) else {}


def artifact_files(directory: Path) -> list[str]:
    """Every file of an artifact but the manifest, as sorted POSIX paths relative to ``directory``.

    Hidden files (a copy tool's ``.DS_Store``) are not part of it.
    """
    return sorted(
        path.relative_to(directory).as_posix() for path in directory.rglob("*")
        if path.is_file() and path.name != MANIFEST_FILE and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def seal_digest(manifest: dict) -> str:
    """SHA-256 over every field of ``manifest`` but the seal itself, as canonical JSON."""
    fields = {key: value for key, value in manifest.items() if key != SEAL_FIELD}
    text = json.dumps(fields, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def verify_seal(directory: Path, manifest: dict) -> None:
    """Check the manifest's own digest, every listed file's SHA-256, and that no file was added or removed.

    Raises :class:`ArtifactError` naming the first file that differs from what was saved.
    """
    path = directory / MANIFEST_FILE
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get(SEAL_FIELD), str):
        raise ArtifactError(f"{path}: 'files' and '{SEAL_FIELD}' are required (the artifact is not sealed)")
    if seal_digest(manifest) != manifest[SEAL_FIELD]:
        raise ArtifactError(
            f"{path}: the manifest was changed after saving (its fields no longer match '{SEAL_FIELD}'); retrain or restore it"
        )
    for name, expected in files.items():
        file = directory / name
        if not file.is_file():
            raise ArtifactError(f"{file}: file missing (the manifest lists it; was the copy incomplete?)")
        _check_hash(file, expected)
    added = sorted(set(artifact_files(directory)) - set(files))
    if added:
        raise ArtifactError(f"{directory / added[0]}: not part of the saved artifact (the manifest does not list it); remove it")


def _without_process_state(pipeline):
    """A copy of the pipeline without caches that differ per process, so equal models pickle to equal bytes.

    A scikit-learn text vectorizer, once it has built its analyzer, remembers
    the memory address of its ``stop_words`` to skip a repeated check. In the
    copy each vectorizer is a fresh clone given only the fitted one's public
    learned state (``vocabulary_``, ``fixed_vocabulary_`` and ``idf_``): it
    transforms alike and remembers no address. A TF-IDF vectorizer without
    idf has no public way to receive its state and is kept as it is.
    """
    import copy

    from sklearn.base import clone
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    saved = copy.deepcopy(pipeline)
    for name, vectorizer in saved.get_params(deep=True).items():
        if not isinstance(vectorizer, CountVectorizer) or not hasattr(vectorizer, "vocabulary_"):
            continue
        if isinstance(vectorizer, TfidfVectorizer) and not vectorizer.use_idf:
            continue
        fresh = clone(vectorizer)
        fresh.vocabulary_ = vectorizer.vocabulary_
        fresh.fixed_vocabulary_ = vectorizer.fixed_vocabulary_
        if isinstance(vectorizer, TfidfVectorizer):
            fresh.idf_ = vectorizer.idf_
        saved.set_params(**{name: fresh})
    return saved


def load_model(path: str | Path | None = None, *, allow_pickle: bool = True) -> Tagger:
    """Load a saved model directory (default: the model shipped inside the package).

    Scoring, :meth:`Tagger.predict` and tagging never unpickle ``model.joblib``
    when the artifact has a ``scoring.bin``; the pickle is loaded only when
    ``tagger.pipeline`` is used. With ``allow_pickle=False`` it is never
    loaded: a model without ``scoring.bin`` is refused here, and
    ``tagger.pipeline`` raises :class:`ArtifactError`.

    Raises :class:`ArtifactError` when a file is missing, added or changed
    (the manifest included: see :func:`verify_seal`), or the manifest is
    malformed. Warns once (:class:`VersionMismatchWarning`) when
    scikit-learn, numpy or asnclf differ from the versions that wrote it.

    >>> tagger = load_model(allow_pickle=False)  # doctest: +SKIP
    """
    directory = Path(path) if path is not None else default_model_dir()
    manifest = read_manifest(directory)
    model_path = directory / MODEL_FILE
    if not model_path.is_file():
        raise ArtifactError(f"{model_path}: model file missing (the manifest is there; was the copy incomplete?)")
    verify_seal(directory, manifest)
    if manifest["files"].get(MODEL_FILE) != manifest["model_sha256"]:
        raise ArtifactError(f"{directory / MANIFEST_FILE}: 'model_sha256' differs from the hash of {MODEL_FILE} in 'files'")
    _warn_on_version_mismatch(directory, manifest["versions"])
    check_known_blocks(str(directory / MANIFEST_FILE), manifest.get("feature_blocks", {}))
    scorer = None
    if "scoring_sha256" in manifest:
        scoring_path = directory / SCORING_FILE
        if not scoring_path.is_file():
            raise ArtifactError(f"{scoring_path}: scoring file missing (the manifest names it; was the copy incomplete?)")
        _check_hash(scoring_path, manifest["scoring_sha256"])
        from asnclf.model.linear_scorer import LinearScorer

        try:
            scorer = LinearScorer.load(scoring_path)
        except Exception as exc:  # the hash matched, so this is a file from another asnclf version
            raise ArtifactError(f"{scoring_path}: cannot be loaded ({type(exc).__name__}: {exc})") from None
    context = None
    if "context" in manifest:
        from asnclf.model.context import ContextStage

        try:
            context = ContextStage.from_json(manifest["context"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ArtifactError(f"{directory / MANIFEST_FILE}: 'context' is malformed ({exc})") from None
        if context.n_tags != len(manifest["labels"]):
            raise ArtifactError(f"{directory / MANIFEST_FILE}: 'context' has {context.n_tags} tags but 'labels' has {len(manifest['labels'])}")
    if scorer is None and not allow_pickle:
        raise ArtifactError(
            f"{directory}: this model has no pickle-free {SCORING_FILE} (a character n-gram or naive Bayes model), "
            f"so using it means unpickling {MODEL_FILE}; load it with allow_pickle=True if you trust it"
        )
    loader = PipelineLoader(model_path, allow_pickle=allow_pickle)
    return Tagger(
        None if scorer is not None else loader(),  # without a scoring form, a damaged pickle should fail now
        manifest["labels"],
        [manifest["thresholds"][label] for label in manifest["labels"]],
        segmenter_settings=manifest.get("segmenter", {}),
        manifest=manifest,
        scorer=scorer,
        load_pipeline=loader,
        context=context,
    )


class PipelineLoader:
    """Unpickles ``model.joblib`` when first asked: scoring through a scoring form never needs scikit-learn."""

    def __init__(self, model_path: Path, *, allow_pickle: bool = True) -> None:
        self.model_path = model_path
        self.allow_pickle = allow_pickle

    def __call__(self):
        if not self.allow_pickle:
            raise ArtifactError(
                f"{self.model_path}: the scikit-learn pipeline is needed here (explain, or tagger.pipeline) and it is a pickle; "
                "the model was loaded with allow_pickle=False"
            )
        import joblib
        import sklearn.exceptions

        with warnings.catch_warnings():
            # The one version warning of load_model replaces scikit-learn's per-estimator ones.
            warnings.simplefilter("ignore", category=getattr(sklearn.exceptions, "InconsistentVersionWarning", UserWarning))
            try:
                return joblib.load(self.model_path)
            except Exception as exc:  # unpickling fails in many ways for a damaged file
                raise ArtifactError(f"{self.model_path}: cannot be loaded ({type(exc).__name__}: {exc})") from None


def _check_hash(path: Path, expected: str) -> None:
    actual = file_sha256(path)
    if actual != expected:
        raise ArtifactError(
            f"{path}: SHA-256 {actual[:12]}… does not match the manifest's {expected[:12]}…; "
            "the file was changed or truncated after saving; retrain or restore it"
        )


def read_manifest(directory: Path) -> dict:
    """Read and check ``manifest.json``: format, labels, thresholds and hash present and well-formed."""
    path = directory / MANIFEST_FILE
    if not directory.is_dir():
        raise ArtifactError(f"{directory}: model directory not found (train one with: python train.py --config configs/default.toml)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArtifactError(f"{path}: manifest missing; {directory} is not an asnclf model directory") from None
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{path}: manifest is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        if found == "asnclf-model/1":
            raise ArtifactError(f"{path}: format 'asnclf-model/1' is not sealed (its files cannot be verified); retrain the model")
        raise ArtifactError(f"{path}: format {found!r} is not {FORMAT!r}")
    labels = manifest.get("labels")
    thresholds = manifest.get("thresholds")
    if not isinstance(labels, list) or not labels or not all(isinstance(label, str) for label in labels):
        raise ArtifactError(f"{path}: 'labels' must be a non-empty list of tag names")
    if not isinstance(thresholds, dict) or set(thresholds) != set(labels):
        raise ArtifactError(f"{path}: 'thresholds' must give one number for each of {', '.join(labels)}")
    if not all(isinstance(value, (int, float)) and 0 < value < 1 for value in thresholds.values()):
        raise ArtifactError(f"{path}: thresholds must be numbers between 0 and 1, found {thresholds}")
    if not isinstance(manifest.get("model_sha256"), str) or not isinstance(manifest.get("versions"), dict):
        raise ArtifactError(f"{path}: 'model_sha256' and 'versions' are required")
    return manifest


def default_model_dir() -> Path:
    """The model shipped inside the package (``asnclf/default_model``)."""
    return Path(__file__).resolve().parents[1] / "default_model"


def installed_versions(asnclf_version: str) -> dict[str, str]:
    from importlib.metadata import version  # read from the installed metadata: importing scikit-learn takes a second

    return {
        "python": platform.python_version(),
        "scikit-learn": version("scikit-learn"),
        "numpy": np.__version__,
        "joblib": version("joblib"),
        "asnclf": asnclf_version,
    }


def _warn_on_version_mismatch(directory: Path, saved: dict) -> None:
    from asnclf import __version__

    current = installed_versions(__version__)
    differing = [
        f"{name} {saved.get(name)} (saved) vs {current[name]} (installed)"
        for name in ("scikit-learn", "numpy", "asnclf")
        if saved.get(name) != current[name]
    ]
    if differing:
        warnings.warn(
            f"{directory}: model was saved with other versions: {'; '.join(differing)}; "
            "predictions may differ, retrain to be sure",
            VersionMismatchWarning,
            stacklevel=3,
        )


# The modules whose code decides what a sentence's features are: a change to
# any of them makes a saved model stale even with the same data and config.
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
