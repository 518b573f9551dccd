"""The screens' language: Qt Linguist translations of ``self.tr`` strings, plus Qt's own.

Source strings are **Simplified Chinese**, the default language of the product: a guard must
never see a half-English screen because a ``.qm`` file is missing or stale, and the services'
sentences (``checkpoint_app.i18n``) are Chinese-first too. English is a translation,
``assets/i18n/checkpoint_en.ts``, compiled to ``checkpoint_en.qm`` by the set-up:

    python -m checkpoint_app.ui.i18n --build      # lrelease: .ts -> .qm (the set-up runs this)
    python -m checkpoint_app.ui.i18n --update     # lupdate: refresh the .ts from the sources

Qt's own strings (the context menu of a text field, standard buttons) come from Qt's
``qtbase_<lang>.qm``, shipped with PySide6 and collected by PyInstaller.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from checkpoint_app import i18n as service_i18n
from checkpoint_app.paths import asset, asset_dir

log = logging.getLogger(__name__)

CATALOG = "checkpoint"
TRANSLATED = ("en",)          # languages with a .ts file; zh_CN is the source language


def qm_path(lang: str) -> Path:
    return asset("i18n", f"{CATALOG}_{lang}.qm")


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Switch the services and the screens to ``lang``; return the translators (keep them alive)."""
    service_i18n.set_language(lang)
    QLocale.setDefault(QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Chinese,
                               QLocale.Country.UnitedStates if lang == "en" else QLocale.Country.China))
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for folder in (qt_dir, str(asset_dir() / "i18n")):
        tr = QTranslator(app)
        if lang != "en" and tr.load(f"qtbase_{lang}", folder):
            app.installTranslator(tr)
            translators.append(tr)
            break
    if lang in TRANSLATED:
        tr = QTranslator(app)
        if tr.load(str(qm_path(lang))):
            app.installTranslator(tr)
            translators.append(tr)
        else:
            # The screens stay Chinese; say why in the log rather than failing the gate.
            log.error("translation %s missing: run python -m checkpoint_app.ui.i18n --build", qm_path(lang))
    return translators


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for tr in translators:
        app.removeTranslator(tr)


def _tool(name: str) -> list[str]:
    import PySide6

    exe = Path(PySide6.__file__).parent / (name + (".exe" if os.name == "nt" else ""))
    if not exe.exists():
        raise SystemExit(f"{exe} not found: install PySide6-Essentials")
    return [str(exe)]


def build() -> list[Path]:
    """Compile every ``.ts`` in assets/i18n into a ``.qm`` next to it."""
    import subprocess

    out = []
    for ts in sorted((asset_dir() / "i18n").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        subprocess.run(_tool("lrelease") + ["-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def sources() -> list[str]:
    """The files whose screen strings are translated: checkpoint_app/ui (with its folders) and app.py."""
    package = Path(__file__).resolve().parent.parent
    return sorted(str(p) for p in (package / "ui").rglob("*.py")) + [str(package / "app.py")]


def update() -> list[Path]:
    """Re-extract the strings of checkpoint_app/ui and app.py into the .ts files (keeps translations)."""
    import subprocess

    out = []
    for lang in TRANSLATED:
        ts = asset_dir() / "i18n" / f"{CATALOG}_{lang}.ts"
        subprocess.run(_tool("lupdate") + ["-silent", "-no-obsolete", "-locations", "none",
                                           "-source-language", "zh_CN", "-target-language", lang,
                                           *sources(), "-ts", str(ts)], check=True)
        out.append(ts)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m checkpoint_app.ui.i18n")
    p.add_argument("--build", action="store_true", help="compile assets/i18n/*.ts into .qm")
    p.add_argument("--update", action="store_true", help="refresh the .ts files from the sources")
    args = p.parse_args(argv)
    if not (args.build or args.update):
        p.error("nothing to do: --build and/or --update")
    if args.update:
        for ts in update():
            print(f"updated {ts}")
    if args.build:
        for qm in build():
            print(f"built {qm}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
