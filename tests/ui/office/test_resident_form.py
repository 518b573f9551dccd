"""The resident form driven from the keyboard: Enter is 添加 / 保存更正, never 取消."""

from __future__ import annotations

import pytest

from tests.ui.office.test_residents_page import _form, _open, _select


@pytest.mark.qt_log_ignore("propagateSizeHints")     # the offscreen platform, on showing the form
def test_enter_in_the_form_adds_and_a_refusal_keeps_what_was_typed(office, office_users, qtbot, keyboard, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "张三")
    form = _form(page, qtbot, "add")
    form.fields["name"].setText("王小明")
    form.fields["phone"].setText("1390000")                  # too short: refused on the form
    keyboard.enter(target=form.fields["phone"])
    qtbot.waitUntil(lambda: "手机" in form.message.text(), timeout=5000)
    assert form.isVisible() and form.fields["name"].text() == "王小明"
    form.fields["phone"].setText("13900001111")
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        keyboard.enter(target=form.fields["phone"])
    assert not form.isVisible()
    assert office_users.count("residents", "name = '王小明' AND phone = '13900001111' AND active") == 1
