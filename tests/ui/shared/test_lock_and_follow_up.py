"""The idle lock, phones masked by role, incident follow-up, and an admin adding a guard."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from checkpoint_app.services import users
from checkpoint_app.ui.shared.lock_page import IdleWatch
from tests.conftest import GUARD, GUARD_PIN, NEXT_GUARD, NEXT_GUARD_PIN
from tests.ui.conftest import sign_on_as, window_with_idle_lock

ADMIN, ADMIN_PASSWORD = "陈管理", "gate-admin-2026"


def test_the_screen_locks_when_idle_and_a_scan_meanwhile_is_served_after_unlocking(
        qtbot, styled, capture, gate_ctx, keyboard):
    window = window_with_idle_lock(qtbot, styled, capture, gate_ctx, 300)
    try:
        page = window.page
        sign_on_as(qtbot, window, GUARD, GUARD_PIN)
        qtbot.waitUntil(lambda: window.locked, timeout=5000)
        lock = window.lock_page
        assert window.pages.currentWidget() is lock and lock.pin.hasFocus()
        assert lock.name.currentText() == GUARD and GUARD in lock.who.text()
        assert not page.key_buttons["F2"].isEnabled()
        keyboard.scan(gate_ctx.cards["张三"], target=window.windowHandle())
        assert list(page.queue) == [gate_ctx.cards["张三"]] and page.current is None
        assert "1 次扫码" in lock.pending.text()
        assert gate_ctx.count("passages") == 0
        lock.pin.setText("9999")
        lock.submit.click()
        assert "不正确" in lock.error.text() and window.locked
        lock.pin.setText(GUARD_PIN)
        lock.submit.click()
        assert not window.locked and window.pages.currentWidget() is page
        assert page.current is not None and page.current.holder.name == "张三"
        with qtbot.waitSignal(page.passageRecorded, timeout=3000):
            keyboard.type("365")
            keyboard.enter()
        assert gate_ctx.passages()[-1][-1] == GUARD
    finally:
        window.confirmed_close()


def test_wrong_pins_lock_the_name_out_and_another_guard_can_take_over(qtbot, styled, capture, gate_ctx):
    window = window_with_idle_lock(qtbot, styled, capture, gate_ctx, 300)
    try:
        sign_on_as(qtbot, window, GUARD, GUARD_PIN)
        qtbot.waitUntil(lambda: window.locked, timeout=5000)
        lock = window.lock_page
        for _ in range(5):
            lock.pin.setText("0000")
            lock.submit.click()
        assert "锁定" in lock.error.text(), "the service's lockout sentence"
        lock.pin.setText(GUARD_PIN)
        lock.submit.click()
        assert window.locked and "锁定" in lock.error.text()
        lock.name.setEditText(NEXT_GUARD)
        lock.pin.setText(NEXT_GUARD_PIN)
        lock.submit.click()
        assert not window.locked and window.page.ctx.user == NEXT_GUARD
        assert NEXT_GUARD in window.guard_label.text()
    finally:
        window.confirmed_close()


def test_a_scanner_burst_does_not_count_as_the_guard_being_there(qapp):
    watch = IdleWatch(60_000)
    try:
        watch._last = before = time.monotonic() - 30   # the guard's last key, half a minute ago
        target = qapp
        for ch in "CP1ABCDEFGHJKLMNPQRS":
            watch.eventFilter(target, QKeyEvent(QEvent.Type.KeyPress, ord(ch), Qt.KeyboardModifier.NoModifier, ch))
        assert watch._last > before
        watch.scan_seen("CP1ABCDEFGHJKLMNPQRS")
        assert watch._last == before
    finally:
        watch.stop()


def test_phones_are_masked_for_a_guard_and_shown_to_a_manager(make_window, gate_ctx, keyboard, qtbot):
    users.add_user(gate_ctx.operator, "物业刘", "manager", "manager-pass-1")
    window = make_window()
    page = window.page
    page.open_manual_entry()
    keyboard.commit("张三", page.manual_panel.search)
    qtbot.waitUntil(lambda: page.manual_panel.results.count() == 1, timeout=2000)
    text = page.manual_panel.results.item(0).text()
    assert "138****5678" in text and "13812345678" not in text
    page.act_for(users.sign_on(gate_ctx.ctx, "物业刘", "manager-pass-1").acting)  # a manager at the gate may
    page.manual_panel.prepare()
    keyboard.commit("张三", page.manual_panel.search)
    qtbot.waitUntil(lambda: page.manual_panel.results.count() == 1, timeout=2000)
    assert "13812345678" in page.manual_panel.results.item(0).text()


def test_an_open_incident_is_followed_up_and_closed(window, gate_ctx, keyboard, qtbot):
    page = window.page
    keyboard.scan(gate_ctx.cards["王五"])         # home quarantine, going out: denied, an incident
    with qtbot.waitSignal(page.passageRecorded, timeout=3000):
        keyboard.type("365")
        keyboard.enter()
    qtbot.waitUntil(lambda: page.key_buttons["F6"].text().endswith(" 1"), timeout=5000)
    keyboard.key(Qt.Key.Key_F6)
    panel = page.incidents_panel
    assert page.stack.currentWidget() is panel and panel.note.hasFocus()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 2).text() == "隔离人员欲外出"
    assert panel.table.item(0, 1).text() == "3-2-502 王五"  # who it is about
    keyboard.enter()
    assert panel.error.text() != "", "a follow-up needs a note"
    keyboard.commit("已劝返，通知社区网格员", panel.note)
    with qtbot.waitSignal(panel.followedUp, timeout=3000):
        keyboard.enter()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "1 次"
    keyboard.commit("网格员已上门确认在家", panel.note)
    with qtbot.waitSignal(panel.followedUp, timeout=3000):
        panel.close_button.click()
    assert panel.table.rowCount() == 0 and panel.empty.isVisible()
    rows = gate_ctx.ctx.db.conn.execute(
        "SELECT note, closed, recorded_by FROM incident_followups ORDER BY at").fetchall()
    assert rows == [("已劝返，通知社区网格员", 0, GUARD), ("网格员已上门确认在家", 1, GUARD)]
    qtbot.waitUntil(lambda: page.key_buttons["F6"].text() == "F6 事件跟进", timeout=5000)


def test_an_admin_adds_a_guard_from_the_sign_on_panel(make_window, gate_ctx, keyboard, qtbot):
    users.add_user(gate_ctx.operator, ADMIN, "admin", ADMIN_PASSWORD)
    window = make_window(sign_on=False)
    page = window.page
    assert page.sign_on_panel.add_guard.isVisible()
    page.sign_on_panel.add_guard.click()
    panel = page.add_guard_panel
    assert page.stack.currentWidget() is panel
    panel.admin.setText(ADMIN)
    panel.admin_password.setText("wrong-password")
    keyboard.commit("周八", panel.name)
    panel.pin.setText("2468")
    panel.pin2.setText("2468")
    panel.submit.click()
    assert panel.error.text() != "" and gate_ctx.count("users", "name = ?", "周八") == 0
    panel.admin_password.setText(ADMIN_PASSWORD)
    panel.submit.click()
    assert gate_ctx.count("users", "name = ? AND role = 'guard'", "周八") == 1
    assert gate_ctx.ctx.user is None and gate_ctx.ctx.role is None, "checking the admin signs nobody on"
    assert page.stack.currentWidget() is page.sign_on_panel
    assert page.sign_on_panel.name.currentText() == "周八"
    sign_on_as(qtbot, window, "周八", "2468")
    assert window.page.ctx.role == "guard" and gate_ctx.ctx.role is None
