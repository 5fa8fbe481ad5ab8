"""Writes that never leave a half-written file or directory where a good one was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_directory(staging: Path, target: Path) -> None:
    """Put a fully written ``staging`` directory where ``target`` was, never leaving a half-written target.

    The old target is first renamed aside, then ``staging`` renamed in, then
    the old one removed: at every instant ``target`` is either the complete
    old directory, absent (with the old one kept aside), or the complete new one.
    """
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.old-{os.getpid()}")
        if aside.exists():
            shutil.rmtree(aside)
        os.replace(target, aside)
    os.replace(staging, target)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
