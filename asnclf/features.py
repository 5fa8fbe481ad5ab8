"""Sentence features: word and character n-gram TF-IDF, cue words, numbers.

The two hand-made transformers follow scikit-learn's estimator contract
(``__init__`` stores its arguments, ``fit`` returns ``self``, learned state
ends in ``_``), so ``clone``, ``Pipeline`` and ``GridSearchCV`` work on them.
All features are non-negative, which complement naive Bayes requires.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from asnclf.cues import FAMILY_NAMES, cue_families

if TYPE_CHECKING:  # scoring unpickles these transformers and must not import pydantic
    from asnclf.config import FeaturesConfig

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Pairs of cue families whose co-occurrence is the signal: a ban word alone
# may be about land burning; a ban word with the state apparatus is a tag.
CUE_INTERACTIONS: tuple[tuple[str, str], ...] = (
    ("prohibition_word", "apparatus"),
    ("prohibition_word", "election"),
    ("prohibition_word", "political_act"),
    ("negated_request", "apparatus"),
    ("negated_request", "election"),
    ("appeal_verb", "apparatus"),
    ("appeal_verb", "election"),
    ("appeal_verb", "purpose_link"),
    ("emphasis_call", "apparatus"),
    ("emphasis_statement", "election"),
    ("duty", "apparatus"),
    ("duty", "election"),
    ("sanction", "violator"),
    ("sanction", "apparatus"),
    ("zero_claim", "violator"),
    ("zero_claim", "apparatus"),
    ("count_word", "apparatus"),
    ("count_word", "election"),
    ("report", "apparatus"),
    ("prohibition_word", "other_topic"),
    ("appeal_verb", "other_topic"),
)


def normalize_numbers(text: str) -> str:
    """Lower-case and write every number as the token ``num``, so that "489 ASN" and "12 ASN" share n-grams."""
    return _NUMBER.sub(" num ", text.lower())


class CueWordFeatures(TransformerMixin, BaseEstimator):
    """Binary indicators of Indonesian cue-word families and of their key pairs.

    Parameters
    ----------
    weight : float
        Value of a present indicator; scales this block against TF-IDF.
    interactions : bool
        Whether to add the :data:`CUE_INTERACTIONS` pair indicators.
    """

    def __init__(self, weight: float = 1.0, interactions: bool = True) -> None:
        self.weight = weight
        self.interactions = interactions

    def fit(self, X, y=None):
        names = [f"cue:{name}" for name in FAMILY_NAMES]
        if self.interactions:
            names += [f"cue:{a}&{b}" for a, b in CUE_INTERACTIONS]
        self.feature_names_ = np.array(names, dtype=object)
        return self

    def transform(self, X):
        columns = {name: i for i, name in enumerate(FAMILY_NAMES)}
        # Pairs keyed by their first family, so a sentence checks only the pairs it can complete.
        pairs_from: dict[str, list[tuple[str, int]]] = {}
        if self.interactions:
            for k, (a, b) in enumerate(CUE_INTERACTIONS):
                pairs_from.setdefault(a, []).append((b, len(FAMILY_NAMES) + k))
        indices: list[int] = []
        indptr = [0]
        for sentence in X:
            found = cue_families(sentence.lower())
            row = [columns[name] for name in found]
            for name in found:
                for other, column in pairs_from.get(name, ()):
                    if other in found:
                        row.append(column)
            row.sort()
            indices.extend(row)
            indptr.append(len(indices))
        data = np.full(len(indices), float(self.weight))
        return sp.csr_matrix((data, indices, indptr), shape=(len(X), len(self.feature_names_)))

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


_MONTHS = r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|agu|agt|sep|okt|nov|des"
_NUMBER_KINDS = re.compile(
    r"(?P<date>\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}\s+(?:" + _MONTHS + r")\b)"
    r"|(?P<time>\b\d{1,2}[.:]\d{2}\s*(?:wib|wita|wit)\b)"
    r"|(?P<law>\b(?:nomor|no\.?|pasal|ayat|uu|pp|perpres|permen\w*|perbup|perda)\s*\d+)"
    r"|(?P<money>\brp\.?\s*\d[\d.,]*)"
    r"|(?P<percent>\b\d+(?:,\d+)?\s*(?:persen\b|%))"
    r"|(?P<phone>\b0\d{2,4}[-\s]?\d{3,4}[-\s]?\d{3,5}\b)"
    r"|(?P<year>\b(?:19|20)\d{2}\b)"
    r"|(?P<thousands>\b\d{1,3}(?:\.\d{3})+\b)"
    r"|(?P<count>\b\d+\b)"
)
_COUNTED_NOUN = re.compile(
    r"\b(?:\d[\d.,]*|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    r"belasan|puluhan|ratusan|ribuan)\s+(?:orang\s+)?(?:asn|pns|pppk|orang|pegawai|laporan|kasus|pelanggaran|"
    r"tps|petugas|personel|pemilih|desa|kecamatan|camat|kades|kepala|temuan|aduan|pengawas|anggota|guru|"
    r"tenaga|aparatur|pejabat|lurah|dugaan|rekomendasi|surat|akun|unggahan|kpps|saksi|honorer|bidan)\b"
)

# The look-aheads name the characters a match can start with (a digit, or the
# first letter of a law word, "rp" or a number word), so the engine turns away
# every other position at once; they change no match (tests/test_fast_paths.py).
# Every alternative starts at a word boundary, so testing ``\b`` first skips
# the positions inside words before any alternative is tried.
_NUMBER_KINDS = re.compile(r"\b(?=[\dnpaur])(?:" + _NUMBER_KINDS.pattern + ")")
_COUNTED_NOUN = re.compile(r"\b(?=[\dsdtelbpr])" + _COUNTED_NOUN.pattern)
_DIGIT = re.compile(r"\d")

NUMBER_FEATURES: tuple[str, ...] = (
    "date", "time", "law", "money", "percent", "phone", "year", "thousands", "count", "counted_noun", "only_calendar"
)


class NumberFeatures(TransformerMixin, BaseEstimator):
    """What kinds of number a sentence holds: counts and percentages versus dates, law numbers, money, phones.

    The annotation guide tags counts, not dates or regulation numbers; these
    indicators let a linear model learn that difference.
    """

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, X, y=None):
        self.feature_names_ = np.array([f"num:{name}" for name in NUMBER_FEATURES], dtype=object)
        return self

    def transform(self, X):
        index = {name: i for i, name in enumerate(NUMBER_FEATURES)}
        calendar = {"date", "time", "year", "law", "phone"}
        indices: list[int] = []
        indptr = [0]
        for sentence in X:
            lowered = sentence.lower()
            # Every number kind holds a digit: a sentence without one skips the long alternation.
            kinds = {found.lastgroup for found in _NUMBER_KINDS.finditer(lowered)} if _DIGIT.search(lowered) else set()
            if _COUNTED_NOUN.search(lowered):
                kinds.add("counted_noun")
            if kinds and kinds <= calendar:
                kinds.add("only_calendar")
            indices.extend(sorted(index[kind] for kind in kinds))
            indptr.append(len(indices))
        data = np.full(len(indices), float(self.weight))
        return sp.csr_matrix((data, indices, indptr), shape=(len(X), len(NUMBER_FEATURES)))

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


def build_features(config: FeaturesConfig) -> FeatureUnion:
    """The feature union a config asks for, blocks named word/char/cues/numbers."""
    blocks = []
    if config.word.enabled:
        word = config.word
        blocks.append(
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, word.ngram_max),
                    min_df=word.min_df,
                    max_features=word.max_features,
                    sublinear_tf=word.sublinear_tf,
                    preprocessor=normalize_numbers if word.normalize_numbers else None,
                    lowercase=True,
                    dtype=np.float64,
                ),
            )
        )
    if config.char.enabled:
        char = config.char
        blocks.append(
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(char.ngram_min, char.ngram_max),
                    min_df=char.min_df,
                    max_features=char.max_features,
                    sublinear_tf=True,
                    lowercase=True,
                    dtype=np.float64,
                ),
            )
        )
    if config.cues.enabled:
        blocks.append(("cues", CueWordFeatures(weight=config.cues.weight)))
    if config.numbers.enabled:
        blocks.append(("numbers", NumberFeatures(weight=config.numbers.weight)))
    return FeatureUnion(blocks)
