"""住户: every resident in a table with live search and filters, and the selected household beside it.

The household panel shows the members, their passes, who changed what about them and why, and the
household's last passages. For a role that may manage residents it puts the person, the whole
household or every selected household under quarantine or observation until a date, or back to
normal (early: with a reason), in one step; and it adds a resident, corrects one or moves one
out (resident_form.py). Reading and writing run in the background (background.py); the table
fills when the roster arrives. The services check every permission and rule; the page only
says what they answer.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDateEdit, QFrame,
                               QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QScrollArea, QSplitter, QTableView, QVBoxLayout, QWidget)

from checkpoint_app.services import permissions
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.office.residents_model import RESIDENT_ROLE, ResidentsFilter, ResidentsModel, search_columns
from checkpoint_app.ui.shared.style import error_label


class ResidentsPage(QWidget):
    rosterLoaded = Signal(int)          # rows in the model (tests and the benchmark wait on it)
    householdShown = Signal(str)        # the household panel now shows this household
    statusChanged = Signal(int)         # people whose status was just changed
    residentSaved = Signal(int)         # a resident added, corrected or moved out (their id)

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.household_id: int | None = None
        self.selected_id: int | None = None
        self._wanted_household: int | None = None
        self.may_manage = permissions.allowed(ctx.role, "manage_residents")

        self.model = ResidentsModel(self)
        self.proxy = ResidentsFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(self.tr("住户"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit(self)     # a child before 添加住户… is: first in the Tab order
        self.search.setObjectName("officeSearch")
        self.search.setPlaceholderText(self.tr("搜索：房号 3-2-501 或 3-2、姓名、拼音首字母、电话尾号"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.add_button = QPushButton(self.tr("添加住户…"), self)
        self.add_button.clicked.connect(lambda: self.open_form("add"))
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.search, 1)
        head.addWidget(self.count)
        head.addWidget(self.add_button)
        self.add_button.setVisible(self.may_manage)       # (a child of the page: never a window of its own)

        filters = QHBoxLayout()
        self.filter_boxes: dict[str, QCheckBox] = {}
        for name, text in (("quarantine", self.tr("居家隔离")), ("observation", self.tr("健康观察")),
                           ("no_pass", self.tr("无有效出入证")), ("moved_out", self.tr("已迁出"))):
            box = QCheckBox(text)
            box.toggled.connect(lambda on, n=name: self.proxy.set_filter(n, on))
            filters.addWidget(box)
            self.filter_boxes[name] = box
        filters.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 90, 60, 135, 190, 205, 60)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)

        self.household = self._household_panel()
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.household)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        split.setSizes([900, 360])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addLayout(head)
        lay.addLayout(filters)
        lay.addWidget(split, 1)
        self._loaded = False

    # -- the household panel ----------------------------------------------------------------------
    def _household_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("panel")
        panel.setMinimumWidth(310)
        panel.setMaximumWidth(440)
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(14, 10, 14, 10)
        self.household_title = QLabel(self.tr("选择一位住户查看其房屋"))
        self.household_title.setObjectName("pageTitle")
        self.household_title.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.addWidget(self.household_title, 1)
        self.correct_button = QPushButton(self.tr("更正…"), panel)
        self.correct_button.setToolTip(self.tr("更正所选住户的登记信息"))
        self.correct_button.clicked.connect(lambda: self.open_form("correct"))
        self.move_out_button = QPushButton(self.tr("迁出…"), panel)
        self.move_out_button.setToolTip(self.tr("所选住户迁出，其出入证立即作废"))
        self.move_out_button.clicked.connect(lambda: self.open_form("move_out"))
        for button in (self.correct_button, self.move_out_button):
            title_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            button.setVisible(False)                 # shown with the household, for a role that may manage
        lay.addLayout(title_row)
        # Members and passages scroll (a big household on a short screen); the form stays below.
        details = QWidget()
        details_lay = QVBoxLayout(details)
        details_lay.setContentsMargins(0, 0, 0, 0)
        self.members = QLabel()
        self.members.setWordWrap(True)
        self.members.setTextFormat(Qt.TextFormat.PlainText)
        details_lay.addWidget(self.members)
        self.history = QLabel()
        self.history.setObjectName("hint")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        details_lay.addWidget(self.history)
        self.passages = QLabel()
        self.passages.setObjectName("hint")
        self.passages.setWordWrap(True)
        self.passages.setTextFormat(Qt.TextFormat.PlainText)
        details_lay.addWidget(self.passages)
        details_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("householdScroll")
        scroll.setWidget(details)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(scroll, 1)

        self.change = QWidget()
        form = QGridLayout(self.change)
        form.setContentsMargins(0, 6, 0, 0)
        self.scope_person = QRadioButton()
        self.scope_household = QRadioButton(self.tr("整户"))
        self.scope_selected = QRadioButton()
        self.scope_person.setChecked(True)
        scope = QButtonGroup(self.change)
        for button in (self.scope_person, self.scope_household, self.scope_selected):
            scope.addButton(button)
        scope_row = QGridLayout()
        scope_row.addWidget(self.scope_person, 0, 0)
        scope_row.addWidget(self.scope_household, 0, 1)
        scope_row.addWidget(self.scope_selected, 1, 0, 1, 2)
        self.scope_selected.setVisible(False)
        scope_row.setColumnStretch(2, 1)
        form.addWidget(QLabel(self.tr("对象")), 1, 0, Qt.AlignmentFlag.AlignTop)
        form.addLayout(scope_row, 1, 1)
        form.addWidget(QLabel(self.tr("状态")), 2, 0)
        self.status = QComboBox()
        for key, text in (("quarantine", self.tr("居家隔离")), ("observation", self.tr("健康观察")),
                          ("normal", self.tr("恢复正常（提前解除）"))):
            self.status.addItem(text, key)
        self.status.currentIndexChanged.connect(self._status_picked)
        form.addWidget(self.status, 2, 1)
        self.until_label = QLabel(self.tr("截止"))
        form.addWidget(self.until_label, 3, 0)
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        form.addWidget(self.until, 3, 1)
        form.addWidget(QLabel(self.tr("原因")), 4, 0)
        self.reason = QLineEdit()
        self.reason.setObjectName("statusReason")
        self.reason.setPlaceholderText(self.tr("提前解除时必填"))
        self.reason.returnPressed.connect(self.apply_status)      # Enter saves, as 保存 does
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason, 1)
        self.apply_button = QPushButton(self.tr("保存"))
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self.apply_status)
        reason_row.addWidget(self.apply_button)
        form.addLayout(reason_row, 4, 1)
        form.setColumnStretch(1, 1)
        self.message = error_label()
        form.addWidget(self.message, 5, 0, 1, 2)
        self.change.setVisible(False)
        lay.addWidget(self.change)
        return panel

    def _status_picked(self) -> None:
        needs_date = self.status.currentData() != "normal"
        self.until.setVisible(needs_date)
        self.until_label.setVisible(needs_date)

    # -- loading ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        from checkpoint_app.services import residents

        self.count.setText(self.tr("正在读取…"))

        def job(c):
            roster = residents.office_roster(c)
            return roster, search_columns(roster.residents)

        if not self.bg.run("roster", job, self._roster_arrived):
            QTimer.singleShot(200, self.reload)      # one is running: ask again once it is done

    def _roster_arrived(self, loaded) -> None:
        roster, columns = loaded
        self.model.set_roster(roster, columns)
        self._update_count()
        self._reselect()
        self.rosterLoaded.emit(len(roster.residents))
        if self.household_id is not None:
            self.show_household(self.household_id)

    def _reselect(self) -> None:
        """After a reload the same person stays selected (a reset model forgets its selection)."""
        if self.selected_id is None:
            return
        row = next((i for i, r in enumerate(self.model.rows) if r.id == self.selected_id), None)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if index is not None and index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _update_count(self, *_args) -> None:
        self.count.setText(self.tr("{shown} / {total} 人").format(shown=self.proxy.rowCount(),
                                                                   total=self.proxy.total))

    def _row_changed(self, current, _previous) -> None:
        resident = current.data(RESIDENT_ROLE) if current.isValid() else None
        if resident is None:
            return
        self.selected_id = resident.id
        self.scope_person.setText(resident.name)
        self.show_household(resident.household_id)

    @property
    def selected(self):
        index = self.table.selectionModel().currentIndex()
        return index.data(RESIDENT_ROLE) if index.isValid() else None

    def selected_households(self) -> list[int]:
        """The households of every selected row, in table order."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return list(dict.fromkeys(self.proxy.index(r, 0).data(RESIDENT_ROLE).household_id for r in rows))

    def _selection_changed(self, *_args) -> None:
        households = self.selected_households()
        several = len(households) > 1
        self.scope_selected.setText(self.tr("选中的 {n} 户").format(n=len(households)))
        self.scope_selected.setVisible(several)
        if several:
            self.scope_selected.setChecked(True)
        elif self.scope_selected.isChecked():
            self.scope_household.setChecked(True)

    def show_household(self, household_id: int) -> None:
        from checkpoint_app.services import residents

        self._wanted_household = household_id
        if not self.bg.busy("household"):
            self.bg.run("household", lambda c: residents.household_view(c, household_id), self._household_arrived)

    def _household_arrived(self, view) -> None:
        if self._wanted_household != view.household_id:
            self.show_household(self._wanted_household)      # the selection moved on meanwhile
            return
        self.household_id = view.household_id
        self.household_title.setText(view.label)
        lines = []
        for r in view.members:
            state = self.model.status_text(r)
            cards = [p for p in view.passes.get(r.id, []) if p.status == "active"]
            card = self.tr("证 {n}，有效至 {day}").format(n=cards[-1].number, day=cards[-1].valid_until.isoformat()) \
                if cards else self.tr("无出入证")
            lines.append(f"{r.name}  {r.phone or ''}\n{state} · {card}")
        self.members.setText("\n\n".join(lines))
        self.history.setText(self._history_text(view.changes))
        if view.passages:
            directions = {"in": self.tr("进"), "out": self.tr("出")}
            self.passages.setText(self.tr("最近出入：") + "\n" + "\n".join(
                f"{p.at[5:16].replace('T', ' ')}  {p.name or ''} {directions.get(p.direction, p.direction)}"
                for p in view.passages))
        else:
            self.passages.setText(self.tr("最近没有出入记录。"))
        self.change.setVisible(self.may_manage)
        person = self.selected
        for button in (self.correct_button, self.move_out_button):
            button.setVisible(self.may_manage)
            button.setEnabled(person is not None and person.active)
        today = self.ctx.now().date()
        if self.until.date().toPython() <= today:
            self.until.setDate(_qdate(today + timedelta(days=14)))
        self.householdShown.emit(view.label)

    def _history_text(self, changes) -> str:
        if not changes:
            return ""
        actions = {"add": self.tr("登记"), "correct": self.tr("更正"), "quarantine": self.tr("居家隔离"),
                   "observation": self.tr("健康观察"), "normal": self.tr("恢复正常"), "moved_out": self.tr("迁出")}
        fields = {"household": self.tr("房号"), "name": self.tr("姓名"), "phone": self.tr("电话"),
                  "id_number": self.tr("身份证号"), "kind": self.tr("身份")}
        lines = []
        for c in changes:
            what = actions.get(c.action, c.action)
            if c.until:
                what += self.tr(" 至 {day}").format(day=c.until)
            if c.action == "correct":
                what += " " + "；".join(f"{fields.get(k, k)} {self._value(k, old)}→{self._value(k, new)}"
                                        for k, (old, new) in c.changes.items())
            line = f"{c.at[5:16].replace('T', ' ')} {c.recorded_by or ''} · {c.name} {what}"
            if c.reason:
                line += self.tr("（原因：{reason}）").format(reason=c.reason)
            lines.append(line)
        return self.tr("登记与状态变更：") + "\n" + "\n".join(lines)

    def _value(self, field: str, value) -> str:
        if value is None:
            return "—"
        return self.model.kinds.get(value, value) if field == "kind" else str(value)

    # -- adding, correcting, moving out ---------------------------------------------------------------
    def open_form(self, mode: str) -> None:
        from checkpoint_app.ui.office.resident_form import ResidentForm

        person = self.selected
        if mode != "add" and person is None:
            return
        form = ResidentForm(mode, person, self, kinds=self.model.kinds)
        form.submitted.connect(lambda job: self._run_form(form, job))
        form.show()
        self.form = form                   # tests reach it; Qt keeps it (a child of the page)

    def _run_form(self, form, job) -> None:
        def done(resident) -> None:
            form.done_with(resident)
            self.selected_id = resident.id
            self.household_id = resident.household_id
            self._wanted_household = resident.household_id
            say(self.message, "fieldOk", self.tr("已保存：{name}（{household}）").format(
                name=resident.name, household=resident.household))
            self.residentSaved.emit(resident.id)
            self.reload()

        if not self.bg.run("resident", job, done, form.failed):
            form.busy()

    # -- changing a status ----------------------------------------------------------------------------
    def apply_status(self) -> None:
        from checkpoint_app.services import residents

        person = self.selected
        if not self.apply_button.isEnabled():
            return
        if person is None or self.household_id is None:     # e.g. their row left the table (moved out)
            say(self.message, "fieldError", self.tr("请先在表中选中一位住户。"))
            return
        status = self.status.currentData()
        until = self.until.date().toPython() if status != "normal" else None
        reason = self.reason.text()
        households = self.selected_households() if self.scope_selected.isChecked() else None
        whole = self.scope_household.isChecked()
        self.message.clear()

        def job(c):
            if households:
                return residents.set_households_status(c, households, status, until, reason)
            if whole:
                return residents.set_household_status(c, person.household_id, status, until, reason)
            return [residents.set_status(c, person.id, status, until, reason)]

        self.apply_button.setEnabled(False)
        if not self.bg.run("status", job, self._status_done, self._status_failed):
            self.apply_button.setEnabled(True)

    def _status_done(self, changed) -> None:
        self.apply_button.setEnabled(True)
        self.reason.clear()
        names = "、".join(r.name for r in changed)
        say(self.message, "fieldOk", self.tr("已更新：{names}（{state}）").format(
            names=names, state=self.model.status_text(changed[0]) if changed else ""))
        self.statusChanged.emit(len(changed))
        self.reload()

    def _status_failed(self, err: BaseException) -> None:
        self.apply_button.setEnabled(True)
        say_refusal(self.message, err)


def _qdate(day) -> QDate:
    return QDate(day.year, day.month, day.day)
