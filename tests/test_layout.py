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


LOWER = ("db/", "services/")
UPPER = ("checkpoint_app.reports", "checkpoint_app.ui")


def _module_level_imports(path: Path) -> list[str]:
    """Modules imported when ``path`` is imported: statements at module level (also inside a
    module-level ``if``/``try``), not those inside functions, which run only when called."""
    found = []
    todo = list(ast.parse(path.read_text(encoding="utf-8"), str(path)).body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for part in ("body", "orelse", "finalbody", "handlers"):
                todo += getattr(node, part, [])
        elif isinstance(node, ast.ExceptHandler):
            todo += node.body
    return found


def _upward(path: Path) -> list[str]:
    return sorted({m for m in _module_level_imports(path) if any(m == u or m.startswith(u + ".") for u in UPPER)})


def test_storage_and_services_do_not_import_reports_or_ui_at_module_level():
    """A day's records, the rules and the services load without reportlab or the screens
    (issue 12): the PDF layer and the UI come in only inside the functions that need them."""
    leaks = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(LOWER) and (found := _upward(path)):
            leaks[rel] = found
    assert leaks == {}


def test_the_upward_import_checker_catches_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\ntry:\n    from checkpoint_app.reports.daily_log import DailyData\nexcept ImportError:\n"
                   "    pass\nfrom checkpoint_app import ui\n\ndef f():\n    import checkpoint_app.reports.page\n",
                   encoding="utf-8")
    assert _upward(bad) == ["checkpoint_app.reports.daily_log", "checkpoint_app.reports.daily_log.DailyData",
                            "checkpoint_app.ui"]


def test_reading_a_day_does_not_load_reportlab():
    code = ("import sys\n"
            "import checkpoint_app.db.report_repo, checkpoint_app.domain.daily, checkpoint_app.services.board\n"
            "loaded = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'PySide6')]\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)


UI_FOLDERS = {
    # folder: the ui folders its modules must not import (at any level)
    "ui/shared/": ("checkpoint_app.ui.gate", "checkpoint_app.ui.office"),
    "ui/gate/": ("checkpoint_app.ui.office",),
    "ui/office/": ("checkpoint_app.ui.gate",),
}


def _all_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return found


def test_the_gate_and_the_office_meet_only_in_what_they_share():
    """Issue 13: ui/gate (the guard's screens) and ui/office (the manager's pages) do not import
    each other; ui/shared (style, jobs, sign-on, the idle lock) imports neither. Only the frame at
    the root of ui/ (main window, start-up, health page) puts them together."""
    crossings = {}
    for path in (PACKAGE / "ui").rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        for folder, banned in UI_FOLDERS.items():
            if rel.startswith(folder):
                if bad := sorted({m for m in _all_imports(path) if m.startswith(banned)}):
                    crossings[rel] = bad
    assert crossings == {}
    assert {p.name for p in (PACKAGE / "ui").iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "gate", "office", "shared"}


def test_the_ui_folder_checker_catches_a_crossing(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from checkpoint_app.ui.office.shell import OfficeShell\n", encoding="utf-8")
    assert [m for m in _all_imports(bad) if m.startswith(UI_FOLDERS["ui/gate/"])] == [
        "checkpoint_app.ui.office.shell", "checkpoint_app.ui.office.shell.OfficeShell"]
