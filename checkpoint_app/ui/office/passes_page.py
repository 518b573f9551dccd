"""出入证: issue cards (to everyone without a valid one, or to the households selected in the
list), re-issue a lost card by its number (the old one stops working at once), revoke with a
reason; the card sheet in a preview, printed.

Card making runs in a child process (services/pass_cards.py) watched from the background, printing
in the background (background.py); neither can be started twice.
The page knows which cards (number and version) the sheet in the preview holds: once one of them is
revoked or replaced (here, or on another PC of the office), the preview says so and the sheet is not
printed; 重新制作 makes a sheet of the cards valid now for the same numbers (nothing issued).
The sheet is written to ``<data folder>/cards/``; printing renders its pages (QtPdf) in a child
process (pdf_bands.py) and paints them, in a worker thread, onto the printer chosen in
``QPrintDialog`` — QPainter may paint on a QPrinter outside the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, QSortFilterProxyModel, QStringListModel, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListView, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from checkpoint_app.domain.passcode import format_pass_number
from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

CARDS_SUBDIR = "cards"
translate = QCoreApplication.translate
PRINT_BANDS = 32         # rendered in this many strips per page: each is painted in ~15 ms
PRINT_DPI = 300          # the sheet is rendered at most this fine (a 1200 dpi A4 page would be 550 MB)


def sheet_path(ctx: GateContext) -> Path:
    return ctx.data_dir / CARDS_SUBDIR / f"cards-{ctx.now():%Y%m%d-%H%M%S}.pdf"


def make_cards(ctx: GateContext, progress=None, *, households: list[str] | None = None, reissue: bool = False,
               lost: str | None = None):
    """Issue (or re-issue) and print the cards into a new sheet, in a child process (see
    services/pass_cards.py): the ``CardSheet`` (its path None when nobody needed a card)."""
    from checkpoint_app.services import pass_cards

    return pass_cards.issue_and_print_apart(ctx, sheet_path(ctx), households=households, reissue=reissue,
                                            lost=lost, progress=progress)


def remake_cards(ctx: GateContext, progress, numbers: list[int]):
    """A new sheet of the cards valid now for ``numbers`` (nothing issued): the ``CardSheet``."""
    from checkpoint_app.services import pass_cards

    return pass_cards.reprint_apart(ctx, sheet_path(ctx), numbers, progress=progress)


def print_pdf(path: Path, printer) -> int:
    """Every page of ``path`` onto ``printer`` at its resolution (at most ``PRINT_DPI``); the
    number of pages. The pages are rendered in a child process (pdf_bands.py): this thread (a
    worker's) only paints each band, a short call, so the GUI thread never waits long for the GIL."""
    from contextlib import closing

    from PySide6.QtGui import QImage, QPainter

    from checkpoint_app.ui.office.pdf_bands import render_apart

    painter = QPainter()
    pages, target, scale = 0, None, 1.0
    try:
        with closing(render_apart(path, min(printer.resolution(), PRINT_DPI), PRINT_BANDS)) as bands:
            for message in bands:
                if message[0] == "unreadable":
                    raise UserError(translate("PassesPage", "无法读取 {file}。").format(file=path.name))
                if message[0] == "page":
                    if pages:
                        printer.newPage()
                    elif not painter.begin(printer):
                        raise UserError(translate("PassesPage", "打印机无法开始打印。"))
                    pages += 1
                    target = printer.pageLayout().fullRectPixels(printer.resolution())
                    scale = target.height() / message[3]
                else:
                    _band, top, width, height, per_line, pixels = message
                    image = QImage(pixels, width, height, per_line, QImage.Format.Format_ARGB32)
                    painter.drawImage(QRectF(0, top * scale, target.width(), height * scale), image)
    finally:
        if painter.isActive():
            painter.end()
    return pages


def ask_printer(parent: QWidget, print_to: Callable[[object], None]):
    """The printer dialog, window-modal and shown (not exec: the event loop, and the gate's scans,
    keep running); ``print_to(printer)`` once accepted. A test or a PC without a printer picks
    "print to file" (a PDF) in it, as a person would. Keep the returned dialog alive."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.accepted.connect(lambda: print_to(printer))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


class PassesPage(QWidget):
    sheetShown = Signal(str)       # the card sheet in the preview
    printed = Signal(int)          # pages sent to the printer
    revoked = Signal(int)          # the pass number
    householdsLoaded = Signal(int)

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.sheet: Path | None = None
        self.sheet_cards: tuple = ()       # the SheetCards on it (services/pass_cards.py)
        self.stale: list[str] = []         # the numbers on it that are no longer the valid card
        self._dialog = None
        title = QLabel(self.tr("出入证"))
        title.setObjectName("pageTitle")

        # Left: the households (filter, select several), issuing, one card's re-issue and revoke.
        self.filter = QLineEdit()
        self.filter.setObjectName("officeSearch")
        self.filter.setPlaceholderText(self.tr("筛选房号，如 3-2"))
        self.filter.setClearButtonEnabled(True)
        self.households = QStringListModel(self)
        self.shown_households = QSortFilterProxyModel(self)
        self.shown_households.setSourceModel(self.households)
        self.filter.textChanged.connect(self.shown_households.setFilterFixedString)
        self.list = QListView()
        self.list.setModel(self.shown_households)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.selectionModel().selectionChanged.connect(self._selection_changed)
        self.issue_selected_button = QPushButton(self.tr("为选中的户发证"))
        self.issue_selected_button.setObjectName("primary")
        self.issue_selected_button.setEnabled(False)
        self.issue_selected_button.clicked.connect(lambda: self.issue(selected=True))
        self.issue_button = QPushButton(self.tr("为全部无有效证者发证"))
        self.issue_button.clicked.connect(lambda: self.issue(selected=False))
        self.reissue_box = QCheckBox(self.tr("已有有效证的也换新卡"))

        cards = QGridLayout()
        cards.addWidget(QLabel(self.tr("证号")), 0, 0)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("如 000123"))
        cards.addWidget(self.number, 0, 1)
        self.reissue_button = QPushButton(self.tr("补办（旧卡立即失效）"))
        self.reissue_button.clicked.connect(self.reissue_lost)
        cards.addWidget(self.reissue_button, 1, 0, 1, 2)
        cards.addWidget(QLabel(self.tr("原因")), 2, 0)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("作废原因（必填）"))
        cards.addWidget(self.reason, 2, 1)
        self.revoke_button = QPushButton(self.tr("作废"))
        self.revoke_button.clicked.connect(self.revoke)
        self.reason.returnPressed.connect(self.revoke_button.click)      # Enter in the reason: 作废
        cards.addWidget(self.revoke_button, 3, 0, 1, 2)
        cards.setColumnStretch(1, 1)
        self.message = error_label()
        self.progress = QProgressBar()
        self.progress.setVisible(False)

        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(self.filter)
        left.addWidget(self.list, 1)
        left.addWidget(self.reissue_box)
        left.addWidget(self.issue_selected_button)
        left.addWidget(self.issue_button)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        left.addWidget(line)
        left.addLayout(cards)
        left.addWidget(self.progress)
        left.addWidget(self.message)
        side = QWidget()
        side.setLayout(left)
        side.setMinimumWidth(280)
        side.setMaximumWidth(360)

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
        self.remake_button = QPushButton(self.tr("重新制作"))
        self.remake_button.setVisible(False)
        self.remake_button.clicked.connect(self.remake)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sheet_label, 1)
        bottom.addWidget(self.remake_button)
        bottom.addWidget(self.print_button)
        right = QVBoxLayout()
        right.addWidget(self.view, 1)
        right.addLayout(bottom)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(side)
        lay.addLayout(right, 1)
        self._loaded = False

    # -- the households -------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()
        elif self.sheet is not None and not self.stale:
            self.check_sheet()            # a card on it may have been revoked elsewhere meanwhile

    def reload(self) -> None:
        from checkpoint_app.domain.text import natural_key
        from checkpoint_app.services import residents

        def job(c):
            roster = residents.office_roster(c)
            return sorted({r.household for r in roster.residents if r.active}, key=natural_key)

        self.bg.run("households", job, self._households_arrived)

    def _households_arrived(self, labels: list[str]) -> None:
        self.households.setStringList(labels)
        self.householdsLoaded.emit(len(labels))

    def selected_households(self) -> list[str]:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedRows())
        return [self.shown_households.index(r, 0).data() for r in rows]

    def select_households(self, labels: list[str]) -> None:
        """Select these households in the list (as ctrl-clicks would)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for row in range(self.shown_households.rowCount()):
            index = self.shown_households.index(row, 0)
            if index.data() in labels:
                selection.select(index, index)
        self.list.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _selection_changed(self, *_args) -> None:
        n = len(self.list.selectionModel().selectedRows())
        self.issue_selected_button.setText(self.tr("为选中的 {n} 户发证").format(n=n) if n
                                           else self.tr("为选中的户发证"))
        self.issue_selected_button.setEnabled(bool(n) and not self.bg.busy("cards"))

    # -- issuing ----------------------------------------------------------------------------------
    def issue(self, *, selected: bool) -> None:
        households = self.selected_households() if selected else None
        if selected and not households:
            say(self.message, "fieldError", self.tr("请先在列表中选中房屋。"))
            return
        self._make(households=households, reissue=self.reissue_box.isChecked())

    def reissue_lost(self) -> None:
        number = self.number.text().strip()
        if not number:
            say(self.message, "fieldError", self.tr("请填写丢失的出入证号。"))
            return
        self._make(lost=number)

    def _make(self, **what) -> None:
        say(self.message, "fieldOk", self.tr("正在制作出入证…"))
        made = self._reissued if what.get("lost") else self._made
        if self.bg.run("cards", lambda c, p: make_cards(c, p, **what), made, self._failed, self._progress):
            self._busy(True)
            self.progress.setRange(0, 0)
            self.progress.setVisible(True)

    def _progress(self, done: int, total: int, step: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat({"issue": self.tr("发证…"), "print": self.tr("排版、签名…")}.get(step, "%p%"))

    def _made(self, made) -> None:
        self._busy(False)
        if not made.count:
            say(self.message, "fieldOk", self.tr("没有需要发证的住户：都已持有有效出入证。"))
            return
        say(self.message, "fieldOk", self.tr("已发出 {n} 张出入证。").format(n=made.count))
        self.show_sheet(made.path, made.cards)

    def _reissued(self, made) -> None:
        self._busy(False)
        card = made.cards[0]
        say(self.message, "fieldOk", self.tr("已为 {household} {name}补办出入证 {number}（第 {version} 版）；"
                                             "旧卡即刻起在门岗被拒。").format(
            household=card.household, name=card.name, number=card.label, version=card.version))
        self.show_sheet(made.path, made.cards)

    def _remade(self, made) -> None:
        self._busy(False)
        if not made.count:
            say(self.message, "fieldError", self.tr("此版面上的出入证都已作废，没有可打印的。"))
            say(self.sheet_label, "hint", self.tr("发证后，出入证版面显示在这里。"))
            self.document.close()
            self.sheet, self.sheet_cards, self.stale = None, (), []
            self.remake_button.setVisible(False)
            self._busy(False)
            return
        say(self.message, "fieldOk", self.tr("已重新制作：{n} 张有效的出入证。").format(n=made.count))
        self.show_sheet(made.path, made.cards)

    def show_sheet(self, path: Path, cards=()) -> None:
        self.sheet, self.sheet_cards, self.stale = path, tuple(cards), []
        self.document.load(str(path))
        say(self.sheet_label, "hint", self.tr("已保存：{path}").format(path=path))
        self.remake_button.setVisible(False)
        self.print_button.setEnabled(True)
        self.sheetShown.emit(str(path))

    # -- a sheet whose cards are no longer valid ----------------------------------------------------
    def remake(self) -> None:
        numbers = [card.number for card in self.sheet_cards]
        if not numbers:
            return
        say(self.message, "fieldOk", self.tr("正在制作出入证…"))
        if self.bg.run("cards", lambda c, p: remake_cards(c, p, numbers), self._remade, self._failed,
                       self._progress):
            self._busy(True)
            self.progress.setRange(0, 0)
            self.progress.setVisible(True)

    def _mark_stale(self, labels: list[str]) -> None:
        """The sheet holds cards that are no longer valid: said in red under the preview, beside
        打印… (off) and 重新制作; printing it is refused until it is made again."""
        self.stale = labels
        shown = self.tr("、", "between numbers").join(labels[:3]) + ("…" if len(labels) > 3 else "")
        sentence = self.tr("此版面上有 {n} 张出入证（{numbers}）已作废或已换新卡，不能再打印，请点“重新制作”。").format(
            n=len(labels), numbers=shown)
        say(self.sheet_label, "fieldError", sentence)
        self.remake_button.setVisible(True)
        self._busy(self.bg.busy("cards") or self.bg.busy("print"))

    def check_sheet(self, then: Callable[[], None] | None = None) -> None:
        """Whether each card on the sheet is still the valid one (one read, in the background);
        ``then()`` when they all are."""
        from checkpoint_app.services import passes

        cards = [(card.number, card.version) for card in self.sheet_cards]
        sheet = self.sheet

        def checked(gone: list[tuple[int, int]]) -> None:
            if self.sheet != sheet:              # another sheet was made meanwhile
                return
            if gone:
                self._mark_stale([format_pass_number(n) for n, _v in gone])
            elif then is not None:
                then()

        if cards:
            self.bg.run("check", lambda c: passes.no_longer_valid(c, cards), checked, self._failed)
        elif then is not None:
            then()

    # -- printing ---------------------------------------------------------------------------------
    def ask_print(self) -> None:
        """The printer dialog, once every card on the sheet is known to be still valid."""
        if self.stale:
            self._mark_stale(self.stale)
            return
        self.check_sheet(then=lambda: setattr(self, "_dialog", ask_printer(self, self.print_to)))

    def print_to(self, printer) -> None:
        sheet = self.sheet
        if sheet is None or self.stale:
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
        self.progress.setVisible(False)
        self._busy(False)
        self.number.clear()
        self.reason.clear()
        say(self.message, "fieldOk", self.tr("出入证 {n} 已作废，立即失效。").format(n=format_pass_number(record.number)))
        self.revoked.emit(record.number)
        if any(card.number == record.number for card in self.sheet_cards):
            self._mark_stale([format_pass_number(record.number)])

    # -- shared -----------------------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        for button in (self.issue_button, self.reissue_button, self.revoke_button):
            button.setEnabled(not busy)
        self.issue_selected_button.setEnabled(not busy and bool(self.list.selectionModel().selectedRows()))
        self.print_button.setEnabled(not busy and self.sheet is not None and not self.stale)
        self.remake_button.setEnabled(not busy)
        if not busy:
            self.progress.setVisible(False)

    def shutdown(self) -> None:
        self.document.close()
