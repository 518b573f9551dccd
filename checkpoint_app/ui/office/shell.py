"""The office: a navigation column on the left, one page at a time on the right.

Who sees which page follows the permissions (services/permissions.py): a page is listed when the
role may do what the page is for. Pages are built when first opened. "门岗 (F12)" and "退出登录"
both sign the office user off and bring back the gate's sign-on; the idle lock does the same
(main_window.py). The shell never acts as the guard on duty: it has its own acting context.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QStackedWidget, QStyle, QVBoxLayout, QWidget)

from checkpoint_app.services import permissions, residents
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.office.background import Background

OFFICE_STYLE = """
#officeShell { background: #eceff1; }
#officeHead { background: #263238; }
QLabel#officeTitle { color: #ffffff; font-size: 24px; font-weight: bold; }
QLabel#officeWho { color: #ffffff; font-size: 18px; }
QListWidget#officeNav { outline: 0; font-size: 20px; background: #ffffff; border: none; border-right: 1px solid #b0bec5; }
QListWidget#officeNav::item { padding: 10px 14px; }
QListWidget#officeNav[compact="true"]::item { padding: 6px 14px; }
QListWidget#officeNav::item:selected { background: #0d47a1; color: #ffffff; }
QLabel#pageTitle { font-size: 24px; font-weight: bold; color: #0d2a4a; }
QTableView { font-size: 17px; background: #ffffff; border: 1px solid #cfd8dc; }
QTableView::item:selected { background: #0d47a1; color: #ffffff; }
QCheckBox { font-size: 17px; }
QLineEdit#officeSearch { font-size: 19px; }
QScrollArea#householdScroll, QScrollArea#householdScroll > QWidget > QWidget { background: transparent; }
#officeShell QComboBox, #officeShell QDateEdit { font-size: 18px; padding: 2px 6px; }
#officeShell QPushButton { font-size: 18px; padding: 6px 14px; }
"""


translate = QCoreApplication.translate


def _tr(text: str) -> str:
    """A page title from the table below (marked there with QT_TRANSLATE_NOOP)."""
    return translate("OfficeShell", text)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str                       # untranslated; shown through _tr
    actions: tuple[str, ...]         # the page is listed when the role may do any of these
    make: Callable[[GateContext, Background], QWidget]


def _lazy(module: str, name: str) -> Callable[[GateContext, Background], QWidget]:
    """A page's factory that imports its module when the page is first opened."""
    def make(ctx: GateContext, bg: Background) -> QWidget:
        return getattr(importlib.import_module(f"checkpoint_app.ui.office.{module}"), name)(ctx, bg)
    return make


# The order of the column. Room for what comes next (消毒台账 · 日志报表 · 记录查询 · 核验): a row each.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("residents", QT_TRANSLATE_NOOP("OfficeShell", "住户"), ("manage_residents", "view_personal_data"),
             _lazy("residents_page", "ResidentsPage")),
    PageSpec("import", QT_TRANSLATE_NOOP("OfficeShell", "导入名单"), ("import_roster",),
             _lazy("import_page", "ImportPage")),
    PageSpec("passes", QT_TRANSLATE_NOOP("OfficeShell", "出入证"), ("issue_passes",), _lazy("passes_page", "PassesPage")),
    PageSpec("settings", QT_TRANSLATE_NOOP("OfficeShell", "设置"), ("change_settings",), _lazy("settings_page", "SettingsPage")),
    PageSpec("users", QT_TRANSLATE_NOOP("OfficeShell", "用户"), ("manage_users",), _lazy("users_page", "UsersPage")),
    PageSpec("returnees", QT_TRANSLATE_NOOP("OfficeShell", "返回人员"), ("register_returnees",),
             _lazy("returnees_page", "ReturneesPage")),
    PageSpec("rounds", QT_TRANSLATE_NOOP("OfficeShell", "上门测温"), ("record_door_rounds",),
             _lazy("rounds_page", "RoundsPage")),
    PageSpec("survey", QT_TRANSLATE_NOOP("OfficeShell", "入户排查"), ("record_door_rounds",),
             _lazy("survey_page", "SurveyPage")),
    PageSpec("records", QT_TRANSLATE_NOOP("OfficeShell", "记录查询"), ("browse_records",),
             _lazy("records_page", "RecordsPage")),
    PageSpec("check", QT_TRANSLATE_NOOP("OfficeShell", "数据库检查"), ("check_database",),
             _lazy("check_page", "CheckPage")),
    # who exchanges; the auditor reads refused records on 数据库检查 and has no business here
    PageSpec("exchange", QT_TRANSLATE_NOOP("OfficeShell", "同步 / 交换"), ("exchange_records",),
             _lazy("exchange_page", "ExchangePage")),
    PageSpec("ledger", QT_TRANSLATE_NOOP("OfficeShell", "消毒台账"), ("record_disinfection",),
             _lazy("ledger_page", "LedgerPage")),
    PageSpec("logs", QT_TRANSLATE_NOOP("OfficeShell", "日志报表"), ("print_reports",), _lazy("logs_page", "LogsPage")),
    PageSpec("verify", QT_TRANSLATE_NOOP("OfficeShell", "核验"), ("verify_documents",), _lazy("verify_page", "VerifyPage")),
    PageSpec("company", QT_TRANSLATE_NOOP("OfficeShell", "公司总览"), ("view_company",),
             _lazy("company_page", "CompanyPage")),
)


FIRST_IMPORTS_FOR = {"residents", "import", "returnees"}   # pages whose work needs name initials, openpyxl


def pages_for(role: str | None) -> list[PageSpec]:
    if role in (None, "guard", "system"):   # nobody, a guard, the app itself: no office
        return []
    return [p for p in PAGES if any(permissions.allowed(role, a) for a in p.actions)]


class OfficeShell(QWidget):
    signedOff = Signal()       # 退出登录, 门岗, or the idle lock: the gate's sign-on comes back
    refusedSeen = Signal(int)  # a page listed the records refused by the sync (check_page.py)
    exchanged = Signal(object)  # a USB import or a sync from the office ended (exchange_page.py): the status bar looks

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("officeShell")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(OFFICE_STYLE)
        self.background = Background(ctx, self)
        self.specs = pages_for(ctx.role)
        self.pages: dict[str, QWidget] = {}
        self.warm_up: threading.Thread | None = None
        if FIRST_IMPORTS_FOR & {s.key for s in self.specs}:   # once the office is on screen (paintEvent)
            self.warm_up = threading.Thread(target=residents.load_first_imports, name="office-warm-up", daemon=True)

        head = QFrame()
        head.setObjectName("officeHead")
        head_lay = QHBoxLayout(head)
        head_lay.setContentsMargins(16, 8, 12, 8)
        title = QLabel(translate("OfficeShell", "物业办公"))
        title.setObjectName("officeTitle")
        head_lay.addWidget(title)
        role = permissions._(ctx.role) if ctx.role in permissions.PERMISSIONS else str(ctx.role)
        self.who = QLabel(translate("OfficeShell", "{name}（{role}）").format(name=ctx.user, role=role))
        self.who.setObjectName("officeWho")
        head_lay.addWidget(self.who)
        head_lay.addStretch(1)
        self.gate_button = QPushButton(translate("OfficeShell", "门岗 (F12)"))
        self.gate_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.gate_button.clicked.connect(self.sign_off)
        head_lay.addWidget(self.gate_button)
        self.sign_off_button = QPushButton(translate("OfficeShell", "退出登录"))
        self.sign_off_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_off_button.clicked.connect(self.sign_off)
        head_lay.addWidget(self.sign_off_button)

        self.nav = QListWidget()
        self.nav.setObjectName("officeNav")
        for spec in self.specs:
            item = QListWidgetItem(_tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setProperty("compact", False)
        self._row_heights: dict[bool, int] = {}
        self._nav_width = max(150, self.nav.sizeHintForColumn(0) + 48)
        self.nav.setFixedWidth(self._nav_width)
        self.stack = QStackedWidget()
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(head)
        lay.addLayout(body, 1)
        self.nav.currentRowChanged.connect(self._row_changed)
        QShortcut(QKeySequence("F12"), self, self.sign_off, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if self.specs:
            self.nav.setCurrentRow(0)
        else:
            self.stack.addWidget(QLabel(translate("OfficeShell", "此角色暂无办公页面。")))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_nav()

    def _fit_nav(self) -> None:
        """Every row of the column in sight: closer rows when the window is low (1024x640), and
        room for the scroll bar, never a cut title, when even those do not fit."""
        rows, room = self.nav.count(), self.nav.height() - 2 * self.nav.frameWidth()
        if not rows or room <= 0:
            return
        compact = self._row_height(False) * rows > room
        if compact != self.nav.property("compact"):
            self._restyle(compact)
            self.nav.doItemsLayout()
        fits = self._row_height(compact) * rows <= room
        scroll_bar = 0 if fits else self.nav.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.nav.setFixedWidth(self._nav_width + scroll_bar)

    def _restyle(self, compact: bool) -> None:
        self.nav.setProperty("compact", compact)
        self.nav.style().unpolish(self.nav)
        self.nav.style().polish(self.nav)

    def _row_height(self, compact: bool) -> int:
        """A row's height with or without the closer rows (measured once each)."""
        if compact not in self._row_heights:
            now = bool(self.nav.property("compact"))
            self._restyle(compact)
            self._row_heights[compact] = self.nav.sizeHintForRow(0)
            self._restyle(now)
        return self._row_heights[compact]

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.warm_up is not None and self.warm_up.ident is None:
            # What the first roster preview, added resident or returnee would load in a worker, in
            # the middle of the user's work: loaded now, while the user looks at the first page.
            self.warm_up.start()

    def warming_up(self) -> bool:
        return self.warm_up is not None and (self.warm_up.ident is None or self.warm_up.is_alive())

    def open(self, key: str) -> QWidget:
        """Show a page by key (built the first time); the page widget."""
        row = [s.key for s in self.specs].index(key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        page = self.pages.get(spec.key)
        if page is None:
            page = spec.make(self.ctx, self.background)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            if hasattr(page, "refusedSeen"):
                page.refusedSeen.connect(self.refusedSeen)
            if hasattr(page, "exchanged"):
                page.exchanged.connect(self.exchanged)
            if hasattr(page, "openPage"):
                page.openPage.connect(self.open)
        self.stack.setCurrentWidget(page)

    @property
    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return self.specs[row].key if row >= 0 else None

    def sign_off(self) -> None:
        self.signedOff.emit()

    def shutdown(self) -> None:
        for page in self.pages.values():
            if hasattr(page, "shutdown"):
                page.shutdown()
        self.background.shutdown()
