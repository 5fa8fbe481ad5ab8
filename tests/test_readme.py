"""The README's quickstart is what CI runs, letter for letter."""

import re
from pathlib import Path


def quickstart_commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("python3 -m venv .venv &&")]


def test_ci_runs_the_readme_quickstart_verbatim():
    readme = quickstart_commands(Path("README.md").read_text(encoding="utf-8"))
    ci = quickstart_commands(Path(".ci/run").read_text(encoding="utf-8"))
    assert len(readme) == 2 and readme == ci


def test_readme_names_only_commands_that_exist():
    from asnclf.cli.main import build_parser

    known = set(build_parser()._subparsers._group_actions[0].choices)
    text = Path("README.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```.*?```", text, flags=re.S) + re.findall(r"`[^`\n]+`", text))
    # Invocations: at a line start, after a path, a backtick, a pipe or &&.
    used = set(re.findall(r"(?:^|[`/]|\|\s|&&\s)asnclf ([a-z][a-z-]+)", code, flags=re.M))
    assert {"train", "score", "build-data", "audit-labels"} <= used
    assert used <= known, used - known
