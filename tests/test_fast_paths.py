"""The scoring fast paths change no result: batch tokenising, shared look-ups, vectorised counts, batch size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asnclf.features.cues import MATCHER
from asnclf.features.number_kinds import number_kinds
from asnclf.text.tokens import SharedVocabulary, TokenBatch, tokenize
from test_score_support import ARTICLE, PLACES, TRAINING, articles, tiny_model  # noqa: F401

WORDS = [
    "ASN", "asn", "dilarang", "tidak", "boleh", "tak", "diminta", "untuk", "agar", "jangan", "meng", "imbau", "dihimbau",
    "panwaslu", "vaksinasi", "dua", "puluh", "sebanyak", "12", "1.234", "12,5", "Rp", "rp.", "5.000", "No.", "nomor",
    "pasal", "27", "November", "2024", "09.00", "WIB", "persen", "%", "0812-3456-789", "orang", "pegawai", "kasus",
    "ratusan", "netral", "pilkada", "é", "Ä", "٣", "_", "-", ",", ".", "\n", " ", "  ", "\t",
    # The batch joins sentences around "\x01"; a token's key holds 16 bytes, longer ones are looked up whole.
    "\x01", "a\x01b", "pemberhentiannya", "mempertanggungjawabkan", "MEMPERTANGGUNGJAWABKANNYA", "0812345678901234567",
]
SENTENCES = [template.format(place="Garut", n=12) for template, _ in TRAINING] + ARTICLE.splitlines()
text_strategy = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join) | st.text(max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(text_strategy, max_size=6))
def test_a_batch_tokenises_each_sentence_as_tokenize_does(sentences):
    for digits_as_zero in (True, False):
        batch = TokenBatch(sentences, digits_as_zero)
        expected = [tokenize(sentence, digits_as_zero) for sentence in sentences]
        assert [token.decode("ascii") for token in batch.tokens] == [t for tokens in expected for t in tokens]
        assert batch.lengths.tolist() == [len(tokens) for tokens in expected]
        assert batch.sentence_of.tolist() == [i for i, tokens in enumerate(expected) for _ in tokens]


token_strategy = st.sampled_from([w.lower().encode("ascii", "replace") for w in WORDS]) | st.binary(max_size=20)


@settings(max_examples=150, deadline=None)
@given(st.lists(text_strategy, max_size=6), st.lists(token_strategy, unique=True, max_size=30))
def test_ids_are_a_dict_look_up_of_each_token(sentences, vocabulary_tokens):
    """Any vocabulary: short and long tokens, and entries no batch token can equal (capitals, punctuation, empty)."""
    vocabulary = {token: 3 * index for index, token in enumerate(vocabulary_tokens)}
    for digits_as_zero in (True, False):
        batch = TokenBatch(sentences, digits_as_zero)
        assert batch.ids(vocabulary).tolist() == [vocabulary.get(token, -1) for token in batch.tokens]


def test_tokens_longer_than_a_key_are_told_apart_from_their_first_16_bytes():
    vocabulary = {b"mempertanggungja": 1, b"mempertanggungjawabkan": 2, b"asn": 3}
    batch = TokenBatch(["Mempertanggungjawabkan mempertanggungja", "mempertanggungjawabkannya ASN"])
    assert batch.ids(vocabulary).tolist() == [2, 1, -1, 3]
    shared = SharedVocabulary([vocabulary])
    assert TokenBatch(["mempertanggungjawabkannya mempertanggungjawabkan"], shared=shared).ids(vocabulary).tolist() == [-1, 2]


@settings(max_examples=200, deadline=None)
@given(st.lists(text_strategy, max_size=6))
def test_holding_tells_which_sentences_hold_a_character(sentences):
    batch = TokenBatch(sentences)
    for character in "%.-":
        assert batch.holding(character).tolist() == [character in sentence for sentence in sentences]
    with pytest.raises(ValueError, match="other than '\\?'"):
        batch.holding("?")  # it also stands in for every non-ASCII character


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), max_size=5), max_size=8))
def test_per_sentence_look_ups_equal_a_loop_over_sentences(sentence_values):
    """Empty sentences anywhere (first, last, in a row) get nothing; a sentence sees its own tokens only."""
    sentences = [" ".join(["w"] * len(values)) for values in sentence_values]
    batch = TokenBatch(sentences)
    flat = np.array([v for values in sentence_values for v in values], dtype=np.int64)
    expected_bits = [int(np.bitwise_or.reduce(values)) if values else 0 for values in sentence_values]
    assert batch.or_per_sentence(flat).tolist() == expected_bits
    assert batch.any_at(np.flatnonzero(flat > 3)).tolist() == [any(v > 3 for v in values) for values in sentence_values]
    # Around every token holding 1 or 2: its neighbours' values up to two places away, in its own sentence.
    where = [(s, i) for s, values in enumerate(sentence_values) for i, v in enumerate(values)]
    at = np.flatnonzero((flat == 1) | (flat == 2))
    near = batch.near(flat, at, range(-2, 3))
    for offset in range(-2, 3):
        expected = []
        for position in at.tolist():
            s, i = where[position]
            expected.append(sentence_values[s][i + offset] if 0 <= i + offset < len(sentence_values[s]) else 0)
        assert near[offset].tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(text_strategy, max_size=6))
def test_shared_vocabulary_gives_each_vocabulary_its_own_ids(sentences):
    first = {b"asn": 0, b"dilarang": 1, b"00": 2}
    second = {b"tidak": 5, b"asn": 7}
    shared = SharedVocabulary([first, second])
    batch, plain = TokenBatch(sentences, shared=shared), TokenBatch(sentences)
    for vocabulary in (first, second):
        assert np.array_equal(batch.ids(vocabulary), plain.ids(vocabulary))
    assert np.array_equal(batch.ids({b"asn": 3}), plain.ids({b"asn": 3}))  # a vocabulary not merged: looked up directly


@settings(max_examples=150, deadline=None)
@given(st.lists(text_strategy, min_size=1, max_size=6))
def test_batch_features_equal_one_sentence_at_a_time(sentences):
    """Cue families and number kinds of a sentence never depend on its neighbours in the batch."""
    batch = TokenBatch(sentences)
    bits = MATCHER.family_bits(batch)
    kinds = number_kinds(batch)
    for i, sentence in enumerate(sentences):
        assert int(bits[i]) == int(MATCHER.family_bits(TokenBatch([sentence]))[0])
        assert kinds[i].tolist() == number_kinds(TokenBatch([sentence]))[0].tolist()


@pytest.fixture(scope="module")
def tagger(tiny_model):
    from asnclf.model.artifact import load_model

    return load_model(tiny_model)


@pytest.fixture(scope="module")
def svm_pipeline(tagger):
    """The tiny model's features with one-vs-rest linear SVMs, refitted on its own training sentences."""
    from sklearn.base import clone
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from asnclf.data.labeled import label_matrix

    sentences = [template.format(place=place, n=3 + 5 * k) for k, place in enumerate(PLACES) for template, _ in TRAINING]
    labels = [tuple(tags) for _ in PLACES for _, tags in TRAINING]
    features = clone(tagger.pipeline.steps[0][1])
    pipeline = Pipeline([("features", features), ("classifier", OneVsRestClassifier(LinearSVC(C=0.5, random_state=0)))])
    return pipeline.fit(sentences, label_matrix(labels))


EDGE_SENTENCES = SENTENCES + ["", "  ", "x", "12 12 12 ASN ASN dilarang", "Bupati Bupati Bupati", "é ü ASN"]


def test_loaded_model_scores_without_scikit_learn_equal_to_the_pipeline_bit_for_bit(tagger):
    from asnclf.model.linear_scorer import LinearScorer

    assert isinstance(tagger.scorer, LinearScorer)
    assert np.array_equal(tagger.predict_proba(EDGE_SENTENCES), tagger.pipeline.predict_proba(EDGE_SENTENCES))


def test_tagger_without_a_scoring_form_scores_with_the_pipeline_equal_to_the_scoring_form(tagger):
    from asnclf.model.tagger import Tagger

    plain = Tagger(tagger.pipeline, tagger.labels, [0.5] * 3)  # no scoring form: the scikit-learn route
    assert plain.scorer is None
    assert np.array_equal(plain.predict_proba(EDGE_SENTENCES), tagger.pipeline.predict_proba(EDGE_SENTENCES))
    assert np.array_equal(plain.predict_proba(EDGE_SENTENCES), tagger.predict_proba(EDGE_SENTENCES))


def test_linear_svm_scoring_form_equals_its_squashed_margins(svm_pipeline, tmp_path):
    from asnclf.model.linear_scorer import LinearScorer
    from asnclf.model.tagger import estimator_scores

    scorer = LinearScorer.from_pipeline(svm_pipeline)
    scorer.save(tmp_path / "scoring.bin")
    loaded = LinearScorer.load(tmp_path / "scoring.bin")
    assert np.array_equal(loaded.scores(EDGE_SENTENCES), estimator_scores(svm_pipeline, EDGE_SENTENCES))


def _block(name):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from asnclf.features.blocks import CueWordFeatures, NumberFeatures
    from asnclf.text.tokens import tokenize_digits_as_zero

    return {
        "word": lambda: TfidfVectorizer(ngram_range=(1, 2), tokenizer=tokenize_digits_as_zero, token_pattern=None,
                                        lowercase=False, sublinear_tf=True),
        "cues": lambda: CueWordFeatures(weight=2.5),
        "cues_alone": lambda: CueWordFeatures(weight=0.75, interactions=False),
        "numbers": lambda: NumberFeatures(weight=1.5),
        "dropped": lambda: "drop",
    }[name]()


@pytest.mark.parametrize("names, weights", [
    (("word", "cues", "numbers"), {"word": 0.3, "cues": 1.7}),  # the union's own weights on top of the blocks'
    (("cues", "numbers"), None),  # no word block
    (("cues_alone",), None),
    (("numbers", "word", "cues"), None),  # a word block after an indicator block
    (("dropped", "word", "cues", "numbers"), {"dropped": 9.0, "cues": 1.7}),  # a dropped block has no columns
    (("dropped", "numbers", "word", "cues"), {"word": 0.3}),
])
def test_scoring_form_equals_the_pipeline_for_any_block_layout(names, weights):
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    from asnclf.data.labeled import label_matrix
    from asnclf.model.linear_scorer import LinearScorer

    sentences = [template.format(place=place, n=3 + 5 * k) for k, place in enumerate(PLACES) for template, _ in TRAINING]
    labels = [tuple(tags) for _ in PLACES for _, tags in TRAINING]
    union = FeatureUnion([(name, _block(name)) for name in names], transformer_weights=weights)
    pipeline = Pipeline([("features", union), ("classifier", OneVsRestClassifier(LogisticRegression(C=3.0)))])
    pipeline.fit(sentences, label_matrix(labels))
    scorer = LinearScorer.from_pipeline(pipeline)
    assert np.array_equal(scorer.scores(EDGE_SENTENCES), pipeline.predict_proba(EDGE_SENTENCES))


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("digits_as_zero", [True, False])
def test_word_counts_equal_scikit_learns_count_vectorizer(ngram_range, digits_as_zero):
    from sklearn.feature_extraction.text import CountVectorizer

    from asnclf.text.tokens import tokenize_digits_as_zero, tokenize_keeping_digits
    from asnclf.features.word_counts import WordNgramCounter

    tokenizer = tokenize_digits_as_zero if digits_as_zero else tokenize_keeping_digits
    vectorizer = CountVectorizer(ngram_range=ngram_range, tokenizer=tokenizer, token_pattern=None, lowercase=False)
    vectorizer.fit(SENTENCES)
    features = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    counter = WordNgramCounter.build(features, ngram_range, digits_as_zero)
    counts = counter.counts(TokenBatch(EDGE_SENTENCES * 2, digits_as_zero))
    expected = vectorizer.transform(EDGE_SENTENCES * 2).tocsr()
    expected.sort_indices()
    assert counts.has_sorted_indices and counts.nnz == expected.nnz > 0
    assert np.array_equal(counts.indptr, expected.indptr) and np.array_equal(counts.indices, expected.indices)
    assert np.array_equal(counts.data, expected.data)


def test_pipelines_without_a_scoring_form_are_recognised(tagger):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.pipeline import FeatureUnion, Pipeline

    from asnclf.model.linear_scorer import LinearScorer

    features, classifier = tagger.pipeline.steps[0][1], tagger.pipeline.steps[1][1]
    naive_bayes = OneVsRestClassifier(ComplementNB()).fit(features.transform(SENTENCES[:6]), np.eye(3, dtype=int)[[0, 1, 2, 0, 1, 2]])
    assert LinearScorer.from_pipeline(Pipeline([("features", features), ("classifier", naive_bayes)])) is None
    characters = FeatureUnion([("char", TfidfVectorizer(analyzer="char_wb").fit(SENTENCES))])
    assert LinearScorer.from_pipeline(Pipeline([("features", characters), ("classifier", classifier)])) is None
    assert LinearScorer.from_pipeline(classifier) is None
    assert LinearScorer.from_pipeline(tagger.pipeline) is not None


@settings(max_examples=100, deadline=None)
@given(st.lists(text_strategy, min_size=1, max_size=6))
def test_both_routes_equal_the_pipeline_on_any_text(tagger, sentences):
    from asnclf.model.tagger import Tagger

    expected = tagger.pipeline.predict_proba(sentences)
    assert np.array_equal(tagger.predict_proba(sentences), expected)
    assert np.array_equal(Tagger(tagger.pipeline, tagger.labels, [0.5] * 3).predict_proba(sentences), expected)


def test_pipelines_without_a_scoring_form_are_scored_by_scikit_learn(tagger):
    """Character n-grams and naive Bayes: the Tagger's scores are the pipeline's ``predict_proba``."""
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.pipeline import FeatureUnion, Pipeline

    from asnclf.features.blocks import CueWordFeatures
    from asnclf.model.linear_scorer import LinearScorer
    from asnclf.model.tagger import Tagger

    y = np.eye(3, dtype=int)[np.arange(len(SENTENCES)) % 3]
    characters = FeatureUnion([("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))), ("cues", CueWordFeatures())])
    for classifier in (tagger.pipeline.steps[1][1], OneVsRestClassifier(ComplementNB())):
        pipeline = Pipeline([("features", clone(characters)), ("classifier", clone(classifier))]).fit(SENTENCES, y)
        assert LinearScorer.from_pipeline(pipeline) is None
        scores = Tagger(pipeline, tagger.labels, [0.5] * 3).predict_proba(EDGE_SENTENCES)
        assert np.array_equal(scores, pipeline.predict_proba(EDGE_SENTENCES))


def test_pickled_tagger_keeps_one_shared_look_up_for_its_vocabularies(tagger):
    import pickle

    copy = pickle.loads(pickle.dumps(tagger))
    for counter in copy.scorer.counters.values():
        assert copy.scorer.shared.translation(counter.token_ids) is not None
    assert np.array_equal(copy.predict_proba(SENTENCES), tagger.predict_proba(SENTENCES))


def test_pickled_tagger_without_a_scoring_form_scores_alike(tagger):
    import pickle

    from asnclf.model.tagger import Tagger

    plain = Tagger(tagger.pipeline, tagger.labels, [0.5] * 3)
    plain.predict_proba(["ASN dilarang ikut kampanye."])
    copy = pickle.loads(pickle.dumps(plain))
    assert np.array_equal(copy.predict_proba(SENTENCES), plain.predict_proba(SENTENCES))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=9))
def test_same_records_whatever_the_batch_size(tagger, batch_size):
    texts = articles(9)
    expected = [tagger.tag_article(text) for text in texts]
    assert [r["sentences"] for r in tagger.score_articles(texts, batch_size=batch_size)] == expected
