"""The main window: pages (the gate page; the lock, health and set-up pages over it), a notice
strip, and a status bar with site, gate, guard, backups, clock.

Escape never quits (it only steps back on the gate page); closing the window — the X, Alt+F4 —
opens the close panel, which wants a PIN or password and a deliberate confirmation. After some
minutes without the guard's input the lock page covers the gate page (ui/shared/lock_page.py).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from checkpoint_app import __version__
from checkpoint_app.ui.shared.errors import notifier
from checkpoint_app.ui.gate.scan_capture import ScanCapture

if TYPE_CHECKING:
    from checkpoint_app.services.context import GateContext
    from checkpoint_app.ui.gate.gate_page import GatePage
    from checkpoint_app.ui.gate.sound import SoundPlayer

log = logging.getLogger(__name__)

NOTICE_MS = 12_000
MIN_SIZE = (1024, 640)


class BootView(QFrame):
    """What the window shows while the database opens: the app's name, in the banner's colours.

    Two plain labels, deliberately: the gate page's banner needs PySide6's ``Qt`` namespace, which
    costs ~25 ms to build the first time, and rich text would load Qt's HTML engine; this is on
    screen before either matters (cold start, DESIGN §7). ``painted`` tells app.py the window is up."""

    painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("bootView")
        self.title = ""
        self.detail = ""
        self.title_label = QLabel()
        self.title_label.setObjectName("bootTitle")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("bootDetail")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 14, 28, 14)
        lay.addWidget(self.title_label)
        lay.addWidget(self.detail_label)

    def show_state(self, kind: str, title: str, who: str = "", detail: str = "") -> None:
        from checkpoint_app.ui.shared.style import COLORS

        self.title, self.detail = title, detail
        bg, fg = COLORS.get(kind, COLORS["idle"])
        self.setStyleSheet(f"QFrame#bootView {{ background: {bg}; }} QLabel {{ color: {fg}; }}")
        self.title_label.setText(title)
        self.detail_label.setText(detail)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        self.painted.emit()


class StatusLine(QLabel):
    """A status bar line that is never cut: it asks for its whole text (up to a width), gives way
    to the other lines when the window is narrow (1024 px), and paints what fits, elided, with
    the whole line in its tooltip. ``text()`` is the whole line."""

    def __init__(self, min_width: int = 80, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._max = 520
        self._min = min_width        # what it keeps when the bar is short of room (a short line: all of it)

    def set_line(self, text: str, max_width: int) -> None:
        self._full, self._max = text, max_width
        self.setToolTip(text)
        self._fit()
        self.updateGeometry()

    def text(self) -> str:  # noqa: D102 — the whole line, not the part painted
        return self._full

    def _extra(self) -> int:
        """Padding and margins around the text (the style sheet's), in pixels."""
        return QLabel.sizeHint(self).width() - self.fontMetrics().horizontalAdvance(QLabel.text(self))

    def sizeHint(self):  # noqa: N802
        hint = QLabel.sizeHint(self)
        hint.setWidth(min(self.fontMetrics().horizontalAdvance(self._full) + self._extra(), self._max))
        return hint

    def minimumSizeHint(self):  # noqa: N802
        hint = QLabel.minimumSizeHint(self)
        hint.setWidth(min(self._min, self.sizeHint().width()))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = max(0, min(self.width(), self._max) - self._extra())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if shown != QLabel.text(self):
            QLabel.setText(self, shown)


class MainWindow(QMainWindow):
    closing = Signal()            # the window is really closing (the start flow stops its work)
    pageShown = Signal(str)       # a full-window page (set-up, health) is up: its class name
    refusedSeen = Signal(int)     # the office listed the records refused by the sync up to this problem id
    exchanged = Signal(object)    # the office imported a USB file or synced (SyncResult or None): the status bar looks
    """``ctx`` may be None at first: the window then shows that it is starting (and already
    catches scans) until ``attach`` gives it the opened gate — the database is opened after the
    window's first paint, so the guard sees the app at once."""

    def __init__(self, ctx: GateContext | None, capture: ScanCapture, *, sound: SoundPlayer | None = None,
                 early_scans: list[str] | None = None, board_threaded: bool = True,
                 idle_lock_ms: int | None = None) -> None:
        super().__init__()
        self.ctx = None
        self.page: GatePage | None = None
        self.capture = capture
        self._sound = sound
        self._board_threaded = board_threaded
        self._idle_lock_ms = idle_lock_ms
        self.idle = None
        self.lock_page = None
        self.office = None             # ui/office/shell.py while a manager/admin/auditor is signed on
        self._may_close = False
        self._started = False
        self.setObjectName("mainWindow")
        # A fixed minimum (a changing one makes Qt re-send the size hints to the platform at every
        # panel built), at least what the page needs (~760×625, tested; a taller panel scrolls in
        # its column), so fields never overlap; it fits a 1024×768 screen and a 1080p laptop at
        # 150 % (~650 px under the title bar).
        self.setMinimumSize(*MIN_SIZE)
        central = QWidget()
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.pages = QStackedWidget()
        self._layout.addWidget(self.pages, 1)
        self._boot = QWidget()
        boot_lay = QVBoxLayout(self._boot)
        boot_lay.setContentsMargins(0, 0, 0, 0)
        self.boot_banner: BootView | None = BootView()
        self.boot_banner.setMinimumHeight(190)
        self.boot_banner.show_state("idle", self.tr("门岗通"), "", self.tr("正在启动，可以扫码…"))
        boot_lay.addWidget(self.boot_banner)
        boot_lay.addStretch(1)
        self.pages.addWidget(self._boot)
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
        self.upkeep_label = StatusLine(min_width=260)   # "已备份 21:30（2 份）" whole; the sync ages give way
        self.upkeep_label.setObjectName("statusOk")
        self.clock_label = QLabel()
        self.hub_label = StatusLine()      # ui/hub_sync.py: how old each other gate's newest record is
        self.hub_label.setObjectName("statusOk")
        self.hub_label.hide()
        bar.addWidget(self.site_label)
        bar.addWidget(self.guard_label, 1)
        bar.addPermanentWidget(self.hub_label)
        bar.addPermanentWidget(self.upkeep_label)
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
        self._drop_boot()
        from checkpoint_app.ui.gate.gate_page import GatePage
        from checkpoint_app.ui.shared.lock_page import IdleWatch, idle_lock_ms

        self.page = GatePage(ctx, sound=self._sound, board_threaded=self._board_threaded)
        self.pages.addWidget(self.page)
        self.pages.setCurrentWidget(self.page)
        self.page.focus_panel()
        self.site_label.setText(f"{ctx.site.name} · {ctx.gate.name}")
        self.page.guardChanged.connect(self._guard_changed)
        self.page.closeConfirmed.connect(self.confirmed_close)
        self.page.queueChanged.connect(self._queue_changed)
        self.page.officeSignOn.connect(self.open_office)
        self.idle = IdleWatch(self._idle_lock_ms or idle_lock_ms(ctx), self)
        self.idle.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)
        self.capture.scanned.connect(self.idle.scan_seen)
        self._guard_changed(ctx.user)
        self._tick()
        for text in early_scans or []:
            self.page.on_scan(text)
        self.capture.scanned.connect(self.page.on_scan)
        if self.isVisible() and not self._started:
            self._started = True
            self.page.start()

    def _drop_boot(self) -> None:
        if self.boot_banner is not None:
            self.pages.removeWidget(self._boot)
            self._boot.deleteLater()
            self.boot_banner = None

    def detach(self) -> None:
        """Take the gate page down (the flow closes its context): the file turned out unusable."""
        self.close_office()
        self._stop_idle()
        if self.page is not None:
            self.page.shutdown()
            try:
                self.capture.scanned.disconnect(self.page.on_scan)
            except (RuntimeError, TypeError):
                pass
            self.pages.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None
        if self.lock_page is not None:
            self.pages.removeWidget(self.lock_page)
            self.lock_page.deleteLater()
            self.lock_page = None
        self._started = False
        self.ctx = None
        self.guard_label.clear()

    def show_page(self, widget: QWidget) -> None:
        """A full-window page (set-up, health): shown instead of whatever was there."""
        self._drop_boot()
        if self.pages.indexOf(widget) < 0:
            self.pages.addWidget(widget)
        self.pages.setCurrentWidget(widget)
        self.pageShown.emit(type(widget).__name__)

    def remove_page(self, widget: QWidget) -> None:
        if self.pages.indexOf(widget) >= 0:
            self.pages.removeWidget(widget)
        widget.deleteLater()

    def show_upkeep(self, level: str, text: str) -> None:
        """Backups and other upkeep: a line in the status bar, never a dialog."""
        _status_line(self.upkeep_label, level, text, 540)

    def show_hub(self, level: str, text: str) -> None:
        """The hub sync's line in the status bar (ui/shared/hub_sync.py); hidden when no hub is set."""
        self.hub_label.setVisible(level != "off")
        _status_line(self.hub_label, level, text, 800)   # as much as the bar has room for

    # -- the office (issue 13) ----------------------------------------------------------------------
    def open_office(self, signed) -> None:
        """A manager, an admin or an auditor signed on at the gate: their office, acting for them
        (the gate's context stays without anyone on duty)."""
        from checkpoint_app.ui.office.shell import OfficeShell

        self.close_office()
        self.office = OfficeShell(signed.acting)
        self.office.signedOff.connect(self.close_office)
        self.office.refusedSeen.connect(self.refusedSeen)
        self.office.exchanged.connect(self.exchanged)
        self.pages.addWidget(self.office)
        self.pages.setCurrentWidget(self.office)
        self.office.nav.setFocus()
        self.guard_label.setText(self.tr("办公：{name}").format(name=signed.name))
        if self.idle is not None:
            self.idle.rearm()
        log.info("%s (%s) signed on to the office", signed.name, signed.role)

    def close_office(self) -> None:
        """Sign the office user off: the gate's sign-on comes back."""
        if self.office is None:
            return
        office, self.office = self.office, None
        log.info("%s signed off from the office", office.ctx.user)
        office.shutdown()
        self.pages.removeWidget(office)
        office.deleteLater()
        if self.page is not None and self.page.locked and self.lock_page is not None:
            self.lock_page.prepare(self.page.ctx.user, len(self.page.queue))   # the guard's lock again
            self.pages.setCurrentWidget(self.lock_page)
            self.lock_page.pin.setFocus()
            self._guard_changed(self.page.ctx.user)
        elif self.page is not None:
            self.pages.setCurrentWidget(self.page)
            self.page.show_scan_panel()
            if self.page.signed_on:
                self.page.sign_on_panel.focus_first()
            else:                        # the names again: the office may have added or disabled a guard
                self.page.sign_on_panel.prepare()
            self._guard_changed(self.ctx.user if self.ctx else None)

    # -- the idle lock ----------------------------------------------------------------------------
    def lock(self) -> None:
        if self.office is not None:      # an idle office signs its user off; the gate comes back
            self.close_office()
            if self.idle is not None:
                self.idle.rearm()
            return
        if self.page is None or not self.page.lock():
            if self.idle is not None:
                self.idle.rearm()
            return
        from checkpoint_app.ui.shared.lock_page import LockPage

        if self.lock_page is None:
            self.lock_page = LockPage(self.ctx)
            self.lock_page.unlocked.connect(self._unlocked)
            self.pages.addWidget(self.lock_page)
        self.lock_page.prepare(self.page.ctx.user, len(self.page.queue))
        self.pages.setCurrentWidget(self.lock_page)
        self.lock_page.pin.setFocus()
        log.info("screen locked after idle time (guard %s)", self.page.ctx.user)

    @property
    def locked(self) -> bool:
        return self.page is not None and self.page.locked

    def _unlocked(self, signed) -> None:
        if signed.role != "guard":       # a manager at the locked gate: the office; the gate stays locked
            self.open_office(signed)
            return
        self.pages.setCurrentWidget(self.page)
        if self.idle is not None:
            self.idle.rearm()
        self.page.unlock(signed)
        self.page.focus_panel()

    def _queue_changed(self, n: int) -> None:
        if self.lock_page is not None and self.locked:
            self.lock_page.set_pending(n)

    def _stop_idle(self) -> None:
        if self.idle is not None:
            self.idle.stop()
            QApplication.instance().removeEventFilter(self.idle)
            try:
                self.capture.scanned.disconnect(self.idle.scan_seen)
            except (RuntimeError, TypeError):
                pass
            self.idle.deleteLater()
            self.idle = None

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
        if self.ctx is not None:
            now = self.ctx.now()
            day, wday, clock = f"{now:%Y-%m-%d}", now.weekday(), f"{now:%H:%M:%S}"
        else:   # still starting: the computer's clock (``datetime`` is not loaded yet)
            now = time.localtime()
            day, wday, clock = time.strftime("%Y-%m-%d", now), now.tm_wday, time.strftime("%H:%M:%S", now)
        weekday = (self.tr("星期一"), self.tr("星期二"), self.tr("星期三"), self.tr("星期四"),
                   self.tr("星期五"), self.tr("星期六"), self.tr("星期日"))[wday]
        self.clock_label.setText(f"{day} {weekday} {clock}")

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
        if not self._may_close and self.page is not None:
            # Only the gate page asks for a PIN: on the set-up and health pages nothing is recorded.
            event.ignore()
            self.bring_to_front()
            self.close_office()          # closing asks on the gate page, as for a guard
            if self.page is not None:
                self.page.ask_close()
            return
        self._clock.stop()
        self._stop_idle()
        self.closing.emit()
        if self.office is not None:
            self.office.shutdown()
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
        if self.capture.take_early_key(self, event):
            event.accept()          # the window is still appearing: a scan (or typing held back)
            return
        from PySide6.QtCore import Qt

        # Escape must never close anything here; the gate page's shortcut handles it.
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)


def _status_line(label: StatusLine, level: str, text: str, width: int) -> None:
    """A line of the status bar: its colour by ``level`` (ok | warning | bad), at most ``width``
    pixels, elided to the room the bar gives it, the whole sentence in its tooltip."""
    name = {"ok": "statusOk", "warning": "statusWarnBar", "bad": "statusBadBar"}.get(level, "statusOk")
    if label.objectName() != name:
        label.setObjectName(name)
        label.style().unpolish(label)
        label.style().polish(label)
    label.set_line(text, width)
