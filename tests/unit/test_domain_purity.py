"""House rule 1: the domain imports nothing from outside the standard library, so the core
runs the same in a test, a replay and production."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import smartguard.domain

DOMAIN = Path(smartguard.domain.__file__).parent
ALLOWED_PREFIX = "smartguard.domain"


def outside_imports(source: str, package: str) -> list[str]:
    """Modules imported by ``source`` (a module of ``package``) that are neither standard
    library nor ``smartguard.domain``; relative imports are resolved against ``package``."""
    bad: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            in_domain = name == ALLOWED_PREFIX or name.startswith(ALLOWED_PREFIX + ".")
            if not in_domain and top not in sys.stdlib_module_names:
                bad.append(name)
    return bad


def _modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def _package(path: Path) -> str:
    rel = path.relative_to(DOMAIN.parent.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(
        ".__init__")


def test_the_domain_has_modules_to_check():
    assert len(_modules()) > 10


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_only_the_standard_library_and_the_domain(path):
    assert outside_imports(path.read_text(encoding="utf-8"), _package(path)) == []


# --- the checker itself can fail ----------------------------------------------------------

@pytest.mark.parametrize(("source", "bad"), [
    ("import fastapi", ["fastapi"]),
    ("from pydantic import BaseModel", ["pydantic"]),
    ("from smartguard.service_layer import ports", ["smartguard.service_layer"]),
    ("from smartguard import errors", ["smartguard"]),
    ("import smartguard.adapters.sql.db", ["smartguard.adapters.sql.db"]),
    ("from ..service_layer import ports", ["smartguard.service_layer"]),
    ("def f():\n    import structlog\n", ["structlog"]),
])
def test_checker_flags_imports_from_outside(source, bad):
    assert outside_imports(source, "smartguard.domain") == bad


@pytest.mark.parametrize("source", [
    "import datetime", "from zoneinfo import ZoneInfo", "from __future__ import annotations",
    "from smartguard.domain.money import MAX_AMOUNT", "from . import money",
    "from .settings import NightLock",
])
def test_checker_allows_the_standard_library_and_the_domain(source):
    assert outside_imports(source, "smartguard.domain") == []


def test_checker_resolves_relative_imports_from_a_subpackage():
    assert outside_imports("from ..decisions import Reason", "smartguard.domain.controls") == []
    assert outside_imports("from ...errors import Conflict", "smartguard.domain.controls") == [
        "smartguard.errors"]
