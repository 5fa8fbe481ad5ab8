"""The ``--html`` page of ``asnclf score``: every article with its tagged sentences highlighted.

One self-contained file (inline CSS, no script, no external resource): a
legend with one colour per tag and the totals, then one section per article
with its id, source, per-tag counts and its sentences. All text is escaped.
The page is written in pieces, so it streams like the other outputs:
:func:`page_head` and :func:`page_tail` around the :func:`article_html` of
each article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# Background and a darker border per known tag; other tags take the palette in turn.
TAG_COLOURS: dict[str, tuple[str, str]] = {
    "prohibition": ("#fbd3d0", "#c0392b"),
    "appeal": ("#d3e4fb", "#2a6cc0"),
    "statistic": ("#fbeab8", "#b7860b"),
}
_PALETTE: tuple[tuple[str, str], ...] = (("#d7f2d9", "#2e8b3e"), ("#ead7f5", "#7d3aa6"), ("#d5f1f1", "#1f8686"))


def tag_colours(labels: Sequence[str]) -> dict[str, tuple[str, str]]:
    """A (background, border) pair for each tag: the known ones fixed, others from a palette."""
    spare = iter(_PALETTE * (len(labels) // len(_PALETTE) + 1))
    return {label: TAG_COLOURS[label] if label in TAG_COLOURS else next(spare) for label in labels}


def _css(labels: Sequence[str]) -> str:
    rules = []
    for index, (label, (background, border)) in enumerate(tag_colours(labels).items()):
        rules.append(f".t{index}{{background:{background};border-bottom:2px solid {border}}}")
        rules.append(f".k{index}{{background:{background};border:1px solid {border};color:#222}}")
        # A sentence with a second tag: its colour fills the lower half of each line.
        rules.append(f".s.m{index}{{background-image:linear-gradient(transparent 55%,{background} 55%)}}")
    return _BASE_CSS + "\n".join(rules)


_BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d1d1f;background:#f4f4f2}
header{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ddd;padding:12px 28px;box-shadow:0 1px 4px rgba(0,0,0,.05)}
h1{font-size:20px;margin:0 0 6px}
.totals{color:#555;font-size:14px;margin:0 0 8px}
.legend{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.chip{display:inline-block;border-radius:12px;padding:1px 10px;font-size:13px;white-space:nowrap}
.chip b{font-weight:600}
.zero{background:#eee;border:1px solid #ccc;color:#777}
main{max-width:980px;margin:0 auto;padding:16px 28px 40px}
article{background:#fff;border:1px solid #ddd;border-radius:8px;margin:0 0 18px;padding:14px 20px}
article>h2{font-size:16px;margin:0;word-break:break-all}
.source{color:#777;font-size:12px;margin:0 0 6px;word-break:break-all}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}
.body p{margin:0 0 10px}
.s{border-radius:3px;padding:1px 2px;color:inherit;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.tags{font-size:11px;vertical-align:super;margin-left:2px;white-space:nowrap}
.tags .chip{padding:0 5px;font-size:11px;border-radius:6px;margin-left:2px}
.gap{color:#999}
.none{color:#888;font-style:italic;margin:0}
"""


def page_head(labels: Sequence[str], totals: Mapping, *, title: str = "asnclf score") -> str:
    """The page up to the first article: styles, title, totals and the legend (tag colours and counts)."""
    tags = totals.get("tags", {})
    legend = "".join(
        f'<li class="chip k{index}">{escape(label)} <b>{tags.get(label, 0):,}</b></li>' for index, label in enumerate(labels)
    )
    skipped = sum(totals.get("skipped", {}).values())
    figures = f"{totals.get('articles', 0):,} articles · {totals.get('sentences', 0):,} sentences"
    if skipped:
        figures += f" · {skipped:,} records skipped"
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_css(labels)}</style>\n</head>\n<body>\n"
        f'<header>\n<h1>{escape(title)}</h1>\n<p class="totals">{figures}; tagged sentences per tag:</p>\n'
        f'<ul class="legend" aria-label="legend">{legend}</ul>\n</header>\n<main>\n'
    )


def page_tail() -> str:
    return "</main>\n</body>\n</html>\n"


def article_html(
    article_id: str,
    source: str,
    text: str,
    sentences: Sequence[Mapping],
    counts: Mapping[str, int],
    labels: Sequence[str],
    *,
    only_tagged: bool = False,
) -> str:
    """One article's section: id, source, per-tag counts, then its sentences, tagged ones highlighted.

    A new paragraph starts where the article had a line break between two
    sentences. With ``only_tagged`` only tagged sentences are shown, with an
    ellipsis where untagged ones were left out.
    """
    column = {label: index for index, label in enumerate(labels)}
    chips = "".join(
        f'<span class="chip {"k" + str(column[label]) if counts.get(label) else "zero"}">{escape(label)} <b>{counts.get(label, 0)}</b></span>'
        for label in labels
    )
    paragraphs: list[list[str]] = [[]]
    previous_end = None
    left_out = False
    for sentence in sentences:
        tags = sentence["labels"]
        if only_tagged and not tags:
            left_out = True
            continue
        if previous_end is not None and "\n" in text[previous_end:sentence["start"]] and paragraphs[-1]:
            paragraphs.append([])
        if left_out and paragraphs[-1]:
            paragraphs[-1].append('<span class="gap">…</span>')
        left_out = False
        paragraphs[-1].append(_sentence_html(sentence, tags, column))
        previous_end = sentence["end"]
    body = "".join(f"<p>{' '.join(parts)}</p>" for parts in paragraphs if parts)
    if not body:
        body = '<p class="none">no tagged sentence</p>' if only_tagged and sentences else '<p class="none">no sentence</p>'
    return (
        f"<article>\n<h2>{escape(article_id)}</h2>\n<p class=\"source\">{escape(source)}</p>\n"
        f'<div class="counts">{chips}</div>\n<div class="body">{body}</div>\n</article>\n'
    )


def _sentence_html(sentence: Mapping, tags: Sequence[str], column: Mapping[str, int]) -> str:
    text = escape(sentence["text"])
    if not tags:
        return text
    scores = sentence.get("scores", {})
    hint = ", ".join(f"{tag} {scores[tag]:.2f}" if tag in scores else tag for tag in tags)
    badges = "".join(f'<span class="chip k{column[tag]}">{escape(tag)}</span>' for tag in tags)
    classes = f"s t{column[tags[0]]}" + (f" m{column[tags[1]]}" if len(tags) > 1 else "")
    return f'<mark class="{classes}" title="{escape(hint)}">{text}</mark><span class="tags">{badges}</span>'
