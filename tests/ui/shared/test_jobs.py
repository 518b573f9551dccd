"""ui/jobs.py exercised directly (issue 12 item 6): progress reaches the widget, cancel stops a
long job cooperatively (also inside SQLite's quick_check), an error is one clear message, the
widget closing or going mid-job gets no callback, the user's lane runs beside the upkeep lane,
the same job is not started twice, the job acts for whoever asked; and all of it under load."""

from __future__ import annotations

import gc
import multiprocessing
import re
import threading
import time

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from checkpoint_app import paths
from checkpoint_app.errors import RuleRefusal
from checkpoint_app.services import health, users
from checkpoint_app.services.progress import Cancelled
from checkpoint_app.ui.shared.jobs import UPKEEP, USER, Jobs
from tests.conftest import GUARD, GUARD_PIN


@pytest.fixture
def jobs(qtbot):
    runner = Jobs("test-jobs")
    yield runner
    runner.shutdown(wait_s=5)
    runner.deleteLater()


@pytest.fixture
def widget(qtbot):
    w = QLabel()
    qtbot.addWidget(w)
    return w


def _ended(qtbot, jobs, job, timeout=10_000):
    if not job.finished:
        with qtbot.waitSignal(jobs.ended, timeout=timeout, check_params_cb=lambda j: j is job):
            pass
    return job


def _long(seconds: float, steps: int = 200):
    def work(progress):
        for i in range(steps):
            progress.step(i, steps, f"step {i}")
            time.sleep(seconds / steps)
        progress.step(steps, steps, "done")
        return "finished"
    return work


def test_progress_reaches_the_widget_and_the_result_comes_once(qtbot, jobs, widget):
    seen, results = [], []

    def on_progress(done, total, text):
        widget.setText(f"{done}/{total}")
        seen.append((done, total, text))

    job = jobs.start("report", _long(0.3, 30), owner=widget, on_progress=on_progress, on_done=results.append)
    _ended(qtbot, jobs, job)
    assert results == ["finished"] and job.state == "done" and job.result == "finished"
    assert seen and seen[-1] == (30, 30, "done") and widget.text() == "30/30"   # the last step always
    assert len(seen) <= 30                                                       # throttled, in order
    assert [d for d, _t, _x in seen] == sorted(d for d, _t, _x in seen)


def test_cancel_stops_a_long_job_at_its_next_step(qtbot, jobs, widget):
    got = {"done": [], "failed": [], "cancelled": 0}
    job = jobs.start("long", _long(30, 3000), owner=widget, on_done=got["done"].append,
                     on_failed=got["failed"].append, on_cancelled=lambda: got.__setitem__("cancelled", 1))
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    started = time.monotonic()
    job.cancel()
    _ended(qtbot, jobs, job)
    assert time.monotonic() - started < 3            # not the 30 s it would take
    assert job.state == "cancelled" and got == {"done": [], "failed": [], "cancelled": 1}


def test_cancel_interrupts_the_start_up_check_inside_quick_check(qtbot, jobs, widget, gate_ctx, monkeypatch):
    """The check's quick_check is one SQLite statement of minutes on a big file: a cancel (the
    app closing) interrupts it, and the result is 'cancelled', not a damaged file."""
    db = paths.db_path(gate_ctx.data_dir)
    real = health._connect_ro
    entered = threading.Event()

    def slow_connect(path):
        conn = real(path)
        conn.create_function("running", 0, lambda: entered.set() or 0)
        return _SlowConn(conn)
    monkeypatch.setattr(health, "_connect_ro", slow_connect)
    job = jobs.start("check", lambda p: health.check_database(db, progress=p), owner=widget, lane=UPKEEP)
    assert entered.wait(10)
    job.cancel()
    _ended(qtbot, jobs, job)
    assert job.state == "cancelled" and job.error is None


class _SlowConn:
    """A read-only connection whose ``PRAGMA quick_check`` is a statement that never ends by itself."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, *args):
        if sql == "PRAGMA quick_check":
            return self._conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                                      "SELECT 'ok' FROM n WHERE running() + i < 0")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_an_error_is_one_clear_message(qtbot, jobs, widget):
    failures = []

    def refuse(_progress):
        raise RuleRefusal("此人今日外出次数已满。", "quota")

    job = jobs.start("refused", refuse, owner=widget, on_failed=failures.append)
    _ended(qtbot, jobs, job)
    assert job.state == "failed" and len(failures) == 1 and isinstance(failures[0], RuleRefusal)
    assert job.message == "此人今日外出次数已满。"


def test_a_bug_in_a_job_is_logged_and_told_as_the_bug_sentence(qtbot, jobs, widget, caplog):
    failures = []
    job = jobs.start("bug", lambda _p: 1 / 0, owner=widget, on_failed=failures.append)
    _ended(qtbot, jobs, job)
    assert len(failures) == 1 and isinstance(failures[0], ZeroDivisionError)
    assert re.search(r"checkpoint[-\w]*\.log", job.message)     # where the details are (issue 11: a file per data folder)
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)


@pytest.mark.parametrize("how", ["close", "delete"])
def test_the_widget_going_mid_job_gets_no_callback_and_the_job_stops(qtbot, jobs, how):
    owner = QWidget()
    owner.show()
    calls = []
    job = jobs.start("panel", _long(30, 3000), owner=owner, on_done=calls.append, on_failed=calls.append,
                     on_cancelled=lambda: calls.append("cancelled"), on_progress=lambda *a: calls.append(a))
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)             # progress came while it was there
    calls.clear()
    if how == "close":
        owner.close()
    else:
        owner.deleteLater()
        del owner
        gc.collect()
    with qtbot.waitSignal(jobs.ended, timeout=5000):
        pass
    qtbot.wait(100)
    assert job.state == "cancelled" and calls == []
    assert jobs.pending == 0


def test_a_job_finishing_after_its_widget_went_calls_nothing(qtbot, jobs):
    """A job that cannot be stopped (a C call) ends later: its result goes nowhere."""
    release = threading.Event()
    owner = QLabel()
    calls = []
    job = jobs.start("uninterruptible", lambda _p: release.wait(10) and "done", owner=owner,
                     on_done=calls.append, on_cancelled=lambda: calls.append("cancelled"))
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    owner.deleteLater()
    qtbot.wait(50)
    release.set()
    _ended(qtbot, jobs, job)
    assert calls == [] and job.state == "done"          # it did finish; nobody is told


def test_the_users_lane_does_not_wait_behind_upkeep(qtbot, jobs, widget):
    backup_going = threading.Event()
    finish_backup = threading.Event()

    def backup(_p):
        backup_going.set()
        assert finish_backup.wait(20)
        return "backup"

    upkeep = jobs.start("backup", backup, owner=widget, lane=UPKEEP)
    assert backup_going.wait(5)
    report = jobs.start("report", lambda _p: "report", owner=widget, lane=USER)
    _ended(qtbot, jobs, report)
    assert report.result == "report" and upkeep.state == "running"    # done while the backup runs
    finish_backup.set()
    _ended(qtbot, jobs, upkeep)
    assert upkeep.result == "backup"


def test_the_same_job_is_not_started_twice(qtbot, jobs, widget):
    runs = []
    go = threading.Event()

    def work(_p):
        runs.append(1)
        go.wait(10)
        return len(runs)

    first = jobs.start("daily log 2026-11-21", work, owner=widget)
    again = jobs.start("daily log 2026-11-21", work, owner=widget)
    assert again is first and jobs.pending == 1 and jobs.running("daily log 2026-11-21") is first
    go.set()
    _ended(qtbot, jobs, first)
    assert runs == [1]
    later = jobs.start("daily log 2026-11-21", work, owner=widget)   # once it ended: a new one
    _ended(qtbot, jobs, later)
    assert later is not first and runs == [1, 1]


def test_a_job_acts_for_whoever_asked(qtbot, jobs, widget, gate_ctx):
    """Item 5: background work carries the context of the user who asked, on its own connection,
    whatever happens at the gate meanwhile (a handover, a sign-off)."""
    asked = users.sign_on(gate_ctx.ctx, GUARD, GUARD_PIN).acting
    seen = []

    def work(ctx, _progress):
        seen.append((ctx.user, ctx.role, ctx.db is asked.db, threading.current_thread().name))
        return users.list_users(ctx)

    job = jobs.start("who", work, owner=widget, acting=asked)
    _ended(qtbot, jobs, job)
    assert seen == [(GUARD, "guard", False, "test-jobs-user")]
    nobody = jobs.start("nobody", lambda ctx, _p: ctx.role, owner=widget, acting=gate_ctx.ctx)
    _ended(qtbot, jobs, nobody)
    assert nobody.result is None                        # the gate's own context: acting for nobody


def test_shutdown_cancels_and_drops_every_callback(qtbot, widget):
    runner = Jobs("closing")
    calls = []
    job = runner.start("long", _long(30, 3000), owner=widget, on_cancelled=lambda: calls.append("c"))
    queued = runner.start("next", _long(1), owner=widget, on_done=calls.append)
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    started = time.monotonic()
    runner.shutdown(wait_s=5)
    assert time.monotonic() - started < 3 and job.progress.cancelled and queued.progress.cancelled
    qtbot.wait(50)
    assert calls == []
    assert runner.start("after", _long(0.1), owner=widget).state == "cancelled"   # nothing new runs
    runner.deleteLater()


def _spin(stop):
    while not stop.is_set():
        pass


def test_under_load_every_job_ends_once_with_its_own_answer(qtbot, jobs, widget):
    """Two busy processes on a 2-core machine, 40 jobs in two lanes, some failing, some cancelled."""
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(2)]
    for p in spinners:
        p.start()
    try:
        ends: dict[int, list] = {}

        def work(i):
            def run(progress):
                for k in range(20):
                    progress.step(k, 20)
                    sum(range(2000))
                if i % 7 == 3:
                    raise RuleRefusal(f"refused {i}", "r")
                return i * i
            return run

        started = []
        for i in range(40):
            job = jobs.start(("load", i), work(i), owner=widget, lane=USER if i % 2 else UPKEEP,
                             on_done=lambda r, i=i: ends.setdefault(i, []).append(("done", r)),
                             on_failed=lambda e, i=i: ends.setdefault(i, []).append(("failed", str(e))),
                             on_cancelled=lambda i=i: ends.setdefault(i, []).append(("cancelled",)))
            if i % 10 == 9:
                job.cancel()
            started.append(job)
        qtbot.waitUntil(lambda: all(j.finished for j in started), timeout=60_000)
        qtbot.wait(50)
        for i, job in enumerate(started):
            assert len(ends[i]) == 1, (i, ends[i])
            if i % 10 == 9:
                assert ends[i] == [("cancelled",)]
            elif i % 7 == 3:
                assert ends[i] == [("failed", f"refused {i}")]
            else:
                assert ends[i] == [("done", i * i)]
        assert jobs.pending == 0
    finally:
        stop.set()
        for p in spinners:
            p.join(5)


def test_cancelled_is_a_sentence_not_a_bug():
    assert str(Cancelled()) and Cancelled().code == "cancelled"
