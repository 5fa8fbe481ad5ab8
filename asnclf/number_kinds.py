"""What kinds of number a sentence holds, found on its tokens for a whole batch at once.

The annotation guide tags counts ("489 ASN dilaporkan"), not dates, times,
regulation numbers, money or phone numbers. The kinds below let a linear
model learn that difference. They are read off the token shapes of
:mod:`asnclf.tokens`, where every digit is ``0`` and punctuation separates
tokens: "1.234 ASN" is ``0 000 asn``, "27 November 2024" is ``00 november
0000``, "pukul 09.00 WIB" is ``pukul 00 00 wib``.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import scipy.sparse as sp

from asnclf.tokens import TokenBatch, lexicon_tables

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
                   "belasan puluhan ratusan ribuan",
    "noun": "asn pns pppk orang pegawai laporan kasus pelanggaran tps petugas personel pemilih desa kecamatan camat "
            "kades kepala temuan aduan pengawas anggota guru tenaga aparatur pejabat lurah dugaan rekomendasi surat "
            "akun unggahan kpps saksi honorer bidan",
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


def number_kinds(batch: TokenBatch, sentences: list[str]) -> np.ndarray:
    """A boolean matrix, one row per sentence, one column per name of :data:`NUMBER_FEATURES`."""
    role = _TABLES["roles"][batch.ids(VOCABULARY) + 1]

    def has(name: str) -> np.ndarray:
        return (role & _ROLE[name]) != 0

    number, part = has("number"), has("part")
    after, before = batch.after, batch.before
    phone = has("long") | part & after(part) & after(part, 2)
    in_phone = phone | before(phone) & part | before(phone, 2) & part
    decimal = number & after(number)  # "78,5" is "00 0"
    positions = {
        "date": has("short") & after(has("month")),
        "time": number & (after(has("zone")) | after(number) & after(has("zone"), 2)),
        "law": number & before(has("law")),
        "money": number & before(has("rp")) | has("money_shape"),
        "percent": number & (after(has("persen")) | decimal & after(has("persen"), 2)),
        "phone": phone,
        "year": has("year") & ~in_phone,
        "thousands": number & after(has("group")) & ~in_phone,
        "counted_noun": (number | has("number_word")) & after(has("noun")),
    }
    kinds = {name: batch.any_per_sentence(mask) for name, mask in positions.items()}
    # "12%" tokenises to "00" alone: the sign is seen on the text.
    kinds["percent"] |= np.fromiter(map(str.__contains__, sentences, repeat("%")), dtype=bool,
                                    count=len(sentences)) & batch.any_per_sentence(number)
    # A count is a number that is none of the other kinds (nor the "000" group of a thousands number).
    other = positions["year"] | positions["date"] | positions["time"] | positions["law"] | positions["money"]
    other |= positions["percent"] | in_phone | has("group") & before(number | has("money_shape"))
    kinds["count"] = batch.any_per_sentence(number & ~other)
    calendar = np.logical_or.reduce([kinds[name] for name in sorted(CALENDAR_KINDS)])
    non_calendar = np.logical_or.reduce([kinds[name] for name in kinds if name not in CALENDAR_KINDS])
    kinds["only_calendar"] = calendar & ~non_calendar
    return np.column_stack([kinds[name] for name in NUMBER_FEATURES])


def number_matrix(batch: TokenBatch, sentences: list[str], weight: float = 1.0) -> sp.csr_matrix:
    """:func:`number_kinds` as a sparse matrix of ``weight`` where a kind is present."""
    return sp.csr_matrix(number_kinds(batch, sentences).astype(np.float64) * float(weight))
