"""Signing on at shift start, and the PIN asked before the app may close.

Guards sign on with their name and a 4-8 digit PIN. While the site has no guard account yet
(the set-up wizard only creates the admin), the first guard creates their own guard account
here: the screen says so. Later guards are added by an admin ("add a guard", which asks the
admin's password). Both panels are pages of the gate screen, not modal dialogs: a scan that
arrives meanwhile is kept and handled after sign-on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header


class _CapsLockWatch(QObject):
    """Shows ``label`` while the letters typed into the watched fields say Caps Lock is on: a
    capital without Shift, or a small letter with it (Qt has no portable way to ask the key)."""

    def __init__(self, label: QLabel, *fields: QLineEdit) -> None:
        super().__init__(label)
        self.label = label
        label.setVisible(False)
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            text = event.text()
            if len(text) == 1 and text.isascii() and text.isalpha():
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.label.setVisible(text.isupper() != shift)
        return False


def _secret_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    field.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData)
    field.setMaxLength(64)
    field.setMinimumWidth(260)
    return field


class SignOnPanel(QWidget):
    signedOn = Signal(object)          # services.users.SignedOn
    addGuardRequested = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.first_run = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 20, 28, 20)
        self.title, self.explain = add_panel_header(lay, self.tr("值班员签到"), "")
        grid = QGridLayout()
        grid.setVerticalSpacing(10)
        grid.addWidget(QLabel(self.tr("姓名")), 0, 0)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.setMinimumWidth(260)
        grid.addWidget(self.name, 0, 1)
        self.pin_label = QLabel(self.tr("PIN"))
        grid.addWidget(self.pin_label, 1, 0)
        self.pin = _secret_field()
        grid.addWidget(self.pin, 1, 1)
        self.pin2_label = QLabel(self.tr("再输一次"))
        grid.addWidget(self.pin2_label, 2, 0)
        self.pin2 = _secret_field()
        grid.addWidget(self.pin2, 2, 1)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        self.caps = error_label()
        self.caps.setText(self.tr("大写锁定已打开（Caps Lock）。"))
        self._caps_watch = _CapsLockWatch(self.caps, self.pin, self.pin2)
        lay.addWidget(self.caps)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.submit = QPushButton(self.tr("签到（回车）"))
        self.submit.setObjectName("primary")
        self.submit.clicked.connect(self._submit)
        row.addWidget(self.submit)
        row.addStretch(1)
        self.add_guard = QPushButton(self.tr("添加值班员（管理员）"))
        self.add_guard.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_guard.clicked.connect(self.addGuardRequested)
        row.addWidget(self.add_guard)
        lay.addLayout(row)
        lay.addStretch(1)
        self.pending = QLabel()
        self.pending.setObjectName("queue")
        lay.addWidget(self.pending)
        self.name.lineEdit().returnPressed.connect(lambda: self.pin.setFocus())
        self.pin.returnPressed.connect(self._after_pin)
        self.pin2.returnPressed.connect(self._submit)

    def prepare(self) -> None:
        """Fill the names and pick the mode (first run or not); focus where to type."""
        self.first_run = not _has_guard(self.ctx)
        self.name.clear()
        if not self.first_run:
            self.name.addItems(_screen().guard_names(self.ctx))
            self.name.setCurrentIndex(-1)
            self.name.setEditText("")
        self.pin.clear()
        self.pin2.clear()
        self.error.clear()
        self.caps.setVisible(False)
        self.pin2.setVisible(self.first_run)
        self.pin2_label.setVisible(self.first_run)
        self.add_guard.setVisible(not self.first_run and _has_admin(self.ctx))
        if self.first_run:
            self.title.setText(self.tr("首次使用：创建值班员账号"))
            self.explain.setText(self.tr(
                "本门岗还没有值班员账号。请输入您的姓名，并设置 4 到 8 位数字 PIN（输入两次）。"
                "这将创建第一个值班员账号，之后每班用它签到。"))
        else:
            self.title.setText(self.tr("值班员签到"))
            self.explain.setText(self.tr("请选择或输入您的姓名，输入 PIN 后按回车。"))
        self.focus_first()

    def focus_first(self) -> None:
        """The name, or the PIN when the name is there already."""
        (self.pin if self.name.currentText().strip() else self.name).setFocus()

    def set_pending_scans(self, n: int) -> None:
        self.pending.setText(self.tr("已收到 {n} 次扫码，签到后立即处理").format(n=n) if n else "")

    def _after_pin(self) -> None:
        if self.first_run:
            self.pin2.setFocus()
        else:
            self._submit()

    @guarded
    def _submit(self) -> None:
        from checkpoint_app.services import users

        name = self.name.currentText().strip()
        self.error.clear()
        try:
            if self.first_run:
                if self.pin.text() != self.pin2.text():
                    self.error.setText(self.tr("两次输入的 PIN 不一致。"))
                    self.pin2.clear()
                    self.pin2.setFocus()
                    return
                users.add_first_user(self.ctx, name, "guard", self.pin.text())
            signed = users.sign_on(self.ctx, name, self.pin.text())
        except UserError as err:
            self.error.setText(str(err))
            self.pin.clear()
            self.pin.setFocus()
            return
        self.pin.clear()
        self.pin2.clear()
        self.signedOn.emit(signed)


class ClosePanel(QWidget):
    """Closing the gate app needs a PIN or password and a second, deliberate key."""

    closeConfirmed = Signal()
    cancelled = Signal()

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 20, 28, 20)
        add_panel_header(lay, self.tr("退出门岗通？"),
                         self.tr("退出后本门岗不再登记出入。确认退出请输入值班员 PIN 或管理员密码，"
                                 "然后按“确认退出”。按 Esc 返回。"))
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("姓名")), 0, 0)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setMinimumWidth(260)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(QLabel(self.tr("PIN/密码")), 1, 0)
        self.secret = _secret_field()
        grid.addWidget(self.secret, 1, 1)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.confirm = QPushButton(self.tr("确认退出"))
        self.confirm.setObjectName("primary")
        self.confirm.clicked.connect(self._confirm)
        self.cancel = QPushButton(self.tr("返回 (Esc)"))
        self.cancel.clicked.connect(self.cancelled)
        row.addWidget(self.confirm)
        row.addWidget(self.cancel)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.secret.returnPressed.connect(self._confirm)

    def prepare(self) -> None:
        self.name.clear()
        self.name.addItems(_screen().guard_names(self.ctx))
        self.name.setEditText(self.ctx.user or "")
        self.secret.clear()
        self.error.clear()
        self.secret.setFocus()

    @guarded
    def _confirm(self) -> None:
        from checkpoint_app.services import users

        if not _screen().has_users(self.ctx):
            self.closeConfirmed.emit()  # nobody to ask: a brand-new site
            return
        try:   # only a check: the gate goes on acting for whoever is on duty
            users.sign_on(self.ctx, self.name.currentText().strip(), self.secret.text())
        except UserError as err:
            self.error.setText(str(err))
            self.secret.clear()
            return
        self.secret.clear()
        self.closeConfirmed.emit()


def _screen():
    from checkpoint_app.services import gate_screen

    return gate_screen


def _has_guard(ctx: GateContext) -> bool:
    from checkpoint_app.services import users

    return any(u.role == "guard" and not u.disabled for u in users.list_users(ctx))


def _has_admin(ctx: GateContext) -> bool:
    from checkpoint_app.services import users

    return any(u.role == "admin" and not u.disabled for u in users.list_users(ctx))
