"""The layering holds: no module imports another that (directly or not) imports it back, and nothing
imports inside a function to dodge such a circle. The layers themselves are `.importlinter`'s contract."""
import ast
import pathlib

import grimp

ROOT = pathlib.Path(__file__).resolve().parents[3]
PACKAGES = ("server", "worker", "forms")


def _cycle_from(graph, start):
    """A path start -> ... -> start through direct imports, or None (iterative DFS)."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == start:
                return path + [start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, path + [imported]))
    return None


def test_no_module_is_part_of_an_import_cycle():
    graph = grimp.build_graph(*PACKAGES)
    cycles = [c for c in (_cycle_from(graph, m) for m in sorted(graph.modules)) if c]
    assert cycles == [], " ; ".join(" -> ".join(c) for c in cycles[:5])


def _imports_inside_functions(path):
    """Our own modules imported inside a function, unless marked `# lazy: <why>` (start-up time)."""
    source = path.read_text(encoding="utf-8")
    lines, tree = source.splitlines(), ast.parse(source)
    for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES \
                    and "# lazy:" not in lines[node.lineno - 1]:
                yield f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}"


def test_the_project_imports_its_own_modules_at_the_top():
    """Late imports of our own modules hid circles before; only marked lazy ones (and migrations) remain."""
    found = [hit for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
             if "migrations" not in path.parts for hit in _imports_inside_functions(path)]
    assert found == []
