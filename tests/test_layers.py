"""The house rules of the code base, checked on its source: packages stack, no circles, no
private Scrapy or Twisted API, small modules.

Layers, top to bottom: ``crawler.app`` (command line, service) -> the rest of ``crawler`` (the
Scrapy project) -> ``search`` -> ``enrichment``. A module may import its own layer and the
layers below it, never one above; every import counts, lazy or for type checking only.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("crawler", "search", "enrichment")
MAX_LINES = 450
LAYERS = ("enrichment", "search", "crawler", "crawler.app")
"""Bottom first."""


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module named by an import statement of the file, with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _layer(module: str) -> int:
    return max(i for i, top in enumerate(LAYERS) if module == top or module.startswith(top + "."))


def _ours(name: str) -> str | None:
    """The module of ours that an imported name refers to, if any."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for _, imported in _imports(path):
            target = _ours(imported)
            if target is not None and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def test_no_module_imports_a_higher_layer() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {imported}"
        for name, path in MODULES.items()
        for line, imported in _imports(path)
        if (target := _ours(imported)) is not None and _layer(target) > _layer(name)
    ]
    assert wrong == []


def test_no_import_circles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert circles == []


@pytest.mark.parametrize("library", ["scrapy", "twisted"])
def test_no_private_name_of(library: str) -> None:
    private = [
        f"{path.relative_to(ROOT)}:{line}: {imported}"
        for path in MODULES.values()
        for line, imported in _imports(path)
        if imported.split(".")[0] == library
        and any(part.startswith("_") for part in imported.split("."))
    ]
    assert private == []


def test_no_product_module_is_over_the_size_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_package_is_in_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    shipped = set(setuptools["setuptools"]["packages"])
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert packages - shipped == set()
