"""公司总览 (a manager or an auditor, signed on to the hub): per compound and day, passages,
fevers, refusals, visitors, disinfection rounds done vs planned, open incidents, and which gates
have not synced (services/company.py, as ``checkpoint company overview`` shows it).

The hub is the ``hub_url`` setting; its password is the one kept for the background sync
(exchange/sync.py), or typed here for this reading only (never stored). Reading the hub and
writing the signed PDF or the .xlsx run in the background: a hub across the city may take
seconds to answer. psycopg is imported with this module (the page opening), not by the first
reading in the background: an import holds Python's lock for 0.4 s, which would stall the screen
in the middle of the reading instead of at the click that opened the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.exchange import hub  # noqa: F401 (see above)
from checkpoint_app.services import company
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class CompanyPage(QWidget):
    loaded = Signal(int)          # rows shown
    written = Signal(str)         # a file written: its path

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.view = None
        title = QLabel(self.tr("公司总览"))
        title.setObjectName("pageTitle")
        self.hub = QLabel()
        self.hub.setObjectName("hint")
        self.hub.setWordWrap(True)

        bar = QHBoxLayout()
        today = ctx.now().date()
        self.first = QDateEdit(_qdate(today - timedelta(days=6)))
        self.last = QDateEdit(_qdate(today))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("中心库密码（已保存可不填）"))
        self.password.setToolTip(self.tr("只用于这次读取，不保存；后台同步的密码在本机数据文件夹中另存。"))
        self.refresh = QPushButton(self.tr("读取"))
        self.refresh.setObjectName("primary")
        self.refresh.clicked.connect(self.load)
        self.password.returnPressed.connect(self.load)
        self.pdf = QPushButton(self.tr("签名 PDF…"))
        self.pdf.clicked.connect(self.export_pdf)
        self.xlsx = QPushButton(self.tr("Excel…"))
        self.xlsx.clicked.connect(self.export_xlsx)
        self.password.setMinimumWidth(320)
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub, 1)
        hub_row.addWidget(self.password)
        for w in (QLabel(self.tr("从")), self.first, QLabel(self.tr("到")), self.last, self.refresh):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.pdf)
        bar.addWidget(self.xlsx)

        self.table = QTableWidget(0, len(company.headers()))
        self.table.setHorizontalHeaderLabels(company.headers())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(len(company.headers()) - 1, QHeaderView.ResizeMode.Stretch)
        self.message = error_label()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.addWidget(title)
        lay.addLayout(hub_row)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        self._show_hub()
        self._set_busy(False)

    def _show_hub(self) -> None:
        url = self.ctx.settings["hub_url"]
        self.hub.setText(self.tr("中心库：{url}").format(url=url) if url else
                         self.tr("尚未设置中心库地址：请在“设置”中填写“中心库地址”。"))
        self.refresh.setEnabled(bool(url))

    def _dates(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()

    def load(self) -> None:
        from checkpoint_app.exchange import sync

        first, last = self._dates()
        password = self.password.text() or None
        self.password.clear()     # used for this reading, never kept

        def read(ctx):
            url = ctx.settings["hub_url"]
            if password is None and sync.passfile(ctx.data_dir).exists():
                return company.overview(ctx, url, first, last, passfile=str(sync.passfile(ctx.data_dir)))
            return company.overview(ctx, url, first, last, password=password)

        if self.bg.run("company", read, self._loaded, self._failed):
            self._set_busy(True)
            say(self.message, "hint", self.tr("正在读取中心库…"))

    def _loaded(self, view) -> None:
        self._set_busy(False)
        self.view = view
        rows = company.table_rows(view)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if 2 <= c <= 7:   # the figures
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        late = len(view.unsynced)
        say(self.message, "fieldOk" if not late else "fieldError",
            self.tr("截至 {time}，{n} 行。").format(time=f"{view.as_of:%H:%M}", n=len(rows))
            + (self.tr("{n} 个门岗未同步。").format(n=late) if late else ""))
        self.loaded.emit(len(rows))

    def export_pdf(self, path: str | None = None) -> None:
        view = self.view
        self._export(path, self.tr("公司总览.pdf"), "PDF (*.pdf)", lambda ctx, out: company.write_pdf(ctx, view, out))

    def export_xlsx(self, path: str | None = None) -> None:
        view = self.view
        self._export(path, self.tr("公司总览.xlsx"), "Excel (*.xlsx)", lambda _ctx, out: company.write_xlsx(view, out))

    def _export(self, path: str | None, name: str, pattern: str, write) -> None:
        from pathlib import Path

        if self.view is None:
            say(self.message, "fieldError", self.tr("请先读取总览。"))
            return
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, name, name, pattern)
            if not path:
                return
        out = Path(path)

        def done(written) -> None:
            self._set_busy(False)
            say(self.message, "fieldOk", self.tr("已写入 {file}").format(file=written))
            self.written.emit(str(written))

        if self.bg.run("company export", lambda ctx: write(ctx, out), done, self._failed):
            self._set_busy(True)

    def _failed(self, err: BaseException) -> None:
        self._set_busy(False)
        say_refusal(self.message, err)

    def _set_busy(self, busy: bool) -> None:
        self.refresh.setEnabled(not busy and bool(self.ctx.settings["hub_url"]))
        self.pdf.setEnabled(not busy and self.view is not None)
        self.xlsx.setEnabled(not busy and self.view is not None)
