import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asnclf.text.boilerplate import BoilerplateRule
from asnclf.errors import ConfigError
from asnclf.text.segment import Segmenter, segment, segment_with_report


def texts(article: str) -> list[str]:
    return [s.text for s in segment(article)]


@pytest.mark.parametrize(
    "honorific",
    ["H.", "Hj.", "Ir.", "Dr.", "dr.", "Drs.", "Dra.", "Prof.", "Moh.", "Pj.", "Pjs.", "Jend.", "Brigjen."],
)
def test_honorific_before_a_name_does_not_end_the_sentence(honorific):
    article = f"Apel dipimpin {honorific} Budi Santoso di halaman kantor. Semua hadir."
    assert texts(article) == [f"Apel dipimpin {honorific} Budi Santoso di halaman kantor.", "Semua hadir."]


@pytest.mark.parametrize("degree", ["S.H.", "SH.", "ST.", "M.M.", "MM.", "S.Pd.", "M.Si.", "S.IP.", "M.Pd.I.", "S.I.K."])
def test_degree_after_a_name_does_not_end_the_sentence(degree):
    article = f"Sekda Rina Wati, {degree} Kepala BKPSDM ikut hadir. Acara usai."
    assert texts(article) == [f"Sekda Rina Wati, {degree} Kepala BKPSDM ikut hadir.", "Acara usai."]


@pytest.mark.parametrize("abbreviation", ["Kab.", "Kec.", "Jl.", "No.", "PT.", "Tbk.", "dll.", "dsb.", "tgl."])
def test_place_and_list_abbreviations_do_not_end_the_sentence(abbreviation):
    article = f"Rapat di {abbreviation} Merdeka 12 berjalan lancar. Semua hadir."
    assert texts(article)[0] == f"Rapat di {abbreviation} Merdeka 12 berjalan lancar."


def test_initial_inside_a_name_does_not_end_the_sentence():
    assert texts("Bupati Hani S. Rustam membuka apel. Ia meminta ASN netral.") == [
        "Bupati Hani S. Rustam membuka apel.",
        "Ia meminta ASN netral.",
    ]


def test_decimals_and_thousands_do_not_split():
    assert texts("Sebanyak 1.234 ASN atau 12,5 persen dilaporkan. Data lain menyusul.") == [
        "Sebanyak 1.234 ASN atau 12,5 persen dilaporkan.",
        "Data lain menyusul.",
    ]


def test_clock_times_do_not_split():
    assert texts("Apel dimulai pukul 09.00 WIB. Semua hadir.") == ["Apel dimulai pukul 09.00 WIB.", "Semua hadir."]


def test_dates_in_parentheses_stay_inside_the_sentence():
    assert texts("Sosialisasi digelar Jumat (30/8/2024). Rapat berlangsung Senin (13/05) di aula.") == [
        "Sosialisasi digelar Jumat (30/8/2024).",
        "Rapat berlangsung Senin (13/05) di aula.",
    ]


def test_quote_ending_with_comma_keeps_its_attribution():
    assert texts('"Banyuasin termasuk Zero ASN tidak netral," ungkap Hani. Ia tersenyum.') == [
        '"Banyuasin termasuk Zero ASN tidak netral," ungkap Hani.',
        "Ia tersenyum.",
    ]


def test_quote_ending_with_period_keeps_quote_and_lowercase_attribution():
    assert texts("\u201cASN harus netral.\u201d kata Hani. Acara usai.") == [
        "\u201cASN harus netral.\u201d kata Hani.",
        "Acara usai.",
    ]


def test_multi_sentence_quote_splits_and_attribution_goes_with_last_piece():
    assert texts('"Jaga netralitas. Jangan ikut kampanye," kata Budi.') == [
        '"Jaga netralitas.',
        'Jangan ikut kampanye," kata Budi.',
    ]


def test_headline_without_final_period_is_its_own_sentence():
    assert texts("Pj Bupati Wajibkan ASN Netral\nPj Bupati meminta ASN netral.") == [
        "Pj Bupati Wajibkan ASN Netral",
        "Pj Bupati meminta ASN netral.",
    ]


def test_question_and_exclamation_end_sentences():
    assert texts("Siapa yang melanggar? Laporkan segera! Bawaslu siap.") == [
        "Siapa yang melanggar?",
        "Laporkan segera!",
        "Bawaslu siap.",
    ]


def test_ellipsis_ends_a_sentence_only_before_a_capital():
    assert texts("Tunggu dulu... lalu kita lihat. Nanti... Semua jelas.") == [
        "Tunggu dulu... lalu kita lihat.",
        "Nanti...",
        "Semua jelas.",
    ]


def test_list_items_are_sentences_without_their_markers():
    article = "ASN dilarang:\n1. memasang foto bersama calon;\n- menyukai unggahan calon."
    result = segment_with_report(article)
    assert [s.text for s in result.sentences] == [
        "ASN dilarang:",
        "memasang foto bersama calon;",
        "menyukai unggahan calon.",
    ]
    assert [d.reason for d in result.dropped] == ["list_marker", "list_marker"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("BACA JUGA: Harga Cabai Naik", "read_also"),
        ("Baca juga: Banjir Rendam Desa", "read_also"),
        ("Sumber:", "source_line"),
        ("Cek Berita dan Artikel yang lain di Google News", "google_news"),
        ("Oleh MC KAB BARITO KUALA, Selasa, 20 Agustus 2024 | 05:20 WIB", "byline"),
        ("Editor: Eka Putri", "staff_credit"),
        ("Redaktur: Eka Putri", "staff_credit"),
        ("Pewarta: Budi", "staff_credit"),
        ("Response (1)", "comment_count"),
        ("SCROLL TO CONTINUE WITH CONTENT", "scroll_prompt"),
        ("BANNER ASKOLANI 2 PERIODE", "caps_banner"),
        ("Copyright \u00a9 2024 Warta Daerah", "copyright"),
        ("Dibaca 1.204 kali", "read_count"),
        ("Share", "share"),
    ],
)
def test_boilerplate_lines_are_dropped_and_reported(line, reason):
    result = segment_with_report(f"ASN diminta netral.\n{line}\nAcara usai.")
    assert [s.text for s in result.sentences] == ["ASN diminta netral.", "Acara usai."]
    assert [d.reason for d in result.dropped] == [reason]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Home > Daerah > Sumsel", "breadcrumb"),
        ("Beranda \u00bb Politik", "breadcrumb"),
        ("BERANDA / POLITIK / PILKADA", "breadcrumb"),
        ("Bagikan", "share"),
        ("Facebook Twitter WhatsApp Telegram", "share"),
        ("Share: Facebook | X | WhatsApp | Salin Link", "share"),
        ("Tonton juga video: Banjir Bandang Terjang Tiga Desa", "read_also"),
        ("Simak juga: KPU Tetapkan 178.402 Pemilih", "read_also"),
        ("Lihat Juga: Jembatan Gantung Putus", "read_also"),
        ("BACA JUGA Pemkot Buka 320 Formasi PPPK", "read_also"),
        ("ADVERTISEMENT", "advertisement"),
        ("Iklan", "advertisement"),
        ("Scroll untuk melanjutkan", "scroll_prompt"),
        ("[Gambas:Video KabarSeruyan]", "video_embed"),
        ('Artikel ini telah tayang di Warta.id dengan judul "ASN Diminta Netral", Klik untuk baca: https://warta.id/a', "syndication"),
        (
            'Dapatkan update berita pilihan dan breaking news setiap hari dari Warta.id. Mari bergabung di Grup '
            'Telegram "Warta Update", caranya klik link https://t.me/warta, kemudian join.',
            "follow_prompt",
        ),
        ("Ikuti berita terkini di Google News", "follow_prompt"),
        ("Ikuti kami di Facebook, Instagram, dan TikTok", "follow_prompt"),
        ("Follow Us:", "follow_prompt"),
        ("Halaman 1 2 3", "page_numbers"),
        ("Halaman: 1 2 Selanjutnya", "page_numbers"),
        ("\u00ab Sebelumnya 1 2 Berikutnya \u00bb", "page_numbers"),
        ("0 Komentar", "comment_count"),
        ("Tulis Komentar", "comment_count"),
        ("Reporter: Rini | Editor: Hendra", "staff_credit"),
        ("Editor: Hendra / Redaktur: Maya", "staff_credit"),
        ("penulis : rini apriani", "staff_credit"),
        ("Pewarta/Editor: Yohana Dewi", "staff_credit"),
        ("Laporan Wartawan Warta.id, Rini Apriani", "staff_credit"),
        ("Oleh: Yohanes Kristian", "byline"),
        ("Foto: Istimewa", "photo_credit"),
        ("(Foto: Humas Pemkab Lahat)", "photo_credit"),
        ("Foto: Anton Saputra/PagarAlamExpres", "photo_credit"),
        ("Senin, 7 Oktober 2024 | 10:15 WIB", "timestamp"),
        ("Diperbarui: Selasa, 5 November 2024 - 10:02 WIB", "timestamp"),
        ("KabarKotim.com", "site_name"),
        ("Dilihat: 845 kali", "read_count"),
        ("Hak cipta dilindungi undang-undang", "copyright"),
    ],
)
def test_page_clutter_lines_are_dropped_and_reported(line, reason):
    result = segment_with_report(f"ASN diminta netral.\n{line}\nAcara usai.")
    assert [s.text for s in result.sentences] == ["ASN diminta netral.", "Acara usai."]
    assert [d.reason for d in result.dropped] == [reason]


@pytest.mark.parametrize(
    "prose",
    [
        "Simak, kata dia, ASN harus netral.",
        "Lihat saja nanti, kata Budi.",
        '"Lihat saja nanti," kata Budi.',
        "Simak juga penjelasan Bupati berikut ini.",
        "Halaman kantor bupati dipadati warga.",
        "Foto bersama dilakukan usai apel.",
        "Foto: Bupati meninjau lokasi banjir di Desa Tanjung.",
        "Ikuti arahan petugas di grup WhatsApp kantor.",
        "Dapatkan informasi lengkap di kantor desa.",
        "Komentar itu memicu perdebatan di media sosial.",
        "Laporan itu diteruskan ke Bawaslu.",
        "Sumber air warga mulai mengering.",
        "Bagikan bantuan secara merata, kata Bupati.",
        "Senin, 7 Oktober 2024, Bawaslu memanggil dua kades.",
        "Foto Bareng Paslon, Empat Kades Dilaporkan",
        "Pj Bupati Lahat Larang ASN Pasang Foto",
    ],
)
def test_prose_that_looks_like_clutter_is_kept(prose):
    assert texts(f"{prose}\nAcara usai.") == [prose, "Acara usai."]


def test_a_bare_read_also_line_drops_the_title_below_it_but_not_prose():
    result = segment_with_report("Baca Juga\n\nHarga Kopi Naik Lagi\nASN diminta netral.")
    assert [s.text for s in result.sentences] == ["ASN diminta netral."]
    assert [d.reason for d in result.dropped] == ["read_also_next", "read_also_next"]
    assert texts("Lihat juga:\nASN diminta netral.") == ["ASN diminta netral."]


@pytest.mark.parametrize(
    "byline",
    [
        "Penulis: Ayu Lestari ",
        "Reporter: Bayu Pratama | Editor: Sinta Wulandari ",
        "Oleh Rahmat Hidayat, Rabu, 23 Oktober 2024 13:10 WIB ",
        "Laporan Wartawan Warta.id, Dedi Kurniawan | ",
        "Oleh: Fahmi Ramadan | ",
    ],
)
def test_a_byline_glued_before_the_dateline_is_dropped(byline):
    article = f"{byline}PALEMBANG, WARTA.ID \u2013 Bupati meminta ASN netral. Ia hadir."
    result = segment_with_report(article)
    assert [s.text for s in result.sentences] == ["PALEMBANG, WARTA.ID \u2013 Bupati meminta ASN netral.", "Ia hadir."]
    assert [(article[d.start : d.end], d.reason) for d in result.dropped] == [(byline.strip(), "glued_byline")]


def test_prose_before_a_capital_word_is_no_glued_byline():
    assert texts("Oleh Bupati Lahat ASN diminta netral.") == ["Oleh Bupati Lahat ASN diminta netral."]


@pytest.mark.parametrize("code", ["(ant/rdk)", "(*/hms)", "(win)", "(**)", "(Mc.Batola/Wke/Eyv)"])
def test_a_reporter_code_after_the_last_sentence_is_dropped(code):
    result = segment_with_report(f"Ia meminta ASN netral. {code}\n")
    assert [s.text for s in result.sentences] == ["Ia meminta ASN netral."]
    assert [d.reason for d in result.dropped] == ["reporter_code"]
    assert texts(f"Ia meminta ASN netral.{code}") == ["Ia meminta ASN netral."]


def test_a_bracket_inside_a_sentence_is_no_reporter_code():
    assert texts("Rapat digelar Komisi Pemilihan Umum (kpu)") == ["Rapat digelar Komisi Pemilihan Umum (kpu)"]


def test_a_repeated_sentence_is_dropped_as_a_repeat():
    article = "Pj Bupati Wajibkan ASN Netral\nPj Bupati Wajibkan ASN Netral\nIa hadir. Pj Bupati Wajibkan ASN Netral"
    result = segment_with_report(article)
    assert [s.text for s in result.sentences] == ["Pj Bupati Wajibkan ASN Netral", "Ia hadir."]
    assert [(d.start, d.reason) for d in result.dropped] == [(30, "repeat"), (70, "repeat")]


def test_police_ranks_and_daeng_do_not_end_the_sentence():
    assert texts("Kasat Reskrim Kompol. Hendri dan Haris Dg. Sitaba hadir. Acara usai.") == [
        "Kasat Reskrim Kompol. Hendri dan Haris Dg. Sitaba hadir.",
        "Acara usai.",
    ]


def test_a_sentence_may_start_with_dr():
    assert texts("Persoalan itu disorot DPRD. dr. Agustina meminta formasi baru.") == [
        "Persoalan itu disorot DPRD.",
        "dr. Agustina meminta formasi baru.",
    ]


def test_a_domain_ends_a_sentence():
    assert texts("Data ada di laman kpu.go.id. Warga bisa melapor.") == [
        "Data ada di laman kpu.go.id.",
        "Warga bisa melapor.",
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (BoilerplateRule("x", "a", where="middle"), r"where must be one of line, start, end, found 'middle'"),
        (BoilerplateRule("x", "a", where="end", drops_rest=True), r"drops_rest, drops_next and max_length need where='line'"),
        (BoilerplateRule("x", "a", drops_rest=True, drops_next=True), r"set drops_rest or drops_next, not both"),
    ],
)
def test_inconsistent_rule_settings_are_config_errors(rule, message):
    with pytest.raises(ConfigError, match=message):
        Segmenter(boilerplate=(rule,))


def test_extra_start_and_end_rules_from_settings():
    segmenter = Segmenter.from_settings(
        extra_boilerplate=[
            {"name": "promo", "pattern": r"PROMO:\s*\S+\s+", "where": "start"},
            {"name": "signature", "pattern": r"--\s*\w+", "where": "end"},
        ]
    )
    result = segmenter.segment_with_report("PROMO: diskon ASN diminta netral. --redaksi")
    assert [s.text for s in result.sentences] == ["ASN diminta netral."]
    assert [d.reason for d in result.dropped] == ["promo", "signature"]


@pytest.mark.parametrize("marker", ["Berita Terkait Lainnya", "Artikel Terkait", "Tag"])
def test_tail_markers_drop_everything_after_them(marker):
    article = f"ASN diminta netral.\n{marker}\nBanjir di Desa A\nPj Bupati Tinjau Pasar"
    result = segment_with_report(article)
    assert [s.text for s in result.sentences] == ["ASN diminta netral."]
    assert {d.reason for d in result.dropped} == {result.dropped[0].reason} and len(result.dropped) == 3


def test_prose_starting_with_oleh_karena_is_kept():
    assert texts("Oleh karena itu, ASN diminta netral.") == ["Oleh karena itu, ASN diminta netral."]


def test_custom_rules_and_abbreviations_are_used():
    segmenter = Segmenter(
        boilerplate=(BoilerplateRule("ad", r"IKLAN.*"),), extra_abbreviations=("Kompol.",)
    )
    result = segmenter.segment_with_report("IKLAN sabun\nKapolres Kompol. Andi hadir. Semua senang.")
    assert [s.text for s in result.sentences] == ["Kapolres Kompol. Andi hadir.", "Semua senang."]
    assert [d.reason for d in result.dropped] == ["ad"]


def test_invalid_boilerplate_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match=r"boilerplate rule 'bad': invalid pattern '\('"):
        Segmenter(boilerplate=(BoilerplateRule("bad", "("),))


news_alphabet = st.sampled_from(
    list("abcdeASNHS .,!?\u2026\"'\u201c\u201d()-\u2022:/|>*0123456789\n\r\t")
    + ["Ir.", "Dr.", "dr. ", "BACA JUGA:", "Baca Juga\n", "Tag", " \u2028", "(ant/rdk)", "Penulis: Ani ", "PALEMBANG, ", "Sari"]
)
news_like_text = st.lists(news_alphabet, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), news_like_text))
def test_offsets_are_exact_ordered_and_cover_every_visible_character(text):
    result = segment_with_report(text)
    covered = [0] * len(text)
    previous_end = 0
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
        for i in range(sentence.start, sentence.end):
            covered[i] += 1
    for span in result.dropped:
        for i in range(span.start, span.end):
            covered[i] += 1
    for i, char in enumerate(text):
        if not char.isspace():
            assert covered[i] == 1, (i, char)
        else:
            assert covered[i] <= 1


def test_photo_credit_stays_with_its_caption():
    assert texts("Bupati meninjau banjir, Selasa (8/10/2024). FOTO: ANDI/DELIPOST\nIa hadir.") == [
        "Bupati meninjau banjir, Selasa (8/10/2024). FOTO: ANDI/DELIPOST",
        "Ia hadir.",
    ]
    assert texts("Relawan membantu warga. FOTO: DOK. BPBD PELALAWAN") == ["Relawan membantu warga. FOTO: DOK. BPBD PELALAWAN"]


def test_a_sentence_that_starts_with_the_word_foto_still_splits():
    assert texts("Acara usai. Foto bersama dilakukan.") == ["Acara usai.", "Foto bersama dilakukan."]


def test_batak_boru_abbreviation_does_not_end_the_sentence():
    assert texts("Ketua Panwascam, Rosdiana br. Hutabarat, hadir. Ia senang.") == [
        "Ketua Panwascam, Rosdiana br. Hutabarat, hadir.",
        "Ia senang.",
    ]


def test_byline_with_a_clock_time_is_dropped():
    result = segment_with_report("Oleh Prokopim Lamtim, Senin, 16 September 2024 | 09.45 WIB\nIsi berita.")
    assert [s.text for s in result.sentences] == ["Isi berita."]
    assert [d.reason for d in result.dropped] == ["byline"]


def test_haji_and_hyphenated_abbreviations_do_not_end_the_sentence():
    assert texts("Inspektur Drs. Abdul Gani Hi. Usman hadir bersama 23 camat se-Kab. Banggai. Acara usai.") == [
        "Inspektur Drs. Abdul Gani Hi. Usman hadir bersama 23 camat se-Kab. Banggai.",
        "Acara usai.",
    ]


def test_a_unit_at_the_end_of_a_sentence_ends_it():
    assert texts("Harga cabai mencapai Rp7.000 per kg. Pedagang mengeluh.") == [
        "Harga cabai mencapai Rp7.000 per kg.",
        "Pedagang mengeluh.",
    ]
