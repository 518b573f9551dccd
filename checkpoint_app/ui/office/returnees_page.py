"""返回人员: the risk areas (area, measure, days), registering a returnee (a resident or a new
member of a household), the returnee ledger, and ending a measure early with a reason.

Every write and every read of the ledger runs in the background (background.py); the gate
refuses or flags a registered returnee from the moment the registration is saved.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.domain.home_quarantine import MEASURES
from checkpoint_app.services import returnees
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.office.home_docs import DocumentButtons
from checkpoint_app.ui.shared.style import error_label


def _load(ctx: GateContext) -> tuple[list, list]:
    return returnees.risk_areas(ctx), returnees.returnee_ledger(ctx)


class ReturneesPage(QWidget):
    loaded = Signal()
    registered = Signal(str)        # the returnee record's uid

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.ledger: list[returnees.Returnee] = []
        title = QLabel(self.tr("返回人员"))
        title.setObjectName("pageTitle")

        areas_box = QGroupBox(self.tr("风险地区"))
        areas_lay = QVBoxLayout(areas_box)
        self.areas_text = QLabel()
        self.areas_text.setWordWrap(True)
        areas_lay.addWidget(self.areas_text)
        areas = QHBoxLayout()
        areas_lay.addLayout(areas)
        self.area = QLineEdit()
        self.area.setPlaceholderText(self.tr("地区，如 武汉"))
        self.area.setMaximumWidth(200)
        self.area_measure = self._measure_combo()
        self.area_days = QSpinBox()
        self.area_days.setRange(1, 60)
        self.area_days.setValue(14)
        self.area_days.setSuffix(self.tr(" 天"))
        self.area_button = QPushButton(self.tr("添加 / 修改"))
        self.area_button.clicked.connect(self.set_area)
        self.remove_button = QPushButton(self.tr("移出"))
        self.remove_button.clicked.connect(self.remove_area)
        self.area.returnPressed.connect(self.area_button.click)          # Enter adds, as the button does
        for w in (self.area, self.area_measure, self.area_days, self.area_button, self.remove_button):
            areas.addWidget(w)
        areas.addStretch(1)

        form_box = QGroupBox(self.tr("登记返回人员"))
        form = QGridLayout(form_box)
        self.household = QLineEdit()
        self.household.setPlaceholderText(self.tr("房号，如 3-2-501"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("姓名"))
        self.name.setToolTip(self.tr("该户没有此人时，作为新成员加入该户"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("电话"))
        self.from_area = QComboBox()
        self.from_area.setEditable(True)
        self.from_area.setMinimumWidth(140)
        self.arrival = QDateEdit()
        self.arrival.setCalendarPopup(True)
        self.arrival.setDisplayFormat("yyyy-MM-dd")
        today = ctx.now().date()
        self.arrival.setDate(QDate(today.year, today.month, today.day))
        self.arrival.setMaximumDate(QDate(today.year, today.month, today.day))
        self.travel = QLineEdit()
        self.travel.setPlaceholderText(self.tr("车次、航班或车牌"))
        self.contact = QLineEdit()
        self.contact.setPlaceholderText(self.tr("与病例接触情况，无则留空"))
        self.whole = QCheckBox(self.tr("全户同时隔离"))
        self.register_button = QPushButton(self.tr("登记"))
        self.register_button.setObjectName("primary")
        self.register_button.clicked.connect(self.register)
        for field in (self.name, self.phone, self.travel, self.contact):
            field.returnPressed.connect(self.register_button.click)    # Enter registers, as 登记 does
        form.addWidget(self.household, 0, 0)
        form.addWidget(self.name, 0, 1)
        form.addWidget(self.phone, 0, 2)
        form.addWidget(QLabel(self.tr("从")), 0, 3)
        form.addWidget(self.from_area, 0, 4)
        form.addWidget(QLabel(self.tr("到达")), 1, 3)
        form.addWidget(self.arrival, 1, 4)
        form.addWidget(self.travel, 1, 0)
        form.addWidget(self.contact, 1, 1, 1, 2)
        form.addWidget(self.whole, 2, 0, 1, 2)
        form.addWidget(self.register_button, 2, 4)
        for col in (0, 1, 2):
            form.setColumnStretch(col, 1)

        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([self.tr("房号"), self.tr("姓名"), self.tr("来自"), self.tr("到达"),
                                              self.tr("交通"), self.tr("措施"), self.tr("截止"), self.tr("提前解除")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        end = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("提前解除原因（必填）"))
        self.reason.setToolTip(self.tr("如 核酸阴性，社区卫生服务中心同意"))
        self.end_button = QPushButton(self.tr("提前解除所选人员"))
        self.end_button.clicked.connect(self.end_early)
        self.reason.returnPressed.connect(self.end_button.click)
        end.addWidget(self.reason, 1)
        end.addWidget(self.end_button)
        self.message = error_label()
        from checkpoint_app.services.home_documents import returnee_ledger_data

        self.documents = DocumentButtons(background, self.message, returnee_ledger_data, self)
        for button in (self.documents.pdf, self.documents.xlsx):
            end.addWidget(button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addWidget(areas_box)
        lay.addWidget(form_box)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 1)
        lay.addLayout(end)
        self.refresh()

    def _measure_combo(self) -> QComboBox:
        combo = QComboBox()
        for m in MEASURES:
            combo.addItem(returnees.measure_label(m), m)
        return combo

    # -- reading ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.bg.run("returnees", _load, self._show)

    def _show(self, loaded) -> None:
        areas, self.ledger = loaded
        self.areas_text.setText(self.tr("、").join(
            self.tr("{area}（{measure} {days} 天）").format(area=a.area, measure=returnees.measure_label(a.measure),
                                                          days=a.days) for a in areas) or self.tr("尚未设置风险地区。"))
        typed = self.from_area.currentText()
        self.from_area.clear()
        self.from_area.addItems([a.area for a in areas])
        self.from_area.setCurrentText(typed)
        self.table.setRowCount(len(self.ledger))
        for row, r in enumerate(self.ledger):
            for col, text in enumerate((r.household, r.name, r.from_area, r.arrival.isoformat(), r.travel,
                                        returnees.measure_label(r.measure), r.until.isoformat(), r.ended_early or "")):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.loaded.emit()

    # -- writing ----------------------------------------------------------------------------------
    def set_area(self) -> None:
        area, measure, days = self.area.text(), self.area_measure.currentData(), self.area_days.value()
        self._write("area", lambda c: returnees.set_risk_area(c, area, measure, days),
                    lambda a: self.tr("风险地区“{area}”已保存。").format(area=a.area))

    def remove_area(self) -> None:
        area = self.area.text().strip()
        self._write("area", lambda c: returnees.remove_risk_area(c, area),
                    lambda _r: self.tr("“{area}”已移出风险地区名单。").format(area=area))

    def register(self) -> None:
        d = self.arrival.date()
        kwargs = dict(household=self.household.text(), name=self.name.text(), phone=self.phone.text(),
                      from_area=self.from_area.currentText(), travel=self.travel.text(),
                      contact=self.contact.text(), whole_household=self.whole.isChecked())
        arrival = date(d.year(), d.month(), d.day())

        def done(r) -> str:
            for w in (self.name, self.phone, self.travel, self.contact):
                w.clear()
            self.registered.emit(r.uid)
            return self.tr("已登记 {household} {name}：{measure}至 {until}，门岗即时生效。").format(
                household=r.household, name=r.name, measure=returnees.measure_label(r.measure),
                until=r.until.isoformat())
        self._write("register", lambda c: returnees.register_returnee(c, arrival=arrival, **kwargs), done)

    def end_early(self) -> None:
        row = self.table.currentRow()
        if row < 0 or self.ledger[row].resident_id is None:
            say(self.message, "fieldError", self.tr("请先在表中选择一位返回人员。"))
            return
        person, reason = self.ledger[row], self.reason.text()

        def done(_r) -> str:
            self.reason.clear()
            return self.tr("{name} 已提前解除。").format(name=person.name)
        self._write("end", lambda c: returnees.end_early(c, person.resident_id, reason), done)

    def _write(self, name: str, job, sentence) -> None:
        def ok(result) -> None:
            self._busy(False)
            say(self.message, "fieldOk", sentence(result))
            self.refresh()

        def failed(err: BaseException) -> None:
            self._busy(False)
            say_refusal(self.message, err)
        if self.bg.run(name, job, ok, failed):
            self._busy(True)

    def _busy(self, busy: bool) -> None:
        for b in (self.area_button, self.remove_button, self.register_button, self.end_button):
            b.setEnabled(not busy)
