"""The package layout is the architecture: imports run one way, from the command line down to text."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "asnclf"

# What each subpackage may import besides itself and the shared base modules (asnclf.errors, .labels, .atomic).
ALLOWED = {
    "text": set(),
    "features": {"text"},
    "data": {"text"},
    "model": {"features", "text"},
    "training": {"model", "data", "features", "text"},
    "batch": {"model", "text"},
    "cli": {"batch", "training", "model", "data", "features", "text"},
}
BASE = {"errors", "labels", "atomic"}


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Every ``asnclf`` module imported outside ``if TYPE_CHECKING:`` blocks, with its line."""
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "asnclf":
                found.extend((node.lineno, f"asnclf.{alias.name}") for alias in node.names)
            elif node.module.startswith("asnclf."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("asnclf."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_every_module_lives_in_a_subpackage_or_is_a_base_module():
    flat = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")
    assert flat == sorted(BASE)
    assert sorted(path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()) == sorted(ALLOWED)


def test_imports_run_one_way():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1:  # a base module (or the package's public API) imports base modules only
            own, allowed = None, set() if parts[0] != "__init__.py" else set(ALLOWED)
        else:
            own, allowed = parts[0], ALLOWED[parts[0]]
        for line, module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            top = module.split(".")[1]
            if top in BASE or top == own or top in allowed or module == "asnclf.__version__":
                continue
            wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert wrong == []


def test_the_checker_sees_a_wrong_way_import():
    tree = ast.parse("from asnclf.training.config import X\nif TYPE_CHECKING:\n    from asnclf.cli.main import Y\n"
                     "def f():\n    import asnclf.batch.run\n")
    assert _runtime_imports(tree) == [(1, "asnclf.training.config"), (5, "asnclf.batch.run")]
