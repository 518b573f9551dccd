"""The two buttons a home-quarantine page prints its document with: a signed PDF and an .xlsx,
written in the background into ``<data folder>/reports/`` and named under the page's form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal

REPORTS_SUBDIR = "reports"
translate = QCoreApplication.translate


def write(ctx: GateContext, make_data: Callable[[GateContext], object], xlsx: bool) -> Path:
    from checkpoint_app.services import home_documents

    data = make_data(ctx)
    folder = ctx.data_dir / REPORTS_SUBDIR
    if xlsx:
        stamp = f"{ctx.now():%Y%m%d-%H%M%S}"
        return home_documents.write_xlsx(ctx, data, folder / f"{data.day.isoformat()}_{data.kind}_{stamp}.xlsx")
    return home_documents.write_document(ctx, data, folder)


class DocumentButtons(QObject):
    written = Signal(str)

    def __init__(self, bg: Background, message: QLabel, make_data: Callable[[GateContext], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bg, self.message, self.make_data = bg, message, make_data
        self.pdf = QPushButton(translate("HomeDocuments", "打印（PDF）"))
        self.xlsx = QPushButton(translate("HomeDocuments", "导出 Excel"))
        self.pdf.clicked.connect(lambda: self.start(False))
        self.xlsx.clicked.connect(lambda: self.start(True))

    def layout(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pdf)
        row.addWidget(self.xlsx)
        return row

    def start(self, xlsx: bool) -> None:
        make = self.make_data
        if self.bg.run("document", lambda c: write(c, make, xlsx), self._done, self._failed):
            self._busy(True)
            say(self.message, "fieldOk", translate("HomeDocuments", "正在生成…"))

    def _done(self, path: Path) -> None:
        self._busy(False)
        say(self.message, "fieldOk", translate("HomeDocuments", "已保存：{path}").format(path=path))
        self.written.emit(str(path))

    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        self.pdf.setEnabled(not busy)
        self.xlsx.setEnabled(not busy)
