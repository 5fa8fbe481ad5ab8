"""One run at a time per output: an exclusive lock held on a hidden file beside it for the run's whole life.

Two ``asnclf score`` runs writing the same output would interleave their
records in one partial file. Each run takes a lock on ``.NAME.lock`` beside
every file it will write, before it opens any partial file; a second run
finds the lock taken and is refused, naming the lock and the process that
holds it. The operating system drops the lock when the holder dies (even by
``kill -9``), so a stale lock file never blocks a later run.

The lock is a POSIX record lock (``lockf``), not an ``flock``: worker
processes forked by ``--jobs`` do not inherit it, so workers outliving a
killed run cannot keep its output locked. Such locks exclude other
processes only, not a second run inside the same process.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from asnclf.atomic import named_os_errors
from asnclf.errors import OutputError


def lock_path(output: Path) -> Path:
    """The lock file of ``output``: ``.NAME.lock`` beside it."""
    return output.with_name(f".{output.name}.lock")


@contextmanager
def locked_outputs(outputs: Iterable[Path]) -> Iterator[None]:
    """Hold the lock of every path in ``outputs`` (in the order given) until the block ends.

    Raises :class:`OutputError` when another process holds one of them, or
    when a lock file cannot be created (read-only folder, full disk).
    """
    with ExitStack() as stack:
        for output in outputs:
            stack.enter_context(_locked(Path(output)))
        yield


@contextmanager
def _locked(output: Path) -> Iterator[None]:
    path = lock_path(output)
    with named_os_errors(path, "cannot take the lock"):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = _acquire(path, output)
    try:
        yield
    finally:
        # Unlinked while still held: a run that opened the old file sees it is gone and tries again (see _acquire).
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _acquire(path: Path, output: Path) -> int:
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                os.close(descriptor)
                raise
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(descriptor)
            raise OutputError(
                f"{output}: another asnclf score run (process {holder}) is writing it and holds {path}; "
                "wait for it to end or choose another output"
            ) from None
        try:
            same = os.fstat(descriptor).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
            return descriptor
        os.close(descriptor)  # the holder removed this file as we opened it: lock the new one
