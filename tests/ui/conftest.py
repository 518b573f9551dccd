"""The gate window on a test gate, and a keyboard that types like a scanner or like a guard.

Key events go to the window's ``QWindow`` first, as the platform delivers them, and carry
timestamps the test controls: the scan detector judges gaps by those, so the tests are
deterministic (no sleeping, no racing the clock).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from checkpoint_app.ui.shared import errors as ui_errors
from checkpoint_app.ui.shared import style
from checkpoint_app.ui.gate.scan_capture import ScanCapture
from checkpoint_app.ui.gate.sound import SoundPlayer
from tests.conftest import GUARD, GUARD_PIN


@pytest.fixture(autouse=True)
def _bugs_fail_tests():
    ui_errors.reraise_bugs = True
    yield
    ui_errors.reraise_bugs = False


def _key_for(ch: str) -> int:
    if ch.isascii() and ch.isalnum():
        return ord(ch.upper())
    return {"-": Qt.Key.Key_Minus, "+": Qt.Key.Key_Plus, ".": Qt.Key.Key_Period, " ": Qt.Key.Key_Space,
            ",": Qt.Key.Key_Comma}.get(ch, Qt.Key.Key_unknown)


class Keyboard:
    """Types into the focused window with controlled timestamps (milliseconds)."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.t = 100_000

    def target(self):
        """Where the platform would deliver a key: the focused window (its QWindow)."""
        window = QGuiApplication.focusWindow()
        if window is not None:
            return window
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has focus"
        return widget

    def press(self, key: int, text: str = "", *, gap: int = 150, modifiers=Qt.KeyboardModifier.NoModifier,
              target=None) -> None:
        self.t += gap
        # As the platform does before every key press: ShortcutOverride to the focused object
        # (the shortcut map asks it whether it wants the key), then the key to the window.
        override = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers, text)
        override.setTimestamp(self.t)
        QCoreApplication.sendEvent(QGuiApplication.focusObject() or target or self.target(), override)
        ev = QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text)
        ev.setTimestamp(self.t)
        QCoreApplication.sendEvent(target or self.target(), ev)
        release = QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text)
        release.setTimestamp(self.t + 2)
        QCoreApplication.sendEvent(target or self.target(), release)

    def scan(self, payload: str, *, gap: int = 6, suffix: str = "\r", target=None, shift: bool = False,
             late: int = 0) -> None:
        """A keyboard-wedge scanner: every character ``gap`` ms apart, then Enter (``late`` ms
        more after the last character). ``shift``: as a USB scanner types a capital letter, Shift
        pressed first (a key event of its own, no text)."""
        first = True
        for ch in payload:
            if shift and ch.isupper():
                self.press(Qt.Key.Key_Shift, "", gap=400 if first else 1, target=target,
                           modifiers=Qt.KeyboardModifier.ShiftModifier)
                first = False
            self.press(_key_for(ch), ch, gap=400 if first else gap, target=target,
                       modifiers=Qt.KeyboardModifier.ShiftModifier if shift and ch.isupper()
                       else Qt.KeyboardModifier.NoModifier)
            first = False
        if suffix == "\r":
            self.press(Qt.Key.Key_Return, "\r", gap=gap + late, target=target)
        elif suffix == "\t":
            self.press(Qt.Key.Key_Tab, "\t", gap=gap + late, target=target)
        elif suffix == "\n":   # a line feed: X gives it no Enter key code, only the text
            self.press(Qt.Key.Key_unknown, "\n", gap=gap + late, target=target)

    def type(self, text: str, *, gap: int = 160, target=None) -> None:
        """A person typing: slow keys (their echo reaches the field at the next key or Enter)."""
        for ch in text:
            self.press(_key_for(ch), ch, gap=gap, target=target)

    def enter(self, *, gap: int = 160, target=None) -> None:
        self.press(Qt.Key.Key_Return, "\r", gap=gap, target=target)

    def key(self, key: int, *, gap: int = 160, target=None) -> None:
        self.press(key, "", gap=gap, target=target)

    def commit(self, text: str, widget=None) -> None:
        """Text committed by an input method (how Chinese arrives; QTest cannot type it)."""
        ev = QInputMethodEvent("", [])
        ev.setCommitString(text)
        QCoreApplication.sendEvent(widget or QApplication.focusWidget(), ev)


@pytest.fixture
def keyboard(qapp) -> Keyboard:
    return Keyboard(qapp)


@pytest.fixture
def capture(qapp):
    cap = ScanCapture(qapp)
    cap.install(qapp)
    yield cap
    cap.uninstall(qapp)
    cap.deleteLater()


@pytest.fixture
def styled(qapp):
    style.apply(qapp)
    return qapp


@pytest.fixture
def make_window(qtbot, styled, capture, gate_ctx):
    """Build the gate window (optionally with scans caught before it existed)."""
    from checkpoint_app.ui.main_window import MainWindow

    made = []

    def make(*, early_scans=None, sign_on: bool = True):
        window = MainWindow(gate_ctx.ctx, capture, sound=SoundPlayer(enabled=False), early_scans=early_scans)
        qtbot.addWidget(window)
        made.append(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.page.board.board is not None)
        if sign_on:
            sign_on_as(qtbot, window, GUARD, GUARD_PIN)
        return window

    yield make
    for window in made:
        window.confirmed_close()


def started_and_synced(make_flow, g, qtbot, *, timeout: int = 30_000):
    """The app as started on ``g``'s folder, the guard signed on, its first background sync over:
    (window, flow, the SyncResults so far — None for no hub)."""
    window, flow = make_flow(g.data_dir, g.clock)
    results = []
    flow.hub_sync.synced.connect(results.append)
    qtbot.waitUntil(lambda: window.page is not None, timeout=5000)
    sign_on_as(qtbot, window, GUARD, GUARD_PIN)
    qtbot.waitUntil(lambda: bool(results), timeout=timeout)
    return window, flow, results


def sign_on_as(qtbot, window, name: str, pin: str) -> None:
    panel = window.page.sign_on_panel
    panel.name.setEditText(name)
    panel.pin.setText(pin)
    with qtbot.waitSignal(panel.signedOn, timeout=5000):
        panel.submit.click()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def make_flow(qtbot, styled, capture):
    """The window as app.py starts it: the start flow opens the folder (set-up, check, upkeep)."""
    from checkpoint_app.ui.main_window import MainWindow
    from checkpoint_app.ui.start_flow import StartFlow

    made = []

    def make(data_dir, clock, *, idle_lock_ms=None, **kw):
        window = MainWindow(None, capture, sound=SoundPlayer(enabled=False), idle_lock_ms=idle_lock_ms)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        flow = StartFlow(window, data_dir, clock=clock, **kw)
        made.append((window, flow))
        flow.start()
        return window, flow

    yield make
    for window, flow in made:
        window.confirmed_close()
        flow.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """``item.rep_call``: fixtures see at teardown whether the test failed (test_real_screen.py
    attaches a screenshot then)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def window_with_idle_lock(qtbot, styled, capture, gate_ctx, ms: int):
    """The whole main window with an idle lock of ``ms``, shown, its board loaded."""
    from checkpoint_app.ui.main_window import MainWindow
    from checkpoint_app.ui.gate.sound import SoundPlayer

    window = MainWindow(gate_ctx.ctx, capture, sound=SoundPlayer(enabled=False), idle_lock_ms=ms)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.page.board.board is not None)
    return window
