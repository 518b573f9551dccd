"""数据库检查: the whole check on request, with progress and a cancel, in the background.

At every start the gate checks only what is new since each chain's verified mark (services/
health.py); this page runs the whole check — SQLite's integrity check of every page and every
record of every gate recomputed (services/integrity.py) — which takes minutes on a file of
millions of passages, and says when each kind of check last passed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
from PySide6.QtCore import Signal

from checkpoint_app.services import integrity
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label


class CheckPage(QWidget):
    checked = Signal(object)       # integrity.VerifyReport
    cancelled = Signal()

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.job = None
        title = QLabel(self.tr("数据库检查"))
        title.setObjectName("pageTitle")
        about = QLabel(self.tr("每次启动时，门岗只检查上次校验以来新增的记录。完整检查会读取整个数据库文件并重新计算"
                               "每一条记录的哈希和链接，记录很多时需要几分钟；检查期间可以照常登记。"))
        about.setObjectName("hint")
        about.setWordWrap(True)
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.start_button = QPushButton(self.tr("开始完整检查"))
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.message = error_label()
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addWidget(about)
        lay.addWidget(self.last)
        lay.addLayout(buttons)
        lay.addWidget(self.bar)
        lay.addWidget(self.message)
        lay.addStretch(1)
        self._read_last()

    def _read_last(self) -> None:
        self.bg.run("last verified", integrity.last_verified, self._show_last)

    def _show_last(self, last) -> None:
        checked, full = last
        never = self.tr("从未")
        self.last.setText(self.tr("上次校验（启动检查或完整检查）：{checked}\n上次完整检查：{full}").format(
            checked=(checked or never)[:16].replace("T", " "), full=(full or never)[:16].replace("T", " ")))

    def start(self) -> None:
        say(self.message, "fieldOk", self.tr("正在检查…"))
        self.bar.setRange(0, 0)          # SQLite's own check first: no count to show
        self.bar.setVisible(True)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = self.bg.track("database check", lambda ctx, progress: integrity.verify_database(ctx, progress=progress),
                                 done=self._done, progress=self._progress, cancelled=self._cancelled,
                                 failed=self._failed)

    def cancel(self) -> None:
        if self.job is not None:
            self.cancel_button.setEnabled(False)
            self.job.cancel()

    def _progress(self, done: int, total: int, _text: str) -> None:
        if total > 1:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(self.tr("已重新计算 %v / %m 条记录"))

    def _finish(self) -> None:
        self.job = None
        self.bar.setVisible(False)
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, report) -> None:
        self._finish()
        if report.ok:
            say(self.message, "fieldOk", self.tr("数据库完整：{n} 条记录，{g} 个门岗的哈希链均有效。").format(
                n=report.records, g=len(report.origins)))
        else:
            say(self.message, "fieldError", "\n".join(report.problems[:5]))
        self._read_last()
        self.checked.emit(report)

    def _cancelled(self) -> None:
        self._finish()
        say(self.message, "fieldOk", self.tr("检查已取消，数据库未改动。"))
        self.cancelled.emit()

    def _failed(self, err: BaseException) -> None:
        self._finish()
        say_refusal(self.message, err)

    def shutdown(self) -> None:
        self.cancel()
