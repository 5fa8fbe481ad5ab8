"""What kinds of number a sentence holds, found on its tokens for a whole batch at once.

The annotation guide tags counts ("489 ASN dilaporkan"), not dates, times,
regulation numbers, money or phone numbers. The kinds below let a linear
model learn that difference. They are read off the token shapes of
:mod:`asnclf.text.tokens`, where every digit is ``0`` and punctuation separates
tokens: "1.234 ASN" is ``0 000 asn``, "27 November 2024" is ``00 november
0000``, "pukul 09.00 WIB" is ``pukul 00 00 wib``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from asnclf.text.tokens import TokenBatch, lexicon_tables

NUMBER_FEATURES: tuple[str, ...] = (
    "date", "time", "law", "money", "percent", "phone", "year", "thousands", "count", "counted_noun", "only_calendar"
)
CALENDAR_KINDS = frozenset({"date", "time", "year", "law", "phone"})

_MAX_DIGITS = 20
_ROLE_WORDS: dict[str, str] = {
    "month": "januari februari maret april mei juni juli agustus september oktober november desember "
             "jan feb mar apr jun jul agu agt sep okt nov des",
    "zone": "wib wita wit",
    "law": "nomor no pasal ayat uu pp perpres permen permendagri permenpan permenpanrb perbup perwal pergub perda",
    "rp": "rp",
    "persen": "persen",
    "number_word": "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu "
                   "belasan puluhan ratusan ribuan kedua ketiga keempat kelima keenam ketujuh kedelapan kesembilan "
                   "kesepuluh",
    "noun": "asn pns pppk orang pegawai laporan kasus pelanggaran tps petugas personel pemilih desa kecamatan camat "
            "kades kepala temuan aduan pengawas anggota guru tenaga aparatur pejabat lurah dugaan rekomendasi surat "
            "akun unggahan kpps saksi honorer bidan perangkat perkara sangadi keuchik perbekel kuwu kepling pembakal "
            "penyuluh",
}
_ROLES = tuple(_ROLE_WORDS) + ("number", "short", "year", "group", "long", "part", "money_shape")
_ROLE = {role: 1 << position for position, role in enumerate(_ROLES)}


def _shape_roles(digits: int) -> int:
    roles = _ROLE["number"]
    if digits <= 2:
        roles |= _ROLE["short"]
    if digits == 3:
        roles |= _ROLE["group"]
    if digits == 4:
        roles |= _ROLE["year"]
    if digits >= 3:
        roles |= _ROLE["part"]
    if digits >= 9:
        roles |= _ROLE["long"]
    return roles


def _role_table() -> dict[str, int]:
    words: dict[str, int] = {}
    for role, role_words in _ROLE_WORDS.items():
        for word in role_words.split():
            words[word] = words.get(word, 0) | _ROLE[role]
    for digits in range(1, _MAX_DIGITS + 1):
        words["0" * digits] = _shape_roles(digits)
        words["rp" + "0" * digits] = _ROLE["money_shape"]  # "Rp5.000" is one token "rp0", then "000"
    return words


VOCABULARY, _TABLES = lexicon_tables({"roles": _role_table()})


_NUMBERISH = _ROLE["number"] | _ROLE["money_shape"] | _ROLE["number_word"]
_REACH = 2  # every kind looks at most two tokens away from a number


def number_kinds(batch: TokenBatch) -> np.ndarray:
    """A boolean matrix, one row per sentence, one column per name of :data:`NUMBER_FEATURES`."""
    role = _TABLES["roles"][batch.ids(VOCABULARY) + 1]
    # Every kind is about a number (or a money shape, or a number word) and the tokens around it, so
    # only those positions are looked at: a few in a hundred tokens, instead of every one.
    at = np.flatnonzero(role & _NUMBERISH)
    near = batch.near(role, at, range(-_REACH, _REACH + 1))

    def has(name: str, offset: int = 0) -> np.ndarray:
        return (near[offset] & _ROLE[name]) != 0

    number = has("number")

    def phone_at(offset: int) -> np.ndarray:
        return has("long", offset) | has("part", offset) & has("part", offset + 1) & has("part", offset + 2)

    phone = phone_at(0)
    in_phone = phone | has("part") & (phone_at(-1) | phone_at(-2))
    decimal = number & has("number", 1)  # "78,5" is "00 0"
    found = {
        "date": has("short") & has("month", 1),
        "time": number & (has("zone", 1) | has("number", 1) & has("zone", 2)),
        "law": number & has("law", -1),
        "money": number & has("rp", -1) | has("money_shape"),
        "percent": number & (has("persen", 1) | decimal & has("persen", 2)),
        "phone": phone,
        "year": has("year") & ~in_phone,
        "thousands": number & has("group", 1) & ~in_phone,
        "counted_noun": (number | has("number_word")) & has("noun", 1),
    }
    # A count is a number that is none of the other kinds (nor the "000" group of a thousands number).
    other = found["year"] | found["date"] | found["time"] | found["law"] | found["money"]
    other |= found["percent"] | in_phone | has("group") & (has("number", -1) | has("money_shape", -1))
    found["count"] = number & ~other
    kinds = {name: batch.any_at(at[mask]) for name, mask in found.items()}
    # "12%" tokenises to "00" alone: the sign is seen on the text.
    kinds["percent"] |= batch.holding("%") & batch.any_at(at[number])
    calendar = np.logical_or.reduce([kinds[name] for name in sorted(CALENDAR_KINDS)])
    non_calendar = np.logical_or.reduce([kinds[name] for name in kinds if name not in CALENDAR_KINDS])
    kinds["only_calendar"] = calendar & ~non_calendar
    return np.column_stack([kinds[name] for name in NUMBER_FEATURES])


def number_matrix(batch: TokenBatch, weight: float = 1.0) -> sp.csr_matrix:
    """:func:`number_kinds` as a sparse matrix of ``weight`` where a kind is present."""
    return sp.csr_matrix(number_kinds(batch).astype(np.float64) * float(weight))
