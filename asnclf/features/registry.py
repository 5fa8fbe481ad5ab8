"""Feature blocks by versioned name, as spaCy names what it registers (``cues.v1``).

A saved model records the versioned name of each block of its feature union
(the manifest's ``feature_blocks``), and loading refuses a model that names a
version this code does not have, saying which. The rule for changing a block:
when what it outputs for some text changes (a cue word added, a number kind
redefined), it becomes a new version and the old one stays registered for as
long as models made with it are to load; a change in speed, comments or
docstrings keeps the version. :func:`asnclf.features.probe.feature_fingerprint`
tells the two apart, and the shipped model's test checks it.
"""

from __future__ import annotations

from collections.abc import Mapping

from asnclf.errors import ArtifactError

# Versioned name -> what the version computes. The code of each is named beside it.
BLOCKS: Mapping[str, str] = {
    "word_tfidf.v1": "word 1..n-gram TF-IDF over asnclf's tokens (asnclf/text/tokens.py), digits as 0 or kept",
    "char_tfidf.v1": "character n-gram TF-IDF within words, scikit-learn's char_wb analyzer",
    "cues.v1": "Indonesian cue-word families and their key pairs (asnclf/features/cues.py)",
    "numbers.v1": "kinds of number: counts, percentages, dates, law numbers, money, phones (asnclf/features/number_kinds.py)",
}


def block_name(transformer) -> str | None:
    """The versioned name of one transformer of a feature union, or None for one asnclf does not make."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from asnclf.text.tokens import tokenize_digits_as_zero, tokenize_keeping_digits

    named = getattr(type(transformer), "block_name", None)
    if named is not None:
        return named
    if type(transformer) is TfidfVectorizer:
        if transformer.tokenizer in (tokenize_digits_as_zero, tokenize_keeping_digits):
            return "word_tfidf.v1"
        if transformer.analyzer == "char_wb":
            return "char_tfidf.v1"
    return None


def union_block_names(union) -> dict[str, str]:
    """Each block of a fitted feature union, by its name in the union, with its versioned name."""
    names = {}
    for name, transformer in union.transformer_list:
        if transformer == "drop":
            continue
        versioned = block_name(transformer)
        names[name] = versioned if versioned is not None else f"custom:{type(transformer).__qualname__}"
    return names


def check_known_blocks(where: str, names: Mapping[str, str]) -> None:
    """Raise :class:`ArtifactError` naming the first block version this code does not have."""
    for block, versioned in names.items():
        if versioned not in BLOCKS and not versioned.startswith("custom:"):
            raise ArtifactError(f"{where}: the model's feature block {block!r} is {versioned!r}, which this asnclf "
                                f"does not have (it has {', '.join(sorted(BLOCKS))}); install the asnclf version "
                                "the model was made with, or retrain it")
