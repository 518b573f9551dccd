"""The full-width answer: ALLOWED green, FLAGGED amber, DENIED red, readable from two metres.

Painted by hand (one fill, three lines of text) rather than built from labels: nothing to lay out
again when the text changes, so the answer is on screen within a frame of the Enter key.
``painted_at`` records when the last paint finished (the latency benchmark reads it).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from checkpoint_app.ui.shared.style import COLORS, app_font

TITLE_PX = 88
WHO_PX = 46
WHO_MIN_PX = 30     # a long "who" (English, 1024 px) is drawn smaller before its end — the temperature — is cut
TITLE_MIN_PX = 56   # and a long title ("FEVER: measure again") smaller, so that who it is about still fits
DETAIL_PX = 28


class Banner(QWidget):
    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(196)
        self._title_font = app_font(TITLE_PX, bold=True)
        self._who_font = app_font(WHO_PX, bold=True)
        self._detail_font = app_font(DETAIL_PX)
        self.kind = "idle"
        self.title = ""
        self.who = ""
        self.detail = ""
        self.who_drawn = ""          # what line 1 showed of ``who`` (elided only below WHO_MIN_PX)
        self.title_px = TITLE_PX     # the title's size at the last paint (smaller beside a long who)
        self._who_fonts = {}
        self.painted_at = 0.0
        self.paint_count = 0

    def show_state(self, kind: str, title: str, who: str = "", detail: str = "", *, now: bool = False) -> None:
        """Change what the banner says; ``now`` paints at once instead of at the next frame."""
        self.kind, self.title, self.who, self.detail = kind, title, who, detail
        self.setAccessibleName(f"{title} {who} {detail}".strip())
        if now:
            self.repaint()
        else:
            self.update()

    def text(self) -> str:
        return " ".join(p for p in (self.title, self.who, self.detail) if p)

    def _font(self, px: int):
        """The bold font of ``px`` pixels (made once: the banner paints within a frame of Enter)."""
        font = self._who_fonts.get(px)
        if font is None:
            font = self._who_fonts[px] = app_font(px, bold=True)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        background, foreground = COLORS.get(self.kind, COLORS["notice"])
        p = QPainter(self)
        rect = self.rect()
        p.fillRect(rect, QColor(background))
        p.setPen(QColor(foreground))
        margin = 28
        inner = rect.adjusted(margin, 10, -margin, -10)
        # Line 1: the answer, huge, then who it is about.
        title_font = self._title_font
        fm = QFontMetrics(title_font)
        if self.who:
            # room for the title and, beside it, who at its smallest: else the title gives way
            need = QFontMetrics(self._font(WHO_MIN_PX)).horizontalAdvance(self.who) + 40
            wide = fm.horizontalAdvance(self.title)
            if wide + need > inner.width() and wide:
                px = max(TITLE_MIN_PX, TITLE_PX * max(0, inner.width() - need) // wide)
                title_font = self._font(px)
                fm = QFontMetrics(title_font)
        self.title_px = title_font.pixelSize()
        p.setFont(title_font)
        title_w = min(fm.horizontalAdvance(self.title), inner.width())
        line1 = QRect(inner.left(), inner.top(), inner.width(), QFontMetrics(self._title_font).height())
        p.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(self.title, Qt.TextElideMode.ElideRight, inner.width()))
        if self.who:
            font = self._who_font
            wfm = QFontMetrics(font)
            left = inner.left() + title_w + 40
            who_rect = QRect(left, line1.top(), max(0, inner.right() - left), line1.height())
            wide = wfm.horizontalAdvance(self.who)
            if wide > who_rect.width() > 0:
                px = max(WHO_MIN_PX, WHO_PX * who_rect.width() // wide)
                while True:
                    font = self._font(px)
                    wfm = QFontMetrics(font)
                    if px <= WHO_MIN_PX or wfm.horizontalAdvance(self.who) <= who_rect.width():
                        break
                    px -= 1
            p.setFont(font)
            self.who_drawn = wfm.elidedText(self.who, Qt.TextElideMode.ElideRight, who_rect.width())
            p.drawText(who_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.who_drawn)
        # Line 2: why, in a sentence (two lines at most).
        if self.detail:
            p.setFont(self._detail_font)
            dfm = QFontMetrics(self._detail_font)
            detail_rect = QRect(inner.left(), line1.bottom() + 6, inner.width(), inner.bottom() - line1.bottom() - 6)
            text = self.detail
            if dfm.horizontalAdvance(text) > detail_rect.width() * 2:
                text = dfm.elidedText(text, Qt.TextElideMode.ElideRight, detail_rect.width() * 2 - 40)
            p.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap, text)
        p.end()
        self.paint_count += 1
        self.painted_at = time.perf_counter()
        self.painted.emit()
