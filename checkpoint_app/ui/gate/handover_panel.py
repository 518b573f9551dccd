"""Shift handover (F9): the shift's counts and open alerts, notes, and the next guard signs on.

A page of the gate screen, not a modal dialog: a resident who scans meanwhile is served at once
and the handover page keeps what was typed. The next guard needs an account (accounts are an
admin's job, services/permissions.py): they sign on here with their PIN, which is the proof that
they took the shift.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.domain.reasons import category as category_text
from checkpoint_app.ui.shared.sign_on import _secret_field
from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header


class HandoverPanel(QWidget):
    handedOver = Signal(object)       # services.users.SignedOn of the incoming guard
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary = None
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 12, 22, 12)
        lay.setSpacing(6)
        self.title, _ = add_panel_header(lay, self.tr("交接班（F9）"))
        self.counts = QLabel()
        self.counts.setStyleSheet("font-size: 22px;")
        self.counts.setWordWrap(True)
        lay.addWidget(self.counts)
        self.alerts_title = QLabel()
        self.alerts_title.setObjectName("boardTitle")
        lay.addWidget(self.alerts_title)
        self.alerts = QListWidget()
        self.alerts.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.alerts.setFlow(QListWidget.Flow.LeftToRight)
        self.alerts.setWrapping(True)
        self.alerts.setSpacing(3)
        self.alerts.setMinimumHeight(40)      # shrinks first on a small screen (1024×768)
        self.alerts.setMaximumHeight(92)
        lay.addWidget(self.alerts)
        notes_label = QLabel(self.tr("交班备注（设备、待跟进事项）"))
        lay.addWidget(notes_label)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(60)
        self.notes.setMaximumHeight(78)
        lay.addWidget(self.notes)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("接班人")), 0, 0)
        self.next_guard = QComboBox()
        self.next_guard.setEditable(True)
        self.next_guard.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.next_guard.setMinimumWidth(220)
        grid.addWidget(self.next_guard, 0, 1)
        grid.addWidget(QLabel(self.tr("接班人 PIN")), 0, 2)
        self.pin = _secret_field()
        self.pin.setMinimumWidth(160)
        grid.addWidget(self.pin, 0, 3)
        grid.setColumnStretch(4, 1)
        lay.addLayout(grid)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.submit = QPushButton(self.tr("交班，接班人签到"))
        self.submit.setObjectName("primary")
        self.submit.clicked.connect(self.hand_over)
        back = QPushButton(self.tr("返回 (Esc)"))
        back.clicked.connect(self.cancelled)
        row.addWidget(self.submit)
        row.addWidget(back)
        row.addStretch(1)
        lay.addLayout(row)
        self.pin.returnPressed.connect(self.hand_over)
        self.next_guard.lineEdit().returnPressed.connect(self.pin.setFocus)
        self._known: list[str] = []

    @guarded
    def prepare(self) -> None:
        from checkpoint_app.services.handover import shift_summary

        self.summary = s = shift_summary(self.ctx)
        c = s.counts
        self.counts.setText(self.tr(
            "本班 {start} 起：进 {i}　出 {o}　需注意 {f}　拒绝 {d}　发热 {t}　访客 {v}").format(
            start=s.shift_start[11:16], i=c.get("in", 0), o=c.get("out", 0), f=c.get("flagged", 0),
            d=c.get("denied", 0), t=c.get("fever", 0), v=c.get("visitors", 0)))
        self.alerts_title.setText(self.tr("未结事件 {n} 件").format(n=len(s.open_alerts)))
        self.alerts.clear()
        for alert in s.open_alerts:
            self.alerts.addItem(f"{alert['at'][11:16]}  {category_text(alert['category'])}")
        self._known = _screen().guard_names(self.ctx)
        current = self.next_guard.currentText()
        self.next_guard.blockSignals(True)
        self.next_guard.clear()
        self.next_guard.addItems([n for n in self._known if n != self.ctx.user])
        self.next_guard.setCurrentIndex(-1)     # nobody chosen: ↓ picks the first name
        self.next_guard.setEditText(current if current and current != self.ctx.user else "")
        self.next_guard.blockSignals(False)
        self.error.clear()
        self.title.setText(self.tr("交接班（F9）　交班人：{name}").format(name=self.ctx.user or "—"))
        if not self.notes.hasFocus():
            self.notes.setFocus()

    @guarded
    def hand_over(self) -> None:
        from checkpoint_app.services import handover, users

        self.error.clear()
        outgoing = self.ctx.user
        incoming = self.next_guard.currentText().strip()
        if not incoming:
            self.error.setText(self.tr("请填写接班人。"))
            self.next_guard.setFocus()
            return
        if incoming == outgoing:
            self.error.setText(self.tr("接班人不能是交班人本人。"))
            return
        try:
            signed = users.sign_on(self.ctx, incoming, self.pin.text())
        except UserError as err:
            self.error.setText(str(err))
            self.pin.clear()
            self.pin.setFocus()
            return
        if signed.role != "guard":       # only a guard takes over the gate (the office is elsewhere)
            self.error.setText(self.tr("只有值班员可以接班：{name} 不是值班员。").format(name=signed.name))
            self.pin.clear()
            self.next_guard.setFocus()
            return
        # The handover is the outgoing guard's record (``self.ctx``); the incoming guard proved who
        # they are, and the page acts for them from now on (``signed.acting``, via handedOver).
        summary = self.summary or handover.shift_summary(self.ctx)
        handover.hand_over(self.ctx, from_guard=outgoing or signed.name, to_guard=signed.name,
                           notes=self.notes.toPlainText(), summary=summary)
        self.notes.clear()
        self.pin.clear()
        self.next_guard.setEditText("")
        self.summary = None
        self.handedOver.emit(signed)


def _screen():
    from checkpoint_app.services import gate_screen

    return gate_screen
