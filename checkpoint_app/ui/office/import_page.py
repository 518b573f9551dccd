"""导入名单: the roster import wizard.

Pick (or drop) an .xlsx or .csv; the page shows the sheet as read (title rows, merged cells), the
encoding and the header row found, and which column holds each field — all three can be changed.
A preview lists every row as new / changed / unchanged / rejected with why, before anything is
written. The import then runs in the background with a progress bar; cancelling it rolls the whole
import back (one transaction, services/residents.py). Residents the file no longer lists may be
marked moved out (their number is shown first). The rejected rows can be saved to an .xlsx to be
corrected and imported again. Reading, previewing, importing and saving all run off the GUI thread
(background.py): a file of 100,000 rows must not freeze the office.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QProgressBar, QPushButton, QSpinBox, QTableView, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from checkpoint_app.services import roster_values
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.residents import (CHANGED, NEW, REJECTED, UNCHANGED, ImportReport, RowOutcome,
                                               import_roster, preview_roster)
from checkpoint_app.services.roster_file import (TEXT_SUFFIXES, XLSX_SUFFIXES, RosterChoice, RosterLayout,
                                                 column_letter, inspect_roster, write_rejects)
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

translate = QCoreApplication.translate
STATUSES = (NEW, CHANGED, UNCHANGED, REJECTED)
SUFFIXES = XLSX_SUFFIXES + TEXT_SUFFIXES + (".xls",)   # .xls is accepted here to be refused in one sentence
COLOURS = {NEW: "#1b5e20", CHANGED: "#0d47a1", UNCHANGED: "#546e7a", REJECTED: "#b71c1c"}
REJECTED_BACKGROUND = "#fdecea"
HEADER_BACKGROUND = "#fff2cc"
FIELD_NAMES = {   # the wizard's names of the fields
    "building": QT_TRANSLATE_NOOP("ImportPage", "楼栋"), "unit": QT_TRANSLATE_NOOP("ImportPage", "单元"),
    "room": QT_TRANSLATE_NOOP("ImportPage", "房号"), "name": QT_TRANSLATE_NOOP("ImportPage", "姓名"),
    "phone": QT_TRANSLATE_NOOP("ImportPage", "电话"), "id_number": QT_TRANSLATE_NOOP("ImportPage", "身份证号"),
    "kind": QT_TRANSLATE_NOOP("ImportPage", "类型"), "status": QT_TRANSLATE_NOOP("ImportPage", "状态"),
    "quarantine_until": QT_TRANSLATE_NOOP("ImportPage", "隔离至"),
}


def _field_name(field: str) -> str:
    return translate("ImportPage", FIELD_NAMES[field])


def _status_name(status: str) -> str:
    return {NEW: translate("ImportPage", "新增"), CHANGED: translate("ImportPage", "变更"),
            UNCHANGED: translate("ImportPage", "未变"), REJECTED: translate("ImportPage", "未导入")}[status]


class PreviewModel(QAbstractTableModel):
    """Every row of the file and what the import does with it: row, result, room, name, why; shown
    all or of one result (``set_status``). It filters itself with one list comprehension: a
    QSortFilterProxyModel asks for every row through Python and takes seconds on 100,000 rows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.outcomes: list[RowOutcome] = []
        self.status: str | None = None
        self.shown: list[RowOutcome] = []

    def set_outcomes(self, outcomes: list[RowOutcome]) -> None:
        self.outcomes = list(outcomes)
        self.set_status(self.status)

    def set_status(self, status: str | None) -> None:
        self.beginResetModel()
        self.status = status
        self.shown = self.outcomes if status is None else [o for o in self.outcomes if o.status == status]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 5

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return (translate("ImportPage", "行"), translate("ImportPage", "结果"), translate("ImportPage", "房号"),
                    translate("ImportPage", "姓名"), translate("ImportPage", "说明"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.shown):
            return None
        outcome = self.shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (outcome.row, _status_name(outcome.status), outcome.household, outcome.name,
                    outcome.detail)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and outcome.detail:
            return outcome.detail
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(COLOURS[outcome.status]))
        if role == Qt.ItemDataRole.BackgroundRole and outcome.status == REJECTED:
            return QBrush(QColor(REJECTED_BACKGROUND))
        return None


class ImportPage(QWidget):
    inspected = Signal(object)      # RosterLayout shown
    previewed = Signal(object)      # ImportReport of the preview shown
    imported = Signal(object)       # ImportReport of the import
    cancelled = Signal()
    rejectsSaved = Signal(str)      # the .xlsx written

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.path: Path | None = None
        self.choice = RosterChoice()
        self.layout_found: RosterLayout | None = None
        self.preview: ImportReport | None = None
        self.result: ImportReport | None = None
        self._again = False                  # the file or a choice changed while a job ran
        self.job = None                      # the import running (ui/shared/jobs.Job)
        self.setAcceptDrops(True)

        title = QLabel(self.tr("导入名单"))
        title.setObjectName("pageTitle")
        self.pick_button = QPushButton(self.tr("选择文件…"))
        self.pick_button.clicked.connect(self.pick)
        self.file_label = QLabel(self.tr("选择或拖入 Excel（.xlsx）或 CSV 花名册。"))
        self.file_label.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.pick_button)
        top.addWidget(self.file_label, 1)

        self.sheet = QComboBox()
        self.sheet.currentIndexChanged.connect(self._sheet_chosen)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1_000_000)
        prefix, _n, suffix = self.tr("第 {n} 行").partition("{n}")
        self.header_row.setPrefix(prefix)
        self.header_row.setSuffix(suffix)
        self.header_row.valueChanged.connect(lambda _v: self._header_timer.start())
        self._header_timer = QTimer(self, singleShot=True, interval=400)
        self._header_timer.timeout.connect(self._header_chosen)
        self.encoding = QLabel()
        self.encoding.setObjectName("hint")
        settings = QHBoxLayout()
        self.sheet_label = QLabel(self.tr("工作表"))
        settings.addWidget(self.sheet_label)
        settings.addWidget(self.sheet, 1)
        settings.addSpacing(12)
        settings.addWidget(QLabel(self.tr("表头在")))
        settings.addWidget(self.header_row)
        settings.addSpacing(12)
        settings.addWidget(self.encoding, 1)

        self.mapping = QGridLayout()
        self.mapping.setHorizontalSpacing(6)
        self.columns: dict[str, QComboBox] = {}
        self._mapping_cells: list[tuple[QLabel, QComboBox]] = []
        for field in roster_values.FIELDS:
            label = QLabel(_field_name(field) + ("*" if field in roster_values.REQUIRED_FIELDS else ""))
            combo = QComboBox()
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.activated.connect(self._mapping_chosen)
            self.columns[field] = combo
            self._mapping_cells.append((label, combo))
        self._per_row = 0
        self._arrange_mapping(5)
        self.problem = error_label()

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.model = PreviewModel(self)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.verticalHeader().hide()
        self.rows_view.setWordWrap(False)
        header = self.rows_view.horizontalHeader()
        for column, width in enumerate((56, 80, 110, 110)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.status_filter = QComboBox()
        self.status_filter.currentIndexChanged.connect(
            lambda i: self.model.set_status(self.status_filter.itemData(i)))
        self.counts = QLabel()
        self.counts.setObjectName("hint")
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("显示")))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.counts, 1)
        preview_tab = QWidget()
        preview_lay = QVBoxLayout(preview_tab)
        preview_lay.setContentsMargins(4, 6, 4, 4)
        preview_lay.addLayout(filters)
        preview_lay.addWidget(self.rows_view, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("文件内容（前 30 行）"))
        self.tabs.addTab(preview_tab, self.tr("预览（每一行）"))

        self.move_out = QCheckBox()
        self.move_out.setEnabled(False)
        self.move_out.setVisible(False)          # shown with its sentence once a preview finds someone missing
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(self.tr("取消导入"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.rejects_button = QPushButton(self.tr("导出未导入的行…"))
        self.rejects_button.setEnabled(False)
        self.rejects_button.clicked.connect(self.ask_rejects)
        self.message = error_label()
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.rejects_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 10)
        lay.setSpacing(6)
        lay.addLayout(top)
        lay.addLayout(settings)
        lay.addLayout(self.mapping)
        lay.addWidget(self.problem)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.move_out)
        lay.addLayout(bottom)
        self._fill_filter()
        self._enable()
        self.problem.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Five fields to a row of the mapping on a wide screen, three on a narrow one."""
        super().resizeEvent(event)
        self._arrange_mapping(5 if event.size().width() >= 1100 else 3)

    def _arrange_mapping(self, per_row: int) -> None:
        if per_row == self._per_row:
            return
        self._per_row = per_row
        for i in range(self.mapping.columnCount()):
            self.mapping.setColumnStretch(i, 0)
        for i, (label, combo) in enumerate(self._mapping_cells):
            self.mapping.addWidget(label, i // per_row, 2 * (i % per_row))
            self.mapping.addWidget(combo, i // per_row, 2 * (i % per_row) + 1)
            self.mapping.setColumnStretch(2 * (i % per_row) + 1, 1)

    # -- the file ------------------------------------------------------------------------------
    def pick(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择花名册"), start, self.tr("花名册 (*.xlsx *.xlsm *.csv *.txt *.xls)"))
        if name:
            self.open_file(Path(name))

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._dropped(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        path = self._dropped(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    @staticmethod
    def _dropped(mime) -> Path | None:
        urls = [u for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if len(urls) == 1 and Path(urls[0].toLocalFile()).suffix.lower() in SUFFIXES:
            return Path(urls[0].toLocalFile())
        return None

    def open_file(self, path: Path) -> None:
        if self._importing():
            return
        self.path = path
        self.choice = RosterChoice()
        self.result = None
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        say(self.message, "fieldOk", self.tr("正在读取“{name}”…").format(name=path.name))
        self._inspect()

    # -- what was detected, and the user's choices ---------------------------------------------
    def _inspect(self) -> None:
        """Read the file's layout (and then the preview) for the current choice."""
        self.preview = None
        self._enable()
        path, choice = self.path, self.choice
        if not self.bg.run("import-inspect", lambda _c: inspect_roster(path, choice), self._inspected,
                           self._inspect_failed):
            self._again = True

    def _inspected(self, layout: RosterLayout) -> None:
        if self._rerun():
            return
        self.layout_found = layout
        self._show_layout(layout)
        if layout.problem:
            self._say_problem(layout.problem)
            say(self.message, "fieldOk", "")
            self.model.set_outcomes([])
            self._fill_filter()
        else:
            self._say_problem("")
            self._preview()
        self.inspected.emit(layout)

    def _inspect_failed(self, err: BaseException) -> None:
        if self._rerun():
            return
        self.layout_found = None
        self._show_layout(None)
        self.model.set_outcomes([])
        self._fill_filter()
        say(self.message, "fieldOk", "")
        say_refusal(self.problem, err)
        self.problem.show()
        self.inspected.emit(None)

    def _say_problem(self, text: str) -> None:
        say(self.problem, "fieldError", text)
        self.problem.setVisible(bool(text))

    def _rerun(self) -> bool:
        """A choice changed while the last read ran: read again instead of showing the old one."""
        if not self._again:
            return False
        self._again = False
        self._inspect()
        return True

    def _show_layout(self, layout: RosterLayout | None) -> None:
        widgets = [self.sheet, self.header_row, *self.columns.values()]
        for w in widgets:
            w.blockSignals(True)
        try:
            self.sheet.clear()
            sheets = layout.sheets if layout else []
            self.sheet.addItems(sheets)
            if layout and layout.sheet in sheets:
                self.sheet.setCurrentIndex(sheets.index(layout.sheet))
            self.sheet.setVisible(bool(sheets))
            self.sheet_label.setVisible(bool(sheets))
            self.header_row.setValue(layout.header_row or 1 if layout else 1)
            self.encoding.setText(self.tr("编码：{encoding}").format(encoding=layout.encoding)
                                  if layout and layout.encoding else "")
            rows = layout.rows if layout else []
            width = max((len(cells) for _n, cells in rows), default=0)
            width = max(width, *(i + 1 for i in (layout.mapping.values() if layout else [])), 0)
            names = {i: f for f, i in (layout.mapping.items() if layout else [])}
            for field, combo in self.columns.items():
                combo.clear()
                combo.addItem(self.tr("（不导入）"), -1)
                header_cells = next((cells for n, cells in rows if layout and n == layout.header_row), [])
                for i in range(width):
                    text = header_cells[i] if i < len(header_cells) else ""
                    combo.addItem(f"{column_letter(i)}  {text}".rstrip(), i)
                index = layout.mapping.get(field, -1) if layout else -1
                combo.setCurrentIndex(index + 1)
            self._fill_table(layout, rows, width, names)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.header_row.setEnabled(layout is not None)

    def _fill_table(self, layout: RosterLayout | None, rows, width: int, names: dict[int, str]) -> None:
        table = self.table
        table.clearSpans()
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        table.setHorizontalHeaderLabels([column_letter(i) + (f" → {_field_name(names[i])}" if i in names else "")
                                         for i in range(width)])
        table.setVerticalHeaderLabels([str(n) for n, _cells in rows])
        bold = QFont(table.font())
        bold.setBold(True)
        header_row = layout.header_row if layout else None
        first = rows[0][0] if rows else 0
        merged = [(top - first, min(bottom, rows[-1][0]) - first, left, min(right, width - 1))
                  for top, bottom, left, right in (layout.merged if layout else [])
                  if left < width and (bottom > top or right > left)]
        spanned = {(r, c) for top, bottom, left, right in merged
                   for r in range(top, bottom + 1) for c in range(left, right + 1)}
        later = []   # a merged range's text: set after the widths, so a title does not widen its column
        for r, (number, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if number == header_row:
                    item.setFont(bold)
                    item.setBackground(QColor(HEADER_BACKGROUND))
                if (r, c) in spanned:
                    later.append((r, c, item))
                else:
                    table.setItem(r, c, item)
        table.resizeColumnsToContents()        # 30 rows: cheap; the headers "G → 身份证号" readable
        for c in range(width):
            table.setColumnWidth(c, max(60, min(table.columnWidth(c), 220)))
        starts = {(top, left) for top, _b, left, _r in merged}
        for r, c, item in later:
            if (r, c) in starts:
                table.setItem(r, c, item)
        for top, bottom, left, right in merged:
            table.setSpan(top, left, bottom - top + 1, right - left + 1)

    def _sheet_chosen(self, index: int) -> None:
        if index >= 0 and self.path is not None:
            self.choice = RosterChoice(sheet=self.sheet.itemText(index))
            self._inspect()

    def _header_chosen(self) -> None:
        if self.path is not None and self.layout_found is not None:
            self.choice = RosterChoice(sheet=self.choice.sheet or self.layout_found.sheet,
                                       header_row=self.header_row.value())
            self._inspect()

    def _mapping_chosen(self, _index: int = 0) -> None:
        if self.path is None or self.layout_found is None:
            return
        mapping = {f: combo.currentData() for f, combo in self.columns.items() if combo.currentData() not in (None, -1)}
        self.choice = RosterChoice(sheet=self.choice.sheet or self.layout_found.sheet,
                                   header_row=self.header_row.value(), mapping=mapping)
        self._inspect()

    # -- the preview ---------------------------------------------------------------------------
    def _preview(self) -> None:
        path, choice = self.path, self.choice
        say(self.message, "fieldOk", self.tr("正在核对每一行…"))
        if not self.bg.run("import-preview", lambda c: preview_roster(c, path, choice=choice),
                           self._previewed, self._preview_failed):
            self._again = True

    def _previewed(self, report: ImportReport) -> None:
        if self._rerun():
            return
        self.preview = report
        self.model.set_outcomes(report.outcomes)
        self._fill_filter()
        missing = len(report.missing)
        self.move_out.setChecked(False)
        if report.errors and missing:
            self.move_out.setText(self.tr("名单中没有 {n} 位在住住户；有未导入的行时不能标记迁出").format(n=missing))
        else:
            self.move_out.setText(self.tr("把名单中没有的 {n} 位在住住户标记为迁出（出入证作废）").format(n=missing))
        self.move_out.setEnabled(missing > 0 and not report.errors)
        self.move_out.setVisible(missing > 0)
        if report.accepted:
            say(self.message, "fieldOk", self.tr("核对完毕，尚未写入。确认无误后点“导入”。"))
        else:
            say(self.message, "fieldError", self.tr("没有可以导入的行，请看“说明”一列。"))
        self.tabs.setCurrentIndex(1)
        self._enable()
        self.previewed.emit(report)

    def _preview_failed(self, err: BaseException) -> None:
        if self._rerun():
            return
        self.model.set_outcomes([])
        self._fill_filter()
        say(self.message, "fieldOk", "")
        say_refusal(self.problem, err)
        self.problem.show()
        self._enable()

    def _counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for outcome in self.model.outcomes:
            counts[outcome.status] += 1
        return counts

    def _fill_filter(self) -> None:
        counts = self._counts()
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("全部 ({n})").format(n=sum(counts.values())), None)
        for status in STATUSES:
            self.status_filter.addItem(f"{_status_name(status)} ({counts[status]})", status)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(current)))
        self.status_filter.blockSignals(False)
        if self.model.status != self.status_filter.currentData():
            self.model.set_status(self.status_filter.currentData())
        self.counts.setText(self.tr("共 {total} 行：新增 {new}，变更 {changed}，未变 {unchanged}，未导入 {rejected}")
                            .format(total=len(self.model.outcomes), **counts) if self.model.outcomes else "")

    def show_status(self, status: str | None) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    # -- the import ----------------------------------------------------------------------------
    def _importing(self) -> bool:
        return self.bg.busy("import-run")

    def _enable(self) -> None:
        importing = self._importing()
        ready = self.preview is not None and self.preview.accepted > 0 and not self.bg.busy("import-inspect") \
            and not self.bg.busy("import-preview")
        self.import_button.setEnabled(ready and not importing)
        self.cancel_button.setEnabled(importing)
        for widget in (self.pick_button, self.sheet, self.header_row, *self.columns.values()):
            widget.setEnabled(not importing)
        self.move_out.setEnabled(not importing and self.preview is not None and bool(self.preview.missing)
                                 and not self.preview.errors)
        self.rejects_button.setEnabled(not importing and self.result is not None and bool(self.result.errors))

    def start_import(self) -> None:
        if self.preview is None or self._importing():
            return
        path, choice, move_out = self.path, self.choice, self.move_out.isChecked()
        self.job = self.bg.track(
            "import-run", lambda c, p: import_roster(c, path, choice=choice, mark_missing_moved_out=move_out, progress=p),
            done=self._imported, failed=self._import_failed, progress=self._progress, cancelled=self._cancelled)
        if self.job is not None:
            self.result = None
            self.progress.setRange(0, 0)
            self.progress.setFormat(self.tr("正在读取…"))
            self.progress.show()
            say(self.message, "fieldOk", self.tr("正在导入…"))
            self._enable()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} / {total}")

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.cancel_button.setEnabled(False)
        say(self.message, "fieldOk", self.tr("正在取消…"))

    def _finish(self) -> None:
        self.job = None
        self.progress.hide()
        self._enable()

    def _imported(self, report: ImportReport) -> None:
        self.result = report
        self._finish()
        text = self.tr("已导入：新增户 {households}，新增住户 {residents}，更新 {updated}，未变 {unchanged}，"
                       "未导入 {rejected} 行。").format(households=report.households, residents=report.residents,
                                                   updated=report.updated, unchanged=report.unchanged,
                                                   rejected=len(report.errors))
        if report.moved_out:
            text += self.tr("{n} 位住户已标记为迁出。").format(n=report.moved_out)
        if report.errors:
            text += self.tr("可导出未导入的行，改正后再导入。")
        say(self.message, "fieldOk", text)
        self.model.set_outcomes(report.outcomes)
        self._fill_filter()
        self.preview = None          # what is in the database now differs from the preview
        self._enable()
        self.imported.emit(report)

    def _import_failed(self, err: BaseException) -> None:
        self._finish()
        say_refusal(self.message, err)

    def _cancelled(self) -> None:
        self._finish()
        say(self.message, "fieldOk", self.tr("已取消导入，名单保持原样。"))
        self.cancelled.emit()

    # -- the rejected rows ---------------------------------------------------------------------
    def ask_rejects(self) -> None:
        if self.result is None or self.path is None:
            return
        suggested = self.path.with_name(self.path.stem + self.tr("-未导入") + ".xlsx")
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("导出未导入的行"), str(suggested),
                                                    self.tr("Excel 工作簿 (*.xlsx)"))
        if name:
            self.save_rejects(Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx"))

    def save_rejects(self, out: Path) -> None:
        result, path, choice = self.result, self.path, self.choice
        if result is None or path is None:
            return
        if self.bg.run("import-rejects", lambda _c: write_rejects(path, result.errors, out, choice),
                       lambda n: self._rejects_saved(n, out), lambda err: say_refusal(self.message, err)):
            self.rejects_button.setEnabled(False)

    def _rejects_saved(self, count: int, out: Path) -> None:
        self._enable()
        say(self.message, "fieldOk", self.tr("已把 {n} 行未导入的行连同原因存到 {file}。").format(n=count, file=out))
        self.rejectsSaved.emit(str(out))

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
