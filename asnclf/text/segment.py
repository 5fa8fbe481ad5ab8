"""Sentence segmentation for Indonesian regional news, with exact offsets.

``segment(text)`` returns the article's sentences; ``text[s.start:s.end] ==
s.text`` for every one. What it leaves out (site boilerplate, list markers,
pieces with no letter or digit) it can report through :func:`segment_with_report`,
so every character that is not white space is accounted for exactly once.

Rules, each for a reason seen in the seed articles:
- every line ends a sentence: headlines, captions and datelines carry no
  final period;
- ``.``, ``!``, ``?`` and ellipses end a sentence only before white space and
  a capital, digit or opening quote/bracket, so decimals ("12,5"), thousands
  ("1.234"), times ("09.00 WIB"), domains and ``,"`` + attribution never split;
- a period after an honorific, degree or other abbreviation ("H.", "Ir.",
  "S.H.", "M.Si.", "Kab.", "No.", "dll."), after a single capital (an
  initial: "Hani S. Rustam") or after a dotted abbreviation ("S.Pd", "a.n")
  does not end a sentence;
- closing quotes and brackets stay with the sentence they close, so a quote
  ending in ``."`` keeps its quote mark and a lower-case attribution after it
  ("… netral," ungkap Hani.) stays in the same sentence;
- a sentence may open with "dr." (a physician's title, written in lower case);
- a domain ending a sentence ("laman kpu.go.id.") is no dotted abbreviation;
- a sentence already given in the article (a title printed twice) is dropped
  as a ``repeat``: the guide counts it once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from asnclf.text.boilerplate import DEFAULT_RULES, BoilerplateMatcher, BoilerplateRule, Take

# Lower-cased; compared with the token before a period, stripped of leading
# brackets and quotes and of a hyphenated prefix ("se-Kab."). Periods inside
# a token ("S.H") are matched separately. Units (kg, km, ha) are left out on
# purpose: in Indonesian they take no period, so one after them ends a sentence.
DEFAULT_ABBREVIATIONS: frozenset[str] = frozenset(
    """
    h hj hi ir dr drs dra prof moh muh mr ny nn sdr sdri bpk yth
    sh se st mm mba mh msi mpd spd sag sos ssos skom skm mkes mt mkom ak lc ma
    pj pjs plt plh kab kec kel ds jl jln gg jend brigjen mayjen letjen kol letkol kapt
    komjen irjen kombes akbp kompol akp iptu ipda aiptu aipda bripka brigpol briptu bripda dg
    no nomor hlm hal tgl pt tbk cv ud dll dsb dst dkk vs rp dok br
    """.split()
)

_BOUNDARY = re.compile(
    r"([.!?\u2026]+)([\"'\u201d\u2019\u00bb)\]]*)(\s+)"
    # A photo credit ("FOTO: ANDI/DELIPOST") belongs to the caption before it.
    r"(?!\(?(?:FOTO|Foto|foto|DOK|Dok)\b\s*[:.])"
    r"(?=[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9]|dr\.\s)"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LIST_MARKER = re.compile(r"(?:[-\u2022*\u25aa\u25cf\u25e6\u2013\u2014]|\d{1,2}[.)]|[a-z][.)])\s+")
_LOOKBACK = 48
_DOTTED = re.compile(r"(?:[A-Za-z]{1,4}\.)+[A-Za-z]{1,4}")
_DOMAIN_END = (".id", ".com", ".net", ".org")
_TITLE_LENGTH = 160
_HAS_WORD = re.compile(r"[^\W_]")


class Sentence(NamedTuple):
    """A sentence and where it stands in the article: ``text == article[start:end]``."""

    text: str
    start: int
    end: int


class DroppedSpan(NamedTuple):
    """A stretch of the article left out of every sentence, and why."""

    start: int
    end: int
    reason: str


class SegmentResult(NamedTuple):
    sentences: list[Sentence]
    dropped: list[DroppedSpan]


class Segmenter:
    """A configured segmenter; :func:`segment` uses one with the defaults.

    ``extra_abbreviations`` extends the built-in list (case does not matter);
    ``boilerplate`` replaces the built-in rules.
    """

    def __init__(
        self,
        *,
        boilerplate: tuple[BoilerplateRule, ...] = DEFAULT_RULES,
        extra_abbreviations: tuple[str, ...] = (),
    ) -> None:
        self.matcher = BoilerplateMatcher(boilerplate)
        self.abbreviations = DEFAULT_ABBREVIATIONS | {a.lower().rstrip(".") for a in extra_abbreviations}

    @classmethod
    def from_settings(cls, *, extra_abbreviations: list[str] | tuple[str, ...] = (), extra_boilerplate: list[dict] | tuple = ()) -> Segmenter:
        """A segmenter from plain settings (as saved in a model manifest): extra rules are added to the built-in ones."""
        rules = tuple(BoilerplateRule(**dict(rule)) for rule in extra_boilerplate)
        return cls(boilerplate=DEFAULT_RULES + rules, extra_abbreviations=tuple(extra_abbreviations))

    def segment(self, text: str) -> list[Sentence]:
        """The sentences of ``text`` in order (boilerplate left out)."""
        return self._run(text, report=False).sentences

    def segment_with_report(self, text: str) -> SegmentResult:
        """The sentences and the dropped spans (boilerplate, list markers, bare punctuation)."""
        return self._run(text, report=True)

    def _run(self, text: str, *, report: bool) -> SegmentResult:
        sentences: list[Sentence] = []
        dropped: list[DroppedSpan] = []
        report_to = dropped if report else None
        seen: set[str] = set()
        line_start = 0
        tail_reason: str | None = None
        next_reason: str | None = None
        matcher = self.matcher
        for line_end, next_start in _line_ends(text):
            line = text[line_start:line_end]
            stripped = line.strip()
            if stripped:
                left = line_start + (len(line) - len(line.lstrip()))
                right = left + len(stripped)
                reason = tail_reason
                take = None
                if reason is None:
                    take = matcher.scan(stripped)
                    if take is not None and take.end - take.start == len(stripped):
                        reason = take.rule
                if reason is None and next_reason is not None and _reads_as_title(stripped):
                    reason = next_reason
                next_reason = None
                if reason is not None:
                    if report:
                        dropped.append(DroppedSpan(left, right, reason))
                    if tail_reason is None:
                        if matcher.drops_rest(reason):
                            tail_reason = reason
                        elif matcher.drops_next(reason):
                            next_reason = reason
                else:
                    if take is not None:
                        left, right, stripped = self._trim(text, left, right, stripped, take, report_to)
                    if stripped:
                        marker = _LIST_MARKER.match(stripped)
                        if marker:
                            _drop(text, left, left + marker.end(), "list_marker", report_to)
                            left += marker.end()
                        self._split_line(text, left, right, sentences, report_to, seen)
            line_start = next_start
        return SegmentResult(sentences, dropped)

    def _trim(
        self, text: str, left: int, right: int, stripped: str, take: Take, dropped: list[DroppedSpan] | None
    ) -> tuple[int, int, str]:
        """Drop what a start or end rule takes of a line; the rest's bounds and text."""
        if take.start == 0:
            _drop(text, left, left + take.end, take.rule, dropped)
            stripped = stripped[take.end :].lstrip()
            left = right - len(stripped)
            take = self.matcher.match_end(stripped)
        if take is not None:
            _drop(text, left + take.start, right, take.rule, dropped)
            stripped = stripped[: take.start].rstrip()
            right = left + len(stripped)
        return left, right, stripped

    def _split_line(
        self, text: str, left: int, right: int, out: list[Sentence], dropped: list[DroppedSpan] | None, seen: set[str]
    ) -> None:
        line = text[left:right]
        piece_start = 0
        for boundary in _BOUNDARY.finditer(line):
            if boundary.group(1) == "." and self._is_abbreviation(line, boundary.start()):
                continue
            piece_end = boundary.end(2)
            self._emit(text, left + piece_start, left + piece_end, out, dropped, seen)
            piece_start = boundary.end()
        self._emit(text, left + piece_start, right, out, dropped, seen)

    def _is_abbreviation(self, line: str, period_at: int) -> bool:
        # Look back a bounded window: searching from the line start made long
        # one-line articles quadratic. No abbreviation is longer than the window.
        window_start = max(0, period_at - _LOOKBACK)
        window = line[window_start:period_at]
        parts = window.rsplit(None, 1)
        if not parts:
            return False
        if len(parts) == 1 and window_start > 0 and not window[0].isspace() and not line[window_start - 1].isspace():
            return False  # the token runs past the window: far too long for an abbreviation
        token = parts[-1].lstrip("\"'\u201c\u2018([,")
        if not token:
            return False
        if len(token) == 1 and token.isupper():
            return True
        if token.lower() in self.abbreviations:
            return True
        if _DOTTED.fullmatch(token) is not None:
            return not token.lower().endswith(_DOMAIN_END)  # "S.Pd" is a degree, "kpu.go.id" a domain
        return "-" in token and token.rsplit("-", 1)[1].lower() in self.abbreviations

    @staticmethod
    def _emit(
        text: str, start: int, end: int, out: list[Sentence], dropped: list[DroppedSpan] | None, seen: set[str]
    ) -> None:
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            return
        start += len(piece) - len(piece.lstrip())
        end = start + len(stripped)
        if _HAS_WORD.search(stripped) is None:
            if dropped is not None:
                dropped.append(DroppedSpan(start, end, "no_words"))
            return
        if stripped in seen:
            if dropped is not None:
                dropped.append(DroppedSpan(start, end, "repeat"))
            return
        seen.add(stripped)
        out.append(Sentence(stripped, start, end))


def _drop(text: str, start: int, end: int, reason: str, dropped: list[DroppedSpan] | None) -> None:
    """Report ``text[start:end]`` as dropped, trimmed of white space."""
    if dropped is None:
        return
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        dropped.append(DroppedSpan(start, start + len(stripped), reason))


def _reads_as_title(line: str) -> bool:
    """Whether a line after "Baca Juga" looks like the linked title: short, no final period or quote."""
    return len(line) <= _TITLE_LENGTH and (line[-1].isalnum() or line[-1] in "?!")


def _line_ends(text: str) -> list[tuple[int, int]]:
    """(end of line, start of next line) for each line, the last included."""
    ends = [found.span() for found in _LINE_BREAK.finditer(text)]
    ends.append((len(text), len(text)))
    return ends


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The segmenter with built-in rules, built once on first use."""
    return Segmenter()


def segment(text: str) -> list[Sentence]:
    """Split a news article into sentences with offsets.

    >>> [s.text for s in segment('Pj Bupati H. Hani meminta ASN netral. Ia hadir.')]
    ['Pj Bupati H. Hani meminta ASN netral.', 'Ia hadir.']
    """
    return default_segmenter().segment(text)


def segment_with_report(text: str) -> SegmentResult:
    """Like :func:`segment`, also returning what was dropped and why."""
    return default_segmenter().segment_with_report(text)
