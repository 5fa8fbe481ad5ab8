"""``asnclf score`` says what is wrong with an input as it is: empty folders, broken links, other encodings, nulls, JSONL on stdin."""

from __future__ import annotations

import io
import json
import sys

import pytest

from asnclf.cli.main import main
from asnclf.text.encoding import narrow_encoding, wide_encoding
from test_score_support import ARTICLE, read_jsonl, tiny_model  # noqa: F401


def score(*argv) -> int:
    return main(["score", *map(str, argv)])


def skips(tmp_path) -> list[tuple[str, str]]:
    return [(s["reason"], s["detail"]) for s in read_jsonl(tmp_path / "out.jsonl.skipped.jsonl")]


def test_an_empty_input_folder_is_an_error(tiny_model, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not an article")
    assert score(tmp_path / "empty", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 2
    assert capsys.readouterr().err == f"asnclf score: error: {tmp_path / 'empty'}: the folder holds no .txt file to score\n"
    assert not (tmp_path / "out.jsonl").exists()


def test_a_broken_txt_link_in_a_folder_is_a_skip_record(tiny_model, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    assert score(folder, "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert skips(tmp_path) == [("unreadable", f"broken link to {tmp_path / 'deleted.txt'}")]
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["good.txt"]


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16-LE"), ("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE"),
                                            ("utf-32", "UTF-32-LE")])
def test_utf16_text_is_undecodable_with_its_encoding_not_binary(tiny_model, tmp_path, encoding, name):
    (tmp_path / "wide.txt").write_bytes(ARTICLE.encode(encoding))
    (tmp_path / "wide.jsonl").write_bytes((json.dumps({"text": ARTICLE}) + "\n").encode(encoding))
    assert score(tmp_path / "wide.txt", tmp_path / "wide.jsonl", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert skips(tmp_path) == [
        ("undecodable", f"text is {name}, not UTF-8; convert it, e.g. iconv -f {name} -t UTF-8"),
        ("undecodable", f"file is {name}, not UTF-8; convert it, e.g. iconv -f {name} -t UTF-8"),
    ]


def test_latin1_text_names_its_likely_encoding(tiny_model, tmp_path):
    (tmp_path / "old.txt").write_bytes("Bupati meminta ASN netral di kafe, caf\u00e9.".encode("latin-1"))
    assert score(tmp_path / "old.txt", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert skips(tmp_path) == [("undecodable", "invalid UTF-8 at byte 38; likely Windows-1252 or Latin-1")]


def test_encoding_hints():
    assert wide_encoding("ASN netral".encode("utf-16-be")) == "UTF-16-BE"
    assert wide_encoding(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None
    assert narrow_encoding(b"\x81\x8d") == "a single-byte encoding such as Latin-1"


def test_null_text_says_null(tiny_model, tmp_path):
    (tmp_path / "n.jsonl").write_text('{"id": "a", "text": null}\n{"id": "b"}\n')
    assert score(tmp_path / "n.jsonl", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert skips(tmp_path) == [("null_text", "'text' is null"), ("missing_text", "no 'text' field")]


def test_jsonl_piped_to_stdin_without_stdin_format_is_refused(tiny_model, tmp_path, monkeypatch, capsys):
    lines = json.dumps({"text": ARTICLE, "id": "s1"}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8"))))
    assert score("-", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 2
    assert capsys.readouterr().err == (
        "asnclf score: error: standard input (-) looks like JSONL (its first line is a JSON object); "
        "add --stdin-format jsonl to score each line's 'text', or --stdin-format text to score it as one article\n"
    )
    assert score("-", "--model", tiny_model, "-o", tmp_path / "out.jsonl", "--stdin-format", "text") == 0
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 1


def test_plain_text_on_stdin_is_still_one_article(tiny_model, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("{Catatan redaksi}\n" + ARTICLE).encode("utf-8"))))
    assert score("-", "--model", tiny_model, "-o", tmp_path / "out.jsonl") == 0
    assert read_jsonl(tmp_path / "out.jsonl")[0]["id"] == "stdin"
