"""Writes that never leave a half-written file or directory where a good one was, and survive a power cut.

A staged file or folder is flushed to disk (``fsync``) before it is renamed
into place, and the folder holding it after, so that after a crash the path
holds either the complete old content or the complete new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asnclf.errors import OutputError


@contextmanager
def staged_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target``, on any error it is removed.

    >>> with staged_directory("models/x") as folder:  # doctest: +SKIP
    ...     (folder / "model.joblib").write_bytes(data)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; models and datasets are meant to be shared
        yield staging
        fsync_tree(staging)
        replace_directory(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    fsync_directory(target.parent)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        fsync_file(temporary)
        os.replace(temporary, path)
        fsync_directory(path.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def fsync_file(path: Path) -> None:
    """Flush a written file's data to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_directory(path: Path) -> None:
    """Flush a folder's entries (a rename or a new file in it) to the disk, where the system allows it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # folders cannot be opened on some systems (Windows); their renames are durable there already
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_tree(root: Path) -> None:
    """:func:`fsync_file` every file under ``root`` and :func:`fsync_directory` every folder, ``root`` last."""
    for folder, _, files in os.walk(root, topdown=False):
        for name in files:
            fsync_file(Path(folder) / name)
        fsync_directory(Path(folder))


@contextmanager
def named_os_errors(path: Path, doing: str = "cannot write") -> Iterator[None]:
    """Turn an ``OSError`` (full disk, read-only folder, no permission) into one :class:`OutputError` line naming the path."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        where = exc.filename if exc.filename is not None else path
        raise OutputError(f"{where}: {doing} ({exc.strerror or exc})") from None
