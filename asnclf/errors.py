"""The exceptions asnclf raises for a user's mistake.

Each subclasses a built-in exception as well as :class:`AsnclfError`, so code
that already catches ``ValueError`` keeps working, and the CLI can turn any
``AsnclfError`` into one line on stderr and exit status 2.
"""

from __future__ import annotations


class AsnclfError(Exception):
    """Base class of every error caused by input, config or files (not by a bug)."""


class ConfigError(AsnclfError, ValueError):
    """A config file or ``--set`` override is malformed or out of range."""


class DataError(AsnclfError, ValueError):
    """Labeled data or raw articles are malformed or inconsistent."""


class ArtifactError(AsnclfError, ValueError):
    """A saved model directory is missing, incomplete or tampered with."""


class InputError(AsnclfError, ValueError):
    """An input file for scoring or evaluation cannot be read as asked."""


class OutputError(AsnclfError, OSError):
    """An output cannot be written where asked: an input's path, a busy, existing or unwritable file."""
