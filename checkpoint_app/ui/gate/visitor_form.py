"""Visitor registration (F2): validated as the guard types, each error next to its field.

A field shows ✓ as soon as it is valid; its error appears once the guard leaves the field (or the
text is long enough to judge: 11 digits of a phone, 18 characters of an ID number), so nobody is
scolded for a number they are still typing. The same checks as the service (the domain
validators), so what the form accepts the service accepts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QCompleter, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from checkpoint_app.domain.identity import normalize_name, validate_id_number, validate_mobile
from checkpoint_app.domain.temperature import parse_temperature
from checkpoint_app.errors import InvalidInput, UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header


class _CodeButton(QPushButton):
    """A health-code colour. Space chooses it (as any button); Enter chooses it and registers —
    the form is filled field by field with Enter, and this is its last step."""

    submitted = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.setChecked(True)
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class _Field:
    def __init__(self, edit: QLineEdit, status: QLabel, check: Callable[[str], object], judge_at: int = 0) -> None:
        self.edit, self.status, self.check, self.judge_at = edit, status, check, judge_at
        self.touched = False

    def validate(self, *, show: bool) -> str | None:
        try:
            self.check(self.edit.text())
        except UserError as err:
            if show:
                self.show_error(str(err))
            else:
                self.status.clear()
                self._mark(False)
            return str(err)
        self.status.setObjectName("fieldOk")
        self.status.setText("✓")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self._mark(False)
        return None

    def show_error(self, message: str) -> None:
        self.status.setObjectName("fieldError")
        self.status.setText(message)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self._mark(True)

    def _mark(self, invalid: bool) -> None:
        if self.edit.property("invalid") != invalid:
            self.edit.setProperty("invalid", invalid)
            self.edit.style().unpolish(self.edit)
            self.edit.style().polish(self.edit)

    def on_changed(self) -> None:
        long_enough = self.judge_at and len("".join(self.edit.text().split())) >= self.judge_at
        self.validate(show=self.touched or bool(long_enough))

    def on_left(self) -> None:
        if self.edit.text().strip():
            self.touched = True
            self.validate(show=True)


class VisitorFormPanel(QWidget):
    registered = Signal(object, str)      # VisitorResult, visitor's name
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._households: set[str] = set()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 12, 22, 12)
        lay.setSpacing(4)
        add_panel_header(lay, self.tr("访客登记（F2）"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(0)
        self.fields: dict[str, _Field] = {}
        today = lambda: self.ctx.now().date()  # noqa: E731
        specs = [
            ("name", self.tr("姓名"), normalize_name, True, 0),
            ("phone", self.tr("手机"), validate_mobile, False, 11),
            ("id_number", self.tr("身份证"), lambda t: validate_id_number(t, today=today()), False, 18),
            ("temperature", self.tr("体温"), self._check_temperature, False, 3),
            ("purpose", self.tr("事由"), self._check_text(100), True, 0),
            ("from_place", self.tr("来自"), self._check_text(60), True, 0),
            ("host", self.tr("被访户"), self._check_host, False, 0),
        ]
        for i, (key, label, check, ime, judge_at) in enumerate(specs):
            row, col = (i // 2) * 2, (i % 2) * 2
            edit = QLineEdit()
            edit.setObjectName(f"visitor_{key}")
            edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, ime)
            edit.setStyleSheet("font-size: 20px;")
            status = error_label()
            status.setMinimumHeight(22)
            caption = QLabel(label)
            caption.setStyleSheet("font-size: 20px;")
            grid.addWidget(caption, row, col)
            grid.addWidget(edit, row, col + 1)
            grid.addWidget(status, row + 1, col + 1)
            field = _Field(edit, status, check, judge_at)
            edit.textChanged.connect(field.on_changed)
            edit.editingFinished.connect(field.on_left)
            self.fields[key] = field
        self.fields["phone"].edit.setPlaceholderText("13812345678")
        self.fields["id_number"].edit.setPlaceholderText(self.tr("18 位"))
        self.fields["temperature"].edit.setPlaceholderText("365")
        self.fields["host"].edit.setPlaceholderText("3-2-501")
        # Health code: three big toggles; a colour must be chosen, never assumed.
        code_row = QHBoxLayout()
        self._codes = QButtonGroup(self)
        self.code_buttons: dict[str, QPushButton] = {}
        for code, text, name in (("green", self.tr("绿码"), "codeGreen"), ("yellow", self.tr("黄码"), "codeYellow"),
                                 ("red", self.tr("红码"), "codeRed")):
            btn = _CodeButton(text)
            btn.setObjectName(name)
            btn.setCheckable(True)
            btn.clicked.connect(self._code_chosen)
            btn.submitted.connect(self._code_chosen)
            btn.submitted.connect(self.register)
            self._codes.addButton(btn)
            self.code_buttons[code] = btn
            code_row.addWidget(btn)
        code_caption = QLabel(self.tr("健康码"))
        code_caption.setStyleSheet("font-size: 20px;")
        grid.addWidget(code_caption, 6, 2)
        grid.addLayout(code_row, 6, 3)
        self.code_status = QLabel()
        self.code_status.setObjectName("fieldError")
        grid.addWidget(self.code_status, 7, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        households = QCompleter(self)
        households.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        households.setModel(QStringListModel(self))
        self.fields["host"].edit.setCompleter(households)
        self._completer = households
        self.form_error = error_label()
        lay.addWidget(self.form_error)
        row = QHBoxLayout()
        self.submit = QPushButton(self.tr("登记进入（Ctrl+回车）"))
        self.submit.setObjectName("primary")
        self.submit.clicked.connect(self.register)
        clear = QPushButton(self.tr("清空"))
        clear.clicked.connect(self.clear)
        back = QPushButton(self.tr("返回 (Esc)"))
        back.clicked.connect(self.cancelled)
        for b in (self.submit, clear, back):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        order = ["name", "phone", "id_number", "temperature", "purpose", "from_place", "host"]
        for a, b in zip(order, order[1:]):
            self.fields[a].edit.returnPressed.connect(self.fields[b].edit.setFocus)
        self.fields["host"].edit.returnPressed.connect(self._after_host)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.register, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- checks -------------------------------------------------------------------------------------
    def _check_temperature(self, text: str) -> int:
        if not text.strip():
            raise InvalidInput(self.tr("访客必须测量体温。"), "temperature_malformed")
        return parse_temperature(text)

    def _check_text(self, limit: int) -> Callable[[str], str]:
        def check(text: str) -> str:
            value = " ".join(text.split())
            if not value:
                raise InvalidInput(self.tr("请填写。"), "text_invalid")
            if len(value) > limit:
                raise InvalidInput(self.tr("不能超过 {n} 个字。").format(n=limit), "text_invalid")
            return value
        return check

    def _check_host(self, text: str) -> str:
        label = "-".join(p.strip() for p in text.strip().split("-"))
        if not label:
            raise InvalidInput(self.tr("请填写被访住户的户号，如 3-2-501。"), "household_invalid")
        if label not in self._households:
            raise InvalidInput(self.tr("没有户号为 {label} 的住户。").format(label=label), "not_found")
        return label

    # -- flow ---------------------------------------------------------------------------------------
    def prepare(self) -> None:
        labels = _screen().household_labels(self.ctx, "", limit=100_000)
        self._households = set(labels)
        self._completer.model().setStringList(labels)
        if not any(f.edit.text() for f in self.fields.values()):
            self.fields["name"].edit.setFocus()

    def clear(self) -> None:
        for f in self.fields.values():
            f.edit.blockSignals(True)
            f.edit.clear()
            f.edit.blockSignals(False)
            f.touched = False
            f.status.clear()
            f._mark(False)
        self._codes.setExclusive(False)
        for b in self.code_buttons.values():
            b.setChecked(False)
        self._codes.setExclusive(True)
        self.code_status.clear()
        self.form_error.clear()
        self.fields["name"].edit.setFocus()

    def health_code(self) -> str | None:
        return next((c for c, b in self.code_buttons.items() if b.isChecked()), None)

    def _code_chosen(self) -> None:
        self.code_status.clear()

    def _after_host(self) -> None:
        """Enter in the host field: on to the health-code colours (or register, one chosen).
        The completer's list may still be up (it takes the keyboard a moment after it appears):
        Enter there means what is typed, as when the list has closed."""
        popup = self._completer.popup()
        if popup.isVisible():
            popup.hide()
        if self.health_code() is None:
            self.code_buttons["green"].setFocus()
        else:
            self.register()

    def validate_all(self) -> bool:
        first_bad = None
        for f in self.fields.values():
            f.touched = True
            if f.validate(show=True) is not None and first_bad is None:
                first_bad = f.edit
        if self.health_code() is None:
            self.code_status.setText(self.tr("请选择健康码颜色。"))
            first_bad = first_bad or self.code_buttons["green"]
        if first_bad is not None:
            first_bad.setFocus()
            return False
        return True

    @guarded
    def register(self) -> None:
        from checkpoint_app.services import visitors

        self.form_error.clear()
        if not self.validate_all():
            return
        values = {k: f.edit.text() for k, f in self.fields.items()}
        try:
            result = visitors.visitor_in(
                self.ctx, name=values["name"], phone=values["phone"], id_number=values["id_number"],
                purpose=values["purpose"], host=values["host"], from_place=values["from_place"],
                health_code=self.health_code(), temperature=values["temperature"], guard=self.ctx.user)
        except UserError as err:
            self._place_error(err)
            return
        name = normalize_name(values["name"])
        self.clear()
        self.registered.emit(result, name)

    def _place_error(self, err: UserError) -> None:
        field = {"name_invalid": "name", "phone_invalid": "phone", "id_number_invalid": "id_number",
                 "temperature_malformed": "temperature", "temperature_implausible": "temperature",
                 "household_invalid": "host", "not_found": "host", "purpose_invalid": "purpose",
                 "from_invalid": "from_place"}.get(err.code)
        if field is None:
            self.form_error.setText(str(err))
            return
        self.fields[field].show_error(str(err))
        self.fields[field].edit.setFocus()


def _screen():
    from checkpoint_app.services import gate_screen

    return gate_screen
