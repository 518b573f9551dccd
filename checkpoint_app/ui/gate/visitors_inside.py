"""Visitors inside (F4): pick the one leaving, Enter records the exit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.panel_header import add_panel_header


class VisitorsInsidePanel(QWidget):
    visitorLeft = Signal(str, str)      # visitor id, name
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 16, 24, 16)
        self.title, _ = add_panel_header(lay, self.tr("在内访客（F4）"), self.tr("上下键选择离开的访客，回车登记离开。"))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("进入时间"), self.tr("姓名"), self.tr("被访户"), self.tr("事由")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setStyleSheet("font-size: 22px;")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.record_exit())
        lay.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.leave = QPushButton(self.tr("登记离开（回车）"))
        self.leave.setObjectName("primary")
        self.leave.clicked.connect(self.record_exit)
        back = QPushButton(self.tr("返回 (Esc)"))
        back.clicked.connect(self.cancelled)
        row.addWidget(self.leave)
        row.addWidget(back)
        row.addStretch(1)
        lay.addLayout(row)

    @guarded
    def prepare(self) -> None:
        from checkpoint_app.services import visitors

        inside = visitors.visitors_inside(self.ctx)
        self.error.clear()
        self.title.setText(self.tr("在内访客 {n} 人（F4）").format(n=len(inside)))
        self.table.setRowCount(len(inside))
        today = self.ctx.now().date().isoformat()
        for row, v in enumerate(inside):
            came = v.at[11:16] if v.at[:10] == today else f"{v.at[5:10]} {v.at[11:16]}"  # the date when not today
            for col, text in enumerate((came, v.name or self.tr("（已清除）"), v.host_household, v.purpose)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.visitor_id)
                self.table.setItem(row, col, item)
        if inside:
            self.table.selectRow(0)
        self.table.setFocus()

    @guarded
    def record_exit(self) -> None:
        from checkpoint_app.services import visitors

        row = self.table.currentRow()
        if row < 0:
            return
        visitor_id = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        name = self.table.item(row, 1).text()
        try:
            visitors.visitor_out(self.ctx, visitor_id, guard=self.ctx.user)
        except UserError as err:
            self.error.setText(str(err))
            return
        self.visitorLeft.emit(visitor_id, name)
