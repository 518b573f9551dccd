"""The gate page's secondary panels, made when first needed (or in idle time after the first
paint: the window is on screen and catching scans sooner, DESIGN §7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from checkpoint_app.ui.errors import guarded

if TYPE_CHECKING:
    from checkpoint_app.services.context import GateContext
    from checkpoint_app.ui.gate_page import GatePage


def make_panel(page: GatePage, name: str) -> QWidget:
    """Build the panel ``name`` on ``page.ctx`` and wire it to the page."""
    ctx = page.ctx
    if name == "manual":
        from checkpoint_app.ui.manual_entry import ManualEntryPanel

        panel = ManualEntryPanel(ctx)
        panel.residentChosen.connect(page.on_manual_resident)
    elif name == "visitor":
        from checkpoint_app.ui.visitor_form import VisitorFormPanel

        panel = VisitorFormPanel(ctx)
        panel.registered.connect(page.on_visitor_registered)
    elif name == "inside":
        from checkpoint_app.ui.visitors_inside import VisitorsInsidePanel

        panel = VisitorsInsidePanel(ctx)
        panel.visitorLeft.connect(page.on_visitor_left)
    elif name == "handover":
        from checkpoint_app.ui.handover_panel import HandoverPanel

        panel = HandoverPanel(ctx)
        panel.handedOver.connect(page.on_handed_over)
    elif name == "incidents":
        from checkpoint_app.ui.incidents_panel import IncidentsPanel

        panel = IncidentsPanel(ctx)
        panel.followedUp.connect(page.on_followed_up)
    elif name == "camera":
        from checkpoint_app.ui.camera_panel import CameraPanel

        panel = CameraPanel()
        panel.scanned.connect(page.on_scan)
    elif name == "add_guard":
        from checkpoint_app.ui.setup_pages import AddGuardPanel

        panel = AddGuardPanel(ctx, ask_admin=True)
        panel.added.connect(page.on_guard_added)
    elif name == "close":
        from checkpoint_app.ui.sign_on import ClosePanel

        panel = ClosePanel(ctx)
        panel.closeConfirmed.connect(page.closeConfirmed)
    else:
        raise KeyError(name)
    return panel


def make_key_bar(page: GatePage) -> QHBoxLayout:
    """The row of function keys under the gate page (``page.key_buttons``, ``page.quit_button``)."""
    translate = QCoreApplication.translate   # the page's strings: context GatePage
    bar = QHBoxLayout()
    bar.setContentsMargins(8, 0, 8, 0)
    page.key_buttons = {}
    for key, text, slot in (("F2", translate("GatePage", "F2 访客登记"), page.open_visitor_form),
                            ("F3", translate("GatePage", "F3 无卡住户"), page.open_manual_entry),
                            ("F4", translate("GatePage", "F4 访客离开"), page.open_visitors_inside),
                            ("F6", translate("GatePage", "F6 事件跟进"), page.open_incidents),
                            ("F7", translate("GatePage", "F7 摄像头扫码"), page.open_camera),
                            ("F9", translate("GatePage", "F9 交接班"), page.open_handover)):
        btn = QPushButton(text)
        btn.setObjectName("keyButton")
        btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        btn.clicked.connect(slot)
        bar.addWidget(btn)
        page.key_buttons[key] = btn
    page.key_buttons["F7"].hide()          # until a camera is found (ui/camera_panel.py)
    bar.addStretch(1)
    page.quit_button = QPushButton(translate("GatePage", "退出"))
    page.quit_button.setObjectName("keyButton")
    page.quit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    page.quit_button.clicked.connect(page.ask_close)
    bar.addWidget(page.quit_button)
    return bar


class ClockWarning(QWidget):
    """Shown when the PC clock disagrees with the records (services/clock_guard.py)."""

    def __init__(self, ctx: GateContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._may_confirm = False
        self.setObjectName("clockWarning")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 8, 0)
        self.text = QLabel()
        self.text.setObjectName("noticeBad")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.confirm = QPushButton(self.tr("时钟无误（记录在案）"))
        self.confirm.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm.clicked.connect(self.acknowledge)
        row.addWidget(self.confirm)
        self.hide()

    @guarded
    def check(self, *, may_confirm: bool | None = None) -> None:
        from checkpoint_app.services import clock_guard

        if may_confirm is not None:
            self._may_confirm = may_confirm
        status = clock_guard.check(self.ctx)
        self.setVisible(not status.ok)
        if not status.ok:
            self.text.setText(status.message)
            self.confirm.setVisible(status.can_acknowledge and self._may_confirm)

    @guarded
    def acknowledge(self) -> None:
        from checkpoint_app.services import clock_guard

        clock_guard.acknowledge(self.ctx)
        self.check()
