"""The disinfection ledger page driven as a manager uses it: plan areas, record rounds and watch
plan vs done change (also from rounds another connection writes), an under-dosed round flagged on
screen and on paper, a late round said, a plan change that leaves yesterday's ledger on yesterday's
plan, the catalogue edited, the last values remembered on this PC."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from checkpoint_app.services import daily_logs, disinfection
from checkpoint_app.services.context import open_gate

from .conftest import MANAGER


def _page(window):
    return window.office.open("ledger")


def _plan(page) -> dict[str, tuple[str, str, str]]:
    t = page.plan_table
    return {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, 2).text(), t.item(r, 3).text())
            for r in range(t.rowCount())}


def _pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _fill_round(page, area, agent, conc, operator="赵保洁", checker="孙主管"):
    page.area.setCurrentText(area)
    page.agent.setCurrentIndex(page.agent.findText(agent))
    page.concentration.setText(conc)
    page.operator.setText(operator)
    page.checker.setText(checker)


def test_a_manager_plans_records_rounds_and_sees_plan_against_done(office, office_users, qtbot, tmp_path, watchdog):
    g = office_users
    window = office()
    with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
        page = _page(window)
    watchdog.start()
    for area, n in (("1号楼大堂", 2), ("电梯轿厢", 4)):
        page.plan_area.setText(area)
        page.plan_rounds.setValue(n)
        with qtbot.waitSignal(page.changed, timeout=10_000):
            page.plan_button.click()
    assert _plan(page) == {"1号楼大堂": ("2", "0", "14:00 前"), "电梯轿厢": ("4", "0", "10:30 前")}

    _fill_round(page, "电梯轿厢", "乙醇", "75")
    page.minutes.setValue(3)
    page.method.setCurrentIndex(page.method.findData("wipe"))
    with qtbot.waitSignal(page.recorded, timeout=10_000):
        page.record_button.click()
    assert _plan(page)["电梯轿厢"] == ("4", "1", "14:00 前")
    assert page.message.objectName() == "fieldOk"

    # Under-dosed: recorded, flagged under the form and in its row, red.
    _fill_round(page, "1号楼大堂", "含氯消毒剂", "100")
    assert "剂量不足" in page.unit.text()                 # said while typing
    with qtbot.waitSignal(page.recorded, timeout=10_000):
        page.record_button.click()
    assert page.message.objectName() == "fieldError" and "剂量不足" in page.message.text()
    row = [page.rounds_table.item(1, c).text() for c in range(page.rounds_table.columnCount())]
    assert row[1:5] == ["1号楼大堂", "含氯消毒剂", "100 mg/L", "剂量不足"]
    assert page.rounds_table.item(1, 4).toolTip() == "剂量不足：低于要求的 250–2000 mg/L"
    assert page.rounds_table.item(1, 3).foreground().color().name() == "#b71c1c"
    assert _plan(page)["1号楼大堂"] == ("2", "1", "21:00 前")

    # Entered late: stamped now, says when it was done.
    g.clock.advance(minutes=100)                          # 10:40
    page.reload()
    qtbot.waitUntil(lambda: _plan(page)["电梯轿厢"][2] == "14:00 前", timeout=5000)
    _fill_round(page, "1号楼大堂", "含氯消毒剂", "500")
    page.done_at.setText("09:30")
    with qtbot.waitSignal(page.recorded, timeout=10_000):
        page.record_button.click()
    assert "补录：09:30 完成，10:40 登记" in page.message.text()
    assert page.rounds_table.item(2, 4).text() == "补录 09:30" and page.rounds_table.item(2, 0).text() == "10:40"
    assert _plan(page)["1号楼大堂"] == ("2", "2", "已完成")

    # A round written by another connection (the exchange, the command line) appears by itself.
    g.clock.advance(hours=4)                              # 14:40: the second 电梯轿厢 round is overdue
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    assert _plan(page)["电梯轿厢"] == ("4", "1", "超时 14:00")
    with watchdog.paused():
        other = open_gate(g.ctx.data_dir, clock=g.clock).acting_as(MANAGER, "manager")
        try:
            disinfection.record_round(other, area="电梯轿厢", agent="过氧化氢", concentration="3", contact_minutes=30,
                                      method="wipe", operator="钱保洁")
        finally:
            other.close()
    qtbot.waitUntil(lambda: _plan(page)["电梯轿厢"][1] == "2", timeout=5000)
    assert _plan(page)["电梯轿厢"][2] == "17:30 前"
    assert "已做 4 次" in page.summary.text()

    # On paper: the under-dosed round and the late one are said.
    with watchdog.paused():
        files = daily_logs.daily_report(g.operator, g.ctx.now().date(), tmp_path, kinds=("disinfection",))
        text = _pdftotext(files[0])
    assert "剂量不足" in text and "低于含氯消毒剂要求的 250–2000 mg/L" in text
    assert "09:30 完成，10:40 才登记" in text


def test_a_days_log_made_after_the_plan_changed_prints_the_old_plan(office, office_users, qtbot, tmp_path, watchdog):
    g = office_users
    disinfection.set_plan(g.operator, "1号楼大堂", 3)
    disinfection.record_round(g.operator, area="1号楼大堂", agent="84消毒液", concentration="500", contact_minutes=30,
                              method="spray", operator="赵保洁")
    day1 = g.ctx.now().date()
    g.clock.advance(days=1)
    window = office()
    with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
        page = _page(window)
    watchdog.start()
    assert page.plan_edit_table.item(0, 1).text() == "3"
    page.plan_edit_table.selectRow(0)
    assert page.plan_area.text() == "1号楼大堂"
    page.plan_rounds.setValue(1)
    with qtbot.waitSignal(page.changed, timeout=10_000):
        page.plan_button.click()
    assert page.plan_edit_table.item(0, 1).text() == "1" and _plan(page)["1号楼大堂"] == ("1", "0", "21:00 前")
    with watchdog.paused():
        old = _pdftotext(daily_logs.daily_report(g.operator, day1, tmp_path / "old", kinds=("disinfection",))[0])
        new = _pdftotext(daily_logs.daily_report(g.operator, day1 + timedelta(days=1), tmp_path / "new",
                                                 kinds=("disinfection",))[0])
    assert "计划 3 次，完成 1 次，缺 2 次" in old
    assert any(line.split() == ["1号楼大堂", "3", "1", "2", "缺2次"] for line in old.splitlines())
    assert "计划 1 次" in new


def test_the_catalogue_is_edited_and_the_last_values_are_remembered_on_this_pc(
        office, office_users, qtbot, watchdog):
    g = office_users
    disinfection.set_plan(g.operator, "快递柜", 2)
    window = office()
    with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
        page = _page(window)
    watchdog.start()
    names = [page.agent_table.item(r, 0).text() for r in range(page.agent_table.rowCount())]
    assert names[:2] == ["含氯消毒剂", "乙醇"]
    page.agent_table.selectRow(0)
    assert (page.agent_low.text(), page.agent_high.text()) == ("250", "2000")
    page.agent_low.setText("500")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        page.agent_button.click()
    assert page.agent_table.item(0, 2).text() == "500–2000"
    page.agent_name.setText("次氯酸水")
    page.agent_low.setText("x")
    page.agent_button.click()
    qtbot.waitUntil(lambda: page.message.objectName() == "fieldError", timeout=5000)
    assert "范围" in page.message.text() and g.count("disinfectants") == 1

    _fill_round(page, "快递柜", "含氯消毒剂", "300", operator="钱保洁", checker="")
    page.method.setCurrentIndex(page.method.findData("fog"))
    page.minutes.setValue(45)
    with qtbot.waitSignal(page.recorded, timeout=10_000):
        page.record_button.click()
    assert "500–2000 mg/L" in page.message.text()        # under the range as now edited
    watchdog.stop()            # a new window signing on again: the gate's warm-up and argon2, not this page
    window.office.sign_off()
    qtbot.waitUntil(lambda: window.office is None, timeout=5000)
    again = office()
    with qtbot.waitSignal(again.office.background.idle, timeout=10_000):
        page = _page(again)
    assert (page.area.currentText(), page.agent.currentText(), page.concentration.text(), page.minutes.value(),
            page.method.currentData(), page.operator.text(), page.checker.text()) == (
        "快递柜", "含氯消毒剂", "300", 45, "fog", "钱保洁", "")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_at_1024x640_the_round_form_shows_every_hint_whole(office, office_users, qapp, qtbot, lang):
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    translators = i18n.install(qapp, lang)
    try:
        window = office()
        with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
            page = _page(window)
        window.resize(1024, 640)
        qtbot.waitUntil(lambda: window.width() == 1024)
        qapp.processEvents()
        for field in (page.operator, page.checker, page.done_at):
            room = field.contentsRect().width() - 2 * 10       # the padding and the text margins
            assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_enter_saves_the_plan_and_the_disinfectant(office, office_users, qtbot, keyboard):
    window = office()
    with qtbot.waitSignal(window.office.background.idle, timeout=10_000):
        page = _page(window)
    page.plan_area.setText("1号楼大堂")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        keyboard.enter(target=page.plan_area)                 # as 保存计划 does
    assert "1号楼大堂" in _plan(page)
    page.agent_table.selectRow(0)
    page.agent_low.setText("500")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        keyboard.enter(target=page.agent_low)                 # as 保存消毒剂 does
    assert page.agent_table.item(0, 2).text() == "500–2000"
