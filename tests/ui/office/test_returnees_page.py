"""The returnees page: a risk area set, a returnee registered is refused at the gate at once, ending
early without a reason is refused, with one it is done."""

from __future__ import annotations

import pytest

from checkpoint_app.services import gate, residents


def _wait_ok(qtbot, page, text):
    qtbot.waitUntil(lambda: text in page.message.text(), timeout=10_000)


def test_register_a_returnee_and_end_early_only_with_a_reason(office, office_users, qtbot, keyboard, watchdog):
    db = office_users
    window = office()
    page = window.office.open("returnees")
    qtbot.waitUntil(lambda: "尚未设置" in page.areas_text.text(), timeout=10_000)
    watchdog.start()
    keyboard.commit("武汉", page.area)
    page.area_days.setValue(14)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.area_button.click()
    assert "武汉（居家隔离 14 天）" in page.areas_text.text() and page.from_area.findText("武汉") == 0
    page.household.setText("3-2-501")
    keyboard.commit("张三", page.name)
    page.from_area.setCurrentText("武汉")
    page.travel.setText("G1234")
    with qtbot.waitSignal(page.registered, timeout=10_000), qtbot.waitSignal(page.loaded, timeout=10_000):
        page.register_button.click()
    assert "门岗即时生效" in page.message.text() and page.table.rowCount() == 1
    with watchdog.paused():
        scan = gate.record_passage(db.operator, db.cards["张三"], direction="out")
    assert (scan.outcome, scan.reason) == ("denied", "quarantine")

    page.table.selectRow(0)
    page.end_button.click()
    _wait_ok(qtbot, page, "须填写原因")
    keyboard.commit("核酸阴性", page.reason)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.end_button.click()
    assert page.table.item(0, 7).text() == "核酸阴性"
    with watchdog.paused():
        assert {r.name: r.status for r in residents.list_residents(db.ctx)}["张三"] == "normal"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_at_1024x640_the_hints_show_whole(office, office_users, qapp, qtbot, lang):
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    translators = i18n.install(qapp, lang)
    try:
        window = office()
        page = window.office.open("returnees")
        window.resize(1024, 640)
        qtbot.waitUntil(lambda: window.width() == 1024)
        qapp.processEvents()
        for field in (page.reason, page.household, page.travel, page.contact):
            room = field.contentsRect().width() - 2 * 10       # the padding and the text margins
            assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_enter_adds_the_area_and_registers_the_returnee(office, office_users, qtbot, keyboard):
    window = office()
    page = window.office.open("returnees")
    qtbot.waitUntil(lambda: "尚未设置" in page.areas_text.text(), timeout=10_000)
    keyboard.commit("武汉", page.area)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        keyboard.enter(target=page.area)                      # as 添加 / 修改 does
    assert "武汉" in page.areas_text.text()
    page.household.setText("3-2-501")
    keyboard.commit("张三", page.name)
    page.from_area.setCurrentText("武汉")
    page.travel.setText("G1234")
    with qtbot.waitSignal(page.registered, timeout=10_000):
        keyboard.enter(target=page.travel)                    # as 登记 does
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
