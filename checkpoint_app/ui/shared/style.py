"""Fonts, colours and the style sheet: large, high contrast, the same on every PC.

The bundled CJK fonts are registered with Qt at start, so the screen reads the same on a PC with
no Chinese fonts; the Extension-A font is a fallback family for rare name characters (陈䶮).
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from checkpoint_app.paths import asset_dir

log = logging.getLogger(__name__)

MAIN_FAMILY = "WenQuanYi Micro Hei"
BASE_PX = 18

# Outcome colours: background, text. Chosen for contrast from two metres, also in sunlight
# (white on green/red/grey ≥ 4.5:1, black on amber).
COLORS = {
    "idle": ("#263238", "#ffffff"),
    "waiting": ("#0d47a1", "#ffffff"),
    "allowed": ("#1b7a34", "#ffffff"),
    "flagged": ("#ffb300", "#000000"),
    "denied": ("#c62828", "#ffffff"),
    "fever": ("#e65100", "#ffffff"),
    "ignored": ("#546e7a", "#ffffff"),
    "notice": ("#37474f", "#ffffff"),
}

_families: list[str] = []


_registered: set[str] = set()


def register_fonts(*, main_only: bool = False) -> list[str]:
    """Add the fonts of assets/fonts to Qt; return the families, main font first.

    ``main_only``: just the main CJK font, what the first paint needs; the fallback fonts (rare
    name characters) follow after it (``add_fallback_fonts``): each font file costs a few ms."""
    folder = asset_dir() / "fonts"
    paths = sorted(folder.glob("*.tt[fc]"), key=lambda p: "wqy" not in p.name)
    for path in paths[:1] if main_only else paths:
        if path.name in _registered:
            continue
        _registered.add(path.name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("could not load font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _families and "Mono" not in family:
                _families.append(family)
    return list(_families)


def add_fallback_fonts(app: QApplication) -> None:
    """After the first paint: the fallback fonts, and the application font that names them."""
    before = list(_families)
    if register_fonts() != before:
        app.setFont(app_font())


def error_label() -> QLabel:
    """The red sentence under a form ("fieldError" in the style sheet), wrapping."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    return label


def app_font(px: int = BASE_PX, *, bold: bool = False) -> QFont:
    font = QFont()
    families = _families or [MAIN_FAMILY]
    font.setFamilies(families)
    font.setPixelSize(px)
    font.setBold(bold)
    return font


STYLE_SHEET = """
QWidget { color: #111111; }
QMainWindow, #gatePage { background: #eceff1; }
#panel, #board { background: #ffffff; border: 1px solid #b0bec5; border-radius: 6px; }
QLabel#panelTitle { font-size: 26px; font-weight: bold; color: #0d2a4a; }
QLabel#hint { color: #37474f; font-size: 17px; }
QLabel#fieldError { color: #b71c1c; font-size: 16px; font-weight: bold; }
QLabel#fieldOk { color: #1b7a34; font-size: 16px; }
QLabel#household { font-size: 52px; font-weight: bold; color: #0d2a4a; }
QLabel#holderName { font-size: 44px; font-weight: bold; }
QLabel#passLine { font-size: 20px; color: #37474f; }
QLabel#statusBad { font-size: 20px; font-weight: bold; color: #ffffff; background: #c62828;
                    padding: 2px 8px; border-radius: 4px; }
QLabel#statusWarn { font-size: 20px; font-weight: bold; color: #000000; background: #ffb300;
                     padding: 2px 8px; border-radius: 4px; }
QLabel#manualBadge { font-size: 18px; font-weight: bold; color: #ffffff; background: #6a1b9a;
                      padding: 2px 8px; border-radius: 4px; }
QLabel#queue { font-size: 20px; font-weight: bold; color: #0d47a1; }
QLabel#idleBig { font-size: 38px; font-weight: bold; color: #263238; }
QLineEdit, QPlainTextEdit, QComboBox { font-size: 22px; padding: 4px 8px; background: #ffffff;
    border: 2px solid #78909c; border-radius: 4px; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 3px solid #0d47a1; }
QLineEdit[invalid="true"] { border: 3px solid #c62828; }
QLineEdit#temperature { font-size: 56px; font-weight: bold; min-height: 76px; max-width: 230px; }
QLineEdit#temperature:disabled { background: #eceff1; border-color: #cfd8dc; }
QPushButton { font-size: 20px; padding: 8px 16px; background: #eceff1; border: 2px solid #78909c;
    border-radius: 6px; }
QPushButton:focus { border: 3px solid #0d47a1; }
QPushButton:pressed { background: #cfd8dc; }
QPushButton#primary { background: #0d47a1; color: #ffffff; border-color: #0d47a1; font-weight: bold; }
QPushButton#direction { font-size: 30px; font-weight: bold; min-width: 110px; min-height: 54px; }
QPushButton#direction:checked { background: #0d47a1; color: #ffffff; border-color: #0d47a1; }
QPushButton#codeGreen:checked { background: #1b7a34; color: #ffffff; }
QPushButton#codeYellow:checked { background: #ffb300; color: #000000; }
QPushButton#codeRed:checked { background: #c62828; color: #ffffff; }
QPushButton#keyButton { font-size: 19px; padding: 6px 14px; background: #ffffff; }
QPushButton:disabled { color: #90a4ae; border-color: #cfd8dc; }
QPushButton#primary:disabled { background: #90a4ae; border-color: #90a4ae; color: #eceff1; }
QLabel#tileValue { font-size: 40px; font-weight: bold; }
QLabel#tileLabel { font-size: 16px; color: #37474f; }
QLabel#tileValueBad { font-size: 40px; font-weight: bold; color: #c62828; }
QLabel#tileValue[fit="compact"], QLabel#tileValueBad[fit="compact"] { font-size: 30px; }
QLabel#tileLabel[fit="compact"] { font-size: 14px; }
QLabel#tileValue[fit="tight"], QLabel#tileValueBad[fit="tight"] { font-size: 24px; }
QLabel#tileLabel[fit="tight"] { font-size: 12px; }
QLabel#boardTitle { font-size: 19px; font-weight: bold; color: #0d2a4a; }
QListWidget, QTableWidget { font-size: 18px; background: #ffffff; border: 1px solid #cfd8dc; }
QListWidget::item:selected, QTableWidget::item:selected { background: #0d47a1; color: #ffffff; }
QHeaderView::section { font-size: 16px; background: #eceff1; border: none; padding: 3px; }
QStatusBar { background: #263238; }
QStatusBar QLabel { color: #ffffff; font-size: 18px; padding: 0 10px; }
QStatusBar QLabel#statusWarnBar { color: #000000; background: #ffb300; font-weight: bold; }
QStatusBar QLabel#statusBadBar { color: #ffffff; background: #c62828; font-weight: bold; }
#pageHead, #lockHead { background: #263238; }
QLabel#pageHeadTitle, QLabel#lockTitle { color: #ffffff; font-size: 44px; font-weight: bold; }
QLabel#pageHeadStep, QLabel#lockWho { color: #ffffff; font-size: 24px; }
QLabel#lockTitle { font-size: 64px; }
#lockPage, #fullPage { background: #eceff1; }
#healthHead { background: #c62828; }
QLabel#healthTitle { color: #ffffff; font-size: 44px; font-weight: bold; }
QLabel#healthMessage { color: #ffffff; font-size: 22px; }
QLabel#healthScanning { color: #000000; background: #ffb300; font-size: 20px; font-weight: bold;
                         padding: 4px 10px; border-radius: 4px; }
QScrollArea#stackArea, QScrollArea#stackArea > QWidget > QWidget { background: transparent; }
QLabel#bootTitle { font-size: 64px; }
QLabel#bootDetail { font-size: 28px; }
QLabel#notice { background: #fff3cd; color: #000000; font-size: 18px; padding: 6px 12px;
                 border: 1px solid #ffb300; }
QLabel#noticeBad { background: #ffebee; color: #b71c1c; font-size: 18px; font-weight: bold;
                    padding: 6px 12px; border: 1px solid #c62828; }
"""


def apply(app: QApplication, *, fallback_later: bool = False) -> None:
    """Fusion style (the same everywhere), the bundled font and the style sheet.

    ``fallback_later``: register only the main font now; the caller runs ``add_fallback_fonts``
    once the window is on screen (the gate app does, for its cold start)."""
    register_fonts(main_only=fallback_later)
    if app.style().name().lower() != "fusion":   # already is on Linux: a second one costs ~8 ms
        app.setStyle("Fusion")
    app.setFont(app_font())
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#eceff1"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#111111"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#111111"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#0d47a1"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
