"""用户 (admin): every user with role, enabled and lockout state; add a guard, manager, auditor or
admin (a PIN for a guard, a password for the others: services/users.py's rules), reset a PIN or
password, disable or enable, clear a lockout.

Every action goes through services/users.py (as ``checkpoint users`` does) in the background:
hashing a secret (Argon2id, 19 MiB) takes longer than a GUI event may.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.services import permissions
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label


def act(ctx: GateContext, action: str, *args: str) -> list:
    """Do ``users.<action>(ctx, *args)`` (none: just read) and return every user's state."""
    from checkpoint_app.services import users

    if action:
        getattr(users, action)(ctx, *args)
    return users.user_states(ctx)


class UsersPage(QWidget):
    listed = Signal(int)         # users on the page
    done = Signal(str)           # an action finished: its name

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.states: list = []
        title = QLabel(self.tr("用户"))
        title.setObjectName("pageTitle")

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("角色"), self.tr("状态"), self.tr("锁定")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        add = QGridLayout()
        add.addWidget(QLabel(self.tr("新用户")), 0, 0)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("姓名"))
        add.addWidget(self.name, 0, 1)
        self.role = QComboBox()
        for role in ("guard", "manager", "auditor", "admin"):
            self.role.addItem(permissions._(role), role)
        self.role.currentIndexChanged.connect(self._role_changed)
        add.addWidget(self.role, 0, 2)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        add.addWidget(self.secret, 0, 3)
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add)
        self.secret.returnPressed.connect(self.add_button.click)          # Enter adds (not while busy)
        add.addWidget(self.add_button, 0, 4)

        # The label stays as it is; the selected user's name is in a field under the new user's name
        # (as the label it changed the column's width and moved the row of fields sideways). Each
        # field under its kind: the name under the name, the account's state under the role, the
        # new PIN under the PIN, 重设 under 添加.
        self.selected_label = QLabel(self.tr("选中的用户"))
        add.addWidget(self.selected_label, 1, 0)
        self.selected_name = QLineEdit()
        self.selected_name.setReadOnly(True)
        self.selected_name.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.selected_name.setPlaceholderText(self.tr("未选中"))
        add.addWidget(self.selected_name, 1, 1)
        self.enable_button = QPushButton(self.tr("停用"))
        self.enable_button.clicked.connect(self.toggle_enabled)
        self.unlock_button = QPushButton(self.tr("解除锁定"))
        self.unlock_button.clicked.connect(self.clear_lockout)
        state = QHBoxLayout()
        state.addWidget(self.enable_button, 1)
        state.addWidget(self.unlock_button, 1)
        add.addLayout(state, 1, 2)
        self.new_secret = QLineEdit()
        self.new_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_secret.setPlaceholderText(self.tr("新 PIN/密码"))
        add.addWidget(self.new_secret, 1, 3)
        self.reset_button = QPushButton(self.tr("重设 PIN/密码"))
        self.reset_button.clicked.connect(self.reset)
        self.new_secret.returnPressed.connect(self.reset_button.click)
        add.addWidget(self.reset_button, 1, 4)
        add.setColumnStretch(1, 1)          # a name is short; a password is not
        add.setColumnStretch(3, 2)
        self.message = error_label()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addWidget(self.table, 1)
        lay.addLayout(add)
        lay.addWidget(self.message)
        self._role_changed()
        self._run("")

    # -- actions ----------------------------------------------------------------------------------
    def add(self) -> None:
        name, role, secret = self.name.text(), str(self.role.currentData()), self.secret.text()
        self._run("add_user", name, role, secret, said=self.tr("已添加用户 {name}。").format(name=name.strip()))

    def reset(self) -> None:
        self._on_selected("reset_secret", self.new_secret.text(), said=self.tr("{name} 的 PIN/密码已重设。"))

    def toggle_enabled(self) -> None:
        state = self.selected()
        if state is not None:
            self._on_selected("enable_user" if state.disabled else "disable_user",
                              said=self.tr("{name} 已启用。") if state.disabled else self.tr("{name} 已停用。"))

    def clear_lockout(self) -> None:
        self._on_selected("clear_lockout", said=self.tr("{name} 的锁定已解除。"))

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.states[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        for row, state in enumerate(self.states):
            if state.name == name:
                self.table.selectRow(row)

    def _on_selected(self, action: str, *args: str, said: str) -> None:
        state = self.selected()
        if state is None:
            say(self.message, "fieldError", self.tr("请先在表中选中一位用户。"))
            return
        self._run(action, state.name, *args, said=said.format(name=state.name))

    def _run(self, action: str, *args: str, said: str = "") -> None:
        def finished(states) -> None:
            keep = self.selected()
            self._show(states)
            if keep is not None:
                self.select(keep.name)
            if action:
                say(self.message, "fieldOk", said)
                for field in (self.secret, self.new_secret):
                    field.clear()
                if action == "add_user":
                    self.name.clear()
                self.done.emit(action)

        if self.bg.run("users", lambda c: act(c, action, *args), finished, self._failed):
            self._busy(True)

    # -- shown ------------------------------------------------------------------------------------
    def _show(self, states: list) -> None:
        self._busy(False)
        self.states = states
        now = self.ctx.now()
        self.table.setRowCount(len(states))
        for row, s in enumerate(states):
            if s.locked(now):
                lock = self.tr("锁定至 {time}").format(time=s.locked_until[11:16])
            elif s.failed_attempts:
                lock = self.tr("输错 {n} 次").format(n=s.failed_attempts)
            else:
                lock = "—"
            cells = (s.name, permissions._(s.role), self.tr("已停用") if s.disabled else self.tr("已启用"), lock)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and s.locked(now) or col == 2 and s.disabled:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, col, item)
        self._selection_changed()
        self.listed.emit(len(states))

    def _role_changed(self) -> None:
        guard = self.role.currentData() == "guard"
        self.secret.setPlaceholderText(self.tr("PIN（4 到 8 位数字）") if guard else self.tr("密码（至少 8 个字符）"))

    def _selection_changed(self) -> None:
        state = self.selected()
        for button in (self.reset_button, self.enable_button, self.unlock_button):
            button.setEnabled(state is not None and self.add_button.isEnabled())
        if state is not None and not (state.failed_attempts or state.locked(self.ctx.now())):
            self.unlock_button.setEnabled(False)           # nothing to clear
        if state is not None:
            self.enable_button.setText(self.tr("启用") if state.disabled else self.tr("停用"))
            self.selected_name.setText(state.name)
            self.selected_name.setCursorPosition(0)
            self.selected_name.setToolTip(state.name)
        else:
            self.selected_name.clear()
            self.selected_name.setToolTip("")

    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        self._selection_changed()
