"""The shape of the code: imports run one way through the pipeline's folders, with no loops,
and an import inside a function says why it is there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "workbook"
# Lowest first: a module may import from its own layer or a lower one, never a higher one.
LAYERS = (
    ("workbook", "workbook.errors", "workbook.notes", "workbook.model", "workbook.editions",
     "workbook.safefiles", "workbook.resources"),
    ("workbook.sources",),
    ("workbook.render",),
    ("workbook.writers",),
    ("workbook.build",),
    ("workbook.commands",),
    ("workbook.cli", "workbook.__main__"),
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(name: str) -> int:
    for index, names in reversed(list(enumerate(LAYERS))):
        if any(name == n or (n != "workbook" and name.startswith(n + ".")) for n in names):
            return index
    raise AssertionError(f"{name} is in no layer: add it to LAYERS")


def is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(tree: ast.Module) -> list[tuple[str, ast.stmt, bool]]:
    """(module imported, node, inside a function) for every import of a workbook module,
    leaving out those only for type checking."""
    found: list[tuple[str, ast.stmt, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module:
                for alias in child.names:
                    sub = f"{child.module}.{alias.name}"
                    found.append((sub if sub in MODULES else child.module, child, nested))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, child, nested) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return [(name, node, inner) for name, node, inner in found if name.startswith("workbook")]


PARSED = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_never_reach_up_a_layer(name):
    for target, node, _ in imports(PARSED[name]):
        assert layer(target) <= layer(name), (
            f"{name} (line {node.lineno}) imports {target}, from a higher layer"
        )


def test_there_are_no_import_loops():
    graph = {name: {target for target, _, _ in imports(tree)} for name, tree in PARSED.items()}
    for name, targets in graph.items():  # importing a.b.c runs a/__init__ and a/b/__init__ too,
        # unless the importer is inside that package already (then it is running or has run)
        parents = {".".join(t.split(".")[:i]) for t in targets for i in range(2, t.count(".") + 1)}
        outside = {p for p in parents if not (name + ".").startswith(p + ".")}
        graph[name] = {t for t in targets | outside if t in graph and t != name}

    def loop_from(start: str, path: list[str]) -> list[str] | None:
        for target in sorted(graph[start]):
            if target in path:
                return [*path[path.index(target) :], target]
            if (found := loop_from(target, [*path, target])) is not None:
                return found
        return None

    for name in graph:
        assert loop_from(name, [name]) is None, " -> ".join(loop_from(name, [name]) or [])


def test_an_import_inside_a_function_says_why():
    """Late imports keep start-up fast or skip what a run does not need; each says so, so
    none is quietly dodging an import loop."""
    for name, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(PARSED[name]):
            if not isinstance(node, ast.FunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    above = lines[max(inner.lineno - 3, 0) : inner.lineno]
                    assert any("#" in line for line in above), (
                        f"{path.relative_to(ROOT)}:{inner.lineno}: say why this import is late"
                    )


def test_the_layer_test_can_fail():
    tree = ast.parse("from workbook.build.runner import run\n")
    ((target, _, _),) = imports(tree)
    assert layer(target) > layer("workbook.render")
