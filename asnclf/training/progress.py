"""How long runs (train, compare, audit-labels) report their progress: steps done out of a known total.

The library counts steps (a step is one outer fold's fit, or one final fit)
and names what it is doing; it never prints. The CLI passes a
:class:`ProgressBar`, which draws a tqdm bar with the time left on standard
error; library users get the silent :class:`Progress` by default.
"""

from __future__ import annotations

import sys


class Progress:
    """Silent progress: the base class, and the default of every long-running function.

    ``add(steps)`` announces more work, ``advance(steps)`` marks work done and
    ``describe(text)`` names what is being done now. Subclasses draw them.

    Examples
    --------
    >>> progress = Progress()
    >>> progress.add(3); progress.describe("cross-validation"); progress.advance()
    """

    def add(self, steps: int) -> None:
        """Announce ``steps`` more steps of work."""

    def advance(self, steps: int = 1) -> None:
        """Mark ``steps`` steps as done."""

    def describe(self, text: str) -> None:
        """Name the stage running now (shown before the bar)."""

    def close(self) -> None:
        """End the display."""


class ProgressBar(Progress):
    """A tqdm bar on standard error with the steps done, the rate and the time left.

    Hidden when standard error is not a terminal (tqdm's ``disable=None``),
    so logs and pipes get no control characters.
    """

    def __init__(self, command: str) -> None:
        from tqdm import tqdm  # imported only when a bar is drawn

        self._bar = tqdm(total=0, desc=command, file=sys.stderr, disable=None, dynamic_ncols=True,
                         smoothing=0.05, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n}/{total} [{elapsed}<{remaining}]")
        self._command = command

    def add(self, steps: int) -> None:
        self._bar.total += steps
        self._bar.refresh()

    def advance(self, steps: int = 1) -> None:
        self._bar.update(steps)

    def describe(self, text: str) -> None:
        self._bar.set_description_str(f"{self._command}: {text}")

    def close(self) -> None:
        self._bar.close()
