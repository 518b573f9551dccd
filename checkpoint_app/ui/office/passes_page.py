"""出入证: issue cards (to everyone without a valid one, or to one household), re-issue a lost card
(the old one stops working at once), revoke with a reason; the card sheet in a preview, printed.

Card making and printing run in the background (background.py) and cannot be started twice.
The sheet is written to ``<data folder>/cards/``; printing renders its pages (QtPdf) onto the
printer chosen in ``QPrintDialog`` — QPainter may paint on a QPrinter outside the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

CARDS_SUBDIR = "cards"
translate = QCoreApplication.translate
PRINT_BANDS = 12         # rendered in this many strips per page
PRINT_DPI = 300          # the sheet is rendered at most this fine (a 1200 dpi A4 page would be 550 MB)


def sheet_path(ctx: GateContext) -> Path:
    return ctx.data_dir / CARDS_SUBDIR / f"cards-{ctx.now():%Y%m%d-%H%M%S}.pdf"


def make_cards(ctx: GateContext, household: str, *, reissue: bool) -> tuple[int, Path]:
    """Issue (or re-issue) and print the cards into a new sheet: (how many, the sheet)."""
    from checkpoint_app.services import passes

    issued = passes.issue_passes(ctx, household=household or None, all_residents=not household, reissue=reissue)
    if not issued:
        return 0, Path()
    from checkpoint_app.services import pass_cards    # reportlab and pyHanko: only when printing

    return len(issued), pass_cards.print_pass_cards(ctx, issued, sheet_path(ctx))


def print_pdf(path: Path, printer) -> int:
    """Every page of ``path`` onto ``printer`` at its resolution; the number of pages."""
    from PySide6.QtGui import QPainter

    document = QPdfDocument(None)
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise UserError(translate("PassesPage", "无法读取 {file}。").format(file=path.name))
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(translate("PassesPage", "打印机无法开始打印。"))
    pages = document.pageCount()
    try:
        dpi = min(printer.resolution(), PRINT_DPI)
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        for page in range(pages):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            # In bands: QtPdf keeps the GIL while it renders, and the GUI thread must not wait long.
            band = -(-size.height() // PRINT_BANDS)
            scale = target.height() / size.height()
            for top in range(0, size.height(), band):
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(size)
                options.setScaledClipRect(QRect(0, top, size.width(), min(band, size.height() - top)))
                image = document.render(page, QSize(size.width(), min(band, size.height() - top)), options)
                painter.drawImage(QRectF(0, top * scale, target.width(), image.height() * scale), image)
    finally:
        painter.end()
        document.close()
    return pages


class PassesPage(QWidget):
    sheetShown = Signal(str)       # the card sheet in the preview
    printed = Signal(int)          # pages sent to the printer
    revoked = Signal(int)          # the pass number

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.sheet: Path | None = None
        title = QLabel(self.tr("出入证"))
        title.setObjectName("pageTitle")

        form = QGridLayout()
        form.addWidget(QLabel(self.tr("房号")), 0, 0)
        self.household = QLineEdit()
        self.household.setPlaceholderText(self.tr("如 3-2-501；留空为全部住户"))
        form.addWidget(self.household, 0, 1)
        self.issue_button = QPushButton(self.tr("发证（无有效证者）"))
        self.issue_button.setObjectName("primary")
        self.issue_button.clicked.connect(lambda: self.issue(reissue=False))
        form.addWidget(self.issue_button, 0, 2)
        self.reissue_button = QPushButton(self.tr("补办（旧卡立即失效）"))
        self.reissue_button.clicked.connect(lambda: self.issue(reissue=True))
        form.addWidget(self.reissue_button, 0, 3)
        form.addWidget(QLabel(self.tr("证号")), 1, 0)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("作废的出入证号"))
        form.addWidget(self.number, 1, 1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("作废原因（必填）"))
        form.addWidget(self.reason, 1, 2)
        self.revoke_button = QPushButton(self.tr("作废"))
        self.revoke_button.clicked.connect(self.revoke)
        form.addWidget(self.revoke_button, 1, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(2, 1)
        self.message = error_label()

        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.sheet_label = QLabel(self.tr("发证后，出入证版面显示在这里。"))
        self.sheet_label.setObjectName("hint")
        self.sheet_label.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.ask_print)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sheet_label, 1)
        bottom.addWidget(self.print_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)

    # -- issuing ----------------------------------------------------------------------------------
    def issue(self, *, reissue: bool) -> None:
        household = self.household.text().strip()
        say(self.message, "fieldOk", self.tr("正在制作出入证…"))
        if self.bg.run("cards", lambda c: make_cards(c, household, reissue=reissue), self._made, self._failed):
            self._busy(True)

    def _made(self, made) -> None:
        self._busy(False)
        count, path = made
        if not count:
            say(self.message, "fieldOk", self.tr("没有需要发证的住户：都已持有有效出入证。"))
            return
        say(self.message, "fieldOk", self.tr("已发出 {n} 张出入证。").format(n=count))
        self.show_sheet(path)

    def show_sheet(self, path: Path) -> None:
        self.sheet = path
        self.document.load(str(path))
        self.sheet_label.setText(self.tr("已保存：{path}").format(path=path))
        self.print_button.setEnabled(True)
        self.sheetShown.emit(str(path))

    # -- printing ---------------------------------------------------------------------------------
    def ask_print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()          # not exec(): the event loop (and the gate's scans) keep running
        self._dialog = dialog

    def print_to(self, printer) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        if self.bg.run("print", lambda _c: print_pdf(sheet, printer), self._printed, self._failed):
            self._busy(True)
            say(self.message, "fieldOk", self.tr("正在打印…"))

    def _printed(self, pages: int) -> None:
        self._busy(False)
        say(self.message, "fieldOk", self.tr("已送打印：{n} 页。").format(n=pages))
        self.printed.emit(pages)

    # -- revoking ---------------------------------------------------------------------------------
    def revoke(self) -> None:
        from checkpoint_app.services import passes

        number, reason = self.number.text().strip(), self.reason.text().strip()
        if self.bg.run("revoke", lambda c: passes.revoke_pass(c, number, reason), self._revoked, self._failed):
            self._busy(True)

    def _revoked(self, record) -> None:
        self._busy(False)
        self.number.clear()
        self.reason.clear()
        say(self.message, "fieldOk", self.tr("出入证 {n} 已作废，立即失效。").format(n=record.number))
        self.revoked.emit(record.number)

    # -- shared -----------------------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        for button in (self.issue_button, self.reissue_button, self.revoke_button):
            button.setEnabled(not busy)
        self.print_button.setEnabled(not busy and self.sheet is not None)

    def shutdown(self) -> None:
        self.document.close()
