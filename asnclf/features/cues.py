"""Indonesian cue words for the three tags, grouped in families.

The families follow the annotation guide: prohibition words, negated
requests, appeal verbs, duties, sanction warnings, state apparatus, the
election context, counting words and zero claims, and other-topic words that
mark an appeal or number as being about something else (floods, prices).

Families are lists of words and short phrases, plus a few with structure (a
request verb, then up to a few words, then a negation). All are found on the
tokens of :mod:`asnclf.text.tokens`, for a whole batch of sentences at once, by
array look-ups: a regex alternation of the same cues, tried at every word,
cost more than the rest of scoring together.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from asnclf.text.tokens import TokenBatch, lexicon_tables, tokenize

# family -> (single words, phrases of two or three words)
_LEXICON: dict[str, tuple[str, str]] = {
    "prohibition_word": (
        "larangan melarang terlarang jangan janganlah haram pantang dilarangnya hindari menghindari dihindari",  # + dilarang
        "tidak boleh, tak boleh, tidak diperbolehkan, tidak diperkenankan, tidak dibenarkan, tidak diizinkan, tidak akan",
    ),
    "negated_request": ("", ""),  # structured: see CueMatcher
    "permission": ("dibolehkan diizinkan", "tidak dilarang, tak dilarang"),  # plus "boleh" not after a negation
    "appeal_verb": (
        "imbau imbauan himbau himbauan mengimbau menghimbau diimbau dihimbau imbaukan himbaukan meminta diminta minta "
        "mengajak ajakan diajak mari berharap diharapkan mengharapkan harapkan mengingatkan diingatkan "
        "menginstruksikan diinstruksikan instruksi menyerukan seruan mendorong didorong memerintahkan "
        "diperintahkan mewajibkan wajibkan diwajibkan tolong mohon silakan silahkan titip berpesan pintanya harapnya "
        "pesannya mendesak didesak menyarankan disarankan menganjurkan dianjurkan mengusulkan diusulkan",
        "lebih baik, saya titip, pesan saya, kami minta, saya minta",
    ),
    # The guide: "menegaskan/menekankan agar + act" is an appeal; the same verb
    # with "bahwa", "pentingnya" or no act is a statement. Kept apart so a
    # model can tell the two.
    "emphasis_call": ("", ""),  # structured: see CueMatcher
    "emphasis_statement": ("", ""),  # an emphasis verb without the call's structure
    "outcome_hope": (
        "",
        ", ".join(
            [f"{verb} {how}{state}" for verb in ("berjalan", "berlangsung") for how in ("", "dengan ")
             for state in ("lancar", "aman", "damai", "sukses", "kondusif", "baik")]
            + ["semakin meningkat", "dapat terwujud"]
        ),
    ),
    "purpose_link": ("agar supaya", "untuk tetap, untuk selalu, untuk menjaga, untuk bersikap, untuk tidak, untuk netral"),
    "duty": ("wajib harus hendaknya sepatutnya semestinya mesti dituntut sebaiknya seharusnya mestinya seyogianya perlu", ""),
    "sanction": (
        "sanksi dikenai dikenakan dijatuhi dijatuhkan hukuman diberhentikan pemberhentian teguran penundaan "
        "dipecat pidana diproses ditindak",
        "penurunan jabatan, penurunan pangkat, tindakan tegas",
    ),
    "violator": ("melanggar pelanggar pelanggaran terbukti ketidaknetralan", "yang bersangkutan, tidak netral"),
    "apparatus": (
        "asn pns pppk p3k honorer aparatur aparat pegawai camat lurah kades pejabat sekda kadis opd guru nakes bidan "
        "penjabat birokrasi bpd",
        "kepala desa, perangkat desa, kepala dinas, tenaga kesehatan, abdi negara, kepala sekolah",
    ),
    "election": (
        "pemilu pilkada pilpres pileg pemilihan kampanye paslon calon kandidat partai politik netral netralitas "
        "bawaslu panwas panwascam panwaslu panwaslih kpu tps kpps pencoblosan pemungutan timses pemenangan "
        "pendukung dukungan mendukung berpihak keberpihakan",
        "pasangan calon, tim sukses",
    ),
    "political_act": (
        "atribut foto swafoto selfie like menyukai membagikan komentar mengomentari unggahan postingan medsos simbol "
        "gestur pose jari menguntungkan merugikan keputusan menghadiri hadir deklarasi grup",
        "media sosial, fasilitas negara, fasilitas dinas, mobil dinas, kendaraan dinas",
    ),
    "count_word": (
        "sebanyak jumlah total tercatat terdapat mencapai sekitar persen terbanyak tertinggi terendah mendominasi "
        "peringkat urutan puluhan ratusan ribuan belasan jutaan seluruhnya sebagian mayoritas kebanyakan sisanya "
        "dominasi didominasi teratas separuh separuhnya",
        "paling banyak, paling sering, sebagian besar, lebih dari, hampir semua, hampir separuh, di antaranya",
    ),
    "number_word": (
        "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu belas puluh ratus ribu "
        "kedua ketiga keempat kelima keenam ketujuh kedelapan kesembilan kesepuluh keduanya ketiganya keempatnya "
        "kelimanya keenamnya ketujuhnya semuanya",
        "dua puluh, tiga puluh",
    ),
    "zero_claim": (
        "nihil zero nol",
        "tidak ada, tak ada, belum ada, tidak satu pun, tidak seorang pun, tidak ditemukan, tidak adanya, bersih dari, "
        "tak satu pun, belum satu pun, tak seorang pun, belum seorang pun, satu pun, belum ditemukan, belum menemukan, "
        "tidak menemukan, tak ditemukan",
    ),
    "report": (
        "dilaporkan laporan melaporkan temuan ditemukan mencatat dicatat rekomendasi direkomendasikan kasus dugaan "
        "aduan pengaduan diperiksa ditangani",
        "",
    ),
    "other_topic": (
        "banjir longsor kebakaran karhutla membakar lahan harga beras cabai panen hektare ton stunting imunisasi dbd "
        "nyamuk sampah pajak pbb apbd anggaran wisatawan inflasi cuaca hujan kemarau siswa malaria ternak sapi "
        "kapal feri listrik mudik pasar petani nelayan ikan sawah kekeringan sertifikat tambang gizi puskesmas "
        "pasien obat vaksin vaksinasi divaksin",
        "demam berdarah, air bersih, lalu lintas",
    ),
}

FAMILY_NAMES: tuple[str, ...] = tuple(_LEXICON)

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
_BIT = {family: 1 << position for position, family in enumerate(FAMILY_NAMES)}

# Words with a part in the structured families, as bits of a per-token role.
_ROLE_WORDS: dict[str, str] = {
    "negation": "tidak tak jangan",
    "tidak_tak": "tidak tak",
    "request": "diminta meminta minta agar supaya untuk harus wajib diimbau dihimbau mengimbau menghimbau "
               "diingatkan mengingatkan diharapkan berjanji bersedia",
    "link": "untuk agar supaya",
    "call_verb": "menegaskan menekankan tegaskan tekankan ditegaskan ditekankan berpesan pesan mengingatkan "
                 "diingatkan meminta berharap",
    "call_word": "agar supaya untuk harus wajib",
    "emphasis": "menegaskan menekankan tegaskan tekankan ditegaskan ditekankan pesan berpesan arahan komitmen",
    "dilarang": "dilarang",
    "boleh": "boleh",
    "diperbolehkan": "diperbolehkan",
}
_ROLE = {role: 1 << position for position, role in enumerate(_ROLE_WORDS)}
# emphasis_call: a call verb, then at most this many words, then a call word ("menegaskan kepada seluruh ASN agar").
_CALL_GAP = 4
# The words the structured families are anchored on.
_ANCHORS = _ROLE["dilarang"] | _ROLE["boleh"] | _ROLE["diperbolehkan"] | _ROLE["request"] | _ROLE["call_verb"] | _ROLE["emphasis"]


class CueMatcher:
    """Finds the cue families of every sentence of a :class:`TokenBatch` with array operations.

    Every lexicon word gets an id; a token's id selects its families (one
    bit each) and its roles in the structured families; phrases are looked
    up as integer keys of consecutive ids, as word n-grams are.
    """

    def __init__(self) -> None:
        words: dict[str, int] = {}
        phrase_bits: dict[str, int] = {}
        for family, (word_list, phrase_list) in _LEXICON.items():
            for word in word_list.split():
                words[word] = words.get(word, 0) | _BIT[family]
            for phrase in filter(None, (p.strip() for p in phrase_list.split(","))):
                phrase_bits[phrase] = phrase_bits.get(phrase, 0) | _BIT[family]
        roles = {}
        for role, role_words in _ROLE_WORDS.items():
            for word in role_words.split():
                roles[word] = roles.get(word, 0) | _ROLE[role]
        phrase_words = {word: 0 for phrase in phrase_bits for word in phrase.split()}
        self.vocabulary, tables = lexicon_tables({"words": words, "roles": roles, "phrase_words": phrase_words})
        self.word_bits, self.role_bits = tables["words"], tables["roles"]
        self.base = len(self.vocabulary) + 1
        by_size: dict[int, list[tuple[int, int]]] = {2: [], 3: []}
        for phrase, bits in phrase_bits.items():
            ids = [self.vocabulary[token.encode("ascii")] + 1 for token in tokenize(phrase)]
            by_size[len(ids)].append((self._key(ids), bits))
        self.phrases = {}
        for size, pairs in by_size.items():
            pairs.sort()
            keys = np.array([k for k, _ in pairs], dtype=np.int64)
            begins = np.zeros(self.base, dtype=bool)  # by id + 1: the words a phrase of this size begins with
            begins[keys // self.base ** (size - 1)] = True
            self.phrases[size] = (keys, np.array([b for _, b in pairs], dtype=np.int64), begins)

    def _key(self, ids) -> int:
        key = 0
        for index in ids:
            key = key * self.base + index
        return key

    def family_bits(self, batch: TokenBatch) -> np.ndarray:
        """One int64 per sentence: bit ``i`` set when family ``FAMILY_NAMES[i]`` is present."""
        ids = batch.ids(self.vocabulary) + 1  # 0 for a word outside the lexicon
        found = batch.or_per_sentence(self.word_bits[ids])
        for size, (keys, families, begins) in self.phrases.items():
            if not len(keys):
                continue
            positions, key = batch.ngrams(ids, size, self.base, begins)
            slot = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[slot] == key
            np.bitwise_or.at(found, batch.sentence_of[positions[hit]], families[slot[hit]])

        # The structured families are each anchored on one word of a few (a request verb, "dilarang",
        # ...) and look a few words around it: only those words' positions are looked at.
        role = self.role_bits[ids]
        at = np.flatnonzero(role & _ANCHORS)
        near = batch.near(role, at, range(-1, _CALL_GAP + 2))

        def has(name: str, offset: int = 0) -> np.ndarray:
            return (near[offset] & _ROLE[name]) != 0

        def sentences(mask: np.ndarray) -> np.ndarray:
            return batch.any_at(at[mask])

        # "tidak dilarang" is a permission, not a ban ("dilarang" is left out of the word list for
        # this); "boleh" after a negation is a ban, not a permission. Either counts when it occurs
        # at least once not right after "tidak"/"tak".
        not_negated = ~has("tidak_tak", -1)
        found[sentences(has("dilarang") & not_negated)] |= _BIT["prohibition_word"]
        found[sentences((has("boleh") | has("diperbolehkan")) & not_negated)] |= _BIT["permission"]
        # "meminta lurah dan kepala desa di wilayahnya tidak mendatangi ...": the negation may follow the
        # addressee, a few words after the request word.
        negation_ahead = np.logical_or.reduce([has("negation", gap) for gap in range(1, _CALL_GAP + 2)])
        negated_request = has("request") & negation_ahead
        found[sentences(negated_request)] |= _BIT["negated_request"]
        call_word_ahead = np.logical_or.reduce([has("call_word", gap) for gap in range(1, _CALL_GAP + 2)])
        found[sentences(has("call_verb") & call_word_ahead)] |= _BIT["emphasis_call"]
        emphasis = sentences(has("emphasis"))
        found[emphasis & (found & _BIT["emphasis_call"] == 0)] |= _BIT["emphasis_statement"]
        return found


MATCHER = CueMatcher()


# The bits each indicator column needs: a family's own bit, then both bits of each interacting pair.
_FAMILY_MASKS = np.array([_BIT[family] for family in FAMILY_NAMES], dtype=np.int64)
_INTERACTION_MASKS = np.array([_BIT[a] | _BIT[b] for a, b in CUE_INTERACTIONS], dtype=np.int64)


def cue_indicators(batch: TokenBatch, interactions: bool = True) -> np.ndarray:
    """A boolean matrix, one row per sentence: each family present, then (with ``interactions``) each pair present."""
    masks = np.concatenate([_FAMILY_MASKS, _INTERACTION_MASKS]) if interactions else _FAMILY_MASKS
    return (MATCHER.family_bits(batch)[:, None] & masks) == masks


def cue_matrix(batch: TokenBatch, weight: float = 1.0, interactions: bool = True) -> sp.csr_matrix:
    """:func:`cue_indicators` as a sparse matrix of ``weight`` where an indicator holds."""
    return sp.csr_matrix(cue_indicators(batch, interactions).astype(np.float64) * float(weight))


def family_bit(family: str) -> int:
    """The bit of one cue family in :meth:`CueMatcher.family_bits`."""
    return _BIT[family]


def family_names(bits: int) -> set[str]:
    """The family names of one sentence's bits."""
    return {family for family, bit in _BIT.items() if bits & bit}


def cue_families(sentence: str) -> set[str]:
    """The cue families found in a sentence.

    >>> sorted(cue_families("ASN dilarang ikut kampanye"))
    ['apparatus', 'election', 'prohibition_word']
    """
    return family_names(int(MATCHER.family_bits(TokenBatch([sentence]))[0]))
