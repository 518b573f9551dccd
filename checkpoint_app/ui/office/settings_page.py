"""设置: every setting of the site with its label, unit, allowed range and a line of help, and the
latest changes (who changed what from what to what, when).

The editors follow the declarations in settings.py: a spin box with the declared range, a combo
box for a choice, a time for a clock, a line for a folder. "保存" sends every value to the same
service as ``checkpoint settings set`` (services/site.py), which checks them all before writing
any: one bad value is said in one sentence and nothing is written. Reading and writing run in the
background (background.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QTableWidget,
                               QTableWidgetItem, QTimeEdit, QVBoxLayout, QWidget)

from checkpoint_app.services.context import GateContext
from checkpoint_app.settings import SETTINGS, Setting, choice_words, parse_setting, show_setting
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

CHANGES_SHOWN = 20
LANGUAGES = {"zh_cn": "中文", "en": "English"}     # each in its own language


def load(ctx: GateContext) -> tuple[dict[str, str], list[dict]]:
    """The settings as text, and the latest changes (a background job)."""
    from checkpoint_app.services import site

    return {r["key"]: r["value"] for r in site.list_settings(ctx)}, site.setting_changes(ctx, CHANGES_SHOWN)


def save(ctx: GateContext, texts: dict[str, str], hub_password: str = "") -> tuple[dict[str, str], list[dict]]:
    """The settings written, then the hub password (for the hub address just saved) into this PC's
    passfile, never into the database (exchange/sync.py)."""
    from checkpoint_app.exchange import sync
    from checkpoint_app.services import site

    site.set_settings(ctx, texts)
    if hub_password:
        sync.save_password(ctx, hub_password)
    return load(ctx)


class Editor:
    """One setting's widget, read and written as the text ``checkpoint settings set`` takes."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        if setting.key == "fever_threshold":
            low, high = setting.range
            self.widget = QDoubleSpinBox()
            self.widget.setDecimals(1)
            self.widget.setSingleStep(0.1)
            self.widget.setRange(low / 10, high / 10)
        elif setting.range:
            self.widget = QSpinBox()
            self.widget.setRange(*setting.range)
        elif setting.choices:
            self.widget = QComboBox()
            for choice in setting.choices:     # held as shown ("zh_CN"), as the settings list has it;
                # said in words, the command line's value in brackets ("提示后可放行（soft）")
                self.widget.addItem(LANGUAGES.get(choice) or choice_words(setting.key, choice),
                                    show_setting(setting.key, parse_setting(setting.key, choice)))
        elif setting.key == "antipassback_reset":
            self.widget = QTimeEdit()
            self.widget.setDisplayFormat("HH:mm")
        else:
            self.widget = QLineEdit()
        self.widget.setObjectName(f"setting_{setting.key}")

    def set_text(self, text: str) -> None:
        w = self.widget
        if isinstance(w, QDoubleSpinBox):
            w.setValue(float(text))
        elif isinstance(w, QSpinBox):
            w.setValue(int(text))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(text)))
        elif isinstance(w, QTimeEdit):
            w.setTime(QTime.fromString(text, "HH:mm"))
        else:
            w.setText(text)

    def text(self) -> str:
        w = self.widget
        if isinstance(w, QDoubleSpinBox):
            return f"{w.value():.1f}"
        if isinstance(w, QSpinBox):
            return str(w.value())
        if isinstance(w, QComboBox):
            return str(w.currentData())
        if isinstance(w, QTimeEdit):
            return w.time().toString("HH:mm")
        return w.text()


class SettingsPage(QWidget):
    loaded = Signal()            # the values (and the changes) are on the page
    saved = Signal(int)          # changes written

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.values: dict[str, str] = {}
        title = QLabel(self.tr("设置"))
        title.setObjectName("pageTitle")

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.editors: dict[str, Editor] = {}
        row = -1
        for key, setting in SETTINGS.items():
            row += 1
            editor = self.editors[key] = Editor(setting)
            label = QLabel(setting.label)
            label.setWordWrap(True)
            grid.addWidget(label, row, 0)
            cell = QHBoxLayout()
            cell.addWidget(editor.widget, 1)
            if key == "backup_dir":
                browse = QPushButton(self.tr("选择…"))
                browse.clicked.connect(self.choose_folder)
                cell.addWidget(browse)
            grid.addLayout(cell, row, 1)
            grid.addWidget(QLabel(setting.unit_text), row, 2)
            help_text = setting.help
            if setting.range and key != "fever_threshold":
                help_text += self.tr("（{low}–{high}）").format(low=setting.range[0], high=setting.range[1])
            hint = QLabel(help_text)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            grid.addWidget(hint, row, 3)
            if key == "hub_url":    # its password: kept on this PC only
                row += 1
                self.hub_password = QLineEdit()
                self.hub_password.setObjectName("hub_password")
                self.hub_password.setEchoMode(QLineEdit.EchoMode.Password)
                self.hub_password.setMaxLength(200)
                grid.addWidget(QLabel(self.tr("中心库密码")), row, 0)
                grid.addWidget(self.hub_password, row, 1)
                self.hub_password_hint = QLabel()
                self.hub_password_hint.setObjectName("hint")
                self.hub_password_hint.setWordWrap(True)
                grid.addWidget(self.hub_password_hint, row, 3)
                self._show_password_kept()
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 4)
        form = QWidget()
        form.setLayout(grid)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)

        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("放弃修改"))
        self.revert_button.clicked.connect(self._fill_values)
        self.message = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.changes = QTableWidget(0, 5)
        self.changes.setHorizontalHeaderLabels([self.tr("时间"), self.tr("设置项"), self.tr("原值"), self.tr("新值"),
                                                self.tr("修改人")])
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.verticalHeader().hide()
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.changes.setMaximumHeight(130)
        changes_title = QLabel(self.tr("最近的修改"))
        changes_title.setObjectName("hint")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(title)
        lay.addWidget(scroll, 1)
        lay.addLayout(buttons)
        lay.addWidget(changes_title)
        lay.addWidget(self.changes)
        self._busy(True)
        self.bg.run("settings", load, self._loaded, self._failed)

    def choose_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("第二备份文件夹"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(self.editors["backup_dir"].widget.setText)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()           # not exec(): the event loop keeps running
        self._dialog = dialog

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """Enter in a field (a field passes it on): 保存, as the button does (not while saving)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_button.click()
            return
        super().keyPressEvent(event)

    def save(self) -> None:
        texts = {key: editor.text() for key, editor in self.editors.items()}
        password = self.hub_password.text()
        changed = sum(texts[k] != self.values.get(k) for k in texts) + bool(password)
        if not changed:
            say(self.message, "fieldOk", self.tr("没有修改。"))
            return
        if self.bg.run("settings", lambda c: save(c, texts, password), lambda r: self._loaded(r, changed),
                       self._failed):
            self._busy(True)

    def _show_password_kept(self) -> None:
        from checkpoint_app.exchange.sync import passfile

        kept = passfile(self.ctx.data_dir).exists()
        self.hub_password.setPlaceholderText(self.tr("已保存，留空不改") if kept else self.tr("未设置"))
        self.hub_password_hint.setText(self.tr(
            "只保存在本机数据文件夹（hub.pgpass，仅本账户可读），不进数据库、记录或备份；每台电脑各自填写。"))

    def _loaded(self, result, changed: int | None = None) -> None:
        self._busy(False)
        self.values, changes = result
        self._fill_values()
        self.changes.setRowCount(len(changes))
        for row, c in enumerate(changes):
            for col, text in enumerate((c["at"][:16].replace("T", " "), c["label"], c["old"], c["new"], c["by"] or "")):
                self.changes.setItem(row, col, QTableWidgetItem(text))
        if changed is not None:
            self.hub_password.clear()
            self._show_password_kept()
            say(self.message, "fieldOk", self.tr("已保存修改：{n} 项。").format(n=changed))
            self.saved.emit(changed)
        self.loaded.emit()

    def _fill_values(self) -> None:
        for key, text in self.values.items():
            self.editors[key].set_text(text)

    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.revert_button.setEnabled(not busy)
