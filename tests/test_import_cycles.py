"""The engine's modules import one another without a cycle.

A cycle (catalog needing the calendar, the calendar needing the catalog) means
neither module can be read, tested or replaced alone, and Python only copes
with it by the order of imports. The imports are read from the source with
`ast`, those under `if TYPE_CHECKING:` included, since a cycle hidden from the
interpreter is still one in the design.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "constraints"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def imported(name: str, tree: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The package's modules that module `name` imports."""
    here = name if is_package(name, modules) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
            if target is None:
                continue
            submodules = {f"{target}.{alias.name}" for alias in node.names} & modules.keys()
            # `from . import x` of a submodule does not run into the package's own __init__ beyond loading it
            found.update(submodules or {target})
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in ROOT.rglob("*.py")}
    return {name: imported(name, ast.parse(path.read_text(encoding="utf-8")), modules)
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_engine_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_sees_a_cycle_and_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_reads_relative_imports():
    graph = import_graph()
    assert "constraints.catalog" in graph["constraints.engine"]
    assert "constraints.engine" in graph["constraints.cli.common"]  # `from ..engine import Engine`
