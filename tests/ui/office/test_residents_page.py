"""The residents page driven as the manager uses it; the database checked afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt

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
    page.apply_button.click()                     # no reason: refused, said under the form
    qtbot.waitUntil(lambda: "须填写原因" in page.message.text(), timeout=5000)
    assert page.message.objectName() == "fieldError" and page.apply_button.isEnabled()
    assert office_users.count("residents", "name = '王五' AND status = 'quarantine'") == 1
    page.reason.setText("两次核酸阴性，社区通知解除")
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        page.apply_button.click()
    assert office_users.count("residents", "name = '王五' AND status = 'normal'") == 1
    assert office_users.count("resident_status_changes", "reason = ?", "两次核酸阴性，社区通知解除") == 1
    qtbot.waitUntil(lambda: "两次核酸阴性" in page.history.text(), timeout=5000)   # in the household view
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


def _select_rows(page, qtbot, names: list[str]) -> None:
    """Click the first name and ctrl-click the others, as a person selects several rows."""
    from PySide6.QtCore import QItemSelection

    selection = QItemSelection()
    for name in names:
        index = page.proxy.index(_names(page).index(name), 0)
        selection.select(index, index)
    _select(page, qtbot, names[0])
    page.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select
                                       | QItemSelectionModel.SelectionFlag.Rows)


def test_several_selected_households_go_under_quarantine_in_one_step_and_are_refused_at_the_gate(
        office, office_users, qtbot, watchdog):
    db = office_users
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select_rows(page, qtbot, ["张三", "王五", "赵六"])
    assert page.selected_households() and len(page.selected_households()) == 3
    assert page.scope_selected.isVisible() and page.scope_selected.isChecked()
    assert "3" in page.scope_selected.text()
    page.status.setCurrentIndex(page.status.findData("quarantine"))
    page.until.setDate(QDate(2026, 12, 18))
    with qtbot.waitSignal(page.statusChanged, timeout=5000) as changed:
        page.apply_button.click()
    assert changed.args == [4]                    # 张三 and 李四, 王五, 赵六: not 李𠮷祥 (5-1-102)
    assert db.count("residents", "status = 'quarantine' AND status_until = '2026-12-18'") == 4
    assert db.count("residents", "name = '李𠮷祥' AND status = 'normal'") == 1
    with watchdog.paused():
        guard = users.sign_on(db.ctx, GUARD, GUARD_PIN).acting
        results = {name: gate.record_passage(guard, db.cards[name], direction="out", guard=GUARD).outcome
                   for name in ("李四", "赵六", "李𠮷祥")}
    assert results == {"李四": "denied", "赵六": "denied", "李𠮷祥": "allowed"}


def _form(page, qtbot, mode):
    {"add": page.add_button, "correct": page.correct_button, "move_out": page.move_out_button}[mode].click()
    qtbot.waitUntil(lambda: getattr(page, "form", None) is not None and page.form.isVisible(), timeout=5000)
    return page.form


@pytest.mark.qt_log_ignore("propagateSizeHints")     # the offscreen platform, on showing the form
def test_a_resident_is_added_corrected_and_moved_out_with_records_and_the_card_refused(
        office, office_users, qtbot, watchdog):
    import json

    db = office_users
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "张三")

    form = _form(page, qtbot, "add")
    assert form.fields["household"].text() == "3-2-501"            # the selected household
    form.fields["name"].setText("王小明")
    form.fields["phone"].setText("1390000")                         # too short: refused, nothing written
    form.ok_button.click()
    qtbot.waitUntil(lambda: form.message.text() != "", timeout=5000)
    assert "手机" in form.message.text() and form.isVisible() and form.fields["name"].text() == "王小明"
    assert db.count("residents", "name = '王小明'") == 0
    form.fields["phone"].setText("13900001111")
    form.kind.setCurrentIndex(form.kind.findData("tenant"))
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        form.ok_button.click()
    assert not form.isVisible()
    assert db.count("residents", "name = '王小明' AND kind = 'tenant' AND phone = '13900001111' AND active") == 1
    assert "王小明" in _names(page) and "6 / 6" in page.count.text()

    _select(page, qtbot, "李四")
    form = _form(page, qtbot, "correct")
    assert form.fields["name"].text() == "李四" and form.fields["phone"].text() == "13912345678"
    form.fields["name"].setText("李思")
    form.ok_button.click()                                           # no reason: refused
    qtbot.waitUntil(lambda: "原因" in form.message.text(), timeout=5000)
    assert db.count("residents", "name = '李思'") == 0
    form.reason.setText("登记时名字写错")
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        form.ok_button.click()
    assert db.count("residents", "name = '李思' AND phone = '13912345678'") == 1
    with watchdog.paused(), db.ctx.db.read() as conn:
        action, changes, reason, who = conn.execute(
            "SELECT action, changes, reason, recorded_by FROM resident_corrections ORDER BY at DESC, rowid DESC").fetchone()
    assert (action, json.loads(changes), reason, who) == ("correct", {"name": ["李四", "李思"]}, "登记时名字写错", "物业刘")
    qtbot.waitUntil(lambda: "李四→李思" in page.history.text(), timeout=5000)
    assert "登记时名字写错" in page.history.text() and "物业刘" in page.history.text()
    assert "王小明 登记" in page.history.text()

    form = _form(page, qtbot, "move_out")
    form.reason.setText("房屋出售")
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        form.ok_button.click()
    assert db.count("residents", "name = '李思' AND NOT active") == 1
    assert db.count("pass_events_revoke", "reason = ?", "房屋出售") == 1
    qtbot.waitUntil(lambda: "已迁出" in page.members.text(), timeout=5000)
    assert not page.move_out_button.isEnabled()
    assert "5 / 5" in page.count.text()             # of the people living here, as the list shows them
    page.filter_boxes["moved_out"].click()
    assert _names(page) == ["李思"] and "1 / 1" in page.count.text()
    page.filter_boxes["moved_out"].click()
    with watchdog.paused():
        guard = users.sign_on(db.ctx, GUARD, GUARD_PIN).acting
        assert gate.record_passage(guard, db.cards["李四"], direction="out", guard=GUARD).outcome == "denied"


def test_tab_from_the_page_column_reaches_the_search_first(office, qtbot, keyboard, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    window.activateWindow()
    window.office.nav.setFocus()
    keyboard.key(Qt.Key.Key_Tab)                 # the column, then the search (not 添加住户…)
    assert page.search.hasFocus()
    keyboard.type("3-2-501")
    qtbot.waitUntil(lambda: _names(page) == ["张三", "李四"])


def test_enter_in_the_reason_saves_the_status(office, office_users, qtbot, keyboard, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "王五")
    page.status.setCurrentIndex(page.status.findData("normal"))
    window.activateWindow()
    page.reason.setFocus()
    keyboard.type("PCR negative")
    with qtbot.waitSignal(page.rosterLoaded, timeout=5000):
        keyboard.enter()                         # Enter in the reason: 保存, as the button does
    assert office_users.count("residents", "name = '王五' AND status = 'normal'") == 1


def test_save_with_the_person_no_longer_in_the_table_says_so(office, office_users, qtbot, watchdog):
    window = office()
    watchdog.start()
    page = _open(window, qtbot)
    _select(page, qtbot, "张三")
    page.search.setText("5-9-999")                # the row goes (as a moved-out one does); the panel stays
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 0)
    assert page.change.isVisible() and page.apply_button.isEnabled()
    page.status.setCurrentIndex(page.status.findData("quarantine"))
    page.apply_button.click()
    assert page.message.objectName() == "fieldError" and "选中" in page.message.text()
    assert office_users.count("residents", "name = '张三' AND status = 'quarantine'") == 0
