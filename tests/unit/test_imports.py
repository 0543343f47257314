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
