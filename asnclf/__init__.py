"""asnclf: tag sentences of Indonesian regional news about civil-servant election neutrality.

Public API::

    import asnclf
    model = asnclf.load_model()              # the model shipped with the package
    model.predict(["ASN dilarang ikut kampanye."])
    model.tag_article(text)                  # sentences with offsets, tags, scores

    config = asnclf.load_config("configs/default.toml")
    result = asnclf.train(config)            # cross-validate, fit, save the artifact
"""

from __future__ import annotations

__version__ = "0.1.0"

from asnclf.model.artifact import VersionMismatchWarning, load_model, save_model
from asnclf.errors import AsnclfError, ArtifactError, ConfigError, DataError, InputError
from asnclf.labels import TAGS
from asnclf.text.segment import Segmenter, Sentence, segment, segment_with_report
from asnclf.model.tagger import Tagger

# Training pulls in pydantic, datasets and matplotlib; resolve those names on
# first use so that loading a model and scoring stay fast to start.
_TRAINING_EXPORTS = {"load_config": "asnclf.training.config", "TrainConfig": "asnclf.training.config", "train": "asnclf.training.train",
                     "build_pipeline": "asnclf.training.evaluate"}


def __getattr__(name: str):
    if name in _TRAINING_EXPORTS:
        import importlib

        return getattr(importlib.import_module(_TRAINING_EXPORTS[name]), name)
    raise AttributeError(f"module 'asnclf' has no attribute {name!r}")


__all__ = [
    "TAGS",
    "ArtifactError",
    "AsnclfError",
    "ConfigError",
    "DataError",
    "InputError",
    "Segmenter",
    "Sentence",
    "Tagger",
    "TrainConfig",
    "VersionMismatchWarning",
    "build_pipeline",
    "load_config",
    "load_model",
    "save_model",
    "segment",
    "segment_with_report",
    "train",
]
