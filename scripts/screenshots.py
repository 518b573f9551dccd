"""Screenshots of the gate screen in each state, in Chinese and in English, at 1366×768.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1366x768]
    .venv/bin/python scripts/screenshots.py --scenario office --size 1024x640   # docs/screenshots/1024x640/

A demo compound (``checkpoint demo``) is made in a temporary folder for yesterday, so that the
board shows a full day; the window then runs on a clock set to 21:30 that day and is driven the
way a guard would: scanner keys, a temperature, Enter. The window is started as app.py starts it
(``ui/start_flow.py``: the start-up check and the start backup run, the status bar says so).
Then the first start on an empty folder (set-up, admin, guards), and a damaged copy of the
database (the read-only page, the restore). Runs offscreen; nothing is kept but the PNGs
(``docs/screenshots/<lang>/NN-state.png``; another size than 1366×768 under
``docs/screenshots/<W>x<H>/<lang>/``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QItemSelectionModel, Qt  # noqa: E402
from PySide6.QtGui import QColor, QInputMethodEvent, QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.services import demo, users  # noqa: E402
from checkpoint_app.services.context import open_gate  # noqa: E402
from checkpoint_app.services.permissions import OPERATOR  # noqa: E402
from checkpoint_app.services.demo import make_demo  # noqa: E402
from checkpoint_app.ui import i18n  # noqa: E402
from checkpoint_app.ui.shared import style  # noqa: E402
from checkpoint_app.ui.main_window import MainWindow  # noqa: E402
from checkpoint_app.ui.gate.scan_capture import ScanCapture  # noqa: E402
from checkpoint_app.ui.gate.sound import SoundPlayer  # noqa: E402
from checkpoint_app.ui.start_flow import StartFlow  # noqa: E402

GUARD, PIN = "李建国", "1111"   # the demo's guard (services/demo.py DEMO_USERS)
ADMIN, ADMIN_PASSWORD = "陈志明", "gate-admin-2026"

_loop = None


def _LOOP():  # noqa: N802
    """One QEventLoop to pump events with. Not QCoreApplication.processEvents(): in PySide6 6.12
    that static call (and QTest.qWait) drops a reference to None on every call, and a long loop of
    them crashes the interpreter ("none_dealloc")."""
    global _loop
    if _loop is None:
        from PySide6.QtCore import QEventLoop

        _loop = QEventLoop()
    return _loop



class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def pump(ms: int = 0, until=None, timeout_ms: int = 5000) -> None:
    """Run the event loop for ``ms``, or until ``until()`` is true."""
    deadline = time.perf_counter() + (timeout_ms if until else ms) / 1000
    while time.perf_counter() < deadline:
        _LOOP().processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if until is not None and until():
            break
        time.sleep(0.005)
    _LOOP().processEvents()


class Keys:
    def __init__(self, window) -> None:
        self.window = window
        self.t = 1_000

    def _send(self, key: int, text: str, gap: int) -> None:
        self.t += gap
        ev = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
        ev.setTimestamp(self.t)
        QCoreApplication.sendEvent(self.window.windowHandle(), ev)

    def scan(self, payload: str) -> None:
        for i, ch in enumerate(payload):
            self._send(ord(ch.upper()) if ch.isalnum() else 0, ch, 500 if i == 0 else 6)
        self._send(Qt.Key.Key_Return, "\r", 6)
        pump(50)

    def type(self, text: str) -> None:
        for ch in text:
            self._send(ord(ch) if ch.isalnum() else 0, ch, 180)

    def enter(self) -> None:
        self._send(Qt.Key.Key_Return, "\r", 180)
        pump(50)


def commit(widget, text: str) -> None:
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QCoreApplication.sendEvent(widget, ev)


def shoot(window, folder: Path, name: str) -> Path:
    pump(120)
    path = folder / f"{name}.png"
    window.grab().save(str(path))
    print(f"  {path}")
    return path


def shoot_with(window, dialog, folder: Path, name: str) -> Path:
    """The window with a window-modal form over it, as the person sees it (a grab of the window
    alone leaves the form out)."""
    from PySide6.QtGui import QPainter  # noqa: I001

    pump(120)
    shot = window.grab()
    form = dialog.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))
    painter.drawPixmap((shot.width() - form.width()) // 2, (shot.height() - form.height()) // 3, form)
    painter.end()
    path = folder / f"{name}.png"
    shot.save(str(path))
    print(f"  {path}")
    return path


def pick_cards(ctx) -> dict[str, str]:
    """Payloads of residents in interesting situations."""
    conn = ctx.db.conn
    rows = conn.execute(
        "SELECT p.payload, r.status, r.id FROM passes p JOIN residents r ON r.id = p.resident_id "
        "WHERE p.status = 'active' ORDER BY p.number").fetchall()
    out = {}
    for payload, status, _rid in rows:
        if status == "normal":
            out.setdefault("normal", payload)
            if "normal" in out and payload != out["normal"]:
                out.setdefault("normal2", payload)
        out.setdefault(status, payload)
    revoked = conn.execute("SELECT payload FROM passes WHERE status = 'revoked' LIMIT 1").fetchone()
    out["revoked"] = revoked[0] if revoked else out["normal"]
    return out


def run(lang: str, data_dir: Path, out: Path, size: tuple[int, int], app: QApplication, start: datetime) -> None:
    folder = out / lang
    folder.mkdir(parents=True, exist_ok=True)
    translators = i18n.install(app, lang)
    clock = Clock(start)
    window, flow, capture = start_window(app, data_dir, clock, size)
    pump(until=lambda: window.page is not None and window.page.board.board is not None)
    pump(until=lambda: flow.upkeep.last is not None, timeout_ms=15_000)   # the start backup
    page, ctx = window.page, flow.ctx
    keys = Keys(window)
    cards = pick_cards(ctx)
    # Sign-on
    page.sign_on_panel.name.setEditText(GUARD)
    page.sign_on_panel.pin.setText(PIN)
    shoot(window, folder, "00-sign-on")
    page.sign_on_panel.submit.click()
    pump(until=lambda: page.signed_on)
    shoot(window, folder, "01-idle")
    # A resident scans: the holder and the temperature field.
    keys.scan(cards["normal"])
    pump(until=lambda: page.current is not None)
    keys.type("36")
    shoot(window, folder, "02-scanned")
    keys.type("5")
    keys.enter()
    pump(until=lambda: page.banner.kind == "allowed")
    pump(300)
    shoot(window, folder, "03-allowed")
    # A fever: asked to re-measure, then flagged.
    clock.now += timedelta(minutes=2)
    keys.scan(cards["normal2"])
    pump(until=lambda: page.current is not None)
    keys.type("379")
    keys.enter()
    pump(until=lambda: page.banner.kind == "fever")
    keys.type("38")
    shoot(window, folder, "04-fever-remeasure")
    keys.type("1")
    keys.enter()
    pump(until=lambda: page.banner.kind == "flagged")
    pump(300)
    shoot(window, folder, "05-flagged-fever")
    # A refused card (revoked: lost and replaced).
    clock.now += timedelta(minutes=2)
    keys.scan(cards["revoked"])
    pump(until=lambda: page.banner.kind == "denied")
    pump(300)
    shoot(window, folder, "06-denied")
    # Home quarantine trying to go out.
    if "quarantine" in cards:
        clock.now += timedelta(minutes=2)
        keys.scan(cards["quarantine"])
        pump(until=lambda: page.current is not None)
        page.set_direction("out")
        keys.type("364")
        keys.enter()
        pump(until=lambda: page.banner.kind == "denied")
        pump(300)
        shoot(window, folder, "07-denied-quarantine")
    # Manual entry.
    page.open_manual_entry()
    commit(page.manual_panel.search, "3-1")
    pump(until=lambda: page.manual_panel.results.count() > 0)
    shoot(window, folder, "08-manual-entry")
    # Visitor form, half filled, with an error next to a field.
    page.open_visitor_form()
    f = page.visitor_panel.fields
    commit(f["name"].edit, "孙悦" if lang == "zh_CN" else "Sun Yue")
    # Digit fields have the input method off: typed as keys (setText stands for the typing).
    f["phone"].edit.setText("1381234")
    f["phone"].on_left()
    f["id_number"].edit.setText("110105199003071234")
    f["temperature"].edit.setText("366")
    commit(f["purpose"].edit, "探望父母" if lang == "zh_CN" else "Visiting parents")
    commit(f["from_place"].edit, "本市朝阳区" if lang == "zh_CN" else "Chaoyang District")
    f["host"].edit.setText("1-1-101")
    page.visitor_panel.code_buttons["green"].click()
    f["temperature"].edit.setFocus()
    pump(100)
    shoot(window, folder, "09-visitor-form")
    # The guard corrects the two fields and registers the visitor.
    f["phone"].edit.setText("13812345678")
    f["id_number"].edit.setText("11010519491231002X")
    page.visitor_panel.register()
    pump(until=lambda: page.banner.kind == "allowed")
    pump(300)
    shoot(window, folder, "09b-visitor-allowed")
    # Visitors inside.
    page.open_visitors_inside()
    shoot(window, folder, "10-visitors-inside")
    # Handover.
    clock.now += timedelta(minutes=28)
    page.open_handover()
    commit(page.handover_panel.notes, "测温枪电量低，已更换电池；3 号楼东侧路灯不亮。" if lang == "zh_CN"
           else "Thermometer battery low, replaced; street light east of building 3 is out.")
    page.handover_panel.next_guard.setEditText("王海波")
    shoot(window, folder, "11-handover")
    page.show_scan_panel()
    # Open incidents (F6): follow-up of the day's alerts.
    page.open_incidents()
    pump(until=lambda: page.incidents_panel.table.rowCount() > 0)
    page.incidents_panel.table.selectRow(min(2, page.incidents_panel.table.rowCount() - 1))
    commit(page.incidents_panel.note, "已通知社区医生，复测 36.6 °C，居家观察" if lang == "zh_CN"
           else "Community doctor called; re-measured 36.6 °C; staying home")
    shoot(window, folder, "12-incidents")
    page.show_scan_panel()
    # The webcam (F7), as with a camera plugged in (none here): a card held up to the lens.
    camera_view(page, cards["normal"])
    shoot(window, folder, "12b-camera")
    page.show_scan_panel()
    page.set_camera_available(False)
    # The idle lock (what the idle timer does after 10 minutes), and a resident scanning meanwhile.
    window.lock()
    clock.now += timedelta(minutes=1)
    keys.scan(cards["normal"])
    pump(until=lambda: len(page.queue) == 1)
    window.lock_page.pin.setText("12")
    shoot(window, folder, "13-locked")
    window.lock_page.pin.setText(PIN)
    window.lock_page.submit.click()
    pump(until=lambda: page.current is not None)
    page.escape()
    # Closing asks for a PIN.
    window.close()
    shoot(window, folder, "14-close")
    finish(app, window, flow, capture, translators)


def camera_view(page, payload: str) -> None:
    """The camera panel showing a frame: a pass card with its QR code on a desk, a hand's width
    from the lens (drawn; the panel paints it mirrored, as it does the camera's picture)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter

    from checkpoint_app.reports.qr import encode

    page.set_camera_available(True)
    panel = page.camera_panel
    page.stack.setCurrentWidget(panel)          # what open_camera shows, without a camera to start
    img = QImage(640, 480, QImage.Format.Format_RGB32)
    img.fill(QColor(92, 88, 80))
    p = QPainter(img)
    p.fillRect(QRect(150, 60, 340, 360), QColor(240, 238, 230))
    qr, scale = encode(payload), 4
    ox, oy = 320 - qr.size * scale // 2, 240 - qr.size * scale // 2
    for r, c, n in qr.runs():
        p.fillRect(QRect(ox + c * scale, oy + r * scale, n * scale, scale), QColor(30, 30, 34))
    p.end()
    panel.view.show_image(img)
    panel.status.setText(panel.tr("摄像头：{name}").format(name="USB2.0 HD UVC WebCam"))
    pump(50)


def start_window(app: QApplication, data_dir: Path, clock, size: tuple[int, int]):
    capture = ScanCapture(app)
    capture.install(app)
    window = MainWindow(None, capture, sound=SoundPlayer(enabled=False))
    window.resize(*size)
    window.show()
    flow = StartFlow(window, data_dir, clock=clock)
    flow.start()
    return window, flow, capture


def finish(app, window, flow, capture, translators) -> None:
    import gc

    window.confirmed_close()
    flow.close()
    pump(50)
    capture.uninstall(app)
    i18n.uninstall(app, translators)
    # Delete the window and its timers now, on this thread: left to Python's garbage collector
    # they could be finalised on the upkeep thread of the next scenario, and Qt objects must die
    # in their own thread.
    window.deleteLater()
    capture.deleteLater()
    pump(50)
    gc.collect()


def run_first_start(lang: str, data_dir: Path, out: Path, size: tuple[int, int], app: QApplication,
                    start: datetime) -> None:
    """An empty data folder: set-up, the admin, the first guards."""
    folder = out / lang
    translators = i18n.install(app, lang)
    window, flow, capture = start_window(app, data_dir, Clock(start), size)
    pump(until=lambda: flow.page is not None)
    flow.page.join.click()        # the other first start: join a site from its join file
    join = flow.page
    join.file.setText("E:\\JOIN.ckp")
    join.code.setText("K7Q2-9XMD-4TPA")
    shoot(window, folder, "19-join")
    join.back_button.click()
    pump(until=lambda: flow.page is not join and flow.page is not None)
    setup = flow.page
    setup.code.setText("HXY01")
    commit(setup.site_name, "和谐苑小区" if lang == "zh_CN" else "Harmony Gardens")
    commit(setup.gate_name, "南门" if lang == "zh_CN" else "South gate")
    shoot(window, folder, "20-setup")
    setup.create.click()
    pump(until=lambda: flow.page is not setup and flow.page is not None, timeout_ms=15_000)
    admin = flow.page
    commit(admin.name, ADMIN)
    admin.password.setText(ADMIN_PASSWORD)
    admin.password2.setText(ADMIN_PASSWORD[:6])
    admin.create.click()      # the two passwords differ: said next to the fields
    admin.password2.setText(ADMIN_PASSWORD)
    shoot(window, folder, "21-first-admin")
    admin.create.click()
    pump(until=lambda: flow.page is not admin and flow.page is not None)
    guards = flow.page
    for name, pin in ((GUARD, PIN), ("王海波", "2222")):
        commit(guards.name, name)
        guards.pin.setText(pin)
        guards.pin2.setText(pin)
        guards.submit.click()
    commit(guards.name, "张秀英")
    shoot(window, folder, "22-add-guards")
    guards.back.click()
    pump(until=lambda: window.page is not None)
    pump(300)
    shoot(window, folder, "23-first-sign-on")
    finish(app, window, flow, capture, translators)


def run_damaged(lang: str, data_dir: Path, out: Path, size: tuple[int, int], app: QApplication,
                start: datetime) -> None:
    """A copy of the gate with random bytes over its middle, and last night's backup beside it."""
    import random

    from checkpoint_app.services import backup

    folder = out / lang
    ctx = open_gate(data_dir, clock=lambda: start - timedelta(hours=1))
    backup.auto_backup(ctx, "daily")
    ctx.close()
    db = paths.db_path(data_dir)
    with db.open("r+b") as f:   # the middle of the file: damaged, still readable (a board to show)
        f.seek(db.stat().st_size // 2 // 4096 * 4096)
        f.write(bytes(random.Random(1).randrange(256) for _ in range(8192)))
    translators = i18n.install(app, lang)
    window, flow, capture = start_window(app, data_dir, Clock(start), size)
    pump(until=lambda: flow.page is not None and flow.page.report is not None, timeout_ms=15_000)
    health = flow.page
    pump(until=lambda: health.board is None or health.board.board is not None, timeout_ms=5000)
    keys = Keys(window)
    keys.scan(pick_cards_from(backup.newest_good_backup([data_dir / "backups"]).path)["normal"])
    health.name.setText(ADMIN)
    health.password.setText(ADMIN_PASSWORD)
    shoot(window, folder, "24-damaged-read-only")
    health.restore_button.click()
    pump(until=lambda: window.page is not None, timeout_ms=30_000)
    pump(until=lambda: window.page.board.board is not None)
    pump(300)
    shoot(window, folder, "25-restored")
    finish(app, window, flow, capture, translators)


def run_office(lang: str, data_dir: Path, out: Path, size: tuple[int, int], app: QApplication,
               start: datetime) -> None:
    """The office (ui/office): the manager's residents page, a household, a filter, passes,
settings, the roster import wizard (the sheet as read, the preview), the records and database
check pages, the verify page, the disinfection ledger (an under-dosed and a late round recorded,
the plan, the catalogue), the logs page and the statistics; the admin's users page; returnees,
door rounds and the survey."""
    folder = out / lang
    folder.mkdir(parents=True, exist_ok=True)
    translators = i18n.install(app, lang)
    logs = print_logs_to_verify(data_dir, start)
    window, flow, capture = start_window(app, data_dir, Clock(start), size)
    pump(until=lambda: window.page is not None and window.page.board.board is not None)
    page = window.page
    manager, _role, secret = demo.DEMO_ADMIN
    page.sign_on_panel.name.setEditText(manager)
    page.sign_on_panel.pin.setText(secret)
    page.sign_on_panel.submit.click()
    pump(until=lambda: window.office is not None)
    residents = window.office.pages["residents"]
    pump(until=lambda: residents.model.rowCount() > 0, timeout_ms=15_000)
    shoot(window, folder, "30-office-residents")
    residents.search.setText("3-2")
    residents.table.selectRow(0)
    pump(until=lambda: residents.household_id is not None)
    residents.open_form("correct")                   # a correction, with its reason
    form = residents.form
    form.fields["phone"].setText("13900001111")
    form.reason.setText("住户换了手机号，电话告知物业" if lang == "zh_CN" else "New phone number, told by phone")
    pump(100)
    shoot_with(window, form, folder, "36-office-correct")
    form.ok_button.click()
    pump(until=lambda: not form.isVisible(), timeout_ms=15_000)
    pump(until=lambda: residents.history.text() != "", timeout_ms=15_000)
    pump(200)
    shoot(window, folder, "31-office-household")
    residents.search.setText("3-")                    # several households of building 3, at once
    pump(100)
    residents.table.selectRow(0)
    for row in (3, 6):
        residents.table.selectionModel().select(
            residents.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select
            | QItemSelectionModel.SelectionFlag.Rows)
    residents.status.setCurrentIndex(residents.status.findData("quarantine"))
    pump(200)
    shoot(window, folder, "37-office-several-households")
    residents.search.clear()
    residents.filter_boxes["quarantine"].click()
    residents.filter_boxes["observation"].click()
    pump(100)
    shoot(window, folder, "32-office-filters")
    cards = window.office.open("passes")
    pump(until=lambda: cards.households.rowCount() > 0, timeout_ms=15_000)
    cards.select_households(["1-1-101", "1-1-102"])
    cards.reissue_box.setChecked(True)
    cards.issue_selected_button.click()
    pump(until=lambda: cards.sheet is not None, timeout_ms=60_000)
    pump(500)
    shoot(window, folder, "34-office-passes")
    settings = window.office.open("settings")
    pump(until=lambda: settings.values, timeout_ms=15_000)
    settings.editors["fever_threshold"].widget.setValue(37.5)
    settings.save_button.click()                     # a change, for the list of recent changes
    pump(until=lambda: settings.changes.rowCount() > 0, timeout_ms=15_000)
    pump(100)
    shoot(window, folder, "35-office-settings")
    records = window.office.open("records")
    records.jump_to_end()
    pump(until=lambda: records.model.rows and not records.model.fetching, timeout_ms=15_000)
    pump(200)
    shoot(window, folder, "50-office-records")
    records.outcome.setCurrentIndex(records.outcome.findData("denied"))
    records.search.click()
    pump(until=lambda: not records.model.fetching, timeout_ms=15_000)
    pump(200)
    shoot(window, folder, "51-office-records-refused")
    check = window.office.open("check")
    check.start_button.click()
    pump(until=lambda: check.job is None, timeout_ms=60_000)
    pump(300)
    shoot(window, folder, "52-office-check")
    wizard = window.office.open("import")
    wizard.open_file(office_workbook(data_dir / "阳光花园花名册.xlsx"))
    pump(until=lambda: wizard.preview is not None, timeout_ms=30_000)
    wizard.tabs.setCurrentIndex(0)
    pump(100)
    shoot(window, folder, "40-office-import")
    wizard.tabs.setCurrentIndex(1)
    pump(100)
    shoot(window, folder, "41-office-import-preview")
    home_quarantine_shots(window, folder)
    verify = window.office.open("verify")
    verify.verify([logs])
    pump(until=lambda: verify.result is not None, timeout_ms=120_000)
    pump(200)
    shoot(window, folder, "53-office-verify")
    ledger = window.office.open("ledger")
    pump(until=lambda: ledger.areas, timeout_ms=15_000)
    for conc, done_at in (("100", ""), ("500", f"{start - timedelta(minutes=40):%H:%M}")):  # under-dosed; late
        ledger.area.setCurrentIndex(0)
        ledger.agent.setCurrentIndex(0)
        ledger.concentration.setText(conc)
        ledger.operator.setText("赵保洁")
        ledger.checker.setText("孙主管")
        ledger.done_at.setText(done_at)
        before = len(ledger.rounds)
        ledger.record_button.click()
        pump(until=lambda: len(ledger.rounds) > before, timeout_ms=15_000)
    pump(100)
    shoot(window, folder, "42-office-ledger")
    ledger.tabs.setCurrentIndex(1)
    pump(100)
    shoot(window, folder, "43-office-ledger-plan")
    ledger.tabs.setCurrentIndex(2)
    pump(100)
    shoot(window, folder, "44-office-ledger-agents")
    logs = window.office.open("logs")
    made: list = []
    logs.generated.connect(made.append)
    logs.generate_button.click()                     # yesterday's logs are there already (the upkeep): made again
    pump(until=lambda: made, timeout_ms=180_000)
    pump(1500)
    shoot(window, folder, "45-office-logs")
    logs.tabs.setCurrentIndex(1)
    logs.start.setDate(logs.end.date().addDays(-1))
    logs.end.setDate(logs.end.date().addDays(1))
    logs.count_button.click()
    pump(until=lambda: logs.stats is not None, timeout_ms=15_000)
    pump(300)
    shoot(window, folder, "46-office-stats")
    window.office.sign_off_button.click()
    pump(until=lambda: window.office is None)
    page.sign_on_panel.name.setEditText(ADMIN)
    page.sign_on_panel.pin.setText(ADMIN_PASSWORD)
    page.sign_on_panel.submit.click()
    pump(until=lambda: window.office is not None)
    users_page = window.office.open("users")
    pump(until=lambda: users_page.states, timeout_ms=15_000)
    users_page.select(GUARD)
    pump(100)
    shoot(window, folder, "33-office-admin")
    window.office.sign_off_button.click()
    finish(app, window, flow, capture, translators)


def exchange_files(data_dir: Path, start: datetime) -> list[Path]:
    """Two USB files of a gate 北门 joined from this PC: its own (it took this PC's records by a
    file first) and a clone's, whose last record has north's number with other contents (a forked
    gate: one record refused)."""
    import sqlite3

    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.services import exchange_file
    from checkpoint_app.services.gate import record_passage

    office = open_gate(data_dir, clock=lambda: start).acting_as(None, OPERATOR)
    root = data_dir.parent / f"{data_dir.name}-usb"
    root.mkdir()
    try:
        join, code = export_join(office, "北门", root / "north.ckp")
        first = exchange_file.export_new(office, root / "office.ckx", since_last=False).path
    finally:
        office.close()
    clock = Clock(start - timedelta(minutes=50))
    north = init_join(root / "north", join, code, clock=clock).acting_as("张师傅", OPERATOR)
    exchange_file.import_one(north, first)
    payloads = [p for (p,) in north.db.conn.execute(
        "SELECT p.payload FROM passes p JOIN residents r ON r.id = p.resident_id "
        "WHERE p.status = 'active' AND r.status = 'normal' ORDER BY p.number LIMIT 6")]

    def passage(ctx, i: int) -> None:
        clock.now += timedelta(minutes=4)
        record_passage(ctx, payloads[i], temperature="365", direction="out")

    try:
        passage(north, 0)
        passage(north, 1)
        (root / "clone").mkdir()
        copy = sqlite3.connect(paths.db_path(root / "clone"))
        north.db.conn.backup(copy)
        copy.close()
        clone = open_gate(root / "clone", clock=clock).acting_as("张师傅", OPERATOR)
        try:
            passage(north, 2)
            passage(north, 3)
            passage(clone, 4)
            forked = exchange_file.export_new(clone, root / "北门-旧电脑.ckx", since_last=False).path
        finally:
            clone.close()
        own = exchange_file.export_new(north, root / exchange_file.default_name(north), since_last=False).path
    finally:
        north.close()
    return [own, forked]


def run_exchange(lang: str, data_dir: Path, out: Path, size: tuple[int, int], app: QApplication,
                 start: datetime) -> None:
    """同步 / 交换 (ui/office/exchange_page.py): two files of the gate 北门 imported, one of them
    from a forked PC: one record refused, said on the page and in the status bar (amber) until the
    database check page lists it; then what is new since the last export written to a USB file."""
    from checkpoint_app.services import exchange_file

    folder = out / lang
    folder.mkdir(parents=True, exist_ok=True)
    translators = i18n.install(app, lang)
    files = exchange_files(data_dir, start)
    window, flow, capture = start_window(app, data_dir, Clock(start), size)
    pump(until=lambda: window.page is not None and window.page.board.board is not None)
    manager, _role, secret = demo.DEMO_ADMIN
    panel = window.page.sign_on_panel
    panel.name.setEditText(manager)
    panel.pin.setText(secret)
    panel.submit.click()
    pump(until=lambda: window.office is not None)
    page = window.office.open("exchange")
    pump(until=lambda: page.ages.text() != "", timeout_ms=15_000)
    page.import_files([str(f) for f in files])
    pump(until=lambda: page.import_button.isEnabled(), timeout_ms=60_000)
    pump(until=lambda: window.hub_label.isVisible(), timeout_ms=15_000)
    pump(300)
    shoot(window, folder, "54-office-exchange-import")
    out_file = files[0].parent / exchange_file.default_name(window.office.ctx)
    page.export(str(out_file))         # what is new since the last export: what 北门 brought, relayed
    pump(until=lambda: page.export_button.isEnabled(), timeout_ms=60_000)
    shoot(window, folder, "55-office-exchange-export")
    finish(app, window, flow, capture, translators)


def office_workbook(path: Path) -> Path:
    """A roster as a property office keeps it: title rows (one merged), a serial number column,
    a building written once for a block of rows, a blank row, full-width digits, phones as numbers,
    an ID number Excel turned into a float, a bad phone."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["阳光花园小区住户花名册（二期）"])
    sheet.merge_cells("A1:I1")
    sheet.append(["制表：物业办公室", None, None, None, "2026年12月"])
    sheet.append(["序号", "楼栋", "单元", "房号", "姓名", "联系电话", "身份证号", "类型", "备注"])
    people = [("２０栋", "１单元", "１０１室", "韩梅梅", 13812340001.0, "户主"), (None, None, "102", "李雷", "１３８１２３４０００２", "户主"),
              (None, None, "102", "李小雷", None, "家属"), (None, None, "201", "王芳", 13812340004, "租户")]
    for i, (b, u, r, name, phone, kind) in enumerate(people, start=1):
        sheet.append([i, b, u, r, name, phone, None, kind, None])
    sheet.merge_cells("B4:B7")
    sheet.merge_cells("C4:C7")
    sheet.append([])
    sheet.append([5, 21, 1, 101, "赵强", "13812340005", 4.21202e17, "户主", "身份证号成了数字"])
    sheet.append([6, 21, 1, 102, "钱多多", "1381234", None, "户主", "手机少了几位"])
    sheet.append([7, 21, 2, 301, "孙丽", "13812340007", None, "户主", None])
    book.create_sheet("填写说明").append(["类型填户主、家属或租户"])
    book.save(path)
    return path


def print_logs_to_verify(data_dir: Path, start: datetime) -> Path:
    """For the verify page: yesterday's and today's summary and passages logs, the site's
    certificate registered, then yesterday's passages log taken away and one byte of today's
    summary changed, so that the table shows a failure and the gaps list a missing log."""
    from checkpoint_app.services import trust
    from checkpoint_app.services.daily_logs import daily_report

    os.environ["CHECKPOINT_TRUST_DIR"] = str(data_dir / "trusted")
    ctx = open_gate(data_dir, clock=lambda: start).acting_as(None, OPERATOR)
    try:
        logs = data_dir / "logs-to-verify"
        files = [f for day in (start.date() - timedelta(days=1), start.date())
                 for f in daily_report(ctx, day, logs, kinds=("summary", "passages"))]
        trust.register(trust.of_site(ctx))
    finally:
        ctx.close()
    files[1].unlink()
    raw = bytearray(files[2].read_bytes())
    at = raw.index(b"stream", raw.index(b"/Filter")) + 60
    raw[at] ^= 0x01
    files[2].write_bytes(bytes(raw))
    return logs


def home_quarantine_shots(window, folder: Path) -> None:
    """Issue 16: a risk area and a returnee registered on the returnees page; the door rounds
    page with a household's row opened from its round-sheet code, readings typed."""
    from checkpoint_app.services import door_rounds

    page = window.office.open("returnees")
    pump(until=lambda: page.areas_text.text(), timeout_ms=15_000)
    commit(page.area, "武汉")
    page.area_button.click()
    pump(until=lambda: page.from_area.count() > 0, timeout_ms=15_000)
    page.household.setText("2-1-301")
    commit(page.name, "陈晓东")
    page.phone.setText("13812340000")
    page.from_area.setCurrentText("武汉")
    page.travel.setText("G1722")
    page.whole.setChecked(True)
    page.register_button.click()
    pump(until=lambda: page.table.rowCount() > 0, timeout_ms=15_000)
    pump(200)
    shoot(window, folder, "47-office-returnees")
    rounds = window.office.open("rounds")
    pump(until=lambda: rounds.round is not None, timeout_ms=15_000)
    target = next(h for h in rounds.round.households if h.household == "2-1-301")
    rounds.scan.setText(door_rounds.qr_payload(window.office.ctx.site.code, target.household_id))
    rounds.open_scanned()
    rounds.rows[0].temperature.setText("36.6")
    rounds.rows[-1].temperature.setText("37.9")
    rounds.rows[-1].symptoms["cough"].setChecked(True)
    rounds.checker.setText("刘志愿")
    pump(200)
    shoot(window, folder, "48-office-rounds")
    visits = window.office.open("survey")
    commit(visits.campaign.lineEdit(), "第一轮入户排查")
    for household, contact, need in (("1-1-101", "visited", None), ("1-1-102", "phoned", "elderly_alone"),
                                     ("2-1-101", "not_reached", None), ("3-1-101", "visited", "no_shopper")):
        visits.household.setText(household)
        visits.contact.setCurrentIndex(visits.contact.findData(contact))
        if need:
            visits.needs[need].setChecked(True)
        visits.save_button.click()
        pump(until=lambda: visits.save_button.isEnabled(), timeout_ms=15_000)
    pump(until=lambda: visits.progress is not None and visits.progress.estate.reached >= 3, timeout_ms=15_000)
    visits.household.setText("3-1-102")
    commit(visits.present, "王大爷")
    visits.needs["medicine"].setChecked(True)
    pump(200)
    shoot(window, folder, "49-office-survey")


def pick_cards_from(path: Path) -> dict[str, str]:
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT payload FROM passes WHERE status = 'active' LIMIT 1").fetchone()
    finally:
        conn.close()
    return {"normal": row[0]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, default=None,
                   help="default docs/screenshots, and docs/screenshots/WxH for another size than 1366x768")
    p.add_argument("--size", default="1366x768")
    p.add_argument("--lang", action="append", choices=("zh_CN", "en"))
    p.add_argument("--scenario", action="append", choices=("gate", "first", "damaged", "office", "exchange"))
    args = p.parse_args(argv)
    size = tuple(int(x) for x in args.size.split("x"))
    if args.out is None:
        args.out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
        if size != (1366, 768):
            args.out /= f"{size[0]}x{size[1]}"
    app = QApplication.instance() or QApplication([])
    style.apply(app)
    # The demo runs up to "now"; make "now" yesterday at 21:30 so that the board shows a busy day
    # and nothing after the clock on screen.
    start = datetime.combine(date.today() - timedelta(days=1), datetime.min.time()).replace(
        hour=21, minute=30).astimezone()
    demo.system_clock = lambda: start
    with tempfile.TemporaryDirectory(prefix="checkpoint-shots-") as tmp:
        template = Path(tmp) / "template"
        print("making the demo compound…", flush=True)
        make_demo(template, households=96, days=2, today=start.date())
        ctx = open_gate(template, clock=lambda: start)
        # As the command line on this PC does it (a context acting for nobody may not add users).
        users.add_user(ctx.acting_as(None, OPERATOR), ADMIN, "admin", ADMIN_PASSWORD)
        ctx.close()
        for lang in args.lang or ["zh_CN", "en"]:
            print(lang)
            for name, scenario, copy in (("gate", run, True), ("first", run_first_start, False),
                                         ("damaged", run_damaged, True), ("office", run_office, True),
                                         ("exchange", run_exchange, True)):
                if args.scenario and name not in args.scenario:
                    continue
                data = Path(tmp) / f"{lang}-{name}"
                data.mkdir()
                if copy:
                    shutil.copy(paths.db_path(template), paths.db_path(data))
                scenario(lang, data, args.out, size, app, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
