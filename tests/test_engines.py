"""asnclf.batch.engines: the partition function, and the Dask and Spark code of docs/engines.md run on the real engines.

The engine tests run docs/engines.md's blocks word for word, each in a fresh
``python -c`` (as a notebook runs code: no script file the workers could
import), on a few hundred articles, and compare the written Parquet with
``asnclf score --format parquet`` on the same file: same schema, same rows.

They are marked ``engines``. A developer without an engine (or without
Java, for Spark) sees them skipped with the reason, or leaves them out with
``-m "not engines"``. In CI (``CI`` set, as ``.ci/run`` runs), a missing
engine fails them instead: CI installs both extras and Java.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from asnclf.cli.main import main
from asnclf.errors import InputError
from conftest import GENERAL_TEMPLATES, OFFICIALS, PLACES, TEMPLATES
from test_score_support import ARTICLE, articles, tiny_model  # noqa: F401

pd = pytest.importorskip("pandas")  # a dependency of datasets, so always there
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ENGINES_DOC = Path(__file__).resolve().parents[1] / "docs" / "engines.md"
ENGINE_ARTICLES = 300
ROWS_PER_GROUP = 40  # the input Parquet file has several row groups, so Dask reads several partitions


def readme_block(call: str) -> str:
    """The python block of docs/engines.md that calls ``call``."""
    blocks = [block for block in re.findall(r"```python\n(.*?)```", ENGINES_DOC.read_text(encoding="utf-8"), flags=re.S)
              if f"{call}(" in block]
    assert len(blocks) == 1, f"expected one docs/engines.md python block calling {call}, found {len(blocks)}"
    return blocks[0]


def require(module: str, extra: str):
    """Import an engine, or skip with the reason on a developer's machine; in CI a missing engine fails."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed, but CI runs the engine tests: .ci/run installs '.[{extra}]'")
        pytest.skip(f"{module} is not installed: pip install -e '.[{extra}]' to run this test (in CI it fails instead)")


def require_java() -> None:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("no java on PATH, but CI runs the Spark test: .ci/run installs default-jre-headless")
        pytest.skip("Spark needs Java 17+: apt-get install default-jre-headless (in CI this test fails instead)")


def news_articles(count: int, seed: int = 11) -> list[str]:
    """``count`` articles of 3–9 sentences from the shared templates, neutrality and general news alternating."""
    rng = random.Random(seed)
    texts = []
    for k in range(count):
        pool = [template for template, _ in TEMPLATES] if k % 2 == 0 else GENERAL_TEMPLATES
        sentences = [rng.choice(pool).format(name=rng.choice(OFFICIALS), place=rng.choice(PLACES), n=rng.randint(2, 900))
                     for _ in range(rng.randint(3, 9))]
        texts.append(f"Berita {k}\n" + " ".join(sentences) + ("\nBACA JUGA: Berita lain" if k % 5 == 0 else ""))
    texts[7] = "BACA JUGA: Berita lain"  # no sentences at all: one row with empty sentence columns
    return texts


def write_articles(directory: Path, texts: list[str]) -> Path:
    """``articles.parquet`` with ``id``, ``source`` (as the command names each record) and ``text``."""
    path = directory / "articles.parquet"
    table = pa.table({
        "id": [f"a{k:04d}" for k in range(len(texts))],
        "source": [f"articles.parquet:{k + 1}" for k in range(len(texts))],
        "text": texts,
    })
    pq.write_table(table, path, row_group_size=ROWS_PER_GROUP)
    return path


def command_rows(directory: Path, model: Path, *options: str):
    """``asnclf score articles.parquet --format parquet``, run in ``directory``, as a table."""
    here = Path.cwd()
    os.chdir(directory)
    try:
        assert main(["score", "articles.parquet", "--model", str(model), "--format", "parquet",
                     "-o", "command.parquet", "--quiet", "--force", *options]) == 0
    finally:
        os.chdir(here)
    return pq.read_table(directory / "command.parquet")


def assert_same_rows(written: Path, expected) -> None:
    """Same columns, same rows; the scored columns of the same types (the passed-through ``source`` keeps the
    engine's string type: Dask reads Parquet strings as ``large_string``)."""
    table = pq.read_table(written)
    assert table.column_names == expected.column_names
    own = [name for name in expected.column_names if name != "source"]
    assert table.select(own).schema.equals(expected.select(own).schema), f"{table.schema}\n!=\n{expected.schema}"
    order = [("id", "ascending"), ("sentence", "ascending")]
    assert table.sort_by(order).to_pylist() == expected.sort_by(order).to_pylist()


def run_readme_block(call: str, directory: Path, env: dict | None = None) -> None:
    """Run the docs' block in ``directory`` with ``models/default`` (the shipped model) as a notebook would."""
    from asnclf.model.artifact import default_model_dir

    (directory / "models").mkdir()
    (directory / "models" / "default").symlink_to(default_model_dir())
    done = subprocess.run([sys.executable, "-c", readme_block(call)], cwd=directory, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-5000:]


# The partition function, without an engine.

def test_score_frame_gives_the_commands_parquet_rows_and_types(tiny_model, tmp_path):
    from asnclf.batch.engines import score_frame

    texts = articles(5) + ["BACA JUGA: Berita lain", ARTICLE]
    write_articles(tmp_path, texts)
    for options in ((), ("--only-tagged",)):
        expected = command_rows(tmp_path, tiny_model, *options)
        frame = pq.read_table(tmp_path / "articles.parquet").to_pandas(types_mapper=pd.ArrowDtype)
        rows = score_frame(frame, model=tiny_model, only_tagged=bool(options))
        assert pa.Table.from_pandas(rows, preserve_index=False).equals(expected)


def test_score_frame_keeps_other_columns_and_reads_other_fields(tiny_model):
    from asnclf.model.artifact import load_model
    from asnclf.batch.engines import score_frame

    frame = pd.DataFrame({"desk": ["pemilu", "daerah"], "body": [ARTICLE, articles(1)[0]], "url": [17, 18]})
    rows = score_frame(frame, model=tiny_model, text_column="body", id_column="url")
    tagged = load_model(tiny_model).tag_articles(frame["body"].tolist())
    assert list(rows.columns[:2]) == ["id", "desk"]
    assert rows["id"].tolist() == ["17"] * len(tagged[0]) + ["18"] * len(tagged[1])
    assert rows["desk"].tolist() == ["pemilu"] * len(tagged[0]) + ["daerah"] * len(tagged[1])
    assert rows["text"].tolist() == [s["text"] for article in tagged for s in article]
    assert rows["score_appeal"].tolist() == [s["scores"]["appeal"] for article in tagged for s in article]


def test_score_frame_missing_text_gives_an_empty_row_and_bad_input_says_what_to_fix(tiny_model):
    from asnclf.batch.engines import score_frame

    rows = score_frame(pd.DataFrame({"id": ["x", "y"], "text": [None, ARTICLE]}), model=tiny_model)
    assert rows["id"].iloc[0] == "x" and rows.iloc[0, 1:].isna().all()
    assert score_frame(pd.DataFrame({"id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}),
                       model=tiny_model).columns.tolist()[:3] == ["id", "sentence", "start"]
    with pytest.raises(InputError, match=r"no text column 'body'; the columns are id, text"):
        score_frame(pd.DataFrame({"id": ["x"], "text": ["a"]}), model=tiny_model, text_column="body")
    with pytest.raises(InputError, match=r"article 0 \(id x\): the text is a int, expected a string"):
        score_frame(pd.DataFrame({"id": ["x"], "text": [3]}), model=tiny_model)
    with pytest.raises(InputError, match=r"article 1: the id is missing"):
        score_frame(pd.DataFrame({"id": ["x", None], "text": ["a", "b"]}), model=tiny_model)
    with pytest.raises(InputError, match=r"column 'score_appeal' would clash with an output column"):
        score_frame(pd.DataFrame({"id": ["x"], "text": ["a"], "score_appeal": [1.0]}), model=tiny_model)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_score_frame_loads_the_model_in_forked_and_spawned_workers(tiny_model, method):
    from asnclf.batch.engines import score_frame

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on this platform")
    frames = [pd.DataFrame({"id": [f"{part}-{k}" for k in range(3)], "text": articles(3)}) for part in range(4)]
    work = partial(score_frame, model=str(tiny_model))
    with multiprocessing.get_context(method).Pool(2) as pool:
        scored = pool.map(work, frames)
    for frame, rows in zip(frames, scored):
        pd.testing.assert_frame_equal(rows, score_frame(frame, model=tiny_model))


# The real engines, as docs/engines.md shows them.

@pytest.fixture(scope="module")
def engine_corpus(tmp_path_factory):
    """A few hundred articles in several row groups, and the command's rows for them (shipped model)."""
    from asnclf.model.artifact import default_model_dir

    directory = tmp_path_factory.mktemp("engine-corpus")
    write_articles(directory, news_articles(ENGINE_ARTICLES))
    return directory, command_rows(directory, default_model_dir())


@pytest.mark.engines
def test_readme_dask_block_on_a_two_worker_local_cluster_gives_the_commands_rows(engine_corpus, tmp_path):
    require("dask.dataframe", "dask")
    require("distributed", "dask")
    corpus, expected = engine_corpus
    shutil.copy(corpus / "articles.parquet", tmp_path)
    run_readme_block("score_dask", tmp_path)
    parts = sorted((tmp_path / "scored-dask").glob("*.parquet"))
    assert len(parts) == -(-ENGINE_ARTICLES // ROWS_PER_GROUP), "one output file per partition (row group)"
    assert_same_rows(tmp_path / "scored-dask", expected)


@pytest.mark.engines
def test_readme_spark_block_in_local_mode_gives_the_commands_rows(engine_corpus, tmp_path):
    require("pyspark", "spark")
    require_java()
    corpus, expected = engine_corpus
    shutil.copy(corpus / "articles.parquet", tmp_path)
    # Spark starts its Python workers with PYSPARK_PYTHON (default: python3 on PATH): the one with asnclf.
    run_readme_block("score_spark", tmp_path, {"PYSPARK_PYTHON": sys.executable})
    assert len(list((tmp_path / "scored-spark").glob("part-*.parquet"))) > 1
    assert_same_rows(tmp_path / "scored-spark", expected)


class PlannedSpark:
    """What score_spark needs of a Spark DataFrame (its columns and schema), recording the mapInPandas call."""

    def __init__(self, schema) -> None:
        self.schema, self.columns = schema, schema.fieldNames()

    def mapInPandas(self, function, schema):  # noqa: N802 (Spark's name)
        return function, schema


@pytest.mark.engines
def test_score_spark_declares_the_schema_and_checks_columns(tiny_model):
    require("pyspark", "spark")
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    from asnclf.batch.engines import score_frame, score_spark

    articles = PlannedSpark(StructType([StructField("id", StringType()), StructField("desk", IntegerType()),
                                        StructField("body", StringType())]))
    function, schema = score_spark(articles, model=tiny_model, text_column="body")
    assert schema.simpleString() == ("struct<id:string,desk:int,sentence:int,start:int,end:int,text:string,"
                                     "labels:string,score_prohibition:double,score_appeal:double,score_statistic:double>")
    frame = pd.DataFrame({"id": ["a"], "desk": [3], "body": [ARTICLE]})
    [rows] = function(iter([frame]))
    pd.testing.assert_frame_equal(rows, score_frame(frame, model=tiny_model, text_column="body"))
    with pytest.raises(InputError, match=r"column 'desk' must hold strings, found int"):
        score_spark(articles, model=tiny_model, text_column="desk")
