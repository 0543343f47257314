"""Every module can be imported first, on its own (no import cycle depends on which module
a script, a worker or a test happens to import first)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import smartguard

_PROBE = """
import importlib, json, sys
failed = {}
for name in json.loads(sys.argv[1]):
    for loaded in [m for m in sys.modules if m == "smartguard" or m.startswith("smartguard.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(failed))
"""


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(smartguard.__path__, "smartguard."))


def test_there_are_modules_to_import():
    assert "smartguard.domain.state" in _modules()


def test_every_module_imports_cleanly_when_imported_first():
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(_modules())],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert json.loads(out.stdout) == {}


_WITHOUT_PSYCOPG = """
import sys
sys.modules["psycopg"] = None  # as on an install without the [postgres] extra
from smartguard.entrypoints.cli import main
sys.argv = ["smartguard", *sys.argv[1:]]
main()
"""


def test_the_embedded_sqlite_needs_no_postgresql_driver(tmp_path):
    """`pip install smartguard` (no extras) must run the demo: nothing on the SQLite path
    may import psycopg."""
    ok = subprocess.run(
        [sys.executable, "-c", _WITHOUT_PSYCOPG, "db", "upgrade", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "smartguard.db").exists()
    config = tmp_path / "pg.toml"
    config.write_text('database_url = "postgresql://127.0.0.1/none"\n')
    refused = subprocess.run(
        [sys.executable, "-c", _WITHOUT_PSYCOPG, "db", "upgrade", "--config", str(config)],
        capture_output=True, text=True, timeout=60,
    )
    assert refused.returncode != 0
    assert "pip install 'smartguard[postgres]'" in refused.stderr
    assert "Traceback" not in refused.stderr


def _imports(module: str, known: set[str]) -> set[str]:
    """The project modules ``module`` imports, at the top or inside a function (an import
    moved into a function to dodge a cycle is still a cycle), but not for type checking."""
    import ast
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(a.name for a in node.names if a.name in known)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level or not node.module or not node.module.startswith("smartguard"):
                return
            for a in node.names:
                name = f"{node.module}.{a.name}"
                found.add(name if name in known else node.module)

    Visitor().visit(ast.parse(Path(spec.origin).read_text(encoding="utf-8")))
    return found - {module}


def test_no_module_imports_another_that_imports_it_back():
    known = set(_modules()) | {"smartguard"}
    graph = {m: _imports(m, known) & known for m in known}
    cycles = []
    for start in sorted(graph):
        path, seen = [start], set()
        stack = [(start, iter(sorted(graph[start])))]
        while stack:
            _, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
            elif child == start:
                cycles.append([*path, start])
                break
            elif child not in seen and child > start:
                seen.add(child)
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
        if cycles:
            break
    assert cycles == []
