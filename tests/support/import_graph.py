"""The import graph of the repository's own packages, read with :mod:`ast` (nothing is
imported), and the checks ``tests/test_layers.py`` makes on it: import cycles and imports
that go the wrong way between layers.

Every ``import`` statement counts, at module level or inside a function or class, and so
does ``importlib.import_module("a.b")`` (or ``__import__``) with a literal name: an import
deferred into a function or a string is still a dependency. One under
``if TYPE_CHECKING:`` is marked, so a check can leave it out.

Importing ``a.b.c`` first runs ``a/__init__.py`` and ``a/b/__init__.py``: the graph has an
edge to each of those packages too (marked ``implicit``), or a cycle through a package that
re-exports its submodules would stay hidden. A package that contains the importer is left
out: it is already being imported by the time the importer runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Import",
    "LayerRule",
    "cycle_report",
    "cycles",
    "import_graph",
    "layer_violations",
    "package_init_imports",
    "read_imports",
]


@dataclass(frozen=True, order=True)
class Import:
    """``source`` imports ``target`` (both dotted module names) at ``line``."""

    source: str
    target: str
    line: int
    #: written under ``if TYPE_CHECKING:``: never executed, only read by the type checker
    type_checking: bool = False
    #: not written: ``target`` is a package whose ``__init__`` runs to import a module below it
    implicit: bool = False

    def describe(self) -> str:
        """``source:line imports target``, with why when the statement does not say it."""
        notes = [
            *(["package __init__ runs"] if self.implicit else []),
            *(["under TYPE_CHECKING"] if self.type_checking else []),
        ]
        return f"{self.source}:{self.line} imports {self.target}" + "".join(
            f" ({note})" for note in notes
        )


@dataclass(frozen=True)
class LayerRule:
    """Modules under any of ``sources`` must not import modules under any of ``forbidden``
    (a name covers the module itself and every module below it)."""

    name: str
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]

    def breaks(self, edge: Import) -> bool:
        return _under(edge.source, self.sources) and _under(edge.target, self.forbidden)


def _under(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            found[_module_name(path, root)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _literal_import(node: ast.AST) -> str | None:
    """The module ``importlib.import_module("a.b")`` or ``__import__("a.b")`` names."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    first = node.args[0]
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def _statements(
    tree: ast.AST, guarded: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import (a literal ``import_module`` call as an ``import`` statement), with
    whether it sits in an ``if TYPE_CHECKING:`` body."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, guarded
        elif (
            isinstance(node, ast.Call)
            and (name := _literal_import(node)) is not None
            and not name.startswith(".")
        ):
            yield ast.Import(names=[ast.alias(name=name)], lineno=node.lineno), guarded
            yield from _statements(node, guarded)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from _statements(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _statements(ast.Module(body=[child], type_ignores=[]), guarded)
        else:
            yield from _statements(node, guarded)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def read_imports(
    module: str, source: str, known: Iterable[str], *, is_package: bool = False
) -> list[Import]:
    """The imports of ``module`` (its text ``source``) that name a module of ``known``:
    ``from a import b`` is an import of ``a.b`` when that is a module, else of ``a``."""
    modules = set(known)
    edges: list[Import] = []
    for node, guarded in _statements(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            assert isinstance(node, ast.ImportFrom)
            base = _absolute(module, node, is_package)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            # ``import a.b.c`` names a module; keep the longest known prefix of it
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges.append(Import(module, target, node.lineno, guarded))
    return sorted(set(edges))


def package_init_imports(edges: Iterable[Import], packages: Iterable[str]) -> list[Import]:
    """The packages (of ``packages``) whose ``__init__`` runs for an import of ``edges``:
    every package above its target, save those that contain (or are) its source, and save
    an edge the source already writes on that line."""
    inits = set(packages)
    written = set(edges)
    found: set[Import] = set()
    for edge in written:
        parts = edge.target.split(".")
        for size in range(1, len(parts)):
            package = ".".join(parts[:size])
            if package not in inits or _under(edge.source, [package]):
                continue
            implicit = Import(edge.source, package, edge.line, edge.type_checking, True)
            if Import(edge.source, package, edge.line, edge.type_checking) not in written:
                found.add(implicit)
    return sorted(found)


def import_graph(root: Path, packages: Iterable[str]) -> list[Import]:
    """Every import between modules of ``packages`` (top-level folders under ``root``),
    with the package ``__init__`` modules each one runs (:func:`package_init_imports`)."""
    modules = _modules(root, packages)
    edges: list[Import] = []
    for module, path in modules.items():
        text = path.read_text(encoding="utf-8")
        edges += read_imports(module, text, modules, is_package=path.name == "__init__.py")
    inits = [module for module, path in modules.items() if path.name == "__init__.py"]
    return edges + package_init_imports(edges, inits)


def cycles(edges: Iterable[Import]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm,
    iterative), each sorted, largest first."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return sorted(found, key=lambda c: (-len(c), c))


def cycle_report(found: Iterable[list[str]], edges: Iterable[Import]) -> str:
    """Each cycle of ``found`` as the imports inside it, one a line, to say where to cut."""
    ordered = sorted(edges)
    blocks = []
    for component in found:
        members = set(component)
        lines = [e.describe() for e in ordered if e.source in members and e.target in members]
        blocks.append("\n".join(["cycle: " + ", ".join(component), *lines]))
    return "\n\n".join(blocks)


def layer_violations(edges: Iterable[Import], rules: Iterable[LayerRule]) -> list[str]:
    """One line per import that breaks a rule: ``rule: source:line imports target``."""
    return [
        f"{rule.name}: {edge.describe()}"
        for rule in rules
        for edge in sorted(edges)
        if rule.breaks(edge)
    ]
