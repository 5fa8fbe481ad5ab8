"""What a file that is not UTF-8 most likely is, so that a skip report can say how to convert it.

Only the common cases are named: UTF-16 and UTF-32 (with or without a byte
order mark, as Windows editors save "Unicode" text) and the single-byte
Windows-1252 / Latin-1 of older Indonesian news exports. It is a hint for
the message, never used to decode.
"""

from __future__ import annotations

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32-LE"),
    (b"\x00\x00\xfe\xff", "UTF-32-BE"),
    (b"\xff\xfe", "UTF-16-LE"),
    (b"\xfe\xff", "UTF-16-BE"),
)


def wide_encoding(sample: bytes) -> str | None:
    """``UTF-16-LE``, ``UTF-16-BE``, ``UTF-32-LE`` or ``UTF-32-BE`` when ``sample`` looks like one, else None.

    >>> wide_encoding("Bupati".encode("utf-16-le"))
    'UTF-16-LE'
    >>> wide_encoding(b"Bupati") is None
    True
    """
    for mark, name in _BOMS:
        if sample.startswith(mark):
            return name
    pairs = sample[: len(sample) // 2 * 2]
    if len(pairs) < 4:
        return None
    even, odd = pairs[0::2].count(0) / (len(pairs) // 2), pairs[1::2].count(0) / (len(pairs) // 2)
    # Latin text in UTF-16 has a NUL in nearly every other byte, and (almost) none in the others.
    if odd > 0.6 and even < 0.1:
        return "UTF-16-LE"
    if even > 0.6 and odd < 0.1:
        return "UTF-16-BE"
    return None


def narrow_encoding(data: bytes) -> str:
    """A name for the single-byte encoding of text that is not valid UTF-8 (and holds no NUL)."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "a single-byte encoding such as Latin-1"
    return "Windows-1252 or Latin-1"
