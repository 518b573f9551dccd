"""入户排查: a survey campaign's progress per building and for the estate, and the entry of one
household's visit or call (who was there, what help it needs). A household needing help opens
an incident whose follow-ups record the help given; a returnee found goes to the returnees page
with the household filled in. Reads and writes run in the background (background.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from checkpoint_app.domain.home_quarantine import CONTACTS, NEEDS
from checkpoint_app.services import survey
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.office.home_docs import DocumentButtons
from checkpoint_app.ui.shared.style import error_label

_COLUMNS = ("households", "visited", "phoned", "not_reached", "untouched", "needs_help", "percent")


class SurveyPage(QWidget):
    loaded = Signal()
    visited = Signal(object)        # survey.Visit

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.progress: survey.Progress | None = None
        title = QLabel(self.tr("入户排查"))
        title.setObjectName("pageTitle")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("排查名称")))
        self.campaign = QComboBox()
        self.campaign.setEditable(True)
        self.campaign.setMinimumWidth(220)
        self.campaign.lineEdit().setPlaceholderText(self.tr("如 2026年12月入户排查"))
        self.campaign.activated.connect(lambda _i: self.refresh())
        self.campaign.lineEdit().editingFinished.connect(self.refresh)
        top.addWidget(self.campaign, 1)       # as wide as the summary beside it: its hint whole at 1024x640
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)

        self.table = QTableWidget(0, 1 + len(_COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("楼栋"), self.tr("户数"), self.tr("入户"), self.tr("电话"),
                                              self.tr("未联系上"), self.tr("未排查"), self.tr("需帮助"), self.tr("完成 %")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        box = QGroupBox(self.tr("登记一户"))
        form = QGridLayout(box)
        self.household = QLineEdit()
        self.household.setPlaceholderText(self.tr("房号，如 3-2-501"))
        self.contact = QComboBox()
        for c in CONTACTS:
            self.contact.addItem(survey.contact_label(c), c)
        self.present = QLineEdit()
        self.present.setPlaceholderText(self.tr("在家人员"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("备注"))
        self.needs = {n: QCheckBox(survey.need_label(n)) for n in NEEDS}
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        for field in (self.present, self.note):
            field.returnPressed.connect(self.save_button.click)        # Enter saves, as 保存 does
        self.returnee_button = QPushButton(self.tr("发现返回人员…"))
        self.returnee_button.clicked.connect(self.returnee_found)
        form.addWidget(self.household, 0, 0)
        form.addWidget(self.contact, 0, 1)
        form.addWidget(self.present, 0, 2)
        form.addWidget(self.note, 0, 3)
        # the needs in rows of three (five in one row are cut at 1024 px in English), the buttons beside
        needs = QGridLayout()
        needs.addWidget(QLabel(self.tr("需要帮助：")), 0, 0)
        for i, check in enumerate(self.needs.values()):
            needs.addWidget(check, i // 3, 1 + i % 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.returnee_button)
        buttons.addWidget(self.save_button)
        n = len(self.needs)     # the buttons after the last need, on its row when there is room
        needs.addLayout(buttons, n // 3, 1 + n % 3, 1, 3 - n % 3)
        needs.setColumnStretch(3, 1)
        form.addLayout(needs, 1, 0, 1, 4)
        for col in range(4):
            form.setColumnStretch(col, 1)
        self.message = error_label()
        self.documents = DocumentButtons(background, self.message, self._document_data, self)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(self.documents.layout())
        lay.addWidget(box)
        lay.addWidget(self.message)
        self.bg.run("campaigns", survey.campaigns, self._campaigns)

    def _campaigns(self, names: list[str]) -> None:
        self.campaign.addItems(names)
        if names:
            self.campaign.setCurrentIndex(len(names) - 1)
        self.refresh()

    def _document_data(self, ctx: GateContext):
        from checkpoint_app.services import home_documents

        return home_documents.survey_progress_data(ctx, self.campaign.currentText().strip())

    # -- progress ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        name = self.campaign.currentText().strip()
        if name:
            self.bg.run("progress", lambda c: survey.progress(c, name), self._show)
        else:
            self.summary.setText(self.tr("填写排查名称开始一次排查。"))

    def _show(self, p: survey.Progress) -> None:
        self.progress = p
        rows = [(b, t) for b, t in p.buildings.items()] + [(self.tr("全小区"), p.estate)]
        self.table.setRowCount(len(rows))
        for r, (name, t) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(name))
            for c, key in enumerate(_COLUMNS, 1):
                self.table.setItem(r, c, QTableWidgetItem(str(getattr(t, key))))
        e = p.estate
        self.summary.setText(self.tr("已联系 {reached} / {n} 户（{percent}%），未联系上 {nr}，未排查 {left}，需帮助 {help}。").format(
            reached=e.reached, n=e.households, percent=e.percent, nr=e.not_reached, left=e.untouched, help=e.needs_help))
        self.loaded.emit()

    # -- a visit ----------------------------------------------------------------------------------
    def save(self) -> None:
        name, household = self.campaign.currentText(), self.household.text()
        contact, present, note = self.contact.currentData(), self.present.text(), self.note.text()
        needs = tuple(n for n, c in self.needs.items() if c.isChecked())

        def job(c):
            return survey.record_visit(c, name, household, contact, present=present, needs=needs, note=note)
        if self.bg.run("visit", job, self._saved, self._failed):
            self.save_button.setEnabled(False)

    def _saved(self, visit: survey.Visit) -> None:
        self.save_button.setEnabled(True)
        for w in (self.household, self.present, self.note):
            w.clear()
        for c in self.needs.values():
            c.setChecked(False)
        text = self.tr("{household}：{result}。").format(household=visit.household,
                                                        result=survey.contact_label(visit.contact))
        if visit.incident:
            text += self.tr("已开帮扶事件，帮助办妥后在事件中记录跟进。")
        say(self.message, "fieldOk", text)
        if self.campaign.findText(self.campaign.currentText()) < 0:
            self.campaign.addItem(self.campaign.currentText())
        self.visited.emit(visit)
        self.household.setFocus()
        self.refresh()

    def _failed(self, err: BaseException) -> None:
        self.save_button.setEnabled(True)
        say_refusal(self.message, err)

    def returnee_found(self) -> None:
        """To the returnees page, with this household filled in."""
        shell = self.parent()
        while shell is not None and not hasattr(shell, "open"):
            shell = shell.parent()
        if shell is None or "returnees" not in [s.key for s in shell.specs]:
            say(self.message, "fieldError", self.tr("登记返回人员需要物业管理员权限。"))
            return
        page = shell.open("returnees")
        page.household.setText(self.household.text().strip())
        page.name.setFocus()
