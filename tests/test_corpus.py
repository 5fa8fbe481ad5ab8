import json
import shutil

import pytest

from asnclf.training.config import load_config
from asnclf.data.corpus import align_annotations, read_annotations, read_raw_articles
from asnclf.data.dataset import build_labeled_sentences, save_dataset
from asnclf.errors import DataError
from asnclf.data.labeled import read_labeled_jsonl
from asnclf.text.segment import Segmenter


@pytest.fixture
def corpus(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a1.txt").write_text("Judul Berita\nASN dilarang kampanye. Harga cabai naik.\nJudul Berita\n", encoding="utf-8")
    rows = [
        {"article": "a1", "sentence": "Judul Berita", "labels": [], "source": "seed"},
        {"article": "a1", "sentence": "ASN dilarang kampanye.", "labels": ["prohibition"], "source": "seed"},
        {"article": "a1", "sentence": "Harga cabai naik.", "labels": [], "source": "seed"},
    ]
    annotations = tmp_path / "ann.jsonl"

    def write(rows):
        annotations.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return read_raw_articles([raw]), read_annotations([annotations])

    return write, rows


def test_aligned_sentences_keep_order_and_count_a_repeated_sentence_once(corpus):
    write, rows = corpus
    labeled = align_annotations(*write(rows), Segmenter())
    assert [s.sentence for s in labeled] == ["Judul Berita", "ASN dilarang kampanye.", "Harga cabai naik."]
    assert labeled[1].labels == ("prohibition",) and labeled[1].article == "a1" and labeled[1].source == "seed"


def test_every_alignment_problem_is_listed_at_once(corpus):
    write, rows = corpus
    broken = [rows[0], rows[0], {**rows[1], "sentence": "ASN dilarang kampanye"},
              {"article": "zz", "sentence": "x", "labels": [], "source": "seed"}]
    with pytest.raises(DataError) as caught:
        align_annotations(*write(broken), Segmenter())
    message = str(caught.value)
    assert message.startswith("5 annotation problem(s):")
    assert "ann.jsonl:2: sentence annotated twice (first at" in message
    assert "a1.txt: sentence 2 has no annotation: 'ASN dilarang kampanye.'" in message
    assert "a1.txt: sentence 3 has no annotation: 'Harga cabai naik.'" in message
    assert "ann.jsonl:3: annotation matches no sentence of article 'a1': 'ASN dilarang kampanye'" in message
    assert "ann.jsonl:4: annotation names article 'zz', which has no raw text file" in message


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"article": "a1", "sentence": "x", "labels": ["rumour"], "source": "seed"}, r"ann\.jsonl:1: unknown label 'rumour'; valid labels are prohibition, appeal, statistic"),
        ({"article": "a1", "sentence": "x", "labels": "appeal", "source": "seed"}, r"ann\.jsonl:1: 'labels' must be a list"),
        ({"article": "a1", "sentence": "x", "labels": [], "source": "web"}, r"ann\.jsonl:1: 'source' must be one of seed, authored, found 'web'"),
        ({"article": "a1", "sentence": "", "labels": []}, r"ann\.jsonl:1: 'sentence' must be a non-empty string"),
    ],
)
def test_bad_annotation_records_are_named_by_file_and_line(corpus, row, message):
    write, _ = corpus
    with pytest.raises(DataError, match=message):
        write([row])


def test_labeled_jsonl_reader_reports_bad_json_with_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"sentence": "a", "labels": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"x\.jsonl:2: not valid JSON"):
        read_labeled_jsonl(path)


def test_labeled_jsonl_defaults_article_and_orders_labels(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"sentence": "a", "labels": ["statistic", "prohibition", "statistic"]}\n', encoding="utf-8")
    (record,) = read_labeled_jsonl(path)
    assert record.labels == ("prohibition", "statistic") and record.article == "x:1"


def test_build_data_twice_gives_identical_files(tiny_config_path, tmp_path):
    config = load_config(tiny_config_path)
    sentences = build_labeled_sentences(config.data, config.segmenter)
    first = save_dataset(sentences, tmp_path / "one")
    second = save_dataset(sentences, tmp_path / "two")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert any(str(f).endswith(".arrow") for f in files)
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_saved_dataset_has_class_label_sequence(tiny_config_path, tmp_path):
    import datasets

    config = load_config(tiny_config_path)
    out = save_dataset(build_labeled_sentences(config.data, config.segmenter), tmp_path / "d")
    loaded = datasets.load_from_disk(str(out / "hf"))
    assert loaded.features["labels"].feature.names == ["prohibition", "appeal", "statistic"]
    row = next(r for r in loaded if "dilarang" in r["sentence"])
    assert row["labels"] == [0]
    shutil.rmtree(out)
