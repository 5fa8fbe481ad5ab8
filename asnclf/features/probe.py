"""What the feature code *does*, as one digest: the staleness check of a saved model.

A model was trained on what the segmenter, the tokeniser, the cue families and
the number kinds made of its text. When any of them changes what it outputs,
the model is stale; when only a comment, a docstring or the speed of the code
changes, it is not. So the digest is taken over their outputs on a fixed probe
article (page clutter, abbreviations, numbers of every kind, cue words of
every family), not over their source bytes.
"""

from __future__ import annotations

import hashlib
import json

from asnclf.features.cues import cue_indicators
from asnclf.features.number_kinds import number_kinds
from asnclf.text.segment import default_segmenter
from asnclf.text.tokens import TokenBatch, tokenize_digits_as_zero, tokenize_keeping_digits

PROBE_ARTICLE = """\
Home > Daerah > Banyuasin
BERITA DAERAH
Bawaslu Catat 12 ASN Diduga Langgar Netralitas
Bawaslu Catat 12 ASN Diduga Langgar Netralitas
Penulis: Sari Dewi | Editor: Andi
BANYUASIN, CONTOHBERITA.ID - Pj Bupati H. Hani S.H., M.Si. meminta seluruh ASN agar tidak ikut kampanye pasangan calon.
"Jangan sampai ada camat atau lurah yang memasang atribut partai. Yang melanggar akan kami tindak tegas," tegasnya, Senin (7/10/2024) pukul 09.30 WIB.
Sebanyak 12 ASN dilaporkan, 4 di antaranya terbukti melanggar dan belasan lainnya masih diperiksa; tidak ada kepala desa yang terlibat.
Partisipasi pemilih mencapai 78,5 persen, tertinggi se-Sumatera Selatan, di 1.234 TPS.
Sesuai UU Nomor 20 Tahun 2023 dan PP 94/2021, denda Rp5 juta; hubungi 0812-3456-7890.
Dr. Ir. Budi (45) mengingatkan bahwa netralitas adalah asas. Kami berharap semua pihak menjaga kondusivitas!
Warga diimbau waspada banjir; harga cabai naik 20%.
BACA JUGA: Debat Publik Digelar Pekan Depan
ADVERTISEMENT
(ant/xyz)
Tags: Bawaslu, ASN
"""


def feature_fingerprint() -> str:
    """SHA-256 over the segmenter's sentences and offsets, the tokens, and the cue and number indicators of the probe."""
    sentences = default_segmenter().segment(PROBE_ARTICLE)
    texts = [sentence.text for sentence in sentences]
    batch = TokenBatch(texts)
    outputs = {
        "sentences": [[sentence.text, sentence.start, sentence.end] for sentence in sentences],
        "tokens_digits_as_zero": [tokenize_digits_as_zero(text) for text in texts],
        "tokens": [tokenize_keeping_digits(text) for text in texts],
        "cues": cue_indicators(batch, True).astype(int).tolist(),
        "numbers": number_kinds(batch).astype(int).tolist(),
    }
    return hashlib.sha256(json.dumps(outputs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
