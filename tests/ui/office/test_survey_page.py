"""The survey page: visits entered, progress per building and estate adding up, a household needing
help opens an incident, a returnee found goes to the returnees page, the progress printed."""

from __future__ import annotations

import pytest

from checkpoint_app.services import incidents


def _fill(page, keyboard, household, contact, needs=()):
    page.household.setText(household)
    page.contact.setCurrentIndex(page.contact.findData(contact))
    for n in needs:
        page.needs[n].setChecked(True)


def test_visits_add_up_and_help_opens_an_incident(office, office_users, qtbot, keyboard, watchdog):
    window = office()
    page = window.office.open("survey")
    watchdog.start()
    page.campaign.setFocus()
    keyboard.commit("第一轮", page.campaign.lineEdit())
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.table.rowCount() == 3 and page.table.item(2, 5).text() == "4"   # 3, 5, estate; all untouched
    for household, contact, needs in (("3-2-501", "visited", ()), ("5-1-101", "phoned", ("elderly_alone",)),
                                      ("5-1-102", "not_reached", ())):
        _fill(page, keyboard, household, contact, needs)
        with qtbot.waitSignal(page.visited, timeout=10_000) as saved, qtbot.waitSignal(page.loaded, timeout=10_000):
            page.save_button.click()
    assert saved.args[0].incident is None
    estate = [page.table.item(2, c).text() for c in range(1, 8)]
    assert estate == ["4", "1", "1", "1", "1", "1", "50"]
    for col in range(1, 6):
        assert int(page.table.item(0, col).text()) + int(page.table.item(1, col).text()) == int(estate[col - 1])
    with watchdog.paused():
        assert [i.category for i in incidents.open_incidents(office_users.ctx)] == ["needs_help"]
    page.household.setText("3-2-502")
    page.returnee_button.click()
    returnees = window.office.pages["returnees"]
    assert window.office.current_key == "returnees" and returnees.household.text() == "3-2-502"


def test_an_unknown_household_is_refused_and_the_progress_is_printed(office, office_users, qtbot):
    window = office()
    page = window.office.open("survey")
    page.campaign.setEditText("第一轮")
    page.household.setText("9-9-999")
    before = office_users.count("journal")
    page.save_button.click()
    qtbot.waitUntil(lambda: "9-9-999" in page.message.text(), timeout=10_000)
    assert office_users.count("journal") == before
    with qtbot.waitSignal(page.documents.written, timeout=60_000) as written:
        page.documents.xlsx.click()
    assert written.args[0].endswith(".xlsx")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_at_1024x640_the_hints_show_whole(office, office_users, qapp, qtbot, lang):
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    translators = i18n.install(qapp, lang)
    try:
        window = office()
        page = window.office.open("survey")
        window.resize(1024, 640)
        qtbot.waitUntil(lambda: window.width() == 1024)
        qapp.processEvents()
        for field in (page.campaign.lineEdit(), page.household):
            room = field.contentsRect().width() - 2 * 10       # the padding and the text margins
            assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_enter_in_the_last_field_saves_the_visit(office, office_users, qtbot, keyboard):
    window = office()
    page = window.office.open("survey")
    keyboard.commit("第一轮", page.campaign.lineEdit())
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    _fill(page, keyboard, "3-2-501", "visited")
    page.note.setText("ok")
    with qtbot.waitSignal(page.visited, timeout=10_000):
        keyboard.enter(target=page.note)                      # as 保存 does
