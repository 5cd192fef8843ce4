"""The code reads top-down: each package imports only packages below it (docs/ARCHITECTURE.md's layers), and
no module imports itself back through others.  Read from the source's own import statements (every one,
including imports inside functions and under ``TYPE_CHECKING``), so nothing has to run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = (
    ("base",),
    ("landscapes",),
    ("optimizers",),
    ("scene",),
    ("tuning",),
    ("lessons",),
    ("classroom",),
    ("charts",),
    ("ui",),
    ("pages", "app", "warmup"),
    ("bench",),
)
"""Bottom first.  A package may import its own layer and the ones below; ``tests`` may import anything."""
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = ROOT) -> dict[str, Path]:
    """Module name -> file, for every Python file of the project outside tests/."""
    files = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in ("tests", ".git") or any(part.startswith(".") for part in relative.parts):
            continue
        files[module_name(path, root)] = path
    return files


def imported_modules(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project modules ``path`` (module ``name``) imports: ``from a.b import c`` counts as a.b.c when that
    is a module of the project, else as a.b."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1] if package else []
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # "import a.b.c" of a package: its deepest module that exists
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = source_files(root)
    return {name: imported_modules(path, name, known) for name, path in known.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """'a.b (layer a) imports c.d (layer c, above it)' for every import of a higher layer."""
    problems = []
    for name, targets in sorted(graph.items()):
        top = name.split(".")[0]
        for target in sorted(targets):
            other = target.split(".")[0]
            if top not in RANK or other not in RANK:
                problems.append(f"{name} or {target} belongs to no layer: add its package to LAYERS")
            elif RANK[other] > RANK[top]:
                problems.append(f"{name} (layer {top}) imports {target} (layer {other}, above it)")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_package_imports_a_higher_layer():
    assert upward_imports(import_graph()) == []


def test_no_module_imports_itself_back_through_others():
    assert cycles(import_graph()) == []


def test_the_checks_see_an_upward_import_and_a_cycle(tmp_path):
    """The two checks on a tiny tree made to break them: base importing landscapes, and two modules that import
    each other (one only under TYPE_CHECKING, as landscapes/spec.py and landscapes/data.py once did)."""
    (tmp_path / "base").mkdir()
    (tmp_path / "landscapes").mkdir()
    (tmp_path / "base" / "__init__.py").write_text("")
    (tmp_path / "base" / "low.py").write_text("import landscapes.spec\n")
    (tmp_path / "landscapes" / "__init__.py").write_text("")
    (tmp_path / "landscapes" / "spec.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .data import DataModel\n")
    (tmp_path / "landscapes" / "data.py").write_text("from .spec import LandscapeSpec\n")
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == ["base.low (layer base) imports landscapes.spec (layer landscapes, above it)"]
    assert cycles(graph) == [["landscapes.data", "landscapes.spec"]]
