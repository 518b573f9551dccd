"""First start: set up the site, create the admin, add guards. Pages of the main window, no dialogs.

1. ``SetupPage`` on a data folder with no database: site code, site name, gate name
   (``services.site.init_site``, run off the GUI thread by ``ui/start_flow.py``);
2. ``AdminPage``: the admin's name and password (at least 8 characters, twice), created while
   nobody is signed on (``users.add_user`` with no role: the first-run exception);
3. ``AddGuardPanel``: the admin adds guard accounts (name, 4-8 digit PIN, twice). Right after the
   wizard the admin is signed on; later, from the sign-on panel, the admin's password is asked.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.errors import UserError
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.shared.sign_on import _secret_field
from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header


def _line(*, ascii_only: bool = False, max_length: int = 40) -> QLineEdit:
    field = QLineEdit()
    field.setMaxLength(max_length)
    field.setMinimumWidth(360)
    if ascii_only:   # a Chinese input method would swallow the letters into its candidate window
        field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    return field


class _FormPage(QWidget):
    """A title, an explanation, a grid of fields, an error line and a row of buttons."""

    def __init__(self, title: str, explain: str, *, margins: int = 40, step: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        body = self
        if step:   # a full-window page of the first start: the app's name and the step on top
            self.setObjectName("fullPage")
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 6)
            outer.setSpacing(6)
            head = QWidget()
            head.setObjectName("pageHead")
            head.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            head_lay = QHBoxLayout(head)
            head_lay.setContentsMargins(32, 14, 32, 14)
            name = QLabel(QCoreApplication.translate("setup_pages", "门岗通"))
            name.setObjectName("pageHeadTitle")
            head_lay.addWidget(name)
            head_lay.addStretch(1)
            self.step = QLabel(step)
            self.step.setObjectName("pageHeadStep")
            head_lay.addWidget(self.step)
            outer.addWidget(head)
            body = QWidget()
            wrap = QHBoxLayout()
            wrap.setContentsMargins(8, 0, 8, 0)
            wrap.addWidget(body)
            outer.addLayout(wrap, 1)
        body.setObjectName("panel")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._lay = QVBoxLayout(body)
        self._lay.setContentsMargins(margins, 24, margins, 20)
        self._lay.setSpacing(10)
        self.title, self.explain = add_panel_header(self._lay, title, explain)
        self.grid = QGridLayout()
        self.grid.setVerticalSpacing(10)
        self.grid.setHorizontalSpacing(14)
        self.grid.setColumnStretch(2, 1)
        self._lay.addLayout(self.grid)
        self.error = error_label()
        self._lay.addWidget(self.error)
        self.buttons = QHBoxLayout()
        self._lay.addLayout(self.buttons)
        self._lay.addStretch(1)
        self._fields: list[QLineEdit] = []

    def add_field(self, label: str, field: QLineEdit, hint: str = "") -> QLineEdit:
        row = self.grid.rowCount()
        self.grid.addWidget(QLabel(label), row, 0)
        self.grid.addWidget(field, row, 1)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            self.grid.addWidget(note, row, 2)
        if self._fields:   # Enter moves on to the next field; on the last one it submits
            self._fields[-1].returnPressed.connect(field.setFocus)
        self._fields.append(field)
        return field

    def add_button(self, text: str, slot, *, primary: bool = False) -> QPushButton:
        btn = QPushButton(text)
        if primary:
            btn.setObjectName("primary")
        btn.clicked.connect(slot)
        self.buttons.addWidget(btn)
        return btn

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def show_error(self, text: str, field: QLineEdit | None = None) -> None:
        self.error.setText(text)
        if field is not None:
            field.selectAll()
            field.setFocus()

    def set_busy(self, busy: bool) -> None:
        for i in range(self.buttons.count()):
            w = self.buttons.itemAt(i).widget()
            if w is not None:
                w.setEnabled(not busy)


class SetupPage(_FormPage):
    """The data folder holds no gate yet: name the site and this gate."""

    submitted = Signal(str, str, str)      # site code, site name, gate name

    def __init__(self, data_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("首次使用：设置本门岗"), self.tr(
            "数据文件夹 {dir} 里还没有门岗数据库。请填写小区和门岗，然后创建管理员账号。"
            "同一小区的各个门岗须使用相同的小区代码。").format(dir=data_dir),
            step=self.tr("首次使用 1/3：小区与门岗"), parent=parent)
        self.code = self.add_field(self.tr("小区代码"), _line(ascii_only=True, max_length=16),
                                   self.tr("2 到 16 位字母或数字，如 HXY01"))
        self.code.setPlaceholderText("HXY01")
        self.site_name = self.add_field(self.tr("小区名称"), _line(), self.tr("如：和谐苑小区"))
        self.gate_name = self.add_field(self.tr("门岗名称"), _line(), self.tr("如：南门"))
        self.gate_name.returnPressed.connect(self._submit)
        self.create = self.add_button(self.tr("创建（回车）"), self._submit, primary=True)
        self.finish_buttons()

    def prepare(self) -> None:
        self.error.clear()
        self.set_busy(False)
        self.code.setFocus()

    def _submit(self) -> None:
        self.error.clear()
        for field in (self.code, self.site_name, self.gate_name):
            if not field.text().strip():
                self.show_error(self.tr("请填写所有项目。"), field)
                return
        self.set_busy(True)
        self.error.setText(self.tr("正在创建数据库和签名密钥…"))
        self.submitted.emit(self.code.text(), self.site_name.text(), self.gate_name.text())

    def failed(self, err: UserError) -> None:
        self.set_busy(False)
        field = {"site_code_invalid": self.code}.get(err.code)
        if field is None and err.code == "name_invalid":
            field = self.site_name if not self.site_name.text().strip() or len(self.site_name.text()) > 40 \
                else self.gate_name
        self.show_error(str(err), field)


class AdminPage(_FormPage):
    """Create the admin: the only account a first start may create without signing on."""

    created = Signal(object)      # services.users.SignedOn, the admin now signed on

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("首次使用：创建管理员账号"), self.tr(
            "管理员负责添加值班员、设置 U 盘备份和恢复数据，不在门岗值班。"
            "密码至少 8 个字符，请输入两次并妥善保管：忘记后无法找回。"),
            step=self.tr("首次使用 2/3：管理员"), parent=parent)
        self.ctx = ctx
        self.name = self.add_field(self.tr("管理员姓名"), _line())
        self.password = self.add_field(self.tr("密码"), _secret_field(), self.tr("至少 8 个字符"))
        self.password2 = self.add_field(self.tr("再输一次"), _secret_field())
        self.password2.returnPressed.connect(self.create_admin)
        self.create = self.add_button(self.tr("创建管理员（回车）"), self.create_admin, primary=True)
        self.finish_buttons()

    def prepare(self) -> None:
        self.error.clear()
        self.name.setFocus()

    @guarded
    def create_admin(self) -> None:
        from checkpoint_app.services import users

        self.error.clear()
        if self.password.text() != self.password2.text():
            self.password2.clear()
            self.show_error(self.tr("两次输入的密码不一致。"), self.password2)
            return
        try:
            users.add_first_user(self.ctx, self.name.text(), "admin", self.password.text())
            signed = users.sign_on(self.ctx, self.name.text(), self.password.text())
        except UserError as err:
            self.show_error(str(err), self.password if err.code == "password_invalid" else self.name)
            return
        self.password.clear()
        self.password2.clear()
        self.created.emit(signed)


class AddGuardPanel(_FormPage):
    """An admin adds a guard account. ``ask_admin``: the admin's name and password are asked
    (from the sign-on panel); otherwise the admin is the one signed on (right after the wizard)."""

    added = Signal(str)           # the new guard's name
    cancelled = Signal()

    def __init__(self, ctx: GateContext, *, ask_admin: bool, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("添加值班员"), self.tr(
            "每位值班员用自己的姓名和 4 到 8 位数字 PIN 签到，记录上写的是签到人的名字。"),
            margins=28, step="" if ask_admin else self.tr("首次使用 3/3：值班员"), parent=parent)
        self.ctx = ctx
        self.ask_admin = ask_admin
        self.admin = self.admin_password = None
        if ask_admin:
            self.admin = self.add_field(self.tr("管理员姓名"), _line())
            self.admin_password = self.add_field(self.tr("管理员密码"), _secret_field())
        self.name = self.add_field(self.tr("值班员姓名"), _line())
        self.pin = self.add_field(self.tr("PIN"), _secret_field(), self.tr("4 到 8 位数字"))
        self.pin2 = self.add_field(self.tr("再输一次"), _secret_field())
        self.pin2.returnPressed.connect(self.add_guard)
        self.submit = self.add_button(self.tr("添加（回车）"), self.add_guard, primary=True)
        self.back = self.add_button(self.tr("返回 (Esc)") if ask_admin else self.tr("完成，去签到"), self.cancelled)
        self.finish_buttons()
        self.done = QLabel()
        self.done.setObjectName("fieldOk")
        self._lay.insertWidget(self._lay.indexOf(self.error), self.done)
        self.added_names: list[str] = []

    def prepare(self) -> None:
        self.error.clear()
        self.done.clear()
        for field in self._fields:
            field.clear()
        (self.admin or self.name).setFocus()

    @guarded
    def add_guard(self) -> None:
        from checkpoint_app.services import users

        self.error.clear()
        self.done.clear()
        if self.pin.text() != self.pin2.text():
            self.pin2.clear()
            self.show_error(self.tr("两次输入的 PIN 不一致。"), self.pin2)
            return
        try:   # the admin's password is checked for this one addition: nobody stays signed on
            acting = (users.sign_on(self.ctx, self.admin.text(), self.admin_password.text()).acting
                      if self.ask_admin else self.ctx)
            added = users.add_user(acting, self.name.text(), "guard", self.pin.text())
        except UserError as err:
            field = {"pin_invalid": self.pin, "user_exists": self.name, "name_invalid": self.name}.get(err.code)
            if field is None and self.ask_admin:
                self.admin_password.clear()
                field = self.admin_password
            self.show_error(str(err), field)
            return
        self.added_names.append(added.name)
        for field in (self.name, self.pin, self.pin2, self.admin_password):
            if field is not None:
                field.clear()
        self.done.setText(self.tr("已添加值班员：{names}。").format(names=self.tr("、").join(self.added_names)))
        self.name.setFocus()
        self.added.emit(added.name)
