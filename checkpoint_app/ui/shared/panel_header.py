"""The head of a panel: its title (F-key in brackets) and, under it, one line of help.

Seven gate panels and the shared dialogs used to build these two labels by hand; the texts stay
with the panel (``self.tr`` needs the panel's class as its translation context).
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QLabel


def add_panel_header(layout: QBoxLayout, title: str, hint: str | None = None) -> tuple[QLabel, QLabel | None]:
    """Add the title (``panelTitle``) and the optional hint (``hint``, wrapped) to ``layout``."""
    title_label = QLabel(title)
    title_label.setObjectName("panelTitle")
    layout.addWidget(title_label)
    hint_label = None
    if hint is not None:
        hint_label = QLabel(hint)
        hint_label.setObjectName("hint")
        hint_label.setWordWrap(True)
        layout.addWidget(hint_label)
    return title_label, hint_label
