"""The database check on screen: the whole check in the background with progress, a cancel that
stops it and changes nothing, damage named in the page, and the last checks shown."""

from __future__ import annotations

import sqlite3

import pytest

from checkpoint_app.services.gate import record_passage
from tests.ui.office.conftest import AUDITOR, AUDITOR_PW


def _passages(g, n: int) -> None:
    for i in range(n):
        g.clock.advance(minutes=3)
        record_passage(g.operator, g.cards[sorted(g.cards)[i % len(g.cards)]], temperature="365")


def test_the_whole_check_runs_in_the_background_and_moves_the_marks(office, office_users, qtbot, watchdog):
    g = office_users
    _passages(g, 10)
    window = office()
    watchdog.start()
    page = window.office.open("check")
    qtbot.waitUntil(lambda: "从未" in page.last.text(), timeout=5000)
    seen = []
    page.bar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(page.checked, timeout=30_000) as done:
        page.start_button.click()
        assert not page.start_button.isEnabled() and page.cancel_button.isEnabled() and page.bar.isVisible()
    assert done.args[0].ok and "数据库完整" in page.message.text()
    assert page.start_button.isEnabled() and not page.bar.isVisible()
    qtbot.waitUntil(lambda: page.last.text().count("从未") == 0, timeout=5000)
    with watchdog.paused():
        full_at = g.ctx.db.conn.execute("SELECT max(full_at) FROM verified_marks").fetchone()[0]
    assert full_at and full_at[:10] in page.last.text()


def test_a_cancel_stops_the_check_and_a_later_one_finds_an_altered_record(office, office_users, qtbot, watchdog):
    g = office_users
    _passages(g, 6)
    window = office()
    watchdog.start()
    page = window.office.open("check")
    with qtbot.waitSignal(page.cancelled, timeout=30_000):
        page.start_button.click()
        page.cancel_button.click()
    assert "已取消" in page.message.text() and page.start_button.isEnabled()
    with watchdog.paused():
        assert g.ctx.db.conn.execute("SELECT count(*) FROM verified_marks").fetchone()[0] == 0
        tamper = sqlite3.connect(g.ctx.db.path, isolation_level=None)
        tamper.execute("DROP TRIGGER passages_no_update")
        uid = tamper.execute("SELECT uid FROM passages ORDER BY at LIMIT 1").fetchone()[0]
        tamper.execute("UPDATE passages SET temp_tenths = 390 WHERE uid = ?", (uid,))
        tamper.close()
    with qtbot.waitSignal(page.checked, timeout=30_000) as done:
        page.start_button.click()
    assert not done.args[0].ok and uid in page.message.text() and page.message.objectName() == "fieldError"


def _joined_gate_forked(g, tmp_path):
    """A gate 北门 joined from this PC, cloned, the clone's records under north's numbers imported
    here: one record refused (services/exchange_problems.py)."""
    from checkpoint_app.exchange import usb
    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.services.permissions import OPERATOR
    from tests.core_fixtures import FakeClock
    from tests.services.test_exchange_problems import forked_file

    file, code = export_join(g.operator, "北门", tmp_path / "north.ckp")
    north = init_join(tmp_path / "north", file, code, clock=FakeClock()).acting_as(None, OPERATOR)
    try:
        result = usb.import_file(g.operator, forked_file(g.operator, north, g.cards, tmp_path))
    finally:
        north.close()
    assert [p[2] for p in result.problems] == ["conflict"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_forked_gates_refused_record_is_listed_for_the_auditor_who_changes_nothing(
        office, office_users, qtbot, qapp, watchdog, tmp_path, lang):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QAbstractItemModelTester

    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    g = office_users
    _joined_gate_forked(g, tmp_path)
    journal = g.ctx.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    translators = i18n.install(qapp, lang)
    try:
        window = office(AUDITOR, AUDITOR_PW)
        seen = []
        window.refusedSeen.connect(seen.append)
        watchdog.start()
        page = window.office.open("check")
        qtbot.waitUntil(lambda: page.problems_model.rowCount() == 1, timeout=10_000)
        QAbstractItemModelTester(page.problems_model, QAbstractItemModelTester.FailureReportingMode.Fatal, page)
        model = page.problems_model
        row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        if lang == "en":
            assert headers == ["Found", "From", "Gate", "No.", "Record", "Problem"]
            assert row[1] == "file clone.db" and "another hash" in row[5]
            assert "conflicted" in page.problems_hint.text()
        else:
            assert headers == ["发现时间", "来源", "门岗", "序号", "记录编号", "问题"]
            assert row[1] == "文件 clone.db" and "哈希不符" in row[5]
        assert row[2] == "北门" and page.problems_view.isVisible()
        assert not model.flags(model.index(0, 5)) & Qt.ItemFlag.ItemIsEditable
        assert seen and seen[-1] == model.problems[0].id        # the status bar's warning goes
        with watchdog.paused():
            assert g.ctx.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == journal
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_no_refused_record_says_so(office, office_users, qtbot, watchdog):
    window = office()
    watchdog.start()
    page = window.office.open("check")
    with qtbot.waitSignal(page.problemsShown, timeout=10_000) as shown:
        pass
    assert shown.args == [0] and not page.problems_view.isVisible() and page.problems_hint.text() == "没有被拒收的记录。"


def _user_from_the_old_days(g) -> None:
    """A user row no record names, as the code before state records wrote them."""
    g.ctx.db.conn.execute("INSERT INTO users (name, role, disabled, created_at, secret_hash) "
                          "VALUES ('老门卫', 'guard', 0, '2020-02-01T08:00:00+08:00', 'x')")


def test_an_old_site_is_told_to_write_its_baseline_and_the_admin_writes_it_in_the_background(
        office, office_users, qtbot, watchdog):
    from tests.ui.office.conftest import ADMIN, ADMIN_PW

    g = office_users
    _user_from_the_old_days(g)
    window = office(ADMIN, ADMIN_PW)
    watchdog.start()
    page = window.office.open("check")
    with qtbot.waitSignal(page.baselineShown, timeout=10_000) as shown:
        pass
    assert shown.args == ["here"] and page.baseline_hint.isVisible() and page.baseline_button.isVisible()
    assert "checkpoint site baseline" in page.baseline_hint.text()
    with qtbot.waitSignal(page.baselineWritten, timeout=30_000) as written:
        page.baseline_button.click()
    assert written.args[0] == {"user": 1} and "1" in page.message.text()
    qtbot.waitUntil(lambda: not page.baseline_hint.isVisible(), timeout=10_000)
    assert not page.baseline_button.isVisible()
    with watchdog.paused():
        assert g.ctx.db.conn.execute("SELECT count(*) FROM baselines WHERE key = '老门卫'").fetchone()[0] == 1


def test_the_auditor_is_told_but_has_no_button(office, office_users, qtbot, watchdog):
    _user_from_the_old_days(office_users)
    window = office(AUDITOR, AUDITOR_PW)
    watchdog.start()
    page = window.office.open("check")
    with qtbot.waitSignal(page.baselineShown, timeout=10_000) as shown:
        pass
    assert shown.args == ["here"] and page.baseline_hint.isVisible() and not page.baseline_button.isVisible()
