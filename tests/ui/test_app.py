"""Starting the app: the self-test, one app per data folder, scans during start-up, languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from checkpoint_app import i18n as service_i18n
from checkpoint_app.paths import asset
from checkpoint_app.ui import i18n
from checkpoint_app.ui.shared.single_instance import SingleInstance
from checkpoint_app.ui.gate.sound import SoundPlayer
from tests.conftest import GUARD, GUARD_PIN
from tests.ui.conftest import sign_on_as

ROOT = Path(__file__).resolve().parents[2]


def _app(*args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "checkpoint_app", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_self_test_on_a_gate(gate_ctx):
    result = _app("--self-test", "--data-dir", str(gate_ctx.data_dir))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] and report["site"] == "HXY01" and report["health"] == "ok"
    assert "WenQuanYi Micro Hei" in report["fonts"]
    assert report["scan_capture"] and report["board_loaded"] and report["scan_before_paint"]
    assert report["office_pages"] == "ok"


def test_self_test_without_a_site_uses_a_scratch_one(tmp_path):
    result = _app("--self-test", "--data-dir", str(tmp_path / "nothing-here"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["site"] == "SELFTEST"


def test_one_app_per_data_folder(qtbot, tmp_path):
    first, second = SingleInstance(tmp_path), SingleInstance(tmp_path)
    assert first.acquire()
    first.listen()
    try:
        assert not second.acquire()
        with qtbot.waitSignal(first.activated, timeout=3000):
            assert second.ask_first_to_show()
        other = SingleInstance(tmp_path / "elsewhere")
        assert other.acquire()
        other.release()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def _starting_window(qtbot, capture):
    """The main window as app.py shows it before the database is open: up, active, no gate yet."""
    from checkpoint_app.ui.main_window import MainWindow

    window = MainWindow(None, capture, sound=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def test_a_scan_typed_while_the_window_appears_is_not_lost(qtbot, styled, capture, keyboard, gate_ctx):
    """As app.py does it: the window is up (catching scans) before the database is open."""
    early: list[str] = []
    capture.scanned.connect(early.append)
    window = _starting_window(qtbot, capture)
    keyboard.scan(gate_ctx.cards["张三"], target=window.windowHandle())
    keyboard.scan(gate_ctx.cards["李四"], target=window.windowHandle())
    assert len(early) == 2
    capture.scanned.disconnect(early.append)
    window.attach(gate_ctx.ctx, early_scans=early)
    page = window.page
    qtbot.waitUntil(lambda: page.board.board is not None)
    sign_on_as(qtbot, window, GUARD, GUARD_PIN)
    assert page.current.holder.name == "张三" and list(page.queue) == [gate_ctx.cards["李四"]]
    window.confirmed_close()


def test_the_gate_page_opened_behind_the_window_has_the_keyboard_on_the_name(qtbot, styled, capture, keyboard, gate_ctx):
    """As app.py starts: the window is up and active, then the gate page is attached. The guard's
    first keys must land in the sign-on name field (a focus given while the page was not yet in
    the window was lost: on a real screen the PIN went nowhere)."""
    from PySide6.QtWidgets import QApplication

    window = _starting_window(qtbot, capture)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.attach(gate_ctx.ctx)
    panel = window.page.sign_on_panel
    qtbot.waitUntil(lambda: panel.name.hasFocus())
    keyboard.type("2580")                  # typed slowly: a person, into the focused field
    keyboard.key(Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: panel.name.currentText() == "2580")
    window.confirmed_close()


def test_before_the_first_paint_the_main_window_hands_its_keys_to_the_capture(qtbot, qapp, styled, keyboard, gate_ctx):
    """app.py installs the application-wide filter only after the window's first paint (a Python
    filter then costs ~30 ms); until then the keys reach the main window, which passes them on."""
    from checkpoint_app.ui.gate.scan_capture import ScanCapture

    capture = ScanCapture(qapp)            # not installed yet, as at start-up
    early: list[str] = []
    capture.scanned.connect(early.append)
    window = _starting_window(qtbot, capture)
    keyboard.scan(gate_ctx.cards["张三"], target=window.windowHandle())
    assert early == [gate_ctx.cards["张三"]] and not capture.installed
    keyboard.type("12", target=window.windowHandle())   # typing: held, then given back (to nothing)
    qtbot.waitUntil(lambda: capture.pending() == "")
    capture.install(qapp)                   # the first paint: the filter takes over
    try:
        keyboard.scan(gate_ctx.cards["李四"], target=window.windowHandle())
        assert early == [gate_ctx.cards["张三"], gate_ctx.cards["李四"]]
        assert capture.scans_seen == 2      # caught once, not by both paths
    finally:
        capture.uninstall(qapp)
        capture.deleteLater()
    window.confirmed_close()


@pytest.mark.parametrize("early", [1, 2, 3, 5])
def test_a_scan_that_straddles_the_filter_install_is_one_scan(qtbot, qapp, styled, keyboard, gate_ctx, early):
    """The first keys of a scan reach the main window (before the first paint), the rest the
    application filter: the burst must not split where the receiver changed."""
    from checkpoint_app.ui.gate.scan_capture import ScanCapture

    capture = ScanCapture(qapp)
    scans: list[str] = []
    capture.scanned.connect(scans.append)
    window = _starting_window(qtbot, capture)
    payload = gate_ctx.cards["张三"]
    target = window.windowHandle()
    try:
        for i, ch in enumerate(payload):
            if i == early:
                capture.install(qapp)           # the first paint, in the middle of the burst
            keyboard.press(ord(ch.upper()) if ch.isalnum() else 0, ch, gap=400 if i == 0 else 6, target=target)
        keyboard.press(Qt.Key.Key_Return, "\r", gap=6, target=target)
        assert scans == [payload]
    finally:
        capture.uninstall(qapp)
        capture.deleteLater()
    window.confirmed_close()


def test_the_screen_in_english(qapp, make_window, gate_ctx, keyboard, qtbot):
    i18n.build()
    translators = i18n.install(qapp, "en")
    try:
        window = make_window(sign_on=False)
        page = window.page
        assert page.banner.title == "Guard, please sign on"
        assert page.sign_on_panel.submit.text() == "Sign on (Enter)"
        assert page.key_buttons["F2"].text() == "F2 Visitor in"
        sign_on_as(qtbot, window, GUARD, GUARD_PIN)
        assert page.banner.title == "SCAN A PASS"
        with qtbot.waitSignal(page.passageRecorded, timeout=3000):
            keyboard.scan(gate_ctx.cards["王五"])
            keyboard.type("365")
            keyboard.enter()
        assert page.banner.title == "DENIED"
        assert "quarantine" in page.banner.detail       # the service's sentence, in English too
        assert "On duty" in window.guard_label.text()
        page.set_open_incidents(3)          # a string of the panels' side of the page (gate_panels.py)
        assert page.key_buttons["F6"].text() == "F6 Incidents 3"
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_every_screen_string_has_an_english_translation(tmp_path):
    """lupdate over the sources finds nothing that the committed .ts lacks or leaves unfinished."""
    committed = asset("i18n", "checkpoint_en.ts")
    fresh = tmp_path / "fresh.ts"
    fresh.write_bytes(committed.read_bytes())
    subprocess.run(i18n._tool("lupdate") + ["-silent", "-locations", "none", *i18n.sources(), "-ts", str(fresh)],
                   check=True, capture_output=True)
    unfinished = [m.findtext("source") for m in ET.parse(fresh).iter("message")
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                  or not (m.findtext("translation") or "").strip()]
    assert unfinished == []


@pytest.mark.parametrize("name", ["allowed", "flagged", "denied", "fever", "scan_again"])
def test_sounds_are_bundled(name):
    import wave

    with wave.open(str(asset("sounds", f"{name}.wav"))) as w:
        assert w.getnframes() > 0 and w.getframerate() == 22050


_AUDIT_DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from checkpoint_app import app as appmod
from checkpoint_app.ui.office.audit_desk import AuditDesk

qapp = QApplication([sys.argv[0]])
def desk():
    return next(w for w in qapp.topLevelWidgets() if isinstance(w, AuditDesk))
def done(result):
    print("ROWS", len(result.files), flush=True)
    qapp.quit()
def go():
    desk().page.verified.connect(done)
    desk().page.verify([Path(sys.argv[1])])
QTimer.singleShot(300, go)
QTimer.singleShot(60_000, qapp.quit)
sys.exit(appmod.main(["--audit"]))
"""


def test_the_audit_desk_keeps_its_log_in_a_file_not_on_the_terminal(tmp_path):
    """``checkpoint-app --audit``: what goes wrong while verifying (a log cut short) is written to
    the log file, as the gate app does, not poured onto the terminal that started it."""
    from reportlab.pdfgen import canvas

    whole = tmp_path / "whole.pdf"

    pdf = canvas.Canvas(str(whole))
    pdf.drawString(100, 700, "x")
    pdf.save()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:200])
    logs = tmp_path / "logs"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CHECKPOINT_LOG_DIR=str(logs), HOME=str(tmp_path / "home"),
               CHECKPOINT_TRUST_DIR=str(tmp_path / "trusted"), CHECKPOINT_DATA_DIR=str(tmp_path / "never"),
               PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", _AUDIT_DRIVER, str(cut)], capture_output=True, text=True,
                         timeout=120, env=env, cwd=ROOT)
    assert "ROWS 1" in run.stdout, run.stdout + run.stderr
    assert "cannot" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    written = "".join(f.read_text(encoding="utf-8") for f in logs.glob("*.log"))
    assert "cut.pdf" in written, list(logs.glob("*"))
    assert not (tmp_path / "never").exists()
