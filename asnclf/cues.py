"""Indonesian cue words for the three tags, grouped in families.

The families follow the annotation guide: prohibition words, negated
requests, appeal verbs, duties, sanction warnings, state apparatus, the
election context, counting words and zero claims, and other-topic words that
mark an appeal or number as being about something else (floods, prices).

Most families are lists of words and short phrases, found by one pass of
dictionary look-ups over the sentence's tokens; a regex alternation of the
same cues, tried at every word, cost more than the rest of scoring together.
The few families with real structure (a request verb, then up to a few
words, then a negation) are regular expressions, run only when the words
they need are present.
"""

from __future__ import annotations

import re
from collections import defaultdict

# family -> (single words, phrases of two or three words, word prefixes)
_LEXICON: dict[str, tuple[str, str, str]] = {
    "prohibition_word": (
        "larangan melarang terlarang jangan janganlah haram pantang dilarangnya hindari menghindari dihindari",  # + dilarang
        "tidak boleh, tak boleh, tidak diperbolehkan, tidak diperkenankan, tidak dibenarkan, tidak diizinkan, tidak akan",
        "",
    ),
    "negated_request": ("", "", ""),  # structured: see _STRUCTURED
    "permission": ("dibolehkan diizinkan", "tidak dilarang, tak dilarang", ""),  # plus "boleh" not after a negation
    "appeal_verb": (
        "imbau imbauan himbau himbauan mengimbau menghimbau diimbau dihimbau imbaukan himbaukan meminta diminta minta "
        "mengajak ajakan diajak mari berharap diharapkan mengharapkan harapkan mengingatkan diingatkan "
        "menginstruksikan diinstruksikan instruksi menyerukan seruan mendorong didorong memerintahkan "
        "diperintahkan mewajibkan wajibkan diwajibkan",
        "",
        "",
    ),
    # The guide: "menegaskan/menekankan agar + act" is an appeal; the same verb
    # with "bahwa", "pentingnya" or no act is a statement. Kept apart so a
    # model can tell the two.
    "emphasis_call": ("", "", ""),  # structured: see _STRUCTURED
    "emphasis_statement": ("", "", ""),  # an emphasis verb without the call's structure
    "outcome_hope": (
        "",
        ", ".join(
            [f"{verb} {how}{state}" for verb in ("berjalan", "berlangsung") for how in ("", "dengan ")
             for state in ("lancar", "aman", "damai", "sukses", "kondusif", "baik")]
            + ["semakin meningkat", "dapat terwujud"]
        ),
        "",
    ),
    "purpose_link": ("agar supaya", "untuk tetap, untuk selalu, untuk menjaga, untuk bersikap, untuk tidak, untuk netral", ""),
    "duty": ("wajib harus hendaknya sepatutnya semestinya mesti dituntut", "", ""),
    "sanction": (
        "sanksi dikenai dikenakan dijatuhi dijatuhkan hukuman diberhentikan pemberhentian teguran penundaan "
        "dipecat pidana diproses ditindak",
        "penurunan jabatan, penurunan pangkat, tindakan tegas",
        "",
    ),
    "violator": ("melanggar pelanggar pelanggaran terbukti ketidaknetralan", "yang bersangkutan, tidak netral", ""),
    "apparatus": (
        "asn pns pppk p3k honorer aparatur aparat pegawai camat lurah kades pejabat sekda kadis opd guru nakes bidan "
        "penjabat birokrasi bpd",
        "kepala desa, perangkat desa, kepala dinas, tenaga kesehatan, abdi negara, kepala sekolah",
        "",
    ),
    "election": (
        "pemilu pilkada pilpres pileg pemilihan kampanye paslon calon kandidat partai politik netral netralitas "
        "bawaslu kpu tps kpps pencoblosan pemungutan timses pemenangan pendukung dukungan mendukung berpihak "
        "keberpihakan",
        "pasangan calon, tim sukses",
        "panwas",
    ),
    "political_act": (
        "atribut foto swafoto selfie like menyukai membagikan komentar mengomentari unggahan postingan medsos simbol "
        "gestur pose jari menguntungkan merugikan keputusan menghadiri hadir deklarasi grup",
        "media sosial, fasilitas negara, fasilitas dinas, mobil dinas, kendaraan dinas",
        "",
    ),
    "count_word": (
        "sebanyak jumlah total tercatat terdapat mencapai sekitar persen terbanyak tertinggi terendah mendominasi "
        "peringkat urutan puluhan ratusan ribuan belasan jutaan seluruhnya sebagian",
        "",
        "",
    ),
    "number_word": (
        "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu",
        "dua puluh, tiga puluh",
        "",
    ),
    "zero_claim": (
        "nihil zero nol",
        "tidak ada, tak ada, belum ada, tidak satu pun, tidak seorang pun, tidak ditemukan, tidak adanya, bersih dari",
        "",
    ),
    "report": (
        "dilaporkan laporan melaporkan temuan ditemukan mencatat dicatat rekomendasi direkomendasikan kasus dugaan "
        "aduan pengaduan diperiksa ditangani",
        "",
        "",
    ),
    "other_topic": (
        "banjir longsor kebakaran karhutla membakar lahan harga beras cabai panen hektare ton stunting imunisasi dbd "
        "nyamuk sampah pajak pbb apbd anggaran wisatawan inflasi cuaca hujan kemarau siswa malaria ternak sapi "
        "kapal feri listrik mudik pasar petani nelayan ikan sawah kekeringan sertifikat tambang gizi puskesmas "
        "pasien obat",
        "demam berdarah, air bersih, lalu lintas",
        "vaksin",
    ),
}

FAMILY_NAMES: tuple[str, ...] = tuple(_LEXICON)

_EMPHASIS_VERBS = frozenset(
    "menegaskan menekankan tegaskan tekankan ditegaskan ditekankan pesan berpesan arahan komitmen".split()
)
_NEGATIONS = frozenset({"tidak", "tak", "jangan"})
_REQUEST_WORDS = frozenset(
    "diminta meminta minta agar supaya untuk harus wajib diimbau dihimbau mengimbau menghimbau diingatkan "
    "mengingatkan diharapkan berjanji bersedia".split()
)
_CALL_WORDS = frozenset({"agar", "supaya", "untuk", "harus", "wajib"})
_CALL_VERBS = frozenset(
    "menegaskan menekankan tegaskan tekankan ditegaskan ditekankan berpesan pesan mengingatkan diingatkan meminta "
    "berharap".split()
)
_NEGATED_REQUEST = re.compile(
    r"\b(?:" + "|".join(sorted(_REQUEST_WORDS)) + r")\s+(?:untuk\s+|agar\s+|supaya\s+)?(?:tidak|tak|jangan)\b"
)
_EMPHASIS_CALL = re.compile(
    r"\b(?:" + "|".join(sorted(_CALL_VERBS)) + r")\s+(?:\w+\s+){0,4}?(?:agar|supaya|untuk|harus|wajib)\b"
)
_TOKEN = re.compile(r"[a-z0-9]+")


def _index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, str], ...]], tuple[tuple[str, str], ...]]:
    words: dict[str, list[str]] = defaultdict(list)
    phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    prefixes = []
    for family, (word_list, phrase_list, prefix_list) in _LEXICON.items():
        for word in word_list.split():
            words[word].append(family)
        for phrase in filter(None, (p.strip() for p in phrase_list.split(","))):
            # Padded with spaces: a substring test on the padded token string
            # then matches whole words only.
            phrases[phrase.split()[0]].append((f" {phrase} ", family))
        prefixes.extend((f" {prefix}", family) for prefix in prefix_list.split())
    return (
        {w: tuple(f) for w, f in words.items()},
        {w: tuple(p) for w, p in phrases.items()},
        tuple(prefixes),
    )


_WORDS, _PHRASES, _PREFIXES = _index()
_WORD_KEYS = frozenset(_WORDS)
_PHRASE_KEYS = frozenset(_PHRASES)


def _unnegated(joined: str, word: str) -> bool:
    """Whether ``word`` occurs at least once not right after "tidak"/"tak"."""
    return joined.count(f" {word} ") > joined.count(f" tidak {word} ") + joined.count(f" tak {word} ")


def cue_families(lowered: str) -> set[str]:
    """The cue families found in an already lower-cased sentence.

    >>> sorted(cue_families("asn dilarang ikut kampanye"))
    ['apparatus', 'election', 'prohibition_word']
    """
    tokens = _TOKEN.findall(lowered)
    present = set(tokens)
    joined = f" {' '.join(tokens)} "
    found: set[str] = set()
    for token in present & _WORD_KEYS:
        found.update(_WORDS[token])
    for token in present & _PHRASE_KEYS:
        for phrase, family in _PHRASES[token]:
            if phrase in joined:
                found.add(family)
    for prefix, family in _PREFIXES:
        if prefix in joined:
            found.add(family)
    # "tidak dilarang" is a permission, not a ban ("dilarang" is left out of
    # the word list for this); "boleh" after a negation is a ban, not a permission.
    if "dilarang" in present and _unnegated(joined, "dilarang"):
        found.add("prohibition_word")
    if ("boleh" in present and _unnegated(joined, "boleh")) or (
        "diperbolehkan" in present and _unnegated(joined, "diperbolehkan")
    ):
        found.add("permission")
    if present & _NEGATIONS and present & _REQUEST_WORDS and _NEGATED_REQUEST.search(joined):
        found.add("negated_request")
    if present & _CALL_WORDS and present & _CALL_VERBS and _EMPHASIS_CALL.search(joined):
        found.add("emphasis_call")
    elif present & _EMPHASIS_VERBS:
        found.add("emphasis_statement")
    return found
