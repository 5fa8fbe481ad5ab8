"""A tiny saved model and input builders shared by the ``asnclf score`` tests.

The model is fitted on inline template sentences (nothing from data/), with
the same kind of pipeline as the default config, and saved as an artifact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asnclf.labels import TAGS

TRAINING: list[tuple[str, list[str]]] = [
    ("ASN dilarang ikut kampanye pasangan calon di {place}.", ["prohibition"]),
    ("Pegawai tidak boleh memasang foto bersama calon bupati {place}.", ["prohibition"]),
    ("Bupati {place} meminta seluruh ASN menjaga netralitas.", ["appeal"]),
    ("Camat dan lurah diimbau tetap netral selama pilkada di {place}.", ["appeal"]),
    ("Bawaslu {place} mencatat {n} ASN dilaporkan melanggar netralitas.", ["statistic"]),
    ("Sebanyak {n} pegawai di {place} terbukti tidak netral.", ["statistic"]),
    ("Harga beras di pasar {place} naik menjadi Rp14.000 per kilogram.", []),
    ("Warga {place} bergotong royong membersihkan saluran air.", []),
    ("Apel pagi digelar di halaman kantor bupati {place}.", []),
]
PLACES = ["Banyuasin", "Kendari", "Sleman", "Palu", "Garut", "Ambon"]

# Articles the tiny model tags as their sentences say.
ARTICLE = (
    "Netralitas ASN di Garut\n\n"
    "Bupati Garut meminta seluruh ASN menjaga netralitas. ASN dilarang ikut kampanye pasangan calon di Garut.\n\n"
    "Bawaslu Garut mencatat 12 ASN dilaporkan melanggar netralitas.\n"
    "Harga beras di pasar Garut naik menjadi Rp14.000 per kilogram.\n"
)


def build_tiny_model(directory: Path) -> Path:
    """Fit and save a tiny word + cue + number model at ``directory``."""
    from asnclf.model.artifact import save_model
    from asnclf.training.config import config_from_mapping
    from asnclf.training.evaluate import build_pipeline
    from asnclf.data.labeled import label_matrix
    from asnclf.model.tagger import Tagger

    sentences, labels = [], []
    for k, place in enumerate(PLACES):
        for template, tags in TRAINING:
            sentences.append(template.format(place=place, n=3 + 5 * k))
            labels.append(tuple(tags))
    config = config_from_mapping({"model": {"C": 10.0}, "features": {"word": {"max_features": 5000}},
                                  "context": {"enabled": False}}, where="test")
    pipeline = build_pipeline(config).fit(sentences, label_matrix(labels))
    tagger = Tagger(pipeline, TAGS, [0.5, 0.5, 0.5])
    return save_model(tagger, directory, config={}, metrics={}, data_fingerprint="tiny", card="tiny test model\n")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("score-model") / "model")


def articles(count: int) -> list[str]:
    """``count`` distinct articles of a few sentences each."""
    out = []
    for k in range(count):
        place = PLACES[k % len(PLACES)]
        out.append(
            f"Berita {k} dari {place}\n\n"
            f"Bupati {place} meminta seluruh ASN menjaga netralitas. Bawaslu {place} mencatat {k} ASN dilaporkan melanggar netralitas.\n"
            f"Warga {place} bergotong royong membersihkan saluran air."
        )
    return out


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"a{k}", "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(texts)),
                    encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_tiny_model_tags_what_its_sentences_say(tiny_model):
    from asnclf.model.artifact import load_model

    tagged = load_model(tiny_model).tag_article(ARTICLE)
    labels = {s["text"]: s["labels"] for s in tagged}
    assert labels["Bupati Garut meminta seluruh ASN menjaga netralitas."] == ["appeal"]
    assert labels["ASN dilarang ikut kampanye pasangan calon di Garut."] == ["prohibition"]
    assert labels["Bawaslu Garut mencatat 12 ASN dilaporkan melanggar netralitas."] == ["statistic"]
    assert labels["Harga beras di pasar Garut naik menjadi Rp14.000 per kilogram."] == []


def test_the_score_command_keeps_blas_to_one_thread_per_process():
    """One job is one core: the command's processes cap numpy's BLAS at one thread."""
    import subprocess
    import sys

    code = ("import numpy, threadpoolctl; from asnclf.batch.run import one_math_thread; one_math_thread(); "
            "print(sorted({pool['num_threads'] for pool in threadpoolctl.threadpool_info()}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[1]"
