"""The door rounds page as the desk uses it: the round sheet's QR scanned (at scanner speed, through
the gate's scan capture) opens the household's row; a fever saved becomes an incident; a missed
window shows as missed; the sheets are written."""

from __future__ import annotations

from datetime import date, datetime

from checkpoint_app.services import door_rounds, incidents, returnees
from tests.core_fixtures import CST


def _prepare(db):
    ctx = db.operator
    returnees.set_risk_area(ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(ctx, resident_id=db.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19))
    return {h.household: h.household_id for h in door_rounds.today_round(ctx).households}


def test_scanning_a_households_qr_opens_its_row_and_a_fever_becomes_an_incident(
        office, office_users, qtbot, keyboard, watchdog):
    db = office_users
    ids = _prepare(db)
    window = office()
    with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
        page = window.office.open("rounds")
    qtbot.waitUntil(lambda: page.round is not None, timeout=10_000)
    watchdog.start()
    assert page.table.rowCount() == 3 and page.table.item(0, 0).text() == "3-2-501"
    page.scan.setFocus()
    with qtbot.waitSignal(page.opened, timeout=5_000) as opened:
        keyboard.scan(door_rounds.qr_payload("HXY01", ids["3-2-501"]), target=page.scan)
    assert opened.args == [ids["3-2-501"]]
    assert not window.page.queue                     # not taken for a pass scan at the gate
    assert [r.person.name for r in page.rows] == ["张三"] and page.rows[0].temperature.hasFocus()
    page.rows[0].temperature.setText("38.3")
    page.rows[0].symptoms["cough"].setChecked(True)
    page.checker.setText("刘志愿")
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved, qtbot.waitSignal(page.loaded, timeout=10_000):
        page.save_button.click()
    assert len(saved.args[0].incidents) == 1 and "已开 1 件事件" in page.message.text()
    assert page.table.item(0, 3).text() == "已测"
    with watchdog.paused():
        open_ones = incidents.open_incidents(db.ctx)
    assert [(i.category, i.who) for i in open_ones if i.uid in saved.args[0].incidents] == \
        [("door_fever", "3-2-501 张三")]


def test_a_room_typed_opens_the_row_and_an_empty_entry_is_refused(office, office_users, qtbot, keyboard):
    _prepare(office_users)
    window = office()
    page = window.office.open("rounds")
    qtbot.waitUntil(lambda: page.round is not None, timeout=10_000)
    page.scan.setFocus()
    keyboard.type("3-2-502", target=page.scan)
    with qtbot.waitSignal(page.opened, timeout=5_000):
        keyboard.enter(target=page.scan)
    before = office_users.count("journal")
    page.save_button.click()
    qtbot.waitUntil(lambda: "请填写体温" in page.message.text(), timeout=10_000)
    assert office_users.count("journal") == before
    page.scan.setText("9-9-999")
    page.open_scanned()
    assert "9-9-999" in page.message.text()


def test_a_missed_window_shows_missed_and_the_sheets_are_written(office, office_users, qtbot):
    _prepare(office_users)
    office_users.clock.set(datetime(2026, 11, 20, 12, 0, tzinfo=CST))
    window = office()
    page = window.office.open("rounds")
    qtbot.waitUntil(lambda: page.round is not None, timeout=10_000)
    states = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    assert states == ["漏测"] * 3 and "漏测 3" in page.summary.text()
    with qtbot.waitSignal(page.sheetsWritten, timeout=30_000) as written:
        page.sheets_button.click()
    assert written.args[0].endswith(".pdf") and "rounds" in written.args[0]


def test_a_persons_14_day_form_and_the_days_summary_are_printed_signed(office, office_users, qtbot):
    from checkpoint_app.services.verification import verify_document

    _prepare(office_users)
    window = office()
    page = window.office.open("rounds")
    qtbot.waitUntil(lambda: page.round is not None, timeout=10_000)
    page.scan.setText("3-2-501")
    page.open_scanned()
    with qtbot.waitSignal(page.form_docs.written, timeout=60_000) as form:
        page.rows[0].form.click()
    with qtbot.waitSignal(page.summary_docs.written, timeout=60_000) as summary:
        page.summary_docs.pdf.click()
    assert "monitoring_form" in form.args[0] and "monitoring_summary" in summary.args[0]
    for path in (form.args[0], summary.args[0]):
        assert verify_document(office_users.ctx, path).ok


def test_enter_in_the_checker_saves_the_entry(office, office_users, qtbot, keyboard):
    ids = _prepare(office_users)
    window = office()
    page = window.office.open("rounds")
    qtbot.waitUntil(lambda: page.round is not None, timeout=10_000)
    page.open_household(ids["3-2-501"])
    qtbot.waitUntil(lambda: bool(page.rows), timeout=5_000)
    page.rows[0].temperature.setText("36.5")
    page.checker.setText("刘志愿")
    page.checker.setFocus()
    with qtbot.waitSignal(page.saved, timeout=10_000):
        keyboard.enter(target=page.checker)           # as 保存 does
