"""The gate screen: banner on top, the guard's panel on the left, the live board on the right.

Flow of a resident's passage: a scan (from ``ScanCapture``, wherever the focus was) shows the
holder, the expected direction and a focused temperature field at once; ``365`` + Enter records
the passage and paints the answer on the banner; a fever asks for a second reading before
anything is recorded. A refused pass is recorded and answered at once, without a temperature.
No dialog ever stands between the guard and the next scan: scans that arrive while someone is
still being measured wait in a visible queue; a scan always brings the scan panel forward and
the other panels (visitor form, handover) keep what was typed.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from checkpoint_app.domain.decision import DIRECTIONS, sentence
from checkpoint_app.domain.temperature import format_temperature, parse_temperature
from checkpoint_app.errors import InvalidInput
from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.gate.banner import Banner
from checkpoint_app.ui.gate.board import BoardWidget
from checkpoint_app.ui.shared.errors import guarded
from checkpoint_app.ui.gate.gate_panels import ClockWarning, PanelsMixin, make_key_bar
from checkpoint_app.ui.gate.scan_panel import ScanPanel
from checkpoint_app.ui.shared.sign_on import SignOnPanel
from checkpoint_app.ui.gate.sound import SoundPlayer

if TYPE_CHECKING:
    from checkpoint_app.services.gate import Holder, ScanResult

log = logging.getLogger(__name__)

# How long an answer stays on the banner when nothing else happens (ms).
ANSWER_HOLD_MS = 60_000
# The banner states that are an answer (not a scan still being served).
_FINAL_ANSWERS = ("allowed", "flagged", "denied", "ignored", "notice")

_TEMPERATURE_PROBLEMS = ("temperature_malformed", "temperature_implausible")
_PASS_REFUSALS = ("forged", "foreign_site", "unknown_pass", "revoked", "superseded", "expired",
                  "resident_inactive", "malformed")


@dataclass
class Pending:
    """Someone identified and waiting for the temperature."""
    holder: Holder
    direction: str
    text: str | None = None            # the scanned payload (None for manual entry)
    resident_id: int | None = None     # manual entry
    explicit: bool = False             # the guard chose the direction
    first_reading: str | None = None   # the fever reading awaiting its re-measure
    first_at: datetime | None = None   # when it was taken

    @property
    def manual(self) -> bool:
        return self.text is None


def _same_scan(a: str | None, b: str | None) -> bool:
    norm = lambda t: "".join(unicodedata.normalize("NFKC", t or "").split()).upper()  # noqa: E731
    return a is not None and b is not None and norm(a) == norm(b)


class GatePage(PanelsMixin, QWidget):
    passageRecorded = Signal(object)     # ScanResult (also refusals that were recorded)
    scanAnswered = Signal(str)           # banner kind after a scan or a temperature (tests wait on it)
    visitorRegistered = Signal(object)
    guardChanged = Signal(str)
    closeConfirmed = Signal()
    handedOver = Signal(object)          # services.users.SignedOn of the incoming guard (a backup follows)
    queueChanged = Signal(int)           # scans waiting (shown on the sign-on and lock pages)
    officeSignOn = Signal(object)        # a manager/admin/auditor signed on: the office, not the gate

    def __init__(self, ctx: GateContext, *, sound: SoundPlayer | None = None, board_threaded: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate_ctx = ctx          # the open gate, acting for nobody
        self.ctx = ctx               # acting for the guard on duty once one signs on (act_for)
        self.sound = sound or SoundPlayer(enabled=False)
        self.setObjectName("gatePage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.current: Pending | None = None
        self.queue: deque[str] = deque()
        self._shut_down = False
        self.signed_on = False
        self.locked = False          # the idle lock (main_window.py) covers the page; scans wait

        self.banner = Banner()
        self.scan_panel = ScanPanel()
        self.sign_on_panel = SignOnPanel(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scan_panel)
        self.stack.addWidget(self.sign_on_panel)
        # The other panels are made when first needed, or in idle time after the first paint:
        # the window is on screen and catching scans sooner (cold start, DESIGN §7).
        self._panels: dict[str, QWidget] = {}
        self.camera_watch = None       # made in idle time after the first paint (start)
        self.board = BoardWidget(ctx.data_dir, ctx.clock, threaded=board_threaded)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 6)
        lay.setSpacing(6)
        lay.addWidget(self.banner)
        self.clock_warning = ClockWarning(ctx)
        self.clock_text, self.clock_confirm = self.clock_warning.text, self.clock_warning.confirm
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self.check_clock)
        # An answer stays on the banner for a while, then gives way to "请扫码": the last person's
        # answer must not greet the next one minutes later, across midnight (issue 11).
        self._answer_timer = QTimer(self)
        self._answer_timer.setSingleShot(True)
        self._answer_timer.setInterval(ANSWER_HOLD_MS)
        self._answer_timer.timeout.connect(self._answer_expired)
        self._duty_name = ""
        lay.addWidget(self.clock_warning)
        body = QHBoxLayout()
        body.setContentsMargins(8, 0, 8, 0)
        body.setSpacing(8)
        # On a short screen (a 1080p laptop at 150 %: ~650 px) a tall panel scrolls rather than
        # pushing the function keys off the screen; with room it fills the column as before.
        self.stack_area = QScrollArea()
        self.stack_area.setObjectName("stackArea")
        self.stack_area.setWidgetResizable(True)
        self.stack_area.setFrameShape(QFrame.Shape.NoFrame)
        self.stack_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)    # no invisible Tab stop
        self.stack_area.setWidget(self.stack)
        body.addWidget(self.stack_area, 57)
        self.fit_stack_width()
        QApplication.instance().focusChanged.connect(self._keep_focus_visible)
        body.addWidget(self.board, 43)
        lay.addLayout(body, 1)
        lay.addLayout(make_key_bar(self))

        self.scan_panel.temperatureEntered.connect(self.on_temperature)
        self.scan_panel.directionChosen.connect(self.set_direction)
        self.sign_on_panel.signedOn.connect(self.on_signed_on)
        self.sign_on_panel.addGuardRequested.connect(self.open_add_guard)
        self.board.incidentsCounted.connect(self.set_open_incidents)
        self._shortcuts()
        self.require_sign_on()

    # -- start-up -------------------------------------------------------------------------------
    def start(self) -> None:
        """After the first paint: start the board, then warm up the rest, one step per loop turn."""
        self._clock_timer.start(60_000)
        steps = [self.board.build, self.board.start, self.check_clock, _gate, _screen, _warm_services,
                 *[(lambda n=name: self._panel(n)) for name in _PANEL_NAMES], self._watch_camera]

        def step() -> None:
            if steps and not self._shut_down:
                steps.pop(0)()
                QTimer.singleShot(0, self, step)   # the page as context: no call once it is gone
        QTimer.singleShot(0, self, step)

    def check_clock(self) -> None:
        self.clock_warning.check(may_confirm=self.signed_on)

    def acknowledge_clock(self) -> None:
        self.clock_warning.acknowledge()

    def _shortcuts(self) -> None:
        for key, slot in (("F2", self.open_visitor_form), ("F3", self.open_manual_entry),
                          ("F4", self.open_visitors_inside), ("F6", self.open_incidents),
                          ("F7", self.open_camera), ("F9", self.open_handover),
                          ("Esc", self.escape)):
            QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WindowShortcut)

    def _show(self, panel: QWidget) -> None:
        self.stack.setCurrentWidget(panel)
        self.stack_area.verticalScrollBar().setValue(0)     # a panel opens at its top

    def fit_stack_width(self) -> None:
        """The panel column is never narrower than the widest panel needs (a scroll area asks
        for almost nothing; only the height may scroll). Called when a panel is added."""
        bar = self.stack_area.verticalScrollBar().sizeHint().width()
        self.stack_area.setMinimumWidth(self.stack.minimumSizeHint().width() + bar)

    # -- signing on -------------------------------------------------------------------------------
    def act_for(self, acting: GateContext) -> None:
        """From now on the page and its panels call the services as ``acting`` (a context from
        ``users.sign_on``, or the gate's own, acting for nobody); nothing shared changes."""
        self.ctx = acting
        for widget in (self.sign_on_panel, self.clock_warning, *self._panels.values()):
            if hasattr(widget, "ctx"):
                widget.ctx = acting

    def require_sign_on(self) -> None:
        self.act_for(self.gate_ctx)
        self.signed_on = False
        for btn in self.key_buttons.values():
            btn.setEnabled(False)
        self.banner.show_state("idle", self.tr("请值班员签到"), "",
                               self.tr("签到后即可扫码登记；签到前扫的码会保留，签到后处理。"))
        self.sign_on_panel.prepare()
        self.sign_on_panel.set_pending_scans(len(self.queue))
        self._show(self.sign_on_panel)

    def on_signed_on(self, signed) -> None:
        if signed.role != "guard":       # only a guard goes on duty here (ui/office, issue 13)
            self.sign_on_panel.prepare()
            self.officeSignOn.emit(signed)
            return
        self.act_for(signed.acting)
        self.signed_on = True
        self._on_duty(signed.name)
        self.show_scan_panel()
        self._next()

    def _on_duty(self, name: str) -> None:
        """A guard has signed on (at shift start or at the lock page): keys on, banner, clock."""
        for btn in self.key_buttons.values():
            btn.setEnabled(True)
        self.guardChanged.emit(name)
        self._duty_name = name
        self._ready_banner()
        self.check_clock()

    def _ready_banner(self) -> None:
        self.banner.show_state("idle", self.tr("请扫码"), self.tr("值班：{name}").format(name=self._duty_name),
                               self.tr("出示出入证二维码；无卡住户按 F3，访客按 F2。"))

    def _answer_expired(self) -> None:
        """The answer has been read: back to "请扫码" unless a scan is being served."""
        if self.current is None and self.signed_on and self.banner.kind in _FINAL_ANSWERS:
            self._ready_banner()

    # -- scans ------------------------------------------------------------------------------------
    @guarded
    def on_scan(self, text: str) -> None:
        """A scan from the capture filter, whatever was focused."""
        if not self.signed_on or self.locked:
            self.queue.append(text)
            self.sign_on_panel.set_pending_scans(len(self.queue))
            self.queueChanged.emit(len(self.queue))
            return
        if self.current is not None:
            if _same_scan(self.current.text, text):
                self.show_scan_panel()  # scanned again while being measured: nothing new
                return
            self.queue.append(text)
            self.scan_panel.set_queue(len(self.queue))
            return
        self._start_scan(text, fresh=True)

    def _start_scan(self, text: str, *, fresh: bool) -> None:
        self._show(self.scan_panel)
        self.scan_panel.set_queue(len(self.queue))
        preview = _screen().prepare_scan(self.ctx, text)
        if preview.identified.payload is None:
            self.banner.show_state("ignored", self.tr("请重新扫码"), "", sentence("malformed", {}), now=True)
            self.sound.play("scan_again")
            self._answered("ignored")
            self._next()
            return
        if preview.duplicate:
            self.banner.show_state("ignored", self.tr("已忽略"), self._who(preview.holder),
                                   sentence("duplicate", {}), now=True)
            self._answered("ignored")
            self._next()
            return
        if preview.refusal is not None or preview.holder is None:
            result = _gate().record_passage(self.ctx, text, guard=self.ctx.user)
            self._show_result(result)
            self._next()
            return
        self.current = Pending(preview.holder, preview.direction or "out", text=text)
        self._present(self.current, fresh=fresh)

    def _present(self, pending: Pending, *, fresh: bool) -> None:
        self._show(self.scan_panel)
        self.scan_panel.show_holder(pending.holder, pending.direction, manual=pending.manual)
        # A scan that waited keeps the answer of the person before on the banner; after sign-on
        # or unlocking there is none ("请扫码"), and the person at the gate is being measured.
        if fresh or self.banner.kind == "idle":
            self.banner.show_state("waiting", self.tr("请测温"), self._who(pending.holder, pending.direction),
                                   self.tr("输入体温，按回车登记。"), now=True)
        self._answered("waiting")

    @guarded
    def on_manual_resident(self, resident_id: int) -> None:
        found = _screen().holder_for_resident(self.ctx, resident_id)
        if found is None:
            return
        if self.current is not None and self.current.text is not None:
            self.queue.appendleft(self.current.text)  # the scanned resident keeps their place
        holder, direction = found
        self.current = Pending(holder, direction, resident_id=resident_id)
        self._present(self.current, fresh=True)

    def set_direction(self, direction: str) -> None:
        if self.current is None:
            return
        self.current.direction = direction
        self.current.explicit = True
        self.scan_panel.set_direction(direction)

    @guarded
    def on_temperature(self, text: str) -> None:
        pending = self.current
        if pending is None:
            return
        try:
            parse_temperature(text)   # the sentence goes next to the field, nothing is recorded
        except InvalidInput as err:
            self.scan_panel.show_temperature_error(str(err))
            self._answered("measure_again")
            return
        kwargs = dict(temperature=pending.first_reading or text,
                      remeasure=text if pending.first_reading else None,
                      direction=pending.direction if pending.explicit else None,
                      guard=self.ctx.user, require_remeasure=True, first_at=pending.first_at)
        if pending.manual:
            result = _gate().record_manual_passage(self.ctx, pending.resident_id, **kwargs)
        else:
            result = _gate().record_passage(self.ctx, pending.text, **kwargs)
        if result.reason in _TEMPERATURE_PROBLEMS and not result.recorded:
            self.scan_panel.show_temperature_error(result.message)
            self._answered("measure_again")
            return
        if result.needs_remeasure:
            pending.first_reading, pending.first_at = text, self.ctx.now()
            first = format_temperature(result.temperature) if result.temperature is not None else text
            self.banner.show_state("fever", self.tr("发热，请复测"), self._who(pending.holder, result.direction),
                                   result.message, now=True)
            self.sound.play("fever")
            self.scan_panel.ask_temperature(remeasure=True, first=first)
            self._answered("fever")
            return
        self.current = None
        self._show_result(result, manual=pending.manual)
        self._next()

    def _show_result(self, result: ScanResult, *, manual: bool = False) -> None:
        kind = result.outcome if result.outcome in ("allowed", "flagged", "denied") else "ignored"
        title = {"allowed": self.tr("通行"), "flagged": self.tr("注意"), "denied": self.tr("禁止通行"),
                 "ignored": self.tr("已忽略")}[kind]
        # A refused card has no "way": the direction recorded with it is only a default.
        way = result.direction if result.recorded and result.reason not in _PASS_REFUSALS else None
        who = self._who(result.holder, way, result.temperature)
        if result.holder is None and result.recorded:
            who = self.tr("（无效卡）")
        if manual:
            who += "  " + self.tr("（手动）")
        detail = result.message
        if result.reason == "ok" and result.recorded:
            detail = self.tr("已登记 {time}").format(time=f"{self.ctx.now():%H:%M:%S}")
        self.banner.show_state(kind, title, who, detail, now=True)
        if "fever" in result.reasons:
            self.sound.play("fever")
        elif kind in ("denied", "flagged", "allowed"):
            self.sound.play(kind)
        if result.recorded:
            self.passageRecorded.emit(result)
            self.board.request_refresh()
        self._answered(kind)

    def _who(self, holder: Holder | None, direction: str | None = None, temperature: int | None = None) -> str:
        if holder is None:
            return ""
        parts = [holder.household, holder.name]
        if direction:
            parts.append(("↓ " if direction == "in" else "↑ ") + DIRECTIONS(direction))
        if temperature is not None:
            parts.append(f"{format_temperature(temperature)} °C")
        return "  ".join(parts)

    def _answered(self, kind: str) -> None:
        self._answer_timer.start()  # restarted by every answer
        self.scanAnswered.emit(kind)

    def _next(self) -> None:
        """Serve the next waiting scan, or go idle."""
        if self.current is not None:
            return
        if self.queue and self.signed_on and not self.locked:
            self._start_scan(self.queue.popleft(), fresh=False)
            return
        self.scan_panel.set_queue(0)
        self.scan_panel.show_idle()
        if self.stack.currentWidget() is self.scan_panel:
            # The holder card scrolled the column to its temperature field (a short screen): the
            # idle page, shorter, starts at its top again, its heading whole (issue 10).
            self.stack_area.verticalScrollBar().setValue(0)
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the other panels -------------------------------------------------------------------------
    def _keep_focus_visible(self, _old, new) -> None:
        """The field that takes the keyboard is scrolled into view (only on a short screen does
        the panel column scroll at all); a panel itself taking the focus changes nothing."""
        if (new is not None and not self._shut_down and self.stack.isAncestorOf(new)
                and new.parentWidget() is not self.stack):
            self.stack_area.ensureWidgetVisible(new, 0, 12)

    def focus_panel(self) -> None:
        """The keyboard to where the guard types next. Called once the page is in its window and
        shown — a focus given to a widget before it is in a window is lost, and the guard's PIN
        would go nowhere — and when the lock page gives the page back."""
        panel = self.stack.currentWidget()
        if panel is self.sign_on_panel:
            self.sign_on_panel.focus_first()
        elif panel is self.scan_panel:
            self.show_scan_panel()
        else:
            (panel.focusWidget() or panel).setFocus()

    def show_scan_panel(self) -> None:
        if not self.signed_on:
            self._show(self.sign_on_panel)
            return
        self._show(self.scan_panel)
        if self.current is not None:
            self.scan_panel.temperature.setFocus()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the idle lock ----------------------------------------------------------------------------
    def lock(self) -> bool:
        """Stop acting for the guard until someone signs on again; False when there is no one."""
        if not self.signed_on or self.locked:
            return False
        self.locked = True
        for btn in self.key_buttons.values():
            btn.setEnabled(False)
        self.queueChanged.emit(len(self.queue))
        return True

    def unlock(self, signed) -> None:
        """The guard (or another one) signed on at the lock page: serve the scans that waited."""
        self.locked = False
        self.act_for(signed.acting)
        self._on_duty(signed.name)
        if self.current is not None or self.queue:
            self.show_scan_panel()
        self._next()

    def ask_close(self) -> None:
        if self.locked:
            return   # the lock page is in front: sign on first
        self.close_panel.prepare()
        self._show(self.close_panel)

    def escape(self) -> None:
        """Esc goes back to the scan panel; on it, Esc drops the person being measured. Never quits."""
        panel = self.stack.currentWidget()
        if panel is self.sign_on_panel or self.locked:
            return
        if panel is not self.scan_panel:
            self.show_scan_panel()
            return
        if self.current is not None:
            who = self._who(self.current.holder)
            self.current = None
            self.banner.show_state("notice", self.tr("已取消"), who, self.tr("未登记本次通行。"))
            self._answer_timer.start()
            self._next()

    def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        self._clock_timer.stop()    # its check reads the database, closed after this
        try:
            QApplication.instance().focusChanged.disconnect(self._keep_focus_visible)
        except (RuntimeError, TypeError):
            pass
        self.board.shutdown()
        self.sound.close()
        camera = self._panels.get("camera")
        if camera is not None:
            camera.shutdown()


_PANEL_NAMES = ("manual", "visitor", "inside", "handover", "incidents", "close")


def _gate():
    from checkpoint_app.services import gate

    return gate


def _screen():
    from checkpoint_app.services import gate_screen

    return gate_screen


def _warm_services() -> None:
    from checkpoint_app.services import handover, residents, visitors  # noqa: F401
