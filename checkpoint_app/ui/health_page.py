"""The database cannot be used as it is: say so in one sentence, show what can be shown, offer the
one-click restore. Never repairs anything (services/health.py).

A full-window page. The sentence is the health check's own. When the file can still be read
(damaged but readable, tampered, read-only media, locked) the board shows today's records from a
read-only connection; scanning is off and the page says why (and that a scan now is not
recorded). The restore puts the newest good backup in place and keeps the current file aside
(services/backup.py); it asks for the password of an admin or manager *of the backup* (the
current file may be too damaged to hold its users).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.gate.board import BoardWidget
from checkpoint_app.ui.shared.sign_on import _secret_field
from checkpoint_app.ui.shared.panel_header import add_panel_header

_DAMAGE = ("corrupt", "unreadable", "tampered", "missing", "too_new")


class HealthPage(QWidget):
    restoreRequested = Signal(str, str)      # name, password
    retryRequested = Signal()
    setupRequested = Signal()

    def __init__(self, data_dir: Path, report, clock: Callable[[], datetime], *, board_threaded: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.report = report
        self._clock = clock
        self._board_threaded = board_threaded
        self.scans_refused = 0
        self.setObjectName("gatePage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 6)
        lay.setSpacing(6)
        head = QWidget()
        head.setObjectName("healthHead")
        head.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        head_lay = QVBoxLayout(head)
        head_lay.setContentsMargins(28, 14, 28, 14)
        head_lay.setSpacing(4)
        self.title = QLabel(self._title(report.state))
        self.title.setObjectName("healthTitle")
        head_lay.addWidget(self.title)
        # One paragraph: SQLite's own detail inside the sentence may carry line breaks.
        self.message = QLabel(" ".join(report.message.split()))
        self.message.setObjectName("healthMessage")
        self.message.setWordWrap(True)
        head_lay.addWidget(self.message)
        self.scanning = QLabel(self._scanning_text())
        self.scanning.setObjectName("healthScanning")
        self.scanning.setWordWrap(True)
        head_lay.addWidget(self.scanning)
        lay.addWidget(head)

        body = QHBoxLayout()
        body.setContentsMargins(8, 0, 8, 0)
        body.setSpacing(8)
        body.addWidget(self._actions(), 57)
        self.board: BoardWidget | None = None
        self._body = body
        if report.readable:
            self.open_board()
        else:
            body.addWidget(self._no_board(), 43)
        lay.addLayout(body, 1)

    def _title(self, state: str) -> str:
        return {"corrupt": self.tr("数据库已损坏：只读"), "unreadable": self.tr("数据库已损坏，无法打开"),
                "tampered": self.tr("记录与哈希不符：只读"), "too_new": self.tr("数据库来自更新版本的程序"),
                "read_only": self.tr("数据库只读"), "locked": self.tr("数据库被占用"),
                "missing": self.tr("找不到数据库")}.get(state, self.tr("数据库不可用"))

    def _scanning_text(self) -> str:
        text = self.tr("扫码已停用：本门岗现在不能登记出入。请在纸质台账上手工登记，")
        text += self.tr("恢复后补录。") if self.report.can_restore else self.tr("并联系管理员。")
        return text

    def _actions(self) -> QWidget:
        box = QWidget()
        box.setObjectName("panel")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(24, 14, 24, 14)
        lay.setSpacing(8)
        self.name = self.password = self.restore_button = None
        best = self.report.newest_backup
        if best is not None and self.report.state in _DAMAGE:
            add_panel_header(lay, self.tr("恢复最近的完好备份"),
                             self.tr("备份 {file}\n{when} 备份，含本门岗记录至第 {seq} 条。当前文件会保留在旁边，不会删除。")
                             .format(file=best.path.name, when=f"{best.taken_at:%Y-%m-%d %H:%M}", seq=best.head_seq))
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.addWidget(QLabel(self.tr("管理员姓名")), 0, 0)
            self.name = QLineEdit()
            self.name.setMaxLength(40)
            grid.addWidget(self.name, 0, 1)
            grid.addWidget(QLabel(self.tr("密码")), 1, 0)
            self.password = _secret_field()
            grid.addWidget(self.password, 1, 1)
            grid.setColumnStretch(2, 1)
            lay.addLayout(grid)
            self.name.returnPressed.connect(lambda: self.password.setFocus())
            self.password.returnPressed.connect(self._restore)
        else:
            add_panel_header(lay, self.tr("没有可恢复的备份") if self.report.state in _DAMAGE else self.tr("怎么办"))
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        if self.name is not None:
            self.restore_button = QPushButton(self.tr("恢复备份"))
            self.restore_button.setObjectName("primary")
            self.restore_button.clicked.connect(self._restore)
            row.addWidget(self.restore_button)
        self.retry_button = QPushButton(self.tr("重新检查"))
        self.retry_button.clicked.connect(self.retryRequested)
        self.retry_button.setVisible(self.report.state in ("locked", "read_only"))
        row.addWidget(self.retry_button)
        self.setup_button = QPushButton(self.tr("设置新门岗"))
        self.setup_button.clicked.connect(self.setupRequested)
        self.setup_button.setVisible(self.report.state == "missing")
        row.addWidget(self.setup_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.refused = error_label()
        lay.addWidget(self.refused)
        return box

    def _no_board(self) -> QWidget:
        box = QWidget()
        box.setObjectName("board")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(16, 14, 16, 14)
        text = QLabel(self.tr("数据库无法读取，这里不能显示记录。\n\n数据文件夹：{dir}").format(dir=self.data_dir))
        text.setObjectName("hint")
        text.setWordWrap(True)
        lay.addWidget(text)
        lay.addStretch(1)
        return box

    # -- the board, from a read-only connection ------------------------------------------------
    def open_board(self) -> None:
        if self.board is not None:
            return
        self.board = BoardWidget(self.data_dir, self._clock, threaded=self._board_threaded, readonly=True)
        self._body.addWidget(self.board, 43)
        self.board.start()

    def close_board(self) -> None:
        """Before a restore: no connection may stay open on the file that is moved aside."""
        if self.board is not None:
            self.board.shutdown()
            self._body.removeWidget(self.board)
            self.board.deleteLater()
            self.board = None

    # -- actions ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        if self.name is not None:
            self.name.setFocus()

    def _restore(self) -> None:
        if self.name is None:
            return
        if not self.name.text().strip() or not self.password.text():
            self.error.setText(self.tr("请输入管理员姓名和密码。"))
            (self.password if self.name.text().strip() else self.name).setFocus()
            return
        self.error.setText(self.tr("正在检查并恢复备份，请稍候…"))
        self.set_busy(True)
        self.restoreRequested.emit(self.name.text().strip(), self.password.text())

    def set_busy(self, busy: bool) -> None:
        for w in (self.restore_button, self.retry_button, self.setup_button):
            if w is not None:
                w.setEnabled(not busy)

    def restore_failed(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        if self.password is not None:
            self.password.clear()
            self.password.setFocus()

    def on_scan(self, _text: str) -> None:
        """A pass scanned while nothing can be recorded: say so, loudly and in numbers."""
        self.refuse_scans(1)

    def refuse_scans(self, n: int) -> None:
        self.scans_refused += n
        self.refused.setText(self.tr("已收到 {n} 次扫码，均未登记：请在纸质台账上手工登记。").format(n=self.scans_refused))

    def shutdown(self) -> None:
        self.close_board()
