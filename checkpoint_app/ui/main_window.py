"""The main window: the gate page, a notice strip, and a status bar with site, gate, guard, clock.

Escape never quits (it only steps back on the gate page); closing the window — the X, Alt+F4 —
opens the close panel, which wants a PIN or password and a deliberate confirmation.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from checkpoint_app import __version__
from checkpoint_app.ui.banner import Banner
from checkpoint_app.ui.errors import notifier
from checkpoint_app.ui.scan_capture import ScanCapture

if TYPE_CHECKING:
    from checkpoint_app.services.context import GateContext
    from checkpoint_app.ui.gate_page import GatePage
    from checkpoint_app.ui.sound import SoundPlayer

log = logging.getLogger(__name__)

NOTICE_MS = 12_000


class MainWindow(QMainWindow):
    """``ctx`` may be None at first: the window then shows that it is starting (and already
    catches scans) until ``attach`` gives it the opened gate — the database is opened after the
    window's first paint, so the guard sees the app at once."""

    def __init__(self, ctx: GateContext | None, capture: ScanCapture, *, sound: SoundPlayer | None = None,
                 early_scans: list[str] | None = None, board_threaded: bool = True) -> None:
        super().__init__()
        self.ctx = None
        self.page: GatePage | None = None
        self.capture = capture
        self._sound = sound
        self._board_threaded = board_threaded
        self._may_close = False
        self._started = False
        self.setObjectName("mainWindow")
        self.setMinimumSize(1024, 640)
        central = QWidget()
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.boot_banner: Banner | None = Banner()
        self.boot_banner.show_state("idle", self.tr("门岗通"), "", self.tr("正在启动，可以扫码…"))
        self._layout.addWidget(self.boot_banner)
        self._layout.addStretch(1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._layout.addWidget(self.notice)
        self.setCentralWidget(central)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        notifier().message.connect(self.show_notice)

        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.site_label = QLabel()
        self.guard_label = QLabel()
        self.clock_label = QLabel()
        bar.addWidget(self.site_label)
        bar.addWidget(self.guard_label, 1)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self.setWindowTitle(self.tr("门岗通"))
        self._tick()
        if ctx is not None:
            self.attach(ctx, early_scans)

    def attach(self, ctx: GateContext, early_scans: list[str] | None = None) -> None:
        """Build the gate page on the opened gate; serve the scans caught meanwhile, in order."""
        self.ctx = ctx
        if self.boot_banner is not None:
            self._layout.removeWidget(self.boot_banner)
            self._layout.takeAt(0)  # the stretch under it
            self.boot_banner.deleteLater()
            self.boot_banner = None
        from checkpoint_app.ui.gate_page import GatePage

        self.page = GatePage(ctx, sound=self._sound, board_threaded=self._board_threaded)
        self._layout.insertWidget(0, self.page, 1)
        self.site_label.setText(f"{ctx.site.name} · {ctx.gate.name}")
        self.page.guardChanged.connect(self._guard_changed)
        self.page.closeConfirmed.connect(self.confirmed_close)
        self._guard_changed(ctx.user)
        self._tick()
        for text in early_scans or []:
            self.page.on_scan(text)
        self.capture.scanned.connect(self.page.on_scan)
        if self.isVisible() and not self._started:
            self._started = True
            self.page.start()

    def fail(self, message: str) -> None:
        """The gate cannot open (damaged or newer database): say so; closing needs no PIN."""
        self._may_close = True
        if self.boot_banner is not None:
            self.boot_banner.show_state("denied", self.tr("无法打开"), "", message)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.page is not None and not self._started:
            self._started = True
            self.page.start()

    def _guard_changed(self, name: str | None) -> None:
        if self.ctx is None:
            return
        guard = name or self.tr("（未签到）")
        self.guard_label.setText(self.tr("值班：{name}").format(name=guard))
        self.setWindowTitle(self.tr("门岗通 {version} — {site} · {gate} — 值班：{name}").format(
            version=__version__, site=self.ctx.site.name, gate=self.ctx.gate.name, name=guard))

    def _tick(self) -> None:
        now = self.ctx.now() if self.ctx is not None else datetime.now()
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
            if self.page is not None:
                self.page.ask_close()
            return
        self._clock.stop()
        if self.page is not None:
            self.page.shutdown()
        try:
            notifier().message.disconnect(self.show_notice)
        except (RuntimeError, TypeError):
            pass
        if self.page is not None:
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
