"""The gate page's secondary panels (F2 visitor form, F3 manual entry, F4 visitors inside,
F6 incidents, F7 camera, F9 handover, closing, adding a guard): made when first needed, or in
idle time after the first paint (the window is on screen and catching scans sooner, DESIGN §7),
and what the page does when they finish. ``PanelsMixin`` is the gate page's side of it; its
strings are in the ``GatePage`` translation context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from checkpoint_app.ui.shared.errors import guarded

if TYPE_CHECKING:
    from checkpoint_app.services.context import GateContext
    from checkpoint_app.ui.gate.camera_panel import CameraPanel
    from checkpoint_app.ui.gate.gate_page import GatePage
    from checkpoint_app.ui.gate.handover_panel import HandoverPanel
    from checkpoint_app.ui.gate.incidents_panel import IncidentsPanel
    from checkpoint_app.ui.gate.manual_entry import ManualEntryPanel
    from checkpoint_app.ui.shared.setup_pages import AddGuardPanel
    from checkpoint_app.ui.shared.sign_on import ClosePanel
    from checkpoint_app.ui.gate.visitor_form import VisitorFormPanel
    from checkpoint_app.ui.gate.visitors_inside import VisitorsInsidePanel

translate = QCoreApplication.translate


class PanelsMixin:
    """The panels of a ``GatePage`` (``self`` is the page): made on first use, opened by the
    function keys once a guard is signed on, and what the page shows when they are done."""

    _panels: dict[str, QWidget]

    def _watch_camera(self) -> None:
        """In idle time after start: is there a webcam (loads QtMultimedia, ~25 ms)?"""
        from checkpoint_app.ui.gate.camera_panel import CameraWatch

        self.camera_watch = CameraWatch(self)
        self.camera_watch.changed.connect(self.set_camera_available)
        self.camera_watch.start()

    def _panel(self, name: str) -> QWidget:
        panel = self._panels.get(name)
        if panel is None:
            panel = make_panel(self, name)
            panel.cancelled.connect(self.show_scan_panel)
            self.stack.addWidget(panel)
            self._panels[name] = panel
            self.fit_stack_width()
        return panel

    @property
    def manual_panel(self) -> ManualEntryPanel:
        return self._panel("manual")

    @property
    def visitor_panel(self) -> VisitorFormPanel:
        return self._panel("visitor")

    @property
    def inside_panel(self) -> VisitorsInsidePanel:
        return self._panel("inside")

    @property
    def handover_panel(self) -> HandoverPanel:
        return self._panel("handover")

    @property
    def close_panel(self) -> ClosePanel:
        return self._panel("close")

    @property
    def incidents_panel(self) -> IncidentsPanel:
        return self._panel("incidents")

    @property
    def camera_panel(self) -> CameraPanel:
        return self._panel("camera")

    @property
    def add_guard_panel(self) -> AddGuardPanel:
        return self._panel("add_guard")

    def _open(self, panel) -> None:
        if not self.signed_on or self.locked:
            return
        panel.prepare()
        self._show(panel)

    def open_visitor_form(self) -> None:
        self._open(self.visitor_panel)

    def open_manual_entry(self) -> None:
        self._open(self.manual_panel)

    def open_visitors_inside(self) -> None:
        self._open(self.inside_panel)

    def open_handover(self) -> None:
        self._open(self.handover_panel)

    def open_incidents(self) -> None:
        self._open(self.incidents_panel)

    def open_camera(self) -> None:
        """F7: scan with the webcam (ui/camera_panel.py); only when a camera exists."""
        if self.camera_watch is not None and self.camera_watch.available:
            self._open(self.camera_panel)

    def on_camera_scan(self, text: str) -> None:
        """A code read by the camera: the camera has stopped; back to the scan panel whatever
        becomes of the scan (it may wait behind someone being measured), then the scan's way."""
        self.show_scan_panel()
        self.on_scan(text)

    def set_camera_available(self, available: bool) -> None:
        self.key_buttons["F7"].setVisible(available)
        if not available and self.stack.currentWidget() is self._panels.get("camera"):
            self.show_scan_panel()   # unplugged while in use

    def open_add_guard(self) -> None:
        """From the sign-on panel: an admin adds a guard account (their password is asked)."""
        if self.signed_on:
            return
        self.add_guard_panel.prepare()
        self._show(self.add_guard_panel)

    def on_guard_added(self, name: str) -> None:
        self.require_sign_on()
        self.sign_on_panel.name.setEditText(name)
        self.sign_on_panel.pin.setFocus()

    def set_open_incidents(self, n: int) -> None:
        from checkpoint_app.ui.gate.board import INCIDENTS_COUNTED

        count = f"{INCIDENTS_COUNTED}+" if n > INCIDENTS_COUNTED else str(n)
        self.key_buttons["F6"].setText(translate("GatePage", "F6 事件跟进 {n}").format(n=count) if n
                                       else translate("GatePage", "F6 事件跟进"))

    def on_followed_up(self, _uid: str, closed: bool) -> None:
        self.banner.show_state("notice", translate("GatePage", "已记录跟进"), "",
                               translate("GatePage", "事件已结案。") if closed
                               else translate("GatePage", "跟进情况已记录。"))
        self.board.request_refresh()

    @guarded
    def on_visitor_registered(self, result, name: str) -> None:
        kind = result.outcome
        title = {"allowed": translate("GatePage", "访客通行"), "flagged": translate("GatePage", "访客注意"),
                 "denied": translate("GatePage", "访客禁止进入")}.get(kind, kind)
        self.banner.show_state(kind, title, name, result.message, now=True)
        self.sound.play("fever" if "fever" in result.reason else kind)
        self.visitorRegistered.emit(result)
        self.board.request_refresh()
        self.show_scan_panel()
        self._answered(kind)

    def on_visitor_left(self, visitor_id: str, name: str) -> None:
        self.banner.show_state("notice", translate("GatePage", "访客离开"), name,
                               translate("GatePage", "已登记离开。"))
        self.board.request_refresh()
        self.inside_panel.prepare()

    def on_handed_over(self, signed) -> None:
        self.act_for(signed.acting)
        self.guardChanged.emit(signed.name)
        self.handedOver.emit(signed)
        self.banner.show_state("notice", translate("GatePage", "交接班完成"),
                               translate("GatePage", "值班：{name}").format(name=signed.name),
                               translate("GatePage", "交接班已记录。"))
        self.show_scan_panel()


def make_panel(page: GatePage, name: str) -> QWidget:
    """Build the panel ``name`` on ``page.ctx`` and wire it to the page."""
    ctx = page.ctx
    if name == "manual":
        from checkpoint_app.ui.gate.manual_entry import ManualEntryPanel

        panel = ManualEntryPanel(ctx)
        panel.residentChosen.connect(page.on_manual_resident)
    elif name == "visitor":
        from checkpoint_app.ui.gate.visitor_form import VisitorFormPanel

        panel = VisitorFormPanel(ctx)
        panel.registered.connect(page.on_visitor_registered)
    elif name == "inside":
        from checkpoint_app.ui.gate.visitors_inside import VisitorsInsidePanel

        panel = VisitorsInsidePanel(ctx)
        panel.visitorLeft.connect(page.on_visitor_left)
    elif name == "handover":
        from checkpoint_app.ui.gate.handover_panel import HandoverPanel

        panel = HandoverPanel(ctx)
        panel.handedOver.connect(page.on_handed_over)
    elif name == "incidents":
        from checkpoint_app.ui.gate.incidents_panel import IncidentsPanel

        panel = IncidentsPanel(ctx)
        panel.followedUp.connect(page.on_followed_up)
    elif name == "camera":
        from checkpoint_app.ui.gate.camera_panel import CameraPanel

        panel = CameraPanel()
        panel.scanned.connect(page.on_camera_scan)
    elif name == "add_guard":
        from checkpoint_app.ui.shared.setup_pages import AddGuardPanel

        panel = AddGuardPanel(ctx, ask_admin=True)
        panel.added.connect(page.on_guard_added)
    elif name == "close":
        from checkpoint_app.ui.shared.sign_on import ClosePanel

        panel = ClosePanel(ctx)
        panel.closeConfirmed.connect(page.closeConfirmed)
    else:
        raise KeyError(name)
    return panel


def make_key_bar(page: GatePage) -> QHBoxLayout:
    """The row of function keys under the gate page (``page.key_buttons``, ``page.quit_button``)."""
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
