"""Words of a sentence, as every feature block sees them, for one sentence or a whole batch at once.

A token is a maximal run of ASCII letters and digits, lower-cased; any other
character (space, punctuation, and every non-ASCII character) separates
tokens. With ``digits_as_zero`` every digit is written ``0``, so "489 ASN"
and "12 ASN" share the shape "000 asn"/"00 asn" and "2024" becomes "0000".

The definition is chosen to be computable without Python code per character
or per token. One sentence is tokenised by C-level string methods (ASCII
encoding, one byte translation table, a whitespace split): the form
scikit-learn's vectorizer calls during training. A batch (:class:`TokenBatch`)
joins its sentences into one byte string, translated once, and finds every
token with array operations over its bytes; each token is held as a pair of
integers (its first 16 bytes) and looked up in a vocabulary through a
:class:`~asnclf.text.key_index.KeyIndex`, so no Python object is made per token.
Both forms give the same tokens (a property test checks it). Indonesian news
text is ASCII apart from typographic quotes and dashes, which separate words
anyway.
"""

from __future__ import annotations

import numpy as np

from asnclf.text.key_index import KeyIndex


def _table(digits_as_zero: bool) -> bytes:
    table = bytearray(b" " * 256)
    for code in range(ord("a"), ord("z") + 1):
        table[code] = table[code - 32] = code
    for code in range(ord("0"), ord("9") + 1):
        table[code] = ord("0") if digits_as_zero else code
    return bytes(table)


_TABLES = {True: _table(True), False: _table(False)}


def tokenize(sentence: str, digits_as_zero: bool = True) -> list[str]:
    """The tokens of one sentence.

    >>> tokenize("Sebanyak 1.234 ASN—di Kab. Garut—dilaporkan.")
    ['sebanyak', '0', '000', 'asn', 'di', 'kab', 'garut', 'dilaporkan']
    """
    # A non-ASCII character is encoded as "?", and so separates tokens.
    return sentence.encode("ascii", "replace").translate(_TABLES[digits_as_zero]).decode("ascii").split()


def tokenize_digits_as_zero(sentence: str) -> list[str]:
    """:func:`tokenize` with digits as ``0``: the word block's tokenizer (a named function, so models pickle)."""
    return tokenize(sentence, True)


def tokenize_keeping_digits(sentence: str) -> list[str]:
    """:func:`tokenize` keeping digits: the word block's tokenizer when ``normalize_numbers`` is off."""
    return tokenize(sentence, False)


# Between sentences in a batch's text. The batch tables keep it; tokenize turns it into a separator.
_MARKER = "\x01"
# A token's key reads the 16 bytes from its start: the padding keeps the last token's read inside the text.
_PADDING = " " * 24
_KEY_BYTES = 16
_LOW_BYTES = np.array([(1 << (8 * size)) - 1 for size in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def _batch_table(digits_as_zero: bool) -> bytes:
    table = bytearray(_TABLES[digits_as_zero])
    table[ord(_MARKER)] = ord(_MARKER)
    return bytes(table)


_BATCH_TABLES = {True: _batch_table(True), False: _batch_table(False)}


def _token_keys(text: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every space-separated token of ``text`` as its first 16 bytes read as two integers, with its start and size.

    ``text`` must begin with a space and end with :data:`_PADDING`. Bytes past
    a token's end are masked to zero, and a token has no zero byte, so the pair
    of integers is the token itself for tokens of up to 16 bytes.
    """
    codes = np.frombuffer(text, dtype=np.uint8)
    in_token = codes != ord(" ")
    edges = np.flatnonzero(in_token[1:] != in_token[:-1]) + 1  # alternately: a token's start, its end
    starts, sizes = edges[0::2], edges[1::2] - edges[0::2]
    # Every byte offset as the start of a little-endian uint64 (an overlapping, unaligned view: no copy).
    words = np.ndarray((len(text) - 7,), dtype="<u8", buffer=text, strides=(1,))
    first = words[starts] & _LOW_BYTES[np.minimum(sizes, 8)]
    second = words[starts + 8] & _LOW_BYTES[np.clip(sizes - 8, 0, 8)]
    return first, second, starts, sizes


class TokenBatch:
    """The tokens of many sentences, flat, with the sentence each belongs to.

    The sentences are joined into one text and tokenised with a handful of
    array operations over its bytes: no Python object is made per token. A
    token is held as a pair of integers (its bytes) and looked up in a
    vocabulary by :meth:`ids`.

    Attributes
    ----------
    lengths : ndarray of int64
        Tokens per sentence.
    sentence_of : ndarray of int32
        For each token, the index of its sentence.
    """

    def __init__(self, sentences: list[str], digits_as_zero: bool = True, shared: SharedVocabulary | None = None) -> None:
        self.n_sentences = len(sentences)
        # Non-ASCII characters are replaced first, in the few sentences that have them: one such
        # sentence would otherwise make the whole joined text a wide string, slower to search and encode.
        wide = np.flatnonzero(~np.fromiter(map(str.isascii, sentences), dtype=bool, count=len(sentences)))
        if len(wide):
            sentences = list(sentences)
            for index in wide.tolist():
                sentences[index] = sentences[index].encode("ascii", "replace").decode("ascii")
        text = f" {f' {_MARKER} '.join(sentences)}{_PADDING}".encode("ascii")
        if text.count(_MARKER.encode("ascii")) != max(len(sentences) - 1, 0):
            # A sentence holds the marker character; for tokenize it is a separator, as a space is.
            text = f" {f' {_MARKER} '.join(sentence.replace(_MARKER, ' ') for sentence in sentences)}{_PADDING}".encode("ascii")
        self._untranslated = text
        self._text = text.translate(_BATCH_TABLES[digits_as_zero])
        first, second, starts, sizes = _token_keys(self._text)
        marker = (sizes == 1) & (first == ord(_MARKER))
        self._marker_starts = starts[marker]  # where each sentence but the first begins, in bytes
        word = ~marker
        self.sentence_of = np.cumsum(marker, dtype=np.int32)[word]
        self.lengths = np.bincount(self.sentence_of, minlength=self.n_sentences)
        self._first, self._second = first[word], second[word]
        self._starts, self._sizes = starts[word], sizes[word]
        self._shared = shared
        self._shared_ids: np.ndarray | None = None
        self._same_sentence: dict[int, np.ndarray] = {}
        self._first_tokens = np.cumsum(self.lengths) - self.lengths  # where each sentence's tokens begin
        self._empty = np.flatnonzero(self.lengths == 0)

    def __len__(self) -> int:
        return len(self.sentence_of)

    @property
    def tokens(self) -> list[bytes]:
        """Every token of every sentence, in order (made on request: scoring never needs them)."""
        return self.tokens_at(np.arange(len(self)))

    def tokens_at(self, positions: np.ndarray) -> list[bytes]:
        """The tokens at ``positions``."""
        text = self._text
        return [text[start:start + size] for start, size in zip(self._starts[positions].tolist(), self._sizes[positions].tolist())]

    def ids(self, token_ids: dict[bytes, int]) -> np.ndarray:
        """Each token's id in ``token_ids``, or -1 for a token not in it."""
        translation = self._shared.translation(token_ids) if self._shared is not None else None
        if translation is None:
            return TokenIndex(token_ids).look_up(self)
        if self._shared_ids is None:
            self._shared_ids = self._shared.index.look_up(self) + 1
        return translation[self._shared_ids]

    def same_sentence(self, offset: int) -> np.ndarray:
        """For each token position i (up to ``len - offset``), whether token i + offset is in the same sentence.

        The result is shared between callers (the feature blocks ask for the same few offsets many times): do not modify it.
        """
        if offset not in self._same_sentence:
            self._same_sentence[offset] = self.sentence_of[:len(self) - offset] == self.sentence_of[offset:]
        return self._same_sentence[offset]

    def ngrams(self, ids: np.ndarray, n: int, base: int, begins: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Start positions and integer keys ``id_1 * base**(n-1) + … + id_n`` of the n-grams within one sentence.

        ``ids`` are token ids + 1 (0: unknown); n-grams with an unknown token are left out, and so are
        those whose first id is False in ``begins`` (indexed by id), when given.
        """
        starts = len(ids) - n + 1
        if starts <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        valid = self.same_sentence(n - 1) & (ids[:starts] > 0)
        if begins is not None:
            valid &= begins[ids[:starts]]
        for k in range(1, n):
            valid &= ids[k:k + starts] > 0
        # Keys are computed for the n-grams kept only: usually a small part of the positions.
        positions = np.flatnonzero(valid)
        key = ids[positions]
        for k in range(1, n):
            key = key * base + ids[positions + k]
        return positions, key

    def near(self, values: np.ndarray, at: np.ndarray, offsets) -> dict[int, np.ndarray]:
        """For the token positions ``at``: per offset, ``values`` of the token that many places on (back, when
        negative), or 0 where that token is in another sentence or there is none.

        The cue and number rules are anchored on a few tokens (a number, a request verb) and look a
        few tokens around them: looking around those positions only costs a fraction of shifting
        masks over every token.
        """
        sentence = self.sentence_of[at]
        found = {}
        for offset in offsets:
            if offset == 0:  # a token is in its own sentence
                found[0] = values[at]
                continue
            other = at + offset
            inside = (other >= 0) & (other < len(values))
            other[~inside] = 0
            found[offset] = np.where(inside & (self.sentence_of[other] == sentence), values[other], 0)
        return found

    def holding(self, character: str) -> np.ndarray:
        """For each sentence, whether its text holds the ASCII ``character`` (one that tokenising drops, say).

        Not "?", which stands in for every non-ASCII character in the batch's text, nor the marker between sentences.
        """
        if len(character) != 1 or not character.isascii() or character in ("?", _MARKER):
            raise ValueError(f"holding() takes one ASCII character other than '?' and {_MARKER!r}, found {character!r}")
        found = np.flatnonzero(np.frombuffer(self._untranslated, dtype=np.uint8) == ord(character))
        holding = np.zeros(self.n_sentences, dtype=bool)
        holding[np.searchsorted(self._marker_starts, found)] = True
        return holding

    def any_at(self, positions: np.ndarray) -> np.ndarray:
        """For each sentence, whether any of the token ``positions`` is in it."""
        found = np.zeros(self.n_sentences, dtype=bool)
        found[self.sentence_of[positions]] = True
        return found

    def or_per_sentence(self, bits: np.ndarray) -> np.ndarray:
        """For each sentence, the bitwise OR of ``bits`` (one integer per token) over its tokens (0 for none)."""
        # One pass of ``reduceat`` over the tokens. It needs a valid start for every sentence (a zero is
        # appended for empty sentences at the end) and returns a start's own element for an empty
        # sentence, which is reset to zero.
        if not self.n_sentences:
            return np.zeros(0, dtype=bits.dtype)
        combined = np.bitwise_or.reduceat(np.append(bits, np.zeros(1, dtype=bits.dtype)), self._first_tokens)
        combined[self._empty] = 0
        return combined


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
    """Several vocabularies merged, so that a batch looks each token up once (one :class:`TokenIndex`) instead of once per block.

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
        self.index = TokenIndex(self.merged)

    def __getstate__(self) -> dict:
        return {"merged": self.merged, "entries": list(self._translations.values())}

    def __setstate__(self, state: dict) -> None:
        self.merged = state["merged"]
        self._translations = {id(vocabulary): (vocabulary, table) for vocabulary, table in state["entries"]}
        self.index = TokenIndex(self.merged)

    def translation(self, vocabulary: dict[bytes, int]) -> np.ndarray | None:
        """Merged id + 1 -> id in ``vocabulary`` (-1: not in it), or None for a vocabulary not merged here."""
        entry = self._translations.get(id(vocabulary))
        return entry[1] if entry is not None and entry[0] is vocabulary else None


class TokenIndex:
    """A vocabulary (token -> id) in the form :class:`TokenBatch` looks tokens up in: one array operation per batch."""

    def __init__(self, token_ids: dict[bytes, int]) -> None:
        # A token outside [a-z0-9] can never be a batch token; leaving it out keeps every key one token.
        tokens = [token for token in token_ids if token and not token.translate(None, _TOKEN_BYTES)]
        short = [token for token in tokens if len(token) <= _KEY_BYTES]
        first, second, _, _ = _token_keys(b" " + b" ".join(short) + _PADDING.encode("ascii"))
        self._index = KeyIndex(first, second, np.fromiter(map(token_ids.__getitem__, short), dtype=np.int64, count=len(short)))
        self._long = {token: token_ids[token] for token in tokens if len(token) > _KEY_BYTES}

    def look_up(self, batch: TokenBatch) -> np.ndarray:
        """The id of each token of ``batch``, or -1."""
        ids = self._index.find(batch._first, batch._second)
        long = np.flatnonzero(batch._sizes > _KEY_BYTES)
        if len(long):  # its key is only its first 16 bytes: looked up whole
            ids[long] = [self._long.get(token, -1) for token in batch.tokens_at(long)]
        return ids


_TOKEN_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789"
