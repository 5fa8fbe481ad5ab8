"""The tag set, in the fixed order every matrix column and file uses."""

from __future__ import annotations

TAGS: tuple[str, ...] = ("prohibition", "appeal", "statistic")
