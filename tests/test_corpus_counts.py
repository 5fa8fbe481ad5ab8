"""Cross-validation's word block, fitted from counts made once, equals scikit-learn's TfidfVectorizer fitted on the text."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from asnclf.text.tokens import tokenize_digits_as_zero
from asnclf.training.corpus_counts import CorpusWordCounts, PrecountedWordTfidf

from conftest import OFFICIALS, PLACES, TEMPLATES

SENTENCES = [template.format(name=name, place=place, n=3 + 7 * k)
             for k, (name, place) in enumerate(zip(OFFICIALS, PLACES)) for template, _ in TEMPLATES]
SENTENCES += ["", "x", "12 12 12 ASN ASN dilarang", "Bupati Bupati Bupati", "é ü ASN", SENTENCES[0]]  # edges, a repeat


@pytest.mark.parametrize("min_df, max_features", [(1, None), (2, None), (1, 40), (2, 25), (1, 7)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_precounted_word_block_equals_the_vectorizer(min_df, max_features, seed):
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(SENTENCES))
    train = [SENTENCES[i] for i in order[:40]]
    test = [SENTENCES[i] for i in order[40:]]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), tokenizer=tokenize_digits_as_zero, token_pattern=None,
                                 lowercase=False, sublinear_tf=True, min_df=min_df, max_features=max_features,
                                 dtype=np.float64)
    expected_train = vectorizer.fit_transform(train)
    block = PrecountedWordTfidf(CorpusWordCounts(SENTENCES, vectorizer), min_df=min_df, max_features=max_features)
    got_train = block.fit_transform(train)
    assert list(block.get_feature_names_out()) == list(vectorizer.get_feature_names_out())
    assert np.array_equal(block.tfidf_.idf_, vectorizer.idf_)
    # Scoring unseen rows: the same matrix, bit for bit.
    got, expected = block.transform(test), vectorizer.transform(test)
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    # The training matrix: the same entries; scikit-learn leaves each row's columns unsorted after limiting,
    # so a row's norm may be summed in another order (a difference in the last bits at most).
    expected_train = expected_train.tocsr()
    expected_train.sort_indices()
    assert np.array_equal(got_train.indices, expected_train.indices)
    assert np.allclose(got_train.data, expected_train.data, rtol=1e-15, atol=0)


def test_a_sentence_outside_the_corpus_is_refused():
    vectorizer = TfidfVectorizer(tokenizer=tokenize_digits_as_zero, token_pattern=None, lowercase=False)
    block = PrecountedWordTfidf(CorpusWordCounts(SENTENCES, vectorizer)).fit(SENTENCES[:10])
    with pytest.raises(KeyError):
        block.transform(["Kalimat yang tidak ada di korpus."])
