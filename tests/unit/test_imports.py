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
