"""The scoring fast paths change no result: guarded regexes, vectorised word counts, batch-size invariance."""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asnclf import features
from test_score_support import ARTICLE, TRAINING, articles, tiny_model  # noqa: F401

WORDS = [
    "ASN", "asn", "dilarang", "tidak", "boleh", "tak", "diminta", "untuk", "agar", "jangan", "meng", "imbau", "dihimbau",
    "panwaslu", "vaksinasi", "dua", "puluh", "sebanyak", "12", "1.234", "12,5", "Rp", "rp.", "5.000", "No.", "nomor",
    "pasal", "27", "November", "2024", "09.00", "WIB", "persen", "%", "0812-3456-789", "orang", "pegawai", "kasus",
    "ratusan", "netral", "pilkada", "é", "Ä", "٣", "_", "-", ",", ".", "\n", " ", "  ", "\t",
]
SENTENCES = [template.format(place="Garut", n=12) for template, _ in TRAINING] + ARTICLE.splitlines()
text_strategy = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join) | st.text(max_size=60)


def first_chars(items) -> set[str] | None:
    """The characters a parsed regex can start matching with (None: any)."""
    chars: set[str] = set()
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL:
            return chars | {chr(av)}
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                elif kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                    chars.add("<digit>")
                else:
                    return None
            return chars
        if op is sre.SUBPATTERN:
            inner, optional = first_chars(av[3]), False
        elif op is sre.BRANCH:
            inner, optional = set(), False
            for alternative in av[1]:
                found = first_chars(alternative)
                if found is None:
                    return None
                inner |= found
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            inner, optional = first_chars(av[2]), av[0] == 0
        else:
            return None
        if inner is None:
            return None
        chars |= inner
        if not optional:
            return chars
    return None


@pytest.mark.parametrize(
    ("guarded", "admitted"),
    [(features._NUMBER_KINDS, set("0123456789npaur") | {"<digit>"}),
     (features._COUNTED_NOUN, set("0123456789sdtelbpr") | {"<digit>"})],
)
def test_number_patterns_start_only_where_their_guard_admits(guarded, admitted):
    unguarded = guarded.pattern.split(")", 1)[1]  # drop the leading \b(?=[...]) guard
    found = first_chars(list(sre_parse.parse(unguarded)))
    assert found is not None and found <= admitted


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_guarded_regexes_match_exactly_as_unguarded(text):
    lowered = text.lower()
    kinds = re.compile(features._NUMBER_KINDS.pattern.removeprefix(r"\b(?=[\dnpaur])"))
    assert [(m.span(), m.lastgroup) for m in features._NUMBER_KINDS.finditer(lowered)] == [
        (m.span(), m.lastgroup) for m in kinds.finditer(lowered)
    ]
    if features._DIGIT.search(lowered) is None:
        assert kinds.search(lowered) is None
    counted = re.compile(features._COUNTED_NOUN.pattern.removeprefix(r"\b(?=[\dsdtelbpr])"))
    assert bool(features._COUNTED_NOUN.search(lowered)) == bool(counted.search(lowered))


@pytest.fixture(scope="module")
def tagger(tiny_model):
    from asnclf.artifact import load_model

    return load_model(tiny_model)


def test_fast_scores_equal_the_pipeline_bit_for_bit(tagger):
    from asnclf.tagger import _FastPipeline

    sentences = SENTENCES + ["", "  ", "x", "12 12 12 ASN ASN dilarang", "Bupati Bupati Bupati", "é ü ASN"]
    fast = tagger.predict_proba(sentences)
    assert isinstance(tagger._fast, _FastPipeline)
    assert np.array_equal(fast, tagger.pipeline.predict_proba(sentences))


@settings(max_examples=100, deadline=None)
@given(st.lists(text_strategy, min_size=1, max_size=6))
def test_fast_scores_equal_the_pipeline_on_any_text(tagger, sentences):
    assert np.array_equal(tagger.predict_proba(sentences), tagger.pipeline.predict_proba(sentences))


def test_unrecognised_pipeline_is_scored_the_ordinary_way(tagger):
    from sklearn.pipeline import Pipeline

    from asnclf.tagger import Tagger, _FastPipeline

    steps = tagger.pipeline.steps
    extra = Tagger(Pipeline([("features", steps[0][1]), ("classifier", steps[1][1])]), tagger.labels, [0.5] * 3)
    assert isinstance(_FastPipeline.plan(extra.pipeline), _FastPipeline)
    assert _FastPipeline.plan(steps[1][1]) is False
    one_block = Pipeline([("features", steps[0][1].transformer_list[1][1]), ("classifier", steps[1][1])])
    assert _FastPipeline.plan(one_block) is False


def test_pickled_tagger_drops_and_rebuilds_its_fast_plan(tagger):
    import pickle

    tagger.predict_proba(["ASN dilarang ikut kampanye."])
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy._fast is None
    assert np.array_equal(copy.predict_proba(SENTENCES), tagger.predict_proba(SENTENCES))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=9))
def test_same_records_whatever_the_batch_size(tagger, batch_size):
    texts = articles(9)
    expected = [tagger.tag_article(text) for text in texts]
    assert [r["sentences"] for r in tagger.score_articles(texts, batch_size=batch_size)] == expected
