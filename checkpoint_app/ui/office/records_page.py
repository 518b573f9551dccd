"""记录查询: every record kind in one list (manager and auditor), filtered by date range, kind,
household or person, guard and outcome, each row with its amendments and voids and its place in
the chain. The list is the lazy window of records_model.py: it opens at once and scrolls through
millions of records, a page at a time read in the background; "最新" jumps to the end.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from checkpoint_app.domain import record_kinds
from checkpoint_app.services import records_browser
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.records_browser import RecordFilter
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say
from checkpoint_app.ui.office.records_model import RecordsModel
from checkpoint_app.ui.shared.style import error_label

TOP_MARGIN = 3        # rows from the top at which the page before is fetched


class RecordsPage(QWidget):
    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordsModel(background, self)
        self._scroll_to_end = False
        title = QLabel(self.tr("记录查询"))
        title.setObjectName("pageTitle")

        today = QDate.fromString(ctx.now().date().isoformat(), Qt.DateFormat.ISODate)
        self.by_date = QCheckBox(self.tr("日期"))
        self.day_from = QDateEdit(today.addDays(-6))
        self.day_to = QDateEdit(today)
        for edit in (self.day_from, self.day_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.by_date.toggled.connect(self.day_from.setEnabled)
        self.by_date.toggled.connect(self.day_to.setEnabled)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部类型"), "")
        for k in record_kinds.KINDS:
            self.kind.addItem(record_kinds.label(k.kind), k.kind)
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("全部结果"), "")
        for o in records_browser.OUTCOMES:
            self.outcome.addItem(records_browser.outcome_label(o), o)
        self.household = QLineEdit()
        self.household.setPlaceholderText(self.tr("房号 3-2-501 或 3-2"))
        self.person = QLineEdit()
        self.person.setPlaceholderText(self.tr("住户姓名或拼音首字母"))
        self.guard = QLineEdit()
        self.guard.setPlaceholderText(self.tr("登记人"))
        self.search = QPushButton(self.tr("查询"))
        self.search.setObjectName("primary")
        self.search.clicked.connect(self.apply)
        for edit in (self.household, self.person, self.guard):
            edit.returnPressed.connect(self.apply)
        self.first_button = QPushButton(self.tr("最早"))
        self.first_button.clicked.connect(self.model.jump_to_start)
        self.last_button = QPushButton(self.tr("最新"))
        self.last_button.clicked.connect(self.jump_to_end)

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        dates = QHBoxLayout()
        dates.setSpacing(6)
        dates.addWidget(self.by_date)
        dates.addWidget(self.day_from, 1)
        dates.addWidget(QLabel("—"))
        dates.addWidget(self.day_to, 1)
        filters.addLayout(dates, 0, 0, 1, 2)
        filters.addWidget(self.kind, 0, 2)
        filters.addWidget(self.outcome, 0, 3)
        filters.addWidget(self.household, 1, 0)
        filters.addWidget(self.person, 1, 1)
        filters.addWidget(self.guard, 1, 2)
        for button in (self.search, self.first_button, self.last_button):
            button.setMinimumWidth(button.sizeHint().width())     # never clipped on a narrow screen
        filters.addWidget(self.search, 1, 3)
        for column in range(4):
            filters.setColumnStretch(column, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((165, 150, 140, 230, 100, 80, 200, 100)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)       # "… (scroll to read more)" on two lines at 1024 px
        self.message = error_label()

        self.setStyleSheet("QLineEdit { font-size: 18px; padding: 2px 6px; }")   # as the combo boxes beside
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addLayout(filters)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.first_button)     # the ends of the list, next to it
        bottom.addWidget(self.last_button)
        lay.addLayout(bottom)
        self.model.pageLoaded.connect(self._loaded)
        self.model.failed.connect(lambda text: say(self.message, "fieldError", text))
        self.model.set_filter(RecordFilter())
        self._say_status()

    def current_filter(self) -> RecordFilter:
        def day(edit: QDateEdit) -> date:
            return date.fromisoformat(edit.date().toString(Qt.DateFormat.ISODate))

        return RecordFilter(
            kinds=(self.kind.currentData(),) if self.kind.currentData() else (),
            day_from=day(self.day_from) if self.by_date.isChecked() else None,
            day_to=day(self.day_to) if self.by_date.isChecked() else None,
            household=self.household.text().strip(), person=self.person.text().strip(),
            guard=self.guard.text().strip(), outcome=self.outcome.currentData() or "")

    def apply(self) -> None:
        say(self.message, "fieldOk", "")
        self.model.set_filter(self.current_filter())
        self._say_status()

    def jump_to_end(self) -> None:
        self._scroll_to_end = True
        self.model.jump_to_end()
        self._say_status()

    def _scrolled(self, value: int) -> None:
        if value <= TOP_MARGIN and self.model.more_before:
            self.model.fetch_before()

    def _loaded(self, where: str, added: int) -> None:
        bar = self.table.verticalScrollBar()
        if where == "before" and added:
            bar.setValue(bar.value() + added)      # stay on the rows that were in view
        if where == "last" and self._scroll_to_end:
            self._scroll_to_end = False
            self.table.scrollToBottom()
        self._say_status()

    def _say_status(self) -> None:
        m = self.model
        if m.fetching and not m.rows:
            text = self.tr("正在读取…")
        elif not m.rows:
            text = self.tr("没有符合条件的记录。")
        else:
            text = self.tr("已显示 {n} 条，{first} 至 {last}").format(
                n=len(m.rows), first=m.rows[0].at[:16].replace("T", " "), last=m.rows[-1].at[:16].replace("T", " "))
            if m.more_before or m.more_after:
                text += self.tr("（滚动以读取更多）")
        self.status.setText(text)
