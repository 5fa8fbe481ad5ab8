"""``asnclf score``: every input kind, every bad-record kind, every output format, and the summary."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from asnclf.cli.main import main
from test_score_support import ARTICLE, articles, read_jsonl, tiny_model, write_jsonl  # noqa: F401

TAGGED = {
    "Bupati Garut meminta seluruh ASN menjaga netralitas.": ["appeal"],
    "ASN dilarang ikut kampanye pasangan calon di Garut.": ["prohibition"],
    "Bawaslu Garut mencatat 12 ASN dilaporkan melanggar netralitas.": ["statistic"],
}


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def score(*argv) -> int:
    return main(["score", *map(str, argv)])


def test_txt_file_gives_one_record_with_offsets_labels_scores_and_counts(tiny_model, tmp_path, capsys):
    source = tmp_path / "garut.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert score(source, "--model", tiny_model, "--output", out) == 0
    [record] = read_jsonl(out)
    assert set(record) == {"id", "source", "sentences", "counts"}
    assert record["id"] == "garut.txt" and record["source"] == str(source)
    for sentence in record["sentences"]:
        assert ARTICLE[sentence["start"]:sentence["end"]] == sentence["text"]
        assert set(sentence["scores"]) == {"prohibition", "appeal", "statistic"}
        assert sentence["labels"] == TAGGED.get(sentence["text"], [])
    assert record["counts"] == {"prohibition": 1, "appeal": 1, "statistic": 1}
    err = capsys.readouterr().err
    assert "1 articles, 5 sentences scored" in err
    assert "tagged sentences: prohibition 1, appeal 1, statistic 1" in err
    assert "skipped 0 records" in err
    assert (tmp_path / "out.jsonl.skipped.jsonl").read_text() == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garut.txt", "out.jsonl", "out.jsonl.skipped.jsonl"]


def test_folder_is_read_recursively_in_sorted_order_txt_only(tiny_model, tmp_path):
    folder = tmp_path / "in"
    (folder / "b" / "c").mkdir(parents=True)
    for name in ["b/c/z.txt", "a.txt", "b/y.txt", "B2.txt"]:
        (folder / name).write_text(f"{name}: Bupati Garut meminta seluruh ASN menjaga netralitas.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert score(folder, "--model", tiny_model, "-o", out) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["B2.txt", "a.txt", "b/c/z.txt", "b/y.txt"]
    assert read_jsonl(out)[2]["source"] == str(folder / "b" / "c" / "z.txt")


def test_jsonl_csv_and_parquet_with_fields_and_default_ids(tiny_model, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = articles(3)
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"body": texts[0], "key": "x1"}) + "\n\n" + json.dumps({"body": texts[1]}) + "\n", encoding="utf-8"
    )
    with open(tmp_path / "b.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "body"])
        writer.writerow(["", texts[2]])
        writer.writerow(["c2", "Bupati Garut meminta seluruh ASN menjaga netralitas,\nkata dia."])
    pq.write_table(pa.table({"body": [texts[0], texts[1]], "key": [7, None]}), tmp_path / "c.parquet")
    out = tmp_path / "out.jsonl"
    inputs = [tmp_path / "a.jsonl", tmp_path / "b.csv", tmp_path / "c.parquet"]
    assert score(*inputs, "--model", tiny_model, "-o", out, "--text-field", "body", "--id-field", "key") == 0
    records = read_jsonl(out)
    assert [(r["id"], r["source"]) for r in records] == [
        ("x1", f"{inputs[0]}:1"), ("a.jsonl:3", f"{inputs[0]}:3"),
        ("b.csv:1", f"{inputs[1]}:1"), ("c2", f"{inputs[1]}:2"),
        ("7", f"{inputs[2]}:1"), ("c.parquet:2", f"{inputs[2]}:2"),
    ]
    assert records[0]["sentences"] == records[4]["sentences"]


def test_stdin_plain_text_and_jsonl(tiny_model, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    assert score("-", "--model", tiny_model, "-o", out) == 0
    [record] = read_jsonl(out)
    assert (record["id"], record["source"]) == ("stdin", "<stdin>")
    assert record["counts"] == {"prohibition": 1, "appeal": 1, "statistic": 1}

    lines = json.dumps({"text": ARTICLE, "id": "s1"}) + "\n" + json.dumps({"text": ARTICLE}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8"))))
    assert score("-", "--stdin-format", "jsonl", "--model", tiny_model, "-o", out, "--force") == 0
    assert [(r["id"], r["source"]) for r in read_jsonl(out)] == [("s1", "<stdin>:1"), ("stdin:2", "<stdin>:2")]


def write_bad_inputs(folder: Path) -> list[Path]:
    """One file of each input kind with good records and every kind of bad record; 16 records, 4 good."""
    folder.mkdir()
    good = json.dumps({"id": "good1", "text": ARTICLE})
    (folder / "mixed.jsonl").write_bytes(b"\n".join([
        good.encode(),
        b'{"id": "broken", "text": ',
        b'["a", "list"]',
        b'{"id": "notext"}',
        b'{"id": "null", "text": null}',
        b'{"id": "number", "text": 42}',
        '{"id": "latin1", "text": "caf\u00e9"}'.encode("latin-1"),
        b'{"id": "blank", "text": "   "}',
        json.dumps({"id": "good2", "text": ARTICLE}).encode(),
    ]) + b"\n")
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("\n  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes("Bupati meminta ASN netral, caf\u00e9.".encode("latin-1"))
    (folder / "rows.csv").write_bytes(
        b"id,text\nr1," + ARTICLE.split("\n\n")[1].encode() + b"\nr2,\nr3,caf\xe9 netral\n"
    )
    return [folder / "mixed.jsonl", folder / "good.txt", folder / "empty.txt", folder / "binary.txt",
            folder / "latin1.txt", folder / "rows.csv"]


def test_every_bad_record_is_reported_with_file_and_line_counted_and_skipped(tiny_model, tmp_path, capsys):
    inputs = write_bad_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    assert score(*inputs, "--model", tiny_model, "-o", out) == 0
    records = read_jsonl(out)
    skipped = read_jsonl(tmp_path / "out.jsonl.skipped.jsonl")
    assert [r["id"] for r in records] == ["good1", "good2", "good.txt", "r1"]
    mixed, rows = inputs[0], inputs[5]
    assert [(s["source"], s["reason"]) for s in skipped] == [
        (f"{mixed}:2", "bad_json"),
        (f"{mixed}:3", "not_an_object"),
        (f"{mixed}:4", "missing_text"),
        (f"{mixed}:5", "null_text"),
        (f"{mixed}:6", "non_string_text"),
        (f"{mixed}:7", "undecodable"),
        (f"{mixed}:8", "empty_text"),
        (str(inputs[2]), "empty_text"),
        (str(inputs[3]), "binary_file"),
        (str(inputs[4]), "undecodable"),
        (f"{rows}:2", "empty_text"),
        (f"{rows}:3", "undecodable"),
    ]
    # Every record is in exactly one place: positions of output and skip report cover 0..15 once.
    assert sorted(s["position"] for s in skipped) == sorted(set(range(16)) - {0, 8, 9, 13})
    err = capsys.readouterr().err
    assert f"skipped {mixed}:2: bad json" in err
    assert "4 articles, " in err
    assert ("skipped 12 records (bad json 1, binary file 1, empty text 3, missing text 1, non string text 1, "
            "not an object 1, null text 1, undecodable 3)") in err


def test_binary_jsonl_file_is_one_skipped_record(tiny_model, tmp_path):
    (tmp_path / "blob.jsonl").write_bytes(b"\x00\x01\x02garbage\n\x00more\n")
    out = tmp_path / "out.jsonl"
    assert score(tmp_path / "blob.jsonl", "--model", tiny_model, "-o", out) == 0
    assert read_jsonl(out) == []
    assert [s["reason"] for s in read_jsonl(tmp_path / "out.jsonl.skipped.jsonl")] == ["binary_file"]


def test_a_lone_surrogate_escape_in_jsonl_is_a_skipped_record(tiny_model, tmp_path):
    # "\\ud83d" alone (half an emoji) decodes to a string that no output can write as UTF-8.
    (tmp_path / "in.jsonl").write_text(
        '{"id": "half", "text": "ASN dilarang ikut kampanye \\ud83d."}\n'
        '{"id": "\\udc80", "text": "ASN dilarang ikut kampanye."}\n'
        + json.dumps({"id": "whole", "text": "ASN dilarang ikut kampanye \U0001f600."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert score(tmp_path / "in.jsonl", "--model", tiny_model, "-o", out) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["whole"]
    skipped = read_jsonl(tmp_path / "out.jsonl.skipped.jsonl")
    assert [(s["source"].rsplit(":", 1)[1], s["reason"]) for s in skipped] == [("1", "undecodable"), ("2", "undecodable")]


def test_on_error_fail_stops_with_status_1_and_leaves_no_output(tiny_model, tmp_path, capsys):
    inputs = write_bad_inputs(tmp_path / "in")
    out = tmp_path / "out" / "result.jsonl"
    assert score(*inputs, "--model", tiny_model, "-o", out, "--on-error", "fail", "--chunk-size", "1") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"asnclf score: error: {inputs[0]}:2: bad json (Expecting value at column 26); stopped because of --on-error fail"]
    assert list((tmp_path / "out").iterdir()) == []


def test_only_tagged_keeps_tagged_sentences_and_counts(tiny_model, tmp_path):
    source = tmp_path / "garut.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert score(source, "--model", tiny_model, "-o", out, "--only-tagged") == 0
    [record] = read_jsonl(out)
    assert {s["text"]: s["labels"] for s in record["sentences"]} == TAGGED
    assert record["counts"] == {"prohibition": 1, "appeal": 1, "statistic": 1}


@pytest.mark.parametrize("only_tagged, long_article", [(False, False), (True, False), (False, True)])
def test_jsonl_text_reads_back_as_the_records_of_score_articles(tiny_model, tmp_path, only_tagged, long_article):
    from asnclf.model.artifact import load_model

    texts = ["BACA JUGA: awal"] + articles(4) + [  # "BACA JUGA" lines are boilerplate: articles without sentences
        'Kata Bupati: "ASN dilarang \\ ikut kampanye," tegasnya.\tTab\u0001 dan é “kutip” 😀.',
        "BACA JUGA: lain",
        "BACA JUGA: lagi",
        ARTICLE,
        "BACA JUGA: akhir",
    ]
    if long_article:  # offsets past 70,000; copies differ, as a repeat counts once
        texts.insert(3, "\n".join(ARTICLE.replace("Garut", f"Garut {i}") for i in range(70_000 // len(ARTICLE) + 1)))
    records = [{"id": f'art "{i}" \\ é', "text": text} for i, text in enumerate(texts)]
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert score(inputs, "--model", tiny_model, "-o", out, *(["--only-tagged"] if only_tagged else [])) == 0
    expected = list(load_model(tiny_model).score_articles(records))
    for record in expected:
        if only_tagged:
            record["sentences"] = [s for s in record["sentences"] if s["labels"]]
    got = read_jsonl(out)
    assert [{k: v for k, v in r.items() if k != "source"} for r in got] == expected
    assert max(s["end"] for r in got for s in r["sentences"]) > (70_000 if long_article else 0)
    assert [len(r["sentences"]) for r in got][:2] == [0, len(expected[1]["sentences"])]
    assert "é" in out.read_text(encoding="utf-8") and "\\u00e9" not in out.read_text(encoding="utf-8")  # as UTF-8, unescaped
    assert [r["source"] for r in got] == [f"{inputs}:{line}" for line in range(1, len(texts) + 1)]


def test_csv_output_has_one_row_per_sentence_and_a_row_for_an_article_without_one(tiny_model, tmp_path):
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"id": "g", "text": ARTICLE}) + "\n" + json.dumps({"id": "boiler", "text": "BACA JUGA: lain"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert score(tmp_path / "in.jsonl", "--model", tiny_model, "-o", out, "--format", "csv") == 0
    rows = read_csv(out)
    assert list(rows[0]) == ["id", "source", "sentence", "start", "end", "text", "labels",
                             "score_prohibition", "score_appeal", "score_statistic"]
    assert [row["id"] for row in rows] == ["g"] * 5 + ["boiler"]
    assert [row["sentence"] for row in rows] == ["0", "1", "2", "3", "4", ""]
    assert {row["text"]: row["labels"] for row in rows if row["labels"]} == {k: v[0] for k, v in TAGGED.items()}
    assert ARTICLE[int(rows[1]["start"]):int(rows[1]["end"])] == rows[1]["text"]

    tagged = tmp_path / "tagged.csv"
    assert score(tmp_path / "in.jsonl", "--model", tiny_model, "-o", tagged, "--format", "csv", "--only-tagged") == 0
    rows = read_csv(tagged)
    assert [(row["id"], row["sentence"]) for row in rows] == [("g", "1"), ("g", "2"), ("g", "3"), ("boiler", "")]


def test_parquet_output_matches_jsonl(tiny_model, tmp_path):
    import pyarrow.parquet as pq

    inputs = write_jsonl(tmp_path / "in.jsonl", articles(5))
    assert score(inputs, "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert score(inputs, "--model", tiny_model, "-o", tmp_path / "out.parquet", "--format", "parquet") == 0
    table = pq.read_table(tmp_path / "out.parquet")
    assert str(table.schema.field("start").type) == "int32" and str(table.schema.field("score_appeal").type) == "double"
    expected = [(r["id"], s["text"], "|".join(s["labels"]), s["scores"]["appeal"])
                for r in read_jsonl(tmp_path / "out.jsonl") for s in r["sentences"]]
    rows = table.to_pylist()
    assert [(row["id"], row["text"], row["labels"], row["score_appeal"]) for row in rows] == expected


def test_html_page_highlights_tagged_sentences_with_legend_counts_and_escaping(tiny_model, tmp_path):
    nasty = "<script>alert('x')</script> & Bupati Garut meminta seluruh ASN menjaga netralitas."
    write_jsonl(tmp_path / "in.jsonl", [ARTICLE, nasty])
    page = tmp_path / "page.html"
    assert score(tmp_path / "in.jsonl", "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--html", page) == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Bupati" in html
    assert 'aria-label="legend"' in html
    assert '<li class="chip k0">prohibition <b>1</b></li>' in html
    assert '<li class="chip k1">appeal <b>2</b></li>' in html
    assert "2 articles · 6 sentences" in html
    for text, tags in TAGGED.items():
        assert f'<mark class="s t{["prohibition", "appeal", "statistic"].index(tags[0])}"' in html
        assert f">{text}</mark>" in html
    assert html.count("<article>") == 2
    assert '<span class="chip k2">statistic <b>1</b></span>' in html  # per-article counts
    assert "http" not in html.replace('name="viewport"', "")  # self-contained


def test_jobs_2_gives_the_same_bytes_as_jobs_1(tiny_model, tmp_path):
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(120))
    (tmp_path / "bad.jsonl").write_text('{"text": 1}\n' + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        assert score(inputs, tmp_path / "bad.jsonl", "--model", tiny_model, "-o", tmp_path / f"out{jobs}.jsonl",
                     "--html", tmp_path / f"page{jobs}.html", "--jobs", jobs, "--chunk-size", "7") == 0
    for name in ("out{}.jsonl", "page{}.html", "out{}.jsonl.skipped.jsonl"):
        assert (tmp_path / name.format(1)).read_bytes() == (tmp_path / name.format(2)).read_bytes()
    assert len(read_jsonl(tmp_path / "out2.jsonl")) == 121


def test_failure_mid_run_leaves_no_partial_file_at_the_final_path(tiny_model, tmp_path, monkeypatch):
    import asnclf.batch.run

    inputs = write_jsonl(tmp_path / "in.jsonl", articles(30))
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")
    calls = []
    real = asnclf.batch.run.score_chunk

    def crash_on_third_chunk(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(*args)

    monkeypatch.setattr(asnclf.batch.run, "score_chunk", crash_on_third_chunk)
    with pytest.raises(RuntimeError, match="disk on fire"):
        score(inputs, "--model", tiny_model, "-o", out, "--chunk-size", "5", "--force")
    assert out.read_text() == "previous complete output\n"
    assert not (tmp_path / "out.jsonl.skipped.jsonl").exists()
    partial = tmp_path / ".out.jsonl.partial"
    assert len(partial.read_text().splitlines()) == 10  # two chunks kept for --resume
    journal = json.loads((tmp_path / ".out.jsonl.journal.json").read_text())
    assert journal["done"] == 10 and journal["state"]["articles"] == 10


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: [d / "missing.txt"], r"missing.txt: no such file or folder"),
        (lambda d: [d / "x.docx"], r"unknown input kind '.docx'"),
        (lambda d: [d / "nocol.csv"], r"no column 'text'; columns: id, body; choose one with --text-field"),
        (lambda d: ["-", "-"], r"standard input \(-\) is named more than once"),
    ],
)
def test_unusable_inputs_are_one_line_and_status_2(tiny_model, tmp_path, capsys, make, message):
    (tmp_path / "x.docx").write_text("x")
    (tmp_path / "nocol.csv").write_text("id,body\n1,a\n")
    assert score(*make(tmp_path), "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("asnclf score: error: ")
    import re

    assert re.search(message, err)
    assert not (tmp_path / "out.jsonl").exists()


def test_score_path_imports_no_scikit_learn_pydantic_datasets_matplotlib_or_tqdm(tiny_model, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    code = (
        "import sys; from asnclf.cli.main import main; "
        f"assert main(['score', {str(tmp_path / 'a.txt')!r}, '--model', {str(tiny_model)!r}, '-o', {str(tmp_path / 'o.jsonl')!r}]) == 0; "
        "heavy = sorted(m for m in ('sklearn', 'joblib', 'pydantic', 'datasets', 'matplotlib', 'tqdm') if m in sys.modules); "
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_score_articles_is_lazy_and_takes_strings_or_mappings(tiny_model):
    from asnclf.model.artifact import load_model
    from asnclf.errors import InputError

    tagger = load_model(tiny_model)
    pulled = []

    def source():
        for k, item in enumerate(["ASN dilarang ikut kampanye pasangan calon di Garut.", {"text": ARTICLE, "id": "g"}] * 3):
            pulled.append(k)
            yield item

    records = tagger.score_articles(source(), batch_size=2)
    first = next(records)
    assert pulled == [0, 1]
    assert first["id"] == "0" and first["counts"] == {"prohibition": 1, "appeal": 0, "statistic": 0}
    rest = list(records)
    assert [r["id"] for r in rest] == ["g", "2", "g", "4", "g"]
    assert rest[0]["sentences"] == tagger.tag_article(ARTICLE)
    with pytest.raises(InputError, match=r"article 0: field 'text' must be a string, found int"):
        list(tagger.score_articles([{"text": 3}]))


def test_thresholds_are_kept_once_so_a_changed_one_decides_every_output(tiny_model):
    from asnclf.model.artifact import load_model

    tagger = load_model(tiny_model)
    sentence = "ASN dilarang ikut kampanye pasangan calon di Garut."
    assert tagger.predict([sentence]) == [["prohibition"]]
    tagger.thresholds["prohibition"] = 1.0
    assert tagger.predict([sentence]) == [[]]
    assert tagger.tag_article(sentence)[0]["labels"] == []


def test_score_dataset_with_two_processes_matches_one(tiny_model):
    import datasets

    from asnclf.model.artifact import load_model

    tagger = load_model(tiny_model)
    ds = datasets.Dataset.from_dict({"text": articles(6) + [ARTICLE], "other": list(range(7))})
    one = tagger.score_dataset(ds, batch_size=2)
    two = tagger.score_dataset(ds, batch_size=2, num_proc=2)
    assert one.column_names == ["id", "other", "sentence", "start", "end", "text", "labels",
                                "score_prohibition", "score_appeal", "score_statistic"]
    assert one.to_list() == two.to_list()
    last = [row for row in two.to_list() if row["id"] == "6"]
    assert [(row["other"], row["sentence"], row["start"], row["end"], row["text"], row["labels"]) for row in last] == [
        (6, index, s["start"], s["end"], s["text"], "|".join(s["labels"])) for index, s in enumerate(tagger.tag_article(ARTICLE))
    ]
    assert [row["score_appeal"] for row in last] == [s["scores"]["appeal"] for s in tagger.tag_article(ARTICLE)]


def test_score_dataset_rows_and_types_are_the_parquet_outputs(tiny_model, tmp_path):
    import datasets
    import pyarrow.parquet as pq

    from asnclf.model.artifact import load_model
    from asnclf.errors import InputError

    texts = articles(4) + ["BACA JUGA: Berita lain"]
    inputs = write_jsonl(tmp_path / "in.jsonl", texts)
    assert score(inputs, "--model", tiny_model, "-o", tmp_path / "out.parquet", "--format", "parquet", "--only-tagged") == 0
    expected = pq.read_table(tmp_path / "out.parquet").drop_columns(["source"])
    ds = datasets.Dataset.from_dict({"text": texts, "id": [f"a{n}" for n in range(len(texts))]})
    scored = load_model(tiny_model).score_dataset(ds, only_tagged=True, batch_size=3)
    assert scored.data.table.schema.equals(expected.schema, check_metadata=False)
    assert scored.to_list() == expected.to_pylist()
    with pytest.raises(InputError, match=r"column 'labels' would clash with an output column"):
        load_model(tiny_model).score_dataset(ds.add_column("labels", ["x"] * len(texts)))


def test_a_title_printed_twice_is_tagged_and_scored_once(tiny_model, tmp_path):
    from asnclf.model.artifact import load_model

    article = "Bupati Garut meminta ASN netral\nBupati Garut meminta ASN netral\n\n" + ARTICLE
    model = load_model(tiny_model)
    tagged = [s["text"] for s in model.tag_article(article)]
    assert tagged.count("Bupati Garut meminta ASN netral") == 1
    inputs = write_jsonl(tmp_path / "in.jsonl", [article])
    assert score(inputs, "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--quiet") == 0
    assert [s["text"] for s in read_jsonl(tmp_path / "out.jsonl")[0]["sentences"]] == tagged
