"""Tiny inline corpora and a tiny trained model, shared by the tests.

The sentences are built from templates: every neutrality article has each
tag, and every other article is general news (metadata topic ``other:...``)
whose sentences, look-alikes included, are untagged. Nothing here depends on
the project's real data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asnclf.text.segment import segment

PLACES = ["Banyuasin", "Muara Enim", "Kendari", "Sumba Barat", "Sleman", "Pontianak", "Ambon", "Jayapura", "Palu", "Garut"]
OFFICIALS = ["Budi", "Sari", "Andi", "Rina", "Yusuf", "Dewi", "Fajar", "Lina", "Hadi", "Maya"]

TEMPLATES: list[tuple[str, list[str]]] = [
    ("Pj Bupati {name} meminta ASN agar tidak ikut kampanye pasangan calon.", ["prohibition", "appeal"]),
    ("ASN di {place} dilarang memasang foto bersama calon kepala daerah.", ["prohibition"]),
    ("Sebanyak {n} ASN di {place} dilaporkan melanggar netralitas.", ["statistic"]),
    ("Camat dan lurah diimbau menjaga netralitas selama pilkada.", ["appeal"]),
    ("Harga beras di pasar {place} naik menjadi Rp14.000 per kilogram.", []),
    ("Warga {place} diimbau waspada banjir saat hujan deras.", []),
    ("Apel digelar di halaman kantor bupati {place} pada Senin pagi.", []),
]

GENERAL_TEMPLATES: list[str] = [
    "Banjir Rendam {n} Rumah di {place}",
    "Kepala BPBD {name} meminta warga {place} tidak mendekati sungai selama hujan deras.",
    "Sebanyak {n} warga mengungsi ke balai desa sejak Minggu malam.",
    "Warga dilarang membuang sampah ke saluran air.",
    "Petugas membagikan makanan siap saji di posko pengungsian.",
    "Harga cabai di pasar {place} turun menjadi Rp30.000 per kilogram.",
]


def write_tiny_corpus(root: Path, articles: int = 16) -> Path:
    """Raw articles, annotations and a fast config under ``root``; returns the config path."""
    raw = root / "data" / "raw" / "authored"
    raw.mkdir(parents=True)
    annotations = root / "data" / "annotations"
    annotations.mkdir(parents=True)
    lines = []
    metadata = []
    for k in range(articles):
        sentences = []
        labels_of = {}
        general = k % 2 == 1
        templates = [(template, []) for template in GENERAL_TEMPLATES] if general else TEMPLATES
        for t, (template, labels) in enumerate(templates):
            text = template.format(name=OFFICIALS[k % 10], place=PLACES[(k + t) % 10], n=3 + 7 * k + t)
            sentences.append(text)
            labels_of[text] = labels
        article_id = f"t{k:02d}"
        title = sentences.pop(0) if general else f"Netralitas ASN di {PLACES[k % 10]}"
        body = f"{title}\n" + " ".join(sentences) + "\nBACA JUGA: Berita lain\n"
        (raw / f"{article_id}.txt").write_text(body, encoding="utf-8")
        metadata.append(json.dumps({"id": article_id, "file": f"{article_id}.txt",
                                    "topic": "other:disaster-weather" if general else "neutrality", "source": "authored"}))
        for position, sentence in enumerate(segment(body), start=1):
            lines.append(json.dumps({
                "id": f"{article_id}-{position:02d}", "article": article_id, "sentence": sentence.text,
                "labels": labels_of.get(sentence.text, []), "source": "authored",
            }, ensure_ascii=False))
    (raw / "metadata.jsonl").write_text("\n".join(metadata) + "\n", encoding="utf-8")
    (annotations / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = root / "tiny.toml"
    config.write_text(
        f"""
name = "tiny"
seed = 3
[data]
raw_dirs = ["{raw.as_posix()}"]
annotations = ["{annotations.as_posix()}"]
train_sources = ["authored"]
built_dir = "{(root / 'built').as_posix()}"
[model]
name = "logistic_regression"
C = 2.0
[evaluation]
folds = 2
repeats = 2
inner_folds = 2
learning_curve = [0.5, 1.0]
plots = true
general_news_holdout = 1
[output]
dir = "{(root / 'model').as_posix()}"
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="session")
def tiny_config_path(tmp_path_factory) -> Path:
    return write_tiny_corpus(tmp_path_factory.mktemp("tiny"))


@pytest.fixture
def model_copy(tiny_trained, tmp_path) -> Path:
    """A copy of the tiny trained model's folder, for tests that change or damage it."""
    import shutil

    result, _ = tiny_trained
    target = tmp_path / "model"
    shutil.copytree(result.output_dir, target)
    return target


@pytest.fixture(scope="session")
def tiny_trained(tiny_config_path):
    """A model trained once on the tiny corpus: (TrainResult, config)."""
    from asnclf.training.config import load_config
    from asnclf.training.train import train

    config = load_config(tiny_config_path)
    return train(config), config
