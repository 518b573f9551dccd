"""The main window: the gate page, a notice strip, and a status bar with site, gate, guard, clock.

Escape never quits (it only steps back on the gate page); closing the window — the X, Alt+F4 —
opens the close panel, which wants a PIN or password and a deliberate confirmation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from checkpoint_app import __version__
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.errors import notifier
from checkpoint_app.ui.gate_page import GatePage
from checkpoint_app.ui.scan_capture import ScanCapture
from checkpoint_app.ui.sound import SoundPlayer

log = logging.getLogger(__name__)

NOTICE_MS = 12_000


class MainWindow(QMainWindow):
    def __init__(self, ctx: GateContext, capture: ScanCapture, *, sound: SoundPlayer | None = None,
                 early_scans: list[str] | None = None, board_threaded: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.capture = capture
        self._may_close = False
        self.setObjectName("mainWindow")
        self.setMinimumSize(1024, 640)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.page = GatePage(ctx, sound=sound, board_threaded=board_threaded)
        lay.addWidget(self.page, 1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        lay.addWidget(self.notice)
        self.setCentralWidget(central)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        notifier().message.connect(self.show_notice)

        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.site_label = QLabel(f"{ctx.site.name} · {ctx.gate.name}")
        self.guard_label = QLabel()
        self.clock_label = QLabel()
        bar.addWidget(self.site_label)
        bar.addWidget(self.guard_label, 1)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self.page.guardChanged.connect(self._guard_changed)
        self.page.closeConfirmed.connect(self.confirmed_close)
        self._guard_changed(ctx.user)
        self._tick()

        # Scans caught before this window existed were kept by the caller: serve them in order.
        for text in early_scans or []:
            self.page.on_scan(text)
        capture.scanned.connect(self.page.on_scan)

    def _guard_changed(self, name: str | None) -> None:
        guard = name or self.tr("（未签到）")
        self.guard_label.setText(self.tr("值班：{name}").format(name=guard))
        self.setWindowTitle(self.tr("门岗通 {version} — {site} · {gate} — 值班：{name}").format(
            version=__version__, site=self.ctx.site.name, gate=self.ctx.gate.name, name=guard))

    def _tick(self) -> None:
        now = self.ctx.now()
        weekday = (self.tr("星期一"), self.tr("星期二"), self.tr("星期三"), self.tr("星期四"),
                   self.tr("星期五"), self.tr("星期六"), self.tr("星期日"))[now.weekday()]
        self.clock_label.setText(f"{now:%Y-%m-%d} {weekday} {now:%H:%M:%S}")

    def show_notice(self, level: str, text: str) -> None:
        name = "noticeBad" if level == "bug" else "notice"
        if self.notice.objectName() != name:
            self.notice.setObjectName(name)
            self.notice.style().unpolish(self.notice)
            self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_MS)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        if QGuiApplication.platformName() != "offscreen":  # nothing to raise there (and Qt warns)
            self.raise_()
            self.activateWindow()

    def confirmed_close(self) -> None:
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._may_close:
            event.ignore()
            self.bring_to_front()
            self.page.ask_close()
            return
        self._clock.stop()
        self.page.shutdown()
        try:
            notifier().message.disconnect(self.show_notice)
        except (RuntimeError, TypeError):
            pass
        try:
            self.capture.scanned.disconnect(self.page.on_scan)
        except (RuntimeError, TypeError):
            pass
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Escape must never close anything here; the gate page's shortcut handles it.
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)
