"""Indonesian cue words for the three tags, grouped in families.

The families follow the annotation guide: prohibition words, negated
requests, appeal verbs, duties, sanction warnings, state apparatus, the
election context, counting words and zero claims, and other-topic words that
mark an appeal or number as being about something else (floods, prices).
A family is a regular expression over lower-cased text; :func:`cue_families`
says which families a sentence contains, in one regex pass.
"""

from __future__ import annotations

import re

_FAMILIES: dict[str, str] = {
    "prohibition_word": r"dilarang|larangan|melarang|terlarang|tidak\s+boleh|tak\s+boleh|tidak\s+diperbolehkan|"
    r"tidak\s+diperkenankan|tidak\s+dibenarkan|tidak\s+diizinkan|jangan(?:lah)?|haram|pantang|"
    r"tidak\s+akan|dilarangnya|hindari|menghindari|dihindari",
    "negated_request": r"(?:diminta|meminta|minta|agar|supaya|untuk|harus|wajib|diimbau|dihimbau|mengimbau|"
    r"menghimbau|diingatkan|mengingatkan|diharapkan|berjanji|bersedia)\s+(?:untuk\s+|agar\s+|supaya\s+)?"
    r"(?:tidak|tak|jangan)",
    "permission": r"tidak\s+dilarang|dibolehkan|diizinkan|(?<!tidak\s)(?<!tak\s)(?:boleh|diperbolehkan)",
    "appeal_verb": r"(?:meng|di)?h?imbau(?:an|kan)?|meminta|diminta|minta|"
    r"mengajak|ajakan|diajak|mari|berharap|diharapkan|mengharapkan|harapkan|mengingatkan|diingatkan|"
    r"menginstruksikan|diinstruksikan|instruksi|menyerukan|seruan|mendorong|didorong|memerintahkan|"
    r"diperintahkan|mewajibkan|wajibkan|diwajibkan",
    # The guide: "menegaskan/menekankan agar + act" is an appeal; the same verb
    # with "bahwa", "pentingnya" or no act is a statement. Kept apart so a
    # model can tell the two.
    "emphasis_call": r"(?:menegaskan|menekankan|tegaskan|tekankan|ditegaskan|ditekankan|berpesan|pesan|"
    r"mengingatkan|diingatkan|meminta|berharap)\s+(?:\w+\s+){0,4}?(?:agar|supaya|untuk|harus|wajib)",
    "emphasis_statement": r"(?:menegaskan|menekankan|tegaskan|tekankan|ditegaskan|ditekankan|pesan|berpesan|"
    r"arahan|komitmen)(?:\s+(?:bahwa|pentingnya|penting|terkait|tentang|melalui))?",
    "outcome_hope": r"(?:berjalan|berlangsung)\s+(?:dengan\s+)?(?:lancar|aman|damai|sukses|kondusif|baik)|"
    r"semakin\s+meningkat|dapat\s+terwujud",
    "purpose_link": r"agar|supaya|untuk\s+(?:tetap|selalu|menjaga|bersikap|tidak|netral)",
    "duty": r"wajib|harus|hendaknya|sepatutnya|semestinya|mesti|dituntut",
    "sanction": r"sanksi|dikenai|dikenakan|dijatuhi|dijatuhkan|hukuman|diberhentikan|pemberhentian|teguran|"
    r"penurunan\s+(?:jabatan|pangkat)|penundaan|dipecat|pidana|diproses|ditindak|tindakan\s+tegas",
    "violator": r"melanggar|pelanggar|pelanggaran|terbukti|yang\s+bersangkutan|tidak\s+netral|ketidaknetralan",
    "apparatus": r"asn|pns|pppk|p3k|honorer|aparatur|aparat|pegawai|camat|lurah|kades|kepala\s+desa|"
    r"perangkat\s+desa|pejabat|sekda|kepala\s+dinas|kadis|opd|guru|tenaga\s+kesehatan|nakes|bidan|"
    r"penjabat|birokrasi|abdi\s+negara|bpd|kepala\s+sekolah",
    "election": r"pemilu|pilkada|pilpres|pileg|pemilihan|kampanye|pasangan\s+calon|paslon|calon|kandidat|"
    r"partai|politik|netral|netralitas|bawaslu|kpu|tps|kpps|panwas\w*|pencoblosan|pemungutan|tim\s+sukses|"
    r"timses|pemenangan|pendukung|dukungan|mendukung|berpihak|keberpihakan",
    "political_act": r"atribut|foto|swafoto|selfie|like|menyukai|membagikan|komentar|mengomentari|unggahan|"
    r"postingan|media\s+sosial|medsos|fasilitas\s+negara|fasilitas\s+dinas|mobil\s+dinas|kendaraan\s+dinas|"
    r"simbol|gestur|pose|jari|menguntungkan|merugikan|keputusan|menghadiri|hadir|deklarasi|grup",
    "count_word": r"sebanyak|jumlah|total|tercatat|terdapat|mencapai|sekitar|persen|terbanyak|tertinggi|"
    r"terendah|mendominasi|peringkat|urutan|puluhan|ratusan|ribuan|belasan|jutaan|seluruhnya|sebagian",
    "number_word": r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    r"dua\s+puluh|tiga\s+puluh",
    "zero_claim": r"tidak\s+ada|tak\s+ada|belum\s+ada|nihil|zero|nol|tidak\s+(?:satu|seorang)\s+pun|"
    r"tidak\s+ditemukan|tidak\s+adanya|bersih\s+dari",
    "report": r"dilaporkan|laporan|melaporkan|temuan|ditemukan|mencatat|dicatat|rekomendasi|direkomendasikan|"
    r"kasus|dugaan|aduan|pengaduan|diperiksa|ditangani",
    "other_topic": r"banjir|longsor|kebakaran|karhutla|membakar|lahan|harga|beras|cabai|panen|hektare|ton|"
    r"stunting|imunisasi|vaksin\w*|demam\s+berdarah|dbd|nyamuk|sampah|pajak|pbb|apbd|anggaran|wisatawan|"
    r"inflasi|cuaca|hujan|kemarau|air\s+bersih|siswa|malaria|ternak|sapi|kapal|feri|listrik|lalu\s+lintas|"
    r"mudik|pasar|petani|nelayan|ikan|sawah|kekeringan|sertifikat|tambang|gizi|puskesmas|pasien|obat",
}

FAMILY_NAMES: tuple[str, ...] = tuple(_FAMILIES)

# Every cue starts with a lower-case ASCII letter. The look-ahead turns away
# in one step the positions (word ends, digits) where ``\b`` alone would let
# the engine try every cue in turn; it matches exactly what it matched without
# (tests/test_fast_paths.py checks), in about 60% of the time.
_PATTERN = re.compile(
    r"\b(?=[a-z])(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _FAMILIES.items()) + r")\b"
)


def cue_families(lowered: str) -> set[str]:
    """The cue families found in an already lower-cased sentence."""
    return {found.lastgroup for found in _PATTERN.finditer(lowered)}  # type: ignore[misc]
