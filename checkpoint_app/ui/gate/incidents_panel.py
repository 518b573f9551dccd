"""Open incidents (F6): fevers, refusals, forged passes… and what was done about them.

The handover page lists today's open alerts; this panel is where they are followed up: pick
one (Up/Down), type what was done, Enter records the follow-up; "follow up and close" ends it,
and it leaves the list. Each follow-up is a record of its own (services/incidents.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.domain.reasons import category as category_text
from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header


class _NoteEdit(QLineEdit):
    """Up/Down move through the incidents without leaving the note."""

    moved = Signal(int)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


class IncidentsPanel(QWidget):
    followedUp = Signal(str, bool)     # incident uid, closed
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 12, 22, 12)
        lay.setSpacing(6)
        self.title, _ = add_panel_header(lay, self.tr("未结事件（F6）"))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("人员"), self.tr("事件"), self.tr("跟进")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("没有未结事件。"))
        self.empty.setObjectName("hint")
        lay.addWidget(self.empty)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel(self.tr("跟进情况")))
        self.note = _NoteEdit()
        self.note.setMaxLength(300)
        self.note.setPlaceholderText(self.tr("如：已通知社区医生，复测 36.8 °C"))
        self.note.returnPressed.connect(lambda: self.record(close=False))
        self.note.moved.connect(self._move)
        note_row.addWidget(self.note, 1)
        lay.addLayout(note_row)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.follow = QPushButton(self.tr("记录跟进（回车）"))
        self.follow.setObjectName("primary")
        self.follow.clicked.connect(lambda: self.record(close=False))
        self.close_button = QPushButton(self.tr("跟进并结案"))
        self.close_button.clicked.connect(lambda: self.record(close=True))
        back = QPushButton(self.tr("返回 (Esc)"))
        back.clicked.connect(self.cancelled)
        row.addWidget(self.follow)
        row.addWidget(self.close_button)
        row.addWidget(back)
        row.addStretch(1)
        lay.addLayout(row)
        self._open: list = []

    @guarded
    def prepare(self) -> None:
        from checkpoint_app.services import incidents

        chosen = self.current_uid()
        self._open = incidents.open_incidents(self.ctx)
        self.title.setText(self.tr("未结事件 {n} 件（F6）").format(n=len(self._open)))
        self.table.setRowCount(len(self._open))
        today = self.ctx.now().date().isoformat()
        for row, inc in enumerate(self._open):
            when = inc.at[11:16] if inc.at[:10] == today else f"{inc.at[5:10]} {inc.at[11:16]}"
            done = self.tr("{n} 次").format(n=inc.followups) if inc.followups else "—"
            for col, text in enumerate((when, inc.who, category_text(inc.category), done)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, inc.uid)
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self._open)
        for w in (self.note, self.follow, self.close_button):
            w.setEnabled(bool(self._open))
        uids = [inc.uid for inc in self._open]
        self.table.selectRow(uids.index(chosen) if chosen in uids else 0)
        self.error.clear()
        self.note.setFocus()

    def current_uid(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _move(self, step: int) -> None:
        if self.table.rowCount():
            self.table.selectRow(max(0, min(self.table.rowCount() - 1, self.table.currentRow() + step)))

    @guarded
    def record(self, *, close: bool) -> None:
        from checkpoint_app.services import incidents

        uid = self.current_uid()
        if uid is None:
            return
        self.error.clear()
        try:
            incidents.follow_up(self.ctx, uid, self.note.text(), close=close)
        except UserError as err:
            self.error.setText(str(err))
            self.note.setFocus()
            return
        self.note.clear()
        self.prepare()
        self.followedUp.emit(uid, close)
