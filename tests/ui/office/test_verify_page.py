"""核验, the auditor's desk, driven as the auditor uses it: another compound's logs dropped on the
page are named "not registered"; its certificate registered from a file; the folder verified;
a missing day listed; the compound's own logs checked against its records. The auditor reaches
only pages that read, and the verify page has no button that changes anything."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton

from checkpoint_app.services import trust
from checkpoint_app.services.daily_logs import daily_report
from checkpoint_app.ui.office.verify_page import BAD, VerifyPage
from tests.core_fixtures import CST, FakeClock
from tests.ui.office.conftest import AUDITOR, AUDITOR_PW, MANAGER, MANAGER_PW

VERDICT = len(VerifyPage.COLUMNS) - 1     # the last column

OTHER_DAYS = [date(2026, 11, 16) + timedelta(days=i) for i in range(4)]


@pytest.fixture(scope="module")
def other_compound(tmp_path_factory):
    """阳光花园 (YGHY): four days of signed summary logs in a folder, and its certificate file."""
    from checkpoint_app.services.site import init_site

    tmp = tmp_path_factory.mktemp("yghy")
    clock = FakeClock(datetime(2026, 11, 15, 8, 0, tzinfo=CST))     # set up before its first log's day
    ctx = init_site(tmp / "data", site_code="YGHY", site_name="阳光花园", gate_name="东门",
                    clock=clock).acting_as(None, "operator")
    clock.set(datetime(2026, 11, 20, 8, 0, tzinfo=CST))
    try:
        for day in OTHER_DAYS:
            daily_report(ctx, day, tmp / "logs", kinds=("summary",))
        cer = trust.write_certificate(trust.of_site(ctx), tmp / "YGHY.cer")
    finally:
        ctx.close()
    return tmp / "logs", cer


@pytest.fixture(autouse=True)
def empty_trust_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CHECKPOINT_TRUST_DIR", str(tmp_path / "trusted"))


def _drop(page, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)


def _column(page, col: int) -> list[str]:
    return [page.table.item(r, col).text() for r in range(page.table.rowCount())]


def _verify(page, qtbot, watchdog, paths):
    # pyHanko and cryptography hold the GIL for long stretches in the worker: the wait is not watched
    with watchdog.paused():
        result = _verify_counting(page, qtbot, paths)
    return result


def _verify_counting(page, qtbot, paths):
    """Verify, and check the progress bar counted the files up to their number, then went away."""
    steps = []
    page.progress.valueChanged.connect(lambda v: steps.append((v, page.progress.maximum())))
    with qtbot.waitSignal(page.verified, timeout=60_000) as done:
        _drop(page, paths)
        assert not page.open_files_button.isEnabled()     # one check at a time
        assert page.progress.isVisibleTo(page)
    page.progress.valueChanged.disconnect()
    n = len(done.args[0].files)
    assert not page.progress.isVisibleTo(page)
    if n:
        assert steps and steps[-1] == (n, n) and [v for v, _m in steps] == sorted(v for v, _m in steps), steps
    return done.args[0]


def test_the_auditor_registers_a_compound_and_verifies_its_folder(office, qtbot, watchdog, other_compound, tmp_path):
    import shutil

    logs, cer = other_compound
    window = office(AUDITOR, AUDITOR_PW)
    nav = window.office.nav
    assert [nav.item(i).text() for i in range(nav.count())] == ["住户", "记录查询", "数据库检查", "日志报表", "核验"]
    page = window.office.open("verify")                  # opens at once; the registered sites follow
    # (the worker that reads them holds the GIL while it imports cryptography: not watched)
    qtbot.waitUntil(lambda: "尚未登记" in page.hint.text(), timeout=10_000)
    assert "。 " not in page.hint.text()              # Chinese sentences follow each other without a space
    watchdog.start()

    result = _verify(page, qtbot, watchdog, [logs])
    assert page.table.rowCount() == 4 and not result.ok
    assert _column(page, 1) == ["YGHY"] * 4 and set(_column(page, 4)) == {"✗"}
    assert all("尚未登记该证书" in v for v in _column(page, VERDICT))
    assert "尚未登记该证书" in page.verdict.text()          # the chosen row's whole sentence
    assert page.message.objectName() == "fieldError"

    with watchdog.paused(), qtbot.waitSignal(page.registered, timeout=20_000):
        page.register(cer)
    assert "阳光花园（YGHY）" in page.message.text() and trust.read_file(cer).grouped in page.message.text()
    # and in words, as the registration sheet has them whatever its language (4 lines of 8 Chinese
    # words, each beside the same in English)
    words = trust.read_file(cer).words()
    shown = " ".join(page.message.text().split())
    assert len(words) == 8 and all(" ".join(line.split()) in shown for line in words)
    qtbot.waitUntil(lambda: "阳光花园（YGHY）" in page.hint.text(), timeout=10_000)
    assert "。 " not in page.hint.text()

    folder = tmp_path / "pile"
    shutil.copytree(logs, folder)
    next(folder.glob(f"{OTHER_DAYS[2].isoformat()}_*.pdf")).unlink()
    result = _verify(page, qtbot, watchdog, [folder])
    assert page.table.rowCount() == 3 and all(f.ok for f in result.files)
    assert _column(page, 2) == ["东门"] * 3 and _column(page, 3) == [d.isoformat() for d in OTHER_DAYS if d != OTHER_DAYS[2]]
    assert set(_column(page, 4) + _column(page, 5) + _column(page, 6)) == {"✓"}
    assert [page.gaps.item(i).text() for i in range(page.gaps.count())] == [
        f"阳光花园（YGHY） 东门：缺少 {OTHER_DAYS[2].isoformat()} 的日志。"]
    assert "缺口 1 处" in page.message.text()

    # no button on the auditor's desk changes anything
    assert {b.text() for b in page.findChildren(QPushButton)} == {"打开文件…", "打开文件夹…", "登记小区证书…"}


def test_a_manager_checks_the_compounds_own_logs_against_its_records(office, office_users, qtbot, watchdog, tmp_path):
    from checkpoint_app.services.gate import record_passage

    db = office_users
    record_passage(db.operator, db.cards["张三"], temperature="365")
    db.clock.advance(days=1)
    files = daily_report(db.operator, db.clock.now.date() - timedelta(days=1), tmp_path / "own", kinds=("passages",))
    window = office(MANAGER, MANAGER_PW)
    page = window.office.open("verify")
    qtbot.waitUntil(lambda: page.hint.text() != "", timeout=10_000)
    watchdog.start()
    result = _verify(page, qtbot, watchdog, files)
    assert result.ok and not result.files[0].offline      # checked against the database, not only signed
    assert _column(page, 1) == ["和谐苑小区（HXY01）"] and "数据库一致" in _column(page, VERDICT)[0]
    assert "全部真实有效" in page.message.text()


def test_a_file_that_is_not_a_pdf_is_one_row_with_a_sentence(office, qtbot, watchdog, tmp_path):
    junk = tmp_path / "notes.pdf"
    junk.write_text("hello")
    window = office(AUDITOR, AUDITOR_PW)
    page = window.office.open("verify")
    qtbot.waitUntil(lambda: page.hint.text() != "", timeout=10_000)
    watchdog.start()
    result = _verify(page, qtbot, watchdog, [junk])
    assert not result.ok and _column(page, 4) == ["–"] and "不是 PDF" in _column(page, VERDICT)[0]


#: Every button an auditor may see, on any page the auditor reaches: each reads, opens or leaves.
#: (A page added for the auditor adds its reading buttons here, after a look at what they do.)
AUDITOR_BUTTONS = {"门岗 (F12)", "退出登录",
                   "查询", "最早", "最新",                          # 记录查询: filter, jump to the first/last rows
                   "开始完整检查",                                    # 数据库检查: reads every record
                   "生成", "打印…", "打开文件夹", "上一页", "下一页",  # 日志报表: the day's PDFs (no record written)
                   "统计", "导出 Excel",                             # 日志报表: statistics, read only
                   "打开文件…", "打开文件夹…", "登记小区证书…"}        # 核验


def test_the_auditor_reaches_no_button_that_writes(office, qtbot):
    """Buttons absent: on every page the shell lists for the auditor (the shell's table, not a
    list kept here), no visible button but those that read. The services refuse too:
    tests/services/test_permissions.py::test_the_auditor_changes_nothing."""
    from checkpoint_app.ui.office.shell import pages_for

    window = office(AUDITOR, AUDITOR_PW)
    shell = window.office
    assert [s.key for s in shell.specs] == [s.key for s in pages_for("auditor")]
    seen = set()
    for spec in shell.specs:
        page = shell.open(spec.key)
        qtbot.waitUntil(lambda page=page: page.isVisible(), timeout=5000)
        seen |= {b.text() for b in shell.findChildren(QPushButton) if b.isVisibleTo(shell) and b.isEnabled()}
    assert seen <= AUDITOR_BUTTONS, seen - AUDITOR_BUTTONS
    assert "verify" in {s.key for s in shell.specs}


def test_the_desk_runs_where_no_site_was_ever_set_up(qtbot, other_compound, tmp_path, monkeypatch):
    """``checkpoint-app --audit``: the verify page alone, no database opened or made."""
    from checkpoint_app import paths
    from checkpoint_app.ui.office.audit_desk import AuditDesk

    monkeypatch.setenv("CHECKPOINT_DATA_DIR", str(tmp_path / "never-set-up"))
    logs, cer = other_compound
    desk = AuditDesk()
    qtbot.addWidget(desk)
    page = desk.page
    with qtbot.waitSignal(page.registered, timeout=20_000):
        page.register(cer)
    result = _verify_counting(page, qtbot, [logs])
    assert result.ok and page.table.rowCount() == 4
    assert all(f.offline for f in result.files)
    assert not (tmp_path / "never-set-up").exists() and not paths.db_path(paths.default_data_dir()).exists()
    desk.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")     # the offscreen platform, on showing the desk
def test_the_first_failing_row_is_scrolled_into_view(qtbot, other_compound, tmp_path, monkeypatch):
    """A long pile whose one bad file sorts last: the row chosen (the first that fails, whose
    sentence is shown under the table) is in view, not below a screenful of ✓."""
    import shutil

    from checkpoint_app.ui.office.audit_desk import AuditDesk

    monkeypatch.setenv("CHECKPOINT_DATA_DIR", str(tmp_path / "never-set-up"))
    logs, cer = other_compound
    pile = tmp_path / "pile"
    pile.mkdir()
    first = sorted(logs.glob("*.pdf"))[0]
    for i in range(40):
        shutil.copy(first, pile / f"a{i:02d}.pdf")
    (pile / "zz-notes.pdf").write_text("hello")
    desk = AuditDesk()
    qtbot.addWidget(desk)
    desk.resize(1024, 640)
    desk.show()
    page = desk.page
    with qtbot.waitSignal(page.registered, timeout=20_000):
        page.register(cer)
    _verify_counting(page, qtbot, [pile])
    row = page.table.currentRow()
    assert page.table.item(row, 0).text() == "zz-notes.pdf"
    qtbot.wait(50)
    shown = page.table.viewport().rect()
    assert shown.contains(page.table.visualItemRect(page.table.item(row, 0))), "the failing row is out of view"
    desk.close()


def test_the_english_desk_says_its_counts_and_joins_name_and_verdict_in_english(qtbot, qapp, other_compound,
                                                                                  tmp_path, monkeypatch):
    """"1 gap", "1 file is authentic" (i18n.fill on the translated text), and "name: sentence" with
    an English colon under the table, not the full-width "：" of the Chinese."""
    import shutil

    from checkpoint_app.ui import i18n
    from checkpoint_app.ui.office.audit_desk import AuditDesk

    monkeypatch.setenv("CHECKPOINT_DATA_DIR", str(tmp_path / "never-set-up"))
    logs, cer = other_compound
    pile = tmp_path / "pile"
    shutil.copytree(logs, pile)
    next(pile.glob(f"{OTHER_DAYS[2].isoformat()}_*.pdf")).unlink()
    (pile / "zz-notes.pdf").write_text("hello")
    translators = i18n.install(qapp, "en")
    try:
        desk = AuditDesk()
        qtbot.addWidget(desk)
        page = desk.page
        with qtbot.waitSignal(page.registered, timeout=20_000):
            page.register(cer)
        _verify_counting(page, qtbot, [pile])
        assert page.message.text() == "1 of 4 files failed verification; 1 gap.", page.message.text()
        assert page.verdict.text().startswith("zz-notes.pdf: The file is not a PDF"), page.verdict.text()
        assert "：" not in page.verdict.text()
        _verify_counting(page, qtbot, [sorted(logs.glob("*.pdf"))[0]])
        assert page.message.text() == "1 file is authentic, and the logs have no gaps.", page.message.text()
        desk.close()
    finally:
        i18n.uninstall(qapp, translators)
        from checkpoint_app import i18n as service_i18n
        service_i18n.set_language("zh_CN")


def _two_pcs_pile(logs: Path, root: Path) -> tuple[Path, str, str]:
    """pc1/ the four days; pc2/ the first day again under the same name, and the third day saved
    under the fourth day's name. Returns (the folder, the shared name, the misnamed file's path)."""
    import shutil

    files = sorted(logs.glob("*.pdf"))
    shutil.copytree(logs, root / "pc1")
    (root / "pc2").mkdir()
    shutil.copy(files[0], root / "pc2" / files[0].name)
    shutil.copy(files[2], root / "pc2" / files[3].name)
    return root, files[0].name, f"pc2/{files[3].name}"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_files_are_named_by_their_path_in_the_folder_and_a_misnamed_one_is_marked_in_its_row(
        qtbot, other_compound, tmp_path, monkeypatch):
    """pc1/X.pdf and pc2/X.pdf are two rows that say so; a genuine log saved under another day's
    name is marked in the table itself (its "文件名" column, its file cell in red), not only in the
    sentence under the table when its row is chosen."""
    from checkpoint_app.ui.office.audit_desk import AuditDesk

    monkeypatch.setenv("CHECKPOINT_DATA_DIR", str(tmp_path / "never-set-up"))
    logs, cer = other_compound
    pile, shared, misnamed = _two_pcs_pile(logs, tmp_path / "pile")
    desk = AuditDesk()
    qtbot.addWidget(desk)
    desk.resize(1024, 640)
    desk.show()
    page = desk.page
    with qtbot.waitSignal(page.registered, timeout=20_000):
        page.register(cer)
    result = _verify_counting(page, qtbot, [pile])
    assert all(f.ok for f in result.files) and page.table.rowCount() == 6
    names = _column(page, 0)
    assert f"pc1/{shared}" in names and f"pc2/{shared}" in names and misnamed in names, names
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    name_col = headers.index("文件名")
    row = names.index(misnamed)
    marks = _column(page, name_col)
    assert marks[row] == "✗" and [m for r, m in enumerate(marks) if r != row] == ["✓"] * 5, marks
    assert page.table.item(row, 0).foreground().color() == page.table.item(row, name_col).foreground().color() == BAD
    assert "文件名与内容不符" in page.table.item(row, name_col).toolTip()
    assert "文件名与内容不符" in page.message.text()
    # a file given by itself is named by its name
    _verify_counting(page, qtbot, [pile / "pc1" / shared])
    assert _column(page, 0) == [shared]
    desk.close()
