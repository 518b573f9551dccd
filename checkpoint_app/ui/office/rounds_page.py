"""上门测温: today's door round per household (done / not reached / due / missed / later per
window), the entry of one household's check, and the round sheets to print.

The paper bridge: the monitor comes back with the round sheet; the desk scans a household's QR
(a scanner types it into the scan field and presses Enter) or types its room, and that
household's row opens below with the cursor in the first temperature, so the numbers are typed
in seconds. Reading, saving and the sheets run in the background (background.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from checkpoint_app.domain.home_quarantine import SYMPTOMS
from checkpoint_app.errors import NotFound
from checkpoint_app.services import door_rounds
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.office.home_docs import DocumentButtons
from checkpoint_app.ui.shared.style import error_label

translate = QCoreApplication.translate
SHEETS_SUBDIR = "rounds"
_STATE_COLOURS = {"done": "#c8e6c9", "not_reached": "#ffe0b2", "due": "#fff9c4", "missed": "#ffcdd2", "later": "#ffffff"}


def state_text(state: str) -> str:
    return {"done": translate("RoundsPage", "已测"), "not_reached": translate("RoundsPage", "未见到"),
            "due": translate("RoundsPage", "待测"), "missed": translate("RoundsPage", "漏测"),
            "later": translate("RoundsPage", "未到时段")}.get(state, state)


def find_household(ctx: GateContext, text: str) -> int:
    """A scanned round-sheet code, or a room typed (3-2-501): the household's id."""
    from checkpoint_app.db import residents_repo

    text = text.strip()
    if text.upper().startswith(door_rounds.QR_PREFIX + ":"):
        return door_rounds.household_from_qr(ctx, text)
    with ctx.db.read() as conn:
        home = residents_repo.household_by_label(conn, text)
    if home is None:
        raise NotFound(translate("RoundsPage", "没有房号为 {text} 的住户。").format(text=text[:20]))
    return home.id


def make_sheets(ctx: GateContext) -> Path:
    from checkpoint_app.services import home_documents

    return home_documents.round_sheets(ctx, ctx.data_dir / SHEETS_SUBDIR / f"rounds-{ctx.now():%Y%m%d-%H%M%S}.pdf")


def entry_header(grid: QGridLayout) -> None:
    """The column heads of the entry rows, as on the paper sheet: the symptoms' names once, a
    bare tick box under each for every person."""
    heads = [translate("RoundsPage", "体温"), *(door_rounds.symptom_label(s) for s in SYMPTOMS),
             translate("RoundsPage", "未见到")]
    for col, text in enumerate(heads, 1):
        label = QLabel(text)
        label.setObjectName("entryHead")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        label.setStyleSheet("font-size: 13px; color: #37474f;")
        label.ensurePolished()          # room for three lines: "smell/taste loss" wraps so at 1024 px
        label.setMinimumHeight(label.fontMetrics().lineSpacing() * 3)
        grid.addWidget(label, 0, col)


class PersonRow:
    """One person's inputs in the entry panel (grid row ``row``; row 0 holds the heads)."""

    def __init__(self, grid: QGridLayout, row: int, person: door_rounds.Watched) -> None:
        self.person = person
        self.temperature = QLineEdit()
        self.temperature.setPlaceholderText("36.5")
        self.temperature.setFixedWidth(84)
        self.symptoms = {s: QCheckBox() for s in SYMPTOMS}
        self.not_reached = QCheckBox()
        for code, check in self.symptoms.items():
            check.setAccessibleName(door_rounds.symptom_label(code))
        self.not_reached.setAccessibleName(translate("RoundsPage", "未见到"))
        day = translate("RoundsPage", "第 {n} 天").format(n=person.day)
        name = QLabel(f"{person.name}  {day}")
        grid.addWidget(name, row, 0)
        grid.addWidget(self.temperature, row, 1)
        for col, check in enumerate([*self.symptoms.values(), self.not_reached], 2):
            grid.addWidget(check, row, col, Qt.AlignmentFlag.AlignHCenter)
        self.form = QPushButton(translate("RoundsPage", "登记表"))
        self.form.setToolTip(translate("RoundsPage", "打印此人的居家隔离医学观察登记表（14 天）"))
        grid.addWidget(self.form, row, 3 + len(SYMPTOMS))

    def entry(self) -> door_rounds.Entry:
        if self.not_reached.isChecked():
            return door_rounds.Entry(self.person.resident_id, reached=False)
        return door_rounds.Entry(self.person.resident_id, self.temperature.text().strip() or None,
                                 tuple(s for s, c in self.symptoms.items() if c.isChecked()))


class RoundsPage(QWidget):
    loaded = Signal()
    opened = Signal(int)             # the household id whose entry is open
    saved = Signal(object)           # door_rounds.Saved
    sheetsWritten = Signal(str)

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.round: door_rounds.Round | None = None
        self.household_id: int | None = None
        self.rows: list[PersonRow] = []
        title = QLabel(self.tr("上门测温"))
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)

        top = QHBoxLayout()
        self.scan = QLineEdit()
        self.scan.setObjectName("officeSearch")
        self.scan.setPlaceholderText(self.tr("扫描测温单上的二维码，或输入房号后回车"))
        self.scan.returnPressed.connect(self.open_scanned)
        self.sheets_button = QPushButton(self.tr("打印今日测温单"))
        self.sheets_button.clicked.connect(self.write_sheets)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.message = error_label()
        from checkpoint_app.services.home_documents import monitoring_summary_data

        # the day's summary; the 14-day form of the first person of the household open below
        self.summary_docs = DocumentButtons(background, self.message, monitoring_summary_data, self)
        self.summary_docs.pdf.setText(self.tr("日汇总"))
        self.summary_docs.xlsx.setText(self.tr("日汇总 Excel"))
        top.addWidget(self.scan, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.sheets_button)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.summary_docs.pdf, 0, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.summary_docs.xlsx, 0, Qt.AlignmentFlag.AlignBottom)

        self.table = QTableWidget(0, 3)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_household(self.round.households[row].household_id))

        self.entry_box = QGroupBox(self.tr("录入"))
        box = QVBoxLayout(self.entry_box)
        self.entry_grid = QGridLayout()
        for col in range(2, 3 + len(SYMPTOMS)):
            self.entry_grid.setColumnStretch(col, 1)
        box.addLayout(self.entry_grid)
        bottom = QHBoxLayout()
        self.slot = QComboBox()
        self.checker = QLineEdit()
        self.checker.setPlaceholderText(self.tr("测温人"))
        self.checker.setMaximumWidth(160)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.checker.returnPressed.connect(self.save_button.click)      # Enter saves (not while saving)
        bottom.addWidget(QLabel(self.tr("时段")))
        bottom.addWidget(self.slot)
        bottom.addWidget(self.checker)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        box.addLayout(bottom)
        self.form_person: int | None = None
        self.form_docs = DocumentButtons(background, self.message, self._form_data, self)
        self.entry_box.hide()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addLayout(head)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.entry_box)
        self.refresh()

    # -- today's round ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.bg.run("round", door_rounds.today_round, self._show)

    def _show(self, rnd: door_rounds.Round) -> None:
        self.round = rnd
        windows = [f"{a:%H:%M}-{b:%H:%M}" for a, b in rnd.windows]
        self.table.setColumnCount(3 + len(windows))
        self.table.setHorizontalHeaderLabels([self.tr("房号"), self.tr("姓名"), self.tr("第几天"), *windows])
        self.table.setRowCount(len(rnd.households))
        for row, h in enumerate(rnd.households):
            days = " ".join(f"{p.day}/{p.length}" if p.length else str(p.day) for p in h.people)
            cells = [h.household, "、".join(p.name for p in h.people), days]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
            for i, state in enumerate(h.states):
                item = QTableWidgetItem(state_text(state))
                item.setBackground(QColor(_STATE_COLOURS.get(state, "#ffffff")))
                item.setData(Qt.ItemDataRole.UserRole, state)
                self.table.setItem(row, 3 + i, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        parts = []
        for i, w in enumerate(windows):
            parts.append(self.tr("{window}：已测 {done} · 待测 {due} · 漏测 {missed} · 未见到 {nr}").format(
                window=w, done=rnd.count(i, "done"), due=rnd.count(i, "due"), missed=rnd.count(i, "missed"),
                nr=rnd.count(i, "not_reached")))
        people = sum(len(h.people) for h in rnd.households)
        self.summary.setText(self.tr("今天 {n} 户 {p} 人居家隔离或健康观察。").format(n=len(rnd.households), p=people)
                             + "\n" + "\n".join(parts))
        if self.slot.count() != len(windows):
            self.slot.clear()
            self.slot.addItems(windows)
        self.loaded.emit()

    def print_form(self, resident_id: int) -> None:
        """A person's 14-day monitoring form (居家隔离医学观察登记表), signed."""
        self.form_person = resident_id
        self.form_docs.start(False)

    def _form_data(self, ctx: GateContext):
        from checkpoint_app.services import home_documents

        return home_documents.monitoring_form_data(ctx, self.form_person)

    # -- one household ----------------------------------------------------------------------------
    def open_scanned(self) -> None:
        text = self.scan.text()
        self.scan.clear()
        try:
            household_id = find_household(self.ctx, text)
        except NotFound as err:
            say(self.message, "fieldError", str(err))
            return
        self.open_household(household_id)

    def open_household(self, household_id: int) -> None:
        """The household's entry row, from today's round already on screen (no database read)."""
        h = next((h for h in (self.round.households if self.round else []) if h.household_id == household_id), None)
        if h is None:
            say(self.message, "fieldError", self.tr("该户今天没有需要上门测温的人员。"))
            return
        while self.entry_grid.count():
            item = self.entry_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                _clear(item.layout())
        entry_header(self.entry_grid)
        self.rows = [PersonRow(self.entry_grid, i, p) for i, p in enumerate(h.people, 1)]
        for row in self.rows:
            row.form.clicked.connect(lambda _c=False, rid=row.person.resident_id: self.print_form(rid))
        self.household_id = household_id
        self.entry_box.setTitle(self.tr("录入：{household}").format(household=h.household))
        self.slot.setCurrentIndex(door_rounds.current_slot(self.ctx))
        self.entry_box.show()
        self.table.selectRow(self.round.households.index(h))
        self.rows[0].temperature.setFocus()
        say(self.message, "fieldOk", "")
        self.opened.emit(household_id)

    def save(self) -> None:
        if self.household_id is None:
            return
        household_id, entries = self.household_id, [r.entry() for r in self.rows]
        slot, checker = self.slot.currentIndex(), self.checker.text()

        def job(c):
            return door_rounds.record_household(c, household_id, entries, slot=slot, checked_by=checker or None)
        if self.bg.run("save", job, self._saved, self._failed):
            self.save_button.setEnabled(False)

    def _saved(self, saved: door_rounds.Saved) -> None:
        self.save_button.setEnabled(True)
        self.entry_box.hide()
        self.household_id = None
        text = self.tr("已保存 {n} 人。").format(n=len(saved.checks))
        if saved.incidents:
            text += self.tr("发现发热或症状：已开 {k} 件事件，请联系社区卫生服务中心或送发热门诊，并在事件中记录跟进。").format(
                k=len(saved.incidents))
        say(self.message, "fieldError" if saved.incidents else "fieldOk", text)
        self.saved.emit(saved)
        self.scan.setFocus()
        self.refresh()

    def _failed(self, err: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.sheets_button.setEnabled(True)
        say_refusal(self.message, err)

    # -- paper --------------------------------------------------------------------------------------
    def write_sheets(self) -> None:
        if self.bg.run("sheets", make_sheets, self._written, self._failed):
            self.sheets_button.setEnabled(False)
            say(self.message, "fieldOk", self.tr("正在生成测温单…"))

    def _written(self, path: Path) -> None:
        self.sheets_button.setEnabled(True)
        say(self.message, "fieldOk", self.tr("测温单已保存：{path}").format(path=path))
        self.sheetsWritten.emit(str(path))


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
