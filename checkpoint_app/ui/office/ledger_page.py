"""消毒台账: today's plan per area (done / due / overdue), the rounds recorded today at every PC,
recording a round in a few keys, and the plan and the agent catalogue (tabs).

Reading and writing go through services/disinfection.py in the background (background.py). The
page follows rounds recorded elsewhere (another PC's records arriving by exchange, the command
line): every ``POLL_MS`` it asks SQLite whether another connection changed the file
(``PRAGMA data_version``, no table read) and reloads only then, or once a minute for the clock
(a round due by 10:30 is overdue at 10:31). The last area, agent, concentration, contact time,
method, operator and checker are remembered on this PC (``ledger-last.json`` in the data folder).
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from checkpoint_app.domain import disinfectants
from checkpoint_app.services import disinfection
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background
from checkpoint_app.ui.office.common import say, say_refusal
from checkpoint_app.ui.shared.style import error_label

log = logging.getLogger(__name__)

POLL_MS = 2000
RELOAD_EVERY_MS = 60_000
LAST_FILE = "ledger-last.json"
STATE_COLOURS = {"done": "#1b7a34", "due": "#37474f", "overdue": "#b71c1c", "unplanned": "#6a1b9a"}
FLAG = QColor("#b71c1c")
FORM_STYLE = "QLineEdit, QSpinBox { font-size: 18px; padding: 2px 6px; }"


def load(ctx: GateContext):
    """Today's areas and rounds, the plan in force, the catalogue (a background job)."""
    areas, rounds = disinfection.today(ctx)
    return areas, rounds, disinfection.list_areas(ctx), disinfection.catalogue(ctx)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], colours: dict[tuple[int, int], QColor] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if colours and (r, c) in colours:
                item.setForeground(colours[(r, c)])
            table.setItem(r, c, item)


class LedgerPage(QWidget):
    loaded = Signal()              # the plan and the rounds shown are fresh (tests wait on it)
    recorded = Signal(str)         # a round recorded (its uid)
    changed = Signal(str)          # "plan" | "agent": a plan or catalogue change recorded

    def __init__(self, ctx: GateContext, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bg = background
        self.agents: tuple[disinfectants.Agent, ...] = disinfectants.CATALOGUE
        self.areas: list = []
        self.rounds: list = []
        self._version: int | None = None
        self._again = False
        self._last_path = Path(ctx.data_dir) / LAST_FILE
        title = QLabel(self.tr("消毒台账"))
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(self.summary, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._today_tab(), self.tr("今日"))
        self.tabs.addTab(self._plan_tab(), self.tr("消毒计划"))
        self.tabs.addTab(self._agents_tab(), self.tr("消毒剂目录"))
        self.message = error_label()

        self.setStyleSheet(FORM_STYLE)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.message)
        self._remember_load()
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.poll)
        self._poll.start(POLL_MS)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.reload)
        self._clock.start(RELOAD_EVERY_MS)
        self.reload()

    # -- the tabs ---------------------------------------------------------------------------------
    def _today_tab(self) -> QWidget:
        tab = QWidget()
        self.plan_table = _table([self.tr("区域"), self.tr("计划"), self.tr("已做"), self.tr("情况")])
        self.rounds_table = _table([self.tr("登记"), self.tr("区域"), self.tr("消毒剂"), self.tr("浓度"),
                                    self.tr("备注"), self.tr("分钟"), self.tr("方式"), self.tr("操作人"),
                                    self.tr("核查人")])
        self.rounds_table.horizontalHeader().setStretchLastSection(False)
        tables = QHBoxLayout()
        tables.addWidget(self.plan_table)
        tables.addWidget(self.rounds_table, 1)

        form = QGridLayout()
        self.area = QComboBox()
        self.area.setEditable(True)
        self.agent = QComboBox()
        self.agent.currentIndexChanged.connect(self._dose_hint)
        self.concentration = QLineEdit()
        self.concentration.textChanged.connect(self._dose_hint)
        self.unit = QLabel()
        self.unit.setObjectName("hint")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 1440)
        self.minutes.setValue(30)
        self.minutes.setSuffix(self.tr(" 分钟"))
        self.method = QComboBox()
        for code, words in (("spray", self.tr("喷洒")), ("wipe", self.tr("擦拭")), ("fog", self.tr("喷雾"))):
            self.method.addItem(words, code)
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(self.tr("操作人"))
        self.checker = QLineEdit()
        self.checker.setPlaceholderText(self.tr("核查人（可空）"))
        self.done_at = QLineEdit()
        self.done_at.setPlaceholderText(self.tr("完成时间 HH:MM（补录时填）"))
        self.record_button = QPushButton(self.tr("登记"))
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self.record)
        self.done_at.returnPressed.connect(self.record)
        self.checker.returnPressed.connect(self.record)
        row1 = ((self.tr("区域"), self.area), (self.tr("消毒剂"), self.agent), (self.tr("浓度"), self.concentration))
        row2 = ((self.tr("作用"), self.minutes), (self.tr("方式"), self.method), (self.tr("操作人"), self.operator))
        for r, row in enumerate((row1, row2)):
            for i, (label, widget) in enumerate(row):
                form.addWidget(QLabel(label), r, 2 * i)
                form.addWidget(widget, r, 2 * i + 1)
        form.addWidget(self.unit, 0, 6)
        form.addWidget(self.checker, 2, 1, 1, 2)
        form.addWidget(QLabel(self.tr("核查")), 2, 0)
        form.addWidget(self.done_at, 2, 3, 1, 3)          # room for its hint at 1024x640
        form.addWidget(self.record_button, 2, 6)
        for col in (1, 3, 5):
            form.setColumnStretch(col, 1)

        lay = QVBoxLayout(tab)
        lay.addLayout(tables, 1)
        lay.addLayout(form)
        return tab

    def _plan_tab(self) -> QWidget:
        tab = QWidget()
        self.plan_edit_table = _table([self.tr("区域"), self.tr("每日次数")])
        self.plan_edit_table.itemSelectionChanged.connect(self._plan_selected)
        self.plan_area = QLineEdit()
        self.plan_area.setPlaceholderText(self.tr("区域，如 1号楼大堂"))
        self.plan_rounds = QSpinBox()
        self.plan_rounds.setRange(0, 48)
        self.plan_rounds.setValue(2)
        self.plan_rounds.setSuffix(self.tr(" 次/日"))
        self.plan_button = QPushButton(self.tr("保存计划"))
        self.plan_button.clicked.connect(self.save_plan)
        self.plan_area.returnPressed.connect(self.plan_button.click)        # Enter saves, as the button does
        row = QHBoxLayout()
        row.addWidget(self.plan_area, 2)
        row.addWidget(self.plan_rounds)
        row.addWidget(self.plan_button)
        hint = QLabel(self.tr("计划的改动从现在起生效，之前的日子仍按当时的计划（改动作为记录保存）。设 0 次即不再计划。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(tab)
        lay.addWidget(self.plan_edit_table, 1)
        lay.addLayout(row)
        lay.addWidget(hint)
        return tab

    def _agents_tab(self) -> QWidget:
        tab = QWidget()
        self.agent_table = _table([self.tr("消毒剂"), self.tr("单位"), self.tr("要求范围"), self.tr("别名")])
        self.agent_table.itemSelectionChanged.connect(self._agent_selected)
        self.agent_name = QLineEdit()
        self.agent_name.setPlaceholderText(self.tr("名称"))
        self.agent_unit = QComboBox()
        for unit in disinfectants.UNITS:
            self.agent_unit.addItem(unit, unit)
        self.agent_low = QLineEdit()
        self.agent_low.setPlaceholderText(self.tr("下限"))
        self.agent_high = QLineEdit()
        self.agent_high.setPlaceholderText(self.tr("上限"))
        self.agent_aliases = QLineEdit()
        self.agent_aliases.setPlaceholderText(self.tr("别名，用、分隔"))
        self.agent_button = QPushButton(self.tr("保存消毒剂"))
        self.agent_button.clicked.connect(self.save_agent)
        for field in (self.agent_name, self.agent_low, self.agent_high, self.agent_aliases):
            field.returnPressed.connect(self.agent_button.click)
        row = QGridLayout()
        row.addWidget(self.agent_name, 0, 0)
        row.addWidget(self.agent_unit, 0, 1)
        row.addWidget(self.agent_low, 0, 2)
        row.addWidget(self.agent_high, 0, 3)
        row.addWidget(self.agent_aliases, 1, 0, 1, 3)
        row.addWidget(self.agent_button, 1, 3)
        row.setColumnStretch(0, 2)
        row.setColumnStretch(2, 1)
        row.setColumnStretch(3, 1)
        hint = QLabel(self.tr("默认目录按消毒技术规范；低于下限的消毒照常登记，但标为“剂量不足”；高于上限视为录入错误。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(tab)
        lay.addWidget(self.agent_table, 1)
        lay.addLayout(row)
        lay.addWidget(hint)
        return tab

    # -- loading ----------------------------------------------------------------------------------
    def poll(self) -> None:
        """Reload when another connection (exchange, another window, the CLI) wrote to the file."""
        version = self.ctx.db.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._version = version
            self.reload()

    def reload(self) -> None:
        """Read again in the background; asked while a read runs, once more after it."""
        self._again = not self.bg.run("ledger-load", load, self._loaded, self._failed)

    def _loaded(self, loaded) -> None:
        if self._again:
            self._again = False
            self.reload()
        self.areas, self.rounds, plan, self.agents = loaded
        words = {"done": self.tr("已完成"), "due": self.tr("{time} 前"), "overdue": self.tr("超时 {time}"),
                 "unplanned": self.tr("计划外")}
        colours = {}
        rows = []
        for r, a in enumerate(self.areas):
            rows.append([a.area, str(a.planned), str(a.done), words[a.state].format(time=a.next_due)])
            colours[(r, 3)] = QColor(STATE_COLOURS[a.state])
        _fill(self.plan_table, rows, colours)
        width = sum(self.plan_table.columnWidth(c) for c in range(self.plan_table.columnCount()))
        self.plan_table.setMinimumWidth(width + self.plan_table.verticalScrollBar().sizeHint().width() + 4)
        method = {self.method.itemData(i): self.method.itemText(i) for i in range(self.method.count())}
        rows, colours, tips = [], {}, {}
        for r, x in enumerate(self.rounds):
            notes, tip = [], []
            if x.under_dosed:
                notes.append(self.tr("剂量不足"))
                tip.append(self.tr("剂量不足：低于要求的 {range}").format(range=x.under_dosed))
                colours[(r, 3)] = colours[(r, 4)] = FLAG
            if x.done_at:
                notes.append(self.tr("补录 {time}").format(time=x.done_at))
                tip.append(self.tr("补录：{done} 完成，{at} 登记").format(done=x.done_at, at=x.at))
                colours[(r, 0)] = colours[(r, 4)] = FLAG
            rows.append([x.at, x.area, x.agent, x.concentration, "，".join(notes), str(x.contact_minutes),
                         method.get(x.method, x.method), x.operator, x.checker or ""])
            tips[r] = "\n".join(tip)
        _fill(self.rounds_table, rows, colours)
        for r, tip in tips.items():
            if tip:
                self.rounds_table.item(r, 4).setToolTip(tip)
        self.rounds_table.scrollToBottom()
        _fill(self.plan_edit_table, [[a.name, str(a.rounds_per_day)] for a in plan])
        _fill(self.agent_table, [[a.name, a.unit, f"{a.low}–{a.high}", disinfectants.ALIAS_SEPARATOR.join(a.aliases)]
                                 for a in self.agents])
        self._choices([a.name for a in plan if a.rounds_per_day] + [a.area for a in self.areas if a.state == "unplanned"],
                      [a.name for a in self.agents])
        done = sum(min(a.done, a.planned) for a in self.areas)
        planned = sum(a.planned for a in self.areas)
        overdue = sum(1 for a in self.areas if a.state == "overdue")
        text = self.tr("今日 {date}：计划 {planned} 次，已做 {done} 次").format(
            date=self.ctx.now().date().isoformat(), planned=planned, done=done)
        if overdue:
            text += self.tr("，{n} 个区域超时").format(n=overdue)
        self.summary.setText(text)
        self.loaded.emit()

    def _choices(self, areas: list[str], agents: list[str]) -> None:
        """Fill the combo boxes, keeping what is typed or chosen."""
        for box, names in ((self.area, areas), (self.agent, agents)):
            keep = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            box.setCurrentText(keep) if box.isEditable() else box.setCurrentIndex(max(0, box.findText(keep)))
            box.blockSignals(False)
        self._dose_hint()

    def _dose_hint(self) -> None:
        """The agent's unit and range beside the concentration; below it, said at once."""
        agent = disinfectants.find(self.agent.currentText(), self.agents)
        if agent is None:
            self.unit.setText("")
            return
        text = f"{agent.unit}（{agent.range_text}）"
        try:
            value = Decimal(self.concentration.text().strip() or "x")
        except InvalidOperation:
            value = None
        if value is not None and disinfectants.under_dosed(agent, value):
            text += " " + self.tr("剂量不足")
            self.unit.setObjectName("fieldError")
        else:
            self.unit.setObjectName("hint")
        self.unit.style().unpolish(self.unit)
        self.unit.style().polish(self.unit)
        self.unit.setText(text)

    # -- recording --------------------------------------------------------------------------------
    def values(self) -> dict:
        return {"area": self.area.currentText(), "agent": self.agent.currentText(),
                "concentration": self.concentration.text(), "contact_minutes": self.minutes.value(),
                "method": self.method.currentData(), "operator": self.operator.text(), "checker": self.checker.text()}

    def record(self) -> None:
        values = self.values()
        done_at = self.done_at.text().strip() or None

        def job(ctx):
            uid = disinfection.record_round(ctx, **values, done_at=done_at)
            return uid, load(ctx)

        if self.bg.run("ledger-write", job, lambda r: self._recorded(values, *r), self._failed):
            self._busy(True)

    def _recorded(self, values: dict, uid: str, loaded) -> None:
        self._busy(False)
        self._loaded(loaded)
        self._remember_save(values)
        self.done_at.clear()
        mine = next((r for r in self.rounds if r.uid == uid), None)
        if mine is not None and mine.under_dosed:
            say(self.message, "fieldError", self.tr("已登记，但浓度 {conc} 低于{agent}要求的 {range}：剂量不足，请重新消毒。").format(
                conc=mine.concentration, agent=mine.agent, range=mine.under_dosed))
        elif mine is not None and mine.done_at:
            say(self.message, "fieldOk", self.tr("已登记（补录：{done} 完成，{at} 登记）。").format(done=mine.done_at, at=mine.at))
        else:
            say(self.message, "fieldOk", self.tr("已登记：{area}。").format(area=values["area"]))
        self.recorded.emit(uid)

    def save_plan(self) -> None:
        area, rounds = self.plan_area.text(), self.plan_rounds.value()
        self._change("plan", lambda ctx: disinfection.set_plan(ctx, area, rounds),
                     self.tr("计划已保存：{area} 每日 {n} 次，从现在起生效。").format(area=area.strip(), n=rounds))

    def save_agent(self) -> None:
        args = (self.agent_name.text(), self.agent_unit.currentData(), self.agent_low.text(), self.agent_high.text(),
                self.agent_aliases.text())
        self._change("agent", lambda ctx: disinfection.set_agent(ctx, *args),
                     self.tr("消毒剂已保存：{name}。").format(name=args[0].strip()))

    def _change(self, what: str, act, said: str) -> None:
        def job(ctx):
            act(ctx)
            return load(ctx)

        def done(loaded) -> None:
            self._busy(False)
            self._loaded(loaded)
            say(self.message, "fieldOk", said)
            self.changed.emit(what)

        if self.bg.run("ledger-write", job, done, self._failed):
            self._busy(True)

    def _plan_selected(self) -> None:
        rows = self.plan_edit_table.selectionModel().selectedRows()
        if rows:
            self.plan_area.setText(self.plan_edit_table.item(rows[0].row(), 0).text())
            self.plan_rounds.setValue(int(self.plan_edit_table.item(rows[0].row(), 1).text()))

    def _agent_selected(self) -> None:
        rows = self.agent_table.selectionModel().selectedRows()
        if rows:
            agent = self.agents[rows[0].row()]
            self.agent_name.setText(agent.name)
            self.agent_unit.setCurrentIndex(self.agent_unit.findData(agent.unit))
            self.agent_low.setText(str(agent.low))
            self.agent_high.setText(str(agent.high))
            self.agent_aliases.setText(disinfectants.ALIAS_SEPARATOR.join(agent.aliases))

    # -- remembered on this PC --------------------------------------------------------------------
    def _remember_load(self) -> None:
        try:
            last = json.loads(self._last_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(last, dict):
            return
        self.area.setCurrentText(str(last.get("area", "")))
        self.agent.addItems([a.name for a in self.agents])
        self.agent.setCurrentIndex(max(0, self.agent.findText(str(last.get("agent", "")))))
        self.concentration.setText(str(last.get("concentration", "")))
        if str(last.get("contact_minutes", "")).isdigit():
            self.minutes.setValue(int(last["contact_minutes"]))
        self.method.setCurrentIndex(max(0, self.method.findData(last.get("method"))))
        self.operator.setText(str(last.get("operator", "")))
        self.checker.setText(str(last.get("checker", "")))

    def _remember_save(self, values: dict) -> None:
        try:
            tmp = self._last_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self._last_path)
        except OSError as err:        # remembering is a convenience: never a failure of the round
            log.warning("could not remember the ledger's last values: %s", err)

    # -- shared -----------------------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self._busy(False)
        say_refusal(self.message, err)

    def _busy(self, busy: bool) -> None:
        for button in (self.record_button, self.plan_button, self.agent_button):
            button.setEnabled(not busy)

    def shutdown(self) -> None:
        self._poll.stop()
        self._clock.stop()
