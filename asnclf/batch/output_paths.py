"""Checks on where ``asnclf score`` writes, made before anything is written.

- An output never names an input: not an input file (by path, link or
  hard link), and not a ``.txt`` file inside an input folder, where a later
  run would read it back as an article.
- The output, the skip report and the HTML page are three different files.
- A finished output is replaced only when asked (``--force``), as spaCy's
  commands do; ``--resume`` continues the interrupted run that writes it.
- The output's format follows its extension unless ``--format`` says it, and
  the two may not contradict each other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from asnclf.errors import OutputError
from asnclf.batch.inputs import TEXT_SUFFIXES, InputSource

FORMAT_OF_SUFFIX: dict[str, str] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def output_format_for(output: Path, given: str | None) -> str:
    """The output format: ``given`` (``--format``) if any, else the one the extension names, else JSONL.

    >>> output_format_for(Path("scores.csv"), None)
    'csv'

    Raises :class:`OutputError` when ``given`` contradicts the extension (``x.csv`` with ``--format parquet``).
    """
    implied = FORMAT_OF_SUFFIX.get(output.suffix.lower())
    if given is None:
        return implied or "jsonl"
    if implied is not None and implied != given:
        raise OutputError(
            f"{output}: the extension {output.suffix!r} says {implied} but --format is {given}; "
            f"rename the output or drop --format"
        )
    return given


def check_outputs_apart(finals: Mapping[str, Path], inputs: Sequence[str | Path], sources: Sequence[InputSource]) -> None:
    """Refuse outputs that are the same file, or that are (or would become) an input.

    ``finals`` maps a role (``main``, ``skipped``, ``html``) to its path;
    ``inputs`` are the paths given, ``sources`` the files they expanded to.
    """
    roles = {"main": "output", "skipped": "skip report", "html": "HTML page"}
    seen: dict[object, str] = {}
    for role, path in finals.items():
        for key in _identities(path):
            if key in seen:
                raise OutputError(f"{path}: the {roles[role]} is the same file as the {seen[key]}; give each its own file")
        seen.update(dict.fromkeys(_identities(path), roles[role]))
    given = [Path(item) for item in inputs if str(item) != "-"]
    folders = [folder for folder in given if folder.is_dir()]
    # Each file read, by device and inode (one stat: a folder may hold 100,000), and each file named, by path too.
    read = {str(path.resolve()) for path in given if path not in folders}
    for source in sources:
        if source.path is not None:
            read.update(_identities(source.path, resolve=False))
    for role, path in finals.items():
        if read.intersection(_identities(path)):
            raise OutputError(f"{path}: the {roles[role]} is an input file; writing it would destroy that input; choose another path")
        resolved = path.resolve()
        for folder in folders:
            if resolved.suffix.lower() in TEXT_SUFFIXES and resolved.is_relative_to(folder.resolve()):
                raise OutputError(
                    f"{path}: the {roles[role]} is a .txt file inside the input folder {folder}, "
                    "where a later run would read it as an article; choose a path outside it"
                )


def _identities(path: Path, *, resolve: bool = True) -> set:
    """What makes two paths the same file: the resolved path, and the device and inode when it exists."""
    keys: set = {str(Path(path).resolve())} if resolve else set()
    try:
        stat = os.stat(path)
    except OSError:
        return keys
    keys.add((stat.st_dev, stat.st_ino))
    return keys


def check_replaceable(finals: Mapping[str, Path], *, force: bool, resuming: bool) -> None:
    """Refuse to replace an existing output unless ``force``, or a resume of the run that writes it."""
    if force or resuming:
        return
    for path in finals.values():
        if path.exists():
            raise OutputError(f"{path}: already exists; add --force to replace it")
