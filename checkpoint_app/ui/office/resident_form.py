"""The small form beside the residents table: add a resident, correct one, or move one out.

Window-modal and shown (never ``exec()``: the event loop and the gate's scans keep running). The
page runs the service in the background (``submitted`` carries the job); a refusal is said on
the form's own line and the form stays open with what was typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.db.residents_repo import Resident
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

KINDS = ("owner", "family", "tenant")


class ResidentForm(QDialog):
    """``mode``: "add" (``resident`` gives the household), "correct" or "move_out"."""

    submitted = Signal(object)       # job(ctx) -> Resident, run by the page in the background

    def __init__(self, mode: str, resident: Resident | None, parent: QWidget | None = None,
                 kinds: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.resident = resident
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        titles = {"add": self.tr("添加住户"), "correct": self.tr("更正登记信息"), "move_out": self.tr("迁出")}
        self.setWindowTitle(titles[mode])
        lay = QVBoxLayout(self)
        title = QLabel(titles[mode] if mode == "add" else self.tr("{title}：{name}（{household}）").format(
            title=titles[mode], name=resident.name, household=resident.household))
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.kind = QComboBox()
        if mode != "move_out":
            for key, label, value in (
                    ("household", self.tr("房号"), resident.household if resident else ""),
                    ("name", self.tr("姓名"), resident.name if mode == "correct" else ""),
                    ("phone", self.tr("电话"), (resident.phone or "") if mode == "correct" else ""),
                    ("id_number", self.tr("身份证号"), (resident.id_number or "") if mode == "correct" else "")):
                edit = QLineEdit(value)
                edit.setObjectName(f"resident_{key}")
                form.addRow(label, edit)
                self.fields[key] = edit
            self.fields["household"].setPlaceholderText(self.tr("楼栋-单元-房号，如 3-2-501"))
            self.fields["phone"].setPlaceholderText(self.tr("11 位手机号，可空"))
            self.fields["id_number"].setPlaceholderText(self.tr("18 位身份证号，可空"))
            for key in KINDS:
                self.kind.addItem((kinds or {}).get(key, key), key)
            self.kind.setCurrentIndex(self.kind.findData(resident.kind if mode == "correct" else "family"))
            form.addRow(self.tr("身份"), self.kind)
        else:
            note = QLabel(self.tr("迁出后其出入证立即作废，门岗扫码即拒绝。"))
            note.setObjectName("hint")
            note.setWordWrap(True)
            form.addRow(note)
        self.reason = QLineEdit()
        self.reason.setObjectName("resident_reason")
        self.reason.setPlaceholderText(self.tr("必填") if mode != "add" else self.tr("可空"))
        form.addRow(self.tr("原因"), self.reason)
        lay.addLayout(form)
        self.message = error_label()
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = QPushButton({"add": self.tr("添加"), "correct": self.tr("保存更正"),
                                      "move_out": self.tr("确认迁出")}[mode])
        self.ok_button.setObjectName("primary")
        self.ok_button.setDefault(True)        # Enter in a field submits (without it, 取消 was the default)
        self.ok_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        lay.addLayout(buttons)

    def job(self) -> Callable:
        from checkpoint_app.services import residents

        reason = self.reason.text()
        if self.mode == "move_out":
            rid = self.resident.id
            return lambda c: residents.move_out(c, rid, reason)
        typed = {k: e.text() for k, e in self.fields.items()}
        kind = self.kind.currentData()
        if self.mode == "add":
            return lambda c: residents.add_resident(c, typed["household"], typed["name"], phone=typed["phone"],
                                                    id_number=typed["id_number"], kind=kind, reason=reason)
        r = self.resident
        before = {"household": r.household, "name": r.name, "phone": r.phone or "",
                  "id_number": r.id_number or "", "kind": r.kind}
        changed = {k: v for k, v in {**typed, "kind": kind}.items() if v.strip() != before[k]}
        rid = r.id
        return lambda c: residents.correct_resident(c, rid, changed, reason)

    def submit(self) -> None:
        self.message.clear()
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.job())

    def done_with(self, resident: Resident) -> None:
        self.ok_button.setEnabled(True)
        self.accept()

    def failed(self, err: BaseException) -> None:
        self.ok_button.setEnabled(True)
        say_refusal(self.message, err)

    def busy(self) -> None:
        self.ok_button.setEnabled(True)
        say(self.message, "fieldError", self.tr("上一项改动仍在保存，请稍候再试。"))
