"""The logs page driven as a manager uses it: a day's logs made in the background with progress,
previewed page by page, printed to a PDF printer, their folder opened; the statistics of a range
as charts and an .xlsx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QLineEdit

from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.services import daily_logs, disinfection, gate
from checkpoint_app.ui.office import logs_page
from tests.conftest import GUARD


def _busy_day(g, n: int = 90) -> None:
    """``n`` passages (enough for a passages log of several pages) and a round, today."""
    ctx = g.operator
    for i in range(n):
        gate.record_passage(ctx, g.cards["张三"], temperature="365", direction="out" if i % 2 == 0 else "in",
                            guard=GUARD)
        g.clock.advance(minutes=2)
    disinfection.set_plan(ctx, "1号楼大堂", 2)
    disinfection.record_round(ctx, area="1号楼大堂", agent="84消毒液", concentration="500", contact_minutes=30,
                              method="spray", operator="赵保洁")


def _painted(qtbot, page) -> None:
    """Let the preview paint the page it shows (PDFium renders on the first paint)."""
    page.view.viewport().repaint()
    qtbot.wait(300)


def _open(office, qtbot):
    window = office()
    return window, window.office.open("logs")


def test_the_log_kinds_are_the_reports_own():
    assert logs_page.LOG_KINDS == LOG_KINDS


@pytest.mark.qt_log_ignore("propagateSizeHints")     # the offscreen platform, on showing the print dialog
def test_a_days_logs_are_made_with_progress_previewed_page_by_page_printed_and_their_folder_opened(
        office, office_users, qtbot, tmp_path, watchdog, monkeypatch):
    g = office_users
    _busy_day(g)
    today = g.clock().date()
    window, page = _open(office, qtbot)
    assert logs_page._date(page.day) == today          # the site was set up today: not yesterday
    assert page.files.count() == 0 and "尚未生成" in page.page_label.text()
    assert not page.print_button.isEnabled()
    page.day.setDate(logs_page._qdate(today))
    for kind in ("summary", "visitors", "incidents", "handovers"):
        page.kinds[kind].setChecked(False)
    steps = []
    page.progress.valueChanged.connect(steps.append)
    # The logs are rendered and signed in a child process (in a worker thread, reportlab, pyHanko
    # and cryptography held the GIL and starved the GUI thread 270-420 ms): watched from the
    # click through to the first paint of the preview.
    watchdog.start()
    with qtbot.waitSignal(page.generated, timeout=60_000) as made:
        page.generate_button.click()
        assert not page.generate_button.isEnabled() and page.progress.isVisible()
        assert page.cancel_button.isVisible()
        page.generate()                               # a second start while busy does nothing
    _painted(qtbot, page)
    folder = daily_logs.day_folder(g.data_dir, today)
    assert sorted(made.args[0]) == sorted(str(p) for p in folder.glob("*.pdf")) and len(made.args[0]) == 2
    assert 1 in steps and not page.progress.isVisible() and not page.cancel_button.isVisible()
    assert [page.files.item(i).text() for i in range(page.files.count())] == ["出入登记日志", "消毒台账"]
    assert page.current.name.endswith("_passages.pdf")
    pages = page.document.pageCount()
    assert pages >= 2 and page.page_label.text() == f"第 1 / {pages} 页" and not page.prev_button.isEnabled()
    with watchdog.paused():
        page.next_button.click()
        qtbot.waitUntil(lambda: page.page_number() == 1, timeout=2000)
        _painted(qtbot, page)
    assert page.page_label.text() == f"第 2 / {pages} 页" and page.prev_button.isEnabled()
    with watchdog.paused():
        page.files.setCurrentRow(1)
        _painted(qtbot, page)
    assert page.current.name.endswith("_disinfection.pdf") and page.page_label.text().startswith("第 1 /")

    with watchdog.paused():
        page.files.setCurrentRow(0)
        _painted(qtbot, page)
    page.print_button.click()                         # through the print dialog, as a person prints
    dialog = page._dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    printers = dialog.findChild(QComboBox, "printers")
    printers.setCurrentIndex(printers.findText("Print to File (PDF)"))   # no printer on this PC: to a file
    qtbot.wait(30)          # a person's choices are separate events: each is watched on its own
    dialog.findChild(QLineEdit, "filename").setText(str(tmp_path / "printed.pdf"))
    qtbot.wait(30)
    with qtbot.waitSignal(page.printed, timeout=60_000) as printed:      # watched: see test_passes_page
        dialog.accept()
    assert printed.args == [pages] and len(PdfReader(tmp_path / "printed.pdf").pages) == pages

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page.open_folder()
    assert opened == [str(folder)]
    page.day.setMinimumDate(logs_page._qdate(today - timedelta(days=7)))   # (this site was set up today)
    page.day.setDate(logs_page._qdate(today - timedelta(days=3)))
    assert page.files.count() == 0
    page.open_folder()
    assert opened == [str(folder)] and page.message.objectName() == "fieldError"
    page.day.setDate(logs_page._qdate(today))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)     # no file manager on this PC
    page.open_folder()
    assert page.message.objectName() == "fieldError" and str(folder) in page.message.text()


def test_making_the_logs_is_cancelled_after_the_log_being_signed_and_leaves_no_half_written_file(
        office, office_users, qtbot, watchdog):
    g = office_users
    _busy_day(g, 4)
    g.clock.advance(days=1)     # the page opens at yesterday: the busy day (not one before the site)
    window, page = _open(office, qtbot)
    watchdog.start()
    with qtbot.waitSignal(page.cancelled, timeout=60_000):
        page.generate_button.click()
        qtbot.waitUntil(lambda: page.progress.value() >= 1, timeout=60_000)     # the first log is signed
        page.cancel_button.click()
        assert not page.cancel_button.isEnabled()
    assert "已取消" in page.message.text() and not page.progress.isVisible() and page.generate_button.isEnabled()
    folder = page.folder()
    made = sorted(p.name for p in folder.iterdir())
    assert 1 <= len(made) < len(LOG_KINDS) and all(p.endswith(".pdf") and not p.startswith(".") for p in made)
    assert page.files.count() == len(made)             # the ones finished are filed and shown
    with qtbot.waitSignal(page.generated, timeout=60_000) as again:
        page.generate_button.click()
    assert len(again.args[0]) == len(LOG_KINDS) and (folder / daily_logs.COMPLETE_MARK).exists()


def test_a_folder_that_cannot_be_written_is_one_sentence_from_the_child_and_nothing_is_filed(
        office, office_users, qtbot, watchdog):
    g = office_users
    _busy_day(g, 4)
    g.clock.advance(days=1)     # the page opens at yesterday: the busy day (not one before the site)
    window, page = _open(office, qtbot)
    page.folder().parent.mkdir(parents=True, exist_ok=True)
    page.folder().write_text("a file where the day's folder should be")
    watchdog.start()
    with qtbot.waitSignal(page.job_failed, timeout=60_000):
        page.generate_button.click()
    text = page.message.text()
    assert "无法写入" in text and str(page.folder()) in text and "\n" not in text and "Traceback" not in text
    assert page.message.objectName() == "fieldError" and page.generate_button.isEnabled()
    assert not page.progress.isVisible() and page.files.count() == 0


def test_yesterdays_logs_made_unasked_are_shown_when_the_page_opens(office, office_users, qtbot):
    g = office_users
    _busy_day(g, 4)
    yesterday = g.clock().date()
    g.clock.advance(days=1)
    daily_logs.make_if_missing(g.operator, yesterday)        # what the upkeep did at start
    window, page = _open(office, qtbot)
    assert page.files.count() == len(LOG_KINDS) and page.files.item(0).text() == "门岗日报汇总"
    assert page.current == daily_logs.day_folder(g.data_dir, yesterday) / page.current.name
    assert page.print_button.isEnabled()
    assert page.scope.isHidden()         # no other gate's records here: no "whole compound"


def test_the_whole_compounds_logs_when_this_pc_holds_another_gates_records(office, office_users, qtbot,
                                                                          watchdog, tmp_path):
    """Issue 15: a gate joined from this PC sends its records by USB file; the page then offers the
    whole compound, whose logs hold both gates' rows and are filed apart from this gate's own."""
    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.exchange.usb import export_file, import_file
    from checkpoint_app.services.context import open_gate
    from tests.core_fixtures import FakeClock

    g = office_users
    _busy_day(g, 2)
    file, code = export_join(g.operator, "北门", tmp_path / "join.ckp")
    init_join(tmp_path / "north", file, code, clock=FakeClock()).close()
    north = open_gate(tmp_path / "north", clock=g.clock).acting_as(None, "operator")
    try:
        gate.record_passage(north, g.cards["李四"], temperature="365", direction="out", guard=GUARD)
        export_file(north, tmp_path / "north.ckx")
    finally:
        north.close()
    import_file(g.operator, tmp_path / "north.ckx")
    today = g.clock().date()
    window, page = _open(office, qtbot)
    watchdog.start()
    assert page.scope.isVisibleTo(page) and page.scope.currentData() is False
    page.day.setDate(logs_page._qdate(today))
    page.scope.setCurrentIndex(1)
    assert page.files.count() == 0
    for kind in LOG_KINDS[1:]:
        page.kinds[kind].setChecked(kind == "passages")
    with watchdog.paused():     # see the test above: the worker's GIL, PDFium's first load and paint
        with qtbot.waitSignal(page.generated, timeout=60_000) as made:
            page.generate_button.click()
        _painted(qtbot, page)
    folder = daily_logs.day_folder(g.data_dir, today, compound=True)
    assert sorted(made.args[0]) == sorted(str(p) for p in folder.glob("*.pdf")) and len(made.args[0]) == 2
    assert all("_全小区_" in p for p in made.args[0])
    assert [page.files.item(i).text() for i in range(page.files.count())] == ["小区日报汇总", "出入登记日志"]
    assert page.current.name.endswith("_全小区_summary.pdf") and page.print_button.isEnabled()
    page.scope.setCurrentIndex(0)
    assert page.files.count() == 0
    assert not list(daily_logs.day_folder(g.data_dir, today).glob("*.pdf"))   # this gate's own: not made


def test_the_whole_compounds_past_day_names_the_gates_its_logs_wait_for(office, office_users, qtbot, watchdog,
                                                                       tmp_path):
    """A gate whose records of yesterday have not all reached this PC (none after midnight yet):
    the page says the whole compound's logs wait for it, and stops saying so once they arrive."""
    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.exchange.usb import export_file, import_file
    from checkpoint_app.services.context import open_gate
    from tests.core_fixtures import FakeClock

    g = office_users
    _busy_day(g, 2)
    file, code = export_join(g.operator, "北门", tmp_path / "join.ckp")
    init_join(tmp_path / "north", file, code, clock=FakeClock()).close()
    north = open_gate(tmp_path / "north", clock=g.clock).acting_as(None, "operator")
    day = g.clock().date()
    try:
        gate.record_passage(north, g.cards["李四"], temperature="365", direction="out", guard=GUARD)
        import_file(g.operator, export_file(north, tmp_path / "north-1.ckx").path)
        g.clock.advance(days=1)
        window, page = _open(office, qtbot)
        watchdog.start()
        assert logs_page._date(page.day) == day and page.waiting.isHidden()    # this gate's own: nothing said
        page.scope.setCurrentIndex(1)
        last = day + timedelta(days=1 + daily_logs.COMPOUND_WAIT_DAYS)
        assert page.waiting.isVisibleTo(page) and page.waiting.text() == (
            f"全小区 {day} 的日志等待北门的记录同步到本机后自动生成，最迟 {last} 生成（注明可能不全）。")
        window.resize(1024, 640)
        window.grab().save(str(tmp_path / "waiting.png"))
        gate.record_passage(north, g.cards["李四"], temperature="365", direction="in", guard=GUARD)  # after midnight
        import_file(g.operator, export_file(north, tmp_path / "north-2.ckx").path)
        page.scope.setCurrentIndex(0)                  # looked at again
        page.scope.setCurrentIndex(1)
        assert page.waiting.isHidden()
    finally:
        north.close()


def test_statistics_of_a_range_as_charts_and_an_xlsx(office, office_users, qtbot, watchdog):
    g = office_users
    _busy_day(g, 6)
    today = g.clock().date()
    window, page = _open(office, qtbot)
    page.tabs.setCurrentIndex(1)
    watchdog.start()
    page.start.setDate(logs_page._qdate(today - timedelta(days=2)))
    page.end.setDate(logs_page._qdate(today))
    with qtbot.waitSignal(page.counted, timeout=10_000) as counted:
        page.count_button.click()
    stats = counted.args[0]
    assert stats.figures["passages"] == [0, 0, 6] and stats.figures["rounds_planned"] == [0, 0, 2]
    series = page.counts_chart.chart().series()[0]
    bars = {series.barSets()[i].label(): [series.barSets()[i].at(j) for j in range(3)]
            for i in range(series.count())}
    assert bars["出入"] == [0, 0, 6] and set(bars) == {"出入", "访客", "发热", "拒绝", "返乡人员"}
    rounds = page.rounds_chart.chart().series()[0]
    assert [rounds.barSets()[i].at(2) for i in range(rounds.count())] == [1, 2]
    assert "出入 6" in page.totals.text()
    with watchdog.paused(), qtbot.waitSignal(page.exported, timeout=30_000) as exported:
        page.export_button.click()
    book = load_workbook(exported.args[0])
    assert book["每日统计"].max_row == 4 and book["每日统计"]["B4"].value == 6
    assert book["出入"].max_row == 7 and book["出入"].freeze_panes == "A2"


def test_a_range_the_wrong_way_round_is_one_sentence(office, office_users, qtbot):
    window, page = _open(office, qtbot)
    page.start.setDate(page.end.date().addDays(3))
    page.end.setDate(page.end.date().addDays(-3))
    page.count_button.click()
    qtbot.waitUntil(lambda: page.message.objectName() == "fieldError" and page.message.text() != "", timeout=5000)
    assert "晚于" in page.message.text() and page.count_button.isEnabled()


def test_making_all_six_logs_of_a_busy_day_never_starves_the_gui_thread(office, office_users, qtbot, watchdog):
    """Rendered and signed in a worker thread, the six logs held the GIL for 270-420 ms at a time
    (reportlab, pyHanko, cryptography); in a child process the GUI thread only waits on a pipe."""
    g = office_users
    _busy_day(g, 300)
    window, page = _open(office, qtbot)
    page.day.setDate(logs_page._qdate(g.clock().date()))
    watchdog.start()
    with qtbot.waitSignal(page.generated, timeout=120_000) as made:
        page.generate_button.click()
    _painted(qtbot, page)
    assert len(made.args[0]) == len(LOG_KINDS) and page.document.pageCount() >= 1


def test_a_site_set_up_today_opens_the_logs_page_at_today_and_offers_no_earlier_day(tmp_path, qtbot):
    """It opened at yesterday, a day before the site existed, whose logs are refused."""
    from checkpoint_app.services.permissions import OPERATOR
    from checkpoint_app.services.site import init_site
    from checkpoint_app.ui.office.background import Background
    from checkpoint_app.ui.office.logs_page import LogsPage, _date
    from tests.core_fixtures import FakeClock

    clock = FakeClock()
    ctx = init_site(tmp_path / "new", site_code="NEW01", site_name="新小区", gate_name="南门",
                    clock=clock).acting_as(None, OPERATOR)
    bg = Background(ctx, None)
    try:
        page = LogsPage(ctx, bg)
        qtbot.addWidget(page)
        today = clock().date()
        assert _date(page.day) == today
        page.day.setDate(page.day.date().addDays(-1))        # the calendar offers no earlier day
        assert _date(page.day) == today
    finally:
        bg.shutdown()
        ctx.close()
