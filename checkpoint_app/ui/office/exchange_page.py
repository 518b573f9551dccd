"""同步 / 交换: records between this PC and the site's other PCs, for the office.

Above, the hub (exchange/sync.py), when one is set: how old the newest record of each other gate
is here (as the status bar says) and "立即同步". Below, the USB file for a compound without a
hub (services/exchange_file.py, the services ``checkpoint exchange export|import`` calls):
export what is new since the last export to a chosen file, import one or several files. Each
runs in the background, once at a time, and ends with one sentence per file: how many records
per gate went out or came in, how many were refused (listed on 数据库检查, a button away). After
an exchange, ``exchanged`` tells the status bar (ui/shared/hub_sync.py) to look for refused
records. Managers and admins exchange; an auditor only looks.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.services import exchange_file, permissions
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

EXPORT, IMPORT, SYNC, STATE = "usb export", "usb import", "hub sync now", "exchange state"


def _state(ctx: GateContext):
    """For the page: the hub's address (no password is ever in it) and the other gates' ages."""
    from checkpoint_app.exchange import sync

    return ctx.settings["hub_url"], sync.others_newest(ctx), ctx.now()


def _where(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}{':' + str(parts.port) if parts.port else ''}{parts.path or ''}"


class ExchangePage(QWidget):
    exchanged = Signal(object)      # a USB import or a sync ended: SyncResult or None (the status bar looks again)
    openPage = Signal(str)          # "check": the refused records are listed there
    finished = Signal(str)          # the sentence an export, an import or a sync ended with (tests wait on it)
    stateShown = Signal()

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.may = permissions.allowed(ctx.role, "exchange_records")
        self.hub_url = ""
        title = QLabel(self.tr("同步 / 交换"))
        title.setObjectName("pageTitle")

        hub_title = QLabel(self.tr("中心库"))
        hub_title.setObjectName("boardTitle")
        self.hub = QLabel()
        self.hub.setObjectName("hint")
        self.hub.setWordWrap(True)
        self.ages = QLabel()
        self.ages.setWordWrap(True)
        self.ages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.clicked.connect(self.sync_now)
        self.sync_button.setVisible(False)
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub, 1)
        hub_row.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)

        usb_title = QLabel(self.tr("U 盘交换文件"))
        usb_title.setObjectName("boardTitle")
        usb_hint = QLabel(self.tr(
            "没有中心库时，用 U 盘在门岗和办公室之间交换记录：在一台电脑上导出新记录到 U 盘，再在另一台电脑上导入。"
            "每次导出只写入上次导出以来的新记录；U 盘丢失或文件损坏时，用“导出全部记录”再导出一次。"
            "同一文件导入两次不会重复。"))
        usb_hint.setObjectName("hint")
        usb_hint.setWordWrap(True)
        self.export_button = QPushButton(self.tr("导出新记录…"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(lambda: self.export())
        self.export_all_button = QPushButton(self.tr("导出全部记录…"))
        self.export_all_button.setToolTip(self.tr("写入本机的全部记录（U 盘丢失时用；对方已有的记录导入时不会重复）"))
        self.export_all_button.clicked.connect(lambda: self.export(everything=True))
        self.import_button = QPushButton(self.tr("导入文件…"))
        self.import_button.clicked.connect(lambda: self.import_files())
        self.check_button = QPushButton(self.tr("查看拒收的记录"))
        self.check_button.clicked.connect(lambda: self.openPage.emit("check"))
        self.check_button.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.export_all_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        # what went well (green) and, apart from it, what was refused (red): a file with both says each in its colour
        self.message = error_label()
        self.problems = error_label()
        for label in (self.message, self.problems):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        say(self.problems, "fieldError", "")
        for b in (self.export_button, self.export_all_button, self.import_button):
            b.setVisible(self.may)
        if not self.may:
            usb_hint.setText(usb_hint.text() + self.tr("（您的角色只能查看。）"))

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #b0bec5;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addSpacing(6)
        lay.addWidget(hub_title)
        lay.addLayout(hub_row)
        lay.addWidget(self.ages)
        lay.addSpacing(6)
        lay.addWidget(line)
        lay.addSpacing(6)
        lay.addWidget(usb_title)
        lay.addWidget(usb_hint)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        lay.addWidget(self.problems)
        lay.addStretch(1)

    # -- the state ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.read_state()

    def read_state(self) -> None:
        self.bg.run(STATE, _state, self._show_state)

    def _show_state(self, state) -> None:
        from checkpoint_app.exchange.sync import ages_text

        url, ages, now = state
        self.hub_url = url
        if url:
            self.hub.setText(self.tr("本机与中心库 {hub} 自动同步（间隔见“设置”页）。").format(hub=_where(url)))
        else:
            self.hub.setText(self.tr("未设置中心库：本机不自动同步，请用下方的 U 盘交换文件。中心库地址在“设置”页填写。"))
        self.sync_button.setVisible(bool(url) and self.may)
        if ages:
            self.ages.setText(self.tr("本机所收到的其他门岗的最新记录：") + "\n"
                              + "\n".join(ages_text(now, [a]) for a in ages))
        else:
            self.ages.setText(self.tr("本机还没有其他门岗的记录。"))
        self.stateShown.emit()

    # -- the work -----------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        for b in (self.export_button, self.export_all_button, self.import_button, self.sync_button):
            b.setEnabled(not busy)

    def _running(self) -> bool:
        return any(self.bg.busy(name) for name in (EXPORT, IMPORT, SYNC))

    def _say(self, ok: str, problems: str = "") -> None:
        say(self.message, "fieldOk", ok)
        self.problems.setText(problems)

    def export(self, path: str | None = None, *, everything: bool = False) -> None:
        """What is new since the last export, or (``everything``: the stick was lost) all records."""
        if not self.may or self._running():
            return
        if not path:
            start = str(Path.home() / exchange_file.default_name(self.ctx))
            title = self.tr("导出全部记录到") if everything else self.tr("导出新记录到")
            path, _filter = QFileDialog.getSaveFileName(
                self, title, start, self.tr("门岗通交换文件 (*.ckx);;所有文件 (*)"))
            if not path:
                return
        out = Path(path)
        self._busy(True)
        self.check_button.setVisible(False)
        self._say(self.tr("正在导出…"))
        self.bg.run(EXPORT, lambda ctx: exchange_file.export_new(ctx, out, since_last=not everything),
                    self._exported, self._failed)

    def _exported(self, done) -> None:
        self._busy(False)
        self._say(done.sentence)
        self.finished.emit(done.sentence)

    def import_files(self, paths: list[str] | None = None) -> None:
        if not self.may or self._running():
            return
        if not paths:
            paths, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("选择要导入的交换文件"), str(Path.home()),
                self.tr("门岗通交换文件 (*.ckx);;所有文件 (*)"))
            if not paths:
                return
        files = [Path(p) for p in paths]
        self._busy(True)
        self.check_button.setVisible(False)
        self._say(self.tr("正在导入 {n} 个文件…").format(n=len(files)))
        self.bg.run(IMPORT, lambda ctx: exchange_file.import_files(ctx, files), self._imported, self._failed)

    def _imported(self, done) -> None:
        self._busy(False)
        text = "\n".join(d.sentence for d in done)
        # a file refused whole, or records refused: red, to be looked at (the button lists them);
        # the files that went well stay green above
        self._say("\n".join(d.sentence for d in done if d.ok and not d.refused),
                  "\n".join(d.sentence for d in done if not d.ok or d.refused))
        self.check_button.setVisible(any(d.refused for d in done)
                                     and permissions.allowed(self.ctx.role, "view_exchange_problems"))
        self.read_state()
        self.exchanged.emit(None)
        self.finished.emit(text)

    def sync_now(self) -> None:
        if not self.may or not self.hub_url or self._running():
            return
        self._busy(True)
        self.check_button.setVisible(False)
        self._say(self.tr("正在与中心库同步…"))
        self.bg.run(SYNC, exchange_file.sync_now, self._synced, self._failed)

    def _synced(self, done) -> None:
        result, summary = done
        self._busy(False)
        self._say(*(("", summary.sentence) if summary.refused else (summary.sentence,)))
        self.check_button.setVisible(bool(summary.refused))
        self.read_state()
        self.exchanged.emit(result)
        self.finished.emit(summary.sentence)

    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        self._say("")
        say_refusal(self.problems, err)
        self.finished.emit(self.problems.text())
