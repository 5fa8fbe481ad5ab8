"""Site boilerplate that is not prose: what a segmenter drops before tagging.

Regional news pages carry navigation, bylines, share buttons and link lists
inside the article text a scraper returns. None of it is a sentence anybody
said, so it must never reach the classifier. Each kind is one named
:class:`BoilerplateRule`. Most rules match a whole (stripped) line; a *tail*
rule drops its line and everything after it (the related-links list after
"Berita Terkait", the tag items after "Tag"); a *next* rule drops its line and
the title line after it ("Baca Juga" with the linked title below). Two kinds
take only part of a line: a *start* rule a prefix (a byline glued before the
dateline) and an *end* rule a suffix after the last sentence (a reporter code
such as "(ant/rdk)").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from asnclf.errors import ConfigError

PLACES = ("line", "start", "end")
# An end rule is looked for in this many last characters of a line: searching
# whole paragraphs for a suffix costs more than the rest of segmentation.
END_WINDOW = 40


@dataclass(frozen=True)
class BoilerplateRule:
    """One kind of boilerplate.

    ``where="line"`` (default): ``pattern`` must match the whole line, stripped
    of surrounding white space; with ``drops_rest`` every later line is dropped
    too, with ``drops_next`` the next non-blank line when it reads as a title
    (at most 160 characters, ending in a letter, digit, ``?`` or ``!``).
    ``where="start"``: ``pattern`` matches a prefix of the line, which is
    dropped; the rest is segmented. ``where="end"``: ``pattern`` matches a
    suffix of the line, within its last 40 characters, that follows a sentence
    end (``.``, ``!``, ``?``, a closing quote) or stands alone. A line rule
    with ``max_length`` is tried only on lines at most that long: most lines
    are prose paragraphs, and sparing them the rules that could never match
    them keeps segmentation fast.
    """

    name: str
    pattern: str
    drops_rest: bool = False
    drops_next: bool = False
    where: str = "line"
    max_length: int | None = None


# Pieces shared by several rules.
_MONTH = (
    r"(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember"
    r"|jan|feb|mar|apr|jun|jul|agu|agt|ags|agust|sep|sept|okt|nov|des)"
)
_DAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)"
_CLOCK = r"\d{1,2}[.:]\d{2}(?::\d{2})?(?:\s*(?:wib|wita|wit))?"
_DATE = rf"(?i:(?:{_DAY},?\s*)?\d{{1,2}}\s+{_MONTH}\.?\s+\d{{4}}(?:\s*[,|\-\u2013\u2014]?\s*(?:pukul\s*)?{_CLOCK})?)"
_NETWORK = (
    r"(?:facebook|twitter|x|whatsapp|wa|telegram|line|linkedin|instagram|tiktok|youtube|pinterest|threads"
    r"|e-?mail|copy\s+link|salin\s+(?:link|tautan))"
)
_NETWORKS = rf"{_NETWORK}(?:(?:\s*[|\u2022\u00b7,/]\s*|\s+)(?:dan\s+|and\s+)?{_NETWORK})*"
_STAFF = (
    r"(?:editor|redaktur|pewarta|penulis|reporter|penyunting|fotografer|kontributor|editing|laporan|jurnalis"
    r"|wartawan|koresponden|videografer|grafis|desain|penerjemah|alih\s+bahasa)"
)
# A person's name in a byline: capitalised words or initials ("Rafi'i", "M.").
# Possessive: a name never gives back a word, so a credit line with no
# dateline after it fails at once instead of backtracking through its letters.
_NAME = r"(?:[A-Z][a-z][\w'\u2019-]*+\.?|[A-Z]\.)(?:\s++(?:[A-Z][a-z][\w'\u2019-]*+\.?|[A-Z]\.)){0,3}+"
# A dateline opens the first paragraph: "PALEMBANG, ...", "MUARA ENIM - ...".
_DATELINE = r"[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+)*\s*(?:,|[\-\u2013\u2014]|\()"
# A guard that fails a prose line after its first word or two, before a
# rule's word list is tried: a credit's role ends in a colon ("Penulis :",
# "Pewarta/Editor:", "Alih bahasa:").
_COLON_SOON = r"(?=[A-Za-z/]{4,23}+(?:\s++[A-Za-z]++)?\s*+:)"
_READ_ALSO = (
    r"(?:baca|lihat|simak|saksikan)\s+(?:juga|pula)(?:\s+video)?|tonton\s+(?:juga\s+)?video|tonton\s+juga"
    r"|(?:simak|lihat)\s+video"
)
# Words a credit line is made of besides capitalised names: "Foto: dok. pribadi".
_CREDIT_WORD = r"(?:[A-Z0-9@][\w.'\u2019&@-]*|(?i:ist|istimewa|ilustrasi|dok\.?|dokumentasi|pribadi|net|humas|via|dan|tangkapan\s+layar|arsip))"
# Possessive (++, {0,3}+): no backtracking inside an item.
_BREADCRUMB_ITEM = r"[^\s>\u00bb\u203a/|:.!?,\"\u201c\u201d]++(?:[ \t]++[^\s>\u00bb\u203a/|:.!?,\"\u201c\u201d]++){0,3}+"

DEFAULT_RULES: tuple[BoilerplateRule, ...] = (
    # "Baca juga: <title>" and the like; without a colon only when the rest has
    # no sentence punctuation, so "Simak juga penjelasan berikut." stays prose.
    BoilerplateRule("read_also", rf"(?i:{_READ_ALSO})(?:\s*[:\-\u2013]\s*\S.*|\s+[^.!?:]*[^\s.!?:])"),
    BoilerplateRule("read_also_next", rf"(?i:{_READ_ALSO})\s*:?", drops_next=True, max_length=40),
    BoilerplateRule("google_news", r"(?i:cek\s+berita\s+dan\s+artikel\s+(?:yang\s+)?lain(?:nya)?\s+di\s+google\s+news).*"),
    # Prompts to follow the outlet elsewhere. They open with a fixed phrase
    # ("Ikuti kami", "Dapatkan update") and name a channel, so an imperative in
    # prose ("Ikuti arahan petugas di grup WhatsApp kantor.") is kept.
    BoilerplateRule(
        "follow_prompt",
        r"(?=[BbDdFfGgIiJjMmSsUu])(?=(?i:(?:ikuti|follow)\s+(?:kami|us|berita|saluran|channel|update)\b|ikuti\s+\S+\s+(?:di|on)\s+google\s+news"
        r"|simak\s+(?:berita|breaking\s+news|update|informasi|artikel)|baca\s+(?:berita|artikel)\s+(?:\S+\s+){0,2}?lainnya"
        r"|dapatkan\s+(?:update|berita|informasi|info|notifikasi)|update\s+berita|(?:mari\s+)?(?:bergabung|gabung|join)\s+"
        r"(?:di|ke|dengan)\s+(?:grup|saluran|channel)))"
        r"(?=.{0,300}?(?i:google\s+news|whatsapp|telegram|instagram|facebook|tiktok|youtube|twitter|channel|saluran|grup"
        r"|berita\s+(?:\S+\s+){0,2}?lainnya|breaking\s+news|berita\s+terkini|berita\s+terbaru))"
        r".{0,400}"
        r"|(?i:ikuti\s+kami|follow\s+us|temukan\s+kami)(?:\s+(?:di|on))?\s*:?",
    ),
    BoilerplateRule(
        "related_links",
        r"(?i:(?:berita|artikel)\s+(?:terkait|lainnya|terpopuler|populer)(?:\s+lainnya)?|terpopuler|pilihan\s+redaksi)\s*:?",
        drops_rest=True,
        max_length=80,
    ),
    BoilerplateRule("tag_list", r"(?i:tags?|topik(?:\s+terkait)?|kata\s+kunci)(?:\s*:.*)?", drops_rest=True),
    # The comment form closes a page: its labels read like sentences
    # ("Alamat email Anda tidak akan dipublikasikan.").
    BoilerplateRule(
        "comment_form",
        r"(?i:tinggalkan\s+(?:balasan|komentar)|leave\s+a\s+(?:reply|comment))\s*:?",
        drops_rest=True,
        max_length=40,
    ),
    BoilerplateRule(
        "share",
        rf"(?i:(?:share|bagikan)(?:\s+(?:artikel\s+ini|berita\s+ini|ini|ke|this))?\s*:?(?:\s*{_NETWORKS})?|{_NETWORKS})",
        max_length=80,
    ),
    BoilerplateRule("source_line", r"(?i:sumber)\s*:.{0,120}", max_length=100),
    BoilerplateRule(
        "staff_credit",
        rf"{_COLON_SOON}(?i:{_STAFF}(?:\s*/\s*{_STAFF})*)\s*:.{{0,120}}"
        r"|(?i:laporan\s+(?:wartawan|reporter|jurnalis|koresponden))\s.{1,100}"
        r"|(?i:redaksi|tim\s+redaksi)\s+\S+(?:\s+\S+)?",
        max_length=100,
    ),
    # "Oleh karena itu, ..." is prose; a byline has no sentence punctuation
    # other than the dot of a clock time ("09.45 WIB").
    BoilerplateRule("byline", r"Oleh(?:\s*:)?\s+(?!(?i:karena|sebab|itu)\b)(?:[^.!?]|(?<=\d)\.(?=\d)){1,200}"),
    # A standalone credit: names and credit words only, so a caption written as
    # prose after "Foto:" ("Foto: Bupati meninjau banjir") is kept.
    BoilerplateRule(
        "photo_credit",
        rf"\(?(?i:foto|photo|dok|dokumentasi|ilustrasi|sumber\s+foto|kredit\s+foto|gambar)\s*[:.]\s*"
        rf"{_CREDIT_WORD}(?:[\s/|,&\-]+{_CREDIT_WORD}){{0,8}}\)?",
        max_length=80,
    ),
    BoilerplateRule(
        "timestamp",
        rf"(?:(?i:diperbarui|diterbitkan|dipublikasikan|update|updated|published|terbit|posted)\s*:?\s*)?{_DATE}",
        max_length=80,
    ),
    # Home/Beranda first when "/" or "|" separates, which prose also uses.
    BoilerplateRule(
        "breadcrumb",
        rf"{_BREADCRUMB_ITEM}(?:\s*+[>\u00bb\u203a]\s*+{_BREADCRUMB_ITEM})++"
        rf"|(?i:home|beranda|index|indeks)(?:\s*+[/|]\s*+{_BREADCRUMB_ITEM})++",
        max_length=80,
    ),
    BoilerplateRule(
        "page_numbers",
        r"(?i:(?:halaman|page|hal\.?)\s*:?\s*)?"
        r"(?:(?i:selanjutnya|berikutnya|sebelumnya|next|prev(?:ious)?)|[\u00bb\u00ab\u203a\u2039]|\d{1,2}(?:\s+(?i:dari|of)\s+\d{1,2})?)"
        r"(?:\s*(?:(?i:selanjutnya|berikutnya|sebelumnya|next|prev(?:ious)?)|[\u00bb\u00ab\u203a\u2039]|\d{1,2}))*"
        r"|(?i:halaman|page)\s*:?",
        max_length=80,
    ),
    BoilerplateRule("site_name", r"(?:[A-Za-z0-9-]++\.)++(?i:id|com|net|org|news|info|tv)", max_length=80),
    BoilerplateRule("copyright", r"(?:(?i:copyright|hak\s+cipta|all\s+rights\s+reserved)\b|\u00a9).{0,200}"),
    BoilerplateRule("read_count", r"(?i:dibaca|dilihat|views?)\s*:?\s*[\d.,]+\s*(?i:kali|x)?.{0,40}", max_length=80),
    BoilerplateRule(
        "comment_count",
        r"(?i:responses?|komentar|comments?|tanggapan)\s*\(\d+\)|\d+\s+(?i:komentar|comments?|tanggapan|responses?)"
        r"|(?i:(?:lihat|tulis|kirim|beri|tampilkan|baca)\s+)?(?i:komentar|comments?)|(?i:belum\s+ada\s+komentar)",
        max_length=40,
    ),
    BoilerplateRule(
        "scroll_prompt",
        r"(?i:scroll\s+(?:to|untuk)\s+(?:continue|melanjutkan)(?:\s+(?:with\s+content|membaca))?"
        r"|lanjutkan\s+membaca|continue\s+reading|baca\s+selengkapnya)",
        max_length=80,
    ),
    BoilerplateRule("advertisement", r"(?i:advertisement|iklan|sponsored|konten\s+(?:ber)?sponsor)", max_length=40),
    BoilerplateRule("video_embed", r"\[(?i:gambas):[^\]]*\]", max_length=80),
    # Syndication notes are one line whatever follows ("..., Klik untuk baca: https://...").
    BoilerplateRule(
        "syndication",
        r"(?i:(?:artikel|berita|tulisan|konten)\s+ini\s+(?:telah|sudah|pernah)\s+(?:tayang|terbit|dimuat|diterbitkan|ditayangkan))\b.{0,400}",
    ),
    # A line with no lower-case letter and at least three capitals is a banner
    # ("BANNER ASKOLANI 2 PERIODE", "ADVERTISEMENT"), never reported speech.
    BoilerplateRule("caps_banner", r"(?=[^a-z]++\Z)(?:[^A-Z]*+[A-Z]){3}.*"),
    # A byline the scraper glued before the first paragraph's dateline:
    # "Penulis: Ayu Lestari PALEMBANG, ...". Names are capitalised words and the
    # dateline is in capitals, so the byline ends where the capitals begin.
    BoilerplateRule(
        "glued_byline",
        rf"(?={_COLON_SOON}|Oleh|(?i:laporan)\s)"
        rf"(?:(?i:{_STAFF})\s*:\s*{_NAME}(?:\s*[|/,\-\u2013]\s*(?i:{_STAFF})\s*:\s*{_NAME})*"
        rf"|(?i:laporan\s+(?:wartawan|reporter|jurnalis|koresponden))\s+\S+(?:\s+\S+){{0,3}},\s*{_NAME}"
        rf"|Oleh(?:\s*:)?\s+{_NAME})"
        rf"(?>\s*,\s*{_DATE})?(?:\s*\|)?\s+(?={_DATELINE})",
        where="start",
    ),
    # Reporter and source codes closing the last paragraph: "(ant/rdk)", "(*/hms)", "(win)".
    BoilerplateRule("reporter_code", r"\((?:[A-Za-z*]{1,8}|[A-Za-z*.]{1,16}(?:/[A-Za-z*.]{1,16}){1,4})\)", where="end"),
)


class Take(NamedTuple):
    """What a rule takes of a stripped line: ``line[start:end]``."""

    rule: str
    start: int
    end: int


class BoilerplateMatcher:
    """Tells which rule (if any) drops a line, or a line's start or end."""

    def __init__(self, rules: tuple[BoilerplateRule, ...] = DEFAULT_RULES) -> None:
        names = [rule.name for rule in rules]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise ConfigError(f"boilerplate rule names must be unique; repeated: {', '.join(duplicated)}")
        for rule in rules:
            _check(rule)
        self.rules = rules
        self._tail_rules = frozenset(rule.name for rule in rules if rule.drops_rest)
        self._next_rules = frozenset(rule.name for rule in rules if rule.drops_next)
        line_rules = [rule for rule in rules if rule.where == "line"]
        start_rules = [rule for rule in rules if rule.where == "start"]
        end_rules = [rule for rule in rules if rule.where == "end"]
        self._start_rules = frozenset(rule.name for rule in start_rules)
        # Line rules in tiers by line length: a line of length n is tried
        # against the tier of the smallest limit >= n (rules without a limit
        # are in every tier).
        self._limits = sorted({rule.max_length for rule in line_rules if rule.max_length is not None})
        tiers = [*self._limits, None]
        self._line = [_alternation([r for r in line_rules if _fits(r, limit)], []) for limit in tiers]
        # What the segmenter asks of every line, in one regex call: start rules
        # first (a glued byline makes a short line prose even when a whole-line
        # credit rule would also take it), then line rules.
        self._scan = [_alternation([r for r in line_rules if _fits(r, limit)], start_rules) for limit in tiers]
        self._end = re.compile("|".join(f"(?P<{rule.name}>{rule.pattern})\\Z" for rule in end_rules)) if end_rules else None

    def match(self, line: str) -> str | None:
        """The name of the line rule that drops ``line`` (already stripped), or None."""
        rules = self._line[bisect_left(self._limits, len(line))]
        found = rules.fullmatch(line) if rules is not None and line else None
        return found.lastgroup if found else None

    def scan(self, line: str) -> Take | None:
        """What the first start, line or end rule takes of ``line`` (stripped, not empty), or None.

        A line rule takes the whole line; a start rule a prefix, after which
        the line is prose; an end rule a suffix after the line's last sentence.
        """
        rules = self._scan[bisect_left(self._limits, len(line))]
        found = rules.match(line) if rules is not None else None
        if found is None:
            # The search alone first: most lines end in no end rule, and a
            # second method call per line would cost as much as the search.
            if self._end is None or self._end.search(line, max(0, len(line) - END_WINDOW)) is None:
                return None
            return self.match_end(line)
        if found.lastgroup in self._start_rules:
            return Take(found.lastgroup, 0, found.end())
        return Take(found.lastgroup, 0, len(line))

    def match_end(self, line: str) -> Take | None:
        """What an end rule takes of ``line`` (stripped), or None."""
        found = self._end.search(line, max(0, len(line) - END_WINDOW)) if self._end is not None else None
        if found is None:
            return None
        before = line[: found.start()].rstrip()
        if before and before[-1] not in ".!?\"'\u201d\u2019":
            return None
        return Take(found.lastgroup, found.start(), len(line))

    def drops_rest(self, rule_name: str) -> bool:
        """Whether the named rule drops every line after its own."""
        return rule_name in self._tail_rules

    def drops_next(self, rule_name: str) -> bool:
        """Whether the named rule drops the title line after its own."""
        return rule_name in self._next_rules


def _check(rule: BoilerplateRule) -> None:
    if not rule.name.isidentifier():
        raise ConfigError(f"boilerplate rule name {rule.name!r} must be an identifier (letters, digits, _)")
    if rule.where not in PLACES:
        raise ConfigError(f"boilerplate rule {rule.name!r}: where must be one of {', '.join(PLACES)}, found {rule.where!r}")
    if rule.where != "line" and (rule.drops_rest or rule.drops_next or rule.max_length is not None):
        raise ConfigError(
            f"boilerplate rule {rule.name!r}: drops_rest, drops_next and max_length need where='line', found {rule.where!r}"
        )
    if rule.max_length is not None and rule.max_length < 1:
        raise ConfigError(f"boilerplate rule {rule.name!r}: max_length must be at least 1, found {rule.max_length}")
    if rule.drops_rest and rule.drops_next:
        raise ConfigError(f"boilerplate rule {rule.name!r}: set drops_rest or drops_next, not both")
    try:
        re.compile(rule.pattern)
    except re.error as exc:
        raise ConfigError(f"boilerplate rule {rule.name!r}: invalid pattern {rule.pattern!r} ({exc})") from None


def _fits(rule: BoilerplateRule, limit: int | None) -> bool:
    """Whether a line rule is tried on lines up to ``limit`` characters long (None: longer than every limit)."""
    return rule.max_length is None or (limit is not None and rule.max_length >= limit)


def _alternation(line_rules: list[BoilerplateRule], start_rules: list[BoilerplateRule]) -> re.Pattern | None:
    """One pattern with a named group per rule: start rules as prefixes, then line rules up to the line end."""
    parts = [f"(?P<{rule.name}>{rule.pattern})" for rule in start_rules]
    parts += [f"(?P<{rule.name}>{rule.pattern})\\Z" for rule in line_rules]
    return re.compile("|".join(parts)) if parts else None
