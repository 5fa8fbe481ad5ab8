"""Scores of a linear model over asnclf's own feature blocks, computed with numpy and scipy alone.

Unpickling a scikit-learn pipeline imports scikit-learn, which alone takes
over a second: most of the start of ``asnclf score``. When a pipeline is
asnclf's word TF-IDF, cue and number blocks followed by one-vs-rest linear
classifiers (logistic regression or linear SVM), :meth:`LinearScorer.from_pipeline`
extracts what scoring needs (vocabulary, idf, weights) into plain arrays,
saved beside the pickle; :meth:`LinearScorer.scores` then repeats
scikit-learn's arithmetic operation for operation, so the scores equal
``pipeline.predict_proba`` bit for bit (tests/test_fast_paths.py checks it).
Any other pipeline (character n-grams, naive Bayes) has no such form and is
scored through scikit-learn.

The file holds a JSON header and the arrays, each written with
``numpy.save`` (no pickles: ``allow_pickle=False`` on reading), in a fixed
order, so equal models give equal bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from asnclf.features.cues import CUE_INTERACTIONS, FAMILY_NAMES, MATCHER, cue_matrix
from asnclf.features.number_kinds import NUMBER_FEATURES, number_matrix
from asnclf.features.number_kinds import VOCABULARY as NUMBER_VOCABULARY
from asnclf.text.tokens import SharedVocabulary, TokenBatches
from asnclf.features.word_counts import WordNgramCounter, counter_for_vectorizer

FORMAT = "asnclf-linear-scorer/1"


class LinearScorer:
    """Feature blocks in union order, then ``squash(X @ weights + intercepts)``."""

    def __init__(self, blocks: list[dict], weights: np.ndarray, intercepts: np.ndarray, squash: str,
                 arrays: dict[str, np.ndarray]) -> None:
        self.blocks = blocks
        self.weights = np.ascontiguousarray(weights)
        self.intercepts = intercepts
        self.squash = squash
        self.arrays = arrays
        self.counters: dict[int, WordNgramCounter] = {}
        for index, block in enumerate(blocks):
            if block["kind"] == "word":
                counter = WordNgramCounter.build(block["vocabulary"], tuple(block["ngram_range"]), block["digits_as_zero"])
                if counter is None:
                    raise ValueError("word vocabulary too large for integer n-gram keys")
                self.counters[index] = counter
        self.shared = feature_vocabulary(self.counters.values())
        widths = [self._width(index, block) for index, block in enumerate(blocks)]
        if sum(widths) != len(self.weights):
            raise ValueError(f"the blocks have {sum(widths)} columns but there are {len(self.weights)} weight rows")

    def _width(self, index: int, block: dict) -> int:
        if block["kind"] == "word":
            return self.counters[index].n_features
        if block["kind"] == "cues":
            return len(FAMILY_NAMES) + (len(CUE_INTERACTIONS) if block["interactions"] else 0)
        return len(NUMBER_FEATURES)

    @classmethod
    def from_pipeline(cls, pipeline) -> LinearScorer | None:
        """The scoring form of a fitted pipeline, or None when it has none (see the module docstring)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        from asnclf.features.registry import block_name
        from asnclf.model.act_topic import ActTopicClassifier
        from asnclf.model.tagger import first_stage_classifier

        if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
            return None
        union, classifier = pipeline.steps[0][1], first_stage_classifier(pipeline)
        multilabel = isinstance(classifier, ActTopicClassifier) or (
            isinstance(classifier, OneVsRestClassifier) and classifier.multilabel_)
        if not isinstance(union, FeatureUnion) or not multilabel:
            return None
        estimators = classifier.estimators_
        kinds = {type(e) for e in estimators}
        if kinds not in ({LogisticRegression}, {LinearSVC}):
            return None
        if any(list(e.classes_) != [0, 1] or e.coef_.shape[0] != 1 for e in estimators):
            return None
        blocks, arrays = [], {}
        union_weights = union.transformer_weights or {}
        for name, transformer in union.transformer_list:
            if transformer == "drop":  # a block switched off: no columns
                continue
            index = len(blocks)
            block: dict = {"weight": union_weights.get(name)}
            versioned = block_name(transformer)  # the scoring form repeats these block versions' arithmetic only
            if versioned == "word_tfidf.v1":
                counter = counter_for_vectorizer(transformer)
                if counter is None or transformer.norm not in ("l2", None):
                    return None
                block.update(kind="word", vocabulary=sorted(transformer.vocabulary_, key=transformer.vocabulary_.get),
                             ngram_range=list(transformer.ngram_range), sublinear_tf=bool(transformer.sublinear_tf),
                             norm=transformer.norm, use_idf=bool(transformer.use_idf),
                             digits_as_zero=counter.digits_as_zero)
                if transformer.use_idf:
                    arrays[f"idf_{index}"] = np.asarray(transformer.idf_, dtype=np.float64)
            elif versioned == "cues.v1":
                block.update(kind="cues", value=transformer.weight, interactions=bool(transformer.interactions))
            elif versioned == "numbers.v1":
                block.update(kind="numbers", value=transformer.weight)
            else:
                return None
            blocks.append(block)
        weights = np.column_stack([e.coef_.ravel() for e in estimators])
        intercepts = np.array([float(np.ravel(e.intercept_)[0]) for e in estimators])
        squash = "logistic" if kinds == {LogisticRegression} else "margin"
        return cls(blocks, weights, intercepts, squash, arrays)

    def scores(self, sentences: list[str]) -> np.ndarray:
        """Scores in [0, 1], shape ``(len(sentences), tags)``, equal to the pipeline's."""
        # The same sparse product as scikit-learn's, over the same stacked matrix: equal sums, bit for bit.
        decision = self._features(TokenBatches(sentences, self.shared)) @ self.weights
        decision += self.intercepts
        if self.squash == "logistic":
            return expit(decision)
        return 1.0 / (1.0 + np.exp(-decision))

    def feature_names(self) -> list[str]:
        """The columns' names, as the pipeline's ``get_feature_names_out`` gives them (block name, two underscores)."""
        names: list[str] = []
        for block in self.blocks:
            if block["kind"] == "word":
                inner = list(block["vocabulary"])
            elif block["kind"] == "cues":
                inner = [f"cue:{name}" for name in FAMILY_NAMES]
                inner += [f"cue:{a}&{b}" for a, b in CUE_INTERACTIONS] if block["interactions"] else []
            else:
                inner = [f"num:{name}" for name in NUMBER_FEATURES]
            names += [f"{block['kind']}__{name}" for name in inner]
        return names

    def feature_row(self, sentence: str) -> sp.csr_matrix:
        """One sentence's feature values, a one-row matrix equal to the pipeline's feature union's."""
        return self._features(TokenBatches([sentence], self.shared))

    def _features(self, tokens: TokenBatches) -> sp.csr_matrix:
        """The feature union's matrix: every block's columns side by side, in union order."""
        return sp.hstack([self._block_matrix(index, tokens) for index in range(len(self.blocks))]).tocsr()

    def _block_matrix(self, index: int, tokens: TokenBatches) -> sp.csr_matrix:
        block = self.blocks[index]
        if block["kind"] == "word":
            counter = self.counters[index]
            matrix = _weigh_counts(counter.counts(tokens(counter.digits_as_zero)), block, self.arrays.get(f"idf_{index}"))
        elif block["kind"] == "cues":
            matrix = cue_matrix(tokens(True), block["value"], block["interactions"])
        else:
            matrix = number_matrix(tokens(True), block["value"])
        return matrix if block["weight"] is None else matrix * block["weight"]

    def save(self, path: Path) -> None:
        header = {"format": FORMAT, "blocks": self.blocks, "squash": self.squash, "arrays": sorted(self.arrays)}
        with open(path, "wb") as handle:
            np.save(handle, np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8))
            for array in (self.weights, self.intercepts, *(self.arrays[name] for name in sorted(self.arrays))):
                np.save(handle, array, allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> LinearScorer:
        with open(path, "rb") as handle:
            header = json.loads(np.load(handle, allow_pickle=False).tobytes().decode("utf-8"))
            if header.get("format") != FORMAT:
                raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
            weights = np.load(handle, allow_pickle=False)
            intercepts = np.load(handle, allow_pickle=False)
            arrays = {name: np.load(handle, allow_pickle=False) for name in header["arrays"]}
        return cls(header["blocks"], weights, intercepts, header["squash"], arrays)


def feature_vocabulary(counters) -> SharedVocabulary:
    """One look-up for the digits-as-zero word counters' vocabularies and the cue and number lexicons."""
    vocabularies = [counter.token_ids for counter in counters if counter.digits_as_zero]
    return SharedVocabulary(vocabularies + [MATCHER.vocabulary, NUMBER_VOCABULARY])


def _weigh_counts(counts: sp.csr_matrix, block: dict, idf: np.ndarray | None) -> sp.csr_matrix:
    """scikit-learn's ``TfidfTransformer.transform`` on counts, in the same operations and order."""
    if block["sublinear_tf"]:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if idf is not None:
        counts.data *= idf[counts.indices]
    if block["norm"] == "l2":
        # Row by row, summed in index order as scikit-learn's inplace_csr_row_normalize_l2 does.
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=counts.data * counts.data, minlength=counts.shape[0]))
        norms[norms == 0.0] = 1.0
        counts.data /= norms[rows]
    return counts
