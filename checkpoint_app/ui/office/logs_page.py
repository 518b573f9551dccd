"""日志报表: a day's signed logs made in the background with progress, previewed page by page
(QtPdf), printed through ``QPrintDialog`` and their folder opened; and the statistics of a range
of days as charts (QtCharts) and an .xlsx export.

The logs of a day are filed in ``<data folder>/daily-logs/YYYY-MM-DD/`` (services/daily_logs.py),
where the upkeep also makes yesterday's at the first start after midnight: opening the page on a
day whose logs are there shows them at once. Statistics come from services/statistics.py, the
same service as ``checkpoint report stats``; the export goes to ``<data folder>/exports/``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, QMargins, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWidget)

from checkpoint_app.reports.daily_words import WORDS as log_words
from checkpoint_app.services import daily_logs, statistics
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.office.passes_page import ask_printer, print_pdf
from checkpoint_app.ui.shared.style import error_label

LOG_KINDS = daily_logs.LOG_KINDS
EXPORTS_SUBDIR = "exports"
COUNTS = ("passages", "visitors", "fevers", "refusals", "returnees")
ROUNDS = ("rounds_done", "rounds_planned")
COLOURS = {"passages": "#1565c0", "visitors": "#6a1b9a", "fevers": "#c62828", "refusals": "#ef6c00",
           "returnees": "#2e7d32", "rounds_done": "#2e7d32", "rounds_planned": "#90a4ae"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _date_edit(day: date, latest: date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(_qdate(latest))
    return edit


class LogsPage(QWidget):
    generated = Signal(list)       # the files written (str)
    cancelled = Signal()           # making the logs was cancelled
    job_failed = Signal(str)       # a job failed: the sentence shown
    shown = Signal(str)            # the file in the preview
    printed = Signal(int)          # pages sent to the printer
    folderOpened = Signal(str)
    counted = Signal(object)       # statistics.Stats shown in the charts
    exported = Signal(str)         # the .xlsx written

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.current: Path | None = None
        self.job = None                # making the day's logs (a Job: cancel())
        self.stats: statistics.Stats | None = None
        today = ctx.now().date()
        title = QLabel(self.tr("日志报表"))
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._logs_tab(today), self.tr("每日日志"))
        self.tabs.addTab(self._stats_tab(today), self.tr("统计"))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.message = error_label()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        self._from_first_day()
        self.list_files()

    def _from_first_day(self) -> None:
        """No day before the site existed is offered (its logs are refused); a site set up today
        opens at today rather than at yesterday (index probes, ``daily_logs.first_day``)."""
        today = self.ctx.now().date()
        self.day.blockSignals(True)
        try:
            self.day.setMinimumDate(_qdate(min(daily_logs.first_day(self.ctx, compound=True), today)))
            own = min(daily_logs.first_day(self.ctx), today)
            if _date(self.day) < own:
                self.day.setDate(_qdate(own))
        finally:
            self.day.blockSignals(False)

    # -- the day's logs ---------------------------------------------------------------------------
    def _logs_tab(self, today: date) -> QWidget:
        tab = QWidget()
        self.day = _date_edit(today - timedelta(days=1), today)
        self.day.dateChanged.connect(self.list_files)
        self.generate_button = QPushButton(self.tr("生成"))
        self.generate_button.setObjectName("primary")
        self.generate_button.clicked.connect(self.generate)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self.ask_print)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.folder_button = QPushButton(self.tr("打开文件夹"))
        self.folder_button.clicked.connect(self.open_folder)
        # the whole compound's logs, when this PC holds other gates' records (services/daily_logs.py)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("本门岗"), False)
        self.scope.addItem(self.tr("全小区（各门岗记录）"), True)
        self.scope.setVisible(bool(daily_logs.compound_gates(self.ctx)))
        self.scope.currentIndexChanged.connect(self.list_files)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("日期")))
        row.addWidget(self.day)
        row.addWidget(self.scope)
        row.addStretch(1)
        for button in (self.generate_button, self.cancel_button, self.print_button, self.folder_button):
            row.addWidget(button)
        kinds = QGridLayout()          # two rows of three: the English titles are long
        self.kinds: dict[str, QCheckBox] = {}
        for i, kind in enumerate(LOG_KINDS):
            box = QCheckBox(log_words(f"title.{kind}"))
            box.setChecked(True)
            self.kinds[kind] = box
            kinds.addWidget(box, i // 3, i % 3)
        kinds.setColumnStretch(3, 1)

        # the whole compound's day whose gates have not all synced: who is waited for (one sentence)
        self.waiting = QLabel()
        self.waiting.setObjectName("hint")
        self.waiting.setWordWrap(True)
        self.waiting.setVisible(False)

        self.files = QListWidget()
        self.files.setMaximumWidth(220)
        self.files.currentRowChanged.connect(self._file_chosen)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.prev_button = QPushButton(self.tr("上一页"))
        self.prev_button.clicked.connect(lambda: self.go_to(self.page_number() - 1))
        self.next_button = QPushButton(self.tr("下一页"))
        self.next_button.clicked.connect(lambda: self.go_to(self.page_number() + 1))
        self.page_label = QLabel()
        self.page_label.setObjectName("hint")
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._pages_said())
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next_button)
        preview = QVBoxLayout()
        preview.addWidget(self.view, 1)
        preview.addLayout(nav)
        body = QHBoxLayout()
        body.addWidget(self.files)
        body.addLayout(preview, 1)

        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addLayout(kinds)
        lay.addWidget(self.waiting)
        lay.addLayout(body, 1)
        return tab

    def folder(self) -> Path:
        return daily_logs.day_folder(self.ctx.data_dir, _date(self.day), bool(self.scope.currentData()))

    def list_files(self) -> None:
        """The logs already filed for the chosen day (a directory listing: cheap)."""
        folder = self.folder()
        found = sorted(folder.glob("*.pdf"), key=self._order) if folder.is_dir() else []
        self._show_files(found)
        self._say_waiting()

    def _say_waiting(self) -> None:
        """For the whole compound's past day not filed yet: the gates whose records have not all
        reached this PC (an index probe per gate: cheap enough here), and when the upkeep makes it."""
        day, today = _date(self.day), self.ctx.now().date()
        text = ""
        if self.scope.currentData() and day < today and not daily_logs.compound_made(self.ctx.data_dir, day):
            missing = daily_logs.gates_missing(self.ctx, day)
            due = daily_logs.CompoundDay(day, tuple(missing))
            if missing and today < due.last and (today - day).days <= daily_logs.COMPOUND_LOOKBACK_DAYS:
                text = due.sentence()
            elif missing:
                text = daily_logs.short_now(day, missing)
        self.waiting.setText(text)
        self.waiting.setVisible(bool(text))

    def _order(self, path: Path) -> int:
        kind = path.stem.rsplit("_", 1)[-1]
        return LOG_KINDS.index(kind) if kind in LOG_KINDS else len(LOG_KINDS)

    def _show_files(self, files: list[Path]) -> None:
        self.files.blockSignals(True)
        self.files.clear()
        for path in files:
            kind = path.stem.rsplit("_", 1)[-1]
            words = "title.compound_summary" if kind == "summary" and self.scope.currentData() else f"title.{kind}"
            item = QListWidgetItem(log_words(words) if kind in LOG_KINDS else path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self.files.blockSignals(False)
        if files:
            self.files.setCurrentRow(0)
            self._file_chosen(0)
        else:
            self.current = None
            self.document.close()
            self._pages_said()
        self._busy(False)

    def generate(self) -> None:
        day = _date(self.day)
        kinds = tuple(k for k in LOG_KINDS if self.kinds[k].isChecked())
        if not kinds:
            say(self.message, "fieldError", self.tr("请至少选择一种日志。"))
            return

        compound = bool(self.scope.currentData())

        def job(ctx, progress):
            return daily_logs.file_day_apart(ctx, day, kinds, progress, compound=compound)

        if self.bg.busy("logs"):          # not started twice
            return
        self.job = self.bg.track("logs", job, done=self._generated, failed=self._failed, progress=self._progress,
                                 cancelled=self._cancelled)
        say(self.message, "fieldOk", self.tr("正在生成 {day} 的日志…").format(day=day.isoformat()))
        self.progress.setRange(0, len(kinds))
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self._busy(True)

    def cancel(self) -> None:
        """Stop making the logs: the child process stops after the log it is signing."""
        if self.job is not None and not self.job.finished:
            self.cancel_button.setEnabled(False)
            self.job.cancel()

    def _cancelled(self) -> None:
        self.list_files()
        self.progress.setVisible(False)
        say(self.message, "fieldError", self.tr("已取消：未完成的日志没有保存。"))
        self.cancelled.emit()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {text}")

    def _generated(self, files: list[Path]) -> None:
        self.progress.setVisible(False)
        self._show_files(sorted(files, key=self._order))
        self._say_waiting()
        say(self.message, "fieldOk", self.tr("已生成 {n} 份日志：{folder}").format(n=len(files), folder=self.folder()))
        self.generated.emit([str(f) for f in files])

    def _file_chosen(self, row: int) -> None:
        item = self.files.item(row) if row >= 0 else None
        if item is None:
            return
        self.current = Path(item.data(Qt.ItemDataRole.UserRole))
        self.document.load(str(self.current))
        self.go_to(0)
        self.shown.emit(str(self.current))

    def page_number(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        count = self.document.pageCount()
        if count:
            self.view.pageNavigator().jump(max(0, min(page, count - 1)), QPointF(), 0)
        self._pages_said()

    def _pages_said(self) -> None:
        count = self.document.pageCount() if self.current else 0
        page = self.page_number() if count else -1
        self.page_label.setText(self.tr("第 {page} / {pages} 页").format(page=page + 1, pages=count) if count
                                else self.tr("这一天的日志尚未生成。"))
        self.prev_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)

    def ask_print(self) -> None:
        self._dialog = ask_printer(self, self.print_to)

    def print_to(self, printer) -> None:
        path = self.current
        if path is None:
            return
        if self.bg.run("logs-print", lambda _c: print_pdf(path, printer), self._printed, self._failed):
            self._busy(True)
            say(self.message, "fieldOk", self.tr("正在打印…"))

    def _printed(self, pages: int) -> None:
        self._busy(False)
        say(self.message, "fieldOk", self.tr("已送打印：{n} 页。").format(n=pages))
        self.printed.emit(pages)

    def open_folder(self) -> None:
        folder = self.folder()
        if not folder.is_dir():
            say(self.message, "fieldError", self.tr("这一天的日志尚未生成：请先点“生成”。"))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):     # no file manager on this PC
            say(self.message, "fieldError", self.tr("无法打开文件夹，日志在：{folder}").format(folder=folder))
            return
        self.folderOpened.emit(str(folder))

    # -- statistics -------------------------------------------------------------------------------
    def _stats_tab(self, today: date) -> QWidget:
        tab = QWidget()
        self.start = _date_edit(today - timedelta(days=7), today)
        self.end = _date_edit(today - timedelta(days=1), today)
        self.count_button = QPushButton(self.tr("统计"))
        self.count_button.setObjectName("primary")
        self.count_button.clicked.connect(self.count)
        self.export_button = QPushButton(self.tr("导出 Excel"))
        self.export_button.clicked.connect(self.export)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("从")))
        row.addWidget(self.start)
        row.addWidget(QLabel(self.tr("到")))
        row.addWidget(self.end)
        row.addStretch(1)
        row.addWidget(self.count_button)
        row.addWidget(self.export_button)
        self.totals = QLabel()
        self.totals.setObjectName("hint")
        self.totals.setWordWrap(True)
        self.counts_chart = QChartView()
        self.rounds_chart = QChartView()
        for view in (self.counts_chart, self.rounds_chart):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(160)
        charts = QHBoxLayout()
        charts.addWidget(self.counts_chart, 1)
        charts.addWidget(self.rounds_chart, 1)
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addWidget(self.totals)
        lay.addLayout(charts, 1)
        return tab

    def count(self) -> None:
        start, end = _date(self.start), _date(self.end)
        if self.bg.run("stats", lambda ctx: statistics.day_stats(ctx, start, end), self._counted, self._failed):
            self._busy(True)

    def _counted(self, stats: statistics.Stats) -> None:
        self._busy(False)
        self.stats = stats
        self.counts_chart.setChart(self._chart(stats, COUNTS, self.tr("出入与访客（每日）")))
        self.rounds_chart.setChart(self._chart(stats, ROUNDS, self.tr("消毒：完成与计划（每日）")))
        self.totals.setText("　".join(f"{stats.label(k)} {stats.total(k)}" for k in stats.figures))
        self.message.setText("")
        self.counted.emit(stats)

    def _chart(self, stats: statistics.Stats, keys: tuple[str, ...], title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        series = QBarSeries()
        for key in keys:
            bars = QBarSet(stats.label(key))
            bars.setColor(QColor(COLOURS[key]))
            bars.append([float(v) for v in stats.figures[key]])
            series.append(bars)
        chart.addSeries(series)
        days = QBarCategoryAxis()
        days.append([d.strftime("%m-%d") for d in stats.days])
        chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(days)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max([1, *(max(stats.figures[k], default=0) for k in keys)]))
        values.applyNiceNumbers()
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = legend.font()
        font.setPixelSize(12)          # five names side by side at 1024 px
        legend.setFont(font)
        chart.setMargins(QMargins(4, 4, 4, 4))
        return chart

    def export(self) -> None:
        start, end = _date(self.start), _date(self.end)
        out = Path(self.ctx.data_dir) / EXPORTS_SUBDIR / f"stats-{start.isoformat()}-{end.isoformat()}.xlsx"

        def job(ctx, progress):
            return statistics.export_xlsx(ctx, start, end, out, progress)

        def done(stats) -> None:
            self.progress.setVisible(False)
            self._counted(stats)
            say(self.message, "fieldOk", self.tr("已导出：{file}").format(file=out))
            self.exported.emit(str(out))

        if self.bg.run("stats-export", job, done, self._failed, progress=self._progress):
            self.progress.setVisible(True)
            self._busy(True)

    # -- shared -----------------------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self.progress.setVisible(False)
        self._busy(False)
        say_refusal(self.message, err)
        self.job_failed.emit(self.message.text())

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.cancel_button.setVisible(False)
        for button in (self.generate_button, self.count_button, self.export_button):
            button.setEnabled(not busy)
        self.print_button.setEnabled(not busy and self.current is not None)

    def shutdown(self) -> None:
        self.document.close()
