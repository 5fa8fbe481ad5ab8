"""Words of a sentence, as every feature block sees them, for one sentence or a whole batch at once.

A token is a maximal run of ASCII letters and digits, lower-cased; any other
character (space, punctuation, and every non-ASCII character) separates
tokens. With ``digits_as_zero`` every digit is written ``0``, so "489 ASN"
and "12 ASN" share the shape "000 asn"/"00 asn" and "2024" becomes "0000".

The definition is chosen to be computable by C-level string methods alone
(ASCII encoding, one byte translation table, a whitespace split), with no
Python code per character or per token: tokenising costs about 1 µs per
sentence, against 3–7 µs for a regular expression like scikit-learn's
``\\b\\w\\w+\\b``. Indonesian news text is ASCII apart from typographic quotes and
dashes, which separate words anyway.
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import methodcaller

import numpy as np


def _table(digits_as_zero: bool) -> bytes:
    table = bytearray(b" " * 256)
    for code in range(ord("a"), ord("z") + 1):
        table[code] = table[code - 32] = code
    for code in range(ord("0"), ord("9") + 1):
        table[code] = ord("0") if digits_as_zero else code
    return bytes(table)


_TABLES = {True: _table(True), False: _table(False)}
_ENCODE = methodcaller("encode", "ascii", "replace")  # a non-ASCII character becomes "?", a separator


def tokenize(sentence: str, digits_as_zero: bool = True) -> list[str]:
    """The tokens of one sentence.

    >>> tokenize("Sebanyak 1.234 ASN—di Kab. Garut—dilaporkan.")
    ['sebanyak', '0', '000', 'asn', 'di', 'kab', 'garut', 'dilaporkan']
    """
    return sentence.encode("ascii", "replace").translate(_TABLES[digits_as_zero]).decode("ascii").split()


def tokenize_digits_as_zero(sentence: str) -> list[str]:
    """:func:`tokenize` with digits as ``0``: the word block's tokenizer (a named function, so models pickle)."""
    return tokenize(sentence, True)


def tokenize_keeping_digits(sentence: str) -> list[str]:
    """:func:`tokenize` keeping digits: the word block's tokenizer when ``normalize_numbers`` is off."""
    return tokenize(sentence, False)


class TokenBatch:
    """The tokens of many sentences, flat, as bytes, with the sentence each belongs to.

    Attributes
    ----------
    tokens : list of bytes
        Every token of every sentence, in order.
    lengths : ndarray of int64
        Tokens per sentence.
    sentence_of : ndarray of int64
        For each token, the index of its sentence.
    """

    def __init__(self, sentences: list[str], digits_as_zero: bool = True, shared: SharedVocabulary | None = None) -> None:
        table = _TABLES[digits_as_zero]
        # One C-level pass per sentence and step; no Python code runs per character or token.
        split = list(map(bytes.split, map(methodcaller("translate", table), map(_ENCODE, sentences))))
        self.n_sentences = len(sentences)
        self.lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        self.tokens: list[bytes] = list(chain.from_iterable(split))
        self.sentence_of = np.repeat(np.arange(len(sentences), dtype=np.int64), self.lengths)
        self._shared = shared
        self._shared_ids: np.ndarray | None = None

    def ids(self, token_ids: dict[bytes, int]) -> np.ndarray:
        """Each token's id in ``token_ids``, or -1 for a token not in it."""
        translation = self._shared.translation(token_ids) if self._shared is not None else None
        if translation is None:
            return _look_up(self.tokens, token_ids)
        if self._shared_ids is None:
            self._shared_ids = _look_up(self.tokens, self._shared.merged) + 1
        return translation[self._shared_ids]

    def same_sentence(self, offset: int) -> np.ndarray:
        """For each token position i (up to ``len - offset``), whether token i + offset is in the same sentence."""
        return self.sentence_of[:len(self.tokens) - offset] == self.sentence_of[offset:]

    def ngrams(self, ids: np.ndarray, n: int, base: int) -> tuple[np.ndarray, np.ndarray]:
        """Start positions and integer keys ``id_1 * base**(n-1) + … + id_n`` of the n-grams within one sentence.

        ``ids`` are token ids + 1 (0: unknown); n-grams with an unknown token are left out.
        """
        starts = len(ids) - n + 1
        if starts <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        key, valid = ids[:starts].copy(), self.same_sentence(n - 1)
        for k in range(n):
            valid &= ids[k:k + starts] > 0
            if k:
                key = key * base + ids[k:k + starts]
        positions = np.flatnonzero(valid)
        return positions, key[positions]

    def after(self, mask: np.ndarray, gap: int = 1) -> np.ndarray:
        """``result[i]``: ``mask[i + gap]`` holds and that token is in the same sentence as token i."""
        shifted = np.zeros(len(mask), dtype=bool)
        if len(mask) > gap:
            shifted[:-gap] = mask[gap:] & self.same_sentence(gap)
        return shifted

    def before(self, mask: np.ndarray, gap: int = 1) -> np.ndarray:
        """``result[i]``: ``mask[i - gap]`` holds and that token is in the same sentence as token i."""
        shifted = np.zeros(len(mask), dtype=bool)
        if len(mask) > gap:
            shifted[gap:] = mask[:-gap] & self.same_sentence(gap)
        return shifted

    def any_per_sentence(self, mask: np.ndarray) -> np.ndarray:
        """For each sentence, whether ``mask`` holds for any of its tokens."""
        found = np.zeros(self.n_sentences, dtype=bool)
        found[self.sentence_of[mask]] = True
        return found

    def count_per_sentence(self, positions: np.ndarray) -> np.ndarray:
        """How many of the token ``positions`` fall in each sentence."""
        return np.bincount(self.sentence_of[positions], minlength=self.n_sentences)


def lexicon_tables(
    tables: dict[str, dict[str, int]], digits_as_zero: bool = True
) -> tuple[dict[bytes, int], dict[str, np.ndarray]]:
    """Ids for every word of ``tables``, and each table as an array indexed by ``id + 1``.

    ``tables`` maps a table name to ``{word: bits}``; a word listed twice has
    its bits OR-ed. Row 0 of every array (value 0) is for tokens outside the
    lexicon, so ``array[batch.ids(vocabulary) + 1]`` looks a whole batch up.
    Words go through :func:`tokenize` first ("P3K" is looked up as "p0k")
    and must be one token each.
    """
    vocabulary: dict[bytes, int] = {}
    merged: dict[str, dict[int, int]] = {}
    for name, values in tables.items():
        rows = merged.setdefault(name, {})
        for word, bits in values.items():
            (token,) = tokenize(word, digits_as_zero)
            index = vocabulary.setdefault(token.encode("ascii"), len(vocabulary)) + 1
            rows[index] = rows.get(index, 0) | bits
    arrays = {}
    for name, rows in merged.items():
        arrays[name] = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        for index, bits in rows.items():
            arrays[name][index] = bits
    return vocabulary, arrays


class TokenBatches:
    """The :class:`TokenBatch` of one list of sentences for each digit mode, made on first request.

    Digits-as-zero batches look their tokens up through ``shared``.
    """

    def __init__(self, sentences: list[str], shared: SharedVocabulary | None = None) -> None:
        self.sentences = sentences
        self.shared = shared
        self._made: dict[bool, TokenBatch] = {}

    def __call__(self, digits_as_zero: bool = True) -> TokenBatch:
        if digits_as_zero not in self._made:
            shared = self.shared if digits_as_zero else None
            self._made[digits_as_zero] = TokenBatch(self.sentences, digits_as_zero, shared)
        return self._made[digits_as_zero]


class SharedVocabulary:
    """Several vocabularies merged, so that a batch looks each token up in one dictionary instead of one per block.

    A batch made with ``shared=`` this object maps its tokens once to merged
    ids; :meth:`TokenBatch.ids` then translates them to any of the
    vocabularies given here with an array index.
    """

    def __init__(self, vocabularies: list[dict[bytes, int]]) -> None:
        self.merged: dict[bytes, int] = {}
        for vocabulary in vocabularies:
            for token in vocabulary:
                self.merged.setdefault(token, len(self.merged))
        # Keyed by identity: the vocabularies are fixed once a model is loaded; each is kept alive here.
        self._translations: dict[int, tuple[dict, np.ndarray]] = {}
        for vocabulary in vocabularies:
            translation = np.full(len(self.merged) + 1, -1, dtype=np.int64)  # row 0: a token in none of them
            for token, index in vocabulary.items():
                translation[self.merged[token] + 1] = index
            self._translations[id(vocabulary)] = (vocabulary, translation)

    def __getstate__(self) -> dict:
        return {"merged": self.merged, "entries": list(self._translations.values())}

    def __setstate__(self, state: dict) -> None:
        self.merged = state["merged"]
        self._translations = {id(vocabulary): (vocabulary, table) for vocabulary, table in state["entries"]}

    def translation(self, vocabulary: dict[bytes, int]) -> np.ndarray | None:
        """Merged id + 1 -> id in ``vocabulary`` (-1: not in it), or None for a vocabulary not merged here."""
        entry = self._translations.get(id(vocabulary))
        return entry[1] if entry is not None and entry[0] is vocabulary else None


def _look_up(tokens: list[bytes], vocabulary: dict[bytes, int]) -> np.ndarray:
    count = len(tokens)
    return np.fromiter(map(vocabulary.get, tokens, repeat(-1, count)), dtype=np.int64, count=count)
