"""The users page driven as the admin uses it; the database is checked after each step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checkpoint_app.errors import PermissionDenied
from checkpoint_app.services import users
from tests.conftest import GUARD
from tests.ui.office.conftest import ADMIN, ADMIN_PW


def _page(window, qtbot):
    page = window.office.open("users")
    qtbot.waitUntil(lambda: page.add_button.isEnabled(), timeout=10_000)
    return page


def _row(db, name):
    return db.ctx.db.conn.execute("SELECT role, disabled, failed_attempts, locked_until FROM users WHERE name = ?",
                                  (name,)).fetchone()


def _do(page, qtbot, action):
    with qtbot.waitSignal(page.bg.idle, timeout=15_000):
        action()


def _signs_on(watchdog, db, name, secret):
    """The test checks a PIN itself: Argon2 on this thread (~0.3 s) is the test's, not the page's."""
    with watchdog.paused():
        return users.sign_on(db.ctx, name, secret)


def _type(page, widget, text):
    widget.setFocus()
    widget.setText(text)


def test_the_admin_adds_a_guard_and_a_manager_with_the_rules_of_each(office, office_users, qtbot, watchdog):
    db = office_users
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    watchdog.start()
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert GUARD in names and ADMIN in names
    page.name.setText("guard-new")
    page.role.setCurrentIndex(page.role.findData("guard"))
    assert "PIN" in page.secret.placeholderText()
    page.secret.setText("12ab")                                   # not digits
    _do(page, qtbot, page.add_button.click)
    assert page.message.objectName() == "fieldError" and "4 到 8 位数字" in page.message.text()
    assert _row(db, "guard-new") is None
    page.secret.setText("246810")
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.add_button.click()
    assert _row(db, "guard-new") == ("guard", 0, 0, None) and page.secret.text() == ""
    assert _signs_on(watchdog, db, "guard-new", "246810").role == "guard"
    page.name.setText("auditor-new")
    page.role.setCurrentIndex(page.role.findData("auditor"))
    page.secret.setText("1234567")                                # seven characters: too short
    _do(page, qtbot, page.add_button.click)
    assert "至少 8 个字符" in page.message.text() and _row(db, "auditor-new") is None
    page.secret.setText("audit-pass-9")
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.add_button.click()
    assert _row(db, "auditor-new")[0] == "auditor"
    assert "auditor-new" in [page.table.item(r, 0).text() for r in range(page.table.rowCount())]


def test_a_lockout_is_shown_and_cleared_a_pin_reset_and_a_user_disabled_and_enabled(
        office, office_users, qtbot, watchdog):
    db = office_users
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(PermissionDenied):
            users.sign_on(db.ctx, GUARD, "0000")
    assert _row(db, GUARD)[3] is not None
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    watchdog.start()
    page.select(GUARD)
    row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index(GUARD)
    assert page.table.item(row, 3).text().startswith("锁定至")
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.unlock_button.click()
    assert _row(db, GUARD)[2:] == (0, None) and page.table.item(row, 3).text() == "—"

    page.new_secret.setText("abcd")                               # a guard's PIN is digits
    _do(page, qtbot, page.reset_button.click)
    assert "4 到 8 位数字" in page.message.text()
    _signs_on(watchdog, db, GUARD, "1234")                        # the old PIN still works
    page.new_secret.setText("97531")
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.reset_button.click()
    with pytest.raises(PermissionDenied):
        _signs_on(watchdog, db, GUARD, "1234")
    assert _signs_on(watchdog, db, GUARD, "97531").name == GUARD

    assert page.enable_button.text() == "停用"
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.enable_button.click()
    assert _row(db, GUARD)[1] == 1 and page.table.item(row, 2).text() == "已停用"
    with pytest.raises(PermissionDenied, match="停用"):
        _signs_on(watchdog, db, GUARD, "97531")
    assert page.enable_button.text() == "启用"
    with qtbot.waitSignal(page.done, timeout=15_000):
        page.enable_button.click()
    assert _row(db, GUARD)[1] == 0 and _signs_on(watchdog, db, GUARD, "97531").name == GUARD


def test_an_action_without_a_selected_user_says_so_and_changes_nothing(office, office_users, qtbot):
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    page.table.clearSelection()
    assert not page.unlock_button.isEnabled()
    page.clear_lockout()
    assert "选中" in page.message.text()


def test_the_lockout_column_counts_wrong_attempts_before_the_lock(office, office_users, qtbot):
    db = office_users
    with pytest.raises(PermissionDenied):
        users.sign_on(db.ctx, GUARD, "0000")
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index(GUARD)
    assert page.table.item(row, 3).text() == "输错 1 次"
    state = next(s for s in page.states if s.name == GUARD)
    assert not state.locked(db.ctx.now() + timedelta(days=1))


def test_the_admin_cannot_disable_themselves_on_the_page_and_is_told_why(office, office_users, qtbot):
    db = office_users
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    page.select(ADMIN)
    assert page.enable_button.text() == "停用"
    _do(page, qtbot, page.enable_button.click)
    assert page.message.objectName() == "fieldError" and "不能停用自己的账号" in page.message.text()
    assert _row(db, ADMIN)[1] == 0


def test_enter_in_the_pin_adds_the_user_and_in_the_new_pin_resets_it(office, office_users, qtbot, keyboard, watchdog):
    db = office_users
    window = office(ADMIN, ADMIN_PW)
    page = _page(window, qtbot)
    watchdog.start()
    page.name.setText("guard-enter")
    page.role.setCurrentIndex(page.role.findData("guard"))
    window.activateWindow()
    page.secret.setFocus()
    keyboard.type("4444")
    with qtbot.waitSignal(page.done, timeout=15_000):
        keyboard.enter()                                          # as 添加 does
    assert _row(db, "guard-enter") == ("guard", 0, 0, None)
    page.select("guard-enter")
    page.new_secret.setFocus()
    keyboard.type("5555")
    with qtbot.waitSignal(page.done, timeout=15_000):
        keyboard.enter()                                          # as 重设 PIN/密码 does
    assert _signs_on(watchdog, db, "guard-enter", "5555").role == "guard"


def test_clear_lockout_is_offered_only_for_a_user_with_wrong_attempts(office, office_users, qtbot):
    db = office_users
    with pytest.raises(PermissionDenied):
        users.sign_on(db.ctx, GUARD, "0000")
    page = _page(office(ADMIN, ADMIN_PW), qtbot)
    page.select(ADMIN)                            # never typed a wrong password: nothing to clear
    assert page.reset_button.isEnabled() and not page.unlock_button.isEnabled()
    page.select(GUARD)                            # one wrong PIN
    assert page.unlock_button.isEnabled()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (1024, 640)])
def test_selecting_a_user_shows_their_name_and_moves_no_field(office, office_users, qapp, qtbot, lang, size):
    """The name of the selected user replaced the label 选中的用户: the label column changed width
    with each name and the whole row of fields moved sideways."""
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    db = office_users
    users.add_user(db.ctx.acting_as(ADMIN, "admin"), "欧阳明华-夜班长", "guard", "24680")    # a long name
    translators = i18n.install(qapp, lang)
    try:
        window = office(ADMIN, ADMIN_PW)
        page = _page(window, qtbot)
        window.resize(*size)
        qtbot.waitUntil(lambda: window.width() == size[0])
        page.table.clearSelection()
        qapp.processEvents()
        fields = (page.name, page.role, page.secret, page.add_button, page.new_secret, page.reset_button,
                  page.enable_button, page.unlock_button)

        def places():
            return [w.geometry() for w in fields]

        before = places()
        for name in (GUARD, ADMIN, "欧阳明华-夜班长"):
            page.select(name)
            qapp.processEvents()
            assert places() == before, name
            assert page.selected_name.text() == name
        page.table.clearSelection()
        qapp.processEvents()
        assert places() == before and page.selected_name.text() == ""
        for role in range(page.role.count()):          # a PIN's hint and a password's, whole
            page.role.setCurrentIndex(role)
            for field in (page.secret, page.new_secret, page.selected_name, page.name):
                room = field.contentsRect().width() - 2 * 10       # the padding and the text margins
                assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")
