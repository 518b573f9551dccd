"""A resident without the card: find them by room, name or pinyin initials, then the usual path.

``3-2-501``, ``3-2`` (a whole unit), ``张`` or ``zsf`` all work; results update as the guard
types; Up/Down and Enter pick one. The passage is then decided exactly like a scan and recorded
as manual.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.panel_header import add_panel_header


class _SearchEdit(QLineEdit):
    """Up/Down move through the results without leaving the field."""

    moved = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


class ManualEntryPanel(QWidget):
    residentChosen = Signal(int)
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 18, 28, 18)
        add_panel_header(lay, self.tr("无卡住户登记（F3）"),
                         self.tr("输入户号（如 3-2-501）、姓名或拼音首字母（如 zsf），上下键选择，回车确认。"))
        self.search = _SearchEdit()
        self.search.setPlaceholderText(self.tr("户号 / 姓名 / 拼音首字母"))
        self.search.textChanged.connect(lambda: self._debounce.start())
        self.search.returnPressed.connect(self._choose)
        self.search.moved.connect(self._move)
        lay.addWidget(self.search)
        self.results = QListWidget()
        self.results.setStyleSheet("font-size: 24px;")
        self.results.itemActivated.connect(lambda _item: self._choose())
        lay.addWidget(self.results, 1)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        lay.addWidget(self.empty)
        row = QHBoxLayout()
        self.ok = QPushButton(self.tr("登记所选住户（回车）"))
        self.ok.setObjectName("primary")
        self.ok.clicked.connect(self._choose)
        back = QPushButton(self.tr("返回 (Esc)"))
        back.clicked.connect(self.cancelled)
        row.addWidget(self.ok)
        row.addWidget(back)
        row.addStretch(1)
        lay.addLayout(row)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.run_search)

    def prepare(self) -> None:
        self.search.clear()
        self.results.clear()
        self.empty.clear()
        self.search.setFocus()

    @guarded
    def run_search(self) -> None:
        from checkpoint_app.services import privacy, residents

        self._debounce.stop()
        text = self.search.text().strip()
        self.results.clear()
        if not text:
            self.empty.clear()
            return
        found = residents.search_residents(self.ctx, text, limit=30)
        status_text = {"quarantine": self.tr("居家隔离"), "observation": self.tr("健康观察")}
        for r in found:
            extra = status_text.get(r.status, "")
            # The phone tells two residents of the same name apart; masked unless the role may see it.
            phone = privacy.show_phone(self.ctx, r.phone)
            item = QListWidgetItem(f"{r.household:<10}  {r.name}" + (f"   {phone}" if phone else "")
                                   + (f"   【{extra}】" if extra else ""))
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        self.empty.setText("" if found else self.tr("没有找到“{text}”。").format(text=text))

    def _move(self, step: int) -> None:
        if self.results.count():
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)

    def _choose(self) -> None:
        if self._debounce.isActive():
            self.run_search()
        item = self.results.currentItem()
        if item is not None:
            self.residentChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
