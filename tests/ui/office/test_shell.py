"""Signing on at the gate: a guard goes on duty, the office's people go to the office."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from checkpoint_app.services import permissions
from checkpoint_app.ui.office.shell import PAGES, pages_for
from tests.conftest import GUARD, GUARD_PIN
from tests.ui.conftest import sign_on_as, window_with_idle_lock
from tests.ui.office.conftest import ADMIN, ADMIN_PW, AUDITOR, AUDITOR_PW, MANAGER, MANAGER_PW


def test_a_manager_signing_on_at_the_gate_opens_the_office_not_the_scan_screen(office, office_users, watchdog):
    window = office(MANAGER, MANAGER_PW)
    watchdog.start()
    page = window.page
    assert window.pages.currentWidget() is window.office
    assert not page.signed_on and office_users.ctx.user is None and office_users.ctx.role is None
    assert not page.key_buttons["F2"].isEnabled()
    assert window.office.ctx.user == MANAGER and window.office.ctx.role == "manager"
    assert [window.office.nav.item(i).text() for i in range(window.office.nav.count())] == \
        ["住户", "导入名单", "出入证", "设置", "返回人员", "上门测温", "入户排查", "记录查询", "数据库检查", "同步 / 交换",
         "消毒台账", "日志报表", "核验", "公司总览"]
    assert MANAGER in window.guard_label.text()


@pytest.mark.parametrize(("name", "secret", "titles"), [
    (ADMIN, ADMIN_PW, ["设置", "用户", "数据库检查", "同步 / 交换", "日志报表"]),
    (AUDITOR, AUDITOR_PW, ["住户", "记录查询", "数据库检查", "日志报表", "核验"]),
])
def test_an_admin_and_an_auditor_reach_only_their_pages(office, name, secret, titles):
    window = office(name, secret)
    nav = window.office.nav
    assert [nav.item(i).text() for i in range(nav.count())] == titles
    assert not window.page.signed_on


def test_a_guard_signing_on_never_reaches_an_office_page(make_window, office_users):
    window = make_window(sign_on=True)
    assert window.page.signed_on and window.office is None
    assert window.pages.currentWidget() is window.page
    assert pages_for("guard") == [] and pages_for(None) == []


@pytest.mark.parametrize("role", sorted(permissions.PERMISSIONS))
def test_every_page_listed_for_a_role_is_one_the_role_may_use(role):
    for spec in pages_for(role):
        assert any(permissions.allowed(role, a) for a in spec.actions)
    assert {s.key for s in PAGES} == {"residents", "import", "passes", "settings", "users", "returnees", "rounds",
                                      "survey", "records", "check", "exchange", "ledger", "logs", "verify", "company"}


@pytest.mark.parametrize("how", ["button", "f12"])
def test_signing_off_brings_back_the_gate_sign_on_and_the_app_stays_open(office, qtbot, keyboard, how, watchdog):
    window = office()
    watchdog.start()
    if how == "button":
        window.office.sign_off_button.click()
    else:
        keyboard.key(Qt.Key.Key_F12)
    assert window.office is None and window.isVisible()
    assert window.pages.currentWidget() is window.page
    assert window.page.stack.currentWidget() is window.page.sign_on_panel
    with watchdog.paused():
        sign_on_as(qtbot, window, GUARD, GUARD_PIN)      # and a guard can take the gate
    assert window.page.signed_on and window.office is None


def test_the_idle_lock_signs_the_office_user_off_and_the_gate_comes_back(qtbot, styled, capture, office_users):
    window = window_with_idle_lock(qtbot, styled, capture, office_users, 300)
    try:
        sign_on_as(qtbot, window, MANAGER, MANAGER_PW)
        assert window.office is not None
        qtbot.waitUntil(lambda: window.office is None, timeout=5000)
        assert window.pages.currentWidget() is window.page
        assert window.page.stack.currentWidget() is window.page.sign_on_panel
        assert office_users.ctx.user is None
    finally:
        window.confirmed_close()


def test_closing_from_the_office_asks_for_the_password_on_the_gate_page(office, qtbot):
    window = office()
    window.close()
    assert window.isVisible() and window.office is None
    assert window.page.stack.currentWidget() is window.page.close_panel


def test_every_page_of_the_office_is_made(office, qtbot):
    window = office(ADMIN, ADMIN_PW)
    made = {}
    for spec in window.office.specs:
        page = window.office.open(spec.key)
        assert window.office.stack.currentWidget() is page and window.office.current_key == spec.key
        made[spec.key] = type(page).__module__
    # every page of the column is someone's, each a page module of its own
    assert {p.key for p in PAGES} == {p.key for role in ("manager", "admin", "auditor") for p in pages_for(role)}
    assert all(module.startswith("checkpoint_app.ui.office.") for module in made.values())
    assert len(set(made.values())) == len(made)


def test_a_manager_at_the_locked_gate_opens_the_office_and_the_guard_stays_locked(
        qtbot, styled, capture, office_users):
    window = window_with_idle_lock(qtbot, styled, capture, office_users, 300)
    try:
        sign_on_as(qtbot, window, GUARD, GUARD_PIN)
        qtbot.waitUntil(lambda: window.locked, timeout=5000)
        lock = window.lock_page
        lock.name.setCurrentText(MANAGER)
        lock.pin.setText(MANAGER_PW)
        lock.submit.click()
        assert window.office is not None and window.pages.currentWidget() is window.office
        assert window.office.ctx.user == MANAGER
        assert window.locked and window.page.ctx.user == GUARD      # never put on duty at the gate
        window.office.sign_off_button.click()
        assert window.office is None and window.pages.currentWidget() is lock and window.locked
        lock.pin.setText(GUARD_PIN)                                  # the guard takes the gate back
        lock.submit.click()
        assert not window.locked and window.pages.currentWidget() is window.page
        assert window.page.ctx.user == GUARD and window.page.ctx.role == "guard"
    finally:
        window.confirmed_close()


def test_a_shift_cannot_be_handed_over_to_a_manager(make_window, office_users):
    window = make_window(sign_on=True)
    page = window.page
    page.open_handover()
    panel = page.handover_panel
    panel.next_guard.setEditText(MANAGER)
    panel.pin.setText(MANAGER_PW)
    panel.submit.click()
    assert "不是值班员" in panel.error.text()
    assert office_users.count("handovers") == 0
    assert page.ctx.user == GUARD and page.ctx.role == "guard" and window.office is None


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_at_1024x640_every_row_of_the_column_shows_whole(office, qapp, qtbot, lang):
    """At 1024x640 a manager's thirteen or fourteen rows did not fit: a scroll bar took the column's width
    and "Company overview" was cut to "Company overv…"."""
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    translators = i18n.install(qapp, lang)
    try:
        window = office(MANAGER, MANAGER_PW)
        window.resize(1024, 640)
        qtbot.waitUntil(lambda: window.office.nav.height() < 600)
        qapp.processEvents()
        nav = window.office.nav
        assert nav.count() == len(pages_for("manager")) >= 13
        room = nav.viewport().rect()
        for row in range(nav.count()):
            item = nav.item(row)
            rect = nav.visualItemRect(item)
            assert room.contains(rect), (item.text(), rect, room)
            assert nav.fontMetrics().horizontalAdvance(item.text()) + 28 <= rect.width(), item.text()
        window.resize(1366, 768)                    # and back: the usual rows again
        qtbot.waitUntil(lambda: not window.office.nav.property("compact"))
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")
