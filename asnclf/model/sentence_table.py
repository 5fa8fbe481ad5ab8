"""One row per sentence: the columns, values and Arrow types of ``asnclf score --format csv/parquet``.

The command's CSV and Parquet outputs, :mod:`asnclf.batch.engines` (Spark, Dask)
and :meth:`asnclf.Tagger.score_dataset` all build their rows here, so a
sentence gets the same values whichever route scored it. A row is the
article's leading values (the command's are ``id`` and ``source``), then
``sentence`` (its index in the article), ``start``, ``end``, ``text``,
``labels`` (its tags joined by ``|``) and one ``score_<tag>`` per tag. An
article with no sentences (or none kept by ``only_tagged``) still gets one
row, with empty sentence columns, so every article is in the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from asnclf.errors import InputError

LABEL_SEPARATOR = "|"  # between tags in the ``labels`` column


def sentence_fields(labels: Sequence[str]) -> list[str]:
    """The per-sentence columns after an article's leading ones: ``sentence``, ``start``, … ``score_<tag>``."""
    return ["sentence", "start", "end", "text", "labels"] + [f"score_{label}" for label in labels]


def sentence_rows(head: list, sentences: list[dict], labels: Sequence[str], *, only_tagged: bool = False) -> list[list]:
    """An article's rows: ``head`` (its leading values) followed by each sentence's values.

    ``sentences`` are the article's sentence dicts, as
    :meth:`asnclf.Tagger.tag_article` returns them.
    """
    kept = [(index, s) for index, s in enumerate(sentences) if s["labels"] or not only_tagged]
    if not kept:
        return [head + [None] * (5 + len(labels))]
    return [
        head + [index, s["start"], s["end"], s["text"], LABEL_SEPARATOR.join(s["labels"])]
        + [s["scores"][label] for label in labels]
        for index, s in kept
    ]


def other_columns(columns: Sequence[str], text_column: str, id_column: str, labels: Sequence[str]) -> list[str]:
    """The input's columns besides the id and the text, which are repeated on each row of their article.

    Raises :class:`asnclf.InputError` when the id and text columns are one, or
    when another column has the name of an output column.
    """
    if id_column == text_column:
        raise InputError(f"the id and the text column are both {id_column!r}; they must differ")
    others = [name for name in columns if name not in (id_column, text_column)]
    clashes = sorted(set(others) & {"id", *sentence_fields(labels)})
    if clashes:
        raise InputError(f"column {', '.join(map(repr, clashes))} would clash with an output column of the same name; "
                         "rename or drop it before scoring")
    return others


def arrow_fields(labels: Sequence[str]) -> list:
    """The Arrow fields of :func:`sentence_fields`: ``int32`` offsets, ``string`` texts, ``float64`` scores."""
    import pyarrow as pa

    types = [pa.int32(), pa.int32(), pa.int32(), pa.string(), pa.string()] + [pa.float64()] * len(labels)
    return [pa.field(name, kind) for name, kind in zip(sentence_fields(labels), types)]


def arrow_table(rows: list[list], schema):
    """``rows`` (lists of values in ``schema``'s order) as a ``pyarrow.Table`` with that schema."""
    import pyarrow as pa

    return pa.table([pa.array([row[i] for row in rows], type=schema.field(i).type) for i in range(len(schema))], schema=schema)


def article_rows(tagger, ids: Sequence, texts: Sequence, *, only_tagged: bool = False) -> tuple[list[int], dict[str, list]]:
    """Score whole articles and lay their sentences out as columns: ``id`` and :func:`sentence_fields`.

    ``ids`` and ``texts`` hold one value per article; a text that is None
    (missing) is scored as an article without sentences. Returns, for every
    row, the position of its article in ``ids`` (to repeat other per-article
    columns with), and the columns. Raises :class:`asnclf.InputError` for a
    missing id or a text that is not a string.
    """
    if len(ids) != len(texts):
        raise InputError(f"ids has {len(ids)} values but texts has {len(texts)}")
    for position, (article_id, text) in enumerate(zip(ids, texts)):
        if article_id is None:
            raise InputError(f"article {position}: the id is missing; every article needs one")
        if text is not None and not isinstance(text, str):
            raise InputError(f"article {position} (id {article_id!s}): the text is a {type(text).__name__}, expected a string")
    tagged = tagger.tag_articles(["" if text is None else text for text in texts])
    owners: list[int] = []
    rows: list[list] = []
    for position, sentences in enumerate(tagged):
        article = sentence_rows([], sentences, tagger.labels, only_tagged=only_tagged)
        owners.extend([position] * len(article))
        rows.extend(article)
    columns = {"id": [str(ids[position]) for position in owners]}
    for index, name in enumerate(sentence_fields(tagger.labels)):
        columns[name] = [row[index] for row in rows]
    return owners, columns
