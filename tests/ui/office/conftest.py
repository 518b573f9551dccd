"""The office on a test gate, and a watchdog that fails a test whose event handlers block.

The watchdog is a 10 ms heartbeat on the GUI thread. Between two beats it measures the GUI
thread's CPU time and the wall time: more than 100 ms of CPU is an event handler, a slot or a
click's work that computed that long; more than ``WALL_LIMIT_S`` of wall time is the thread kept
from running at all — waiting on a lock, on I/O, or on a worker that holds the GIL inside a C call.
(The wall limit is wider because on the shared 2-core test machine the scheduler alone can hold
a thread for 100 ms.) What the
test itself does between waits counts too, so the few test-side steps that are slow on purpose
(building a big roster, reading the database back) run inside ``watchdog.paused()``. Tests
start it once the gate window is up and signed on: building the gate page and checking a PIN
(argon2, ~0.3 s) on the GUI thread are the gate's, not the office's (see the issue 13 notes).
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt, QTimer

from checkpoint_app.services import users
from tests.ui.conftest import sign_on_as

MANAGER, MANAGER_PW = "物业刘", "manager-pass-1"
ADMIN, ADMIN_PW = "管理员周", "admin-pass-1"
AUDITOR, AUDITOR_PW = "审计吴", "auditor-pass-1"
BLOCK_LIMIT_S = 0.100
WALL_LIMIT_S = 0.250


class Watchdog:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last: float | None = None
        self._last_cpu = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        # What the test session piled up (thousands of tests' objects) is set aside from the
        # cyclic collector, so a collection in a watched moment scans the app's objects, not
        # the session's: a full collection of that heap alone took ~200 ms late in a CI run.
        gc.collect()
        gc.freeze()
        self._mark()
        self._timer.start(10)

    def _mark(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self._last is not None and (cpu - self._last_cpu > BLOCK_LIMIT_S or now - self._last > WALL_LIMIT_S):
            self.gaps.append(now - self._last)
        self._last, self._last_cpu = now, cpu

    @contextmanager
    def paused(self):
        self._last = None
        try:
            yield
        finally:
            self._mark()

    def stop(self) -> list[float]:
        self._timer.stop()
        gc.unfreeze()
        return self.gaps


@pytest.fixture
def watchdog(qapp):
    dog = Watchdog()
    yield dog
    gaps = dog.stop()
    assert not gaps, f"the GUI thread was blocked for {', '.join(f'{g * 1000:.0f} ms' for g in gaps)}"


@pytest.fixture
def office_users(gate_ctx):
    ctx = gate_ctx.operator
    users.add_user(ctx, MANAGER, "manager", MANAGER_PW)
    users.add_user(ctx, ADMIN, "admin", ADMIN_PW)
    users.add_user(ctx, AUDITOR, "auditor", AUDITOR_PW)
    return gate_ctx


@pytest.fixture
def office(make_window, office_users, qtbot):
    """The gate window with the manager signed on to the office."""
    def open_as(name: str = MANAGER, secret: str = MANAGER_PW):
        window = make_window(sign_on=False)
        # The gate page warms up in idle time after its first paint (panels, services, the camera
        # check: some steps take longer than 100 ms); the office is watched once that is over.
        qtbot.waitUntil(lambda: window.page.camera_watch is not None, timeout=10_000)
        sign_on_as(qtbot, window, name, secret)
        assert window.office is not None
        # and so does the office once it is on screen (ui/office/shell.py: what the first roster
        # preview would load); a fresh process's first preview is watched in test_import_page.py
        qtbot.waitUntil(lambda: not window.office.warming_up(), timeout=10_000)
        return window
    return open_as


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """The watchdog watches the test's own steps, not the closing of its windows afterwards."""
    yield
    dog = item.funcargs.get("watchdog") if hasattr(item, "funcargs") else None
    if dog is not None:
        dog.stop()
