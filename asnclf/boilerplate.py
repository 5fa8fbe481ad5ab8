"""Site boilerplate that is not prose: the lines a segmenter drops before tagging.

Regional news pages carry navigation, bylines, share buttons and link lists
inside the article text a scraper returns. None of it is a sentence anybody
said, so it must never reach the classifier. Each kind is one named
:class:`BoilerplateRule`; a rule matches a whole (stripped) line, and a
*tail* rule drops its line and everything after it (the related-links list
after "Berita Terkait Lainnya", the tag items after "Tag").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asnclf.errors import ConfigError


@dataclass(frozen=True)
class BoilerplateRule:
    """One kind of boilerplate line.

    ``pattern`` must match the whole line, stripped of surrounding white
    space. With ``drops_rest`` the line and every later line are dropped.
    """

    name: str
    pattern: str
    drops_rest: bool = False


DEFAULT_RULES: tuple[BoilerplateRule, ...] = (
    BoilerplateRule("read_also", r"(?i:baca\s+juga)\s*:.*"),
    BoilerplateRule("google_news", r"(?i:cek\s+berita\s+dan\s+artikel\s+(?:yang\s+)?lain(?:nya)?\s+di\s+google\s+news).*"),
    BoilerplateRule("related_links", r"(?i:(?:berita|artikel)\s+terkait(?:\s+lainnya)?|berita\s+lainnya)\s*:?", drops_rest=True),
    BoilerplateRule("tag_list", r"(?i:tags?)(?:\s*:.*)?", drops_rest=True),
    BoilerplateRule("share", r"(?i:share|bagikan)(?:\s+(?i:artikel\s+ini|berita\s+ini|ini))?\s*:?"),
    BoilerplateRule("source_line", r"(?i:sumber)\s*:.{0,120}"),
    BoilerplateRule("staff_credit", r"(?i:editor|redaktur|pewarta|penulis|reporter|penyunting|fotografer|kontributor|editing)\s*:.{0,120}"),
    # "Oleh karena itu, ..." is prose; a byline has no sentence punctuation
    # other than the dot of a clock time ("09.45 WIB").
    BoilerplateRule("byline", r"Oleh\s+(?!(?i:karena|sebab|itu)\b)(?:[^.!?]|(?<=\d)\.(?=\d)){1,200}"),
    BoilerplateRule("copyright", r"(?:(?i:copyright|hak\s+cipta)\b|©).{0,200}"),
    BoilerplateRule("read_count", r"(?i:dibaca)\s+[\d.,]+\s*(?i:kali).{0,40}"),
    BoilerplateRule("comment_count", r"(?i:responses?|komentar|comments?)\s*\(\d+\)"),
    BoilerplateRule("scroll_prompt", r"(?i:scroll\s+to\s+continue\s+with\s+content)"),
    # A line with no lower-case letter and at least three capitals is a banner
    # ("BANNER ASKOLANI 2 PERIODE", "ADVERTISEMENT"), never reported speech.
    BoilerplateRule("caps_banner", r"(?=(?:[^A-Z]*[A-Z]){3})[^a-z]+"),
)


class BoilerplateMatcher:
    """Tells, line by line, which rule (if any) drops a line."""

    def __init__(self, rules: tuple[BoilerplateRule, ...] = DEFAULT_RULES) -> None:
        names = [rule.name for rule in rules]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise ConfigError(f"boilerplate rule names must be unique; repeated: {', '.join(duplicated)}")
        for rule in rules:
            if not rule.name.isidentifier():
                raise ConfigError(f"boilerplate rule name {rule.name!r} must be an identifier (letters, digits, _)")
            try:
                re.compile(rule.pattern)
            except re.error as exc:
                raise ConfigError(f"boilerplate rule {rule.name!r}: invalid pattern {rule.pattern!r} ({exc})") from None
        self.rules = rules
        self._tail_rules = frozenset(rule.name for rule in rules if rule.drops_rest)
        # One alternation with a named group per rule: one regex call per line.
        self._combined = re.compile("|".join(f"(?P<{rule.name}>{rule.pattern})" for rule in rules)) if rules else None

    def match(self, line: str) -> str | None:
        """The name of the rule that drops ``line`` (already stripped), or None."""
        if self._combined is None or not line:
            return None
        found = self._combined.fullmatch(line)
        return found.lastgroup if found else None

    def drops_rest(self, rule_name: str) -> bool:
        """Whether the named rule drops every line after its own."""
        return rule_name in self._tail_rules
