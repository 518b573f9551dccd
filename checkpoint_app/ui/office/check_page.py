"""数据库检查: the whole check on request, with progress and a cancel, in the background.

At every start the gate checks only what is new since each chain's verified mark (services/
health.py); this page runs the whole check — SQLite's integrity check of every page and every
record of every gate recomputed (services/integrity.py) — which takes minutes on a file of
millions of passages, and says when each kind of check last passed. Below, the records of other
gates the exchange refused (services/exchange_problems.py: the same uid or number arriving with
another hash — a forked or altered gate), read in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from checkpoint_app.exchange import rebuild
from checkpoint_app.services import exchange_problems, integrity, permissions
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label


HEADERS = (QT_TRANSLATE_NOOP("ProblemsModel", "发现时间"), QT_TRANSLATE_NOOP("ProblemsModel", "来源"),
           QT_TRANSLATE_NOOP("ProblemsModel", "门岗"), QT_TRANSLATE_NOOP("ProblemsModel", "序号"),
           QT_TRANSLATE_NOOP("ProblemsModel", "记录编号"), QT_TRANSLATE_NOOP("ProblemsModel", "问题"))


class ProblemsModel(QAbstractTableModel):
    """The refused records (exchange_problems.ExchangeProblem), newest first; read only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.problems: list[exchange_problems.ExchangeProblem] = []

    def set_problems(self, problems) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return QCoreApplication.translate("ProblemsModel", HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        p = self.problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.found_at[:16].replace("T", " "), p.source, p.gate, "" if p.seq is None else str(p.seq),
                    (p.uid or "")[:12], p.problem)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (4, 5):
            return p.uid if index.column() == 4 else p.problem
        return None


class CheckPage(QWidget):
    checked = Signal(object)       # integrity.VerifyReport
    cancelled = Signal()
    refusedSeen = Signal(int)      # the refused records listed, up to this problem id (the status bar's warning goes)
    problemsShown = Signal(int)    # how many refused records the table lists
    baselineShown = Signal(object)  # exchange.rebuild.baseline_due: None | "here" | "office"
    baselineWritten = Signal(object)  # {entity: rows} the baseline wrote

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
        self.problems_model = ProblemsModel(self)
        self.problems_view = None
        if permissions.allowed(ctx.role, "view_exchange_problems"):
            refused = QLabel(self.tr("同步拒收的记录"))
            refused.setObjectName("panelTitle")
            self.problems_hint = QLabel()
            self.problems_hint.setObjectName("hint")
            self.problems_hint.setWordWrap(True)
            self.problems_view = QTableView()
            self.problems_view.setModel(self.problems_model)
            self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.problems_view.verticalHeader().setVisible(False)
            self.problems_view.setWordWrap(True)          # the problem's whole sentence, on two lines if need be
            self.problems_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header = self.problems_view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
            self.problems_view.setMinimumHeight(120)
            self.problems_view.setVisible(False)
            # a site from before state records (exchange/rebuild.baseline_due): say so, and on the
            # PC that issues passes offer the one-time baseline to who may change settings
            self.baseline_hint = QLabel()
            self.baseline_hint.setObjectName("fieldError")
            self.baseline_hint.setWordWrap(True)
            self.baseline_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.baseline_hint.setVisible(False)
            self.baseline_button = QPushButton(self.tr("建立原有状态记录"))
            self.baseline_button.clicked.connect(self.write_baseline)
            self.baseline_button.setVisible(False)
            baseline_row = QHBoxLayout()
            baseline_row.addWidget(self.baseline_hint, 1)
            baseline_row.addWidget(self.baseline_button, 0, Qt.AlignmentFlag.AlignTop)
            lay.addLayout(baseline_row)
            lay.addSpacing(8)
            lay.addWidget(refused)
            lay.addWidget(self.problems_hint)
            lay.addWidget(self.problems_view, 1)
        lay.addStretch(1)                # room below while there is no table; the table's once there is
        self._lay = lay
        self._read_last()

    def _read_problems(self) -> None:
        if self.problems_view is not None:
            self.bg.run("exchange problems", exchange_problems.list_problems, self._show_problems)
            self.bg.run("baseline due", rebuild.baseline_due, self._show_baseline)

    def _show_baseline(self, due) -> None:
        self.baseline_hint.setVisible(due is not None)
        if due == "here":
            self.baseline_hint.setText(self.tr(
                "本小区建于状态记录之前：名单、出入证和用户还没有对应的记录，不会同步到其他门岗，也无法从记录重建。"
                "请在本机建立一次原有状态记录（命令行：checkpoint site baseline）。"))
        elif due == "office":
            self.baseline_hint.setText(self.tr(
                "本小区建于状态记录之前：名单、出入证和用户还没有对应的记录。"
                "请在发放出入证的电脑（办公室）上运行一次 checkpoint site baseline，再交换一次数据。"))
        self.baseline_button.setVisible(due == "here" and permissions.allowed(self.ctx.role, "change_settings"))
        self.baselineShown.emit(due)

    def write_baseline(self) -> None:
        self.baseline_button.setEnabled(False)
        say(self.message, "fieldOk", self.tr("正在建立原有状态记录…"))
        self.bg.run("write baseline", rebuild.write_baseline, self._baseline_done, failed=self._baseline_failed)

    def _baseline_done(self, written) -> None:
        self.baseline_button.setEnabled(True)
        say(self.message, "fieldOk", self.tr("已建立 {n} 条原有状态记录。").format(n=sum(written.values())))
        self._read_problems()
        self.baselineWritten.emit(written)

    def _baseline_failed(self, err: BaseException) -> None:
        self.baseline_button.setEnabled(True)
        say_refusal(self.message, err)

    def _show_problems(self, problems) -> None:
        self.problems_model.set_problems(problems)
        self.problems_view.setVisible(bool(problems))
        self._lay.setStretch(self._lay.count() - 1, 0 if problems else 1)
        self.problems_hint.setText(
            self.tr("其他门岗的这些记录到达时与本机已有的记录冲突（同一编号或序号、内容不同），未被采用，本机的记录也未被覆盖。"
                    "通常说明该门岗的数据被改动过，或同一门岗的数据在两台电脑上各自继续记录（分叉）：请核查该门岗的电脑。")
            if problems else self.tr("没有被拒收的记录。"))
        if problems:
            self.refusedSeen.emit(max(p.id for p in problems))
        self.problemsShown.emit(len(problems))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._read_problems()     # fresh on each visit

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
