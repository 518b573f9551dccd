"""The holder card: who scanned, which way, and the temperature field, already focused.

The temperature field has the input method switched off (a Chinese IME would otherwise swallow
digits into its candidate window) and takes ``+`` / ``-`` from the numeric keypad to set the
direction, so the guard's hand never leaves the keypad: scan, ``365``, Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedLayout,
                               QVBoxLayout, QWidget)
from checkpoint_app.ui.shared.style import error_label

if TYPE_CHECKING:
    from checkpoint_app.services.gate import Holder


class TemperatureEdit(QLineEdit):
    directionKey = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("temperature")
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
        self.setMaxLength(8)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text == "+":
            self.directionKey.emit("in")
            return
        if text == "-":
            self.directionKey.emit("out")
            return
        super().keyPressEvent(event)


class ScanPanel(QWidget):
    temperatureEntered = Signal(str)
    directionChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._build_idle())
        self._stack.addWidget(self._build_card())
        self.show_idle()

    def _build_idle(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(28, 24, 28, 24)
        self.idle_big = QLabel(self.tr("请扫描出入证二维码"))
        self.idle_big.setObjectName("idleBig")
        lay.addWidget(self.idle_big)
        lay.addSpacing(10)
        self.idle_hint = QLabel(self.tr(
            "扫码后输入体温（如 365）按回车。\n"
            "数字键盘 + 设为“进”，− 设为“出”。\n\n"
            "F2 访客登记    F3 无卡住户    F4 访客离开\n"
            "F6 事件跟进    F9 交接班"))
        self.idle_hint.setObjectName("hint")
        self.idle_hint.setStyleSheet("font-size: 22px;")
        lay.addWidget(self.idle_hint)
        lay.addStretch(1)
        self.idle_queue = QLabel("")
        self.idle_queue.setObjectName("queue")
        lay.addWidget(self.idle_queue)
        return page

    def _build_card(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(28, 14, 28, 14)
        lay.setSpacing(4)
        top = QHBoxLayout()
        self.household = QLabel()
        self.household.setObjectName("household")
        top.addWidget(self.household)
        top.addStretch(1)
        self.manual_badge = QLabel(self.tr("手动登记"))
        self.manual_badge.setObjectName("manualBadge")
        top.addWidget(self.manual_badge, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        who = QHBoxLayout()
        self.name = QLabel()
        self.name.setObjectName("holderName")
        who.addWidget(self.name)
        who.addSpacing(16)
        self.status_badge = QLabel()
        who.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        who.addStretch(1)
        lay.addLayout(who)
        self.pass_line = QLabel()
        self.pass_line.setObjectName("passLine")
        lay.addWidget(self.pass_line)
        lay.addSpacing(8)

        row = QHBoxLayout()
        label = QLabel(self.tr("方向"))
        label.setStyleSheet("font-size: 26px;")
        row.addWidget(label)
        self.btn_in = QPushButton(self.tr("↓ 进"))
        self.btn_out = QPushButton(self.tr("↑ 出"))
        self._directions = QButtonGroup(self)
        for btn, value in ((self.btn_in, "in"), (self.btn_out, "out")):
            btn.setObjectName("direction")
            btn.setCheckable(True)
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.clicked.connect(lambda _=False, v=value: self.directionChosen.emit(v))
            self._directions.addButton(btn)
            row.addWidget(btn)
        key_hint = QLabel(self.tr("（键盘 + 进 / − 出）"))
        key_hint.setObjectName("hint")
        row.addWidget(key_hint)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addSpacing(6)

        temp_row = QHBoxLayout()
        self.temp_label = QLabel(self.tr("体温"))
        self.temp_label.setStyleSheet("font-size: 26px; font-weight: bold;")
        temp_row.addWidget(self.temp_label)
        self.temperature = TemperatureEdit()
        self.temperature.returnPressed.connect(lambda: self.temperatureEntered.emit(self.temperature.text()))
        self.temperature.directionKey.connect(self.directionChosen)
        temp_row.addWidget(self.temperature)
        unit = QLabel("°C")
        unit.setStyleSheet("font-size: 30px;")
        temp_row.addWidget(unit)
        self.temp_prompt = QLabel(self.tr("输入体温，按回车登记"))
        self.temp_prompt.setObjectName("hint")
        self.temp_prompt.setWordWrap(True)
        temp_row.addWidget(self.temp_prompt, 1)
        lay.addLayout(temp_row)
        self.temp_error = error_label()
        lay.addWidget(self.temp_error)
        lay.addStretch(1)
        self.queue = QLabel()
        self.queue.setObjectName("queue")
        lay.addWidget(self.queue)
        return page

    # -- states ---------------------------------------------------------------------------------
    def show_idle(self) -> None:
        self._stack.setCurrentIndex(0)
        self.temperature.clear()
        self.temp_error.clear()

    def show_holder(self, holder: Holder, direction: str, *, manual: bool) -> None:
        self._stack.setCurrentIndex(1)
        self.household.setText(holder.household)
        self.name.setText(holder.name)
        self.pass_line.setText(self.tr("出入证 No. {label}").format(label=holder.pass_label))
        status = {"quarantine": (self.tr("居家隔离"), "statusBad"),
                  "observation": (self.tr("健康观察"), "statusWarn")}.get(holder.status)
        self.status_badge.setVisible(status is not None)
        if status:
            self.status_badge.setText(status[0])
            self.status_badge.setObjectName(status[1])
            self.status_badge.style().unpolish(self.status_badge)
            self.status_badge.style().polish(self.status_badge)
        self.manual_badge.setVisible(manual)
        self.set_direction(direction)
        self.ask_temperature(remeasure=False)

    def ask_temperature(self, *, remeasure: bool, first: str = "") -> None:
        self.temperature.clear()
        self.temp_error.clear()
        if remeasure:
            self.temp_label.setText(self.tr("复测"))
            self.temp_prompt.setText(self.tr("第一次 {t} °C，请复测后输入，按回车").format(t=first))
        else:
            self.temp_label.setText(self.tr("体温"))
            self.temp_prompt.setText(self.tr("输入体温，按回车登记"))
        self.temperature.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_direction(self, direction: str) -> None:
        (self.btn_in if direction == "in" else self.btn_out).setChecked(True)

    def show_temperature_error(self, message: str) -> None:
        self.temp_error.setText(message)
        self.temperature.selectAll()
        self.temperature.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_queue(self, n: int) -> None:
        text = self.tr("后面还有 {n} 人已扫码等待").format(n=n) if n else ""
        self.queue.setText(text)
        self.idle_queue.setText(text)

    def is_idle(self) -> bool:
        return self._stack.currentIndex() == 0
