"""The roster import wizard driven as the property manager uses it: a messy office spreadsheet
picked, what was detected shown and changed, every row previewed before anything is written,
imported in the background, the rejected rows exported for the office to correct; a cancelled
import leaves the roster as it was; a guard never reaches the page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QFileDialog

from checkpoint_app.ui.office.import_page import ImportPage, PreviewModel
from checkpoint_app.services.residents import RowOutcome
from tests.conftest import GUARD, GUARD_PIN
from tests.ui.office.conftest import MANAGER, MANAGER_PW
from tests.roster_workbooks import MESSY_IMPORTED, MESSY_REJECTED, messy_office_workbook

REPO = Path(__file__).resolve().parents[3]
ROSTER_TABLES = ("residents", "households", "journal", "resident_status_changes", "passes")


def _page(window) -> ImportPage:
    return window.office.open("import")


def _roster(db) -> dict:
    with db.ctx.db.read() as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROSTER_TABLES}


def _people(db) -> dict:
    with db.ctx.db.read() as conn:
        rows = conn.execute("SELECT h.label, r.name, r.phone, r.id_number FROM residents r "
                            "JOIN households h ON h.id = r.household_id WHERE r.active = 1").fetchall()
    return {(label, name): (phone, id_number) for label, name, phone, id_number in rows}


def _statuses(page) -> dict[int, str]:
    return {o.row: o.status for o in page.model.outcomes}


def test_the_wizard_imports_a_messy_office_spreadsheet_and_exports_the_rejects(
        office, office_users, qtbot, tmp_path, monkeypatch, watchdog):
    db = office_users
    path = messy_office_workbook(tmp_path / "阳光花园花名册.xlsx")
    window = office()
    page = _page(window)
    tester = QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    watchdog.start()
    before = _roster(db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(page.previewed, timeout=20_000) as previewed:
        page.pick_button.click()
    # what was detected: the sheet among two, the header under two title rows, each field's column
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["花名册", "填写说明"]
    assert page.header_row.value() == 3 and page.encoding.text() == "" and page.problem.text() == ""
    assert {f: c.currentData() for f, c in page.columns.items()} == {
        "building": 1, "unit": 2, "room": 3, "name": 4, "phone": 5, "id_number": 6, "kind": 7, "status": 8,
        "quarantine_until": -1}
    assert page.columns["phone"].currentText() == "F  联系电话"
    assert page.table.item(0, 0).text().startswith("阳光花园") and page.table.columnSpan(0, 0) == 10
    assert page.table.rowSpan(3, 1) == 2 and page.table.item(4, 4).text() == "李四"
    assert page.table.horizontalHeaderItem(1).text() == "B → 楼栋"
    # every row previewed, nothing written yet
    report = previewed.args[0]
    assert _statuses(page) == {4: "unchanged", 5: "unchanged", 7: "changed", 8: "rejected", 9: "unchanged",
                               10: "new", 11: "rejected"}
    assert {o.row: o.detail for o in page.model.outcomes}[7] == "身份证号"
    assert "4.21202E+17" in {o.row: o.detail for o in page.model.outcomes}[8]
    assert _roster(db) == before and page.import_button.isEnabled()
    assert "新增 1，变更 1，未变 3，未导入 2" in page.counts.text()
    page.show_status("rejected")
    assert page.model.rowCount() == 2 and page.model.index(0, 0).data() == 8
    page.show_status(None)
    assert page.model.rowCount() == 7
    # 王五 of the test gate is on a rejected row: moving the missing out is not offered
    assert report.missing == [("3-2-502", "王五")] and not page.move_out.isEnabled()
    assert "1 位" in page.move_out.text()

    with qtbot.waitSignal(page.imported, timeout=20_000) as imported:
        page.import_button.click()
        assert not page.import_button.isEnabled() and page.cancel_button.isEnabled()
        page.start_import()                    # cannot be started twice
    result = imported.args[0]
    assert (result.residents, result.updated, result.unchanged, len(result.errors)) == (1, 1, 3, 2)
    with watchdog.paused():
        people = _people(db)
    for key, value in MESSY_IMPORTED.items():
        assert people[key] == value
    assert ("3-2-502", "王五") in people and people[("3-2-502", "王五")][1] is None   # kept as it was
    assert "未导入 2 行" in page.message.text() and page.rejects_button.isEnabled()

    out = tmp_path / "未导入.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "未导入"), ""))
    with qtbot.waitSignal(page.rejectsSaved, timeout=20_000) as saved:
        page.rejects_button.click()
    assert saved.args == [str(out)]
    with watchdog.paused():
        sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.values)
    assert rows[0][:10] == ("序号", "楼栋", "单元", "房号", "姓名", "联系电话", "身份证号", "类型", "状态", "备注")
    assert [r[10] for r in rows[1:]] == sorted(MESSY_REJECTED) and sheet.freeze_panes == "A2"
    for row, word in zip(rows[1:], MESSY_REJECTED.values()):
        assert word in row[11]
    assert str(out) in page.message.text()
    del tester


def test_a_cancelled_import_leaves_the_roster_as_it_was(office, office_users, qtbot, tmp_path, watchdog):
    db = office_users
    path = tmp_path / "大名单.csv"
    path.write_text("楼栋,单元,房号,姓名,状态,隔离至\n" + "".join(
        f"8,{i % 4 + 1},{100 + i},住户{chr(0x4E00 + i)},居家隔离,2026-11-30\n" for i in range(2000)), encoding="utf-8")
    window = office()
    page = _page(window)
    watchdog.start()
    before = _roster(db)
    with qtbot.waitSignal(page.previewed, timeout=60_000):
        page.open_file(path)
    assert page.encoding.text() == "编码：UTF-8" and not page.sheet.isVisible()
    assert set(_statuses(page).values()) == {"new"} and len(page.model.outcomes) == 2000
    for status in ("rejected", "new", None):        # filtering 2,000 rows is no handler's long work
        page.show_status(status)
        assert page.model.rowCount() == {"rejected": 0}.get(status, 2000)
    steps = []

    def cancel_once_going(done, total, text):
        steps.append(done)
        if done > 500 and page.cancel_button.isEnabled():
            page.cancel_button.click()

    original = page._progress
    page._progress = lambda d, t, x: (original(d, t, x), cancel_once_going(d, t, x))
    with qtbot.waitSignal(page.cancelled, timeout=60_000):
        page.import_button.click()
    assert max(steps) > 500 and page.progress.isHidden()
    assert "名单保持原样" in page.message.text() and page.import_button.isEnabled()
    with watchdog.paused():
        assert _roster(db) == before
    # and it imports whole when let through
    page._progress = original
    with qtbot.waitSignal(page.imported, timeout=60_000) as imported:
        page.import_button.click()
    assert imported.args[0].residents == 2000
    with watchdog.paused():
        assert _roster(db)["residents"] == before["residents"] + 2000


def test_the_user_changes_the_header_row_and_the_columns(office, qtbot, tmp_path, watchdog):
    path = tmp_path / "r.csv"
    path.write_bytes("说明：按幢、门、户填写\n幢,门,户,户主姓名,手机\n3,2,501,新住户,13800138000\n".encode("gb18030"))
    window = office()
    page = _page(window)
    watchdog.start()
    with qtbot.waitSignal(page.inspected, timeout=20_000):
        page.open_file(path)
    # 幢 and 手机 are known names: row 2 is taken for the header, without 单元, 房号 and 姓名
    assert page.header_row.value() == 2 and page.encoding.text() == "编码：GB18030/GBK"
    assert page.problem.text() == "“r.csv”的表头缺少这些列：单元、房号、姓名。"
    assert not page.import_button.isEnabled() and page.model.rowCount() == 0
    with qtbot.waitSignal(page.inspected, timeout=20_000):
        page.header_row.setValue(1)
    assert page.problem.text().startswith("“r.csv”的第 1 行不是表头")
    with qtbot.waitSignal(page.inspected, timeout=20_000):
        page.header_row.setValue(2)
    for field, column in {"building": 0, "unit": 1, "room": 2, "name": 3}.items():
        combo = page.columns[field]
        with qtbot.waitSignal(page.inspected, timeout=20_000):
            combo.setCurrentIndex(combo.findData(column))
            combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20_000)
    assert page.model.outcomes == [RowOutcome(3, "new", "3-2-501", "新住户")]
    assert page.problem.text() == "" and page.import_button.isEnabled()
    combo = page.columns["phone"]
    with qtbot.waitSignal(page.inspected, timeout=20_000):
        combo.setCurrentIndex(combo.findData(3))
        combo.activated.emit(combo.currentIndex())
    assert page.problem.text() == "第 D 列不能同时作为“姓名”和“电话”。" and not page.import_button.isEnabled()


def test_an_old_xls_and_a_dropped_file(office, qtbot, tmp_path, watchdog):
    old = tmp_path / "名单.xls"
    old.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    good = tmp_path / "r.csv"
    good.write_text("楼栋,单元,房号,姓名\n3,2,501,张三\n", encoding="utf-8-sig")
    window = office()
    page = _page(window)
    watchdog.start()

    def drop(path):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        page.dropEvent(event)
        return event.isAccepted()

    assert not drop(tmp_path / "notes.pdf")
    with qtbot.waitSignal(page.inspected, timeout=20_000):
        assert drop(old)
    assert page.problem.text() == "“名单.xls”是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"
    with qtbot.waitSignal(page.previewed, timeout=20_000):
        assert drop(good)
    assert page.problem.text() == "" and page.encoding.text() == "编码：UTF-8 (BOM)"
    assert _statuses(page) == {2: "unchanged"}   # no phone, ID, kind columns: 张三 keeps his


def test_a_guard_never_reaches_the_import_page(make_window, qtbot):
    from tests.ui.conftest import sign_on_as

    window = make_window(sign_on=False)
    sign_on_as(qtbot, window, GUARD, GUARD_PIN)
    assert window.office is None
    assert not [w for w in QApplication.allWidgets() if isinstance(w, ImportPage)]


def test_the_preview_model_passes_the_model_tester():
    model = PreviewModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    outcomes = [RowOutcome(i, status, f"1-1-{100 + i}", "甲", "why" if status == "rejected" else "")
                for i, status in enumerate(["new", "changed", "unchanged", "rejected"] * 3, start=2)]
    model.set_outcomes(outcomes)
    for status in ("rejected", "new", None, "changed"):
        model.set_status(status)
        assert model.rowCount() == (12 if status is None else 3)
        assert all(o.status == status for o in model.shown) or status is None
    model.set_status("rejected")
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b71c1c"
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == "why"
    model.set_outcomes(outcomes[:4])              # the filter stays
    assert model.rowCount() == 1
    model.set_outcomes([])
    assert model.rowCount() == 0
    del tester


def test_the_first_preview_in_a_fresh_process_never_blocks_the_gui_thread(office_users, tmp_path):
    """This test session has long imported pypinyin (the gate template's roster) and openpyxl, so
    a real start's first preview is watched in a new interpreter (first_preview_child.py): the
    manager signs on, opens 导入名单, and the watchdog is on from the click on the file to the
    shown preview. Loading pypinyin's tables (one 2.5 MB json.loads, a single C call) in the
    reading worker held the GIL, and the GUI thread with it, 150-310 ms; the office now loads them
    in a thread of its own as soon as it is on screen, before its user can pick a file."""
    path = messy_office_workbook(tmp_path / "花名册.xlsx")
    command = [sys.executable, "-m", "tests.ui.office.first_preview_child", str(office_users.ctx.data_dir),
               str(path), MANAGER, MANAGER_PW]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded_at_start"] == [], result   # a fresh start: the test would prove nothing otherwise
    # The GIL-holding first loads happened before the click, not in the worker during the watch
    # (the watchdog's 250 ms wall limit alone saw the old 150-310 ms waits only now and then).
    assert result["loaded_at_click"] == ["pypinyin", "openpyxl"], result
    assert result["gaps_ms"] == [] and result["rows"] == 7, result


@pytest.fixture(autouse=True)
def _no_native_dialogs(monkeypatch):
    """A test that forgets to stub a file dialog fails instead of waiting for a person."""
    monkeypatch.setattr(QFileDialog, "exec", lambda *a: pytest.fail("a file dialog opened"))


def test_residents_the_file_no_longer_lists_are_moved_out_when_asked_with_their_number_shown_first(
        office, office_users, qtbot, tmp_path, watchdog):
    from tests.core_fixtures import ROSTER_CSV

    db = office_users
    path = tmp_path / "r.csv"
    path.write_text("".join(line for line in ROSTER_CSV.splitlines(True) if "赵六" not in line and "王五" not in line),
                    encoding="utf-8")
    window = office()
    page = _page(window)
    assert not page.move_out.isVisibleTo(page)         # no bare box without a sentence before a file
    watchdog.start()
    with qtbot.waitSignal(page.previewed, timeout=20_000):
        page.open_file(path)
    assert page.move_out.isVisibleTo(page)
    assert page.move_out.isEnabled() and not page.move_out.isChecked()
    assert page.move_out.text() == "把名单中没有的 2 位在住住户标记为迁出（出入证作废）"
    page.move_out.setChecked(True)
    with qtbot.waitSignal(page.imported, timeout=20_000) as imported:
        page.import_button.click()
    assert imported.args[0].moved_out == 2 and "2 位住户已标记为迁出" in page.message.text()
    with watchdog.paused(), db.ctx.db.read() as conn:
        gone = {r[0] for r in conn.execute("SELECT name FROM residents WHERE active = 0")}
        revoked = conn.execute("SELECT count(*) FROM passes p JOIN residents r ON r.id = p.resident_id "
                               "WHERE r.name IN ('赵六', '王五') AND p.status = 'revoked'").fetchone()[0]
    assert gone == {"赵六", "王五"} and revoked == 2
