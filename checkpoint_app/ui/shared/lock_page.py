"""The idle lock: after some minutes without the guard's input the gate screen locks itself.

A page of the main window over the gate page (a half-filled visitor form with an ID number is
hidden too). The guard unlocks with their PIN, or another guard signs on with theirs; repeated
wrong PINs lock the name out (services/users.py says so, in its sentence). Scans that arrive
while locked wait in the gate page's queue and are served after unlocking — never lost.

What counts as the guard's input: keys, clicks, the wheel, input-method text. A pass scanned by a
resident is not the guard: the keys of a scan burst do not keep the screen unlocked.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.sign_on import _CapsLockWatch, _secret_field
from checkpoint_app.ui.shared.style import error_label

IDLE_LOCK_MINUTES = 10      # the setting's default (settings.py ``idle_lock_minutes``)
_BURST_GAP_S = 0.1          # keys closer than this belong to one burst (a scanner types every 5-10 ms)


def idle_lock_ms(ctx: GateContext) -> int:
    minutes = ctx.settings.get("idle_lock_minutes") or IDLE_LOCK_MINUTES
    try:
        return max(1, int(minutes)) * 60_000
    except (TypeError, ValueError):
        return IDLE_LOCK_MINUTES * 60_000


class IdleWatch(QObject):
    """Application event filter: ``idle`` once ``timeout_ms`` pass without the guard's input."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self._last = time.monotonic()
        self._last_key = 0.0
        self._before_burst = self._last
        self._fired = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._timer.start(max(50, min(5_000, timeout_ms // 5)))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Every event of the application passes here: sorted by class first, cheaply.
        if isinstance(event, (QKeyEvent, QInputMethodEvent)):
            if isinstance(event, QKeyEvent) and event.type() != QEvent.Type.KeyPress:
                return False
            now = time.monotonic()
            if now - self._last_key > _BURST_GAP_S:
                self._before_burst = self._last   # in case this burst turns out to be a scan
            self._last_key = self._last = now
        elif isinstance(event, (QMouseEvent, QWheelEvent, QTouchEvent)):
            if isinstance(event, QMouseEvent) and event.type() != QEvent.Type.MouseButtonPress:
                return False
            self._last = time.monotonic()
        return False

    def scan_seen(self, _text: str = "") -> None:
        """The keys just seen were a scanner's: they do not count as the guard being there."""
        self._last = self._before_burst

    def rearm(self) -> None:
        self._last = time.monotonic()
        self._fired = False

    def _check(self) -> None:
        if not self._fired and (time.monotonic() - self._last) * 1000 >= self.timeout_ms:
            self._fired = True
            self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()


class LockPage(QWidget):
    unlocked = Signal(object)           # services.users.SignedOn

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lockPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(6)
        head = QWidget()
        head.setObjectName("lockHead")
        head.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        head_lay = QVBoxLayout(head)
        head_lay.setContentsMargins(32, 18, 32, 18)
        self.title = QLabel(self.tr("屏幕已锁定"))
        self.title.setObjectName("lockTitle")
        head_lay.addWidget(self.title)
        self.who = QLabel()
        self.who.setObjectName("lockWho")
        head_lay.addWidget(self.who)
        outer.addWidget(head)

        body = QWidget()
        body.setObjectName("panel")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(32, 20, 32, 20)
        lay.setSpacing(10)
        self.explain = QLabel(self.tr("长时间无人操作，屏幕已自动锁定。值班员输入 PIN 解锁；"
                                      "换人值班请输入自己的姓名和 PIN。扫码不会丢失，解锁后立即处理。"))
        self.explain.setObjectName("hint")
        self.explain.setWordWrap(True)
        lay.addWidget(self.explain)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.addWidget(QLabel(self.tr("姓名")), 0, 0)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.setMinimumWidth(300)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(QLabel(self.tr("PIN")), 1, 0)
        self.pin = _secret_field()
        grid.addWidget(self.pin, 1, 1)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        self.caps = error_label()
        self.caps.setText(self.tr("大写锁定已打开（Caps Lock）。"))
        self._caps_watch = _CapsLockWatch(self.caps, self.pin)
        lay.addWidget(self.caps)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.submit = QPushButton(self.tr("解锁（回车）"))
        self.submit.setObjectName("primary")
        self.submit.clicked.connect(self.unlock)
        row.addWidget(self.submit)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.pending = QLabel()
        self.pending.setObjectName("queue")
        lay.addWidget(self.pending)
        wrap = QHBoxLayout()
        wrap.setContentsMargins(8, 0, 8, 0)
        wrap.addWidget(body)
        outer.addLayout(wrap, 1)
        self.pin.returnPressed.connect(self.unlock)
        self.name.lineEdit().returnPressed.connect(lambda: self.pin.setFocus())

    def prepare(self, guard: str | None, pending: int = 0) -> None:
        from checkpoint_app.services import gate_screen

        self.name.clear()
        self.name.addItems(gate_screen.guard_names(self.ctx))
        self.name.setEditText(guard or "")
        self.who.setText(self.tr("值班：{name}").format(name=guard or "—"))
        self.pin.clear()
        self.error.clear()
        self.caps.setVisible(False)
        self.set_pending(pending)
        self.pin.setFocus()

    def set_pending(self, n: int) -> None:
        self.pending.setText(self.tr("已收到 {n} 次扫码，解锁后立即处理").format(n=n) if n else "")

    @guarded
    def unlock(self) -> None:
        from checkpoint_app.services import users

        self.error.clear()
        try:
            # The lockout after repeated failures is the service's; on success the page acts for
            # ``signed.acting`` (main_window.py).
            signed = users.sign_on(self.ctx, self.name.currentText().strip(), self.pin.text())
        except UserError as err:
            self.error.setText(str(err))
            self.pin.clear()
            self.pin.setFocus()
            return
        self.pin.clear()
        self.unlocked.emit(signed)
