"""Score articles on Spark or Dask: the function an engine maps over partitions, and one-line helpers.

:func:`score_frame` takes a pandas DataFrame of articles (an id column, a
text column, any other columns) and returns the rows of ``asnclf score
--format parquet``, one per sentence, with typed columns. It loads the model
from the path it is given, once per worker process, so an engine ships only
the path (and this module's name) to its workers; the model itself is read
from storage that every worker sees.

:func:`score_spark` and :func:`score_dask` wrap it for
``DataFrame.mapInPandas`` and ``DataFrame.map_partitions``, with the output
schema declared. Neither engine is a dependency of asnclf: install the
extras ``asnclf[spark]`` or ``asnclf[dask]``; each is imported only by its
helper.

>>> import pandas as pd
>>> rows = score_frame(pd.DataFrame({"id": ["a1"], "text": ["ASN dilarang ikut kampanye. Harga cabai naik."]}))
>>> rows[["id", "sentence", "text", "labels"]].values.tolist()
[['a1', 0, 'ASN dilarang ikut kampanye.', 'prohibition'], ['a1', 1, 'Harga cabai naik.', '']]
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from functools import partial

from asnclf.errors import InputError
from asnclf.model.sentence_table import arrow_fields, article_rows, other_columns

__all__ = ["score_dask", "score_frame", "score_frames", "score_spark"]

# One loaded model per worker process and model path. Module state, not a closure or an lru_cache
# on a function of the caller's: engines pickle a reference to this module's functions, and each
# worker (forked, spawned or started by Spark) finds the cache on import.
_TAGGERS: dict[str | None, object] = {}
_LOADING = threading.Lock()  # a Dask worker may run several tasks in threads


def score_frame(frame, *, model: str | os.PathLike | None = None, text_column: str = "text", id_column: str = "id",
                only_tagged: bool = False):
    """Score the articles of a pandas DataFrame; one row per sentence, as ``asnclf score --format parquet``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One article per row: ``id_column``, ``text_column`` and any other
        columns, which are repeated on each of the article's rows.
    model : path, optional
        The model directory (default: the shipped model); loaded once per process.
    text_column, id_column : str
        Where the text and the id are. Ids are written as strings in ``id``.
    only_tagged : bool
        Keep only sentences with at least one tag.

    Returns
    -------
    pandas.DataFrame
        ``id``, the other columns in their order, then ``sentence``,
        ``start``, ``end``, ``text``, ``labels`` (tags joined by ``|``) and
        ``score_<tag>``, typed as in the command's Parquet output
        (Arrow-backed string, int32 and float64). An article with no
        sentences, or a missing text, gets one row with empty sentence columns.
    """
    import pyarrow as pa

    tagger = _tagger(None if model is None else os.fspath(model))
    others = _other_columns(list(frame.columns), text_column, id_column, tagger.labels)
    texts = frame[text_column]
    texts = texts.astype(object).where(texts.notna(), None).tolist()
    ids = frame[id_column]
    ids = ids.astype(object).where(ids.notna(), None).tolist()
    owners, columns = article_rows(tagger, ids, texts, only_tagged=only_tagged)
    out = frame[others].iloc[owners].reset_index(drop=True)
    out.insert(0, "id", _arrow_series(columns.pop("id"), pa.string()))
    for field in arrow_fields(tagger.labels):
        out[field.name] = _arrow_series(columns[field.name], field.type)
    return out


def score_frames(frames: Iterable, **options) -> Iterator:
    """:func:`score_frame` over an iterator of DataFrames (the function Spark's ``mapInPandas`` calls)."""
    for frame in frames:
        yield score_frame(frame, **options)


def score_spark(df, *, model: str | os.PathLike | None = None, text_column: str = "text", id_column: str = "id",
                only_tagged: bool = False):
    """Score a Spark DataFrame of articles with ``mapInPandas``; returns a Spark DataFrame with a declared schema.

    The model path must name the same directory on the driver (which reads
    its tags to declare the schema) and on every executor. A relative path is
    made absolute on the driver. See :func:`score_frame` for the columns.

    >>> scored = score_spark(spark.read.parquet("articles.parquet"), model="/shared/models/default")  # doctest: +SKIP
    >>> scored.write.parquet("scored")  # doctest: +SKIP
    """
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    model = _absolute(model)
    labels = _tagger(model).labels
    others = _other_columns(list(df.columns), text_column, id_column, labels)
    if not isinstance(df.schema[text_column].dataType, StringType):
        raise InputError(f"column {text_column!r} must hold strings, found {df.schema[text_column].dataType.simpleString()}")
    spark_types = {"int32": IntegerType(), "string": StringType(), "double": DoubleType()}
    schema = StructType(
        [StructField("id", StringType())]
        + [df.schema[name] for name in others]
        + [StructField(field.name, spark_types[str(field.type)]) for field in arrow_fields(labels)]
    )
    scorer = partial(score_frames, model=model, text_column=text_column, id_column=id_column, only_tagged=only_tagged)
    return df.mapInPandas(scorer, schema=schema)


def score_dask(ddf, *, model: str | os.PathLike | None = None, text_column: str = "text", id_column: str = "id",
               only_tagged: bool = False):
    """Score a Dask DataFrame of articles with ``map_partitions``; returns a Dask DataFrame with typed ``meta``.

    Each partition is scored by one task, so give the input several
    partitions (``dd.read_parquet(..., blocksize=...)``, ``repartition``).
    The model path must name the same directory on the client and on every
    worker; a relative path is made absolute on the client. See
    :func:`score_frame` for the columns.

    >>> score_dask(dd.read_parquet("articles/"), model="/shared/models/default").to_parquet("scored")  # doctest: +SKIP
    """
    import pandas as pd

    model = _absolute(model)
    empty = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in ddf.dtypes.items()})
    options = {"model": model, "text_column": text_column, "id_column": id_column, "only_tagged": only_tagged}
    return ddf.map_partitions(score_frame, **options, meta=score_frame(empty, **options))


def _tagger(model: str | None):
    tagger = _TAGGERS.get(model)
    if tagger is None:
        with _LOADING:
            tagger = _TAGGERS.get(model)
            if tagger is None:
                from asnclf.model.artifact import load_model

                tagger = _TAGGERS[model] = load_model(model)
    return tagger


def _absolute(model: str | os.PathLike | None) -> str | None:
    return None if model is None else os.path.abspath(model)


def _other_columns(columns: list[str], text_column: str, id_column: str, labels) -> list[str]:
    for name, role in ((id_column, "id"), (text_column, "text")):
        if name not in columns:
            raise InputError(f"no {role} column {name!r}; the columns are {', '.join(map(str, columns))}")
    return other_columns(columns, text_column, id_column, labels)


def _arrow_series(values: list, kind):
    import pandas as pd
    import pyarrow as pa

    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=kind)), dtype=pd.ArrowDtype(kind))
