"""DESIGN §6: Qt only in checkpoint_app/ui/ and checkpoint_app/app.py — proved, not hoped."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "checkpoint_app"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in QT]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in QT:
            found.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__"):
            if node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).split(".")[0] in QT:
                found.append(node.args[0].value)
    return found


def test_no_qt_outside_the_ui_layer():
    leaks = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        if found := _qt_imports(path):
            leaks[rel] = found
    assert leaks == {}


def test_the_checker_catches_a_leak(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtCore import QObject\n", encoding="utf-8")
    assert _qt_imports(bad) == ["PySide6.QtCore"]


def test_cli_and_services_run_without_loading_qt():
    code = ("import sys\n"
            "import checkpoint_app.cli, checkpoint_app.services.gate, checkpoint_app.services.demo\n"
            "import checkpoint_app.services.residents, checkpoint_app.db.verify\n"
            "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
