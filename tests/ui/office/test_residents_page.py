"""The residents page driven as the manager uses it; the database checked afterwards."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel

from checkpoint_app.services import gate, users
from tests.conftest import GUARD, GUARD_PIN
from tests.ui.office.conftest import AUDITOR, AUDITOR_PW


def _names(page) -> list[str]:
    return [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]


def _open(window, qtbot):
    page = window.office.pages["residents"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5000)
    return page


def _select(page, qtbot, name: str) -> None:
    row = _names(page).index(name)
    with qtbot.waitSignal(page.householdShown, timeout=5000):
        page.table.selectionModel().setCurrentIndex(
            page.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)


def test_live_search_and_filters(office, qtbot, keyboard, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    assert _names(page) == ["张三", "李四", "王五", "赵六", "李𠮷祥"]
    assert "5 / 5" in page.count.text()
    page.search.setFocus()
    keyboard.type("3-2")
    qtbot.waitUntil(lambda: _names(page) == ["张三", "李四", "王五"])
    keyboard.type("-501")
    qtbot.waitUntil(lambda: _names(page) == ["张三", "李四"])
    assert "2 / 5" in page.count.text()
    page.search.clear()
    keyboard.commit("李", page.search)
    assert _names(page) == ["李四", "李𠮷祥"]
    page.search.clear()
    keyboard.type("zl")
    qtbot.waitUntil(lambda: _names(page) == ["赵六"])
    page.search.clear()
    keyboard.type("812345678")                  # the tail of 张三's phone
    qtbot.waitUntil(lambda: _names(page) == ["张三"])
    page.search.clear()
    page.filter_boxes["quarantine"].click()
    assert _names(page) == ["王五"]
    page.filter_boxes["observation"].click()
    assert _names(page) == ["王五", "赵六"]


def test_a_household_is_put_under_quarantine_in_one_step_and_refused_at_the_gate(office, office_users, qtbot, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "张三")
    assert page.household_title.text() == "3-2-501"
    assert "李四" in page.members.text() and "13812345678" in page.members.text()
    assert page.change.isVisible()
    page.scope_household.click()
    page.status.setCurrentIndex(page.status.findData("quarantine"))
    page.until.setDate(QDate(2026, 12, 20))
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        page.apply_button.click()
    assert "张三" in page.message.text() and "李四" in page.message.text()
    db = office_users
    with watchdog.paused(), db.ctx.db.read() as conn:
        rows = conn.execute(
            "SELECT r.name, r.status, r.status_until FROM residents r JOIN households h ON h.id = r.household_id "
            "WHERE h.label = '3-2-501' ORDER BY r.id").fetchall()
    assert rows == [("张三", "quarantine", "2026-12-20"), ("李四", "quarantine", "2026-12-20")]
    assert db.count("resident_status_changes", "recorded_by = ?", "物业刘") == 2
    page.filter_boxes["quarantine"].click()
    assert _names(page) == ["张三", "李四", "王五"]
    # At the gate, a guard scans 李四's card: refused.
    with watchdog.paused():
        guard = users.sign_on(db.ctx, GUARD, GUARD_PIN).acting
        result = gate.record_passage(guard, db.cards["李四"], direction="out", guard=GUARD)
    assert result.outcome == "denied"


def test_lifting_a_quarantine_early_and_a_refusal_said_on_the_page(office, office_users, qtbot, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "王五")
    page.status.setCurrentIndex(page.status.findData("normal"))
    assert page.until.isHidden()
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        page.apply_button.click()
    assert office_users.count("residents", "name = '王五' AND status = 'normal'") == 1
    page.status.setCurrentIndex(page.status.findData("quarantine"))
    window.office.ctx.role = "auditor"           # the services refuse, whatever the screen shows
    page.apply_button.click()
    qtbot.waitUntil(lambda: "无权" in page.message.text(), timeout=5000)
    assert "无权" in page.message.text() and page.apply_button.isEnabled()
    assert office_users.count("residents", "name = '王五' AND status = 'normal'") == 1


def test_an_auditor_reads_the_residents_but_cannot_change_them(office, qtbot, watchdog):
    window = office(AUDITOR, AUDITOR_PW)
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "赵六")
    assert page.household_title.text() == "5-1-101" and not page.change.isVisible()
    assert "13612345678" in page.members.text()     # an auditor may see personal data
    assert date.today()                             # (the page reads the fake clock, not this one)
