"""The database check on screen: the whole check in the background with progress, a cancel that
stops it and changes nothing, damage named in the page, and the last checks shown."""

from __future__ import annotations

import sqlite3

from checkpoint_app.services.gate import record_passage


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
