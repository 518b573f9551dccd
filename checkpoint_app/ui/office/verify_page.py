"""核验: the auditor's desk. Open or drop signed daily logs — one PDF or whole folders — and get a
table (site, gate, day, signature, unaltered, checkpoint, the verdict in one sentence) and the
gaps between days (services/audit.py). A site is registered once from its certificate file or a
picture of its registration sheet (services/trust.py, the auditor's own folder).

Everything here reads: the page has no button that changes a record, and the service it calls
checks the ``verify_documents`` permission. Verifying and reading a certificate run in the
background (office/background.py), a progress bar counting the files; the table fills when the
whole pile is done. A registered certificate's fingerprint is shown in groups and in words,
Chinese and English side by side whatever the language (domain/fingerprint_words.py ``both``), to
compare with the site's registration sheet in whichever language it was printed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QProgressBar, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from checkpoint_app import i18n
from checkpoint_app.domain import fingerprint_words
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

BAD = QColor("#b71c1c")
GOOD = QColor("#1b5e20")
CERT_FILTER = "*.cer *.crt *.pem *.der *.png *.jpg *.jpeg *.bmp"


def verify_paths(ctx: GateContext, paths: list[Path], progress=None):
    from checkpoint_app.services import audit

    return audit.verify_files(paths, ctx=ctx, progress=progress)


def register_file(path: Path):
    from checkpoint_app.services import trust

    return trust.register(trust.read_file(path))


def registered():
    from checkpoint_app.services import trust

    return trust.trusted()


class _ElideMiddle(QStyledItemDelegate):
    """File names keep their end (the kind of log) when the column is narrow."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class VerifyPage(QWidget):
    verified = Signal(object)      # services.audit.Audit
    registered = Signal(object)    # services.trust.SiteCertificate

    COLUMNS = (
        QT_TRANSLATE_NOOP("VerifyPage", "文件"),
        QT_TRANSLATE_NOOP("VerifyPage", "小区"),
        QT_TRANSLATE_NOOP("VerifyPage", "门岗"),
        QT_TRANSLATE_NOOP("VerifyPage", "日期"),
        QT_TRANSLATE_NOOP("VerifyPage", "签名"),
        QT_TRANSLATE_NOOP("VerifyPage", "未改动"),
        QT_TRANSLATE_NOOP("VerifyPage", "核验码"),
        QT_TRANSLATE_NOOP("VerifyPage", "文件名"),    # the name says what the file holds (✗: renamed)
        QT_TRANSLATE_NOOP("VerifyPage", "结论"),
    )
    MARKS = range(4, 8)      # the columns of ✓ / ✗ / –
    NAME = 7

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.result = None
        self.setAcceptDrops(True)
        title = QLabel(self.tr("核验"))
        title.setObjectName("pageTitle")

        self.open_files_button = QPushButton(self.tr("打开文件…"))
        self.open_files_button.clicked.connect(self.ask_files)
        self.open_folder_button = QPushButton(self.tr("打开文件夹…"))
        self.open_folder_button.clicked.connect(self.ask_folder)
        self.register_button = QPushButton(self.tr("登记小区证书…"))
        self.register_button.clicked.connect(self.ask_certificate)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_files_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)

        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.message = error_label()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("VerifyPage", c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(0, _ElideMiddle(self.table))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in range(1, len(self.COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)   # long names: elided in the middle
        header.resizeSection(0, 190)
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_verdict(row))
        # the whole verdict of the chosen row (the table's column shows its start)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.gaps_title = QLabel(self.tr("日志之间的缺口"))
        self.gaps_title.setObjectName("hint")
        self.gaps = QListWidget()
        self.gaps.setWordWrap(True)
        self.gaps.setMaximumHeight(120)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addLayout(buttons)
        lay.addWidget(self.hint)
        lay.addWidget(self.message)
        lay.addWidget(self.progress)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.verdict)
        lay.addWidget(self.gaps_title)
        lay.addWidget(self.gaps)
        self._refresh_sites()

    # -- choosing files -----------------------------------------------------------------------------
    def _dialog(self, title: str, mode, name_filter: str, done) -> None:
        dialog = QFileDialog(self, title)
        dialog.setFileMode(mode)
        if name_filter:
            dialog.setNameFilter(name_filter)
        dialog.filesSelected.connect(lambda files: done([Path(f) for f in files]))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()          # not exec(): the event loop (and the gate's scans) keep running
        self._open_dialog = dialog

    def ask_files(self) -> None:
        self._dialog(self.tr("打开日志 PDF"), QFileDialog.FileMode.ExistingFiles,
                     self.tr("PDF 文件 (*.pdf)"), self.verify)

    def ask_folder(self) -> None:
        self._dialog(self.tr("打开日志文件夹"), QFileDialog.FileMode.Directory, "", self.verify)

    def ask_certificate(self) -> None:
        self._dialog(self.tr("登记小区证书"), QFileDialog.FileMode.ExistingFile,
                     self.tr("证书或登记单照片 ({filter})").format(filter=CERT_FILTER),
                     lambda files: self.register(files[0]) if files else None)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.verify(paths)

    # -- verifying ------------------------------------------------------------------------------------
    def verify(self, paths: list[Path]) -> None:
        if not paths:
            return
        say(self.message, "fieldOk", self.tr("正在核验…"))
        if self.bg.run("verify", lambda c, progress: verify_paths(c, paths, progress), self._verified,
                       self._failed, progress=self._progress):
            self._busy(True)
            self.progress.setRange(0, 0)       # busy until the files are counted
            self.progress.setFormat("")
            self.progress.setVisible(True)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {text}")

    def _verified(self, result) -> None:
        self._busy(False)
        self.result = result
        self.table.setRowCount(0)
        self.table.setRowCount(len(result.files))
        for row, f in enumerate(result.files):
            # the path inside the folder opened: pc1/X.pdf and pc2/X.pdf are two files
            cells = (result.shown(f.path), f.site, f.gate, f.day, self._mark(f.signature_ok), self._mark(f.unaltered),
                     self._mark(f.checkpoint_ok), self._mark(f.name_ok), f.message)
            misnamed = f.name_ok is False    # authentic, but under another day's, gate's or site's name
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(f.path) if col == 0 else text)
                if col in self.MARKS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if col >= 4 and text != "✓":
                    item.setForeground(QBrush(BAD if not f.ok else GOOD))
                if misnamed and col in (0, self.NAME):
                    item.setForeground(QBrush(BAD))
                    item.setToolTip(f"{item.toolTip()}\n{f.message}" if col == 0 else f.message)
                self.table.setItem(row, col, item)
        self._fit_file_column()
        # the first that fails, else the first under a name that says something else: its sentence shown
        failing = next((r for r, f in enumerate(result.files) if not f.ok),
                       next((r for r, f in enumerate(result.files) if f.name_ok is False), 0))
        if result.files:
            self.table.setCurrentCell(failing, 0)
            # in view, once the new rows are laid out (a scroll now would stop at the old range)
            QTimer.singleShot(0, self, self._scroll_to_current)
        self._show_verdict(failing)
        self.gaps.clear()
        for gap in result.gaps:
            self.gaps.addItem(gap.message)
            self.gaps.item(self.gaps.count() - 1).setForeground(QBrush(BAD))
        if not result.gaps:
            self.gaps.addItem(self.tr("没有缺口：各门岗的日志逐日衔接。") if result.files else "")
        bad = sum(not f.ok for f in result.files)
        misnamed = sum(f.name_ok is False for f in result.files)
        if not result.files:
            say(self.message, "fieldError", self.tr("没有找到 PDF 文件。"))
        elif result.ok:
            # i18n.fill: the English says "1 file", "2 files" ({n:file|files})
            say(self.message, "fieldOk", i18n.fill(self.tr("{n} 个文件全部真实有效，日志之间没有缺口。"),
                                                   n=len(result.files)))
        else:
            say(self.message, "fieldError", i18n.fill(self.tr("{n} 个文件中 {bad} 个未通过核验，缺口 {gaps} 处。"),
                                                      n=len(result.files), bad=bad, gaps=len(result.gaps)))
        if misnamed and result.files:
            self.message.setText(self.message.text() + i18n.fill(
                self.tr("其中 {n} 个文件的文件名与内容不符（见“文件名”列）。"), n=misnamed))
        self.verified.emit(result)

    def _fit_file_column(self) -> None:
        """The whole path where there is room (1366 px), else elided in the middle: at most a third
        of the table, and the verdict keeps a readable start."""
        table = self.table
        table.resizeColumnToContents(0)
        others = sum(table.columnWidth(c) for c in range(1, table.columnCount() - 1))
        room = min(table.viewport().width() // 3, table.viewport().width() - others - 300)
        table.horizontalHeader().resizeSection(0, max(190, min(table.columnWidth(0), room)))

    def _scroll_to_current(self) -> None:
        if (item := self.table.currentItem()) is not None:
            # in the middle: the sentence shown under the table may take a line from it
            self.table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _show_verdict(self, row: int) -> None:
        files = self.result.files if self.result is not None else ()
        if not 0 <= row < len(files):
            self.verdict.clear()
            return
        f = files[row]
        details = [p.message for p in f.problems[1:]]
        self.verdict.setText("\n".join([self.tr("{file}：{verdict}").format(file=self.result.shown(f.path),
                                                                             verdict=f.message),
                                         *details]))
        self.verdict.setStyleSheet(f"color: {(GOOD if f.ok else BAD).name()}; font-size: 17px;")

    def _mark(self, value: bool | None) -> str:
        return "–" if value is None else ("✓" if value else self.tr("✗"))

    # -- registering a site ------------------------------------------------------------------------
    def register(self, path: Path) -> None:
        say(self.message, "fieldOk", self.tr("正在读取证书…"))
        if self.bg.run("register", lambda _c: register_file(Path(path)), self._registered, self._failed):
            self._busy(True)

    def _registered(self, cert) -> None:
        self._busy(False)
        say(self.message, "fieldOk", self.tr("已登记 {site} 的证书。请与登记单逐组核对指纹：{fp}").format(
            site=cert.label, fp=cert.grouped) + "\n" + self.tr("或逐词核对指纹读法：") + "\n" + "\n".join(
            f"{' '.join(zh.split())}\u3000\u3000{en}"       # narrow spaces: a pair of lines fits at 1024 px
            for zh, en in zip(*fingerprint_words.both(cert.fingerprint).values())))
        self._refresh_sites()
        self.registered.emit(cert)

    def _refresh_sites(self) -> None:
        """The registered sites under the buttons (read in the background: parsing certificates
        loads ``cryptography``, which takes longer than a click may)."""
        self.bg.run("sites", lambda _c: registered(), self._show_sites)

    def _show_sites(self, sites) -> None:
        if sites:
            names = "；".join(f"{c.label} {c.short}…" for c in sites)
            text = self.tr("已登记的小区证书：{sites}。").format(sites=names)
        else:
            text = self.tr("本机尚未登记其他小区的证书：请用“登记小区证书…”导入证书文件或登记单照片。")
        space = "" if text.endswith("。") else " "          # Chinese sentences follow without a space
        self.hint.setText(text + space + self.tr("可把日志 PDF 或整个文件夹拖到此页。"))

    # -- shared ---------------------------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.progress.setVisible(False)
        for button in (self.open_files_button, self.open_folder_button, self.register_button):
            button.setEnabled(not busy)
